"""SQLite schema migrations: steps run in order, in one transaction, and never downgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sozialraumprozess import UnsupportedFormat
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.storage import SqliteStore, create_run, open_run
from sozialraumprozess.storage.migrations import MIGRATIONS, Migration, migrate, schema_version


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """A fake future step: a column for a run's owner."""
    conn.execute("ALTER TABLE runs ADD COLUMN owner TEXT NOT NULL DEFAULT 'kommune'")


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _columns(conn: sqlite3.Connection) -> list[str]:
    return [row[1] for row in conn.execute("PRAGMA table_info(runs)")]


def test_empty_database_is_migrated_to_version_1(tmp_path: Path) -> None:
    conn = _connect(tmp_path / "db.sqlite")
    assert schema_version(conn, "db") == 0
    assert migrate(conn, "db") == 0
    assert schema_version(conn, "db") == 1
    indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"runs_by_workflow", "runs_by_phase", "runs_by_deadline"} <= indexes
    assert migrate(conn, "db") == 1  # idempotent
    conn.close()


def test_v1_store_with_data_is_migrated_to_a_fake_v2(tmp_path: Path, sample: Process) -> None:
    path = tmp_path / "db.sqlite"
    store = SqliteStore(path)
    create_run(store, "r1", sample)
    store.close()
    conn = _connect(path)
    steps: dict[int, Migration] = {**MIGRATIONS, 1: _v1_to_v2}
    assert migrate(conn, str(path), steps=steps, target=2) == 1
    assert schema_version(conn, str(path)) == 2
    assert "owner" in _columns(conn)
    assert conn.execute("SELECT owner FROM runs").fetchall() == [("kommune",)]
    assert conn.execute("SELECT count(*) FROM events").fetchone() == (55,)
    conn.close()
    # this library reads schema 1 only: the migrated file is refused, not misread
    with pytest.raises(UnsupportedFormat, match="'schema 2'"):
        SqliteStore(path)


def test_v0_to_v2_runs_every_step_in_order(tmp_path: Path) -> None:
    conn = _connect(tmp_path / "db.sqlite")
    assert migrate(conn, "db", steps={**MIGRATIONS, 1: _v1_to_v2}, target=2) == 0
    assert schema_version(conn, "db") == 2
    assert "owner" in _columns(conn)
    conn.close()


def test_failing_step_rolls_back_everything(tmp_path: Path, sample: Process) -> None:
    path = tmp_path / "db.sqlite"
    store = SqliteStore(path)
    create_run(store, "r1", sample)
    store.close()

    def broken(conn: sqlite3.Connection) -> None:
        _v1_to_v2(conn)
        raise RuntimeError("step failed half-way")

    conn = _connect(path)
    with pytest.raises(RuntimeError, match="half-way"):
        migrate(conn, str(path), steps={**MIGRATIONS, 1: broken}, target=2)
    assert schema_version(conn, str(path)) == 1
    assert "owner" not in _columns(conn)
    conn.close()
    assert open_run(SqliteStore(path), "r1").process.log == sample.log


def test_sqlite_store_uses_wal_and_full_sync(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "db.sqlite")
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
    assert conn.execute("PRAGMA busy_timeout").fetchone() == (30000,)
    store.close()
