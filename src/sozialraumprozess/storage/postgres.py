"""The PostgreSQL store: runs on a database server, shared by several application servers.

Open it by URL (``postgresql://user:password@host:5432/database``): through
:func:`sozialraumprozess.app.open_store`, ``Service.open``, the CLI's ``--store`` or
``SOZIALRAUM_STORE``. It needs the ``postgres`` extra (``pip install
'sozialraumprozess[postgres]'``: psycopg 3 and psycopg_pool).

The tables are described in :mod:`.postgres_schema`. What makes it safe with many
writers:

* **Optimistic concurrency.** An append is one statement: it updates the run's
  summary row only ``WHERE version = expected`` and inserts the events under the
  primary key ``(run_id, seq)``; a stale writer updates no row and gets
  :class:`~sozialraumprozess.errors.ConflictError`, and the key would refuse a
  duplicate seq even if it did not. The statement is a transaction of its own
  (``BEGIN``, the statement, ``COMMIT``, pipelined with the followers' wake-up:
  one round trip to the server), durable when it returns (``synchronous_commit``
  as the server says; ``on`` by default). A command naming a new person writes
  the run's person directory in the same statement, only over the directory it
  read (else: a conflict, nothing written).
* **The hash chain** (:mod:`.chain`). Each event row keeps ``event_hash``: the hash
  of the previous event's hash and the row's ``event`` text; ``runs.head`` keeps
  the last. A new run's events are hashed here; an append's by the server, in the
  append's statement, after the head of the row it locks (the same bytes as
  :func:`.chain.link`: one round trip, as before the chain; reading the head
  first cost 1.3x the append without chain, this 1.1x: ``benchmarks/postgres_bench.py
  --against``). A run whose head is not its last event's hash is refused as
  damage and gets nothing appended. Every read recomputes the chain from the texts and
  names the first bad event by run and seq; :meth:`PostgresStore.verify` does it on
  purpose. The idempotency key of an event is in its text (chained) and in
  ``events.idempotency_key``, which must agree.
* **The change feed.** The same statement notes each new event in
  ``feed_pending``; after the commit, ``NOTIFY sozialraum_feed`` wakes followers
  (:meth:`PostgresStore.wait_for_changes`). Writers take no
  store-wide lock, so writers of different runs commit side by side (and share
  the server's WAL flushes). Positions are given *after* commit, by whoever reads
  the feed: one short transaction holds the ``feed`` counter row, moves the
  pending events it sees (committed ones only) into ``feed_entries`` with the next
  positions, in the order they were written, and commits. Readers see positions
  only once that transaction has committed, and the counter row's lock makes
  these transactions commit in position order: a reader never sees a later
  position before an earlier one (see :meth:`PostgresStore.changes`). A
  follower's role needs write access to ``feed``, ``feed_pending`` and
  ``feed_entries``.
* **A broken connection during a write** (the server restarted, the backend was
  terminated, the network dropped): the store asks the server on a fresh
  connection whether the events are stored. Stored: the write returns as if
  nothing had happened. Not stored: :class:`~sozialraumprozess.errors.StoreUnavailable`
  with ``committed=False``. The server cannot be asked:
  ``StoreUnavailable`` with ``committed=None``.
* **Schema versions** are checked when the store is opened; it never migrates by
  itself (see :mod:`.postgres_schema` and ``sozialraum store upgrade``).

Connections come from a ``psycopg_pool.ConnectionPool``. One taken from the pool
whose socket has something to read (the server terminated it while it was idle)
is checked and replaced; a well one is used without a round trip. A store is
shared by the threads of a web application.
"""

from __future__ import annotations

import contextlib
import json
import select
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import (
    ConflictError,
    CorruptRunError,
    NotAStore,
    RunNotFound,
    StoreUnavailable,
)
from sozialraumprozess.i18n import Message, msg
from sozialraumprozess.runtime.clock import Clock, as_utc
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import ProcessEvent, WorkflowRef
from sozialraumprozess.runtime.serialize import PROCESS_FORMAT
from sozialraumprozess.storage.attachments import check_sha256, verified
from sozialraumprozess.storage.base import (
    WorkflowResolver,
    bundled_resolver,
    check_page,
    check_write,
    pin_of,
    resolve_pinned,
)
from sozialraumprozess.storage.chain import GENESIS, link
from sozialraumprozess.storage.codec import check_links, decode_lines, encode_events
from sozialraumprozess.storage.definitions import (
    StoredDefinition,
    describe_copy,
    encode_compact,
    hash_hex,
    load_copy,
    parse_copy,
)
from sozialraumprozess.storage.feed import DEFAULT_LIMIT, Change, changes_of, check_after
from sozialraumprozess.storage.formats import check_format
from sozialraumprozess.storage.ids import validate_run_id
from sozialraumprozess.storage.people import (
    People,
    decode_people,
    encode_people,
    pseudonymize,
    reidentify,
)
from sozialraumprozess.storage.postgres_schema import (
    MIGRATIONS,
    Migration,
    check_version,
    schema_version,
    upgrade,
)
from sozialraumprozess.storage.summary import LOG_FIELDS, RunSummary, is_status, summarize
from sozialraumprozess.storage.verification import Verification

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

__all__ = ["CHANNEL", "PostgresStore", "redact", "upgrade_store"]

T = TypeVar("T")

#: The LISTEN/NOTIFY channel of the change feed (the payload is the last position).
CHANNEL = "sozialraum_feed"

