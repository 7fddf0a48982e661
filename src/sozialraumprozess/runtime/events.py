"""The typed events of a process log: one frozen class per event type, with its version.

Every successful command appends exactly one event. An event class knows its
stored name (:attr:`Event.TYPE`), its version (:attr:`Event.VERSION`), how it is
written (:meth:`Event.to_payload`) and read (:meth:`Event.from_payload`), and how
stored payloads of its older versions become the current one (:attr:`Event.UPCASTERS`,
one function per version step, applied before the class is built — so the fold
only ever sees the newest shape). :data:`EVENT_TYPES` is the registry the codec
reads; :func:`register` fills it.

A line in a log keeps the shape it always had::

    {"actor": {...}, "payload": {...}, "seq": 7, "time": "…Z", "type": "event_held"}

plus ``"type_version": N`` once an event class is at version ``N > 1`` (a line
without it is version 1, so logs written before versions existed are version 1).

Adding an event type: a class here (fields, ``to_payload``, ``from_payload``,
``register``), its handler in :mod:`._fold`, and the command that emits it in
:mod:`._commands` — see ``docs/explanation/events.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeGuard, TypeVar

from attrs import field, frozen

from sozialraumprozess.runtime.records import Participant, Sozialraum, WorkflowRef

__all__ = [
    "EVENT_TYPES",
    "ArtifactApproved",
    "ArtifactConfirmed",
    "ArtifactSubmitted",
    "ContributionRecorded",
    "ContributionWeighed",
    "DecisionRecorded",
    "Event",
    "EventCancelled",
    "EventDataError",
    "EventHeld",
    "EventPlanned",
    "EventRescheduled",
    "FeedbackGiven",
    "IndicatorValuesRecorded",
    "ItemChanged",
    "ItemCreated",
    "ItemMoved",
    "ParticipantSet",
    "PhaseAdvanced",
    "PhaseSkipped",
    "ProcessStarted",
    "ReachRecorded",
    "SozialraumRecorded",
    "TransitionTaken",
    "WorkflowMigrated",
    "register",
]

#: A stored payload (JSON object).
Payload = dict[str, Any]
#: Turns the payload of version ``n`` into the payload of version ``n + 1``.
Upcaster = Callable[[Payload], Payload]

_NONE = type(None)


class EventDataError(ValueError):
    """A stored event does not fit its class; ``problems`` say what and where (``@ $.path``)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class Event:
    """Base of the event classes (frozen attrs classes with typed fields).

    Class attributes:
        TYPE: The name stored in the log's ``type`` key.
        VERSION: The current version of the payload's shape.
        UPCASTERS: ``{n: f}``: ``f`` turns a version-``n`` payload into version ``n + 1``.
        SHAPE: ``(key, accepted types, required)`` per payload key, to explain a
            payload that :meth:`from_payload` refuses.
    """

    __slots__ = ()

    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1
    UPCASTERS: ClassVar[Mapping[int, Upcaster]] = {}
    SHAPE: ClassVar[tuple[tuple[str, tuple[type, ...], bool], ...]] = ()

    def to_payload(self) -> Payload:
        """The event's data as stored (JSON-compatible; a new dict each call)."""
        raise NotImplementedError

    @classmethod
    def from_payload(cls: type[E], payload: Payload) -> E:
        """The event from a payload of the current version.

        Raises:
            EventDataError: The payload does not fit (names every problem).
        """
        raise NotImplementedError


E = TypeVar("E", bound=Event)

#: Every event class by its stored ``TYPE``.
EVENT_TYPES: dict[str, type[Event]] = {}


def register(cls: type[E]) -> type[E]:
    """Class decorator: add an event class to :data:`EVENT_TYPES` under its ``TYPE``."""
    if cls.TYPE in EVENT_TYPES:
        raise ValueError(f"event type {cls.TYPE!r} is registered twice")
    missing = [n for n in range(1, cls.VERSION) if n not in cls.UPCASTERS]
    if missing:
        raise ValueError(f"event type {cls.TYPE!r} lacks upcasters from versions {missing}")
    EVENT_TYPES[cls.TYPE] = cls
    return cls


def refused(cls: type[Event], payload: Any, where: str = "$.payload") -> EventDataError:
    """The error explaining why ``payload`` does not fit ``cls`` (the slow path)."""
    if not isinstance(payload, dict):
        return EventDataError([f"expected an object @ {where}, got {type(payload).__name__}"])
    problems: list[str] = []
    known = set()
    for key, types, required in cls.SHAPE:
        known.add(key)
        if key not in payload:
            if required:
                problems.append(f"required field missing @ {where}.{key}")
            continue
        value = payload[key]
        if not _fits(value, types):
            names = " or ".join(_NAMES.get(t, t.__name__) for t in types)
            problems.append(f"expected {names} @ {where}.{key}, got {value!r}")
    extra = sorted(str(key) for key in payload if key not in known)
    if extra:
        problems.append(f"extra fields found @ {where}: {', '.join(extra)}")
    return EventDataError(problems or [f"invalid {cls.TYPE} data @ {where}"])


_NAMES = {str: "text", int: "integer", bool: "boolean", dict: "object", list: "list", _NONE: "null"}


def _fits(value: Any, types: tuple[type, ...]) -> bool:
    kind = type(value)
    if kind is bool:
        return bool in types
    if kind is list and list in types:
        return all(type(item) is str for item in value)  # every list in a payload is of text
    return kind in types


def _text(value: Any) -> TypeGuard[str]:
    return type(value) is str


