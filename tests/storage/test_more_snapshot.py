"""A folder run's ``run.json`` damaged in each way the log can disprove: named with
file, line (when the key can be found) and both languages; nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sozialraumprozess.errors import CorruptRunError
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.storage import FolderStore, create_run

from .conftest import digest


@pytest.fixture
def run(tmp_path: Path, sample: Process) -> tuple[FolderStore, Path]:
    """A folder store with the sample as run ``r1``; the store and the run's ``run.json``."""
    store = FolderStore(tmp_path / "store")
    create_run(store, "r1", sample)
    return store, tmp_path / "store" / "runs" / "r1" / "run.json"


def refusal(store: FolderStore, snapshot: Path) -> CorruptRunError:
    """The error of loading ``r1``, checked to leave the run folder as it is."""
    before = digest(snapshot.parent)
    with pytest.raises(CorruptRunError) as info:
        store.load("r1")
    assert digest(snapshot.parent) == before
    assert info.value.path == str(snapshot)
    return info.value


def line_of(snapshot: Path, text: str) -> int:
    return 1 + next(
        i for i, line in enumerate(snapshot.read_text("utf-8").splitlines()) if text in line
    )


def test_a_snapshot_that_is_not_an_object(run: tuple[FolderStore, Path]) -> None:
    store, snapshot = run
    snapshot.write_text("[1]\n", "utf-8")
    error = refusal(store, snapshot)
    assert error.line == 1
    assert error.message("en") == f"{snapshot}:1: not a JSON object"
    assert error.message("de") == f"{snapshot}:1: kein JSON-Objekt"


def test_a_log_size_that_is_not_a_number(run: tuple[FolderStore, Path]) -> None:
    store, snapshot = run
    data = json.loads(snapshot.read_text("utf-8"))
    data["log"]["bytes"] = "viele"
    snapshot.write_text(json.dumps(data, indent=2), "utf-8")
    error = refusal(store, snapshot)
    assert error.line is None
    assert error.message("en") == (
        f"{snapshot}: snapshot incomplete or malformed: "
        "TypeError(\"log.bytes must be an integer and log.file 'events.jsonl'\")"
    )
    assert error.message("de").startswith(f"{snapshot}: Schnappschuss unvollständig oder falsch: ")


def test_a_snapshot_of_another_run(run: tuple[FolderStore, Path]) -> None:
    store, snapshot = run
    snapshot.write_text(snapshot.read_text("utf-8").replace('"run_id": "r1"', '"run_id": "r2"'))
    line = line_of(snapshot, '"run_id": "r2"')
    error = refusal(store, snapshot)
    assert error.line == line
    assert error.message("en") == (
        f"{snapshot}:{line}: snapshot disagrees with the log: run_id is 'r2', the log says 'r1'"
    )
    assert error.message("de") == (
        f"{snapshot}:{line}: Schnappschuss widerspricht dem Protokoll: run_id ist 'r2', "
        "laut Protokoll 'r1'"
    )


def test_a_key_not_on_its_own_line_gives_no_line(run: tuple[FolderStore, Path]) -> None:
    store, snapshot = run
    data = json.loads(snapshot.read_text("utf-8"))
    data["summary"]["run_id"] = "r2"
    snapshot.write_text(json.dumps(data), "utf-8")  # one line, no indentation
    error = refusal(store, snapshot)
    assert error.line is None
    assert error.message("en") == (
        f"{snapshot}: snapshot disagrees with the log: run_id is 'r2', the log says 'r1'"
    )


def test_a_wrong_log_size(run: tuple[FolderStore, Path]) -> None:
    store, snapshot = run
    size = (snapshot.parent / "events.jsonl").stat().st_size
    text = snapshot.read_text("utf-8")
    assert text.count(f'"bytes": {size}') == 1
    snapshot.write_text(text.replace(f'"bytes": {size}', f'"bytes": {size + 5}'), "utf-8")
    line = line_of(snapshot, '"bytes": ')
    error = refusal(store, snapshot)
    assert error.line == line
    assert error.message("en") == (
        f"{snapshot}:{line}: snapshot says the log has {size + 5} bytes, it has {size}"
    )
    assert error.message("de") == (
        f"{snapshot}:{line}: Schnappschuss nennt {size + 5} Bytes Protokoll, es sind {size}"
    )