#: A summary row as listed: without the status facts (see :meth:`PostgresStore.list_runs`).
_COLUMNS = (
    "run_id, workflow_id, workflow_version, content_hash, title, phase, cycle, deadline, "
    "version, created_at, updated_at, blockers, annual, head"
)
# The statements are built from these constants only; every value is a parameter.
_SELECT_LISTED = f"SELECT {_COLUMNS} FROM sozialraum.runs"  # noqa: S608
_SELECT_SUMMARY = f"SELECT {_COLUMNS}, status FROM sozialraum.runs"  # noqa: S608

_READ = f"""
SELECT {_COLUMNS}, process_format, e.seqs, e.texts, e.hashes, e.keys,
    (SELECT data FROM sozialraum.people p WHERE p.run_id = r.run_id)
FROM sozialraum.runs r LEFT JOIN LATERAL (
    SELECT array_agg(seq ORDER BY seq) AS seqs, array_agg(event ORDER BY seq) AS texts,
        array_agg(event_hash ORDER BY seq) AS hashes,
        array_agg(idempotency_key ORDER BY seq) AS keys
    FROM sozialraum.events WHERE run_id = r.run_id
) e ON true
WHERE r.run_id = %s
"""  # noqa: S608

#: Before an append: the run's version and head, and the stored hash of its last event.
_HEAD = """
SELECT r.version, r.head, e.event_hash FROM sozialraum.runs r
LEFT JOIN sozialraum.events e ON e.run_id = r.run_id AND e.seq = r.version
WHERE r.run_id = %s
"""

#: An append in one statement. ``old``: the run's row at the expected version whose
#: head is its last event's hash (locked); ``chain``: the new events' links after that
#: head, hashed by the server exactly as :func:`.chain.link` does (the previous hash's
#: ASCII, then the text's UTF-8); ``people``: the run's new person directory, if the
#: events name a new person, written only over the text the writer read (``NULL``:
#: none was stored); no row in ``old`` (another version, a broken head) or in
#: ``people`` (the directory changed meanwhile): nothing is written. The comment
#: names the statement in ``pg_stat_activity``.
_APPEND = """/* sozialraum append */
WITH RECURSIVE old AS (
    SELECT r.run_id, r.head FROM sozialraum.runs r
    JOIN sozialraum.events l ON l.run_id = r.run_id AND l.seq = r.version
        AND l.event_hash = r.head
    WHERE r.run_id = %(run_id)s AND r.version = %(expected)s
    FOR UPDATE OF r
), input AS (
    SELECT * FROM unnest(%(seqs)b::integer[], %(events)b::text[], %(keys)b::text[])
        WITH ORDINALITY AS i(seq, event, key, n)
), chain (n, hash) AS (
    SELECT 0::bigint, head FROM old
    UNION ALL
    SELECT i.n, encode(sha256(convert_to(c.hash || i.event, 'UTF8')), 'hex')
    FROM chain c JOIN input i ON i.n = c.n + 1
), people AS (
    INSERT INTO sozialraum.people AS p (run_id, data)
    SELECT run_id, %(people)s::text FROM old WHERE %(people)s::text IS NOT NULL
    ON CONFLICT (run_id) DO UPDATE SET data = excluded.data
    WHERE p.data IS NOT DISTINCT FROM %(people_read)s::text
    RETURNING run_id
), updated AS (
    UPDATE sozialraum.runs SET workflow_id = %(workflow_id)s,
        workflow_version = %(workflow_version)s, content_hash = %(content_hash)s,
        title = %(title)s, phase = %(phase)s, cycle = %(cycle)s, deadline = %(deadline)s,
        version = %(version)s, created_at = %(created_at)s, updated_at = %(updated_at)s,
        blockers = %(blockers)s, annual = %(annual)s, status = %(status)s,
        head = (SELECT hash FROM chain WHERE n = %(count)s)
    WHERE run_id = (SELECT run_id FROM old) AND version = %(expected)s
        AND (%(people)s::text IS NULL OR EXISTS (SELECT FROM people))
    RETURNING run_id
), inserted AS (
    INSERT INTO sozialraum.events (run_id, seq, event, event_hash, idempotency_key)
    SELECT u.run_id, i.seq, i.event, c.hash, i.key
    FROM updated u, input i JOIN chain c ON c.n = i.n
    RETURNING id
), pending AS (
    INSERT INTO sozialraum.feed_pending (event_id) SELECT id FROM inserted RETURNING event_id
)
SELECT count(*) FROM pending HAVING count(*) > 0
"""

_CREATE = f"""
WITH created AS (
    INSERT INTO sozialraum.runs ({_COLUMNS}, status, process_format)
    VALUES (%(run_id)s, %(workflow_id)s, %(workflow_version)s, %(content_hash)s, %(title)s,
        %(phase)s, %(cycle)s, %(deadline)s, %(version)s, %(created_at)s, %(updated_at)s,
        %(blockers)s, %(annual)s, %(head)s, %(status)s, %(process_format)s)
    ON CONFLICT (run_id) DO NOTHING
    RETURNING run_id
), inserted AS (
    INSERT INTO sozialraum.events (run_id, seq, event, event_hash, idempotency_key)
    SELECT u.run_id, e.seq, e.event, e.hash, e.key
    FROM created u, unnest(%(seqs)b::integer[], %(events)b::text[], %(hashes)b::text[],
        %(keys)b::text[]) AS e(seq, event, hash, key)
    RETURNING id
), pending AS (
    INSERT INTO sozialraum.feed_pending (event_id) SELECT id FROM inserted RETURNING event_id
)
SELECT count(*) FROM pending HAVING count(*) > 0
"""  # noqa: S608

