"""The PostgreSQL store beyond the contract: faults, schema versions, a dropped
connection mid-command, LISTEN/NOTIFY, documents in the database.

Runs against the throwaway server of the ``postgres_url`` fixture (tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import attrs
import psycopg
import pytest

from sozialraumprozess.app import Service, open_store, upgrade_store
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import (
    CorruptRunError,
    NotAStore,
    StoreUnavailable,
    StoreUpgradeNeeded,
    UnsupportedFormat,
)
from sozialraumprozess.scenario.sample import start_sample
from sozialraumprozess.storage import PostgresStore, create_run, open_run
from sozialraumprozess.storage.postgres import redact
from sozialraumprozess.storage.postgres_schema import MIGRATIONS, SCHEMA_VERSION, Migration

from ..cli.conftest import sozialraum

WRONG = "wrong-pw"  # a password the test server refuses
_EXTRA = Migration(
    "a column for a run's owner (a test step)",
    ("ALTER TABLE sozialraum.runs ADD COLUMN owner text",),
)


def _replace(url: str, **parts: object) -> str:
    split = urlsplit(url)
    user = parts.get("user", split.username)
    password = parts.get("password", split.password)
    host = parts.get("host", split.hostname)
    port = parts.get("port", split.port)
    netloc = f"{user}:{password}@{host}:{port}"
    path = "/" + str(parts["database"]) if "database" in parts else split.path
    return urlunsplit(split._replace(netloc=netloc, path=path))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _rows(url: str, sql: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()  # type: ignore[arg-type]


@pytest.fixture
def store(postgres_database: str) -> Iterator[PostgresStore]:
    """A new store in a new database."""
    opened = PostgresStore(postgres_database, create=True)
    yield opened
    opened.close()


# --------------------------------------------------------------------------- URLs


def test_location_has_no_password(postgres_database: str) -> None:
    """The store names itself by its URL without the password."""
    store = open_store(postgres_database, create=True)
    try:
        assert isinstance(store, PostgresStore)
        assert store.location == redact(postgres_database)
        assert "sozialraum-test" in postgres_database
        assert "sozialraum-test" not in store.location
        assert store.location.startswith("postgresql://postgres@127.0.0.1:")
    finally:
        store.close()
    assert redact("postgresql://u:p%40ss@[::1]:5/db?sslmode=require") == (
        "postgresql://u@[::1]:5/db?sslmode=require"
    )
    assert redact("postgresql:///db") == "postgresql:///db"


# --------------------------------------------------------------------------- faults


def _refused(url: str, lang: str = "en") -> str:
    with pytest.raises(StoreUnavailable) as caught:
        PostgresStore(url, connect_timeout=3)
    assert caught.value.committed is False
    text = caught.value.message(lang)  # type: ignore[arg-type]
    assert "sozialraum-test" not in text
    assert WRONG not in text
    return text


def test_server_unreachable(postgres_url: str) -> None:
    """No server at the port: one message naming the URL without the password."""
    url = _replace(postgres_url, port=_free_port(), database="x")
    text = _refused(url)
    assert text.startswith(f"Store {redact(url)} cannot be used: the server does not answer (")
    assert text.endswith("). Nothing was written.")
    assert "Connection refused" in text
    assert _refused(url, "de").startswith(f"Speicher {redact(url)} ist nicht nutzbar: ")


def test_wrong_credentials(postgres_url: str) -> None:
    """A wrong password: one message naming the URL without either password."""
    url = _replace(postgres_url, password=WRONG)
    assert _refused(url) == (
        f"Store {redact(url)} cannot be used: the server refuses the user name or "
        "password. Nothing was written."
    )


def test_missing_database(postgres_url: str) -> None:
    """A database that does not exist: one message, and nothing is created."""
    url = _replace(postgres_url, database="gibt_es_nicht")
    assert _refused(url) == (
        f"Store {redact(url)} cannot be used: the server has no such database (create "
        "it with: createdb NAME). Nothing was written."
    )
    assert _rows(postgres_url, "SELECT 1 FROM pg_database WHERE datname = 'gibt_es_nicht'") == []


def test_empty_database_is_no_store_without_create(postgres_database: str) -> None:
    """Opening an empty database without ``create`` refuses and creates nothing."""
    with pytest.raises(NotAStore) as caught:
        PostgresStore(postgres_database)
    assert caught.value.message("en") == (
        f"{redact(postgres_database)} is not a sozialraumprozess store: the database holds no "
        "store (schema 'sozialraum' is missing); create one with: sozialraum store upgrade "
        "--store URL."
    )
    assert _rows(postgres_database, "SELECT 1 FROM pg_namespace WHERE nspname = 'sozialraum'") == []


def test_faults_in_the_cli_are_one_line_without_traceback(postgres_url: str) -> None:
    """The CLI says the same in one line on stderr, exit code 1, no traceback."""
    url = _replace(postgres_url, password=WRONG)
    done = sozialraum("status", "--store", url, "--lang", "en")
    assert done.returncode == 1
    assert done.stderr.startswith(f"Error: Store {redact(url)} cannot be used: the server ")
    assert "Traceback" not in done.stderr
    assert WRONG not in done.stderr
    done = sozialraum("follow", "--once", "--store", _replace(postgres_url, port=_free_port()))
    assert done.returncode == 1
    assert "Fehler: Speicher postgresql://postgres@127.0.0.1:" in done.stderr
    assert "der Server antwortet nicht" in done.stderr
    assert "Traceback" not in done.stderr


# --------------------------------------------------------------------------- schema versions


def _migrations(url: str) -> list[tuple[object, ...]]:
    return _rows(url, "SELECT version, description FROM sozialraum.migrations ORDER BY version")


def test_schema_is_recorded(store: PostgresStore, postgres_database: str) -> None:
    """A new store records its schema version in sozialraum.migrations."""
    assert store.schema() == max(MIGRATIONS) == SCHEMA_VERSION == 4
    assert _migrations(postgres_database) == [
        (version, MIGRATIONS[version].description) for version in (1, 2, 3, 4)
    ]


def test_older_schema_needs_an_explicit_upgrade(
    store: PostgresStore, postgres_database: str, workflow: Workflow
) -> None:
    """A library with a newer schema refuses the store until `store upgrade` runs;
    opening changes nothing; the upgrade is recorded; the older library then refuses."""
    create_run(store, "r1", start_sample(workflow))
    now, later = SCHEMA_VERSION, SCHEMA_VERSION + 1
    newer = {**MIGRATIONS, later: _EXTRA}
    with pytest.raises(StoreUpgradeNeeded) as caught:
        PostgresStore(postgres_database, migrations=newer)
    assert caught.value.message("en") == (
        f"Store {redact(postgres_database)} has schema {now}; this version of "
        f"sozialraumprozess needs schema {later}. After a backup, upgrade it once: "
        "sozialraum store upgrade --store URL "
        "(a running application server never changes the schema by itself)."
    )
    assert (caught.value.found, caught.value.needed) == (now, later)
    with pytest.raises(StoreUpgradeNeeded):
        PostgresStore(postgres_database, migrations=newer, create=True)  # create never migrates
    assert [v for v, _ in _migrations(postgres_database)] == list(range(1, now + 1))
    from sozialraumprozess.storage.postgres import upgrade_store as upgrade_pg

    assert upgrade_pg(postgres_database, migrations=newer) == (now, later)
    assert upgrade_pg(postgres_database, migrations=newer) == (later, later)
    assert [v for v, _ in _migrations(postgres_database)] == list(range(1, later + 1))
    upgraded = PostgresStore(postgres_database, migrations=newer)
    assert open_run(upgraded, "r1").process.log == start_sample(workflow).log
    upgraded.close()
    with pytest.raises(UnsupportedFormat) as newer_caught:
        PostgresStore(postgres_database)
    assert newer_caught.value.message("en") == (
        f"{redact(postgres_database)} has format 'schema {later}'; this version of "
        f"sozialraumprozess reads 'schema {now}' (and older). Update sozialraumprozess to read it."
    )
    with pytest.raises(UnsupportedFormat):
        upgrade_store(postgres_database)  # never downgrades


def test_store_upgrade_command(postgres_database: str) -> None:
    """`sozialraum store upgrade` makes a store of an empty database, then says it is current."""
    done = sozialraum("store", "upgrade", "--store", postgres_database, "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        f"{redact(postgres_database)}: schema upgraded 0 → {SCHEMA_VERSION}."
    )
    done = sozialraum("store", "upgrade", "--json", env={"SOZIALRAUM_STORE": postgres_database})
    assert done.returncode == 0, done.stderr
    assert f'"before": {SCHEMA_VERSION}' in done.stdout
    assert f'"after": {SCHEMA_VERSION}' in done.stdout
    assert "sozialraum-test" not in done.stdout
    PostgresStore(postgres_database).close()  # a store now


def _status_chunks(url: str) -> int:
    """The chunks in the TOAST relation of ``sozialraum.runs`` (values kept out of rows)."""
    (toast,) = _rows(
        url,
        "SELECT reltoastrelid::regclass::text FROM pg_class "
        "WHERE oid = 'sozialraum.runs'::regclass",
    )[0]
    return int(_rows(url, f"SELECT count(*) FROM {toast}")[0][0])  # noqa: S608 - a catalog name


def test_schema_4_keeps_the_status_facts_out_of_the_row(
    postgres_database: str, workflow: Workflow
) -> None:
    """A schema 3 store keeps a run's status facts (1-2 kB compressed) inside its summary
    row; the upgrade to 4 moves them out of the row (listing reads narrow rows), the
    summary reads the same, and appends keep them out."""
    old = PostgresStore(
        postgres_database, create=True, migrations={v: MIGRATIONS[v] for v in (1, 2, 3)}
    )
    process = start_sample(workflow)
    create_run(old, "r1", process)
    before = old.summary("r1")
    old.close()
    assert before.status is not None
    assert _status_chunks(postgres_database) == 0  # inline, compressed
    assert upgrade_store(postgres_database) == (3, 4)
    assert _rows(
        postgres_database, "SELECT reloptions FROM pg_class WHERE oid = 'sozialraum.runs'::regclass"
    ) == [(["toast_tuple_target=512"],)]
    assert _status_chunks(postgres_database) >= 1
    store = PostgresStore(postgres_database)
    try:
        assert store.summary("r1") == before
        assert store.summary("r1").status == before.status
        service = Service(store)
        service.set_participant("r1", "Frau Beispiel", ["kommune"], by="kommune")
        assert store.summary("r1").version == before.version + 1
        assert store.list_runs(phase=before.phase)[0].run_id == "r1"
        # the new status (the only large value of the run's row) is out of the row too
        assert _status_chunks(postgres_database) >= 1
    finally:
        store.close()


# --------------------------------------------------------------------------- a dropped connection


def _backend_waiting_on(url: str, text: str, timeout: float = 10.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = _rows(
            url,
            "SELECT pid, query FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND state = 'active'",
        )
        for pid, query in rows:
            if text in str(query):
                return int(str(pid))
        time.sleep(0.02)
    raise AssertionError(f"no backend waits on a lock running {text!r}")


def test_connection_killed_before_commit_is_not_stored(
    store: PostgresStore, postgres_database: str, workflow: Workflow
) -> None:
    """pg_terminate_backend during an append: the caller is told it was NOT stored,
    nothing was, and running the command again stores it once."""
    run = create_run(store, "r1", start_sample(workflow))
    run.process.set_participant("Neu", ["kommune"], by="kommune")
    before = store.read_events("r1")
    outcome: list[BaseException | int] = []
    with psycopg.connect(postgres_database) as blocker:
        blocker.execute("SELECT FROM sozialraum.runs WHERE run_id = 'r1' FOR UPDATE")

        def save() -> None:
            try:
                outcome.append(run.save())
            except BaseException as error:  # checked below
                outcome.append(error)

        thread = threading.Thread(target=save)
        thread.start()
        pid = _backend_waiting_on(postgres_database, "/* sozialraum append */")
        with psycopg.connect(postgres_database, autocommit=True) as killer:
            assert killer.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)
        thread.join(30)
        blocker.rollback()
    (error,) = outcome
    assert isinstance(error, StoreUnavailable)
    assert error.committed is False
    assert error.message("en") == (
        f"Store {redact(postgres_database)} cannot be used: the connection broke during the "
        "write; the command was NOT stored. It can be run again."
    )
    assert store.read_events("r1") == before
    assert store.changes()[-1].event.seq == len(before)
    assert run.save() == len(before) + 1  # the pool replaced the dead connection
    assert [e.seq for e in store.read_events("r1")] == list(range(1, len(before) + 2))


class _Proxy:
    """A TCP proxy to the server that, once armed, forwards a query containing ``marker``
    and then cuts the connection as soon as the server answers it (after the commit)."""

    def __init__(self, target: tuple[str, int], marker: bytes) -> None:
        self.target = target
        self.marker = marker
        self.armed = False
        self.cut = threading.Event()
        self.refuse_after_cut = False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closing:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.cut.is_set() and self.refuse_after_cut:
                client.close()
                continue
            server = socket.create_connection(self.target)
            state = {"watch": False}
            for ends in ((client, server, True), (server, client, False)):
                pipe = threading.Thread(target=self._pipe, args=(*ends, state), daemon=True)
                pipe.start()

    def _pipe(
        self, source: socket.socket, sink: socket.socket, up: bool, state: dict[str, bool]
    ) -> None:
        with contextlib.suppress(OSError):
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if up and self.armed and self.marker in data:
                    self.armed = False
                    state["watch"] = True
                elif not up and state["watch"]:  # the answer: committed by now
                    self.cut.set()
                    break
                sink.sendall(data)
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def close(self) -> None:
        self.closing = True
        self.listener.close()


@pytest.fixture
def proxy(postgres_database: str) -> Iterator[tuple[_Proxy, str]]:
    split = urlsplit(postgres_database)
    assert split.hostname is not None
    assert split.port is not None
    cutter = _Proxy((split.hostname, split.port), b"INSERT INTO sozialraum.feed_pending")
    yield cutter, _replace(postgres_database, port=cutter.port)
    cutter.close()


def test_connection_dropped_after_commit_is_reported_stored(
    proxy: tuple[_Proxy, str], workflow: Workflow
) -> None:
    """The connection drops after the server committed but before the answer arrived:
    the store asks again and returns normally: the caller is told it was stored."""
    cutter, url = proxy
    store = PostgresStore(url, create=True)
    try:
        run = create_run(store, "r1", start_sample(workflow))
        run.process.set_participant("Neu", ["kommune"], by="kommune")
        cutter.armed = True
        assert run.save() == len(run.process.log)
        assert cutter.cut.is_set()  # the answer really was lost
        assert store.read_events("r1") == run.process.log
        assert [c.event.seq for c in store.changes()] == list(range(1, len(run.process.log) + 1))
    finally:
        store.close()


def test_connection_dropped_and_server_gone_is_reported_unknown(
    proxy: tuple[_Proxy, str], workflow: Workflow
) -> None:
    """The connection drops and the server cannot be asked afterwards: the caller is
    told that whether it was stored is unknown."""
    cutter, url = proxy
    store = PostgresStore(url, create=True, connect_timeout=2)
    try:
        run = create_run(store, "r1", start_sample(workflow))
        run.process.set_participant("Neu", ["kommune"], by="kommune")
        cutter.armed = True
        cutter.refuse_after_cut = True
        with pytest.raises(StoreUnavailable) as caught:
            run.save()
        assert caught.value.committed is None
        assert "whether the command was stored is unknown" in caught.value.message("en")
        assert "ob der Befehl gespeichert wurde, ist unbekannt" in caught.value.message("de")
    finally:
        cutter.refuse_after_cut = False
        store.close()


def test_retry_with_the_same_key_after_an_unknown_outcome_does_not_duplicate(
    proxy: tuple[_Proxy, str], postgres_database: str, workflow: Workflow
) -> None:
    """The connection drops after the commit and the server cannot be asked: the caller
    is told the outcome is unknown. Retried with the same idempotency key once the
    server answers again, the command is recognised as done (stored once, the key in
    its column), not stored a second time."""
    cutter, url = proxy
    store = PostgresStore(url, create=True, connect_timeout=2)
    try:
        service = Service(store)
        service.start("r1", workflow, sozialraum="Schwerte-Ost", idempotency_key="start-1")
        cutter.armed = True
        cutter.refuse_after_cut = True
        with pytest.raises(StoreUnavailable) as caught:
            service.set_participant("r1", "Neu", ["kommune"], by="kommune", idempotency_key="k-1")
        assert caught.value.committed is None
        cutter.refuse_after_cut = False
        done = service.set_participant(
            "r1", "Neu", ["kommune"], by="kommune", idempotency_key="k-1"
        )
        assert done.repeated
        events = store.read_events("r1")
        assert [e.key for e in events].count("k-1") == 1
        assert done.seq == events[-1].seq
        assert [e.type for e in events].count("participant_set") == 1
        assert _rows(
            postgres_database,
            "SELECT seq, idempotency_key FROM sozialraum.events WHERE run_id = 'r1' ORDER BY seq",
        ) == [(e.seq, e.key) for e in events]
        assert store.verify("r1").events == len(events)
    finally:
        store.close()


def test_retry_with_the_same_key_after_a_killed_backend_stores_once(
    store: PostgresStore, postgres_database: str, workflow: Workflow
) -> None:
    """pg_terminate_backend during a command with an idempotency key: the caller is
    told it was NOT stored; the retry with the same key stores it (once), and a further
    retry finds it done."""
    service = Service(store)
    service.start("r1", workflow, sozialraum="Schwerte-Ost")
    before = len(store.read_events("r1"))
    outcome: list[BaseException | object] = []
    with psycopg.connect(postgres_database) as blocker:
        blocker.execute("SELECT FROM sozialraum.runs WHERE run_id = 'r1' FOR UPDATE")

        def command() -> None:
            try:
                outcome.append(
                    service.set_participant(
                        "r1", "Neu", ["kommune"], by="kommune", idempotency_key="k-2"
                    )
                )
            except BaseException as error:  # checked below
                outcome.append(error)

        thread = threading.Thread(target=command)
        thread.start()
        pid = _backend_waiting_on(postgres_database, "/* sozialraum append */")
        with psycopg.connect(postgres_database, autocommit=True) as killer:
            assert killer.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)
        thread.join(30)
        blocker.rollback()
    (error,) = outcome
    assert isinstance(error, StoreUnavailable)
    assert error.committed is False
    assert len(store.read_events("r1")) == before
    first = service.set_participant("r1", "Neu", ["kommune"], by="kommune", idempotency_key="k-2")
    again = service.set_participant("r1", "Neu", ["kommune"], by="kommune", idempotency_key="k-2")
    assert (first.repeated, again.repeated) == (False, True)
    assert first.seq == again.seq == before + 1
    events = store.read_events("r1")
    assert [e.seq for e in events] == list(range(1, before + 2))
    assert events[-1].key == "k-2"


# --------------------------------------------------------------------------- LISTEN/NOTIFY


def test_wait_for_changes_wakes_at_commit(
    store: PostgresStore, postgres_database: str, workflow: Workflow
) -> None:
    """A follower waiting on the feed wakes when another server commits, long before
    its timeout; without a commit it waits the timeout and says so."""
    create_run(store, "r1", start_sample(workflow))
    last = store.changes()[-1].position
    started = time.monotonic()
    assert store.wait_for_changes(last, 0.3) is False
    assert time.monotonic() - started >= 0.25
    assert store.wait_for_changes(0, 5) is True  # already there: no wait

    other = PostgresStore(postgres_database)  # another application server

    def write() -> None:
        time.sleep(0.3)
        run = open_run(other, "r1")
        run.process.set_participant("Neu", ["kommune"], by="kommune")
        run.save()

    writer = threading.Thread(target=write)
    writer.start()
    started = time.monotonic()
    assert store.wait_for_changes(last, 20) is True
    waited = time.monotonic() - started
    writer.join(30)
    other.close()
    assert waited < 10
    assert store.changes(after=last)[0].event.type == "participant_set"


# --------------------------------------------------------------------------- documents


def test_documents_are_kept_in_the_database(
    store: PostgresStore, postgres_database: str, workflow: Workflow
) -> None:
    """Documents rendered through the service are in the database, so a second
    application server reads them; they go with the run."""
    service = Service(store)
    service.start("r1", workflow, sozialraum="Schwerte-Ost")
    metas, failures = service.store_documents("r1", formats=("md",), lang="de")
    assert failures == []
    assert metas
    other = Service.open(postgres_database)
    try:
        names = other.documents("r1")
        assert names == sorted(meta.path for meta in metas)
        found = other.document("r1", names[0])
        assert found is not None
        content, media = found
        assert media == "text/markdown; charset=utf-8"
        assert content.decode("utf-8").strip()
        assert other.document("r1", "gibt-es-nicht.md") is None
        store.delete("r1")
        assert other.documents("r1") == []
    finally:
        other.close()
    with pytest.raises(ValueError, match="not a document name"):
        store.put_document("r1", "", b"")


def test_documents_of_a_missing_run_and_the_sequencer(
    store: PostgresStore, workflow: Workflow
) -> None:
    """A document for a run that does not exist is refused; ``sequence`` gives the
    positions of committed events and returns the last one."""
    from sozialraumprozess.errors import RunNotFound

    with pytest.raises(RunNotFound):
        store.put_document("fehlt", "a.md", b"x")
    assert store.list_documents("fehlt") == []
    assert store.sequence() == 0
    create_run(store, "r1", start_sample(workflow))
    assert store.sequence() == len(start_sample(workflow).log)
    assert store.sequence() == len(start_sample(workflow).log)  # nothing new: the same


def test_a_dropped_schema_is_no_store(store: PostgresStore, postgres_database: str) -> None:
    """Someone drops the store's schema under a running application: reads say the
    database holds no store (one message, no traceback)."""
    with psycopg.connect(postgres_database, autocommit=True) as conn:
        conn.execute("DROP SCHEMA sozialraum CASCADE")
    with pytest.raises(NotAStore) as caught:
        store.list_runs()
    assert "the database holds no store" in caught.value.message("en")


def test_store_upgrade_of_folder_and_sqlite_stores(tmp_path: Path) -> None:
    """Folder and SQLite stores are brought up to date when opened: `store upgrade`
    says so (and migrates a SQLite store by opening it); a missing store is refused."""
    from sozialraumprozess.storage import FolderStore, SqliteStore

    FolderStore(tmp_path / "ordner").close()
    SqliteStore(tmp_path / "p.db").close()
    assert upgrade_store(str(tmp_path / "ordner")) is None
    done = sozialraum("store", "upgrade", "--store", f"sqlite://{tmp_path}/p.db", "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.strip()
        == f"sqlite://{tmp_path}/p.db: brought up to date when opened; it is current now."
    )
    done = sozialraum("store", "upgrade", "--store", str(tmp_path / "fehlt"), "--json")
    assert done.returncode == 1
    assert '"code": "store.not-a-store"' in done.stderr


# --------------------------------------------------------------------------- the hash chain


def _execute(url: str, sql: str, *args: object) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute(sql, args).rowcount == 1  # type: ignore[arg-type]


@pytest.fixture
def chained(store: PostgresStore, workflow: Workflow) -> PostgresStore:
    """A store with run ``r1`` (three events, the last with key ``k-1``) and run ``r2``."""
    service = Service(store)
    service.start("r1", workflow, sozialraum="Schwerte-Ost")
    service.set_participant("r1", "Erste", ["kommune"], by="kommune")
    service.set_participant("r1", "Zweite", ["kommune"], by="kommune", idempotency_key="k-1")
    service.start("r2", workflow, sozialraum="Hagen")
    return store


def test_chain_is_stored_beside_each_event(chained: PostgresStore, postgres_database: str) -> None:
    """Every event row has its link (the hash of the previous one and its stored text),
    the run's row the head; verify and the summary agree; a key is in its column."""
    from sozialraumprozess.storage.chain import GENESIS, link

    rows = _rows(
        postgres_database,
        "SELECT event, event_hash, idempotency_key FROM sozialraum.events "
        "WHERE run_id = 'r1' ORDER BY seq",
    )
    prev = GENESIS
    for text, digest, _ in rows:
        prev = link(prev, str(text).encode("utf-8"))
        assert digest == prev
    assert rows[-1][2] == "k-1"
    assert [key for _, _, key in rows[:-1]] == [None] * (len(rows) - 1)
    assert _rows(postgres_database, "SELECT head FROM sozialraum.runs WHERE run_id = 'r1'") == [
        (prev,)
    ]
    checked = chained.verify("r1")
    assert (checked.events, checked.head) == (len(rows), prev)
    assert chained.summary("r1").head == prev


