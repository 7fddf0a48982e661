"""``run.json``: a folder-store run's metadata and snapshot, and its checks against the log.

The file is JSON with sorted keys and two-space indentation, so that a consultant
can read it and ``git diff`` shows one changed line per changed value::

    {
      "format": "sozialraumprozess-folder-run/1",
      "log": {"bytes": 10873, "file": "events.jsonl"},
      "process_format": "sozialraumprozess-process/1",
      "summary": {"cycle": 1, "deadline": "2025-03-13", "phase": "analysieren", …}
    }

``log.bytes`` is the size of ``events.jsonl`` the snapshot describes: a log of
another size means the snapshot is stale (a writer crashed between appending and
rewriting the snapshot) and listing falls back to the log.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from attrs import frozen

from sozialraumprozess.errors import CorruptRunError
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime.serialize import PROCESS_FORMAT
from sozialraumprozess.storage.codec import parse_json
from sozialraumprozess.storage.formats import FOLDER_RUN_FORMAT, check_format
from sozialraumprozess.storage.fsutil import read_nofollow
from sozialraumprozess.storage.summary import LOG_FIELDS, RunSummary

__all__ = ["LOG_FILE", "SNAPSHOT_FILE", "Snapshot", "check_against", "encode", "read_snapshot"]

SNAPSHOT_FILE = "run.json"
LOG_FILE = "events.jsonl"


@frozen
class Snapshot:
    """A parsed ``run.json``.

    Attributes:
        summary: The run's summary at ``summary.version``.
        log_bytes: Size of ``events.jsonl`` when the snapshot was written.
        raw: The file's bytes (to name lines in errors).
        path: The file.
    """

    summary: RunSummary
    log_bytes: int
    raw: bytes
    path: str

    def line_of(self, key: str) -> int | None:
        """The 1-based line where ``"key":`` first appears one level deep (the keys of
        ``summary`` and ``log``, not those nested further, such as annual rows)."""
        needle = f'    "{key}":'
        for number, line in enumerate(self.raw.decode("utf-8").splitlines(), start=1):
            if line.startswith(needle):
                return number
        return None


def encode(summary: RunSummary, log_bytes: int) -> bytes:
    """The ``run.json`` bytes for ``summary`` over a log of ``log_bytes`` bytes."""
    data: dict[str, Any] = {
        "format": FOLDER_RUN_FORMAT,
        "process_format": PROCESS_FORMAT,
        "log": {"file": LOG_FILE, "bytes": log_bytes},
        "summary": summary.to_dict(),
    }
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def read_snapshot(path: Path) -> Snapshot:
    """Read and check ``run.json``.

    Raises:
        CorruptRunError: Missing, not UTF-8, not JSON, or not a snapshot.
        StoreLinkRefused: ``path`` is a symbolic link.
        UnsupportedFormat: A newer or unknown ``format``/``process_format``.
    """
    where = str(path)
    try:
        raw = read_nofollow(path)
    except FileNotFoundError as exc:
        raise CorruptRunError(where, None, msg("store.file-missing")) from exc
    data = parse_json(raw, where)
    if not isinstance(data, dict):
        raise CorruptRunError(where, 1, msg("store.snapshot-not-object"))
    check_format(data.get("format"), FOLDER_RUN_FORMAT, where)
    check_format(data.get("process_format"), PROCESS_FORMAT, where)
    try:
        log = data["log"]
        log_bytes = log["bytes"]
        if not isinstance(log_bytes, int) or log.get("file") != LOG_FILE:
            raise TypeError("log.bytes must be an integer and log.file 'events.jsonl'")
        summary = RunSummary.from_dict(data["summary"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CorruptRunError(
            where, None, msg("store.snapshot-malformed", detail=repr(exc))
        ) from exc
    return Snapshot(summary, log_bytes, raw, where)


def check_against(snapshot: Snapshot, actual: RunSummary, log_size: int, run_id: str) -> bool:
    """Compare a snapshot with the summary rebuilt from the log.

    Returns:
        ``True`` if the snapshot is current, ``False`` if it is stale (older than
        the log, the trace of a crash after an append: harmless, the log wins).

    Raises:
        CorruptRunError: The snapshot claims more events than the log has, belongs
            to another run, or disagrees with the log at the same version.
    """
    stored = snapshot.summary
    if stored.run_id != run_id:
        raise _disagree(snapshot, "run_id", stored.run_id, run_id)
    if stored.version > actual.version:
        raise CorruptRunError(
            snapshot.path,
            snapshot.line_of("version"),
            msg("store.snapshot-ahead", stored=stored.version, actual=actual.version),
        )
    if stored.version < actual.version:
        return False
    for key in LOG_FIELDS:
        if getattr(stored, key) != getattr(actual, key):
            raise _disagree(snapshot, key, getattr(stored, key), getattr(actual, key))
    if snapshot.log_bytes != log_size:
        raise CorruptRunError(
            snapshot.path,
            snapshot.line_of("bytes"),
            msg("store.snapshot-bytes", stored=snapshot.log_bytes, actual=log_size),
        )
    return True


def _disagree(snapshot: Snapshot, key: str, stored: object, actual: object) -> CorruptRunError:
    return CorruptRunError(
        snapshot.path,
        snapshot.line_of(key),
        msg("store.snapshot-disagrees", key=key, stored=repr(stored), actual=repr(actual)),
    )
