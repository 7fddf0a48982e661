"""Every command through the installed console script on a SQLite store (``--store
sqlite:///…`` / ``SOZIALRAUM_STORE``), and the store URL rules."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import SIX, sozialraum


def _events(db: Path, run_id: str = "schwerte-ost") -> int:
    with sqlite3.connect(db) as conn:
        (count,) = conn.execute(
            "SELECT COUNT(*) FROM events WHERE run_id = ?", (run_id,)
        ).fetchone()
    return int(count)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A SQLite store with one fresh six-phase run 'schwerte-ost', made by ``init``."""
    path = tmp_path / "prozesse.db"
    result = sozialraum(
        "init", "--store", f"sqlite://{path}", "-w", SIX, "--sozialraum", "Schwerte-Ost", "--json"
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["store"] == str(path)
    assert answer["run_dir"] == str(tmp_path / "prozesse-runs" / "schwerte-ost")
    return path


def test_every_command_on_a_sqlite_run(db: Path, data_file: Callable[[str], Path]) -> None:
    """init, submit, participant add/list, approve, event, decide, advance, transition,
    status, history, render, report and portfolio all work on a SQLite run."""
    env = {"SOZIALRAUM_STORE": f"sqlite://{db}"}
    kommune = {**env, "SOZIALRAUM_ROLE": "kommune"}

    def ok(*args: str, role: dict[str, str] = kommune, input: str | None = None) -> str:
        result = sozialraum(*args, env=role, input=input)
        assert result.returncode == 0, (args, result.stderr)
        return result.stdout

    assert "Version 1" in ok("submit", "auftrag", "--data", str(data_file("auftrag")))
    out = ok("decide", "auftragsbeschluss", "--date", "2025-01-28", "--yes", "31", "--no", "4",
             role={**env, "SOZIALRAUM_ROLE": "rat"})  # fmt: skip
    assert "angenommen" in out
    ok("participant", "add", "Anna Berger", "--role", "sozialraumkoordination", "--kind", "person")
    people = json.loads(ok("participant", "list", "--json"))
    assert people == [
        {
            "name": "Anna Berger",
            "roles": ["sozialraumkoordination"],
            "kind": "person",
            "contact": None,
            "active": True,
        }
    ]
    assert "Anna Berger" in ok("participant", "list", "--lang", "en")
    anna = {**env, "SOZIALRAUM_ROLE": "Anna Berger"}
    for artifact in ("sozialraumabgrenzung", "akteursliste", "protokoll"):
        ok("submit", artifact, "--data", "-", role=anna, input=data_file(artifact).read_text())
    ok("approve", "sozialraumabgrenzung")
    ok("event", "multiplikatorenveranstaltung", "--date", "2025-03-04", "--protocol", "latest")
    status = json.loads(ok("status", "--json"))
    assert status["store"] == str(db)
    assert status["can_advance"] is True
    assert json.loads(ok("advance", "--json"))["phase"] == "analysieren"
    back = ok("transition", "abgrenzung_aendern", "--reason", "Grenze verschoben", "--json")
    assert json.loads(back)["phase"] == "identifizieren"
    history = json.loads(ok("history", "--json"))
    assert [e["type"] for e in history][-2:] == ["phase_advanced", "transition_taken"]
    assert len(history) == _events(db)
    text = ok("status", "--lang", "en")
    assert "Phase       1/6" in text
    rendered = json.loads(ok("render", "--json"))
    folder = db.parent / "prozesse-runs" / "schwerte-ost" / "documents"
    assert rendered["folder"] == str(folder)
    assert rendered["documents"]
    assert all(Path(d["path"]).is_file() for d in rendered["documents"])
    report = json.loads(ok("report", "--json"))
    assert report["path"] == str(db.parent / "prozesse-runs" / "schwerte-ost" / "bericht.html")
    assert "Schwerte-Ost" in Path(report["path"]).read_text("utf-8")
    blockers = len(json.loads(ok("status", "--json"))["blockers"])
    portfolio = json.loads(ok("portfolio", "--json"))
    assert [(r["run_id"], r["phase"], r["blockers"]) for r in portfolio["runs"]] == [
        ("schwerte-ost", "identifizieren", blockers)
    ]
    assert blockers > 0


def test_the_url_and_the_dir_shorthand_name_the_same_store(
    db: Path, data_file: Callable[[str], Path]
) -> None:
    """``--dir sqlite://…`` and the STORE argument take URLs as well; the command line
    wins over SOZIALRAUM_STORE."""
    url = f"sqlite://{db}"
    done = sozialraum(
        "submit", "auftrag", "--data", str(data_file("auftrag")), "-d", url, "--as", "kommune"
    )
    assert done.returncode == 0, done.stderr
    elsewhere = {"SOZIALRAUM_STORE": str(db.parent / "nirgends")}
    status = sozialraum("status", url, "--json", env=elsewhere)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["events"] == 2
    missing = sozialraum("status", env=elsewhere)
    assert missing.returncode == 1
    assert "nirgends" in missing.stderr


def test_refused_command_on_sqlite_stores_nothing(db: Path) -> None:
    """A blocked advance on a SQLite run: exit 1, the blockers, no event stored."""
    before = _events(db)
    result = sozialraum("advance", "--store", f"sqlite://{db}", "--as", "kommune")
    assert result.returncode == 1
    assert result.stderr.startswith("Fehler: Phase 'identifizieren' kann nicht")
    assert _events(db) == before


def test_confirm_on_a_scenario_stored_in_sqlite(tmp_path: Path) -> None:
    """A whole scenario stored into SQLite (cycle 2); confirm works on it, and demo too."""
    url = f"sqlite://{tmp_path / 'lauf.db'}"
    stored = sozialraum("scenario", SIX, "--dir", url, "--json")
    assert stored.returncode == 0, stored.stderr
    info = json.loads(stored.stdout)["stored"]
    assert info["cycle"] == 2
    assert info["documents"] > 0
    confirmed = sozialraum("confirm", "protokoll", "--store", url, "--as", "sozialraumkoordination")
    assert confirmed.returncode == 0, confirmed.stderr
    assert confirmed.stdout.startswith("Bestätigt: Ergebnisprotokoll, Version 8")
    demo = sozialraum("demo", f"sqlite://{tmp_path / 'demo.db'}", "--json")
    assert demo.returncode == 0, demo.stderr
    assert Path(json.loads(demo.stdout)["report"]).is_file()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://db.example/sozialraum", "postgresql://"),
        ("sqlite://", "sqlite:///"),
    ],
)
def test_unknown_scheme_or_no_file_is_refused(tmp_path: Path, url: str, expected: str) -> None:
    """A scheme nobody registered, or sqlite without a file: exit 1 naming what is known."""
    result = sozialraum("status", "--store", url, "--lang", "en")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ")
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