def test_a_changed_event_row_is_refused_with_run_and_seq(
    chained: PostgresStore, postgres_database: str
) -> None:
    """One character of a stored event changed in the database (a bit flip, or an UPDATE
    by hand): every read and `sozialraum verify` refuse the run naming run and seq;
    nothing can be appended to it; the other run is unaffected."""
    _execute(
        postgres_database,
        # (names are pseudonymized in stored events: change the role instead)
        "UPDATE sozialraum.events SET event = replace(event, '\"kommune\"', '\"kommunf\"') "
        "WHERE run_id = 'r1' AND seq = 2",
    )
    where = f"{redact(postgres_database)} [run 'r1', event]"
    for read in (chained.verify, chained.read_events, chained.load):
        with pytest.raises(CorruptRunError) as caught:
            read("r1")
        assert caught.value.line == 2
        assert caught.value.path == where
        assert "event 2 is no longer what was stored" in caught.value.message("en")
    with pytest.raises(CorruptRunError):
        Service(chained).set_participant("r1", "Dritte", ["kommune"], by="kommune")
    assert _rows(postgres_database, "SELECT max(seq) FROM sozialraum.events WHERE run_id = 'r1'")[
        0
    ] == (3,)
    assert chained.verify("r2").events == 1
    done = sozialraum("verify", "--store", postgres_database, "--all", "--lang", "en")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "'r1'" in done.stderr
    assert "event 2 is no longer what was stored" in done.stderr
    assert "r2" in done.stdout
    assert "sozialraum-test" not in done.stdout + done.stderr


