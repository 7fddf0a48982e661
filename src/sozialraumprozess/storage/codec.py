"""Event lines: one JSON object per line, and the strict reader of a whole log.

Events are written with :func:`encode_events` (sorted keys, UTF-8, ``\\n`` after
each) using the runtime's own event format (:func:`event_to_dict`). The reader
:func:`parse_log` accepts exactly what the writer produces: every complete line
must be UTF-8, a JSON object, a valid event (older event versions are upcast,
see :mod:`~sozialraumprozess.runtime.events`), and carry ``seq`` equal to its
line number. The only tolerated damage is an unterminated last line — the trace of a
write interrupted by a crash, which was never acknowledged — reported as
``torn_bytes`` and left out. Anything else raises
:class:`~sozialraumprozess.errors.CorruptRunError` naming file and line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from attrs import frozen

from sozialraumprozess.errors import CorruptRunError
from sozialraumprozess.i18n import Message, msg
from sozialraumprozess.runtime.events import EventDataError
from sozialraumprozess.runtime.records import ProcessEvent
from sozialraumprozess.runtime.serialize import EventDecoder, event_to_dict

__all__ = [
    "LogContents",
    "check_sequence",
    "decode_event",
    "decode_lines",
    "encode_events",
    "parse_json",
    "parse_log",
]


def encode_events(events: Sequence[ProcessEvent]) -> bytes:
    """The events as JSON lines (sorted keys, compact, UTF-8), each ending in ``\\n``."""
    lines = [
        json.dumps(event_to_dict(event), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        for event in events
    ]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def check_sequence(events: Sequence[ProcessEvent], expected_version: int) -> None:
    """Check that ``events`` continue a log of ``expected_version`` events without gaps.

    Raises:
        ValueError: ``events`` is empty or its seqs are not ``expected_version + 1, …``.
    """
    if not events:
        raise ValueError("nothing to append: no events given")
    for offset, event in enumerate(events):
        if event.seq != expected_version + 1 + offset:
            raise ValueError(
                f"event seq {event.seq} does not continue version {expected_version} "
                f"(expected seq {expected_version + 1 + offset})"
            )


def _corrupt(path: str, line: int | None, message: Message) -> CorruptRunError:
    return CorruptRunError(path, line, message.text("de"), message.text("en"))


def parse_json(
    raw: bytes | str, where: str, line: int | None = None, what: Message | None = None
) -> Any:
    """The JSON value of ``raw`` (UTF-8 bytes, or text already decoded).

    Args:
        raw: A whole file, one line of a log, or a row's text.
        where: The file or row, for messages.
        line: The log line ``raw`` is (errors name it and say "of the line");
            ``None`` for a whole file (a JSON error names its own line).
        what: What ``raw`` is, put before the problem in messages
            (``store.copy-is``: "Definitionskopie ist …").

    Raises:
        CorruptRunError: Not UTF-8 or not JSON.
    """
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        byte = exc.start + 1
        problem = (
            msg("store.log-not-utf8", byte=byte)
            if line is None
            else msg("store.log-not-utf8-line", byte=byte)
        )
        raise CorruptRunError(where, line, _about(what, problem)) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        problem = msg("store.log-not-json", column=exc.colno, problem=exc.msg)
        raise CorruptRunError(
            where, exc.lineno if line is None else line, _about(what, problem)
        ) from exc


def _about(what: Message | None, problem: Message) -> Message:
    return problem if what is None else msg("store.what-problem", what=what, problem=problem)


def decode_event(
    raw: bytes | str, path: str, line: int, decoder: EventDecoder | None = None
) -> ProcessEvent:
    """One event from one line of ``path`` (without its ``\\n``), as bytes or text.

    Raises:
        CorruptRunError: Not UTF-8, not JSON, not an event, or seq not ``line``.
    """
    return _event(parse_json(raw, path, line), path, line, decoder or EventDecoder())


def _event(data: Any, path: str, line: int, decoder: EventDecoder) -> ProcessEvent:
    if not isinstance(data, dict):
        raise _corrupt(path, line, msg("store.log-not-object", kind=type(data).__name__))
    try:
        event = decoder.decode(data)
    except EventDataError as exc:
        raise _corrupt(path, line, msg("runtime.event-unreadable", detail=str(exc))) from exc
    if event.seq != line:
        raise _corrupt(path, line, msg("store.log-seq-mismatch", seq=event.seq, line=line))
    return event


@frozen
class LogContents:
    """A log as read from bytes.

    Attributes:
        events: Every complete event, in order.
        good_size: Bytes up to and including the last complete line.
        torn_bytes: Bytes of an unterminated last line (0 if none).
    """

    events: tuple[ProcessEvent, ...]
    good_size: int
    torn_bytes: int


def parse_log(data: bytes, path: str) -> LogContents:
    """Every event of a whole log file's bytes.

    Raises:
        CorruptRunError: A complete line is damaged (names ``path`` and the line).
    """
    end = data.rfind(b"\n") + 1
    body = data[:end]
    events: list[ProcessEvent] = []
    if not body:
        return LogContents((), end, len(data) - end)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:  # the slow way, line by line, names the damaged line
        decoder = EventDecoder()
        lines = enumerate(body[:-1].split(b"\n"), start=1)
        events = [decode_event(raw, path, number, decoder) for number, raw in lines]
        return LogContents(tuple(events), end, len(data) - end)
    events = decode_lines(text[:-1].split("\n"), path)
    return LogContents(tuple(events), end, len(data) - end)


def decode_lines(lines: Iterable[str], path: str) -> list[ProcessEvent]:
    """The events of ``lines`` (a log's lines as text, without ``\\n``; line 1 first).

    One decoder for all lines (it shares equal actors) and the JSON scanner on
    each line: about 1.5x quicker than ``decode_event`` per line
    (``benchmarks/open_run.py``; the SQLite store reads its rows through this).
    Anything the scanner does not take whole goes through ``json.loads`` for its
    exact message.

    Raises:
        CorruptRunError: A line is not JSON, not an event, or its seq is not its
            line number (names ``path`` and the line).
    """
    decoder = EventDecoder()
    scan = _SCANNER
    events: list[ProcessEvent] = []
    append = events.append
    for number, line in enumerate(lines, start=1):
        try:
            value, stop = scan(line, 0)
        except (StopIteration, ValueError):
            value, stop = None, -1
        if stop != len(line):
            value = parse_json(line, path, number)
        append(_event(value, path, number, decoder))
    return events


_SCANNER: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
