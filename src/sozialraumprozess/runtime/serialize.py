"""Plain data out and in: a process as JSON-compatible dicts, with a format version.

The stored form is the pinned definition plus the event log; the state is always
rebuilt by replaying the log, never stored. Times are ISO 8601 strings in UTC
(``2024-03-01T09:00:00Z``). No pickles.

::

    {"format": "sozialraumprozess-process/1",
     "workflow": {"id": …, "version": …, "content_hash": …},
     "events": [{"seq": 1, "time": "…Z", "actor": {"role": …, "participant": …},
                 "type": "process_started", "payload": {…}}, …]}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import DefinitionMismatch, ReplayError
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime._fold import Definitions
from sozialraumprozess.runtime.clock import Clock, format_time, parse_time
from sozialraumprozess.runtime.events import EVENT_TYPES, EventDataError
from sozialraumprozess.runtime.records import Actor, ProcessEvent

if TYPE_CHECKING:
    from sozialraumprozess.runtime.process import Process

__all__ = [
    "PROCESS_FORMAT",
    "EventDecoder",
    "event_from_dict",
    "event_to_dict",
    "events_from_dicts",
    "process_from_dict",
    "process_to_dict",
]

#: The format identifier of stored processes; bump on incompatible changes.
PROCESS_FORMAT = "sozialraumprozess-process/1"

P = TypeVar("P", bound="Process")

_ENVELOPE = frozenset(("actor", "payload", "seq", "time", "type"))
_VERSIONED = _ENVELOPE | {"type_version", "key", "date"}
_ACTOR_KEYS = frozenset(("role", "participant"))


def event_to_dict(entry: ProcessEvent) -> dict[str, Any]:
    """One log event as JSON-compatible data (``type_version`` only for versions above 1,
    ``key`` only for events stored with an idempotency key)."""
    event, actor = entry.event, entry.actor
    data: dict[str, Any] = {
        "seq": entry.seq,
        "time": format_time(entry.time),
        "actor": {"role": actor.role, "participant": actor.participant},
        "type": event.TYPE,
        "payload": event.to_payload(),
    }
    if event.VERSION != 1:
        data["type_version"] = event.VERSION
    if entry.date is not None:
        data["date"] = entry.date.isoformat()
    if entry.key is not None:
        data["key"] = entry.key
    return data


class EventDecoder:
    """Turns stored event dicts into :class:`ProcessEvent` objects, upcasting old versions.

    One decoder reads one log: it shares equal :class:`Actor` objects between
    the log's events (a log names few actors), which keeps a loaded log small
    and fast to build (``benchmarks/open_run.py``).
    """

    __slots__ = ("_actors",)

    def __init__(self) -> None:
        self._actors: dict[tuple[Any, Any], Actor] = {}

    def decode(self, data: Any) -> ProcessEvent:
        """One event.

        Raises:
            EventDataError: ``data`` is not a valid event (every problem, with its path).
        """
        if type(data) is not dict:
            raise EventDataError([f"expected an object @ $, got {type(data).__name__}"])
        if not data.keys() <= _VERSIONED or len(data) < 5:
            raise _envelope_problems(data)
        seq, time, actor, kind, payload = (
            data["seq"],
            data["time"],
            data["actor"],
            data["type"],
            data["payload"],
        )
        cls = EVENT_TYPES.get(kind) if type(kind) is str else None
        if type(seq) is not int or type(time) is not str or cls is None:
            raise _envelope_problems(data)
        if type(actor) is not dict:
            raise EventDataError([f"expected an object @ $.actor, got {type(actor).__name__}"])
        role, participant = actor.get("role"), actor.get("participant")
        if (
            type(role) is not str
            or not (participant is None or type(participant) is str)
            or not actor.keys() <= _ACTOR_KEYS
        ):
            raise _actor_problems(actor)
        who = self._actors.get((role, participant))
        if who is None:
            who = self._actors[role, participant] = Actor(role, participant)
        try:
            moment = _time(time)
        except ValueError as exc:
            raise EventDataError([f"{exc} @ $.time"]) from None
        if type(payload) is not dict:
            raise EventDataError([f"expected an object @ $.payload, got {type(payload).__name__}"])
        version = data.get("type_version", 1)
        if version != cls.VERSION:
            payload = _upcast(cls, payload, version)
        key = data.get("key")
        if key is not None and type(key) is not str:
            raise EventDataError([f"expected text @ $.key, got {key!r}"])
        day = data.get("date")
        effective = None if day is None else _day(day)
        return ProcessEvent(seq, moment, who, cls.from_payload(payload), effective, key)


def _day(text: Any) -> date:
    """The effective date stored as ``"date": "YYYY-MM-DD"`` in the envelope."""
    if type(text) is str and len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise EventDataError([f"expected an ISO date YYYY-MM-DD @ $.date, got {text!r}"])


def _time(text: str) -> datetime:
    """:func:`parse_time`, quicker for the stored form ``…Z`` (``benchmarks/open_run.py``)."""
    if text[-1:] == "Z":
        moment = datetime.fromisoformat(text)  # 3.11+: "Z" is UTC
        if moment.tzinfo is UTC:
            return moment
    return parse_time(text)


def _upcast(cls: type[Any], payload: dict[str, Any], version: Any) -> dict[str, Any]:
    if type(version) is not int or not 1 <= version <= cls.VERSION:
        raise EventDataError(
            [
                f"version {version!r} of {cls.TYPE!r} is not one this library reads "
                f"(1 to {cls.VERSION}) @ $.type_version"
            ]
        )
    for step in range(version, cls.VERSION):
        payload = cls.UPCASTERS[step](payload)
    return payload


def _envelope_problems(data: dict[Any, Any]) -> EventDataError:
    problems = [f"required field missing @ $.{key}" for key in sorted(_ENVELOPE) if key not in data]
    extra = sorted(str(key) for key in data if key not in _VERSIONED)
    if extra:
        problems.append(f"extra fields found @ $: {', '.join(extra)}")
    if "seq" in data and type(data["seq"]) is not int:
        problems.append(f"expected an integer @ $.seq, got {data['seq']!r}")
    if "time" in data and type(data["time"]) is not str:
        problems.append(f"expected an ISO time string @ $.time, got {data['time']!r}")
    kind = data.get("type")
    if "type" in data and (type(kind) is not str or kind not in EVENT_TYPES):
        problems.append(f"unknown event type {kind!r} @ $.type")
    return EventDataError(problems or ["invalid event @ $"])


def _actor_problems(actor: dict[Any, Any]) -> EventDataError:
    problems = []
    if type(actor.get("role")) is not str:
        problems.append(
            "required field missing @ $.actor.role"
            if "role" not in actor
            else f"expected text @ $.actor.role, got {actor['role']!r}"
        )
    participant = actor.get("participant")
    if not (participant is None or type(participant) is str):
        problems.append(f"expected text or null @ $.actor.participant, got {participant!r}")
    extra = sorted(str(key) for key in actor if key not in _ACTOR_KEYS)
    if extra:
        problems.append(f"extra fields found @ $.actor: {', '.join(extra)}")
    return EventDataError(problems or ["invalid actor @ $.actor"])


def event_from_dict(data: Mapping[str, Any]) -> ProcessEvent:
    """One log event from :func:`event_to_dict` data (older event versions upcast).

    Raises:
        ReplayError: The data is not a valid event.
    """
    try:
        return EventDecoder().decode(dict(data) if isinstance(data, Mapping) else data)
    except EventDataError as exc:
        raise _unreadable(data, exc) from exc


def _unreadable(data: Any, exc: EventDataError) -> ReplayError:
    seq = data.get("seq") if isinstance(data, Mapping) else None
    return ReplayError(
        seq if type(seq) is int else None, msg("runtime.event-unreadable", detail=str(exc))
    )


def events_from_dicts(items: list[Any]) -> Iterator[ProcessEvent]:
    """:func:`event_from_dict` for each item, with one decoder for the whole log.

    Raises:
        ReplayError: An item is not a valid event.
    """
    decode = EventDecoder().decode
    for item in items:
        try:
            yield decode(item)
        except EventDataError as exc:
            raise _unreadable(item, exc) from exc


def process_to_dict(process: Process) -> dict[str, Any]:
    """The process as JSON-compatible data: format, pinned workflow, events."""
    pinned = process.pinned
    return {
        "format": PROCESS_FORMAT,
        "workflow": {
            "id": pinned.id,
            "version": pinned.version,
            "content_hash": pinned.content_hash,
        },
        "events": [event_to_dict(event) for event in process.log],
    }


def process_from_dict(
    cls: type[P],
    data: Mapping[str, Any],
    workflow: Workflow,
    clock: Clock | None,
    definitions: Definitions | None = None,
) -> P:
    """Rebuild a process of class ``cls`` from :func:`process_to_dict` data.

    Raises:
        ReplayError: Unknown format, malformed data, or a log that does not replay.
        DefinitionMismatch: The data is pinned to another definition than ``workflow``.
    """
    if not isinstance(data, Mapping) or data.get("format") != PROCESS_FORMAT:
        found = data.get("format") if isinstance(data, Mapping) else type(data).__name__
        raise ReplayError(
            None,
            msg("runtime.unknown-process-format", found=repr(found), expected=repr(PROCESS_FORMAT)),
        )
    ref = data.get("workflow")
    events = data.get("events")
    if not isinstance(ref, Mapping) or not isinstance(events, list):
        raise ReplayError(None, msg("runtime.process-data-shape"))
    pinned = (str(ref.get("id")), str(ref.get("version")), str(ref.get("content_hash")))
    actual = (workflow.id, workflow.version, workflow.content_hash)
    if pinned != actual:
        raise DefinitionMismatch(pinned, actual)
    return cls.replay(
        workflow, list(events_from_dicts(events)), clock=clock, definitions=definitions
    )
