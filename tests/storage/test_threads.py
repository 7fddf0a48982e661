"""One :class:`SqliteStore` shared by threads: a threaded web application's case.

The store used to hold one ``sqlite3`` connection, so the first request a
threaded server handled in a second thread failed with
``sqlite3.ProgrammingError``. Now each thread gets its own connection.
"""

from __future__ import annotations

import gc
import json
import random
import sqlite3
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from sozialraumprozess import ConflictError
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.scenario.sample import start_sample
from sozialraumprozess.storage import SqliteStore, create_run, open_run

REQUESTS = 240
CLIENTS = 24
SHARED_RUNS = ("nord", "sued", "ost")
MAX_ATTEMPTS = 200


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # every client connects at once
    store: SqliteStore
    workflow: Workflow
    retries: Counter[str]


class _Handler(BaseHTTPRequestHandler):
    """``POST /runs/<id>`` creates a run; ``POST /runs/<id>/participants/<name>`` appends."""

    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reports failures itself."""

    def do_POST(self) -> None:
        """Run the request against the shared store; 500 with the error on failure."""
        try:
            body = self._handle(self.path.strip("/").split("/"))
            status = 200
        except Exception as error:
            body, status = {"error": f"{type(error).__name__}: {error}"}, 500
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, parts: list[str]) -> dict[str, Any]:
        store = self.server.store
        if len(parts) == 2:  # runs/<id>
            run = create_run(store, parts[1], start_sample(self.server.workflow))
            return {"version": len(run.process.log)}
        _, run_id, _, name = parts
        for attempt in range(MAX_ATTEMPTS):
            run = open_run(store, run_id)
            run.process.set_participant(name, ["kommune"], by="kommune")
            try:
                return {"version": run.save(), "attempts": attempt + 1}
            except ConflictError:
                self.server.retries[run_id] += 1
                time.sleep(random.uniform(0, 0.002))  # noqa: S311 - jitter, not secrets
        raise AssertionError(f"{name}: still conflicting after {MAX_ATTEMPTS} attempts")


@pytest.fixture
def server(tmp_path: Path, workflow: Workflow) -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.store = SqliteStore(tmp_path / "app.sqlite")
    httpd.workflow = workflow
    httpd.retries = Counter()
    for run_id in SHARED_RUNS:
        create_run(httpd.store, run_id, start_sample(workflow))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    thread.join(10)
    httpd.server_close()
    httpd.store.close()


def _post(port: int, path: str) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="POST", data=b"")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - local test server
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_threaded_http_server_shares_one_store(server: _Server, workflow: Workflow) -> None:
    port = server.server_address[1]
    plan: list[str] = []
    for index in range(REQUESTS):
        if index % 10 == 0:
            plan.append(f"/runs/neu-{index:03d}")
        else:
            plan.append(f"/runs/{SHARED_RUNS[index % 3]}/participants/p{index:03d}")
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(lambda path: (path, *_post(port, path)), plan))

    errors = [(path, body) for path, status, body in results if status != 200]
    assert errors == []
    store = server.store
    started = len(start_sample(workflow).log)
    for run_id in SHARED_RUNS:  # no lost update: one event per acknowledged request
        acknowledged = sorted(
            path.rsplit("/", 1)[1] for path, _, _ in results if f"/{run_id}/" in path
        )
        events = store.read_events(run_id)
        names = sorted(e.payload["name"] for e in events[started:])
        assert names == acknowledged
        assert store.summary(run_id).version == len(events) == started + len(acknowledged)
        assert len(open_run(store, run_id).process.participants) == len(acknowledged)
        versions = [body["version"] for path, _, body in results if f"/{run_id}/" in path]
        assert len(versions) == len(set(versions))  # no two requests saved the same version
    created = [path.rsplit("/", 1)[1] for path in plan if path.count("/") == 2]
    assert [s.run_id for s in store.list_runs()] == sorted([*created, *SHARED_RUNS])
    print(f"{REQUESTS} requests, conflicts retried: {dict(server.retries)}")
    assert sum(server.retries.values()) > 0, "the requests never raced"


def test_threads_append_through_one_store(tmp_path: Path, workflow: Workflow) -> None:
    store = SqliteStore(tmp_path / "s.sqlite")
    create_run(store, "r", start_sample(workflow))
    barrier = threading.Barrier(8)
    failures: list[BaseException] = []

    def work(worker: int) -> None:
        barrier.wait()
        for n in range(10):
            while True:
                run = open_run(store, "r")
                run.process.set_participant(f"t{worker}-{n}", ["kommune"], by="kommune")
                try:
                    run.save()
                    break
                except ConflictError:
                    continue
                except BaseException as error:
                    failures.append(error)
                    return

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    names = [e.payload["name"] for e in store.read_events("r") if e.type == "participant_set"]
    assert sorted(names) == sorted(f"t{w}-{n}" for w in range(8) for n in range(10))
    store.close()


def test_connection_of_a_finished_thread_is_closed(tmp_path: Path, workflow: Workflow) -> None:
    store = SqliteStore(tmp_path / "s.sqlite")
    create_run(store, "r", start_sample(workflow))
    opened: list[sqlite3.Connection] = []

    def read() -> None:
        store.summary("r")
        opened.append(store._conn)

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    connection = opened.pop()
    assert connection in set(store._connections)
    del connection
    gc.collect()
    assert len(store._connections) == 1  # only this thread's: the finished one's is gone
    store.close()


def test_close_closes_every_threads_connection(tmp_path: Path, workflow: Workflow) -> None:
    store = SqliteStore(tmp_path / "s.sqlite")
    create_run(store, "r", start_sample(workflow))
    started, release = threading.Event(), threading.Event()
    seen: list[BaseException] = []

    def hold() -> None:
        store.summary("r")
        started.set()
        release.wait(10)
        try:
            store.summary("r")
        except BaseException as error:
            seen.append(error)

    thread = threading.Thread(target=hold)
    thread.start()
    started.wait(10)
    store.close()  # from another thread than the one that opened that connection
    release.set()
    thread.join(10)
    assert len(seen) == 1
    assert isinstance(seen[0], sqlite3.ProgrammingError)
    assert "closed" in str(seen[0])
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        store.summary("r")
    errors: list[BaseException] = []

    def fresh() -> None:  # a thread that never had a connection is refused too
        try:
            store.summary("r")
        except BaseException as error:
            errors.append(error)

    late = threading.Thread(target=fresh)
    late.start()
    late.join(10)
    assert [type(e) for e in errors] == [sqlite3.ProgrammingError]
