"""``sozialraum status`` from the run summary a store keeps, without loading the run.

``status`` is what consultants type most. Loading a run means importing the
runtime, the storage and the workflow model and replaying the log — a few
hundred milliseconds. But every store writes, with each append through any API
(this CLI, :class:`~sozialraumprozess.app.Service`,
:meth:`~sozialraumprozess.storage.Run.save`), the run's summary including the
*status facts* (:func:`~sozialraumprozess.storage.summary.status_facts`: what
``status`` shows, without a language). So ``status`` reads the summary here,
checks that it describes the stored log, and words it
(:func:`~sozialraumprozess.app.status.status_from_summary`): this module
imports neither the storage nor the runtime, only :mod:`json` and, for a SQLite
store, :mod:`sqlite3` (``benchmarks/cli_startup.py`` measures the difference).

Fresh means:

* folder store: ``run.json`` names the size of ``events.jsonl`` it was written
  for, and the log has that size (the store's own test for a stale snapshot);
* SQLite store: the summary row is written in the same transaction as the
  events, and its ``details`` are tagged with the version they describe (an
  older library updating the row leaves them behind: stale).

Anything else — another scheme, an older store or summary without facts, a
format this module does not know, several runs and no ``--run``, anything
damaged — returns ``None``, and the command loads the run as before (which also
reports every error exactly as before). Whether a phase is overdue depends on
today's date, so it is computed when the facts are read, not stored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sozialraumprozess.i18n import Lang

__all__ = ["stored_status"]

# The formats this reader knows. Repeated from sozialraumprozess.storage.formats and
# runtime.serialize, whose import would cost `status` the start-up time saved here;
# tests/cli/test_status_cache.py checks they agree. Another value: not read here.
_STORE_FORMAT = "sozialraumprozess-folder-store/1"
_RUN_FORMAT = "sozialraumprozess-folder-run/1"
_PROCESS_FORMAT = "sozialraumprozess-process/1"
_SQLITE_SCHEMA = 3
_MARKER = "sozialraumprozess-store.json"
_SQLITE_HEADER = b"SQLite format 3\x00"


def _split(url: str) -> tuple[str, str]:
    """``(scheme, target)`` as :mod:`sozialraumprozess.app.stores` splits a store URL."""
    head, sep, rest = url.partition("://")
    if not sep or len(head) < 2 or not head.replace("+", "").replace("-", "").isalnum():
        return "folder", url
    from urllib.parse import unquote

    scheme = head.lower()
    return ("folder" if scheme == "file" else scheme), unquote(rest)


def _plain_run_id(run_id: str) -> bool:
    """True for a run id that is surely safe as a folder name here (anything unusual
    goes the full way, which checks it properly and says what is wrong)."""
    return (
        0 < len(run_id) <= 128
        and not run_id.startswith(".")
        and "/" not in run_id
        and "\\" not in run_id
        and run_id.isprintable()
        and run_id == run_id.strip()
    )


def _read_json(path: Path) -> Any:
    return json.loads(path.read_bytes())


def _folder_facts(root: Path, run_id: str | None) -> tuple[str, dict[str, Any]] | None:
    marker = _read_json(root / _MARKER)
    if not isinstance(marker, dict) or marker.get("format") != _STORE_FORMAT:
        return None
    runs = root / "runs"
    if run_id is None:
        ids = [e for e in os.listdir(runs) if not e.startswith(".") and (runs / e).is_dir()]
        if len(ids) != 1:
            return None
        run_id = ids[0]
    folder = runs / run_id
    data = _read_json(folder / "run.json")  # written after the log: read it first
    if (
        not isinstance(data, dict)
        or data.get("format") != _RUN_FORMAT
        or data.get("process_format") != _PROCESS_FORMAT
    ):
        return None
    summary, log = data["summary"], data["log"]
    if summary["run_id"] != run_id or log["file"] != "events.jsonl":
        return None
    if os.stat(folder / "events.jsonl").st_size != log["bytes"]:
        return None  # stale: appended meanwhile, or a writer crashed before run.json
    return _checked(run_id, summary.get("status"), summary["version"])


def _sqlite_facts(path: Path, run_id: str | None) -> tuple[str, dict[str, Any]] | None:
    with path.open("rb") as handle:  # never let sqlite3 create a database here
        if handle.read(16) != _SQLITE_HEADER:
            return None
    import sqlite3

    try:
        conn = sqlite3.connect(str(path), timeout=5.0)
        try:
            schema = conn.execute("SELECT version FROM schema_version").fetchall()
            if schema != [(_SQLITE_SCHEMA,)]:
                return None
            if run_id is None:
                ids = conn.execute("SELECT run_id FROM runs ORDER BY run_id LIMIT 2").fetchall()
                if len(ids) != 1:
                    return None
                run_id = str(ids[0][0])
            row = conn.execute(
                "SELECT version, details, process_format FROM runs WHERE run_id = ?", (run_id,)
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:  # no such table or column (an older schema), locked, damaged …
        return None
    if row is None or row[2] != _PROCESS_FORMAT or not isinstance(row[1], str):
        return None
    details = json.loads(row[1])
    if not isinstance(details, dict) or details.get("version") != row[0]:
        return None  # left behind by an older writer
    return _checked(run_id, details.get("status"), row[0])


def _checked(run_id: str, facts: Any, version: Any) -> tuple[str, dict[str, Any]] | None:
    if isinstance(facts, dict) and facts.get("events") == version:
        return run_id, facts
    return None


def stored_status(url: str, run_id: str | None, lang: Lang) -> dict[str, Any] | None:
    """The ``status`` data of the run in the store ``url`` from its stored summary, if
    that is current and has status facts; else ``None`` (then load the run)."""
    if run_id is not None and not _plain_run_id(run_id):
        return None
    scheme, target = _split(url)
    try:
        if scheme == "folder":
            location = str(Path(target or "."))
            found = _folder_facts(Path(location), run_id)
        elif scheme == "sqlite" and target and target != ":memory:":
            location = str(Path(target))
            found = _sqlite_facts(Path(location), run_id)
        else:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing, unreadable or damaged: the full way says what is wrong
    if found is None:
        return None
    from sozialraumprozess.app.status import status_from_summary

    status = status_from_summary(found[1], found[0], location, lang)
    return None if status is None else dict(status)
