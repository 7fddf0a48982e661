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

The payload is declared once, by the class's attrs fields: each field is one
payload key (its name, or the ``key`` given with :func:`stored`), read and written
by its :class:`Kind` (chosen by the field's type, or given with :func:`stored`).
:func:`register` makes ``SHAPE``, ``to_payload`` and ``from_payload`` from them.

Adding an event type: a class here (fields and ``register``), its handler in
:mod:`._fold`, and the command that emits it in :mod:`._commands` — see
``docs/explanation/events.md``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Protocol, TypeGuard, TypeVar

import attrs
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
#: ``(key, accepted types, required)`` per payload key.
Shape = tuple[tuple[str, tuple[type, ...], bool], ...]

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
    SHAPE: ClassVar[Shape] = ()

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
    """Class decorator: add an event class to :data:`EVENT_TYPES` under its ``TYPE``.

    An attrs class that does not write its own ``to_payload`` and ``from_payload``
    gets them, and its ``SHAPE``, from its fields (:func:`stored`).
    """
    if cls.TYPE in EVENT_TYPES:
        raise ValueError(f"event type {cls.TYPE!r} is registered twice")
    missing = [n for n in range(1, cls.VERSION) if n not in cls.UPCASTERS]
    if missing:
        raise ValueError(f"event type {cls.TYPE!r} lacks upcasters from versions {missing}")
    if attrs.has(cls) and "from_payload" not in cls.__dict__ and "to_payload" not in cls.__dict__:
        _declare_payload(cls)
    EVENT_TYPES[cls.TYPE] = cls
    return cls


class _Shaped(Protocol):
    TYPE: str
    SHAPE: Shape


def refused(cls: _Shaped | type[Event], payload: Any, where: str = "$.payload") -> EventDataError:
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


# --------------------------------------------------------------------------- payload kinds


@frozen
class Kind:
    """How one payload value is checked, read and written.

    The three are Python expressions over ``{v}`` (the value), put together into
    one ``from_payload`` and one ``to_payload`` per class when it is registered —
    the same code a hand-written reader has, so reading a log stays as fast.

    Attributes:
        types: The JSON types accepted (``SHAPE``, for the message of a refusal).
        test: True where the stored value fits (may rebind ``{v}`` with ``:=``).
        read: The field's value from the stored value that fits.
        write: The stored value from the field's value.
        empty: The stored value that a missing key stands for, where the field's
            default is empty (``()`` or a new ``{}``).
        guard: A statement run before the test (to raise a more precise error).
        uses: The functions the expressions call, by name.
    """

    types: tuple[type, ...]
    test: str
    read: str = "{v}"
    write: str = "{v}"
    empty: str = "None"
    guard: str | None = None
    uses: Mapping[str, Any] = field(factory=dict, hash=False)


TEXT = Kind((str,), "type({v}) is str")
TEXT_OR_NONE = Kind((str, _NONE), "({v} is None or type({v}) is str)")
COUNT = Kind((int,), "type({v}) is int")
COUNT_OR_NONE = Kind((int, _NONE), "({v} is None or type({v}) is int)")
FLAG = Kind((bool,), "type({v}) is bool")
FLAG_OR_NONE = Kind((bool, _NONE), "({v} is None or type({v}) is bool)")
NUMBER_OR_NONE = Kind((int, float, _NONE), "({v} is None or type({v}) in (int, float))")
#: A JSON object kept as it is (never changed, so not copied).
OBJECT = Kind((dict,), "type({v}) is dict", empty="{{}}")
#: A list of text, held as a tuple.
TEXTS = Kind((list,), "_texts({v})", read="tuple({v})", write="list({v})", empty="[]")
#: Role ids: :data:`TEXTS`, the tuple shared with other holders of the same roles.
ROLES = Kind((list,), "_texts({v})", read="_roles({v})", write="list({v})", empty="[]")
#: ``{text: text}``, held as sorted pairs.
PAIRS = Kind((dict,), "_pairs({v})", read="tuple(sorted({v}.items()))", write="dict({v})")
#: ``{text: count ≥ 0}``, held as sorted pairs (stores may sort keys: one order, live and read).
COUNTS = Kind((dict,), "({v} := _counts_of({v})) is not None", write="dict({v})")
#: ``{kind: [ids]}``, held as ``(kind, id)`` pairs sorted by kind.
LINKS = Kind(
    (dict,), "({v} := _links_of({v})) is not None", write="_links_payload({v})", empty="{{}}"
)
#: ``{text: number}`` (a value that is no number is named as such).
NUMBERS = Kind(
    (dict,), "type({v}) is dict", read="dict({v})", write="dict({v})", guard="_numbers({v})"
)

#: The kind of a field by its annotation, where no kind is given with :func:`stored`.
_KINDS = {
    "str": TEXT,
    "str | None": TEXT_OR_NONE,
    "int": COUNT,
    "int | None": COUNT_OR_NONE,
    "bool": FLAG,
    "bool | None": FLAG_OR_NONE,
    "float | int | None": NUMBER_OR_NONE,
    "dict[str, Any]": OBJECT,
    "tuple[str, ...]": TEXTS,
}

_KEY, _KIND, _OMIT = "payload_key", "payload_kind", "payload_omit"


def stored(
    kind: Kind | Record | None = None,
    *,
    key: str | None = None,
    omit_none: bool = False,
    first: bool = False,
) -> dict[str, Any]:
    """The ``metadata`` of a field stored otherwise than its name and type say.

    Args:
        kind: How it is read and written (a :class:`Kind`, or a record stored
            inline, its keys in the payload itself).
        key: The payload key, if not the field's name.
        omit_none: Write the key only when the value is not ``None`` (a field
            added later: logs written before it stay byte for byte).
        first: With ``omit_none``: write it before the other keys.
    """
    data: dict[str, Any] = {}
    if kind is not None:
        data[_KIND] = kind
    if key is not None:
        data[_KEY] = key
    if omit_none:
        data[_OMIT] = "first" if first else "last"
    return data


def _text(value: Any) -> TypeGuard[str]:
    return type(value) is str


def _texts(value: Any) -> TypeGuard[list[str]]:
    return type(value) is list and all(type(item) is str for item in value)


def _pairs(value: Any) -> bool:
    return type(value) is dict and all(_text(k) and _text(v) for k, v in value.items())


def _counts_of(value: Any) -> tuple[tuple[str, int], ...] | None:
    if type(value) is not dict:
        return None
    counts = tuple(sorted(value.items()))
    if not all(_text(k) and type(n) is int and n >= 0 for k, n in counts):
        return None
    return counts


def _links_of(value: Any) -> tuple[tuple[str, str], ...] | None:
    if type(value) is not dict:
        return None
    links: list[tuple[str, str]] = []
    for kind, ids in sorted(value.items()):  # by kind, as written by the command
        if not (_text(kind) and _texts(ids)):
            return None
        links.extend((kind, ref) for ref in ids)
    return tuple(links)


def _links_payload(links: tuple[tuple[str, str], ...]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for kind, ref in links:
        grouped.setdefault(kind, []).append(ref)
    return grouped


def _numbers(value: Any) -> None:
    if type(value) is dict and not all(
        _text(k) and (type(v) is int or type(v) is float) for k, v in value.items()
    ):
        raise EventDataError([f"expected numbers @ $.payload.values, got {value!r}"])


#: The functions the kinds' expressions call.
_HELPERS: dict[str, Any] = {}

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


_HELPERS.update(
    refused=refused,
    _texts=_texts,
    _roles=_roles,
    _pairs=_pairs,
    _counts_of=_counts_of,
    _links_of=_links_of,
    _links_payload=_links_payload,
    _numbers=_numbers,
)


# --------------------------------------------------------------------------- the codec


@frozen
class _Slot:
    """One payload key: the field it fills, how it is stored, what a missing key means."""

    name: str
    key: str
    kind: Kind
    required: bool
    missing: str
    omit: str | None


def _slots(cls: type[Any], kinds: Mapping[str, Kind]) -> list[_Slot | Record]:
    """The payload keys of an attrs class, one per field (a record stored inline: its own)."""
    slots: list[_Slot | Record] = []
    for a in attrs.fields(cls):
        kind = a.metadata.get(_KIND) or kinds.get(a.name) or _KINDS.get(str(a.type))
        if kind is None:
            raise TypeError(f"{cls.__name__}.{a.name}: no payload kind for {a.type!r}")
        if isinstance(kind, Record):
            slots.append(kind.stored_in(a.name))
            continue
        default = a.default
        required = default is attrs.NOTHING
        if required or default is None:
            missing = "None"
        elif default == () or isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            missing = kind.empty.format()
        else:
            missing = repr(default)
        key = a.metadata.get(_KEY, a.name)
        slots.append(_Slot(a.name, key, kind, required, missing, a.metadata.get(_OMIT)))
    return slots


def _flat(slots: list[_Slot | Record]) -> list[_Slot]:
    out: list[_Slot] = []
    for slot in slots:
        out.extend(slot.slots if isinstance(slot, Record) else [slot])  # type: ignore[arg-type]
    return out


def _generate(name: str, source: list[str], names: dict[str, Any]) -> Callable[..., Any]:
    """The function ``source`` defines (code this module writes from the declared fields)."""
    code = compile("\n".join(source) + "\n", f"<{name}>", "exec")
    exec(code, names)  # noqa: S102 - our own code, made from the declared fields
    return names[source[0].split()[1].split("(")[0]]  # type: ignore[no-any-return]


def _uses(slots: list[_Slot]) -> dict[str, Any]:
    names = dict(_HELPERS)
    for slot in slots:
        names.update(slot.kind.uses)
    return names


def _reader(
    signature: str,
    build: str,
    slots: list[_Slot | Record],
    names: dict[str, Any],
    where: str | None = None,
) -> list[str]:
    """The source of a reader: every key checked at once, then the object built.

    A payload that does not fit raises :func:`refused` (which names every problem);
    a nested record is read (and refused, with its own path) while building.
    """
    flat = _flat(slots)
    names.update(_uses(flat))
    body, tests = ["get = payload.get"], []
    if where is not None:
        body.append(f"where = {where!r}")
    for n, slot in enumerate(flat):
        default = "" if slot.missing == "None" else f", {slot.missing}"
        body.append(f"v{n} = get({slot.key!r}{default})")
        if slot.kind.guard:
            body.append(slot.kind.guard.format(v=f"v{n}"))
        tests.append(slot.kind.test.format(v=f"v{n}"))
    if all(slot.required for slot in flat):
        tests.append(f"len(payload) == {len(flat)}")
    else:
        names["_KEYS"] = frozenset(slot.key for slot in flat)
        tests.append("payload.keys() <= _KEYS")
    body += ["if not (" + " and ".join(tests) + "):", "    raise refused(_refuse, payload, where)"]
    values = iter(f"v{n}" for n in range(len(flat)))
    args = []
    for column in slots:
        if isinstance(column, Record):
            names[f"_{column.TYPE}"] = column.cls
            inner = (s.kind.read.format(v=next(values), key=s.key) for s in _flat(column.slots))
            args.append(f"_{column.TYPE}({', '.join(inner)})")
        else:
            args.append(column.kind.read.format(v=next(values), key=column.key))
    return [signature, *("    " + line for line in body), f"    return {build}({', '.join(args)})"]


def _writer(signature: str, slots: list[_Slot | Record], names: dict[str, Any]) -> list[str]:
    """The source of a writer: the keys in their order (those left out when ``None``: first
    or last, as they were added)."""
    names.update(_uses(_flat(slots)))
    items: list[str] = []
    first: list[str] = []
    last: list[str] = []
    for slot in slots:
        if isinstance(slot, Record):
            items.extend(_item(s, f"self.{slot.name}.{s.name}") for s in _flat(slot.slots))
            continue
        value = slot.kind.write.format(v=f"self.{slot.name}")
        if slot.omit is None:
            items.append(_item(slot, f"self.{slot.name}"))
        else:
            (first if slot.omit == "first" else last).append(
                f"if self.{slot.name} is not None:\n        payload[{slot.key!r}] = {value}"
            )
    literal = "{" + ", ".join(items) + "}"
    if not first and not last:
        return [signature, f"    return {literal}"]
    if not first:
        return [
            signature,
            f"    payload = {literal}",
            *("    " + s for s in last),
            "    return payload",
        ]
    return [
        signature,
        "    payload = {}",
        *("    " + s for s in first),
        f"    payload.update({literal})",
        *("    " + s for s in last),
        "    return payload",
    ]


def _item(slot: _Slot, value: str) -> str:
    """``'key': value`` as written (a record stored inline: its keys, one by one)."""
    return f"{slot.key!r}: {slot.kind.write.format(v=value)}"


class Record:
    """The payload codec of a record class (``WorkflowRef``, ``Sozialraum``, ``Participant``).

    Where a field's type is the record, it is stored as a JSON object under the
    field's key (its problems named with their path there); given as the field's
    kind with :func:`stored`, its keys are the payload's own.
    """

    def __init__(self, cls: type[Any], tag: str, kinds: Mapping[str, Kind] | None = None) -> None:
        self.cls, self.TYPE, self.name = cls, tag, tag
        self.slots = _slots(cls, kinds or {})
        self.SHAPE: Shape = _shape(self.slots)
        names: dict[str, Any] = {"_build": cls, "_refuse": self}
        source = _reader("def read(payload, where):", "_build", self.slots, names)
        self.read: Callable[[Payload, str], Any] = _generate(f"{tag} reader", source, names)

    def stored_in(self, name: str) -> Record:
        """This record stored inline by the field ``name``."""
        inline = copy.copy(self)
        inline.name = name
        return inline

    def as_object(self) -> Kind:
        """The kind of a field holding the record as an object under its key."""
        tag = self.TYPE
        return Kind(
            (dict,),
            "type({v}) is dict",
            read=f"_read_{tag}({{v}}, where + '.{{key}}')",
            # the object written in place: {'id': {v}.id, …} (braces doubled for format)
            write="{{" + ", ".join(_item(s, f"{{v}}.{s.name}") for s in _flat(self.slots)) + "}}",
            uses={f"_read_{tag}": self.read},
        )


def _shape(slots: list[_Slot | Record]) -> Shape:
    return tuple((s.key, s.kind.types, s.required) for s in _flat(slots))


def _declare_payload(cls: type[Any]) -> None:
    """Give an event class its ``SHAPE``, ``from_payload`` and ``to_payload`` from its fields."""
    slots = _slots(cls, {})
    names: dict[str, Any] = {}
    reader = _reader("def from_payload(cls, payload):", "cls", slots, names, "$.payload")
    names["_refuse"] = cls
    cls.SHAPE = _shape(slots)
    cls.from_payload = classmethod(_generate(f"{cls.TYPE} reader", reader, names))
    names = {}
    writer = _writer("def to_payload(self):", slots, names)
    cls.to_payload = _generate(f"{cls.TYPE} writer", writer, names)


_WORKFLOW = Record(WorkflowRef, "workflow")
_SOZIALRAUM = Record(Sozialraum, "sozialraum")
#: A participant's payload: its fields, the roles shared (:func:`_roles`).
_PARTICIPANT = Record(Participant, "participant", {"roles": ROLES})
_KINDS["WorkflowRef"] = _WORKFLOW.as_object()
_KINDS["Sozialraum"] = _SOZIALRAUM.as_object()


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

    workflow: WorkflowRef
    sozialraum: Sozialraum


@register
@frozen
class ParticipantSet(Event):
    """A participant was added or changed (roles, contact, active).

    Attributes:
        participant: The participant as it is from now on.
    """

    TYPE: ClassVar[str] = "participant_set"

    participant: Participant = field(metadata=stored(_PARTICIPANT))


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

    artifact: str
    data: dict[str, Any] = field(hash=False)
    note: str | None = None


@frozen
class _VersionNamed(Event):
    """The payload of the events about one version of an artifact: ``{"artifact", "version"}``."""

    artifact: str
    version: int


@register
@frozen
class ArtifactApproved(_VersionNamed):
    """The newest version of an artifact was approved.

    Attributes:
        artifact: The artifact id.
        version: The version number approved (the newest).
    """

    TYPE: ClassVar[str] = "artifact_approved"


@register
@frozen
class ArtifactConfirmed(_VersionNamed):
    """The newest version of an artifact, from an earlier cycle, was confirmed for this one.

    Attributes:
        artifact: The artifact id.
        version: The version number confirmed (the newest).
    """

    TYPE: ClassVar[str] = "artifact_confirmed"


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

    event: str
    date: str
    participants: int | None = None
    notes: str | None = None
    protocol: int | None = None
    until: str | None = field(default=None, metadata=stored(omit_none=True))


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

    decision: str
    date: str
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    consensus: bool | None = None
    present: int | None = None
    text: str | None = None
    amount: float | int | None = field(default=None, metadata=stored(omit_none=True))
    adopted: int | None = field(default=None, metadata=stored(omit_none=True))


@register
@frozen
class PhaseAdvanced(Event):
    """The process moved on to the next phase (from the last phase of a cycle: a new cycle).

    Attributes:
        source: The phase left (stored as ``from``).
        target: The phase entered (stored as ``to``).
    """

    TYPE: ClassVar[str] = "phase_advanced"

    source: str = field(metadata=stored(key="from"))
    target: str = field(metadata=stored(key="to"))


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

    transition: str
    source: str = field(metadata=stored(key="from"))
    target: str = field(metadata=stored(key="to"))
    reason: str | None = None


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

    source: WorkflowRef = field(metadata=stored(key="from"))
    target: WorkflowRef = field(metadata=stored(key="to"))
    mapping: tuple[tuple[str, str], ...] = field(metadata=stored(PAIRS))
    reason: str


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

    source: str = field(metadata=stored(key="from"))
    target: str = field(metadata=stored(key="to"))
    reason: str


# --------------------------------------------------------------------------- items (v2)


@frozen
class _ItemData(Event):
    """The payload of the events that give an item data: ``{"artifact", "key", "data", "note"}``."""

    artifact: str
    key: str
    data: dict[str, Any] = field(hash=False)
    note: str | None = None


@register
@frozen
class ItemCreated(_ItemData):
    """An item of an item artifact was created (in the first of its states).

    Attributes:
        artifact: The artifact id.
        key: The item's key (unique per artifact).
        data: Its data (validated, JSON-compatible; never changed).
        note: The creator's remark.
    """

    TYPE: ClassVar[str] = "item_created"


@register
@frozen
class ItemChanged(_ItemData):
    """An item's data was changed (a new version of it).

    Attributes:
        artifact: The artifact id.
        key: The item's key.
        data: Its new data, whole (validated, JSON-compatible; never changed).
        note: The remark of who changed it.
    """

    TYPE: ClassVar[str] = "item_changed"


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

    artifact: str
    key: str
    source: str = field(metadata=stored(key="from"))
    target: str = field(metadata=stored(key="to"))
    note: str | None = None


# --------------------------------------------------------------------------- planned events


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

    event: str
    date: str
    time: str | None = None
    until: str | None = None
    place: str | None = None
    agenda: tuple[str, ...] = ()
    invited: tuple[str, ...] = field(default=(), metadata=stored(ROLES))
    note: str | None = None
    end: str | None = field(default=None, metadata=stored(omit_none=True, first=True))
    reply_by: str | None = field(default=None, metadata=stored(omit_none=True, first=True))


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

    event: str
    date: str
    time: str | None = None
    until: str | None = None
    place: str | None = None
    reason: str | None = None


@register
@frozen
class EventCancelled(Event):
    """The open plan of an event was cancelled.

    Attributes:
        event: The event type id.
        reason: Why.
    """

    TYPE: ClassVar[str] = "event_cancelled"

    event: str
    reason: str | None = None


# --------------------------------------------------------------------------- participation (v2)


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

    stichtag: str
    values: Mapping[str, float] = field(hash=False, metadata=stored(NUMBERS))
    source: str | None = None


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

    event: str
    held: int
    counts: tuple[tuple[str, int], ...] = field(metadata=stored(COUNTS))


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

    sozialraum: Sozialraum
    taken_from: str | None = None


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

    id: str
    event: str
    held: int
    text: str
    group: str | None = None
    note: str | None = None


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

    id: str
    outcome: str
    reason: str | None = None
    links: tuple[tuple[str, str], ...] = field(default=(), metadata=stored(LINKS))


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

    event: str
    held: int
    how: str
    contributions: tuple[str, ...]
    note: str | None = None
