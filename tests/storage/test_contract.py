"""Both bundled stores pass the store contract (``sozialraumprozess.testing.StoreContract``)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sozialraumprozess.storage import FolderStore, RunStore, SqliteStore
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
