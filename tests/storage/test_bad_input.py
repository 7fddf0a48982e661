"""Bad input gets a clear error saying what and where, and changes nothing."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from sozialraumprozess import (
    CorruptRunError,
    InvalidRunId,
    NotAStore,
    UnsupportedFormat,
)
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.storage import FolderStore, RunStore, SqliteStore, create_run, open_run

from .conftest import digest

# ---------------------------------------------------------------------------- run ids

BAD_IDS = [
    ("", "empty"),
    (".", "'.' and '..' are not names"),
    ("..", "'.' and '..' are not names"),
    ("a/b", "contains '/'"),
    ("../etc", "contains '/'"),
    ("a\\b", "contains '\\'"),
    (".versteckt", "starts with '.'"),
    ("a\x00b", "control character U+0000 at position 2"),
    ("zeile\nzwei", "control character U+000A at position 6"),
    (" lauf", "leading or trailing whitespace"),
    ("x" * 129, "longer than 128 characters"),
    (42, "expected a string, not int"),
]


@pytest.mark.parametrize(("run_id", "reason"), BAD_IDS)
def test_bad_run_ids_are_refused_and_nothing_is_written(
    store: RunStore, sample: Process, run_id: str, reason: str
) -> None:
    with pytest.raises(InvalidRunId) as info:
        create_run(store, run_id, sample)
    assert info.value.message("en") == f"Invalid run id {run_id!r}: {reason}."
    assert str(info.value).startswith(f"Ungültige Lauf-Kennung {run_id!r}: ")
    assert isinstance(info.value, ValueError)
    for action in (store.load, store.read_events, store.summary, store.delete):
        with pytest.raises(InvalidRunId):
            action(run_id)
    assert store.list_runs() == []


def test_good_run_ids_work(store: RunStore, sample: Process) -> None:
    for run_id in ("schwerte-ost_2025", "Köln Mülheim", "a.b", "x" * 128):
        create_run(store, run_id, sample)
        assert store.summary(run_id).version == len(sample.log)


# ---------------------------------------------------------------------------- not a store


def test_folder_that_is_not_a_store_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "notizen.txt").write_text("Meine Notizen", "utf-8")
    before = digest(tmp_path)
    with pytest.raises(NotAStore) as info:
        FolderStore(tmp_path)
    assert info.value.message("en") == (
        f"{tmp_path} is not a sozialraumprozess store: the folder is not empty and has no "
        "file sozialraumprozess-store.json."
    )
    assert digest(tmp_path) == before
    with pytest.raises(NotAStore, match="das ist eine Datei, kein Ordner"):
        FolderStore(tmp_path / "notizen.txt")
    with pytest.raises(NotAStore, match="kein Speicher vorhanden"):
        FolderStore(tmp_path / "fehlt", create=False)
    assert not (tmp_path / "fehlt").exists()


def test_file_that_is_not_a_sqlite_store_is_left_alone(tmp_path: Path) -> None:
    text = tmp_path / "daten.sqlite"
    text.write_text("kein SQLite", "utf-8")
    with pytest.raises(NotAStore) as info:
        SqliteStore(text)
    assert info.value.message("en").endswith(
        "is not a sozialraumprozess store: not a SQLite database."
    )
    assert text.read_text("utf-8") == "kein SQLite"
    other = tmp_path / "andere.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE kunden (name TEXT)")
    conn.close()
    before = other.read_bytes()
    with pytest.raises(NotAStore, match="keine Tabelle 'schema_version'"):
        SqliteStore(other)
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["andere.sqlite", "daten.sqlite"]
    with pytest.raises(NotAStore, match="ist ein Ordner"):
        SqliteStore(tmp_path)
    with pytest.raises(NotAStore, match="die Datei existiert nicht"):
        SqliteStore(tmp_path / "fehlt.sqlite", create=False)


# ---------------------------------------------------------------------------- formats


def test_newer_folder_store_format_is_refused(tmp_path: Path) -> None:
    FolderStore(tmp_path)
    marker = tmp_path / "sozialraumprozess-store.json"
    marker.write_text('{"format": "sozialraumprozess-folder-store/3"}\n', "utf-8")
    with pytest.raises(UnsupportedFormat) as info:
        FolderStore(tmp_path)
    error = info.value
    assert (error.path, error.found) == (str(marker), "sozialraumprozess-folder-store/3")
    assert error.message("en") == (
        f"{marker} has format 'sozialraumprozess-folder-store/3'; this version of "
        "sozialraumprozess reads 'sozialraumprozess-folder-store/2' (and older). "
        "Update sozialraumprozess to read it."
    )


def test_newer_run_format_is_refused(tmp_path: Path, sample: Process) -> None:
    store = FolderStore(tmp_path)
    create_run(store, "r1", sample)
    snapshot = tmp_path / "runs" / "r1" / "run.json"
    text = snapshot.read_text("utf-8").replace("folder-run/1", "folder-run/3")
    snapshot.write_text(text, "utf-8")
    before = digest(tmp_path)
    with pytest.raises(UnsupportedFormat) as info:
        open_run(store, "r1")
    assert (info.value.found, info.value.supported) == (
        "sozialraumprozess-folder-run/3",
        "sozialraumprozess-folder-run/1",
    )
    last = len(sample.log) - 1
    with pytest.raises(UnsupportedFormat):
        store.append("r1", sample.log[last:], expected_version=last, summary=store.summary("r1"))
    assert digest(tmp_path) == before


def test_newer_sqlite_schema_is_refused_without_change(tmp_path: Path, sample: Process) -> None:
    path = tmp_path / "runs.sqlite"
    store = SqliteStore(path)
    create_run(store, "r1", sample)
    store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = 5")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(UnsupportedFormat) as info:
        SqliteStore(path)
    assert info.value.message("en") == (
        f"{path} has format 'schema 5'; this version of sozialraumprozess reads "
        "'schema 4' (and older). Update sozialraumprozess to read it."
    )
    assert path.read_bytes() == before


# ---------------------------------------------------------------------------- damaged logs


@pytest.fixture
def folder_run(tmp_path: Path, sample: Process) -> tuple[FolderStore, Path]:
    """A folder store with the sample as run ``r1``; returns the store and the run folder."""
    store = FolderStore(tmp_path / "store")
    create_run(store, "r1", sample)
    return store, tmp_path / "store" / "runs" / "r1"


def _rewrite_line(log: Path, number: int, new: bytes | None) -> None:
    lines = log.read_bytes().split(b"\n")
    if new is None:
        del lines[number - 1]
    else:
        lines[number - 1] = new
    log.write_bytes(b"\n".join(lines))


DAMAGE = [
    (
        3,
        b'{"seq": 3, "type": "artifact_submitted", "name": "M\xfcller"}',
        3,
        "not valid UTF-8 (byte 52 of the line)",
    ),
    (5, b'{"seq": 5, "type": ', 5, "not valid JSON (column 20: Expecting value)"),
    (10, None, 10, "event has seq 11, expected 10 (gap or duplicate in the log)"),
    (7, b"[1, 2]", 7, "not a JSON object but list"),
    (4, b"", 4, "not valid JSON (column 1: Expecting value)"),
]


@pytest.mark.parametrize(("line", "new", "reported", "text"), DAMAGE)
def test_damaged_log_line_is_named_and_nothing_changes(
    folder_run: tuple[FolderStore, Path], line: int, new: bytes | None, reported: int, text: str
) -> None:
    store, folder = folder_run
    log = folder / "events.jsonl"
    _rewrite_line(log, line, new)
    before = digest(folder)
    for action in (store.load, store.read_events):
        with pytest.raises(CorruptRunError) as info:
            action("r1")
        assert (info.value.path, info.value.line) == (str(log), reported)
        assert info.value.message("en") == f"{log}:{reported}: {text}"
    with pytest.raises(CorruptRunError):
        open_run(store, "r1")
    assert digest(folder) == before


def test_event_that_is_not_an_event_names_the_line(folder_run: tuple[FolderStore, Path]) -> None:
    store, folder = folder_run
    log = folder / "events.jsonl"
    _rewrite_line(log, 2, b'{"seq": 2, "type": "participant_set"}')
    with pytest.raises(CorruptRunError) as info:
        store.read_events("r1")
    assert info.value.line == 2
    assert info.value.message_en.startswith("event cannot be read: ")
    assert "required field missing" in info.value.message_en


def test_torn_last_line_is_ignored_then_cut_by_the_next_write(
    folder_run: tuple[FolderStore, Path], sample: Process, caplog: pytest.LogCaptureFixture
) -> None:
    store, folder = folder_run
    events = len(sample.log)
    log = folder / "events.jsonl"
    intact = log.read_bytes()
    log.write_bytes(intact + b'{"actor":{"participant":null,"ro')  # crash mid-append
    with caplog.at_level(logging.WARNING, "sozialraumprozess.storage"):
        run = open_run(store, "r1")
    assert len(run.process.log) == events
    assert f"{log}: ignoring 32 bytes of an unterminated last line" in caplog.text
    assert store.list_runs()[0].version == events
    run.process.set_participant("Seniorenbeirat", ["kommune"], by="kommune")
    with caplog.at_level(logging.WARNING, "sozialraumprozess.storage"):
        assert run.save() == events + 1
    assert f"{log}: cutting off 32 bytes" in caplog.text
    data = log.read_bytes()
    assert data.startswith(intact)
    assert data.count(b"\n") == events + 1
    assert data.endswith(b"\n")
    assert len(open_run(store, "r1").process.log) == events + 1


def test_snapshot_disagreeing_with_the_log_is_named(folder_run: tuple[FolderStore, Path]) -> None:
    store, folder = folder_run
    snapshot = folder / "run.json"
    text = snapshot.read_text("utf-8")
    snapshot.write_text(text.replace('"phase": "analysieren"', '"phase": "ziele_festlegen"'))
    line = 1 + snapshot.read_text("utf-8").splitlines().index('    "phase": "ziele_festlegen",')
    before = digest(folder)
    with pytest.raises(CorruptRunError) as info:
        store.load("r1")
    assert (info.value.path, info.value.line) == (str(snapshot), line)
    assert info.value.message("en") == (
        f"{snapshot}:{line}: snapshot disagrees with the log: phase is 'ziele_festlegen', "
        "the log says 'analysieren'"
    )
    assert digest(folder) == before


def test_snapshot_ahead_of_the_log_is_corruption_not_a_crash_trace(
    folder_run: tuple[FolderStore, Path], sample: Process
) -> None:
    store, folder = folder_run
    log = folder / "events.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:50]))  # five acknowledged events gone
    before = digest(folder)
    for action in (store.load, store.read_events):
        with pytest.raises(CorruptRunError) as info:
            action("r1")
        snapshot_lines = (folder / "run.json").read_text("utf-8").splitlines()
        events = len(sample.log)
        assert info.value.line == 1 + snapshot_lines.index(f'    "version": {events},')
        assert info.value.message_en == (
            f"snapshot says version {events}, but the log has only 50 events"
        )
    with pytest.raises(CorruptRunError):
        store.append("r1", sample.log[50:], expected_version=50, summary=store.summary("r1"))
    assert digest(folder) == before


def test_missing_or_empty_files_are_named(folder_run: tuple[FolderStore, Path]) -> None:
    store, folder = folder_run
    (folder / "events.jsonl").write_bytes(b"")
    with pytest.raises(CorruptRunError, match=r"events.jsonl:1: keine Ereignisse"):
        store.load("r1")
    (folder / "run.json").unlink()
    with pytest.raises(CorruptRunError, match=r"run.json: Datei fehlt"):
        store.load("r1")


def test_damaged_sqlite_rows_are_named(tmp_path: Path, sample: Process) -> None:
    path = tmp_path / "runs.sqlite"
    store = SqliteStore(path)
    create_run(store, "r1", sample)
    conn = store._conn
    conn.execute("UPDATE events SET event = '{\"seq\": 7' WHERE run_id = 'r1' AND seq = 7")
    with pytest.raises(CorruptRunError) as info:
        store.load("r1")
    assert (info.value.path, info.value.line) == (f"{path} [run 'r1', event]", 7)
    assert info.value.message_en.startswith("not valid JSON (column 10")
    conn.execute("DELETE FROM events WHERE run_id = 'r1' AND seq = 7")
    with pytest.raises(CorruptRunError) as info:
        store.read_events("r1")
    assert info.value.message("en") == (
        f"{path} [run 'r1', event]:7: row has seq 8, expected 7 (gap in the log)"
    )
    create_run(store, "r2", sample)
    conn.execute("UPDATE runs SET phase = 'ziele_festlegen' WHERE run_id = 'r2'")
    with pytest.raises(CorruptRunError) as info:
        store.load("r2")
    assert info.value.message_en == "summary disagrees with the log: phase"
    store.close()