def _text_or_none(value: Any) -> TypeGuard[str | None]:
    return value is None or type(value) is str


def _count_or_none(value: Any) -> TypeGuard[int | None]:
    return value is None or type(value) is int


_ROLE_TUPLES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _roles(roles: list[str]) -> tuple[str, ...]:
    """``tuple(roles)``, shared with other participants holding the same roles.

    Kept because it matters for memory: thousands of kept processes hold a few
    role combinations (``benchmarks/sweep_100k.py``, memory per process).
    """
    held = tuple(roles)
    shared = _ROLE_TUPLES.get(held)
    if shared is not None:
        return shared
    if len(_ROLE_TUPLES) < 4096:
        _ROLE_TUPLES[held] = held
    return held


# --------------------------------------------------------------------------- the events


@register
@frozen
class ProcessStarted(Event):
    """The process was started, pinned to a definition, for a Sozialraum.

    Attributes:
        workflow: The definition the process is pinned to.
        sozialraum: The social space it is run for.
    """

    TYPE: ClassVar[str] = "process_started"
    SHAPE: ClassVar = (("workflow", (dict,), True), ("sozialraum", (dict,), True))

    workflow: WorkflowRef
    sozialraum: Sozialraum

    def to_payload(self) -> Payload:
        """``{"workflow": {id, version, content_hash}, "sozialraum": {name, …, data}}``."""
        ref, room = self.workflow, self.sozialraum
        return {
            "workflow": {"id": ref.id, "version": ref.version, "content_hash": ref.content_hash},
            "sozialraum": {"name": room.name, "description": room.description, "data": room.data},
        }

    @classmethod
    def from_payload(cls, payload: Payload) -> ProcessStarted:
        """See :meth:`Event.from_payload`."""
        ref, room = payload.get("workflow"), payload.get("sozialraum")
        if len(payload) != 2 or type(ref) is not dict or type(room) is not dict:
            raise refused(cls, payload)
        wid, version, content_hash = ref.get("id"), ref.get("version"), ref.get("content_hash")
        if len(ref) != 3 or not (_text(wid) and _text(version) and _text(content_hash)):
            raise refused(_WorkflowShape, ref, "$.payload.workflow")
        name, description = room.get("name"), room.get("description", "")
        data = room.get("data", {})
        if not (
            _text(name) and _text(description) and type(data) is dict and room.keys() <= _ROOM_KEYS
        ):
            raise refused(_SozialraumShape, room, "$.payload.sozialraum")
        return cls(WorkflowRef(wid, version, content_hash), Sozialraum(name, description, data))


_ROOM_KEYS = frozenset(("name", "description", "data"))


class _WorkflowShape(Event):
    __slots__ = ()
    TYPE: ClassVar[str] = "workflow"
    SHAPE: ClassVar = tuple((key, (str,), True) for key in ("id", "version", "content_hash"))


class _SozialraumShape(Event):
    __slots__ = ()
    TYPE: ClassVar[str] = "sozialraum"
    SHAPE: ClassVar = (
        ("name", (str,), True),
        ("description", (str,), False),
        ("data", (dict,), False),
    )


@register
@frozen
class ParticipantSet(Event):
    """A participant was added or changed (roles, contact, active).

    Attributes:
        participant: The participant as it is from now on.
    """

    TYPE: ClassVar[str] = "participant_set"
    SHAPE: ClassVar = (
        ("name", (str,), True),
        ("roles", (list,), True),
        ("kind", (str,), False),
        ("contact", (str, _NONE), False),
        ("active", (bool,), False),
    )

    participant: Participant

    def to_payload(self) -> Payload:
        """``{"name", "roles", "kind", "contact", "active"}``."""
        p = self.participant
        return {
            "name": p.name,
            "roles": list(p.roles),
            "kind": p.kind,
            "contact": p.contact,
            "active": p.active,
        }

    @classmethod
    def from_payload(cls, payload: Payload) -> ParticipantSet:
        """See :meth:`Event.from_payload`."""
        get = payload.get
        name, roles, kind = get("name"), get("roles"), get("kind", "organisation")
        contact, active = get("contact"), get("active", True)
        if not (
            _text(name)
            and type(roles) is list
            and _text(kind)
            and _text_or_none(contact)
            and type(active) is bool
            and payload.keys() <= _PARTICIPANT_KEYS
            and all(type(role) is str for role in roles)
        ):
            raise refused(cls, payload)
        return cls(Participant(name, _roles(roles), kind, contact, active))


_PARTICIPANT_KEYS = frozenset(("name", "roles", "kind", "contact", "active"))


@register
@frozen
class ArtifactSubmitted(Event):
    """A new version of an artifact was submitted.

    Attributes:
        artifact: The artifact id.
        data: The submitted data (validated, JSON-compatible; never changed).
        note: The submitter's remark.
    """

    TYPE: ClassVar[str] = "artifact_submitted"
    SHAPE: ClassVar = (
        ("artifact", (str,), True),
        ("data", (dict,), True),
        ("note", (str, _NONE), False),
    )

    artifact: str
    data: dict[str, Any] = field(hash=False)
    note: str | None = None

    def to_payload(self) -> Payload:
        """``{"artifact", "data", "note"}``."""
        return {"artifact": self.artifact, "data": self.data, "note": self.note}

    @classmethod
    def from_payload(cls, payload: Payload) -> ArtifactSubmitted:
        """See :meth:`Event.from_payload`."""
        get = payload.get
        artifact, data, note = get("artifact"), get("data"), get("note")
        if not (
            _text(artifact)
            and type(data) is dict
            and _text_or_none(note)
            and payload.keys() <= _SUBMITTED_KEYS
        ):
            raise refused(cls, payload)
        return cls(artifact, data, note)


