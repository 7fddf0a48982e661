"""The change feed: every event of a store, across all runs, in one order.

Each store numbers the events it stores with a *position*: 1, 2, 3, … in the
order their writes were committed, one number per event, across all runs.
``store.changes(after=p)`` lists the events with positions above ``p``, oldest
first, so an integration (notifications, a search index, the municipality's data
warehouse) follows a whole store by remembering one number::

    position = load_position()              # 0 the first time
    for change in store.changes(after=position):
        handle(change)                      # must tolerate seeing a change twice
        save_position(change.position)      # after handling: at-least-once

The order is gap-free for readers: a position, once a reader has been given
positions beyond it, never gets an event later (a writer that takes positions
makes them visible together with its events, in position order). So a follower
that continues after the last position it handled never skips an event, even
while many writers commit at once. Events of a deleted run leave the feed; their
positions are not used again.

How each store keeps the order:

* folder: ``feed.jsonl`` at the store's root, one line per event
  (``{"position", "run", "seq", "incarnation"}``), appended under the store-wide
  lock ``.feed.lock`` in the same critical section as the events themselves (see
  :class:`FolderFeed`);
* SQLite: the column ``events.position`` and the one-row counter table ``feed``,
  set in the write's ``BEGIN IMMEDIATE`` transaction (writers take turns);
* PostgreSQL: the same column and counter row, updated in the write's
  transaction; the counter row's lock makes writers commit in position order, and
  a ``NOTIFY`` wakes followers (see ``PostgresStore.wait_for_changes``).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from attrs import frozen

from sozialraumprozess.errors import CorruptRunError
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime.clock import format_time
from sozialraumprozess.runtime.records import ProcessEvent
from sozialraumprozess.storage.codec import decode_event, parse_log
from sozialraumprozess.storage.fsutil import exclusive_lock, write_all

__all__ = [
    "DEFAULT_LIMIT",
    "FEED_FILE",
    "INCARNATION_FILE",
    "Change",
    "FolderFeed",
    "changes_of",
    "check_after",
    "decode_row",
]

#: The most changes one call of ``changes`` returns unless told otherwise.
DEFAULT_LIMIT = 1000
#: The folder store's feed (at its root).
FEED_FILE = "feed.jsonl"
#: The store-wide lock of a folder store's feed.
_FEED_LOCK = ".feed.lock"
#: An append in progress: written before the events, removed after the feed lines.
_PENDING = ".feed.pending"
#: In a run folder: the token telling this run apart from an earlier run of the same id.
INCARNATION_FILE = ".incarnation"


@frozen
class Change:
    """One event of the change feed.

    Attributes:
        position: Its place in the store's feed (1, 2, …).
        run_id: The run it belongs to.
        event: The event (its ``seq`` is its place in the run's log).
    """

    position: int
    run_id: str
    event: ProcessEvent

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible data: ``position``, ``run``, ``seq``, ``type``, ``time``,
        ``actor`` (``role``, ``participant``) and ``payload``."""
        event = self.event
        return {
            "position": self.position,
            "run": self.run_id,
            "seq": event.seq,
            "type": event.type,
            "time": format_time(event.time),
            "actor": {"role": event.actor.role, "participant": event.actor.participant},
            "payload": event.payload,
        }


def check_after(after: int, limit: int) -> None:
    """Refuse a negative position or a limit below 1.

    Raises:
        ValueError: ``after`` < 0 or ``limit`` < 1.
    """
    if isinstance(after, bool) or not isinstance(after, int) or after < 0:
        raise ValueError(f"after must be a position (an integer >= 0), not {after!r}")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"limit must be an integer >= 1, not {limit!r}")


