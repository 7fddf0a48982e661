"""``render`` and ``report`` with ``--format``: office files, PDF/A with the run's history."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from sozialraumprozess.storage.chain import GENESIS, canonical, link

from ..documents.clients import pdf_attachments, pdf_text, pdfa_identification
from .conftest import EXE, sozialraum

RUN = "schwerte-ost-beispiel"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("formats") / "demo"
    result = sozialraum("demo", str(root))
    assert result.returncode == 0, result.stderr
    return root


def test_report_pdf_embeds_the_event_log_and_the_chain_head(store: Path) -> None:
    result = sozialraum("report", str(store), "--format", "pdf", "--json")
    assert result.returncode == 0, result.stderr
    written = Path(json.loads(result.stdout)["path"])
    assert written == store / "runs" / RUN / "bericht.pdf"
    assert pdfa_identification(written) == ("3", "B")
    files = pdf_attachments(written)
    assert sorted(files) == ["ereignisprotokoll.json", "hashkette.json"]
    head = json.loads(files["hashkette.json"])
    log = json.loads(files["ereignisprotokoll.json"])
    checks = json.loads(sozialraum("verify", str(store), "--json").stdout)
    assert head["head"] == head["store_head"] == checks[0]["head"]
    assert head["events"] == len(log["events"]) == checks[0]["events"]
    chain = GENESIS  # anyone can recompute the head from the embedded log
    for event in log["events"]:
        chain = link(chain, canonical(event))
        assert event["hash"] == chain
    assert chain == head["head"]
    assert "Anna Berger" not in files["ereignisprotokoll.json"].decode()  # as stored: ids

    text = " ".join(pdf_text(written).split())
    assert "Schwerte-Ost (Beispiel)" in text
    assert "Sozialraum analysieren" in text  # the current phase
    # the budget lines, the Sozialraumbudget by purpose and the reconciled sums
    for line in ("Sozialraumbudget", "10.000 €", "15.400 €", "25.400 €", "15.880,50 €"):
        assert line in text, line


def test_report_in_every_format(store: Path) -> None:
    result = sozialraum("report", str(store), "--format", "all", "--json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    paths = [Path(p) for p in json.loads(result.stdout)["paths"]]
    assert [p.suffix for p in paths] == [".md", ".html", ".docx", ".odt", ".pdf"]
    assert all(p.stat().st_size > 0 for p in paths)
    markdown = paths[0].read_text("utf-8")
    assert markdown.startswith("# Schwerte-Ost (Beispiel)\n")
    assert "\n| --- |" in markdown or "| --- | --- |" in markdown  # tables stay tables
    own = store / "mein-bericht.html"
    result = sozialraum("report", str(store), "--format", "all", "-o", str(own))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in store.glob("mein-bericht.*")) == [
        f"mein-bericht.{s}" for s in ("docx", "html", "md", "odt", "pdf")
    ]


def test_report_to_stdout_in_one_format(store: Path) -> None:
    assert EXE is not None
    raw = subprocess.run(
        [EXE, "report", str(store), "--format", "docx", "-o", "-"],
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert raw.returncode == 0, raw.stderr
    assert raw.stdout.startswith(b"PK\x03\x04")  # a DOCX (zip) on stdout
    result = sozialraum("report", str(store), "--format", "all", "-o", "-")
    assert result.returncode == 2
    assert "--format all" in result.stderr
    assert "Traceback" not in result.stderr
    bad = sozialraum("report", str(store), "--format", "rtf")
    assert bad.returncode == 2
    assert "rtf" in bad.stderr


def test_render_docx_odt_pdf(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    result = sozialraum("render", str(store), "--format", "docx", "-o", str(out), "--json")
    assert result.returncode == 0, result.stderr
    documents = json.loads(result.stdout)["documents"]
    assert documents
    assert {d["format"] for d in documents} == {"docx"}
    assert all(Path(d["path"]).read_bytes().startswith(b"PK") for d in documents)
    markdown = list((store / "runs" / RUN / "documents").rglob("*.md"))
    assert len(documents) == len(markdown)  # every document, one DOCX each
    result = sozialraum("render", str(store), "--format", "pdf", "-o", str(tmp_path / "pdf"))
    assert result.returncode == 0, result.stderr
    report = tmp_path / "pdf" / "prozessbericht.pdf"
    assert sorted(pdf_attachments(report)) == ["ereignisprotokoll.json", "hashkette.json"]
    invitation = next((tmp_path / "pdf").rglob("*-einladung.pdf"))
    assert pdf_attachments(invitation) == {}  # only the process report carries the history
    assert pdfa_identification(invitation) == ("3", "B")