_SUBMITTED_KEYS = frozenset(("artifact", "data", "note"))
_VERSION_SHAPE = (("artifact", (str,), True), ("version", (int,), True))


@register
@frozen
class ArtifactApproved(Event):
    """The newest version of an artifact was approved.

    Attributes:
        artifact: The artifact id.
        version: The version number approved (the newest).
    """

    TYPE: ClassVar[str] = "artifact_approved"
    SHAPE: ClassVar = _VERSION_SHAPE

    artifact: str
    version: int

    def to_payload(self) -> Payload:
        """``{"artifact", "version"}``."""
        return {"artifact": self.artifact, "version": self.version}

    @classmethod
    def from_payload(cls, payload: Payload) -> ArtifactApproved:
        """See :meth:`Event.from_payload`."""
        artifact, version = payload.get("artifact"), payload.get("version")
        if not (_text(artifact) and type(version) is int and len(payload) == 2):
            raise refused(cls, payload)
        return cls(artifact, version)


@register
@frozen
class ArtifactConfirmed(Event):
    """The newest version of an artifact, from an earlier cycle, was confirmed for this one.

    Attributes:
        artifact: The artifact id.
        version: The version number confirmed (the newest).
    """

    TYPE: ClassVar[str] = "artifact_confirmed"
    SHAPE: ClassVar = _VERSION_SHAPE

    artifact: str
    version: int

    def to_payload(self) -> Payload:
        """``{"artifact", "version"}``."""
        return {"artifact": self.artifact, "version": self.version}

    @classmethod
    def from_payload(cls, payload: Payload) -> ArtifactConfirmed:
        """See :meth:`Event.from_payload`."""
        artifact, version = payload.get("artifact"), payload.get("version")
        if not (_text(artifact) and type(version) is int and len(payload) == 2):
            raise refused(cls, payload)
        return cls(artifact, version)


@register
@frozen
class EventHeld(Event):
    """An event (Veranstaltung) of the current phase took place.

    Attributes:
        event: The event type id.
        date: ISO date ``YYYY-MM-DD``.
        participants: How many took part.
        notes: Free text.
        protocol: Version number of the event type's protocol artifact.
        until: ISO date of the last day, for an event spanning a period (stored only when set).
    """

    TYPE: ClassVar[str] = "event_held"
    SHAPE: ClassVar = (
        ("event", (str,), True),
        ("date", (str,), True),
        ("participants", (int, _NONE), False),
        ("notes", (str, _NONE), False),
        ("protocol", (int, _NONE), False),
        ("until", (str, _NONE), False),
    )

    event: str
    date: str
    participants: int | None = None
    notes: str | None = None
    protocol: int | None = None
    until: str | None = None

    def to_payload(self) -> Payload:
        """``{"event", "date", "participants", "notes", "protocol"}`` (and ``until``)."""
        payload: Payload = {
            "event": self.event,
            "date": self.date,
            "participants": self.participants,
            "notes": self.notes,
            "protocol": self.protocol,
        }
        if self.until is not None:
            payload["until"] = self.until
        return payload

    @classmethod
    def from_payload(cls, payload: Payload) -> EventHeld:
        """See :meth:`Event.from_payload`."""
        get = payload.get
        event, date, participants = get("event"), get("date"), get("participants")
        notes, protocol, until = get("notes"), get("protocol"), get("until")
        if not (
            _text(event)
            and _text(date)
            and _count_or_none(participants)
            and _text_or_none(notes)
            and _count_or_none(protocol)
            and _text_or_none(until)
            and payload.keys() <= _HELD_KEYS
        ):
            raise refused(cls, payload)
        return cls(event, date, participants, notes, protocol, until)


_HELD_KEYS = frozenset(("event", "date", "participants", "notes", "protocol", "until"))


@register
@frozen
class DecisionRecorded(Event):
    """A body took (or refused) a decision; the result follows from rule and quorum.

    Attributes:
        decision: The decision type id.
        date: ISO date ``YYYY-MM-DD``.
        yes: Yes votes (``None`` under the consensus rule).
        no: No votes.
        abstain: Abstentions.
        consensus: Under the consensus rule: whether consensus was reached.
        present: Members present.
        text: The wording of the resolution.
        amount: The amount granted in euros (decisions with ``amount: true``).
        adopted: The version of the ``adopts`` artifact the decision adopts.
    """

    TYPE: ClassVar[str] = "decision_recorded"
    SHAPE: ClassVar = (
        ("decision", (str,), True),
        ("date", (str,), True),
        ("yes", (int, _NONE), False),
        ("no", (int, _NONE), False),
        ("abstain", (int, _NONE), False),
        ("consensus", (bool, _NONE), False),
        ("present", (int, _NONE), False),
        ("text", (str, _NONE), False),
        ("amount", (int, float, _NONE), False),
        ("adopted", (int, _NONE), False),
    )

    decision: str
    date: str
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    consensus: bool | None = None
    present: int | None = None
    text: str | None = None
    amount: float | int | None = None
    adopted: int | None = None

    def to_payload(self) -> Payload:
        """``{"decision", "date", "yes", "no", "abstain", "consensus", "present", "text"}``.

        ``amount`` and ``adopted`` are stored only when set (logs without them stay as they were).
        """
        payload: Payload = {
            "decision": self.decision,
            "date": self.date,
            "yes": self.yes,
            "no": self.no,
            "abstain": self.abstain,
            "consensus": self.consensus,
            "present": self.present,
            "text": self.text,
        }
        if self.amount is not None:
            payload["amount"] = self.amount
        if self.adopted is not None:
            payload["adopted"] = self.adopted
        return payload

    @classmethod
    def from_payload(cls, payload: Payload) -> DecisionRecorded:
        """See :meth:`Event.from_payload`."""
        get = payload.get
        decision, date, text = get("decision"), get("date"), get("text")
        yes, no, abstain, present = get("yes"), get("no"), get("abstain"), get("present")
        consensus, amount, adopted = get("consensus"), get("amount"), get("adopted")
        if not (
            _text(decision)
            and _text(date)
            and _count_or_none(yes)
            and _count_or_none(no)
            and _count_or_none(abstain)
            and (consensus is None or type(consensus) is bool)
            and _count_or_none(present)
            and _text_or_none(text)
            and (amount is None or type(amount) in (int, float))
            and _count_or_none(adopted)
            and payload.keys() <= _DECISION_KEYS
        ):
            raise refused(cls, payload)
        return cls(decision, date, yes, no, abstain, consensus, present, text, amount, adopted)


