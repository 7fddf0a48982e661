"""The PostgreSQL store's schema, its versions and the migrations between them.

Everything lives in the database schema ``sozialraum`` (so the store can share a
database with an application's own tables). The applied versions are rows of
``sozialraum.migrations`` (version, description, when, by which library
version); the schema's version is the highest. A step is a list of SQL
statements moving version ``n`` to ``n + 1``; :func:`upgrade` applies the missing
steps in one transaction under an advisory lock, so two upgrades cannot
interleave and a database is never left half-migrated. Never change a released
step; add a new one.

A running store never migrates: :class:`~.postgres.PostgresStore` refuses a schema
older than :data:`SCHEMA_VERSION` (``StoreUpgradeNeeded``: run ``sozialraum store
upgrade``) or newer (``UnsupportedFormat``). Only an empty database (no schema
``sozialraum``) is set up when a store is opened with ``create=True``.

Version 1::

    runs         (run_id PK, workflow_id, workflow_version, content_hash, title,
                  phase, cycle, deadline date, version, created_at, updated_at
                  timestamptz, blockers, annual, status, process_format)
                                               one summary row per run; indexed for
                                               listing by phase, workflow, deadline;
                                               annual and status: JSON text
    events       (run_id, seq, id, event, event_hash, idempotency_key)
                  PK (run_id, seq): optimistic concurrency; id: an identity for
                  the change feed; event_hash and idempotency_key: NULL in
                  version 1, see version 2
    feed         (id, last)                    one row: the last position given out
    feed_pending (event_id PK)                 events written, not yet given a position
    feed_entries (position PK, event_id UNIQUE)
                                               the change feed (see ``.postgres``)
    definitions  (content_hash PK, workflow_id, workflow_version, definition)
    documents    (run_id, name PK, media_type, content bytea, updated_at)

Version 2 — the hash chain and idempotency keys (see :mod:`.chain`)::

    events.event_hash       the event's link in its run's chain: the SHA-256 of the
                            previous event's hash and the stored ``event`` text;
                            computed here for every stored event (in SQL: the
                            chain proves the log unchanged since this step)
    events.idempotency_key  the key of the command that stored the event (also in
                            the event's text, which the chain covers); filled here
                            from the stored texts
    runs.head               the last event's hash
    events_by_idempotency_key  no longer unique: every event of a command carries
                            the command's key (finds a command's events by key)

Version 3 — person directories and attachments::

    people       (run_id PK, data)             each run's person directory (names the
                                               events name only by pseudonymous ids)
    attachments  (sha256 PK, size, content)    files of file fields

Version 4 — narrow summary rows::

    runs         toast_tuple_target = 512: the status facts (JSON, a few kB) are
                 stored compressed out of the row, so listing reads narrow rows;
                 rows written before are rewritten once
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import frozen

from sozialraumprozess.errors import StoreUpgradeNeeded, UnsupportedFormat

__all__ = [
    "LOCK_KEY",
    "MIGRATIONS",
    "SCHEMA",
    "SCHEMA_VERSION",
    "Migration",
    "check_version",
    "schema_version",
    "upgrade",
]

#: The database schema that holds the store's tables.
SCHEMA = "sozialraum"
#: The advisory lock key of upgrades (any fixed number; "sozr" in ASCII).
LOCK_KEY = 0x736F7A72


@frozen
class Migration:
    """One released step: from the previous version to this one.

    Attributes:
        description: What it does (recorded in ``sozialraum.migrations``).
        statements: The SQL statements, run in order in one transaction.
    """

    description: str
    statements: tuple[str, ...]


_V1 = Migration(
    "runs, events, change feed (counter, pending, entries), definitions, documents",
    (
        "CREATE SCHEMA IF NOT EXISTS sozialraum",
        """CREATE TABLE sozialraum.migrations (
            version integer PRIMARY KEY,
            description text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            library text NOT NULL
        )""",
        """CREATE TABLE sozialraum.runs (
            run_id text PRIMARY KEY,
            workflow_id text NOT NULL,
            workflow_version text NOT NULL,
            content_hash text NOT NULL,
            title text NOT NULL,
            phase text NOT NULL,
            cycle integer NOT NULL,
            deadline date,
            version integer NOT NULL CHECK (version >= 1),
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            blockers integer,
            annual text,
            status text,
            process_format text NOT NULL
        )""",
        "CREATE INDEX runs_by_phase ON sozialraum.runs (phase, run_id)",
        "CREATE INDEX runs_by_workflow ON sozialraum.runs (workflow_id, phase, run_id)",
        "CREATE INDEX runs_by_deadline ON sozialraum.runs (deadline) WHERE deadline IS NOT NULL",
        """CREATE TABLE sozialraum.events (
            run_id text NOT NULL,
            seq integer NOT NULL CHECK (seq >= 1),
            id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
            event text NOT NULL,
            event_hash text,
            idempotency_key text,
            PRIMARY KEY (run_id, seq)
        )""",
        "CREATE UNIQUE INDEX events_by_idempotency_key ON sozialraum.events "
        "(run_id, idempotency_key) WHERE idempotency_key IS NOT NULL",
        """CREATE TABLE sozialraum.feed (
            id boolean PRIMARY KEY DEFAULT true CHECK (id),
            last bigint NOT NULL
        )""",
        "INSERT INTO sozialraum.feed (id, last) VALUES (true, 0)",
        "CREATE TABLE sozialraum.feed_pending (event_id bigint PRIMARY KEY)",
        """CREATE TABLE sozialraum.feed_entries (
            position bigint PRIMARY KEY,
            event_id bigint NOT NULL UNIQUE
        )""",
        """CREATE TABLE sozialraum.definitions (
            content_hash text PRIMARY KEY,
            workflow_id text NOT NULL,
            workflow_version text NOT NULL,
            definition text NOT NULL
        )""",
        """CREATE TABLE sozialraum.documents (
            run_id text NOT NULL,
            name text NOT NULL,
            media_type text NOT NULL,
            content bytea NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (run_id, name)
        )""",
    ),
)

_V2 = Migration(
    "hash chain: events.event_hash computed for every stored event, runs.head; "
    "events.idempotency_key filled from the event texts, its index no longer unique",
    (
        "ALTER TABLE sozialraum.runs ADD COLUMN head text",
        # The key of an event's JSON text; NULL for a text that is not JSON (a damaged
        # event is named when it is read, not here). Only for this transaction.
        """CREATE FUNCTION pg_temp.key_of(event text) RETURNS text LANGUAGE plpgsql AS $$
        BEGIN
            RETURN event::jsonb ->> 'key';
        EXCEPTION WHEN others THEN
            RETURN NULL;
        END $$""",
        # Each run's chain, seq by seq, from the stored texts as they are (the same
        # bytes chain.link hashes: the previous hash's ASCII, then the text's UTF-8).
        """WITH RECURSIVE chain (run_id, seq, hash) AS (
            SELECT run_id, seq, encode(sha256(convert_to(repeat('0', 64) || event, 'UTF8')),
                'hex')
            FROM sozialraum.events WHERE seq = 1
            UNION ALL
            SELECT e.run_id, e.seq, encode(sha256(convert_to(c.hash || e.event, 'UTF8')), 'hex')
            FROM chain c JOIN sozialraum.events e ON e.run_id = c.run_id AND e.seq = c.seq + 1
        )
        UPDATE sozialraum.events e SET event_hash = c.hash,
            idempotency_key = CASE WHEN strpos(e.event, '"key":') > 0
                THEN pg_temp.key_of(e.event) END
        FROM chain c WHERE e.run_id = c.run_id AND e.seq = c.seq""",
        """UPDATE sozialraum.runs r SET head = e.event_hash FROM sozialraum.events e
        WHERE e.run_id = r.run_id AND e.seq = r.version""",
        "DROP INDEX sozialraum.events_by_idempotency_key",
        "CREATE INDEX events_by_idempotency_key ON sozialraum.events "
        "(run_id, idempotency_key) WHERE idempotency_key IS NOT NULL",
    ),
)

#: The released steps: version → the step that makes it (from version - 1).
_V3 = Migration(
    "people (each run's person directory: names and contact data the events name only "
    "by pseudonymous ids; erasable) and attachments (files of file fields, by sha256)",
    (
        """CREATE TABLE sozialraum.people (
            run_id text PRIMARY KEY,
            data text NOT NULL
        )""",
        """CREATE TABLE sozialraum.attachments (
            sha256 text PRIMARY KEY,
            size integer NOT NULL,
            content bytea NOT NULL
        )""",
    ),
)

_V4 = Migration(
    "runs.status kept out of the row (toast_tuple_target 512): listing reads narrow rows",
    (
        # The status facts (a few kB of JSON per run) are compressed and stored in the
        # table's TOAST relation once a row exceeds 512 bytes, not inline: the rows
        # listing and the portfolio read stay about 300 bytes wide (a phase of 15,000
        # runs: a fifth of the pages; benchmarks/postgres_bench.py).
        "ALTER TABLE sozialraum.runs SET (toast_tuple_target = 512)",
        # Rows written before: a new value (the same text) is placed anew by the
        # toaster; an unchanged one would keep its inline place.
        "UPDATE sozialraum.runs SET status = status || '' WHERE status IS NOT NULL",
    ),
)

MIGRATIONS: Mapping[int, Migration] = {1: _V1, 2: _V2, 3: _V3, 4: _V4}
#: The schema version this library reads and writes.
SCHEMA_VERSION = max(MIGRATIONS)


def schema_version(conn: Any) -> int | None:
    """The store's schema version; ``None`` if the database has no store (no schema
    ``sozialraum``), 0 if it has the schema but no recorded migration."""
    row = conn.execute(
        "SELECT to_regclass('sozialraum.migrations') IS NOT NULL, "
        "EXISTS (SELECT FROM pg_namespace WHERE nspname = 'sozialraum')"
    ).fetchone()
    has_table, has_schema = row
    if not has_table:
        return 0 if has_schema else None
    found = conn.execute("SELECT max(version) FROM sozialraum.migrations").fetchone()[0]
    return int(found or 0)


def check_version(found: int, location: str, target: int = SCHEMA_VERSION) -> None:
    """Refuse a schema this library cannot use as it is.

    Raises:
        StoreUpgradeNeeded: ``found`` is older than ``target``.
        UnsupportedFormat: ``found`` is newer than ``target``.
    """
    if found < target:
        raise StoreUpgradeNeeded(location, found, target)
    if found > target:
        raise UnsupportedFormat(location, f"schema {found}", f"schema {target}")


def upgrade(
    conn: Any, location: str, *, migrations: Mapping[int, Migration] = MIGRATIONS
) -> tuple[int, int]:
    """Apply the missing steps in one transaction; returns (version before, after).

    ``conn`` is a psycopg connection outside a transaction. An empty database gets
    the whole schema; a schema newer than ``migrations`` knows is refused.

    Raises:
        UnsupportedFormat: The schema is newer than this library's.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        library = version("sozialraumprozess")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        library = "unknown"
    target = max(migrations)
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        before = schema_version(conn) or 0
        if before > target:
            raise UnsupportedFormat(location, f"schema {before}", f"schema {target}")
        for step in range(before + 1, target + 1):
            migration = migrations[step]
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO sozialraum.migrations (version, description, library) "
                "VALUES (%s, %s, %s)",
                (step, migration.description, library),
            )
    return before, target
