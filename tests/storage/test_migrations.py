"""SQLite schema migrations: steps run in order, in one transaction, and never downgrade."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sozialraumprozess import UnsupportedFormat
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario.sample import start_sample
from sozialraumprozess.storage import (
    SQLITE_SCHEMA_VERSION,
    SqliteStore,
    create_run,
    open_run,
    summarize,
)
from sozialraumprozess.storage.codec import encode_events
from sozialraumprozess.storage.migrations import MIGRATIONS, Migration, migrate, schema_version


def _v4_to_v5(conn: sqlite3.Connection) -> None:
    """A fake future step: a column for a run's owner."""
    conn.execute("ALTER TABLE runs ADD COLUMN owner TEXT NOT NULL DEFAULT 'kommune'")


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _columns(conn: sqlite3.Connection, table: str = "runs") -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_empty_database_is_migrated_to_version_3(tmp_path: Path) -> None:
    conn = _connect(tmp_path / "db.sqlite")
    assert schema_version(conn, "db") == 0
    assert migrate(conn, "db") == 0
    assert schema_version(conn, "db") == SQLITE_SCHEMA_VERSION == 4
    indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"runs_by_workflow", "runs_by_phase", "runs_by_deadline"} <= indexes
    assert "definitions_by_workflow" in indexes
    assert _tables(conn) == {
        "schema_version",
        "runs",
        "events",
        "definitions",
        "migrations",
        "feed",
    }
    assert "events_by_position" in indexes
    assert conn.execute("SELECT id, last FROM feed").fetchall() == [(1, 0)]
    assert _columns(conn, "definitions") == [
        "content_hash",
        "workflow_id",
        "workflow_version",
        "definition",
    ]
    assert _columns(conn, "events") == ["run_id", "seq", "event", "hash", "position"]
    assert migrate(conn, "db") == 4  # idempotent
    conn.close()


def test_v1_database_gets_the_definitions_table(tmp_path: Path, workflow: Workflow) -> None:
    """The real step 1 -> 2 on a schema-1 database with a run in it (see also the fixtures)."""
    path = tmp_path / "db.sqlite"
    conn = _connect(path)
    assert migrate(conn, str(path), target=1) == 0
    assert "definitions" not in _tables(conn)
    process = start_sample(workflow)
    # a run as a schema-1 writer stored it: the same rows, no definitions table yet
    donor = SqliteStore(tmp_path / "donor.sqlite")
    donor.create("r1", process.log, summarize("r1", process))
    donor.close()
    conn.execute("ATTACH DATABASE ? AS donor", (str(tmp_path / "donor.sqlite"),))
    for table in ("runs", "events"):
        columns = ", ".join(_columns(conn, table))  # (of schema 1: no position)
        conn.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM donor.{table}")  # noqa: S608
    conn.execute("DETACH DATABASE donor")
    conn.close()
    store = SqliteStore(path)  # migrates to schema 4
    assert schema_version(store._conn, str(path)) == 4
    assert store.list_definitions() == []
    assert open_run(store, "r1").process.log == process.log  # through the bundled workflow
    create_run(store, "r2", process)
    assert [d.content_hash for d in store.list_definitions()] == [workflow.content_hash]
    store.close()


def test_v4_store_with_data_is_migrated_to_a_fake_v5(tmp_path: Path, sample: Process) -> None:
    path = tmp_path / "db.sqlite"
    store = SqliteStore(path)
    create_run(store, "r1", sample)
    store.close()
    conn = _connect(path)
    steps: dict[int, Migration] = {**MIGRATIONS, 4: _v4_to_v5}
    assert migrate(conn, str(path), steps=steps, target=5) == 4
    assert schema_version(conn, str(path)) == 5
    assert "owner" in _columns(conn)
    assert conn.execute("SELECT owner FROM runs").fetchall() == [("kommune",)]
    assert conn.execute("SELECT count(*) FROM events").fetchone() == (len(sample.log),)
    assert conn.execute("SELECT count(*) FROM definitions").fetchone() == (1,)
    conn.close()
    # this library reads schema 4 at most: the migrated file is refused, not misread
    with pytest.raises(UnsupportedFormat, match="'schema 5'"):
        SqliteStore(path)