_DECISION_KEYS = frozenset(key for key, _, _ in DecisionRecorded.SHAPE)


@register
@frozen
class PhaseAdvanced(Event):
    """The process moved on to the next phase (from the last phase of a cycle: a new cycle).

    Attributes:
        source: The phase left (stored as ``from``).
        target: The phase entered (stored as ``to``).
    """

    TYPE: ClassVar[str] = "phase_advanced"
    SHAPE: ClassVar = (("from", (str,), True), ("to", (str,), True))

    source: str
    target: str

    def to_payload(self) -> Payload:
        """``{"from", "to"}``."""
        return {"from": self.source, "to": self.target}

    @classmethod
    def from_payload(cls, payload: Payload) -> PhaseAdvanced:
        """See :meth:`Event.from_payload`."""
        source, target = payload.get("from"), payload.get("to")
        if not (_text(source) and _text(target) and len(payload) == 2):
            raise refused(cls, payload)
        return cls(source, target)


@register
@frozen
class TransitionTaken(Event):
    """A named transition (a loop back or a shortcut) was taken.

    Attributes:
        transition: The transition id.
        source: The phase left (stored as ``from``).
        target: The phase entered (stored as ``to``).
        reason: Why (required for a move back).
    """

    TYPE: ClassVar[str] = "transition_taken"
    SHAPE: ClassVar = (
        ("transition", (str,), True),
        ("from", (str,), True),
        ("to", (str,), True),
        ("reason", (str, _NONE), False),
    )

    transition: str
    source: str
    target: str
    reason: str | None = None

    def to_payload(self) -> Payload:
        """``{"transition", "from", "to", "reason"}``."""
        return {
            "transition": self.transition,
            "from": self.source,
            "to": self.target,
            "reason": self.reason,
        }

    @classmethod
    def from_payload(cls, payload: Payload) -> TransitionTaken:
        """See :meth:`Event.from_payload`."""
        get = payload.get
        transition, source, target, reason = (
            get("transition"),
            get("from"),
            get("to"),
            get("reason"),
        )
        if not (
            _text(transition)
            and _text(source)
            and _text(target)
            and _text_or_none(reason)
            and payload.keys() <= _TRANSITION_KEYS
        ):
            raise refused(cls, payload)
        return cls(transition, source, target, reason)


_TRANSITION_KEYS = frozenset(("transition", "from", "to", "reason"))


def _ref_payload(ref: WorkflowRef) -> Payload:
    return {"id": ref.id, "version": ref.version, "content_hash": ref.content_hash}


def _ref_of(value: Any, where: str) -> WorkflowRef:
    if type(value) is not dict:
        raise refused(_WorkflowShape, value, where)
    wid, version, content_hash = value.get("id"), value.get("version"), value.get("content_hash")
    if len(value) != 3 or not (_text(wid) and _text(version) and _text(content_hash)):
        raise refused(_WorkflowShape, value, where)
    return WorkflowRef(wid, version, content_hash)


@register
@frozen
class WorkflowMigrated(Event):
    """The run moved to a revised definition of its workflow.

    After this event the run is pinned to ``target``; replay folds the events
    before it with the old definition and the events after it with the new one.

    Attributes:
        source: The definition the run was pinned to (stored as ``from``).
        target: The definition it is pinned to now (stored as ``to``).
        mapping: Old phase id → new phase id, for phases renamed or replaced
            (sorted pairs; a phase not listed keeps its id).
        reason: Why the run was moved (for the history and the report).
    """

    TYPE: ClassVar[str] = "workflow_migrated"
    SHAPE: ClassVar = (
        ("from", (dict,), True),
        ("to", (dict,), True),
        ("mapping", (dict,), True),
        ("reason", (str,), True),
    )

    source: WorkflowRef
    target: WorkflowRef
    mapping: tuple[tuple[str, str], ...]
    reason: str

    def to_payload(self) -> Payload:
        """``{"from": {id, version, content_hash}, "to": {…}, "mapping": {old: new}, "reason"}``."""
        return {
            "from": _ref_payload(self.source),
            "to": _ref_payload(self.target),
            "mapping": dict(self.mapping),
            "reason": self.reason,
        }

    @classmethod
    def from_payload(cls, payload: Payload) -> WorkflowMigrated:
        """See :meth:`Event.from_payload`."""
        mapping, reason = payload.get("mapping"), payload.get("reason")
        if (
            len(payload) != 4
            or type(mapping) is not dict
            or not _text(reason)
            or not all(_text(k) and _text(v) for k, v in mapping.items())
        ):
            raise refused(cls, payload)
        source = _ref_of(payload.get("from"), "$.payload.from")
        target = _ref_of(payload.get("to"), "$.payload.to")
        return cls(source, target, tuple(sorted(mapping.items())), reason)


