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
from sozialraumprozess.storage.chain import GENESIS, chain_line, link, split_line

__all__ = [
    "LogContents",
    "check_links",
    "check_sequence",
    "decode_chained",
    "decode_event",
    "decode_lines",
    "encode_chained",
    "encode_events",
    "parse_json",
    "parse_log",
    "unchain_lines",
]


def encode_events(events: Sequence[ProcessEvent]) -> bytes:
    """The events as JSON lines (sorted keys, compact, UTF-8), each ending in ``\\n``."""
    lines = [
        json.dumps(event_to_dict(event), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        for event in events
    ]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def encode_chained(events: Sequence[ProcessEvent], prev: str) -> tuple[bytes, str]:
    """The events as chained lines (see :mod:`.chain`) after an event with hash ``prev``
    (:data:`~.chain.GENESIS` for a new run); returns the bytes and the new head."""
    lines = []
    for event in events:
        content = json.dumps(
            event_to_dict(event), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        ).encode("utf-8")
        line, prev = chain_line(content, prev)
        lines.append(line)
    return b"\n".join(lines) + b"\n", prev


def unchain_lines(lines: Sequence[str], path: str) -> tuple[list[str], str | None]:
    """Check the chain of a log's lines (text without ``\\n``, line 1 first).

    Returns:
        The lines' canonical contents (the events' JSON without ``hash``) and the
        recomputed head; for a log written before chains (line 1 has no hash)
        the lines themselves and ``None``.

    Raises:
        CorruptRunError: A line's hash is not the one its content and its
            predecessor give, or only some lines carry a hash (names the first).
    """
    contents, head, problem = _unchain(lines, path)
    if problem is not None:
        raise problem
    return contents, head


def _unchain(
    lines: Sequence[str], path: str
) -> tuple[list[str], str | None, CorruptRunError | None]:
    """:func:`unchain_lines`, returning the first problem instead of raising it (the
    contents then hold every line, a line without a hash as it is)."""
    chained = bool(lines) and split_line(lines[0]) is not None
    contents: list[str] = []
    problem: CorruptRunError | None = None
    prev = GENESIS
    for number, line in enumerate(lines, start=1):
        parts = split_line(line)
        if parts is None:
            contents.append(line)
            if chained and problem is None:
                problem = _corrupt(path, number, msg("chain.line-missing-hash"))
            continue
        content, stored = parts
        contents.append(content)
        if not chained:
            if problem is None:  # line 1 lost its hash, or hashes were added to some lines
                problem = _corrupt(path, 1, msg("chain.line-missing-hash"))
            continue
        if problem is None:
            computed = link(prev, content.encode("utf-8"))
            if computed != stored:
                problem = _corrupt(path, number, msg("chain.line-changed", seq=number))
            prev = computed
    return contents, (prev if chained else None), problem


def decode_chained(lines: Sequence[str], path: str) -> tuple[list[ProcessEvent], str | None]:
    """The events of a log's lines and the chain's head (``None``: not chained).

    Of a chain problem and a line that cannot be decoded, the earlier line is
    reported (the same line: the decoding problem, which says more).

    Raises:
        CorruptRunError: The first damaged line (names ``path`` and the line).
    """
    contents, head, problem = _unchain(lines, path)
    try:
        events = decode_lines(contents, path)
    except CorruptRunError as exc:
        if problem is not None and (exc.line or 0) > (problem.line or 0):
            raise problem from None
        raise
    if problem is not None:
        raise problem
    return events, head


def check_links(texts: Sequence[str], hashes: Sequence[object], where: str) -> str:
    """The head of a chain kept beside the event texts (one hash per row, seq 1 first).

    Raises:
        CorruptRunError: A row's hash is missing or not the recomputed one (names
            ``where`` and the row's seq).
    """
    prev = GENESIS
    for number, (text, stored) in enumerate(zip(texts, hashes, strict=True), start=1):
        computed = link(prev, text.encode("utf-8"))
        if stored != computed:
            problem = msg("chain.line-missing-hash") if stored is None else None
            raise _corrupt(where, number, problem or msg("chain.line-changed", seq=number))
        prev = computed
    return prev


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
        head: The recomputed hash of the last event (see :mod:`.chain`);
            ``None`` for a log written before chains.
    """

    events: tuple[ProcessEvent, ...]
    good_size: int
    torn_bytes: int
    head: str | None = None


def parse_log(data: bytes, path: str) -> LogContents:
    """Every event of a whole log file's bytes.

    Raises:
        CorruptRunError: A complete line is damaged (names ``path`` and the line).
    """
    end = data.rfind(b"\n") + 1
    body = data[:end]
    if not body:
        return LogContents((), end, len(data) - end, GENESIS)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:  # the slow way, line by line, names the damaged line
        for number, raw in enumerate(body[:-1].split(b"\n"), start=1):
            parse_json(raw, path, number)
        raise AssertionError("unreachable: some line is not UTF-8") from None  # pragma: no cover
    events, head = decode_chained(text[:-1].split("\n"), path)
    return LogContents(tuple(events), end, len(data) - end, head)


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