class FolderFeed:
    """The change feed of a folder store (``feed.jsonl`` at its root).

    Every line is ``{"incarnation", "position", "run", "seq"}``: the event ``seq``
    of run ``run`` got ``position``. ``incarnation`` is the token in the run's
    ``.incarnation`` file, written when the run was created, so lines of a deleted
    run are not taken for a later run of the same id ("" for runs created before
    the feed existed).

    A writer holds the store-wide lock ``.feed.lock`` while it (1) notes what it
    is about to append in ``.feed.pending`` (fsync), (2) appends the events to the
    run's log (fsync), (3) appends the feed lines (fsync) and (4) removes the note.
    Whoever takes the lock next and finds a note completes it: the feed lines of
    those events that made it into the log are appended, so no stored event is
    left out of the feed after a crash, and no feed line names an event that was
    never stored. Readers take the same lock, so they never see a write half done.

    A store without ``feed.jsonl`` (made before the feed existed) gets one the
    first time the lock is taken: the events of every run, ordered by time, run
    and seq.
    """

    def __init__(self, root: Path, runs: Path) -> None:
        self.root = root
        self.runs = runs
        self.path = root / FEED_FILE

    # ------------------------------------------------------------------ writing

    @contextlib.contextmanager
    def writing(self, run_id: str, incarnation: str, first: int, last: int) -> Iterator[None]:
        """Hold the feed lock around storing events ``first``…``last`` of a run; the
        feed lines follow when the block ends without an error."""
        with self._locked():
            pending = self.root / _PENDING
            note = {"run": run_id, "incarnation": incarnation, "first": first, "last": last}
            _write_synced(pending, json.dumps(note).encode("utf-8"), create=True)
            try:
                yield
            except BaseException:
                self._recover()  # lists whatever of it was stored nevertheless
                raise
            self._append(run_id, incarnation, first, last)
            pending.unlink()

    @staticmethod
    def new_incarnation() -> str:
        """A fresh token for a new run's ``.incarnation`` file."""
        return secrets.token_hex(8)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with exclusive_lock(self.root / _FEED_LOCK):
            if not self.path.exists():
                self._build()
            self._recover()
            yield

    def _append(self, run_id: str, incarnation: str, first: int, last: int) -> None:
        position = self._last_position()
        lines = [
            json.dumps(
                {"incarnation": incarnation, "position": position + n, "run": run_id, "seq": seq},
                ensure_ascii=False,
                sort_keys=True,
            )
            + "\n"
            for n, seq in enumerate(range(first, last + 1), start=1)
        ]
        _write_synced(self.path, "".join(lines).encode("utf-8"), create=False)

    def _recover(self) -> None:
        """Complete an append a crash interrupted (see the class docs)."""
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end != len(data):  # a torn feed line: never complete, so never read
            fd = os.open(self.path, os.O_WRONLY)
            try:
                os.ftruncate(fd, end)
                os.fsync(fd)
            finally:
                os.close(fd)
        pending = self.root / _PENDING
        try:
            note = json.loads(pending.read_bytes())
        except FileNotFoundError:
            return
        except ValueError:  # torn note: written before the events, so none were stored
            pending.unlink()
            return
        run_id, incarnation = str(note["run"]), str(note["incarnation"])
        first, last = int(note["first"]), int(note["last"])
        stored = len(self._log(run_id, incarnation) or ())
        listed = {
            entry["seq"]
            for entry in self._entries(0)
            if entry["run"] == run_id and entry["incarnation"] == incarnation
        }
        missing = [seq for seq in range(first, min(last, stored) + 1) if seq not in listed]
        if missing:
            self._append(run_id, incarnation, missing[0], missing[-1])
        pending.unlink()

    def _build(self) -> None:
        """Write the feed of a store made before it existed (every stored event)."""
        found: list[tuple[str, str, int, str]] = []
        if self.runs.is_dir():
            for entry in sorted(os.listdir(self.runs)):
                if entry.startswith("."):
                    continue
                incarnation = self.incarnation(entry) or ""
                for event in self._log(entry, incarnation) or ():
                    found.append((format_time(event.time), entry, event.seq, incarnation))
        found.sort()
        lines = [
            json.dumps(
                {"incarnation": inc, "position": n, "run": run, "seq": seq},
                ensure_ascii=False,
                sort_keys=True,
            )
            + "\n"
            for n, (_, run, seq, inc) in enumerate(found, start=1)
        ]
        tmp = self.path.with_name(f".{FEED_FILE}.{secrets.token_hex(4)}.tmp")
        _write_synced(tmp, "".join(lines).encode("utf-8"), create=True)
        os.replace(tmp, self.path)

    # ------------------------------------------------------------------ reading

    def incarnation(self, run_id: str) -> str | None:
        """The run's token ("" for a run made before the feed), ``None`` if it is gone."""
        folder = self.runs / run_id
        try:
            return (folder / INCARNATION_FILE).read_text("utf-8").strip()
        except FileNotFoundError:
            return "" if folder.is_dir() else None

    def _log(self, run_id: str, incarnation: str) -> tuple[ProcessEvent, ...] | None:
        """The run's stored events if it is still the run of that incarnation."""
        if self.incarnation(run_id) != incarnation:
            return None
        log = self.runs / run_id / "events.jsonl"
        try:
            data = log.read_bytes()
        except FileNotFoundError:
            return None
        return parse_log(data, str(log)).events

    def _entries(self, after: int) -> Iterator[dict[str, Any]]:
        with self.path.open("rb") as handle:
            self._seek(handle, after)
            for raw in handle:
                if not raw.endswith(b"\n"):
                    return
                try:
                    entry = json.loads(raw)
                    position = entry["position"]
                except (ValueError, KeyError, TypeError) as exc:
                    raise CorruptRunError(
                        str(self.path), None, msg("feed.line-unreadable", error=str(exc))
                    ) from exc
                if position > after:
                    yield entry

    def _seek(self, handle: Any, after: int) -> None:
        """Move ``handle`` to a line at or before the first position above ``after``
        (bisection over the file: lines are in position order)."""
        low, high = 0, os.fstat(handle.fileno()).st_size
        while high - low > 4096:
            middle = (low + high) // 2
            handle.seek(middle)
            handle.readline()  # to the start of the next line
            line = handle.readline()
            if not line.endswith(b"\n"):
                high = middle
                continue
            try:
                position = int(json.loads(line)["position"])
            except (ValueError, KeyError, TypeError):
                break  # reported by the linear read
            if position <= after:
                low = middle
            else:
                high = middle
        handle.seek(low)
        if low:
            handle.readline()  # ``low`` may fall inside a line: skip to the next one

    def _last_position(self) -> int:
        size = self.path.stat().st_size
        if not size:
            return 0
        with self.path.open("rb") as handle:
            handle.seek(max(0, size - 4096))
            tail = handle.read().splitlines()
        try:
            return int(json.loads(tail[-1])["position"])
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise CorruptRunError(
                str(self.path), None, msg("feed.line-unreadable", error=str(exc))
            ) from exc

    def changes(self, after: int, limit: int) -> list[Change]:
        """The changes after position ``after`` (at most ``limit``), oldest first."""
        out: list[Change] = []
        with self._locked():
            logs: dict[tuple[str, str], tuple[ProcessEvent, ...] | None] = {}
            for entry in self._entries(after):
                key = (str(entry["run"]), str(entry["incarnation"]))
                if key not in logs:
                    logs[key] = self._log(*key)
                events = logs[key]
                seq = int(entry["seq"])
                if events is None or seq > len(events):
                    continue  # the run was deleted
                out.append(Change(int(entry["position"]), key[0], events[seq - 1]))
                if len(out) == limit:
                    break
        return out


def _write_synced(path: Path, data: bytes, *, create: bool) -> None:
    flags = os.O_WRONLY | (os.O_CREAT | os.O_TRUNC if create else os.O_APPEND)
    fd = os.open(path, flags, 0o644)
    try:
        write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def decode_row(position: int, run_id: str, seq: int, text: str, where: str) -> Change:
    """A change from a database row (the event's JSON text).

    Raises:
        CorruptRunError: The text is not an event of that seq.
    """
    return Change(position, run_id, decode_event(text, where, seq))


def changes_of(rows: Sequence[tuple[int, str, int, str]], where: str) -> list[Change]:
    """Changes from ``(position, run_id, seq, event text)`` rows."""
    return [
        decode_row(position, run_id, seq, text, f"{where} [run {run_id!r}, event]")
        for position, run_id, seq, text in rows
    ]
