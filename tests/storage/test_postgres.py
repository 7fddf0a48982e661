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

import psycopg
import pytest

from sozialraumprozess.app import Service, open_store, upgrade_store
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import (
    NotAStore,
    StoreUnavailable,
    StoreUpgradeNeeded,
    UnsupportedFormat,
)
from sozialraumprozess.scenario.sample import start_sample
from sozialraumprozess.storage import PostgresStore, create_run, open_run
from sozialraumprozess.storage.postgres import redact
from sozialraumprozess.storage.postgres_schema import MIGRATIONS, Migration

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
    assert store.schema() == max(MIGRATIONS) == 1
    assert _migrations(postgres_database) == [(1, MIGRATIONS[1].description)]


def test_older_schema_needs_an_explicit_upgrade(
    store: PostgresStore, postgres_database: str, workflow: Workflow
) -> None:
    """A library with a newer schema refuses the store until `store upgrade` runs;
    opening changes nothing; the upgrade is recorded; the older library then refuses."""
    create_run(store, "r1", start_sample(workflow))
    newer = {**MIGRATIONS, 2: _EXTRA}
    with pytest.raises(StoreUpgradeNeeded) as caught:
        PostgresStore(postgres_database, migrations=newer)
    assert caught.value.message("en") == (
        f"Store {redact(postgres_database)} has schema 1; this version of sozialraumprozess "
        "needs schema 2. After a backup, upgrade it once: sozialraum store upgrade --store URL "
        "(a running application server never changes the schema by itself)."
    )
    assert (caught.value.found, caught.value.needed) == (1, 2)
    with pytest.raises(StoreUpgradeNeeded):
        PostgresStore(postgres_database, migrations=newer, create=True)  # create never migrates
    assert _migrations(postgres_database) == [(1, MIGRATIONS[1].description)]
    from sozialraumprozess.storage.postgres import upgrade_store as upgrade_pg

    assert upgrade_pg(postgres_database, migrations=newer) == (1, 2)
    assert upgrade_pg(postgres_database, migrations=newer) == (2, 2)
    assert [v for v, _ in _migrations(postgres_database)] == [1, 2]
    upgraded = PostgresStore(postgres_database, migrations=newer)
    assert open_run(upgraded, "r1").process.log == start_sample(workflow).log
    upgraded.close()
    with pytest.raises(UnsupportedFormat) as newer_caught:
        PostgresStore(postgres_database)
    assert newer_caught.value.message("en") == (
        f"{redact(postgres_database)} has format 'schema 2'; this version of sozialraumprozess "
        "reads 'schema 1' (and older). Update sozialraumprozess to read it."
    )
    with pytest.raises(UnsupportedFormat):
        upgrade_store(postgres_database)  # never downgrades


def test_store_upgrade_command(postgres_database: str) -> None:
    """`sozialraum store upgrade` makes a store of an empty database, then says it is current."""
    done = sozialraum("store", "upgrade", "--store", postgres_database, "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{redact(postgres_database)}: schema upgraded 0 → 1."
    done = sozialraum("store", "upgrade", "--json", env={"SOZIALRAUM_STORE": postgres_database})
    assert done.returncode == 0, done.stderr
    assert '"before": 1' in done.stdout
    assert '"after": 1' in done.stdout
    assert "sozialraum-test" not in done.stdout
    PostgresStore(postgres_database).close()  # a store now


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
        pid = _backend_waiting_on(postgres_database, "sozialraum.feed")
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