@register
@frozen
class PhaseSkipped(Event):
    """An optional phase was skipped (format v2): the process moved on without its gate.

    Attributes:
        source: The optional phase skipped (stored as ``from``).
        target: The phase entered (stored as ``to``; its ``next``).
        reason: Why it was skipped (required).
    """

    TYPE: ClassVar[str] = "phase_skipped"
    SHAPE: ClassVar = (("from", (str,), True), ("to", (str,), True), ("reason", (str,), True))

    source: str
    target: str
    reason: str

    def to_payload(self) -> Payload:
        """``{"from", "to", "reason"}``."""
        return {"from": self.source, "to": self.target, "reason": self.reason}

    @classmethod
    def from_payload(cls, payload: Payload) -> PhaseSkipped:
        """See :meth:`Event.from_payload`."""
        source, target, reason = payload.get("from"), payload.get("to"), payload.get("reason")
        if not (_text(source) and _text(target) and _text(reason) and len(payload) == 3):
            raise refused(cls, payload)
        return cls(source, target, reason)


# --------------------------------------------------------------------------- items (v2)

_ITEM_DATA_SHAPE: tuple[tuple[str, tuple[type, ...], bool], ...] = (
    ("artifact", (str,), True),
    ("key", (str,), True),
    ("data", (dict,), True),
    ("note", (str, _NONE), False),
)
_ITEM_DATA_KEYS = frozenset(("artifact", "key", "data", "note"))


def _item_data(cls: type[Event], payload: Payload) -> tuple[str, str, dict[str, Any], str | None]:
    get = payload.get
    artifact, key, data, note = get("artifact"), get("key"), get("data"), get("note")
    if not (
        _text(artifact)
        and _text(key)
        and type(data) is dict
        and _text_or_none(note)
        and payload.keys() <= _ITEM_DATA_KEYS
    ):
        raise refused(cls, payload)
    return artifact, key, data, note


@register
@frozen
class ItemCreated(Event):
    """An item of an item artifact was created (in the first of its states).

    Attributes:
        artifact: The artifact id.
        key: The item's key (unique per artifact).
        data: Its data (validated, JSON-compatible; never changed).
        note: The creator's remark.
    """

    TYPE: ClassVar[str] = "item_created"
    SHAPE: ClassVar = _ITEM_DATA_SHAPE

    artifact: str
    key: str
    data: dict[str, Any] = field(hash=False)
    note: str | None = None

    def to_payload(self) -> Payload:
        """``{"artifact", "key", "data", "note"}``."""
        return {"artifact": self.artifact, "key": self.key, "data": self.data, "note": self.note}

    @classmethod
    def from_payload(cls, payload: Payload) -> ItemCreated:
        """See :meth:`Event.from_payload`."""
        return cls(*_item_data(cls, payload))


@register
@frozen
class ItemChanged(Event):
    """An item's data was changed (a new version of it).

    Attributes:
        artifact: The artifact id.
        key: The item's key.
        data: Its new data, whole (validated, JSON-compatible; never changed).
        note: The remark of who changed it.
    """

    TYPE: ClassVar[str] = "item_changed"
    SHAPE: ClassVar = _ITEM_DATA_SHAPE

    artifact: str
    key: str
    data: dict[str, Any] = field(hash=False)
    note: str | None = None

    def to_payload(self) -> Payload:
        """``{"artifact", "key", "data", "note"}``."""
        return {"artifact": self.artifact, "key": self.key, "data": self.data, "note": self.note}

    @classmethod
    def from_payload(cls, payload: Payload) -> ItemChanged:
        """See :meth:`Event.from_payload`."""
        return cls(*_item_data(cls, payload))


@register
@frozen
class ItemMoved(Event):
    """An item moved from one of its states to another.

    Attributes:
        artifact: The artifact id.
        key: The item's key.
        source: The state left (stored as ``from``).
        target: The state entered (stored as ``to``).
        note: Why, or what was done.
    """

    TYPE: ClassVar[str] = "item_moved"
    SHAPE: ClassVar = (
        ("artifact", (str,), True),
        ("key", (str,), True),
        ("from", (str,), True),
        ("to", (str,), True),
        ("note", (str, _NONE), False),
    )

    artifact: str
    key: str
    source: str
    target: str
    note: str | None = None

    def to_payload(self) -> Payload:
        """``{"artifact", "key", "from", "to", "note"}``."""
        return {
            "artifact": self.artifact,
            "key": self.key,
            "from": self.source,
            "to": self.target,
            "note": self.note,
        }

    @classmethod
    def from_payload(cls, payload: Payload) -> ItemMoved:
        """See :meth:`Event.from_payload`."""
        get = payload.get
        artifact, key, source, target, note = (
            get("artifact"),
            get("key"),
            get("from"),
            get("to"),
            get("note"),
        )
        if not (
            _text(artifact)
            and _text(key)
            and _text(source)
            and _text(target)
            and _text_or_none(note)
            and payload.keys() <= _MOVED_KEYS
        ):
            raise refused(cls, payload)
        return cls(artifact, key, source, target, note)


