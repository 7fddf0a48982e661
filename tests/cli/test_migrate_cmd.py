"""`sozialraum migrate` through the installed console script, on a folder and a SQLite store."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from tests.runtime.revisions import rename_phase, revised_data, six_phase_data

from sozialraumprozess.app import Service
from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.scenario.sample import run_sample
from sozialraumprozess.storage.session import create_run

from .conftest import SIX, sozialraum

OLD = load_workflow(SIX)
RESPONSIBLE = OLD.phase("visionen_entwickeln").responsible


@pytest.fixture(params=["folder", "sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store with run 'nord' standing in phase 3 of the six-phase workflow."""
    url = str(tmp_path / "laeufe") if request.param == "folder" else f"sqlite://{tmp_path / 'l.db'}"
    service = Service.open(url, create=True)
    try:
        create_run(service.store, "nord", run_sample(OLD, until="visionen_entwickeln"))
    finally:
        service.close()
    return url


def _file(tmp_path: Path, data: dict[str, object], name: str = "revised.yaml") -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


def _events(url: str) -> int:
    result = sozialraum("history", url, "--json")
    assert result.returncode == 0, result.stderr
    return len(json.loads(result.stdout))


def test_dry_run_then_migrate_then_the_run_reopens_from_the_store(url: str, tmp_path: Path) -> None:
    revised = _file(tmp_path, revised_data())
    before = _events(url)
    dry = sozialraum("migrate", "-d", url, "--to", revised, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert lines[0] == "Lauf nord:"
    # the number of harmless differences follows the bundled workflow; the two to
    # heed and none blocking are what the revision makes
    assert re.fullmatch(
        rf"Migration von Version {re.escape(OLD.version)} auf 3\.0: \d+ unbedenklich, "
        r"2 zu beachten, 0 blockierend",
        lines[1],
    ), lines[1]
    assert lines[2].startswith("  [beachten] Phase 3: neues Abschlusskriterium")
    assert _events(url) == before

    refused = sozialraum("migrate", "-d", url, "--to", revised, "--as", RESPONSIBLE)
    assert refused.returncode == 1
    assert "Eine Migration braucht eine Begründung (--reason)." in refused.stderr
    wrong = sozialraum("migrate", "-d", url, "--to", revised, "--reason", "x", "--as", "rat")
    assert wrong.returncode == 1
    assert "'migrate'" in wrong.stderr
    assert _events(url) == before

    done = sozialraum(
        "migrate", "-d", url, "--to", revised, "--reason", "Fortschreibung 2026",
        "--as", RESPONSIBLE, "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["event"]["type"] == "workflow_migrated"
    assert answer["message"] == (
        f"Auf Version 3.0 des Workflows umgestellt (vorher {OLD.version}); 2 Hinweise zu beachten."
    )
    assert "beteiligungsbericht" in {b["target"] for b in answer["blockers"]}

    Path(revised).unlink()  # later commands use the store's copies of both definitions
    history = sozialraum("history", url, "--lang", "en")
    assert history.returncode == 0, history.stderr
    assert (
        f"Moved to workflow version 3.0 (was {OLD.version}): Fortschreibung 2026" in history.stdout
    )
    status = sozialraum("status", url, "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["phase"]["id"] == "visionen_entwickeln"
    report = sozialraum("report", url, "--json")
    assert report.returncode == 0, report.stderr
    page = Path(json.loads(report.stdout)["path"]).read_text("utf-8")
    assert "Umstellungen auf neue Workflow-Fassungen" in page
    assert f"<td>{OLD.version}</td><td>3.0</td><td>Fortschreibung 2026" in page
    assert _events(url) == before + 1


def test_blocked_dry_run_exits_1_and_all_runs(url: str, tmp_path: Path) -> None:
    data = six_phase_data()
    data["version"] = "3.0"
    rename_phase(data, "visionen_entwickeln", "visionen", declare=False)
    target = _file(tmp_path, data, "v3.yaml")
    dry = sozialraum("migrate", "-d", url, "--to", target, "--dry-run", "--all", "--lang", "en")
    assert dry.returncode == 1
    assert "no longer exists: a mapping is needed (--map visionen_entwickeln=NEW_PHASE)" in (
        dry.stdout
    )
    mapped = sozialraum(
        "migrate", "-d", url, "--to", target, "--dry-run", "--map", "visionen_entwickeln=visionen",
        "--json",
    )  # fmt: skip
    assert mapped.returncode == 0, mapped.stderr
    (only,) = json.loads(mapped.stdout)
    assert only["run_id"] == "nord"
    assert only["blocked"] is False
    assert only["mapping"] == {"visionen_entwickeln": "visionen"}
    blocked = sozialraum("migrate", "-d", url, "--to", target, "--reason", "x", "--as", RESPONSIBLE)
    assert blocked.returncode == 1
    assert blocked.stderr.startswith("Fehler: Migration auf Version 3.0 nicht möglich")
    assert "Traceback" not in blocked.stderr


def test_bad_options(url: str, tmp_path: Path) -> None:
    revised = _file(tmp_path, revised_data())
    bad_map = sozialraum("migrate", "-d", url, "--to", revised, "--dry-run", "--map", "x")
    assert bad_map.returncode == 2
    assert "'x' ist keine Zuordnung ALT=NEU" in bad_map.stderr
    every = sozialraum("migrate", "-d", url, "--to", revised, "--all", "--as", RESPONSIBLE)
    assert every.returncode == 2
    assert "--all geht nur mit --dry-run" in every.stderr
