"""`status` answers from the status facts every store keeps in the run summary.

The fast path (``cli/status_cache.py``: read the summary, word the facts) must say
exactly what the full path (load the run, replay, :func:`status_of`) says — at
every event of the bundled six-phase scenario, on both stores, in both languages,
as text and as JSON — and must step aside whenever the stored facts may not
describe the log.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sozialraumprozess import load_workflow
from sozialraumprozess.app import Service, status as app_status
from sozialraumprozess.app.status import status_from_summary
from sozialraumprozess.cli import sozialraum as cli_group, status_cache
from sozialraumprozess.cli.status_cache import stored_status
from sozialraumprozess.i18n import LANGS
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.serialize import PROCESS_FORMAT
from sozialraumprozess.scenario import run_scenario
from sozialraumprozess.storage import (
    FOLDER_RUN_FORMAT,
    FOLDER_STORE_FORMAT,
    SQLITE_SCHEMA_VERSION,
    FolderStore,
    SqliteStore,
    create_run,
    open_run,
    summarize,
)
from sozialraumprozess.storage.base import RunStore
from sozialraumprozess.storage.migrations import SEALED
from sozialraumprozess.storage.summary import STATUS_FORMAT

from .conftest import SIX, sozialraum

RUN = "schwerte-ost"


def _url(kind: str, tmp_path: Path) -> str:
    return str(tmp_path / "store") if kind == "folder" else f"sqlite://{tmp_path}/store.db"


def _open(url: str) -> RunStore:
    if url.startswith("sqlite://"):
        return SqliteStore(url[len("sqlite://") :])
    return FolderStore(url)


def _cli(args: list[str], *, fast: bool, monkeypatch: pytest.MonkeyPatch) -> str:
    """``sozialraum ARGS`` in this process; ``fast=False`` forces the full path."""
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(status_cache, "stored_status", lambda *_: None)
        result = CliRunner().invoke(cli_group, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _events_of_scenario() -> tuple[Any, ...]:
    return run_scenario(SIX).process.log


@pytest.fixture(scope="module")
def scenario_log() -> tuple[Any, ...]:
    return _events_of_scenario()


def _grow(store: RunStore, log: tuple[Any, ...]) -> Iterator[int]:
    """Store the scenario's log one event at a time (as the stores do on append);
    yields the number of events stored so far."""
    wf = load_workflow(SIX)
    first = Process.replay(wf, log[:1])
    create_run(store, RUN, first)
    yield 1
    for count in range(2, len(log) + 1):
        process = Process.replay(wf, log[:count])
        store.append(
            RUN,
            log[count - 1 : count],
            expected_version=count - 1,
            summary=summarize(RUN, process),
        )
        yield count


@pytest.mark.parametrize("kind", ["folder", "sqlite"])
def test_fast_path_says_what_the_full_path_says_at_every_event(
    kind: str, tmp_path: Path, scenario_log: tuple[Any, ...]
) -> None:
    """At every event of the six-phase scenario: the status from the stored facts is
    the status of the replayed run, key for key in the same order, in both languages."""
    url = _url(kind, tmp_path)
    store = _open(url)
    service = Service.open(url)
    counts = []
    try:
        for count in _grow(store, scenario_log):
            counts.append(count)
            opened = service.open_run(None)
            for lang in LANGS:
                fast = stored_status(url, None, lang)
                assert fast is not None, f"no stored facts after {count} events"
                full = service.status(opened, lang=lang)
                assert json.dumps(fast, ensure_ascii=False) == json.dumps(
                    full, ensure_ascii=False
                ), f"after {count} events ({lang})"
    finally:
        service.close()
        store.close()
    assert counts == list(range(1, len(scenario_log) + 1))


@pytest.mark.parametrize("kind", ["folder", "sqlite"])
def test_cli_output_is_byte_identical_on_both_paths(
    kind: str, tmp_path: Path, scenario_log: tuple[Any, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sozialraum status` prints the same bytes from the facts as after a replay, as
    text and as JSON, in both languages, at the start, midway and at the end."""
    url = _url(kind, tmp_path)
    store = _open(url)
    checkpoints = {1, 2, len(scenario_log) // 2, len(scenario_log)}
    try:
        for count in _grow(store, scenario_log):
            if count not in checkpoints:
                continue
            for lang in LANGS:
                for extra in ([], ["--json"]):
                    args = ["status", url, "--lang", lang, *extra]
                    fast = _cli(args, fast=True, monkeypatch=monkeypatch)
                    assert fast == _cli(args, fast=False, monkeypatch=monkeypatch)
    finally:
        store.close()


@pytest.mark.parametrize("kind", ["folder", "sqlite"])
def test_an_append_through_the_python_api_leaves_the_facts_fresh(kind: str, tmp_path: Path) -> None:
    """`Run.save` writes the facts with the events: the next status needs no replay
    and shows the new event."""
    url = _url(kind, tmp_path)
    service = Service.open(url, create=True)
    service.start(RUN, load_workflow(SIX), sozialraum="Schwerte-Ost")
    service.close()
    before = stored_status(url, None, "de")
    assert before is not None
    store = _open(url)
    run = open_run(store, RUN)
    run.process.set_participant("Anna Berger", ["sozialraumkoordination"], by="kommune")
    run.save()
    store.close()
    after = stored_status(url, RUN, "de")
    assert after is not None
    assert after["events"] == before["events"] + 1


def _folder_store(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    service = Service.open(str(root), create=True)
    service.start(RUN, load_workflow(SIX), sozialraum="Schwerte-Ost")
    service.close()
    return root


def test_a_log_longer_than_its_summary_is_not_answered_from_the_summary(tmp_path: Path) -> None:
    """A folder store's run.json written for a shorter log (a writer crashed between
    the log and run.json) is stale: status replays the run and shows the new event."""
    root = _folder_store(tmp_path)
    run_json = root / "runs" / RUN / "run.json"
    old = run_json.read_bytes()
    run = open_run(FolderStore(root), RUN)
    run.process.set_participant("Anna Berger", ["sozialraumkoordination"], by="kommune")
    run.save()
    run_json.write_bytes(old)  # as if the writer had crashed before replacing it
    assert stored_status(str(root), None, "de") is None
    result = sozialraum("status", str(root), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["events"] == json.loads(old)["summary"]["version"] + 1


def test_details_left_behind_by_an_older_sqlite_writer_are_not_used(tmp_path: Path) -> None:
    """A summary row whose details describe another version (an older library
    updated the row without them) is stale."""
    url = f"sqlite://{tmp_path}/store.db"
    service = Service.open(url, create=True)
    service.start(RUN, load_workflow(SIX), sozialraum="Schwerte-Ost")
    expected = dict(service.status(RUN))
    service.close()
    assert stored_status(url, None, "de") == expected
    conn = sqlite3.connect(tmp_path / "store.db")
    conn.execute("UPDATE runs SET version = version + 1")  # the row moved on, details did not
    _reseal(conn)
    conn.commit()
    conn.close()
    assert stored_status(url, None, "de") is None


@pytest.mark.parametrize("kind", ["folder", "sqlite"])
def test_a_summary_without_facts_is_answered_by_a_replay(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store last written by an older version keeps no facts: the same answer, by
    loading the run."""
    url = _url(kind, tmp_path)
    service = Service.open(url, create=True)
    service.start(RUN, load_workflow(SIX), sozialraum="Schwerte-Ost")
    service.close()
    args = ["status", url, "--json"]
    expected = _cli(args, fast=True, monkeypatch=monkeypatch)
    if kind == "folder":
        path = tmp_path / "store" / "runs" / RUN / "run.json"
        data = json.loads(path.read_text("utf-8"))
        del data["summary"]["status"]
        path.write_text(json.dumps(data, sort_keys=True, indent=2), "utf-8")
    else:
        conn = sqlite3.connect(tmp_path / "store.db")
        (details,) = conn.execute("SELECT details FROM runs").fetchone()
        found = json.loads(details)
        del found["status"]
        conn.execute("UPDATE runs SET details = ?", (json.dumps(found),))
        _reseal(conn)
        conn.commit()
        conn.close()
    assert stored_status(url, None, "de") is None
    assert _cli(args, fast=True, monkeypatch=monkeypatch) == expected


def _blocker(code: str) -> dict[str, Any]:
    message = {"$msg": code, "params": {}}
    return {
        "kind": "artifact",
        "target": "a",
        "role": None,
        "code": "x",
        "path": None,
        "message": message,
    }


def test_damaged_facts_are_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Facts of another format, or ones that cannot be worded, mean a replay."""
    root = _folder_store(tmp_path)
    path = root / "runs" / RUN / "run.json"
    args = ["status", str(root), "--json", "--lang", "en"]
    expected = _cli(args, fast=True, monkeypatch=monkeypatch)
    data = json.loads(path.read_text("utf-8"))
    for damage in (
        {"format": STATUS_FORMAT + 1},
        {"phase": "not an object"},
        {"blockers": [{"$msg": 7, "params": {}}]},
        {"role_titles": [["kommune", {"$texts": {"de": "Kommune"}}]]},  # no English
        {"blockers": [_blocker("runtime.gone-since")]},  # a code the catalogs lack
    ):
        changed = json.loads(json.dumps(data))
        changed["summary"]["status"].update(damage)
        path.write_text(json.dumps(changed, sort_keys=True, indent=2), "utf-8")
        assert stored_status(str(root), None, "en") is None, damage
        assert _cli(args, fast=True, monkeypatch=monkeypatch) == expected


def test_a_damaged_run_json_is_reported_as_before(tmp_path: Path) -> None:
    """The fast path steps aside; the full path names the damage (exit 1)."""
    root = _folder_store(tmp_path)
    (root / "runs" / RUN / "run.json").write_text("{not json", "utf-8")
    assert stored_status(str(root), None, "de") is None
    result = sozialraum("status", str(root))
    assert result.returncode == 1
    assert "run.json" in result.stderr


def test_which_run_is_meant_is_decided_as_before(tmp_path: Path) -> None:
    """Several runs and no --run: no answer here (the full path says which runs
    there are); --run picks one; a run id that is not plain goes the full way."""
    root = _folder_store(tmp_path)
    service = Service.open(str(root))
    service.start("zweiter", load_workflow(SIX), sozialraum="Zweiter")
    service.close()
    assert stored_status(str(root), None, "de") is None
    found = stored_status(str(root), "zweiter", "de")
    assert found is not None
    assert found["sozialraum"] == "Zweiter"
    assert stored_status(str(root), "../store/runs/zweiter", "de") is None
    assert stored_status(str(root), "fehlt", "de") is None
    result = sozialraum("status", str(root))
    assert result.returncode != 0
    assert "zweiter" in result.stderr


def test_stores_named_by_url_are_read_where_the_full_path_reads_them(tmp_path: Path) -> None:
    """file:// URLs and relative SQLite paths name the same store, shown as the full
    path shows it; unknown schemes and in-memory databases go the full way."""
    root = _folder_store(tmp_path)
    found = stored_status(f"file://{root}", None, "de")
    assert found is not None
    assert found["store"] == str(root)
    assert stored_status("postgresql://host/db", None, "de") is None
    assert stored_status("sqlite://:memory:", None, "de") is None
    assert stored_status(f"sqlite://{tmp_path}/missing.db", None, "de") is None
    assert not (tmp_path / "missing.db").exists()  # never created by reading


def test_overdue_is_decided_on_the_day_asked(tmp_path: Path) -> None:
    """The facts keep the deadline; whether it has passed is computed when read."""
    root = _folder_store(tmp_path)
    data = json.loads((root / "runs" / RUN / "run.json").read_text("utf-8"))
    facts = data["summary"]["status"]
    deadline = date.fromisoformat(facts["deadline"])
    before = status_from_summary(facts, RUN, str(root), "de", today=deadline)
    after = status_from_summary(facts, RUN, str(root), "de", today=date(deadline.year + 1, 1, 1))
    assert before is not None
    assert after is not None
    assert (before["overdue"], after["overdue"]) == (False, True)


def test_the_reader_knows_the_formats_the_stores_write() -> None:
    """The format names repeated in the light reader are those of the stores."""
    assert status_cache._STORE_FORMAT == FOLDER_STORE_FORMAT
    assert status_cache._RUN_FORMAT == FOLDER_RUN_FORMAT
    assert status_cache._PROCESS_FORMAT == PROCESS_FORMAT
    assert status_cache._SQLITE_SCHEMA == SQLITE_SCHEMA_VERSION
    assert status_cache._SEALED == SEALED
    assert app_status._STATUS_FORMAT == STATUS_FORMAT


HEAVY = (
    "sozialraumprozess.runtime",
    "sozialraumprozess.definition",
    "sozialraumprozess.storage",
    "sozialraumprozess.documents",
    "jinja2",
    "cattrs",
    "attr",
    "attrs",
    "yaml",
    "babel",
)

PROBE = """
import json, sys
sys.argv = ["sozialraum", *sys.argv[1:]]
from sozialraumprozess.cli import main
try:
    main()
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("jinja2", "cattrs", "attr", "attrs",
    "yaml", "babel") or m.startswith(("sozialraumprozess.runtime", "sozialraumprozess.definition",
    "sozialraumprozess.storage", "sozialraumprozess.documents")))
print(json.dumps(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize("kind", ["folder", "sqlite", "help"])
def test_status_and_help_import_no_heavy_module(kind: str, tmp_path: Path) -> None:
    """`--help` and a `status` answered from the facts import neither the runtime,
    the storage, the workflow model, Jinja, cattrs, attrs, YAML nor Babel."""
    if kind == "help":
        args = ["--help"]
    else:
        url = _url(kind, tmp_path)
        service = Service.open(url, create=True)
        service.start(RUN, load_workflow(SIX), sozialraum="Schwerte-Ost")
        service.close()
        args = ["status", url, "--lang", "en"]
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []


def _reseal(conn: sqlite3.Connection) -> None:
    """Give changed ``runs`` rows their seal again, as a writer that keeps it would."""
    from sozialraumprozess.storage.chain import seal
    from sozialraumprozess.storage.migrations import SEALED

    for row in conn.execute(f"SELECT {SEALED} FROM runs").fetchall():  # noqa: S608
        conn.execute("UPDATE runs SET seal = ? WHERE run_id = ?", (seal(row), row[0]))