_MOVED_KEYS = frozenset(("artifact", "key", "from", "to", "note"))


# --------------------------------------------------------------------------- planned events


def _texts(value: Any) -> TypeGuard[list[str]]:
    return type(value) is list and all(type(item) is str for item in value)


@register
@frozen
class EventPlanned(Event):
    """An event was planned (its invitation can go out): when, where, what, who is invited.

    At most one plan per event type is open (planned, neither held nor cancelled).

    Attributes:
        event: The event type id.
        date: ISO date of the (first) day.
        time: Start time ``HH:MM``.
        until: ISO date of the last day, for an event spanning a period.
        place: Where it takes place.
        agenda: The agenda items (Tagesordnung), in order.
        invited: Role ids invited.
        note: Free text for the invitation.
        end: End time ``HH:MM`` (written only when given).
        reply_by: ISO date by which invitees are asked to reply (written only when given).
    """

    TYPE: ClassVar[str] = "event_planned"
    SHAPE: ClassVar = (
        ("event", (str,), True),
        ("date", (str,), True),
        ("time", (str, _NONE), False),
        ("until", (str, _NONE), False),
        ("place", (str, _NONE), False),
        ("agenda", (list,), False),
        ("invited", (list,), False),
        ("note", (str, _NONE), False),
        ("end", (str, _NONE), False),
        ("reply_by", (str, _NONE), False),
    )

    event: str
    date: str
    time: str | None = None
    until: str | None = None
    place: str | None = None
    agenda: tuple[str, ...] = ()
    invited: tuple[str, ...] = ()
    note: str | None = None
    end: str | None = None
    reply_by: str | None = None

    def to_payload(self) -> Payload:
        """``{"event", "date", "time", "until", "place", "agenda", "invited", "note"}``,
        plus ``end`` and ``reply_by`` where given (older logs stay byte for byte)."""
        extra: Payload = {}
        if self.end is not None:
            extra["end"] = self.end
        if self.reply_by is not None:
            extra["reply_by"] = self.reply_by
        return extra | {
            "event": self.event,
            "date": self.date,
            "time": self.time,
            "until": self.until,
            "place": self.place,
            "agenda": list(self.agenda),
            "invited": list(self.invited),
            "note": self.note,
        }

    @classmethod
    def from_payload(cls, payload: Payload) -> EventPlanned:
        """See :meth:`Event.from_payload`."""
        get = payload.get
        event, date, time, until = get("event"), get("date"), get("time"), get("until")
        place, agenda, invited, note = (
            get("place"),
            get("agenda", []),
            get("invited", []),
            get("note"),
        )
        if not (
            _text(event)
            and _text(date)
            and _text_or_none(time)
            and _text_or_none(until)
            and _text_or_none(place)
            and _texts(agenda)
            and _texts(invited)
            and _text_or_none(note)
            and _text_or_none(get("end"))
            and _text_or_none(get("reply_by"))
            and payload.keys() <= _PLANNED_KEYS
        ):
            raise refused(cls, payload)
        return cls(
            event,
            date,
            time,
            until,
            place,
            tuple(agenda),
            _roles(invited),
            note,
            get("end"),
            get("reply_by"),
        )


_PLANNED_KEYS = frozenset(key for key, _, _ in EventPlanned.SHAPE)


@register
@frozen
class EventRescheduled(Event):
    """The open plan of an event got a new date (and maybe time, period end or place).

    Attributes:
        event: The event type id.
        date: The new ISO date.
        time: The new start time (``None``: as planned).
        until: The new last day (``None``: none).
        place: The new place (``None``: as planned).
        reason: Why.
    """

    TYPE: ClassVar[str] = "event_rescheduled"
    SHAPE: ClassVar = (
        ("event", (str,), True),
        ("date", (str,), True),
        ("time", (str, _NONE), False),
        ("until", (str, _NONE), False),
        ("place", (str, _NONE), False),
        ("reason", (str, _NONE), False),
    )

    event: str
    date: str
    time: str | None = None
    until: str | None = None
    place: str | None = None
    reason: str | None = None

    def to_payload(self) -> Payload:
        """``{"event", "date", "time", "until", "place", "reason"}``."""
        return {
            "event": self.event,
            "date": self.date,
            "time": self.time,
            "until": self.until,
            "place": self.place,
            "reason": self.reason,
        }

    @classmethod
    def from_payload(cls, payload: Payload) -> EventRescheduled:
        """See :meth:`Event.from_payload`."""
        get = payload.get
        event, date, time, until = get("event"), get("date"), get("time"), get("until")
        place, reason = get("place"), get("reason")
        if not (
            _text(event)
            and _text(date)
            and _text_or_none(time)
            and _text_or_none(until)
            and _text_or_none(place)
            and _text_or_none(reason)
            and payload.keys() <= _RESCHEDULED_KEYS
        ):
            raise refused(cls, payload)
        return cls(event, date, time, until, place, reason)


_RESCHEDULED_KEYS = frozenset(key for key, _, _ in EventRescheduled.SHAPE)


