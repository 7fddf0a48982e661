"""A small cache that lets ``sozialraum status`` answer without replaying the run.

``status`` is what consultants type most. Loading a run means importing the
runtime, the storage and the workflow model and replaying the log — a few
hundred milliseconds. The answer only changes when the log changes, so after a
full ``status`` (and after every command of this CLI) the result is kept in
``runs/<id>/.status-cache.json``, tagged with the size and modification time of
``events.jsonl``. The log is append-only: any new event, a cut torn tail, or a
replaced file changes the tag, and the cache is ignored and rewritten.

The cache is an optimisation only: it is written atomically and on a best-effort
basis, nothing reads it except ``status``, and deleting it is always safe.
Whether a phase is overdue depends on today's date, so it is computed when the
cache is read, not stored.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sozialraumprozess.i18n import Lang

__all__ = ["CACHE_FILE", "cached_status", "write_status_cache"]

CACHE_FILE = ".status-cache.json"
_VERSION = 1
_MARKER = "sozialraumprozess-store.json"


def _tag(run_dir: Path) -> dict[str, int] | None:
    try:
        stat = (run_dir / "events.jsonl").stat()
    except OSError:
        return None
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _folder(url: str) -> str | None:
    """The folder of a folder-store URL (a path or ``file://``); ``None`` for other stores.

    Parsed here rather than by :mod:`sozialraumprozess.app.stores`, whose import
    would cost ``status`` the start-up time this cache saves.
    """
    head, sep, rest = url.partition("://")
    if not sep or len(head) < 2:
        return url
    return rest if head.lower() in ("file", "folder") else None


def _run_dir(url: str, run_id: str | None) -> Path | None:
    directory = _folder(url)
    if directory is None:
        return None
    root = Path(directory)
    if not (root / _MARKER).is_file():
        return None
    runs = root / "runs"
    if run_id is not None:
        return runs / run_id
    try:
        ids = [p for p in runs.iterdir() if p.is_dir() and not p.name.startswith(".")]
    except OSError:
        return None
    return ids[0] if len(ids) == 1 else None


def cached_status(url: str, run_id: str | None, lang: Lang) -> dict[str, Any] | None:
    """The cached ``status`` data of the run in the store ``url``, if it is current and
    the store is a folder store; else ``None``."""
    run_dir = _run_dir(url, run_id)
    if run_dir is None:
        return None
    try:
        cached = json.loads((run_dir / CACHE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(cached, dict) or cached.get("version") != _VERSION:
        return None
    if cached.get("tag") != _tag(run_dir) or lang not in cached.get("data", {}):
        return None
    data: dict[str, Any] = cached["data"][lang]
    data["store"] = str(run_dir.parent.parent)
    deadline = data.get("deadline")
    today = datetime.now(UTC).date()
    data["overdue"] = deadline is not None and today > date.fromisoformat(deadline)
    return data


def write_status_cache(run_dir: Path, by_lang: dict[str, dict[str, Any]]) -> None:
    """Keep ``status`` data (per language) for the log as it is now; never raises."""
    tag = _tag(run_dir)
    if tag is None:
        return
    payload = {"version": _VERSION, "tag": tag, "data": by_lang}
    temporary = run_dir / f"{CACHE_FILE}.{os.getpid()}.tmp"
    try:
        temporary.write_text(json.dumps(payload, ensure_ascii=False, sort_keys=True), "utf-8")
        os.replace(temporary, run_dir / CACHE_FILE)
    except OSError:
        temporary.unlink(missing_ok=True)
