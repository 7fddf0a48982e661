"""A SQLite store damaged from outside: a summary whose version disagrees with the
stored events, a definition copy that is not text. Each is named where it is, in
both languages, and reading changes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sozialraumprozess.errors import CorruptRunError
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.storage import SqliteStore, create_run

from .conftest import digest


@pytest.fixture
def path(tmp_path: Path, sample: Process) -> Path:
    """A SQLite store file with the sample as run ``r1`` (closed)."""
    found = tmp_path / "runs.sqlite"
    store = SqliteStore(found)
    create_run(store, "r1", sample)
    store.close()
    return found


def damage(path: Path, statement: str, *values: object) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(statement, values)
    conn.close()


def test_a_summary_version_that_disagrees_with_the_events(path: Path, sample: Process) -> None:
    events = len(sample.log)
    damage(path, "UPDATE runs SET version = ? WHERE run_id = 'r1'", events - 1)
    before = digest(path)
    store = SqliteStore(path)
    try:
        for read in (store.load, store.read_events):
            with pytest.raises(CorruptRunError) as info:
                read("r1")
            assert (info.value.path, info.value.line) == (f"{path} [run 'r1']", None)
            assert info.value.message("en") == (
                f"{path} [run 'r1']: summary says version {events - 1}, {events} events are stored"
            )
            assert info.value.message("de") == (
                f"{path} [run 'r1']: Zusammenfassung nennt Version {events - 1}, "
                f"gespeichert sind {events} Ereignisse"
            )
    finally:
        store.close()
    assert digest(path) == before


def test_a_definition_copy_that_is_not_text(path: Path) -> None:
    damage(path, "UPDATE definitions SET definition = X'00'")
    before = digest(path)
    store = SqliteStore(path)
    try:
        with pytest.raises(CorruptRunError) as info:
            store.list_definitions()
        (content_hash,) = (
            sqlite3.connect(path).execute("SELECT content_hash FROM definitions").fetchone()
        )
        where = f"{path} [definitions, content_hash {content_hash!r}]"
        assert info.value.path == where
        assert info.value.message("en") == f"{where}: definition copy is not text"
        assert info.value.message("de") == f"{where}: Definitionskopie ist kein Text"
        with pytest.raises(CorruptRunError, match="Definitionskopie ist kein Text"):
            store.load("r1")
    finally:
        store.close()
    assert digest(path) == before