def test_a_rewritten_chain_disagrees_with_the_head(
    chained: PostgresStore, postgres_database: str
) -> None:
    """The last event changed and its hash recomputed (someone who knows the chain):
    the head kept in the run's row no longer fits; a changed head is refused too."""
    from sozialraumprozess.storage.chain import link

    ((prev, text),) = _rows(
        postgres_database,
        "SELECT p.event_hash, e.event FROM sozialraum.events e JOIN sozialraum.events p "
        "ON p.run_id = e.run_id AND p.seq = e.seq - 1 WHERE e.run_id = 'r1' AND e.seq = 3",
    )
    changed = str(text).replace('"kommune"', '"kommunf"')  # names are pseudonymized
    assert changed != text
    _execute(
        postgres_database,
        "UPDATE sozialraum.events SET event = %s, event_hash = %s WHERE run_id = 'r1' AND seq = 3",
        changed,
        link(str(prev), changed.encode("utf-8")),
    )
    with pytest.raises(CorruptRunError) as caught:
        chained.verify("r1")
    assert caught.value.path == f"{redact(postgres_database)} [run 'r1', runs]"
    assert "does not match the hash of event 3" in caught.value.message("en")
    run = open_run(chained, "r2")
    run.process.set_participant("Neu", ["kommune"], by="kommune")
    _execute(
        postgres_database, "UPDATE sozialraum.runs SET head = %s WHERE run_id = 'r2'", "0" * 64
    )
    with pytest.raises(CorruptRunError) as appending:
        run.save()
    assert (appending.value.path, appending.value.line) == (
        f"{redact(postgres_database)} [run 'r2', event]",
        1,
    )
    assert "does not match the hash of event 1" in appending.value.message("en")
    assert _rows(
        postgres_database, "SELECT count(*) FROM sozialraum.events WHERE run_id = 'r2'"
    ) == [(1,)]