#: Wakes followers once a write has committed: a transaction of its own that waits for
#: no WAL flush (a lost wake-up costs a follower one poll interval). Not in the write's
#: own transaction: a transaction that notifies holds a database-wide lock until its
#: commit is flushed, which made writers of different runs commit one after another
#: (8 writers: 1.9x one writer; benchmarks/postgres_bench.py).
_WAKE = "SELECT set_config('synchronous_commit', 'off', true), pg_notify(%s, '')"

_INSERT_DEFINITION = (
    "INSERT INTO sozialraum.definitions (content_hash, workflow_id, workflow_version, definition) "
    "VALUES (%s, %s, %s, %s) ON CONFLICT (content_hash) DO NOTHING"
)


def redact(url: str) -> str:
    """``url`` without its password (for messages and :attr:`PostgresStore.location`)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    netloc = (parts.username or "") + "@" + host + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _connect_problem(error: Exception) -> Message:
    """Why a connection failed, as a message: credentials, database, or unreachable."""
    text = str(error)
    state = getattr(error, "sqlstate", None)
    if (
        state in ("28P01", "28000")
        or "password authentication failed" in text
        or ("no password supplied" in text)
    ):
        return msg("pg.wrong-credentials")
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return msg("pg.no-database")
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return msg("pg.unreachable", error=first)


def _import_psycopg(location: str) -> Any:
    try:
        import psycopg
        import psycopg_pool
    except ImportError as exc:
        raise StoreUnavailable(location, msg("pg.no-driver")) from exc
    return psycopg, psycopg_pool


def _utc_session(conn: psycopg.Connection[Any]) -> None:
    """Times come back in UTC (``datetime.UTC``): listing need not convert them."""
    conn.execute("SET TimeZone TO 'UTC'")


def _check_idle(conn: psycopg.Connection[Any]) -> None:
    """Check a connection taken from the pool without a round trip when it looks well.

    An idle connection has nothing to read: if its socket is readable, the server
    has sent something (the notice that it terminated the session, or closed it),
    and the connection is checked by a query (``check_connection``), which the pool
    answers with a new connection if it fails. Checking every connection by a query
    cost each command a round trip (``benchmarks/postgres_bench.py``).
    """
    from psycopg_pool import ConnectionPool

    if not conn.closed and not select.select([conn.fileno()], [], [], 0)[0]:
        return
    ConnectionPool.check_connection(conn)


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _params(summary: RunSummary) -> dict[str, Any]:
    details = summary.has_details
    return {
        "run_id": summary.run_id,
        "workflow_id": summary.workflow.id,
        "workflow_version": summary.workflow.version,
        "content_hash": summary.workflow.content_hash,
        "title": summary.title,
        "phase": summary.phase,
        "cycle": summary.cycle,
        "deadline": summary.deadline,
        "version": summary.version,
        "created_at": summary.created_at,
        "updated_at": summary.updated_at,
        "blockers": summary.blockers if details else None,
        "annual": _json([dict(row) for row in summary.annual or ()]) if details else None,
        "status": _json(summary.status),
    }


#: WorkflowRef objects by (id, version, hash): thousands of listed runs share a few.
_REFS: dict[tuple[str, str, str], WorkflowRef] = {}


def _summary(row: Sequence[Any], status_text: str | None = None) -> RunSummary:
    """The summary of a row of :data:`_COLUMNS` (and the status facts' JSON, if read).

    Built directly, positionally, rather than through ``RunSummary.from_dict``
    (listing thousands of runs: ``benchmarks/postgres_bench.py``); psycopg has
    parsed dates and times.
    """
    (run_id, wid, wversion, content_hash, title, phase, cycle, deadline, version) = row[:9]
    created_at, updated_at, blockers, annual_text, head = row[9:14]
    key = (wid, wversion, content_hash)
    ref = _REFS.get(key)
    if ref is None:
        ref = _REFS.setdefault(key, WorkflowRef(*key))
    annual: tuple[dict[str, Any], ...] | None = None
    if blockers is not None and annual_text is not None:
        rows = () if annual_text == "[]" else json.loads(annual_text)  # most runs: none
        annual = tuple(rows) if isinstance(rows, list | tuple) else None
    status = None if status_text is None else json.loads(status_text)
    return RunSummary(
        run_id,
        ref,
        title,
        phase,
        cycle,
        deadline,
        version,
        # The pool's sessions run in UTC (see _utc_session): no conversion needed.
        created_at if created_at.tzinfo is UTC else as_utc(created_at),
        updated_at if updated_at.tzinfo is UTC else as_utc(updated_at),
        blockers if annual is not None else None,
        annual,
        status if is_status(status, version) else None,
        head,
    )


_RUN_EXISTS = "SELECT 1 FROM sozialraum.runs WHERE run_id = %s"
#: The run's person directory (a row with NULL: the run has none; no row: no run).
_GET_PEOPLE = (
    "SELECT p.data FROM sozialraum.runs r LEFT JOIN sozialraum.people p "
    "ON p.run_id = r.run_id WHERE r.run_id = %s"
)
_LOCK_PEOPLE = "SELECT data FROM sozialraum.people WHERE run_id = %s FOR UPDATE"
_PUT_PEOPLE = (
    "INSERT INTO sozialraum.people (run_id, data) VALUES (%s, %s) "
    "ON CONFLICT (run_id) DO UPDATE SET data = excluded.data"
)


def _names_people(events: Sequence[ProcessEvent]) -> bool:
    """Whether ``events`` name participants (only those need the person directory)."""
    return any(e.actor.participant is not None or e.type == "participant_set" for e in events)


class PostgresStore:
    """Runs in a PostgreSQL database (see the module docs).

    Args:
        url: ``postgresql://user:password@host:port/database`` (any libpq URL).
        create: Set up the store's schema in a database that has none yet (an
            empty database becomes a new store). A database with an older schema
            is never changed: see :func:`upgrade_store`.
        resolver: Finds the workflow of a run when :meth:`load` is given none.
        pool_size: The most connections the store opens at once.
        connect_timeout: Seconds to wait for the server when connecting.
        migrations: The schema steps this library knows (tests pass their own).

    Raises:
        StoreUnavailable: The server does not answer, refuses the credentials, or
            has no such database; psycopg is not installed. Nothing is written.
        NotAStore: The database has no store (and ``create`` is false).
        StoreUpgradeNeeded: The store's schema is older than this library's.
        UnsupportedFormat: The store's schema is newer than this library's.
    """

    def __init__(
        self,
        url: str,
        *,
        create: bool = False,
        resolver: WorkflowResolver = bundled_resolver,
        pool_size: int = 10,
        connect_timeout: float = 10.0,
        migrations: Mapping[int, Migration] = MIGRATIONS,
    ) -> None:
        self.url = url
        self.resolver = resolver
        self._location = redact(url)
        self._psycopg, pool_module = _import_psycopg(self._location)
        self._timeout = connect_timeout
        self._listener: psycopg.Connection[Any] | None = None
        self._listen_guard = threading.Lock()
        with self._direct() as conn:
            found = schema_version(conn)
            if found is None:
                if not create:
                    raise NotAStore(self._location, msg("pg.no-store"))
                upgrade(conn, self._location, migrations=migrations)
                found = max(migrations)
            check_version(found, self._location, max(migrations))
        self._pool: ConnectionPool[Any] = pool_module.ConnectionPool(
            url,
            min_size=1,
            max_size=max(1, pool_size),
            kwargs={"autocommit": True, "connect_timeout": max(1, round(connect_timeout))},
            check=_check_idle,
            configure=_utc_session,
            open=False,
            name="sozialraum",
        )
        try:
            self._pool.open(wait=True, timeout=connect_timeout)
        except Exception as exc:  # the server went away between the two connections
            self._pool.close()
            raise StoreUnavailable(self._location, _connect_problem(exc)) from exc

    # ------------------------------------------------------------------ connections

    @contextmanager
    def _direct(self) -> Iterator[psycopg.Connection[Any]]:
        """One connection outside the pool (opening, upgrading, listening)."""
        try:
            conn = self._psycopg.connect(
                self.url, autocommit=True, connect_timeout=max(1, round(self._timeout))
            )
        except self._psycopg.Error as exc:
            raise StoreUnavailable(self._location, _connect_problem(exc)) from None
        try:
            yield conn
        finally:
            conn.close()

    def _run(self, work: Callable[[psycopg.Connection[Any]], T]) -> T:
        """``work`` on a pooled connection; a broken connection is StoreUnavailable."""
        try:
            with self._pool.connection(timeout=self._timeout) as conn:
                return work(conn)
        except self._psycopg.OperationalError as exc:
            raise StoreUnavailable(self._location, _connect_problem(exc)) from None
        except self._psycopg.errors.UndefinedTable as exc:  # the schema was dropped
            raise NotAStore(self._location, msg("pg.no-store")) from exc
        except Exception as exc:
            if type(exc).__name__ == "PoolTimeout":
                raise StoreUnavailable(self._location, msg("pg.pool-timeout")) from None
            raise

    def _write(
        self,
        run_id: str,
        events: Sequence[ProcessEvent],
        texts: Sequence[str],
        work: Callable[[psycopg.Connection[Any]], T],
        if_stored: T,
    ) -> T:
        """Run a write; if its connection breaks, find out whether it was stored
        (``if_stored`` is returned then; see the module docs)."""
        try:
            with self._pool.connection(timeout=self._timeout) as conn:
                return work(conn)
        except self._psycopg.OperationalError:
            pass
        except Exception as exc:
            if type(exc).__name__ == "PoolTimeout":
                raise StoreUnavailable(self._location, msg("pg.pool-timeout")) from None
            raise
        stored = self._stored(run_id, events, texts)
        if stored:
            return if_stored
        reason = msg("pg.write-not-stored") if stored is False else msg("pg.write-unknown")
        raise StoreUnavailable(self._location, reason, committed=stored)

    def _stored(
        self, run_id: str, events: Sequence[ProcessEvent], texts: Sequence[str]
    ) -> bool | None:
        """Are exactly these events stored? ``None`` if the server cannot be asked."""
        try:
            with self._direct() as conn:
                rows = conn.execute(
                    "SELECT seq, event FROM sozialraum.events "
                    "WHERE run_id = %s AND seq = ANY(%s) ORDER BY seq",
                    (run_id, [e.seq for e in events]),
                ).fetchall()
        except (StoreUnavailable, self._psycopg.Error):
            return None
        return [text for _, text in rows] == list(texts)

    @property
    def location(self) -> str:
        """The store's URL without the password."""
        return self._location

    def close(self) -> None:
        """Close the pool and the listening connection; the store is unusable afterwards."""
        self._pool.close()
        with self._listen_guard:
            if self._listener is not None:
                self._listener.close()
                self._listener = None

    # ------------------------------------------------------------------ writing

    @staticmethod
    def _texts(events: Sequence[ProcessEvent]) -> list[str]:
        return encode_events(events).decode("utf-8").splitlines()

    @staticmethod
    def _chained(events: Sequence[ProcessEvent], texts: Sequence[str], prev: str) -> dict[str, Any]:
        """The parameters of the events' rows chained after ``prev`` (see :mod:`.chain`:
        each hash from the stored text), their keys, and the new head."""
        hashes = []
        for text in texts:
            prev = link(prev, text.encode("utf-8"))
            hashes.append(prev)
        return {
            "count": len(events),
            "seqs": [e.seq for e in events],
            "events": texts,
            "hashes": hashes,
            "keys": [e.key for e in events],
            "head": prev,
        }

    def create(
        self,
        run_id: str,
        events: Sequence[ProcessEvent],
        summary: RunSummary,
        *,
        workflow: Workflow | None = None,
    ) -> int:
        """Store a new run, its events and the copy of ``workflow`` in one transaction
        (see :meth:`RunStore.create`)."""
        check_write(run_id, events, summary, expected_version=0, workflow=workflow)
        stored, people = pseudonymize(events, People())  # names stay out of the log
        texts = self._texts(stored)
        params = {
            **_params(summary),
            **self._chained(stored, texts, GENESIS),
            "process_format": PROCESS_FORMAT,
        }

        def work(conn: psycopg.Connection[Any]) -> int:
            with conn.transaction():
                if workflow is not None:
                    conn.execute(_INSERT_DEFINITION, self._definition_row(workflow))
                if conn.execute(_CREATE, params).fetchone() is None:
                    row = conn.execute(
                        "SELECT version FROM sozialraum.runs WHERE run_id = %s", (run_id,)
                    ).fetchone()
                    raise ConflictError(run_id, 0, -1 if row is None else row[0])
                if people.persons:
                    conn.execute(_PUT_PEOPLE, (run_id, encode_people(people).decode("utf-8")))
            with contextlib.suppress(self._psycopg.Error):  # stored: only a wake-up lost
                conn.execute(_WAKE, (CHANNEL,))
            return len(events)

        return self._write(run_id, stored, texts, work, len(events))

    def append(
        self,
        run_id: str,
        events: Sequence[ProcessEvent],
        *,
        expected_version: int,
        summary: RunSummary,
    ) -> int:
        """Append in one statement (see :meth:`RunStore.append` and the module docs)."""
        check_write(run_id, events, summary, expected_version=expected_version)
        changed: str | None = None  # the new directory's text, if the events name a new person
        read: str | None = None  # the directory's text as read (None: none stored)
        if _names_people(events):
            known, read = self._people_text(run_id)
            stored, people = pseudonymize(events, known)
            if people != known:
                changed = encode_people(people).decode("utf-8")
        else:
            stored = list(events)
        texts = self._texts(stored)

        params = {
            **_params(summary),
            "expected": expected_version,
            "count": len(events),
            "seqs": [e.seq for e in events],
            "events": texts,
            "keys": [e.key for e in events],
            "people": changed,
            "people_read": read,
        }

        def work(conn: psycopg.Connection[Any]) -> int:
            try:
                # The write (the directory, if changed, in the same statement: only over
                # the text read, else nothing is written and the command is retried),
                # then the wake-up of followers, sent together: one round trip. The
                # write is a transaction block of its own, committed durably before the
                # wake-up's transaction begins: statements in one pipeline share one
                # transaction up to its end, and the wake-up's ``synchronous_commit
                # = off`` would otherwise make the write's commit skip the WAL flush.
                with conn.pipeline():
                    conn.execute("BEGIN")
                    written = conn.execute(_APPEND, params)
                    conn.execute("COMMIT")
                    conn.execute(_WAKE, (CHANNEL,))
                done = written.fetchone()
            except self._psycopg.errors.UniqueViolation:  # cannot happen after the check
                conn.rollback()  # the failed block (the pool would, with a warning)
                raise ConflictError(run_id, expected_version, -1) from None
            if done is None:  # why not: no run, another version, a broken head
                self._head_of(conn, run_id, expected_version)
                # ... or the person directory changed since it was read
                raise ConflictError(run_id, expected_version, -1)
            return summary.version

        return self._write(run_id, stored, texts, work, summary.version)

    def _head_of(self, conn: psycopg.Connection[Any], run_id: str, expected_version: int) -> str:
        """The run's head, if it is at ``expected_version`` and its head is its last
        event's hash.

        Raises:
            RunNotFound: No such run.
            ConflictError: The run is at another version.
            CorruptRunError: The stored head is not the last event's hash.
        """
        row = conn.execute(_HEAD, (run_id,)).fetchone()
        if row is None:
            raise RunNotFound(run_id, self.location)
        version, head, last = row
        if version != expected_version:
            raise ConflictError(run_id, expected_version, version)
        if head is None or head != last:
            raise CorruptRunError(
                f"{self.location} [run {run_id!r}, event]",
                version,
                msg("chain.head-differs", seq=version),
            )
        return str(head)

    def delete(self, run_id: str) -> None:
        """Delete the run's summary, events and documents in one transaction."""
        validate_run_id(run_id)

        def work(conn: psycopg.Connection[Any]) -> None:
            with conn.transaction():
                gone = conn.execute(
                    "DELETE FROM sozialraum.runs WHERE run_id = %s", (run_id,)
                ).rowcount
                if not gone:
                    raise RunNotFound(run_id, self.location)
                conn.execute(
                    "WITH gone AS (DELETE FROM sozialraum.events WHERE run_id = %s RETURNING id), "
                    "unlisted AS (DELETE FROM sozialraum.feed_entries "
                    "WHERE event_id IN (SELECT id FROM gone)) "
                    "DELETE FROM sozialraum.feed_pending WHERE event_id IN (SELECT id FROM gone)",
                    (run_id,),
                )
                conn.execute("DELETE FROM sozialraum.documents WHERE run_id = %s", (run_id,))

        self._run(work)

    # ------------------------------------------------------------------ definitions

    @staticmethod
    def _definition_row(workflow: Workflow) -> tuple[str, str, str, str]:
        return (workflow.content_hash, workflow.id, workflow.version, encode_compact(workflow))

    def _definition_where(self, content_hash: str) -> str:
        return f"{self.location} [definitions, content_hash {content_hash!r}]"

    def put_definition(self, workflow: Workflow) -> str:
        """Keep a copy in table ``definitions`` (see :meth:`RunStore.put_definition`)."""
        row = self._definition_row(workflow)
        self._run(lambda conn: conn.execute(_INSERT_DEFINITION, row))
        return workflow.content_hash

    def get_definition(self, content_hash: str) -> Workflow | None:
        """The verified copy from ``definitions`` (see :meth:`RunStore.get_definition`)."""
        hash_hex(content_hash)
        row = self._run(
            lambda conn: conn.execute(
                "SELECT content_hash, workflow_id, workflow_version, definition "
                "FROM sozialraum.definitions WHERE content_hash = %s",
                (content_hash,),
            ).fetchone()
        )
        if row is None:
            return None
        where = self._definition_where(content_hash)
        workflow = load_copy(row[3], content_hash, where)
        self._check_columns(row, StoredDefinition(content_hash, workflow.id, workflow.version))
        return workflow

    def list_definitions(self) -> list[StoredDefinition]:
        """Every row of ``definitions``, verified (see :meth:`RunStore.list_definitions`)."""
        rows = self._run(
            lambda conn: conn.execute(
                "SELECT content_hash, workflow_id, workflow_version, definition "
                "FROM sozialraum.definitions"
            ).fetchall()
        )
        found = []
        for row in rows:
            where = self._definition_where(str(row[0]))
            data = parse_copy(row[3], str(row[0]), where)
            found.append(self._check_columns(row, describe_copy(data, str(row[0]), where)))
        return sorted(found, key=lambda d: (d.id, d.version, d.content_hash))

    def _check_columns(self, row: Sequence[Any], copy: StoredDefinition) -> StoredDefinition:
        _, wid, version, _ = row
        if (copy.id, copy.version) != (wid, version):
            raise CorruptRunError(
                self._definition_where(copy.content_hash),
                None,
                msg(
                    "store.copy-columns",
                    id=repr(wid),
                    version=repr(version),
                    copy_id=repr(copy.id),
                    copy_version=repr(copy.version),
                ),
            )
        return copy

    # ------------------------------------------------------------------ reading

    def _read(self, run_id: str) -> tuple[RunSummary, tuple[ProcessEvent, ...]]:
        validate_run_id(run_id)
        # One statement, so summary and events come from one snapshot.
        row = self._run(lambda conn: conn.execute(_READ, (run_id,)).fetchone())
        if row is None:
            raise RunNotFound(run_id, self.location)
        seqs, texts, hashes, keys = (found or [] for found in row[15:19])
        where = f"{self.location} [run {run_id!r}, event]"
        check_format(row[14], PROCESS_FORMAT, f"{self.location} [run {run_id!r}]")
        for position, seq in enumerate(seqs, start=1):
            if seq != position:
                raise CorruptRunError(
                    where, position, msg("store.seq-gap", seq=seq, expected=position)
                )
        events = decode_lines(texts, where)
        head = check_links(texts, hashes, where)
        summary = _summary(row[:14])
        if events and head != summary.head:
            raise CorruptRunError(
                f"{self.location} [run {run_id!r}, runs]",
                None,
                msg("chain.head-differs", seq=len(events)),
            )
        for event, key in zip(events, keys, strict=True):
            if event.key != key:  # the column beside the chained text
                raise CorruptRunError(where, event.seq, msg("pg.key-differs", seq=event.seq))
        if summary.version != len(events):
            raise CorruptRunError(
                f"{self.location} [run {run_id!r}]",
                None,
                msg("store.summary-version", version=summary.version, count=len(events)),
            )
        directory = decode_people(row[19], f"{self.location} [people, {run_id!r}]")
        return summary, tuple(reidentify(events, directory))

    # ------------------------------------------------------------------ people, attachments

    def read_people(self, run_id: str) -> People:
        """The run's person directory (see :mod:`.people`); empty for older runs.

        Raises:
            RunNotFound: No such run.
            CorruptRunError: The row is damaged.
        """
        return self._people_text(run_id)[0]

    def _people_text(self, run_id: str) -> tuple[People, str | None]:
        """The run's person directory and its stored text (``None``: none stored), in
        one round trip."""
        validate_run_id(run_id)
        row = self._run(lambda conn: conn.execute(_GET_PEOPLE, (run_id,)).fetchone())
        if row is None:
            raise RunNotFound(run_id, self.location)
        text = row[0]
        return decode_people(text, f"{self.location} [people, {run_id!r}]"), text

    def update_people(
        self, run_id: str, change: Callable[[People], People], *, erase: bool = False
    ) -> People:
        """Replace the run's person directory with ``change(current)`` in one transaction.

        With ``erase``, the table is then rewritten (``VACUUM FULL``), so no dead row
        version keeps what was removed. The server's write-ahead log and backups
        keep it until they are recycled: see the security page.

        Raises:
            RunNotFound: No such run.
            CorruptRunError: The row is damaged.
        """
        validate_run_id(run_id)
        where = f"{self.location} [people, {run_id!r}]"

        def work(conn: psycopg.Connection[Any]) -> People:
            with conn.transaction():
                if conn.execute(_RUN_EXISTS, (run_id,)).fetchone() is None:
                    raise RunNotFound(run_id, self.location)
                row = conn.execute(_LOCK_PEOPLE, (run_id,)).fetchone()
                changed = change(decode_people(None if row is None else row[0], where))
                conn.execute(_PUT_PEOPLE, (run_id, encode_people(changed).decode("utf-8")))
                return changed

        changed = self._run(work)
        if erase:
            with self._direct() as conn:
                conn.execute("VACUUM FULL sozialraum.people")
        return changed

    def put_attachment(self, content: bytes, name: str) -> dict[str, Any]:
        """Keep a file in ``sozialraum.attachments`` once (see :mod:`.attachments`).

        Raises:
            AttachmentRefused: The file is empty, too large, of a type not allowed,
                or its content does not match its type.
        """
        from sozialraumprozess.definition.fields.file import check_file

        reference = check_file(content, name)
        self._run(
            lambda conn: conn.execute(
                "INSERT INTO sozialraum.attachments (sha256, size, content) "
                "VALUES (%s, %s, %s) ON CONFLICT (sha256) DO NOTHING",
                (reference["sha256"], len(content), content),
            )
        )
        return reference

    def get_attachment(self, sha256: str) -> bytes | None:
        """The verified bytes from ``sozialraum.attachments``, or ``None``.

        Raises:
            ValueError: ``sha256`` is not 64 hex digits.
            CorruptRunError: The row was changed.
        """
        check_sha256(sha256)
        row = self._run(
            lambda conn: conn.execute(
                "SELECT content FROM sozialraum.attachments WHERE sha256 = %s", (sha256,)
            ).fetchone()
        )
        if row is None:
            return None
        return verified(bytes(row[0]), sha256, f"{self.location}: attachments/{sha256}")

    def verify(self, run_id: str) -> Verification:
        """Recompute the run's chain from its stored texts and compare the head kept in
        ``runs`` (see :meth:`RunStore.verify`)."""
        summary, events = self._read(run_id)
        head = summary.head if events else GENESIS
        return Verification(run_id, len(events), head, f"{self.location} [run {run_id!r}]")

    def read_events(self, run_id: str) -> tuple[ProcessEvent, ...]:
        """Every event of the run, checked (see :meth:`RunStore.read_events`)."""
        return self._read(run_id)[1]

    def load(
        self, run_id: str, workflow: Workflow | None = None, *, clock: Clock | None = None
    ) -> Process:
        """Replay the run and check its summary row (see :meth:`RunStore.load`)."""
        stored, events = self._read(run_id)
        if workflow is None:
            workflow = resolve_pinned(self, pin_of(events, stored.workflow), self.resolver, run_id)
        process = Process.replay(workflow, events, clock=clock)
        actual = summarize(run_id, process, details=False)
        diff = [key for key in LOG_FIELDS if getattr(actual, key) != getattr(stored, key)]
        if diff:
            raise CorruptRunError(
                f"{self.location} [run {run_id!r}, runs]",
                None,
                msg("store.summary-disagrees", fields=", ".join(diff)),
            )
        return process

    def summary(self, run_id: str) -> RunSummary:
        """The stored summary row (see :meth:`RunStore.summary`)."""
        validate_run_id(run_id)
        row = self._run(
            lambda conn: conn.execute(_SELECT_SUMMARY + " WHERE run_id = %s", (run_id,)).fetchone()
        )
        if row is None:
            raise RunNotFound(run_id, self.location)
        return _summary(row[:14], row[14])

    def list_runs(
        self,
        *,
        workflow: str | None = None,
        phase: str | None = None,
        overdue_at: datetime | date | None = None,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[RunSummary]:
        """Matching summaries through the indexes, sorted by run id; a page (``after``,
        ``limit``) reads its own rows only (see :meth:`RunStore.list_runs`).

        Without the status facts (``status`` is ``None``): decoding them would cost
        listing thousands of runs more than the query; :meth:`summary` has them.
        """
        check_page(after, limit)
        where: list[str] = ["true"]
        args: list[object] = []
        if after is not None:
            where.append("run_id > %s")
            args.append(after)
        if workflow is not None:
            where.append("workflow_id = %s")
            args.append(workflow)
        if phase is not None:
            where.append("phase = %s")
            args.append(phase)
        if overdue_at is not None:
            day = as_utc(overdue_at).date() if isinstance(overdue_at, datetime) else overdue_at
            where.append("deadline < %s")
            args.append(day)
        query = _SELECT_LISTED + " WHERE " + " AND ".join(where) + " ORDER BY run_id"
        if limit is not None:
            query += " LIMIT %s"
            args.append(limit)
        # Binary results: psycopg reads the dates and times of thousands of rows
        # without parsing text (a tenth of the listing's client time).
        rows = self._run(lambda conn: conn.cursor(binary=True).execute(query, args).fetchall())
        return [_summary(row) for row in rows]

    # ------------------------------------------------------------------ the change feed

    def changes(self, after: int = 0, limit: int = DEFAULT_LIMIT) -> list[Change]:
        """The events after position ``after``, oldest first (see :mod:`.feed`).

        First gives positions to the events committed since the last reader did
        (:meth:`sequence`), then reads.
        """
        check_after(after, limit)

        def work(conn: psycopg.Connection[Any]) -> list[Any]:
            self._sequence(conn)
            return conn.execute(
                "SELECT f.position, e.run_id, e.seq, e.event FROM sozialraum.feed_entries f "
                "JOIN sozialraum.events e ON e.id = f.event_id "
                "WHERE f.position > %s ORDER BY f.position LIMIT %s",
                (after, limit),
            ).fetchall()

        return changes_of(self._run(work), self.location)

    def sequence(self) -> int:
        """Give feed positions to the events committed since the last call; returns the
        last position given (readers of the feed call this themselves)."""
        return self._run(self._sequence)

    @staticmethod
    def _sequence(conn: psycopg.Connection[Any]) -> int:
        pending = conn.execute("SELECT EXISTS (SELECT FROM sozialraum.feed_pending)").fetchone()
        if not (pending and pending[0]):
            row = conn.execute("SELECT last FROM sozialraum.feed").fetchone()
            return int(row[0]) if row else 0
        with conn.transaction():
            # The counter row's lock: one sequencing transaction at a time, committing
            # in position order. Each statement sees what was committed before it.
            (last,) = conn.execute(
                "SELECT last FROM sozialraum.feed WHERE id FOR UPDATE"
            ).fetchone()  # type: ignore[misc]
            done = conn.execute(
                """WITH moved AS (
                    DELETE FROM sozialraum.feed_pending RETURNING event_id
                ), entered AS (
                    INSERT INTO sozialraum.feed_entries (position, event_id)
                    SELECT %s + row_number() OVER (ORDER BY event_id), event_id FROM moved
                    RETURNING position
                )
                UPDATE sozialraum.feed SET last = coalesce((SELECT max(position) FROM entered),
                    last) WHERE id RETURNING last""",
                (last,),
            ).fetchone()
        return int(done[0]) if done else int(last)

    def wait_for_changes(self, after: int, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for an event after position ``after``.

        Uses ``LISTEN sozialraum_feed`` on a connection of its own (kept open for the
        next call), so a follower sleeps until a writer commits instead of polling.
        Returns true if there is such an event (possibly already before the call).
        """
        with self._listen_guard:
            try:
                if self._listener is None or self._listener.closed:
                    self._listener = self._psycopg.connect(
                        self.url, autocommit=True, connect_timeout=max(1, round(self._timeout))
                    )
                    self._listener.execute(f"LISTEN {CHANNEL}")
                listener = self._listener
                if self._sequence(listener) > after:
                    return True
                for _ in listener.notifies(timeout=timeout, stop_after=1):
                    pass
                return self._sequence(listener) > after
            except self._psycopg.OperationalError as exc:
                if self._listener is not None:
                    self._listener.close()
                    self._listener = None
                raise StoreUnavailable(self._location, _connect_problem(exc)) from None

    # ------------------------------------------------------------------ documents

    def put_document(
        self, run_id: str, name: str, content: bytes, media_type: str = "text/plain"
    ) -> None:
        """Keep a document of the run (replacing one of the same name).

        Raises:
            RunNotFound: No such run.
            ValueError: ``name`` is empty or longer than 255 characters.
        """
        validate_run_id(run_id)
        if not name or len(name) > 255 or "\x00" in name:
            raise ValueError(f"not a document name: {name!r}")

        def work(conn: psycopg.Connection[Any]) -> None:
            with conn.transaction():
                found = conn.execute(
                    "SELECT FROM sozialraum.runs WHERE run_id = %s FOR SHARE", (run_id,)
                ).fetchone()
                if found is None:
                    raise RunNotFound(run_id, self.location)
                conn.execute(
                    "INSERT INTO sozialraum.documents (run_id, name, media_type, content) "
                    "VALUES (%s, %s, %s, %s) ON CONFLICT (run_id, name) DO UPDATE SET "
                    "media_type = excluded.media_type, content = excluded.content, "
                    "updated_at = now()",
                    (run_id, name, media_type, content),
                )

        self._run(work)

    def get_document(self, run_id: str, name: str) -> tuple[bytes, str] | None:
        """A document's content and media type; ``None`` if the run has no such document."""
        validate_run_id(run_id)
        row = self._run(
            lambda conn: conn.execute(
                "SELECT content, media_type FROM sozialraum.documents "
                "WHERE run_id = %s AND name = %s",
                (run_id, name),
            ).fetchone()
        )
        return None if row is None else (bytes(row[0]), str(row[1]))

    def list_documents(self, run_id: str) -> list[str]:
        """The names of the run's documents, sorted."""
        validate_run_id(run_id)
        rows = self._run(
            lambda conn: conn.execute(
                "SELECT name FROM sozialraum.documents WHERE run_id = %s ORDER BY name", (run_id,)
            ).fetchall()
        )
        return [str(row[0]) for row in rows]

    # ------------------------------------------------------------------ schema

    def schema(self) -> int:
        """The store's schema version (as recorded in ``sozialraum.migrations``)."""
        return self._run(lambda conn: schema_version(conn) or 0)


def upgrade_store(
    url: str, *, migrations: Mapping[int, Migration] = MIGRATIONS, connect_timeout: float = 10.0
) -> tuple[int, int]:
    """Bring the store at ``url`` to this library's schema (or make one in an empty
    database); returns the schema version before and after.

    Run it once per release, from one place (``sozialraum store upgrade``), after a
    backup; application servers never do it themselves.

    Raises:
        StoreUnavailable: The server cannot be reached or used.
        UnsupportedFormat: The store's schema is newer than this library's.
    """
    location = redact(url)
    psycopg, _ = _import_psycopg(location)
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=max(1, round(connect_timeout)))
    except psycopg.Error as exc:
        raise StoreUnavailable(location, _connect_problem(exc)) from None
    try:
        before, after = upgrade(conn, location, migrations=migrations)
    finally:
        conn.close()
    return before, after
