"""The reference web service (examples/webservice) as a real uvicorn server on 127.0.0.1.

:func:`serve` starts ``uvicorn --factory sozialraum_web.app:create_app`` as a
subprocess (with ``--workers``), waits until it answers, and stops it at the
end; its output goes to a log file that a failing test shows.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from sozialraumprozess import Service, load_workflow

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "webservice"
WORKFLOW = "generationengerechte-sozialraumentwicklung"

#: The token table the tests' servers use (``SOZIALRAUM_TOKENS``).
TOKENS = {
    "t-kommune": "kommune",
    "t-anna": "Anna Berger",
    "t-rat": "Ausschuss für Soziales und Generationen",
    "t-rat-role": "rat",  # the council as a body: it appoints its own members
    "t-stranger": "Niemand Bekanntes",
    "t-leser": "Leserin",  # reads; no participant of any run, so every command is refused
}
KOMMUNE = {"Authorization": "Bearer t-kommune"}
ANNA = {"Authorization": "Bearer t-anna"}
RAT = {"Authorization": "Bearer t-rat"}
RAT_ROLE = {"Authorization": "Bearer t-rat-role"}
READER = {"Authorization": "Bearer t-leser"}


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(store_url: str, tmp: Path, *, workers: int = 2, attempts: int = 10) -> Iterator[str]:
    """Run the example service on ``store_url``; yields its base URL."""
    tokens = tmp / f"tokens-{time.monotonic_ns()}.json"
    tokens.write_text(json.dumps(TOKENS), "utf-8")
    port = free_port()
    log = tmp / f"uvicorn-{port}.log"
    env = {
        **os.environ,
        "SOZIALRAUM_STORE": store_url,
        "SOZIALRAUM_TOKENS": str(tokens),
        "SOZIALRAUM_ATTEMPTS": str(attempts),
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT / "src"), str(EXAMPLE), os.environ.get("PYTHONPATH", "")]
        ),
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "sozialraum_web.app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
    ]
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server, log, workers)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover - a hung server
            server.kill()
            server.wait()
    text = log.read_text("utf-8", errors="replace")
    assert "Traceback" not in text, text[-4000:]


def _wait_until_up(base: str, server: subprocess.Popen[bytes], log: Path, workers: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"uvicorn ended ({server.returncode}):\n{log.read_text('utf-8')}")
        try:
            if httpx.get(f"{base}/", timeout=2).status_code == 200:
                text = log.read_text("utf-8", errors="replace")
                if text.count("Application startup complete") >= workers:
                    return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"uvicorn did not answer within 60 s:\n{log.read_text('utf-8')}")


def new_store(tmp: Path) -> str:
    """A new, empty SQLite store (created before any server opens it); its URL."""
    url = f"sqlite://{tmp / 'prozesse.db'}"
    Service.open(url, create=True).close()
    return url


@contextmanager
def new_database(server_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server (dropped afterwards); its URL."""
    import psycopg

    name = "web_" + secrets.token_hex(6)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path="/" + name))
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def new_store_of(kind: str, request: pytest.FixtureRequest, tmp: Path) -> Iterator[str]:
    """A new store of ``kind`` (``sqlite`` or ``postgresql``), created before any
    server opens it; its URL."""
    if kind == "sqlite":
        yield new_store(tmp)
        return
    with new_database(request.getfixturevalue("postgres_url")) as url:
        Service.open(url, create=True).close()  # the schema, as `sozialraum store upgrade` would
        yield url


#: The stores every HTTP test runs against.
STORES = ["sqlite", "postgresql"]


def start_run(client: httpx.Client, run_id: str) -> dict[str, Any]:
    """Start ``run_id`` as kommune, add Anna Berger (by kommune) and the Ausschuss (by the
    council itself, which appoints its members); its status."""
    answer = client.post(
        "/api/runs",
        json={"run_id": run_id, "workflow": WORKFLOW, "sozialraum": f"Quartier {run_id}"},
        headers=KOMMUNE,
    )
    assert answer.status_code == 201, answer.text
    for name, roles, by in (
        ("Anna Berger", ["sozialraumkoordination"], KOMMUNE),
        ("Ausschuss für Soziales und Generationen", ["rat"], RAT_ROLE),  # appointed_by: [rat]
    ):
        added = client.post(
            f"/api/runs/{run_id}/participants",
            json={"name": name, "roles": roles, "kind": "person"},
            headers=by,
        )
        assert added.status_code == 200, added.text
    status: dict[str, Any] = answer.json()
    return status


@pytest.fixture(scope="session")
def workflow_title() -> str:
    """The bundled six-phase workflow's German title."""
    return load_workflow(WORKFLOW).title.get("de")


@pytest.fixture(params=STORES)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new store for one test: SQLite, then PostgreSQL."""
    with new_store_of(request.param, request, tmp_path) as url:
        yield url
