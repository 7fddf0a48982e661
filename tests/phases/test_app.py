"""Strands, skips and automatic routes as front ends see them: status (live and from
the stored facts), history, the process report and documents, the CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from sozialraumprozess.app import Service
from sozialraumprozess.app.status import status_from_summary

from .conftest import PATH, WORKFLOW

EXE = shutil.which("sozialraum")


@pytest.fixture(params=["folder", "sqlite"])
def service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Service]:
    """A service over a new store of each kind with one run 'nord' in the strands phase."""
    url = str(tmp_path / "store") if request.param == "folder" else f"sqlite://{tmp_path}/p.db"
    found = Service.open(url, create=True)
    found.start("nord", WORKFLOW, sozialraum="Nord", workflow_path=PATH)
    found.submit("nord", "bestand", {"text": "Bestand"}, by="jugendamt")
    found.advance("nord", by="jugendamt")
    yield found
    found.close()


def _stored(service: Service, lang: str = "de") -> dict[str, object] | None:
    summary = next(s for s in service.store.list_runs() if s.run_id == "nord")
    assert summary.status is not None
    stored = status_from_summary(summary.status, "nord", service.location, lang)  # type: ignore[arg-type]
    return None if stored is None else dict(stored)


def test_status_shows_each_strand_live_and_from_the_stored_facts(service: Service) -> None:
    service.submit("nord", "teilplan_hze", {"faelle": 20}, by="hze")
    for lang in ("de", "en"):
        live = dict(service.status("nord", lang=lang))  # type: ignore[arg-type]
        assert live == _stored(service, lang)
    live = dict(service.status("nord", lang="en"))
    strands = live["strands"]
    assert isinstance(strands, list)
    assert [(s["id"], s["title"], s["responsible"], s["required"], s["done"]) for s in strands] == [
        ("kita", "Teilplan Kita", "kita", True, False),
        ("hze", "Teilplan Hilfen zur Erziehung", "hze", True, True),
    ]
    assert [b["strand"] for b in live["blockers"]] == ["kita", "kita"]  # type: ignore[index]
    assert {(i["id"], i["role"]) for i in live["open"]} >= {  # type: ignore[union-attr]
        ("teilplan_kita", "kita"),
        ("fachrunde", "kita"),
    }


def test_status_names_the_automatic_route_and_the_skip(service: Service) -> None:
    service.submit("nord", "teilplan_hze", {"faelle": 5}, by="hze")
    status = service.status("nord", lang="de")
    assert status["next_phase"] == "beschluss"  # the `auto` transition's condition holds
    service.submit("nord", "teilplan_hze", {"faelle": 50}, by="hze")
    service.submit("nord", "teilplan_kita", {"plaetze": 1}, by="kita")
    service.approve("nord", "teilplan_kita", by="jugendamt")
    service.record_event("nord", "fachrunde", date="2025-01-20", by="kita")
    service.advance("nord", by="jugendamt")
    status = service.status("nord", lang="de")
    assert status["phase"]["optional"] is True
    skip = [s for s in status["next_steps"] if s["command"] == "skip"]
    assert skip == [
        {
            "command": "skip",
            "subject": None,
            "roles": ["ausschuss"],
            "role": "ausschuss",
            "possible": True,
        }
    ]
    assert dict(status) == _stored(service)
    result = service.skip("nord", by="ausschuss", reason="Keine Anhörung beantragt")
    assert result.message.text("de") == (
        "Anhörung im Ausschuss übersprungen (Keine Anhörung beantragt); jetzt in: Beschluss"
    )
    rows = service.history("nord", lang="en")
    assert rows[-1]["type"] == "phase_skipped"
    assert rows[-1]["what"] == (
        "skipped phase Anhörung im Ausschuss: Keine Anhörung beantragt (on to Beschluss)"
    )
    assert service.history("nord", lang="de")[-1]["what"] == (
        "Phase Anhörung im Ausschuss übersprungen: Keine Anhörung beantragt (weiter mit Beschluss)"
    )


def test_report_and_documents_show_strands_and_skips(service: Service, tmp_path: Path) -> None:
    service.submit("nord", "teilplan_hze", {"faelle": 20}, by="hze")
    folder, _, failures = service.render_documents(
        "nord", formats=("md", "html"), lang="de", folder=tmp_path / "docs"
    )
    assert failures == []
    text = (folder / "prozessbericht.md").read_text("utf-8")
    assert "## Stränge der aktuellen Phase" in text
    assert "| Teilplan Hilfen zur Erziehung | ASD | erledigt |" in text
    assert "| Teilplan Kita | Fachberatung Kita | offen: Strang Teilplan Kita" in text
    html = service.render_report("nord", lang="en", output=tmp_path / "bericht.html").read_text(
        "utf-8"
    )
    assert "<h2>Strands of the current phase</h2>" in html
    assert "<td>Teilplan Hilfen zur Erziehung</td><td>ASD</td><td>done</td>" in html
    data = service.report_data("nord", lang="en")
    assert [(s["id"], s["responsible_title"], s["done"]) for s in data["strands"]] == [
        ("kita", "Fachberatung Kita", False),
        ("hze", "ASD", True),
    ]
    assert data["strands"][0]["blockers"][0]["strand"] == "kita"


def test_cli_skip_and_status(tmp_path: Path) -> None:
    assert EXE is not None, "the console script 'sozialraum' is not installed (pip install -e .)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOZIALRAUM_")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [EXE, *args], capture_output=True, text=True, check=False, timeout=120, env=env
        )

    store = str(tmp_path / "store")
    data = tmp_path / "d.json"
    assert run("init", store, "-w", str(PATH), "--sozialraum", "Nord").returncode == 0
    for artifact, body, role in (
        ("bestand", {"text": "x"}, "jugendamt"),
        ("teilplan_hze", {"faelle": 50}, "hze"),
    ):
        data.write_text(json.dumps(body), "utf-8")
        done = run("submit", artifact, "--data", str(data), "--store", store, "--as", role)
        assert done.returncode == 0, done.stderr
        if artifact == "bestand":
            assert run("advance", "--store", store, "--as", "jugendamt").returncode == 0
    shown = run("status", "--store", store, "--lang", "en")
    assert shown.returncode == 0, shown.stderr
    assert "Strands of the current phase" in shown.stdout
    assert "Teilplan Hilfen zur Erziehung" in shown.stdout
    refused = run("skip", "--reason", "x", "--store", store, "--as", "jugendamt", "--lang", "en")
    assert refused.returncode == 1
    assert "phase Teilpläne is not optional and cannot be skipped" in refused.stderr
