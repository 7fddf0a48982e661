"""Shared fixtures: the bundled workflow's text and helpers to load variants of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sozialraumprozess.definition.loader import bundled_workflow_path

SIX_PHASE = "generationengerechte-sozialraumentwicklung"


@pytest.fixture(scope="session")
def six_phase_path() -> Path:
    """Path of the bundled six-phase workflow file."""
    return bundled_workflow_path(SIX_PHASE)


@pytest.fixture(scope="session")
def six_phase_text(six_phase_path: Path) -> str:
    """Text of the bundled six-phase workflow file."""
    return six_phase_path.read_text("utf-8")


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write YAML text to ``tmp_path/<name>`` and return the path."""

    def write(text: str, name: str = "workflow.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, "utf-8")
        return path

    return write


# --------------------------------------------------------------------------- PostgreSQL
#
# A throwaway PostgreSQL cluster for the tests of the PostgreSQL store: `initdb` and
# `pg_ctl` (Debian's `postgresql` package; `.ci/run` installs it) run as an
# unprivileged system user in a temporary folder, listen on 127.0.0.1 at a free
# port with password authentication, and are stopped (and the folder removed) at
# the end of the session. A developer may point SOZIALRAUM_TEST_POSTGRES at a server
# of their own instead (a URL of a role that may create databases). Without either,
# the tests are skipped with the reason, except under CI=true, where they fail.

POSTGRES_PASSWORD = "sozialraum-test"  # noqa: S105 - a throwaway cluster's password


def _postgres_bin(name: str) -> str | None:
    import glob
    import shutil

    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    return versions[-1] if versions else None


def _no_postgres(reason: str) -> None:
    import os

    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL tests need a server under CI=true: {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL server for the tests: {reason}")


def _system_user() -> str:
    """The unprivileged user the cluster runs as (PostgreSQL refuses to run as root)."""
    import os
    import pwd

    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid()).pw_name
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("no unprivileged user (postgres, nobody) to run the test cluster as")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PostgresCluster:
    """A throwaway cluster started with initdb + pg_ctl (see :func:`postgres_url`)."""

    def __init__(self, settings: dict[str, str] | None = None) -> None:
        import os
        import pwd
        import tempfile

        self.initdb = _postgres_bin("initdb")
        self.pg_ctl = _postgres_bin("pg_ctl")
        if self.initdb is None or self.pg_ctl is None:
            raise FileNotFoundError("initdb/pg_ctl not found (install Debian's postgresql package)")
        self.user = _system_user()
        self.folder = Path(tempfile.mkdtemp(prefix="sozialraum-pg-"))
        entry = pwd.getpwnam(self.user)
        os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.data = self.folder / "data"
        self.port = _free_port()
        self.settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.folder),
            "max_connections": "100",
            **(settings or {}),
        }

    def _run(self, *args: str) -> None:
        import os
        import subprocess

        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> str:
        """initdb, start; returns the URL of the superuser ``postgres`` on database ``postgres``."""
        import os
        import pwd

        pwfile = self.folder / "pw"
        pwfile.write_text(POSTGRES_PASSWORD + "\n", "utf-8")
        entry = pwd.getpwnam(self.user)
        os.chown(pwfile, entry.pw_uid, entry.pw_gid)
        assert self.initdb is not None
        assert self.pg_ctl is not None
        self._run(
            self.initdb,
            "-D",
            str(self.data),
            "-U",
            "postgres",
            f"--pwfile={pwfile}",
            "--auth-host=scram-sha-256",
            "--auth-local=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = " ".join(f"-c {key}={value}" for key, value in self.settings.items())
        self._run(
            self.pg_ctl, "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options, "-w",
            "start",
        )  # fmt: skip
        return self.url()

    def url(self, database: str = "postgres") -> str:
        """A URL of the superuser on ``database``."""
        return f"postgresql://postgres:{POSTGRES_PASSWORD}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """Stop the cluster and remove its folder."""
        import shutil

        try:
            if self.pg_ctl is not None and (self.data / "postmaster.pid").exists():
                self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a PostgreSQL server for the tests (a role that may create databases).

    SOZIALRAUM_TEST_POSTGRES if set; else a throwaway cluster started for the session.
    Skips without a server, fails under CI=true.
    """
    import os

    given = os.environ.get("SOZIALRAUM_TEST_POSTGRES")
    if given:
        yield given
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _no_postgres("psycopg is not installed (pip install -e '.[postgres]')")
    try:
        cluster = PostgresCluster()
    except (FileNotFoundError, RuntimeError) as error:
        _no_postgres(str(error))
    try:
        url = cluster.start()
    except RuntimeError as error:
        cluster.stop()
        _no_postgres(str(error))
    try:
        yield url
    finally:
        cluster.stop()


def _with_database(url: str, database: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


@pytest.fixture
def postgres_database(postgres_url: str) -> Iterator[str]:
    """The URL of a new, empty database on the test server (dropped after the test)."""
    import secrets

    import psycopg

    name = "t_" + secrets.token_hex(6)
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _with_database(postgres_url, name)
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