@register
@frozen
class EventCancelled(Event):
    """The open plan of an event was cancelled.

    Attributes:
        event: The event type id.
        reason: Why.
    """

    TYPE: ClassVar[str] = "event_cancelled"
    SHAPE: ClassVar = (("event", (str,), True), ("reason", (str, _NONE), False))

    event: str
    reason: str | None = None

    def to_payload(self) -> Payload:
        """``{"event", "reason"}``."""
        return {"event": self.event, "reason": self.reason}

    @classmethod
    def from_payload(cls, payload: Payload) -> EventCancelled:
        """See :meth:`Event.from_payload`."""
        event, reason = payload.get("event"), payload.get("reason")
        if not (_text(event) and _text_or_none(reason) and payload.keys() <= _CANCELLED_KEYS):
            raise refused(cls, payload)
        return cls(event, reason)


_CANCELLED_KEYS = frozenset(("event", "reason"))


# --------------------------------------------------------------------------- steering


def _number(value: Any) -> bool:
    return type(value) is int or type(value) is float


# --------------------------------------------------------------------------- participation (v2)


def _counts_of(value: Any) -> tuple[tuple[str, int], ...] | None:
    if type(value) is not dict:
        return None
    counts = tuple(sorted(value.items()))  # stores may sort keys: one order, live and read
    if not all(_text(k) and type(n) is int and n >= 0 for k, n in counts):
        return None
    return counts


@register
@frozen
class IndicatorValuesRecorded(Event):
    """Values of declared indicators were recorded for a reference date (*Stichtag*).

    Attributes:
        stichtag: The reference date of the values (ISO ``YYYY-MM-DD``).
        values: Value per indicator id.
        source: Where the values come from, if said (e.g. ``Kommunalstatistik 2025``).
    """

    TYPE: ClassVar[str] = "indicator_values_recorded"
    SHAPE: ClassVar = (
        ("stichtag", (str,), True),
        ("values", (dict,), True),
        ("source", (str, _NONE), False),
    )

    stichtag: str
    values: Mapping[str, float] = field(hash=False)
    source: str | None = None

    def to_payload(self) -> Payload:
        """``{"stichtag", "values", "source"}``."""
        return {"stichtag": self.stichtag, "values": dict(self.values), "source": self.source}

    @classmethod
    def from_payload(cls, payload: Payload) -> IndicatorValuesRecorded:
        """See :meth:`Event.from_payload`."""
        stichtag, values = payload.get("stichtag"), payload.get("values")
        source = payload.get("source")
        if type(values) is dict and not all(_text(k) and _number(v) for k, v in values.items()):
            raise EventDataError([f"expected numbers @ $.payload.values, got {values!r}"])
        if not (
            _text(stichtag)
            and type(values) is dict
            and _text_or_none(source)
            and payload.keys() <= _INDICATOR_KEYS
        ):
            raise refused(cls, payload)
        return cls(stichtag, dict(values), source)


_INDICATOR_KEYS = frozenset(("stichtag", "values", "source"))


@register
@frozen
class ReachRecorded(Event):
    """The target groups a holding of an event reached, with counts (replaces earlier ones).

    Attributes:
        event: The event type id.
        held: The ``seq`` of the holding's ``event_held`` entry.
        counts: ``(target group id, number of people)`` pairs, sorted by id.
    """

    TYPE: ClassVar[str] = "reach_recorded"
    SHAPE: ClassVar = (("event", (str,), True), ("held", (int,), True), ("counts", (dict,), True))

    event: str
    held: int
    counts: tuple[tuple[str, int], ...]

    def to_payload(self) -> Payload:
        """``{"event", "held", "counts": {group: n}}``."""
        return {"event": self.event, "held": self.held, "counts": dict(self.counts)}

    @classmethod
    def from_payload(cls, payload: Payload) -> ReachRecorded:
        """See :meth:`Event.from_payload`."""
        event, held = payload.get("event"), payload.get("held")
        counts = _counts_of(payload.get("counts"))
        if not (_text(event) and type(held) is int and counts is not None and len(payload) == 3):
            raise refused(cls, payload)
        return cls(event, held, counts)


@register
@frozen
class SozialraumRecorded(Event):
    """The Sozialraum record was set: name, planning areas, key data, boundary.

    Attributes:
        sozialraum: The record; its ``data`` holds ``id`` (stable across runs),
            ``planning_areas``, ``key_data`` and ``boundary`` (GeoJSON), each when given.
        taken_from: The run id it was taken over from (an earlier run or cycle), if any.
    """

    TYPE: ClassVar[str] = "sozialraum_recorded"
    SHAPE: ClassVar = (("sozialraum", (dict,), True), ("taken_from", (str, _NONE), False))

    sozialraum: Sozialraum
    taken_from: str | None = None

    def to_payload(self) -> Payload:
        """``{"sozialraum": {name, description, data}, "taken_from"}``."""
        room = self.sozialraum
        return {
            "sozialraum": {"name": room.name, "description": room.description, "data": room.data},
            "taken_from": self.taken_from,
        }

    @classmethod
    def from_payload(cls, payload: Payload) -> SozialraumRecorded:
        """See :meth:`Event.from_payload`."""
        room, taken_from = payload.get("sozialraum"), payload.get("taken_from")
        if (
            type(room) is not dict
            or not _text_or_none(taken_from)
            or not (payload.keys() <= _RECORDED_KEYS)
        ):
            raise refused(cls, payload)
        name, description = room.get("name"), room.get("description", "")
        data = room.get("data", {})
        if not (
            _text(name) and _text(description) and type(data) is dict and room.keys() <= _ROOM_KEYS
        ):
            raise refused(_SozialraumShape, room, "$.payload.sozialraum")
        return cls(Sozialraum(name, description, data), taken_from)


