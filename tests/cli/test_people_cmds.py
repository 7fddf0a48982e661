"""``sozialraum person export|erase|consent`` and ``report --public`` / ``render --public``."""

from __future__ import annotations

import json
from pathlib import Path

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.scenario.sample import SCENARIO, start_sample
from sozialraumprozess.storage import FolderStore
from sozialraumprozess.storage.session import create_run

from .conftest import sozialraum


def _as_read(markdown: str) -> str:
    """Markdown text as a reader sees it: user text escapes ``[`` and ``]``."""
    return markdown.replace("\\[", "[").replace("\\]", "]")


NAME = "Anna Berger"


def store_with_anna(tmp_path: Path) -> Path:
    process = start_sample(load_workflow("generationengerechte-sozialraumentwicklung"))
    for step in SCENARIO[0].steps:
        step.run(process)
    root = tmp_path / "store"
    store = FolderStore(root)
    create_run(store, "ost", process)
    store.close()
    return root


def test_export_consent_public_report_and_erase(tmp_path: Path) -> None:
    root = store_with_anna(tmp_path)
    summary = sozialraum("person", "export", NAME, str(root), "--lang", "en")
    assert summary.returncode == 0, summary.stderr
    assert summary.stdout.startswith("ost: roles sozialraumkoordination, contact ")
    exported = sozialraum("person", "export", NAME, str(root), "--json")
    assert exported.returncode == 0, exported.stderr
    [run] = json.loads(exported.stdout)["runs"]
    assert run["participant"]["contact"] == "sozialraumkoordination@example.org"

    public = sozialraum("report", str(root), "--public")
    assert public.returncode == 0, public.stderr
    assert public.stdout.strip().endswith("bericht-oeffentlich.html")
    docs = sozialraum("render", str(root), "--public", "--format", "md")
    assert docs.returncode == 0, docs.stderr
    folder = root / "runs" / "ost" / "documents-oeffentlich"
    texts = _as_read("".join(p.read_text("utf-8") for p in folder.rglob("*.md")))
    assert NAME not in texts
    assert "[nicht veröffentlicht]" in texts

    consent = sozialraum("person", "consent", NAME, str(root), "--date", "2025-02-01")
    assert consent.returncode == 0, consent.stderr
    assert "Einwilligung von 'Anna Berger' für 'publication' am 2025-02-01" in consent.stderr

    assert sozialraum("render", str(root), "--format", "md").returncode == 0  # shows her name
    refused = sozialraum("person", "erase", NAME, str(root), input="n\n")
    assert refused.returncode == 1
    erased = sozialraum("person", "erase", NAME, str(root), "--yes", "--json", "--lang", "en")
    assert erased.returncode == 0, erased.stderr
    result = json.loads(erased.stdout)
    assert result["person_id"].startswith("person:")
    assert result["removed_files"]
    everything = b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())
    assert NAME.encode() not in everything

    listed = sozialraum("participant", "list", str(root), "--lang", "en")
    assert "[erased]" in listed.stdout
    assert NAME not in listed.stdout
    again = sozialraum("person", "erase", NAME, str(root), "--yes", "--lang", "en")
    assert again.returncode == 1
    assert "Run 'ost' has no participant 'Anna Berger'" in again.stderr
    assert "Traceback" not in again.stderr
