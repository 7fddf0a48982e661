"""The immutable records a process is made of: log events and what they produce.

:class:`ProcessEvent` is one entry of the append-only log. The other classes are
the values the fold (:mod:`.state`) builds from the log: the Sozialraum, the
participants, artifact versions, events held, decisions and phase visits. All are
frozen attrs classes; JSON-compatible ``payload``/``data`` mappings must not be
mutated after they were handed in (the process copies what it receives).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Literal

from attrs import define, field, frozen

from sozialraumprozess.i18n import Lang, Message

if TYPE_CHECKING:
    from sozialraumprozess.runtime.events import Event

#: A calendar day (an alias, because records have fields named ``date``).
Day = date

__all__ = [
    "Actor",
    "ArtifactVersion",
    "DecisionRecord",
    "DecisionResult",
    "HeldEvent",
    "ItemRecord",
    "LogEventType",
    "Participant",
    "ParticipantKind",
    "PhaseVisit",
    "PlannedEvent",
    "ProcessEvent",
    "Sozialraum",
    "WorkflowRef",
]

#: The types of log events, one per kind of successful command.
LogEventType = Literal[
    "process_started",
    "participant_set",
    "artifact_submitted",
    "artifact_approved",
    "artifact_confirmed",
    "event_held",
    "decision_recorded",
    "phase_advanced",
    "transition_taken",
    "item_created",
    "item_changed",
    "item_moved",
    "event_planned",
    "event_rescheduled",
    "event_cancelled",
]

ParticipantKind = Literal["person", "organisation"]


@frozen
class Actor:
    """Who ran a command: the role acted in and, if named, the participant.

    Attributes:
        role: The role id the command was authorised by.
        participant: The participant's name when ``by=`` named a participant.
    """

    role: str
    participant: str | None = None

    def label(self) -> str:
        """``Name (rolle)`` or just ``rolle``."""
        return self.role if self.participant is None else f"{self.participant} ({self.role})"


@frozen
class ProcessEvent:
    """One entry of a process's append-only log: the typed event with who and when.

    Attributes:
        seq: Sequence number, 1 for the first event, without gaps.
        time: When it happened (UTC, from the process's clock).
        actor: Who acted.
        event: What happened: an instance of one of the classes in
            :mod:`sozialraumprozess.runtime.events` (``ArtifactSubmitted`` …).
        date: The effective date: when it happened in the world, if the command
            was given one (``date=``); ``None`` means the day of :attr:`time`
            (every log written before effective dates existed).
        key: The idempotency key of the command that stored it, or ``None``
            (see :meth:`sozialraumprozess.app.Service.update`). Not part of
            equality: the same event stored with or without a key is the same event.
    """

    seq: int
    time: datetime
    actor: Actor
    event: Event
    date: Day | None = None
    key: str | None = field(default=None, eq=False)

    @property
    def day(self) -> Day:
        """The effective date, else the (UTC) day it was recorded."""
        return self.date if self.date is not None else self.time.date()

    @property
    def when(self) -> datetime:
        """When it happened: :attr:`time`, or the effective date at the recorded time of day."""
        if self.date is None or self.date == self.time.date():
            return self.time
        return datetime.combine(self.date, self.time.timetz()).astimezone(UTC)

    @property
    def type(self) -> str:
        """The event's stored type name (see :data:`LogEventType`), e.g. ``event_held``."""
        return self.event.TYPE

    @property
    def payload(self) -> dict[str, Any]:
        """The event's data as stored in the log (a new JSON-compatible dict each call)."""
        return self.event.to_payload()


@frozen
class WorkflowRef:
    """The definition a process is pinned to."""

    id: str
    version: str
    content_hash: str

    def as_tuple(self) -> tuple[str, str, str]:
        """``(id, version, content_hash)``."""
        return (self.id, self.version, self.content_hash)


@frozen
class Sozialraum:
    """The social space a process is run for.

    Attributes:
        name: Its name, e.g. ``Schwerte-Ost``.
        description: Where it is and what characterises it.
        data: Optional further data (``flaeche_km2``, ``einwohnerzahl`` …), JSON-compatible.
    """

    name: str
    description: str = ""
    data: dict[str, Any] = field(factory=dict, hash=False)


@frozen
class Participant:
    """A named person or organisation holding roles in the process.

    Attributes:
        name: Unique name within the process.
        roles: Role ids held.
        kind: ``person`` or ``organisation``.
        contact: Optional contact text.
        active: ``False`` once the participant left (kept for the record).
    """

    name: str
    roles: tuple[str, ...]
    kind: str = "organisation"
    contact: str | None = None
    active: bool = True


@define(weakref_slot=False)
class _ArtifactVersionFields:
    """The fields of :class:`ArtifactVersion`, shared with the fold's mutable entry of it
    (:class:`~sozialraumprozess.runtime._state.VersionEntry`)."""

    artifact: str
    version: int
    data: dict[str, Any] = field(hash=False)
    cycle: int
    phase: str
    submitted_by: Actor
    submitted_at: datetime
    seq: int
    note: str | None = None
    approved_by: Actor | None = None
    approved_at: datetime | None = None
    confirmed_cycles: tuple[int, ...] = ()


@frozen
class ArtifactVersion(_ArtifactVersionFields):
    """One submitted version of an artifact.

    Attributes:
        artifact: The artifact id.
        version: 1 for the first submission, +1 for each further one.
        data: The submitted data (validated, JSON-compatible).
        cycle: The cycle it was submitted in.
        phase: The phase it was submitted in.
        submitted_by: Who submitted it.
        submitted_at: When.
        seq: The log event that submitted it.
        note: Optional remark of the submitter.
        approved_by: Who approved it, or ``None``.
        approved_at: When it was approved.
        confirmed_cycles: Later cycles in which it was confirmed as still valid.
    """

    @property
    def approved(self) -> bool:
        """True once approved."""
        return self.approved_by is not None

    @property
    def current_cycle(self) -> int:
        """The latest cycle this version counts for (submitted or confirmed in)."""
        return self.confirmed_cycles[-1] if self.confirmed_cycles else self.cycle


@define(weakref_slot=False)
class _ItemRecordFields:
    """The fields of :class:`ItemRecord`, shared with the fold's mutable entry of it
    (:class:`~sozialraumprozess.runtime._state.ItemEntry`)."""

    artifact: str
    key: str
    state: str
    data: dict[str, Any] = field(hash=False)
    version: int
    cycle: int
    phase: str
    created_by: Actor
    created_at: datetime
    seq: int
    current_cycle: int
    moves: int = 0


@frozen
class ItemRecord(_ItemRecordFields):
    """One item of an item artifact (format v2): its key, state and newest data.

    Attributes:
        artifact: The artifact id (an artifact type with ``items``).
        key: The item's key, unique per artifact (e.g. the meeting point's name).
        state: The state id it is in.
        data: Its newest data (validated, JSON-compatible).
        version: 1 when created, +1 for each change of its data.
        cycle: The cycle it was created in.
        phase: The phase it was created in.
        created_by: Who created it.
        created_at: When.
        seq: The log event that last created, changed or moved it.
        current_cycle: The cycle it was last created, changed or moved in.
        moves: How many times it was moved.
    """


@define(weakref_slot=False)
class _HeldEventFields:
    """The fields of :class:`HeldEvent`, shared with the fold's mutable entry of it
    (:class:`~sozialraumprozess.runtime._state.HeldEntry`)."""

    event: str
    date: str
    participants: int | None
    notes: str | None
    protocol: int | None
    phase: str
    cycle: int
    visit: int
    recorded_by: Actor
    seq: int
    until: str | None = None
    plan: int | None = None


@frozen
class HeldEvent(_HeldEventFields):
    """An event (Veranstaltung) that took place.

    Attributes:
        event: The event type id.
        date: ISO date ``YYYY-MM-DD`` when it was held.
        participants: Number of people taking part.
        notes: Free text.
        protocol: Version number of the event type's protocol artifact, or ``None``.
        phase: The phase it was recorded in.
        cycle: The cycle it was recorded in.
        visit: The phase visit (seq of the log event that entered the phase).
        recorded_by: Who recorded it.
        seq: The log event that recorded it.
        until: ISO date of the last day, for an event spanning a period.
        plan: The plan it was held as (seq of the log event that planned it).
    """


@frozen
class DecisionResult:
    """The computed outcome of a decision.

    Attributes:
        passed: True if the decision was taken (rule and quorum met).
        code: ``passed``, ``rejected``, ``no-quorum`` or ``no-consensus``.
        msg: The short summary as a catalog message, e.g. ``angenommen: 7 Ja, 2 Nein``.
    """

    passed: bool
    code: str
    msg: Message

    @property
    def message_de(self) -> str:
        """The summary in German."""
        return self.msg.text("de")

    @property
    def message_en(self) -> str:
        """The summary in English."""
        return self.msg.text("en")

    def message(self, lang: Lang = "de") -> str:
        """The summary in ``lang``.

        Raises:
            ValueError: ``lang`` has no catalog.
        """
        return self.msg.text(lang)


@define(weakref_slot=False)
class _DecisionRecordFields:
    """The fields of :class:`DecisionRecord`, shared with the fold's mutable entry of it
    (:class:`~sozialraumprozess.runtime._state.DecisionEntry`)."""

    decision: str
    date: str
    yes: int | None
    no: int | None
    abstain: int | None
    consensus: bool | None
    present: int | None
    text: str | None
    result: DecisionResult
    phase: str
    cycle: int
    visit: int
    recorded_by: Actor
    seq: int
    amount: float | int | None = None
    adopted: int | None = None


@frozen
class DecisionRecord(_DecisionRecordFields):
    """A decision recorded for a body.

    Attributes:
        decision: The decision type id.
        date: ISO date ``YYYY-MM-DD`` it was taken.
        yes: Yes votes (``None`` for a consensus decision).
        no: No votes.
        abstain: Abstentions.
        consensus: For the ``consensus`` rule: whether consensus was reached.
        present: Members present (needed for the quorum of consensus decisions).
        text: The wording of the resolution.
        result: The computed outcome.
        phase: The phase it was recorded in.
        cycle: The cycle.
        visit: The phase visit it belongs to.
        recorded_by: Who recorded it.
        seq: The log event that recorded it.
        amount: The amount granted, in euros (decisions with ``amount: true``).
        adopted: The version of the ``adopts`` artifact it adopted.
    """


@define(weakref_slot=False)
class _PlannedEventFields:
    """The fields of :class:`PlannedEvent`, shared with the fold's mutable entry of it
    (:class:`~sozialraumprozess.runtime._state.PlanEntry`)."""

    event: str
    date: str
    time: str | None
    until: str | None
    place: str | None
    agenda: tuple[str, ...]
    invited: tuple[str, ...]
    note: str | None
    phase: str
    cycle: int
    planned_by: Actor
    planned_on: Day
    seq: int
    status: str = "planned"
    previous: tuple[str, ...] = ()
    reason: str | None = None
    end: str | None = None
    reply_by: str | None = None


@frozen
class PlannedEvent(_PlannedEventFields):
    """An event planned ahead: its invitation's facts and what became of it.

    Attributes:
        event: The event type id.
        date: ISO date of the (first) day (after rescheduling: the current one).
        time: Start time ``HH:MM``.
        until: ISO date of the last day, for an event spanning a period.
        place: Where.
        agenda: The agenda items.
        invited: Role ids invited.
        note: Free text for the invitation.
        phase: The phase it was planned in.
        cycle: The cycle.
        planned_by: Who planned it (the invitation's sender).
        planned_on: The day it was planned (the invitation's date).
        seq: The log event that planned it (identifies the plan).
        status: ``planned``, ``held`` or ``cancelled``.
        previous: Earlier dates, oldest first (one per rescheduling).
        reason: The reason of the last rescheduling or of the cancellation.
        end: End time ``HH:MM``.
        reply_by: ISO date by which invitees are asked to reply.
    """


@define(weakref_slot=False)
class _PhaseVisitFields:
    """The fields of :class:`PhaseVisit`, shared with the fold's mutable entry of it
    (:class:`~sozialraumprozess.runtime._state.VisitEntry`)."""

    phase: str
    cycle: int
    entered_at: datetime
    seq: int
    via: str
    reason: str | None = None
    left_at: datetime | None = None


@frozen
class PhaseVisit(_PhaseVisitFields):
    """One stay of the process in a phase.

    Attributes:
        phase: The phase id.
        cycle: The cycle during which it was entered.
        entered_at: When (UTC).
        seq: The log event that entered it (identifies the visit).
        via: ``start``, ``advance`` or the id of the transition taken.
        reason: The reason given for a backward move.
        left_at: When the phase was left, ``None`` while current.
    """