_RECORDED_KEYS = frozenset(("sozialraum", "taken_from"))


@register
@frozen
class ContributionRecorded(Event):
    """A contribution (what was proposed) was recorded for a holding of an event.

    Attributes:
        id: The contribution's id (unique in the process).
        event: The event type id.
        held: The ``seq`` of the holding's ``event_held`` entry.
        text: What was proposed.
        group: The target group it came from, if known.
        note: A remark.
    """

    TYPE: ClassVar[str] = "contribution_recorded"
    SHAPE: ClassVar = (
        ("id", (str,), True),
        ("event", (str,), True),
        ("held", (int,), True),
        ("text", (str,), True),
        ("group", (str, _NONE), False),
        ("note", (str, _NONE), False),
    )

    id: str
    event: str
    held: int
    text: str
    group: str | None = None
    note: str | None = None

    def to_payload(self) -> Payload:
        """``{"id", "event", "held", "text", "group", "note"}``."""
        return {
            "id": self.id,
            "event": self.event,
            "held": self.held,
            "text": self.text,
            "group": self.group,
            "note": self.note,
        }

    @classmethod
    def from_payload(cls, payload: Payload) -> ContributionRecorded:
        """See :meth:`Event.from_payload`."""
        get = payload.get
        cid, event, held, text = get("id"), get("event"), get("held"), get("text")
        group, note = get("group"), get("note")
        if not (
            _text(cid)
            and _text(event)
            and type(held) is int
            and _text(text)
            and _text_or_none(group)
            and _text_or_none(note)
            and payload.keys() <= _CONTRIBUTION_KEYS
        ):
            raise refused(cls, payload)
        return cls(cid, event, held, text, group, note)


_CONTRIBUTION_KEYS = frozenset(key for key, _, _ in ContributionRecorded.SHAPE)


def _links_of(value: Any) -> tuple[tuple[str, str], ...] | None:
    if type(value) is not dict:
        return None
    links: list[tuple[str, str]] = []
    for kind, ids in sorted(value.items()):  # by kind, as written by the command
        if not (_text(kind) and _texts(ids)):
            return None
        links.extend((kind, ref) for ref in ids)
    return tuple(links)


@register
@frozen
class ContributionWeighed(Event):
    """What became of a contribution: its outcome, the reason, what took it up.

    Attributes:
        id: The contribution's id.
        outcome: ``adopted``, ``partly_adopted`` or ``not_adopted``.
        reason: Why.
        links: ``(kind, id)`` of the goals, measures … that took it up, by kind
            (stored as ``{kind: [ids]}``).
    """

    TYPE: ClassVar[str] = "contribution_weighed"
    SHAPE: ClassVar = (
        ("id", (str,), True),
        ("outcome", (str,), True),
        ("reason", (str, _NONE), False),
        ("links", (dict,), False),
    )

    id: str
    outcome: str
    reason: str | None = None
    links: tuple[tuple[str, str], ...] = ()

    def to_payload(self) -> Payload:
        """``{"id", "outcome", "reason", "links": {kind: [ids]}}``."""
        links: dict[str, list[str]] = {}
        for kind, ref in self.links:
            links.setdefault(kind, []).append(ref)
        return {"id": self.id, "outcome": self.outcome, "reason": self.reason, "links": links}

    @classmethod
    def from_payload(cls, payload: Payload) -> ContributionWeighed:
        """See :meth:`Event.from_payload`."""
        get = payload.get
        cid, outcome, reason = get("id"), get("outcome"), get("reason")
        links = _links_of(get("links", {}))
        if not (
            _text(cid)
            and _text(outcome)
            and _text_or_none(reason)
            and links is not None
            and payload.keys() <= _WEIGHED_KEYS
        ):
            raise refused(cls, payload)
        return cls(cid, outcome, reason, links)


_WEIGHED_KEYS = frozenset(key for key, _, _ in ContributionWeighed.SHAPE)


@register
@frozen
class FeedbackGiven(Event):
    """Participants of a holding were told what became of their contributions (*Rückmeldung*).

    The day they were told is the entry's effective date.

    Attributes:
        event: The event type id.
        held: The ``seq`` of the holding's ``event_held`` entry.
        how: How they were told.
        contributions: The contribution ids told of.
        note: A remark.
    """

    TYPE: ClassVar[str] = "feedback_given"
    SHAPE: ClassVar = (
        ("event", (str,), True),
        ("held", (int,), True),
        ("how", (str,), True),
        ("contributions", (list,), True),
        ("note", (str, _NONE), False),
    )

    event: str
    held: int
    how: str
    contributions: tuple[str, ...]
    note: str | None = None

    def to_payload(self) -> Payload:
        """``{"event", "held", "how", "contributions", "note"}``."""
        return {
            "event": self.event,
            "held": self.held,
            "how": self.how,
            "contributions": list(self.contributions),
            "note": self.note,
        }

    @classmethod
    def from_payload(cls, payload: Payload) -> FeedbackGiven:
        """See :meth:`Event.from_payload`."""
        get = payload.get
        event, held, how = get("event"), get("held"), get("how")
        contributions, note = get("contributions"), get("note")
        if not (
            _text(event)
            and type(held) is int
            and _text(how)
            and _texts(contributions)
            and _text_or_none(note)
            and payload.keys() <= _FEEDBACK_KEYS
        ):
            raise refused(cls, payload)
        return cls(event, held, how, tuple(contributions), note)


_FEEDBACK_KEYS = frozenset(key for key, _, _ in FeedbackGiven.SHAPE)
