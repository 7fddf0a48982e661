"""Every bundled store passes the store contract (``sozialraumprozess.testing.StoreContract``)."""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sozialraumprozess.storage import FolderStore, PostgresStore, RunStore, SqliteStore
from sozialraumprozess.testing import StoreContract


class TestFolderStore(StoreContract):
    """The folder store: events.jsonl lines, definitions/<hex>.json files."""

    def make_store(self, tmp_path: Path) -> RunStore:
        return FolderStore(tmp_path / "store")

    def corrupt_event(self, store: RunStore, tmp_path: Path, run_id: str, seq: int) -> None:
        log = tmp_path / "store" / "runs" / run_id / "events.jsonl"
        lines = log.read_bytes().splitlines(keepends=True)
        lines[seq - 1] = b'{"broken"\n'
        log.write_bytes(b"".join(lines))

    def stored_bytes(self, store: RunStore, tmp_path: Path) -> bytes:
        files = sorted(p for p in (tmp_path / "store").rglob("*") if p.is_file())
        return b"".join(p.read_bytes() for p in files)

    def corrupt_definition(self, store: RunStore, tmp_path: Path, content_hash: str) -> None:
        path = tmp_path / "store" / "definitions" / f"{content_hash.removeprefix('sha256:')}.json"
        data = json.loads(path.read_text("utf-8"))
        data["title"] = "Geändert"
        path.write_text(json.dumps(data), "utf-8")

    def rewrite_event(
        self, store: RunStore, tmp_path: Path, run_id: str, seq: int, data: dict[str, Any]
    ) -> None:
        log = tmp_path / "store" / "runs" / run_id / "events.jsonl"
        lines = log.read_bytes().splitlines(keepends=True)
        stored = json.loads(lines[seq - 1])
        data["hash"] = stored["hash"]  # the old hash, last, as the store writes it
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        lines[seq - 1] = text.encode() + b"\n"
        log.write_bytes(b"".join(lines))


class TestSqliteStore(StoreContract):
    """The SQLite store: rows of the events and definitions tables."""

    def make_store(self, tmp_path: Path) -> RunStore:
        return SqliteStore(tmp_path / "runs.sqlite")

    def stored_bytes(self, store: RunStore, tmp_path: Path) -> bytes:
        files = [tmp_path / f"runs.sqlite{suffix}" for suffix in ("", "-wal", "-shm")]
        return b"".join(p.read_bytes() for p in files if p.exists())

    def _execute(self, tmp_path: Path, sql: str, *args: object) -> None:
        conn = sqlite3.connect(tmp_path / "runs.sqlite", isolation_level=None)
        try:
            assert conn.execute(sql, args).rowcount == 1
        finally:
            conn.close()

    def corrupt_event(self, store: RunStore, tmp_path: Path, run_id: str, seq: int) -> None:
        self._execute(
            tmp_path,
            "UPDATE events SET event = ? WHERE run_id = ? AND seq = ?",
            '{"broken"',
            run_id,
            seq,
        )

    def corrupt_definition(self, store: RunStore, tmp_path: Path, content_hash: str) -> None:
        conn = sqlite3.connect(tmp_path / "runs.sqlite")
        (text,) = conn.execute(
            "SELECT definition FROM definitions WHERE content_hash = ?", (content_hash,)
        ).fetchone()
        conn.close()
        data = json.loads(text)
        data["title"] = "Geändert"
        self._execute(
            tmp_path,
            "UPDATE definitions SET definition = ? WHERE content_hash = ?",
            json.dumps(data),
            content_hash,
        )

    def rewrite_event(
        self, store: RunStore, tmp_path: Path, run_id: str, seq: int, data: dict[str, Any]
    ) -> None:
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        self._execute(
            tmp_path,
            "UPDATE events SET event = ? WHERE run_id = ? AND seq = ?",
            text,
            run_id,
            seq,
        )


class TestPostgresStore(StoreContract):
    """The PostgreSQL store: rows of sozialraum.events and sozialraum.definitions, on a
    throwaway server (the ``postgres_url`` fixture); one new database per test."""

    @pytest.fixture(autouse=True)
    def _server(self, postgres_url: str) -> Iterator[None]:
        self.server = postgres_url
        self.databases: dict[Path, str] = {}
        yield
        import psycopg

        with psycopg.connect(postgres_url, autocommit=True) as conn:
            for url in self.databases.values():
                name = url.rsplit("/", 1)[1]
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _url(self, tmp_path: Path) -> str:
        if tmp_path not in self.databases:
            import psycopg

            name = "c_" + secrets.token_hex(6)
            with psycopg.connect(self.server, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            self.databases[tmp_path] = self.server.rsplit("/", 1)[0] + "/" + name
        return self.databases[tmp_path]

    def make_store(self, tmp_path: Path) -> RunStore:
        return PostgresStore(self._url(tmp_path), create=True)

    def _execute(self, tmp_path: Path, sql: str, *args: object) -> None:
        import psycopg

        with psycopg.connect(self._url(tmp_path), autocommit=True) as conn:
            assert conn.execute(sql, args).rowcount == 1

    def stored_bytes(self, store: RunStore, tmp_path: Path) -> bytes:
        """Every row of every table of the store, as the server gives it (the live rows;
        an erasure rewrites the table with VACUUM FULL, so no dead version remains)."""
        import psycopg

        tables = (
            "runs", "events", "people", "definitions", "documents", "attachments",
            "feed", "feed_pending", "feed_entries", "migrations",
        )  # fmt: skip
        rows: list[str] = []
        with psycopg.connect(self._url(tmp_path)) as conn:
            for table in tables:
                found = conn.execute(f"SELECT t::text FROM sozialraum.{table} t").fetchall()  # noqa: S608
                rows += [row[0] for row in found]
        return "\n".join(rows).encode("utf-8")

    def corrupt_event(self, store: RunStore, tmp_path: Path, run_id: str, seq: int) -> None:
        self._execute(
            tmp_path,
            "UPDATE sozialraum.events SET event = %s WHERE run_id = %s AND seq = %s",
            '{"broken"',
            run_id,
            seq,
        )

    def corrupt_definition(self, store: RunStore, tmp_path: Path, content_hash: str) -> None:
        import psycopg

        with psycopg.connect(self._url(tmp_path)) as conn:
            (text,) = conn.execute(
                "SELECT definition FROM sozialraum.definitions WHERE content_hash = %s",
                (content_hash,),
            ).fetchone()
        data = json.loads(text)
        data["title"] = "Geändert"
        self._execute(
            tmp_path,
            "UPDATE sozialraum.definitions SET definition = %s WHERE content_hash = %s",
            json.dumps(data),
            content_hash,
        )

    def rewrite_event(
        self, store: RunStore, tmp_path: Path, run_id: str, seq: int, data: dict[str, Any]
    ) -> None:
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        self._execute(
            tmp_path,
            "UPDATE sozialraum.events SET event = %s WHERE run_id = %s AND seq = %s",
            text,
            run_id,
            seq,
        )
