"""SQLite schema versions and the migrations between them.

The schema version lives in the one-row table ``schema_version``. A migration
is a function taking a connection inside a transaction and moving the schema
from version ``n`` to ``n + 1``; :func:`migrate` runs the missing steps in one
``BEGIN IMMEDIATE`` transaction, so a database is never left half-migrated.
Version 0 is an empty database. Never change a released step; add a new one.

Versions: 1 — ``schema_version``, ``runs``, ``events`` and their indexes;
2 — ``definitions`` (copies of the workflow definitions runs are pinned to);
3 — the change feed: ``events.position`` (unique; existing events numbered by
time, run and seq) and the one-row counter ``feed`` (the last position given out,
never lowered, so positions of deleted runs are not used again).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping

from sozialraumprozess.errors import NotAStore, UnsupportedFormat
from sozialraumprozess.i18n import msg
from sozialraumprozess.storage.formats import SQLITE_SCHEMA_VERSION

__all__ = ["MIGRATIONS", "Migration", "migrate", "schema_version"]

#: One step: from the key's version to the next.
Migration = Callable[[sqlite3.Connection], None]


def _v0_to_v1(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.execute("INSERT INTO schema_version (version) VALUES (0)")
    conn.execute(
        """CREATE TABLE runs (
            run_id TEXT PRIMARY KEY,
            workflow_id TEXT NOT NULL,
            workflow_version TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            title TEXT NOT NULL,
            phase TEXT NOT NULL,
            cycle INTEGER NOT NULL,
            deadline TEXT,
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            process_format TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    conn.execute(
        """CREATE TABLE events (
            run_id TEXT NOT NULL,
            seq INTEGER NOT NULL CHECK (seq >= 1),
            event TEXT NOT NULL,
            PRIMARY KEY (run_id, seq)
        ) WITHOUT ROWID"""
    )
    conn.execute("CREATE INDEX runs_by_workflow ON runs (workflow_id, phase)")
    conn.execute("CREATE INDEX runs_by_phase ON runs (phase)")
    conn.execute("CREATE INDEX runs_by_deadline ON runs (deadline)")


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    # Copies of the workflow definitions runs are pinned to, keyed by content hash;
    # ``definition`` is the JSON of ``Workflow.to_dict()``. A v1 database
    # gets an empty table: its runs load through the resolver until a copy is put.
    conn.execute(
        """CREATE TABLE definitions (
            content_hash TEXT PRIMARY KEY,
            workflow_id TEXT NOT NULL,
            workflow_version TEXT NOT NULL,
            definition TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    conn.execute("CREATE INDEX definitions_by_workflow ON definitions (workflow_id)")


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    # The change feed (see storage/feed.py): a position per event in commit order.
    conn.execute("ALTER TABLE events ADD COLUMN position INTEGER")
    conn.execute(
        """UPDATE events SET position = numbered.n FROM (
            SELECT run_id, seq, row_number() OVER (
                ORDER BY json_extract(event, '$.time'), run_id, seq) AS n
            FROM events) AS numbered
        WHERE events.run_id = numbered.run_id AND events.seq = numbered.seq"""
    )
    conn.execute("CREATE UNIQUE INDEX events_by_position ON events (position)")
    conn.execute("CREATE TABLE feed (id INTEGER PRIMARY KEY CHECK (id = 1), last INTEGER NOT NULL)")
    conn.execute("INSERT INTO feed (id, last) SELECT 1, coalesce(max(position), 0) FROM events")


#: The released steps: version → migration to version + 1.
MIGRATIONS: dict[int, Migration] = {0: _v0_to_v1, 1: _v1_to_v2, 2: _v2_to_v3}


def schema_version(conn: sqlite3.Connection, path: str) -> int:
    """The schema version of the database (0 if it is empty).

    Raises:
        NotAStore: The database has tables but is not a sozialraumprozess store.
    """
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return 0
    if "schema_version" not in tables:
        raise NotAStore(
            path,
            msg("store.no-schema-table"),
        )
    rows = conn.execute("SELECT version FROM schema_version").fetchall()
    if len(rows) != 1 or not isinstance(rows[0][0], int):
        raise NotAStore(
            path,
            msg("store.schema-not-one-number"),
        )
    version: int = rows[0][0]
    return version


def migrate(
    conn: sqlite3.Connection,
    path: str,
    *,
    steps: Mapping[int, Migration] = MIGRATIONS,
    target: int = SQLITE_SCHEMA_VERSION,
) -> int:
    """Bring the database to schema ``target``; returns the version it had before.

    Args:
        conn: A connection in autocommit mode (``isolation_level=None``).
        path: The database file, for messages.
        steps: The migrations to use (tests pass their own).
        target: The version this library reads.

    Raises:
        UnsupportedFormat: The database is newer than ``target``.
        NotAStore: The database is not a store.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        before = schema_version(conn, path)
        if before > target:
            raise UnsupportedFormat(path, f"schema {before}", f"schema {target}")
        for version in range(before, target):
            steps[version](conn)
            conn.execute("UPDATE schema_version SET version = ?", (version + 1,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return before
