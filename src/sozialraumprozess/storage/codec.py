"""Event lines: one JSON object per line, and the strict reader of a whole log.

Events are written with :func:`encode_events` (sorted keys, UTF-8, ``\\n`` after
each) using the runtime's own event format (:func:`event_to_dict`). The reader
:func:`parse_log` accepts exactly what the writer produces: every complete line
must be UTF-8, a JSON object, a valid event, and carry ``seq`` equal to its line
number. The only tolerated damage is an unterminated last line — the trace of a
write interrupted by a crash, which was never acknowledged — reported as
``torn_bytes`` and left out. Anything else raises
:class:`~sozialraumprozess.errors.CorruptRunError` naming file and line.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from attrs import frozen

from sozialraumprozess.errors import CorruptRunError, ReplayError
from sozialraumprozess.runtime.records import ProcessEvent
from sozialraumprozess.runtime.serialize import event_from_dict, event_to_dict

__all__ = [
    "LogContents",
    "check_sequence",
    "decode_event",
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


def parse_json(
    raw: bytes | str, where: str, line: int | None = None, what: tuple[str, str] = ("", "")
) -> Any:
    """The JSON value of ``raw`` (UTF-8 bytes, or text already decoded).

    Args:
        raw: A whole file, one line of a log, or a row's text.
        where: The file or row, for messages.
        line: The log line ``raw`` is (errors name it and say "of the line");
            ``None`` for a whole file (a JSON error names its own line).
        what: German and English start of the messages, e.g. ``("Definitionskopie
            ist ", "definition copy is ")``.

    Raises:
        CorruptRunError: Not UTF-8 or not JSON.
    """
    de, en = what
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        of_de, of_en = ("", "") if line is None else (" der Zeile", " of the line")
        raise CorruptRunError(
            where,
            line,
            f"{de}kein gültiges UTF-8 (Byte {exc.start + 1}{of_de})",
            f"{en}not valid UTF-8 (byte {exc.start + 1}{of_en})",
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorruptRunError(
            where,
            exc.lineno if line is None else line,
            f"{de}kein gültiges JSON (Spalte {exc.colno}: {exc.msg})",
            f"{en}not valid JSON (column {exc.colno}: {exc.msg})",
        ) from exc


def decode_event(raw: bytes | str, path: str, line: int) -> ProcessEvent:
    """One event from one line of ``path`` (without its ``\\n``), as bytes or text.

    Raises:
        CorruptRunError: Not UTF-8, not JSON, not an event, or seq not ``line``.
    """
    data = parse_json(raw, path, line)
    if not isinstance(data, dict):
        raise CorruptRunError(
            path, line, "kein JSON-Objekt", f"not a JSON object but {type(data).__name__}"
        )
    try:
        event = event_from_dict(data)
    except ReplayError as exc:
        raise CorruptRunError(path, line, exc.message_de, exc.message_en) from exc
    if event.seq != line:
        raise CorruptRunError(
            path,
            line,
            f"Ereignis hat seq {event.seq}, erwartet {line} (Lücke oder Doppelung im Protokoll)",
            f"event has seq {event.seq}, expected {line} (gap or duplicate in the log)",
        )
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
    if body:
        for number, raw in enumerate(body[:-1].split(b"\n"), start=1):
            events.append(decode_event(raw, path, number))
    return LogContents(tuple(events), end, len(data) - end)