def test_v0_to_v5_runs_every_step_in_order(tmp_path: Path) -> None:
    conn = _connect(tmp_path / "db.sqlite")
    assert migrate(conn, "db", steps={**MIGRATIONS, 4: _v4_to_v5}, target=5) == 0
    assert schema_version(conn, "db") == 5
    assert "owner" in _columns(conn)
    assert "definitions" in _tables(conn)
    conn.close()


def test_failing_step_rolls_back_everything(tmp_path: Path, sample: Process) -> None:
    path = tmp_path / "db.sqlite"
    store = SqliteStore(path)
    create_run(store, "r1", sample)
    store.close()

    def broken(conn: sqlite3.Connection) -> None:
        _v4_to_v5(conn)
        raise RuntimeError("step failed half-way")

    conn = _connect(path)
    with pytest.raises(RuntimeError, match="half-way"):
        migrate(conn, str(path), steps={**MIGRATIONS, 4: broken}, target=5)
    assert schema_version(conn, str(path)) == 4
    assert "owner" not in _columns(conn)
    conn.close()
    assert open_run(SqliteStore(path), "r1").process.log == sample.log


def test_failing_v1_to_v2_leaves_a_v1_database(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    conn = _connect(path)
    migrate(conn, str(path), target=1)

    def broken(conn: sqlite3.Connection) -> None:
        MIGRATIONS[1](conn)
        raise RuntimeError("step failed half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        migrate(conn, str(path), steps={**MIGRATIONS, 1: broken})
    assert schema_version(conn, str(path)) == 1
    assert "definitions" not in _tables(conn)
    conn.close()


def test_sqlite_store_uses_wal_and_full_sync(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "db.sqlite")
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
    assert conn.execute("PRAGMA busy_timeout").fetchone() == (30000,)
    store.close()


def test_v2_database_gets_feed_positions_by_time(tmp_path: Path, workflow: Workflow) -> None:
    """The real step 2 -> 3: existing events are numbered by time, run and seq, and new
    events continue after them."""
    path = tmp_path / "db.sqlite"
    conn = _connect(path)
    assert migrate(conn, str(path), target=2) == 0
    early = start_sample(workflow)
    late = Process.start(
        workflow,
        sozialraum="Spät",
        by="kommune",
        clock=FixedClock(datetime(2026, 1, 1, tzinfo=UTC)),
    )
    for run_id, process in (("z-frueh", early), ("a-spaet", late)):
        summary = summarize(run_id, process)
        conn.execute(
            "INSERT INTO runs (run_id, workflow_id, workflow_version, content_hash, title, "
            "phase, cycle, deadline, version, created_at, updated_at, process_format) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                workflow.id,
                workflow.version,
                workflow.content_hash,
                summary.title,
                summary.phase,
                summary.cycle,
                None if summary.deadline is None else summary.deadline.isoformat(),
                summary.version,
                summary.to_dict()["created_at"],
                summary.to_dict()["updated_at"],
                "sozialraumprozess-process/1",
            ),
        )
        for event, line in zip(process.log, encode_events(process.log).splitlines(), strict=True):
            conn.execute(
                "INSERT INTO events (run_id, seq, event) VALUES (?, ?, ?)",
                (run_id, event.seq, line.decode()),
            )
    conn.close()
    store = SqliteStore(path)  # migrates to schema 4
    feed = store.changes()
    assert [c.run_id for c in feed] == ["z-frueh"] * len(early.log) + ["a-spaet"] * len(late.log)
    assert [c.position for c in feed] == list(range(1, len(feed) + 1))
    run = open_run(store, "a-spaet")
    run.process.set_participant("Neu", ["kommune"], by="kommune")
    run.save()
    assert store.changes(after=len(feed))[0].position == len(feed) + 1
    store.close()