def test_a_changed_key_column_is_refused(chained: PostgresStore, postgres_database: str) -> None:
    """The idempotency_key column changed beside the chained text: refused, naming the seq
    (a retry must not be recognised by a key that was not stored with the command)."""
    _execute(
        postgres_database,
        "UPDATE sozialraum.events SET idempotency_key = 'fremd' WHERE run_id = 'r1' AND seq = 3",
    )
    with pytest.raises(CorruptRunError) as caught:
        chained.verify("r1")
    assert caught.value.line == 3
    assert "idempotency_key column of event 3" in caught.value.message("en")


def test_upgrade_from_schema_1_chains_the_stored_events(
    postgres_database: str, workflow: Workflow
) -> None:
    """A store written at schema 1 (no hashes, keys only in the event text): refused
    until `store upgrade`; the upgrade computes every event's link and the heads in SQL
    (the same hashes the library computes), fills the key column; then the runs verify,
    load, take a retried command as done, and grow."""
    from sozialraumprozess.runtime.serialize import PROCESS_FORMAT, event_to_dict
    from sozialraumprozess.storage.chain import GENESIS, canonical, link
    from sozialraumprozess.storage.codec import encode_events
    from sozialraumprozess.storage.postgres import _params
    from sozialraumprozess.storage.summary import summarize

    old = PostgresStore(postgres_database, create=True, migrations={1: MIGRATIONS[1]})
    old.close()
    process = start_sample(workflow)
    process.set_participant('Überall ünicode "quoted"', ["kommune"], by="kommune")
    keyed = [*process.log[:-1], attrs.evolve(process.log[-1], key="k-alt")]
    texts = encode_events(keyed).decode("utf-8").splitlines()
    params = {**_params(summarize("alt", process)), "process_format": PROCESS_FORMAT}
    with psycopg.connect(postgres_database, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO sozialraum.runs (run_id, workflow_id, workflow_version, content_hash, "
            "title, phase, cycle, deadline, version, created_at, updated_at, blockers, annual, "
            "status, process_format) VALUES (%(run_id)s, %(workflow_id)s, %(workflow_version)s, "
            "%(content_hash)s, %(title)s, %(phase)s, %(cycle)s, %(deadline)s, %(version)s, "
            "%(created_at)s, %(updated_at)s, %(blockers)s, %(annual)s, %(status)s, "
            "%(process_format)s)",
            params,
        )
        for seq, text in enumerate(texts, start=1):
            conn.execute(
                "INSERT INTO sozialraum.events (run_id, seq, event) VALUES ('alt', %s, %s)",
                (seq, text),
            )
    with pytest.raises(StoreUpgradeNeeded):
        PostgresStore(postgres_database)
    assert upgrade_store(postgres_database) == (1, SCHEMA_VERSION)
    store = PostgresStore(postgres_database)
    try:
        checked = store.verify("alt")
        head = GENESIS
        for event in keyed:
            head = link(head, canonical(event_to_dict(event)))
        assert checked.head == head
        assert checked.events == len(keyed)
        assert _rows(
            postgres_database,
            "SELECT idempotency_key FROM sozialraum.events WHERE run_id = 'alt' ORDER BY seq",
        ) == [(e.key,) for e in keyed]
        assert open_run(store, "alt").process.log == process.log
        service = Service(store)
        name = 'Überall ünicode "quoted"'
        again = service.set_participant(
            "alt", name, ["kommune"], by="kommune", idempotency_key="k-alt"
        )
        assert again.repeated
        service.set_participant("alt", "Neu", ["kommune"], by="kommune")
        assert store.verify("alt").events == len(keyed) + 1
    finally:
        store.close()


def test_every_event_of_a_command_carries_its_key(
    store: PostgresStore, postgres_database: str, workflow: Workflow
) -> None:
    """A command of several events stores its key with each (the key's index is not
    unique since schema 2); they read back with the key."""
    process = start_sample(workflow)
    process.set_participant("Erste", ["kommune"], by="kommune")
    process.set_participant("Zweite", ["kommune"], by="kommune")
    create_run(store, "r1", process, key="k-start")
    assert [e.key for e in store.read_events("r1")] == ["k-start"] * 3
    assert (
        _rows(
            postgres_database,
            "SELECT idempotency_key FROM sozialraum.events WHERE run_id = 'r1' ORDER BY seq",
        )
        == [("k-start",)] * 3
    )
