"""A running process: commands that append events, queries that read the fold.

Every command names who acts (``by=``: a role id or a participant's name), checks
names, permission, the rules of the process and the data — in that order — and
only then appends exactly one :class:`ProcessEvent` carrying a typed event
(:mod:`.events`). A refused command raises and leaves the process unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from itertools import islice
from typing import Any, Self

from attrs import frozen

from sozialraumprozess.definition.model import FORMAT_V1, Deadline, Workflow
from sozialraumprozess.errors import DefinitionMismatch, ReplayError
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime import (
    _commands,
    _inputs,
    _items,
    _measures,
    _participation,
    indicators as _indicators,
    sozialraum as _sozialraum,
)
from sozialraumprozess.runtime._fold import Definitions
from sozialraumprozess.runtime._plan import shared
from sozialraumprozess.runtime.clock import Clock, FixedClock, SystemClock, as_utc
from sozialraumprozess.runtime.deadlines import add_duration, phase_deadlines
from sozialraumprozess.runtime.events import Event, ProcessStarted, WorkflowMigrated
from sozialraumprozess.runtime.gates import Blocker
from sozialraumprozess.runtime.migration import MigrationReport, check_migration
from sozialraumprozess.runtime.participation import Contribution, Feedback, Participation, Reach
from sozialraumprozess.runtime.permissions import allowed_roles, resolve_actor
from sozialraumprozess.runtime.records import (
    Actor,
    ArtifactVersion,
    DecisionRecord,
    HeldEvent,
    ItemRecord,
    Participant,
    PhaseVisit,
    PlannedEvent,
    ProcessEvent,
    Sozialraum,
    WorkflowRef,
)
from sozialraumprozess.runtime.state import ProcessState, apply, apply_all

__all__ = ["Process", "StrandState"]


@frozen
class StrandState:
    """Where one strand of the current phase stands (format v2).

    Attributes:
        id: The strand id.
        responsible: Its responsible role.
        required: Whether the phase waits for it (``requires``, default: all).
        blockers: Its unmet exit criteria (none: the strand is done).
    """

    id: str
    responsible: str
    required: bool
    blockers: tuple[Blocker, ...]

    @property
    def done(self) -> bool:
        """True while every exit criterion of the strand holds."""
        return not self.blockers


def _refuse_unknown_start(log: Sequence[ProcessEvent], ref: WorkflowRef) -> None:
    """A migrated log whose first definition is not at hand: say which one is missing."""
    for entry in log:
        if isinstance(entry.event, WorkflowMigrated):
            raise ReplayError(
                entry.seq,
                msg(
                    "runtime.replay.migration-definition",
                    version=ref.version,
                    hash=ref.content_hash,
                ),
            )


class Process:
    """One running instance of a workflow for one Sozialraum.

    Create one with :meth:`start`, rebuild one with :meth:`replay` or
    :meth:`from_dict`. Read :attr:`state` (or the shortcuts), ask
    :meth:`blockers`, and change it only through the command methods.

    Args:
        workflow: The definition the process runs on.
        clock: Where event times come from (default: the system clock, UTC).
    """

    __slots__ = ("_blocked", "_log", "_machine", "_plan", "clock", "state", "workflow")

    def __init__(self, workflow: Workflow, *, clock: Clock | None = None) -> None:
        self.workflow = workflow
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.state = ProcessState()
        self._log: list[ProcessEvent] = []
        _, self._machine, self._plan = shared(workflow)
        # The phase gate's blockers for (state, seq), while the plan's gates are pure.
        self._blocked: tuple[ProcessState, int, tuple[Blocker, ...]] | None = None

    # ------------------------------------------------------------------ creation

    @classmethod
    def start(
        cls,
        workflow: Workflow,
        *,
        sozialraum: str,
        description: str = "",
        data: Mapping[str, Any] | None = None,
        by: str,
        clock: Clock | None = None,
        date: str | date | None = None,
    ) -> Self:
        """Start a process for a Sozialraum in the workflow's first phase.

        Args:
            workflow: The definition; the process is pinned to its id, version and hash.
            sozialraum: The Sozialraum's name.
            description: Its description.
            data: Further JSON-compatible data (area, population …).
            by: Who starts it: the first phase's responsible role.
            clock: Where event times come from.
            date: The effective date (when it started in the world; default: today).

        Raises:
            PermissionDenied: ``by`` may not start the process.
            InvalidData: name, description, data or date are invalid.
        """
        process = cls(workflow, clock=clock)
        _commands.start(process, sozialraum, description, data, by, date)
        return process

    @classmethod
    def replay(
        cls,
        workflow: Workflow,
        events: Iterable[ProcessEvent],
        *,
        clock: Clock | None = None,
        definitions: Definitions | None = None,
    ) -> Self:
        """Rebuild a process from its events.

        Args:
            workflow: The definition the run is pinned to now (after its last
                migration, if it was migrated).
            events: The log, oldest first.
            clock: Where later event times come from.
            definitions: For a log with migrations: finds the earlier definitions
                it names (a store's copies). ``workflow`` itself needs no lookup.

        Raises:
            DefinitionMismatch: The log was written for another definition.
            ReplayError: The log is not a valid history of this workflow, or
                names a definition ``definitions`` cannot give.
        """
        log = list(events)
        current = (workflow.id, workflow.version, workflow.content_hash)

        def lookup(ref: WorkflowRef) -> Workflow | None:
            if ref.as_tuple() == current:
                return workflow
            return definitions(ref) if definitions is not None else None

        first = workflow
        started = log[0].event if log else None
        if isinstance(started, ProcessStarted) and started.workflow.as_tuple() != current:
            # a migrated run started on an older definition (else the pin check refuses it)
            found = lookup(started.workflow)
            if found is not None:
                first = found
            else:
                _refuse_unknown_start(log, started.workflow)
        process = cls(first, clock=clock)
        if log:
            apply(process.state, log[0], first)
            process._check_pin()  # the start event pins the definition: check it first
            final = apply_all(process.state, islice(log, 1, None), first, lookup)
            if final is not first:
                process._switch(final)
            if (final.id, final.version, final.content_hash) != current:
                raise DefinitionMismatch(process.pinned.as_tuple(), current)
        process._log = log
        return process

    def _switch(self, workflow: Workflow) -> None:
        self.workflow = workflow
        _, self._machine, self._plan = shared(workflow)
        self._blocked = None

    def _check_pin(self) -> None:
        pinned = self.state.workflow
        actual = (self.workflow.id, self.workflow.version, self._plan.content_hash)
        if pinned is not None and pinned.as_tuple() != actual:
            raise DefinitionMismatch(pinned.as_tuple(), actual)

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible data of the whole process (see :mod:`.serialize`)."""
        from sozialraumprozess.runtime.serialize import process_to_dict

        return process_to_dict(self)

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        workflow: Workflow,
        *,
        clock: Clock | None = None,
        definitions: Definitions | None = None,
    ) -> Self:
        """Rebuild a process from :meth:`to_dict` data against ``workflow``.

        ``definitions`` finds earlier definitions for a process that was migrated
        (see :meth:`replay`).

        Raises:
            ReplayError: Unknown format version or malformed data.
            DefinitionMismatch: The data is pinned to another definition.
        """
        from sozialraumprozess.runtime.serialize import process_from_dict

        return process_from_dict(cls, data, workflow, clock, definitions)

    # ------------------------------------------------------------------ queries

    @property
    def log(self) -> tuple[ProcessEvent, ...]:
        """The events, oldest first."""
        return tuple(self._log)

    @property
    def pinned(self) -> WorkflowRef:
        """The workflow id, version and content hash this process is pinned to."""
        assert self.state.workflow is not None  # noqa: S101 - started processes only
        return self.state.workflow

    @property
    def phase(self) -> str:
        """The current phase id."""
        return self.state.phase

    @property
    def cycle(self) -> int:
        """The current cycle number (1 on the first pass)."""
        return self.state.cycle

    @property
    def sozialraum(self) -> Sozialraum:
        """The Sozialraum this process is run for."""
        assert self.state.sozialraum is not None  # noqa: S101 - started processes only
        return self.state.sozialraum

    @property
    def participants(self) -> tuple[Participant, ...]:
        """Participants in the order they were first added."""
        return tuple(self.state.participants.values())

    @property
    def visits(self) -> tuple[PhaseVisit, ...]:
        """Every phase visit, oldest first (entry dates per phase)."""
        return tuple(self.state.visits)

    @property
    def held_events(self) -> tuple[HeldEvent, ...]:
        """Every event held, in order."""
        return tuple(self.state.held)

    @property
    def decisions(self) -> tuple[DecisionRecord, ...]:
        """Every decision recorded, in order."""
        return tuple(self.state.decisions)

    def versions(self, artifact: str) -> tuple[ArtifactVersion, ...]:
        """Every version of ``artifact``, oldest first (all cycles)."""
        self.workflow.artifact(artifact)
        return tuple(self.state.versions(artifact))

    def latest(self, artifact: str) -> ArtifactVersion | None:
        """The newest version of ``artifact``, or ``None``."""
        self.workflow.artifact(artifact)
        return self.state.latest(artifact)

    def items(self, artifact: str) -> tuple[ItemRecord, ...]:
        """The items of an item artifact (format v2), in creation order."""
        self.workflow.artifact(artifact)
        return tuple(self.state.items(artifact))

    def item(self, artifact: str, key: str) -> ItemRecord | None:
        """The item of ``artifact`` with ``key``, or ``None``."""
        self.workflow.artifact(artifact)
        return self.state.item(artifact, key)

    def blockers(
        self, transition: str | None = None, today: date | None = None
    ) -> tuple[Blocker, ...]:
        """Every unmet exit criterion of the current phase (or of ``transition``).

        ``today`` is the day time rules (``wait`` criteria) are judged on; default:
        :meth:`today`.
        """
        if not self._plan.pure:  # time rules read the day
            self.state.today = today if today is not None else self.today()
        if transition is not None:
            return self._plan.transition_blockers(transition, self.state)
        state, cached = self.state, self._blocked
        if cached is not None and cached[0] is state and cached[1] == state.seq:
            return cached[2]
        blockers = self._plan.phase_blockers(state)
        if self._plan.pure:
            self._blocked = (state, state.seq, blockers)
        return blockers

    def can_advance(self) -> bool:
        """True if the phase has a next phase and no blockers."""
        if self._plan.auto:  # format v2: `advance` may take an `auto` transition
            route = self._plan.auto_route(self.state)
            if route is not None:
                return not self.blockers() and not self.blockers(route.id)
        return not self.workflow.is_final(self.state.phase) and not self.blockers()

    def available(self) -> tuple[str, ...]:
        """The moves from the current phase: ``advance`` and transition ids."""
        return self._machine.available(self.state.phase)

    def allowed(self, command: str, subject: str | None = None) -> tuple[str, ...]:
        """The role ids that may run ``command`` on ``subject`` now.

        For ``weigh_contribution`` the subject is the contribution's id.
        """
        if command == "weigh_contribution" and subject is not None:
            subject = _participation.known_contribution(self, subject).event
        return allowed_roles(self.workflow, self.state.phase, command, subject)

    @property
    def time_dependent(self) -> bool:
        """True if the gates read the day (``wait`` criteria): blockers change with time."""
        return not self._plan.pure

    def today(self) -> date:
        """Today's date (UTC) by the process's clock, without moving a :class:`FixedClock`."""
        clock = self.clock
        moment = clock.peek() if isinstance(clock, FixedClock) else clock.now()
        return as_utc(moment).date()

    @property
    def planned_events(self) -> tuple[PlannedEvent, ...]:
        """Every planned event (open, held or cancelled), oldest first."""
        return tuple(self.state.planned)

    def _future_limit(self) -> date | None:
        """The last day a held event or a decision may be dated: today.

        ``None`` (no limit) for a workflow of format ``sozialraumprozess/v1``,
        which accepted any date and keeps meaning what it meant.
        """
        return None if self.workflow.format == FORMAT_V1 else self.today()

    def _effective(self, kind: str, subject: str, value: Any) -> date | None:
        """The checked effective date of a command (``date=``), ``None`` if not given."""
        if value is None:
            return None
        visits = self.state.visit_entries
        entered = visits[-1].entered_at.date() if visits else None
        return _inputs.effective_date(kind, subject, value, self.today(), entered)

    def deadline(self) -> date | None:
        """The current phase's deadline (entry date + ``duration``), if it has one."""
        duration = self.workflow.phase(self.state.phase).duration
        visits = self.state.visit_entries
        if duration is None or not visits:
            return None
        return add_duration(visits[-1].entered_at.date(), duration)

    def deadlines(self) -> list[tuple[Deadline, date | None]]:
        """The current phase's ``deadlines`` (format v2) with their days.

        A deadline ``before`` an event counts from the event's open plan; while the
        event is not planned its day is ``None``.
        """
        if not self.workflow.phase(self.state.phase).deadlines:
            return []
        planned = {p.event: p.date for p in self.state.plan_entries if p.status == "planned"}
        return phase_deadlines(self.workflow, self.state.phase, planned)

    def overdue(self, now: datetime | date | None = None) -> bool:
        """True if the current phase's deadline lies before ``now`` (default: the clock)."""
        deadline = self.deadline()
        if deadline is None:
            return False
        moment = self.clock.now() if now is None else now
        day = as_utc(moment).date() if isinstance(moment, datetime) else moment
        return day > deadline

    # ------------------------------------------------------------------ commands

    def _actor(self, by: str, command: str, subject: str | None = None) -> Actor:
        allowed = allowed_roles(self.workflow, self.state.phase, command, subject)
        return resolve_actor(
            self.workflow,
            self.state.participants,
            by,
            command,
            subject,
            allowed,
            self._plan.role_ids,
        )

    def _commit(
        self,
        event: Event,
        actor: Actor,
        day: date | None = None,
        *,
        switch_to: Workflow | None = None,
    ) -> ProcessEvent:
        time = as_utc(self.clock.now())
        if day is not None and day == time.date():
            day = None  # the recorded day already says it
        entry = ProcessEvent(self.state.seq + 1, time, actor, event, day)
        if switch_to is None:
            apply(self.state, entry, self.workflow)
        else:  # a migration: the events after it fold with the new definition
            apply_all(self.state, (entry,), self.workflow, lambda _ref: switch_to)
            self._switch(switch_to)
        self._log.append(entry)
        return entry

    def set_participant(
        self,
        name: str,
        roles: Sequence[str],
        *,
        kind: str = "organisation",
        contact: str | None = None,
        active: bool = True,
        by: str,
        date: str | date | None = None,
    ) -> ProcessEvent:
        """Add a participant or change one (roles, contact, active).

        ``date``, as for every command, is the effective date: when it happened
        in the world (a :class:`datetime.date`, ``2025-03-04`` or ``04.03.2025``;
        default: today). A date in the future, or before the current phase was
        entered, is refused.

        Raises:
            PermissionDenied: ``by`` is not the current phase's responsible role.
            InvalidData: unknown roles, bad kind, a name that is a role id, a bad date.
        """
        return _commands.set_participant(self, name, roles, kind, contact, active, by, date)

    def submit(
        self,
        artifact: str,
        data: Mapping[str, Any],
        *,
        by: str,
        note: str | None = None,
        date: str | date | None = None,
    ) -> ArtifactVersion:
        """Submit a new version of an artifact of the current phase.

        The data is validated against the artifact's fields; it may still be
        incomplete (the gate reports empty required fields). ``date``: the
        effective date (see :meth:`set_participant`).

        Raises:
            PermissionDenied: ``by`` is not the artifact's owner.
            CommandRejected: the artifact does not belong to the current phase.
            InvalidData: every invalid field, by path.
        """
        return _commands.submit(self, artifact, data, by, note, date)

    def approve(self, artifact: str, *, by: str, date: str | date | None = None) -> ArtifactVersion:
        """Approve the newest version of an artifact (it must be current in this cycle).

        Raises:
            PermissionDenied: ``by`` is not the artifact's ``approved_by`` role.
            CommandRejected: no version, already approved, from an earlier cycle,
                not an artifact of this phase, or the artifact needs no approval.
        """
        return _commands.approve(self, artifact, by, date)

    def confirm(self, artifact: str, *, by: str, date: str | date | None = None) -> ArtifactVersion:
        """Confirm that the newest version from an earlier cycle still holds in this one.

        A confirmed version counts as current again, with its approval.

        Raises:
            PermissionDenied: ``by`` is not the approver (or owner, without approver).
            CommandRejected: no version, already current, or not in this phase.
        """
        return _commands.confirm(self, artifact, by, date)

    def record_event(
        self,
        event: str,
        *,
        date: str | date,
        participants: int | None = None,
        notes: str | None = None,
        protocol: int | None = None,
        by: str,
        until: str | date | None = None,
    ) -> HeldEvent:
        """Record that an event of the current phase was held.

        Holding an event that was planned (:meth:`plan_event`) closes its plan.

        Args:
            event: The event type id.
            date: When it was held (a :class:`datetime.date`, ``YYYY-MM-DD`` or
                ``TT.MM.JJJJ``); not in the future.
            until: The last day, for an event spanning a period (not in the future).
            participants: How many took part.
            notes: Free text.
            protocol: Version number of the event's protocol artifact (its minutes).
            by: The event's organiser.

        Raises:
            PermissionDenied: ``by`` is not the organiser.
            CommandRejected: the event does not belong to the current phase.
            InvalidData: bad date, count or protocol reference.
        """
        return _commands.record_event(self, event, date, participants, notes, protocol, by, until)

    def plan_event(
        self,
        event: str,
        *,
        on: str | date,
        time: str | None = None,
        until: str | date | None = None,
        place: str | None = None,
        agenda: Sequence[str] = (),
        invited: Sequence[str] = (),
        note: str | None = None,
        by: str,
        date: str | date | None = None,
        end: str | None = None,
        reply_by: str | date | None = None,
    ) -> PlannedEvent:
        """Plan an event ahead: the facts its invitation needs.

        At most one plan per event type is open at a time; holding the event
        (:meth:`record_event`) or :meth:`cancel_event` closes it.

        Args:
            event: The event type id (any event of the workflow).
            on: The (first) day; not before today.
            time: Start time ``HH:MM``.
            until: The last day, for an event spanning a period.
            place: Where.
            agenda: The agenda items, in order.
            invited: Role ids invited.
            note: Free text for the invitation.
            by: The event's organiser (the invitation's sender).
            date: The effective date: when it was planned (the invitation's date).
            end: End time ``HH:MM`` (after ``time``).
            reply_by: The day by which invitees are asked to reply (not after ``on``).

        Raises:
            PermissionDenied: ``by`` is not the organiser.
            CommandRejected: a plan is open already; ``on`` lies within the event
                type's ``notice`` period (Ladungsfrist) from ``date``.
            InvalidData: bad days, time, agenda or invited roles.
        """
        details = {
            "on": on,
            "time": time,
            "until": until,
            "place": place,
            "agenda": agenda,
            "invited": invited,
            "note": note,
            "end": end,
            "reply_by": reply_by,
        }
        return _commands.plan_event(self, event, details, by, date)

    def reschedule_event(
        self,
        event: str,
        *,
        on: str | date,
        time: str | None = None,
        until: str | date | None = None,
        place: str | None = None,
        reason: str | None = None,
        by: str,
        date: str | date | None = None,
    ) -> PlannedEvent:
        """Move the open plan of ``event`` to another day (time and place kept unless given).

        Raises:
            PermissionDenied: ``by`` is not the organiser.
            CommandRejected: no open plan; the new day lies within the notice period.
            InvalidData: bad days or time.
        """
        details = {"on": on, "time": time, "until": until, "place": place, "reason": reason}
        return _commands.reschedule_event(self, event, details, by, date)

    def cancel_event(
        self,
        event: str,
        *,
        reason: str | None = None,
        by: str,
        date: str | date | None = None,
    ) -> PlannedEvent:
        """Cancel the open plan of ``event``.

        Raises:
            PermissionDenied: ``by`` is not the organiser.
            CommandRejected: no open plan.
        """
        return _commands.cancel_event(self, event, reason, by, date)

    def record_decision(
        self,
        decision: str,
        *,
        date: str | date,
        yes: int | None = None,
        no: int | None = None,
        abstain: int | None = None,
        consensus: bool | None = None,
        present: int | None = None,
        text: str | None = None,
        by: str,
        amount: float | None = None,
    ) -> DecisionRecord:
        """Record a decision of a body; the result follows from rule and quorum.

        Give ``yes``/``no``/``abstain`` for voting rules, ``consensus`` (and
        ``present``) for the consensus rule, only ``present`` (optional) for
        ``taking_note``. A rejected decision is recorded too. ``date`` is a
        :class:`datetime.date`, ``YYYY-MM-DD`` or ``TT.MM.JJJJ``, not in the
        future. ``amount`` (euros) for a decision type with ``amount: true``. A
        decision type with ``adopts`` records the newest version of that artifact.

        Raises:
            PermissionDenied: ``by`` is not the decision's body.
            CommandRejected: the decision belongs to other phases; a decision it
                comes ``after`` was not taken in this cycle; nothing to adopt.
            InvalidData: bad date, amount or votes not fitting the rule.
        """
        votes = (yes, no, abstain, consensus, present)
        return _commands.record_decision(self, decision, date, votes, text, by, amount)

    def advance(self, *, by: str, date: str | date | None = None) -> PhaseVisit:
        """Move to the next phase (from the last phase of a cyclic workflow: a new cycle).

        Raises:
            PermissionDenied: ``by`` is not the phase's responsible role.
            TransitionNotAvailable: the phase is final.
            TransitionBlocked: exit criteria are unmet (carries every blocker).
        """
        return _commands.advance(self, by, date)

    def check_migration(
        self, target: Workflow, mapping: Mapping[str, str] | None = None
    ) -> MigrationReport:
        """What moving this process to ``target`` would mean, without moving it.

        Args:
            target: The revised definition.
            mapping: Old phase id → new phase id for phases renamed or replaced
                (phases declaring ``renamed_from`` are mapped without it).

        Returns:
            The findings, each ``safe``, ``attention`` or ``blocks``.
        """
        return check_migration(self, target, mapping or {})

    def migrate(
        self,
        target: Workflow,
        *,
        mapping: Mapping[str, str] | None = None,
        reason: str,
        by: str,
    ) -> MigrationReport:
        """Move this process to the revised definition ``target`` (one event).

        Raises:
            PermissionDenied: ``by`` is not the current phase's responsible role.
            MigrationBlocked: The compatibility report has a finding that
                blocks (its reasons are the error's details); nothing changes.
            InvalidData: ``reason`` is empty.
        """
        return _commands.migrate(self, target, dict(mapping or {}), reason, by)

    def record_indicators(
        self,
        stichtag: str | date,
        values: Mapping[str, Any],
        *,
        by: str,
        source: str | None = None,
        date: date | None = None,
    ) -> _indicators.IndicatorRecord:
        """Record values of declared indicators for a reference date (*Stichtag*).

        The values join the current cycle's snapshot of the Sozialraum's monitoring
        (format v2 ``indicators``; the gate ``indicator_snapshot`` asks for one).

        Args:
            stichtag: The reference date (``2025-12-31`` or ``31.12.2025``).
            values: Value per indicator id (numbers; ``"12,5"`` is read as 12.5).
            by: Role id or participant (each indicator's ``recorded_by``, default
                the current phase's responsible role).
            source: Where the values come from.
            date: The effective date, if not today.

        Raises:
            InvalidData: an undeclared indicator, a value that is no number or a
                reference date that is no date (each with its path); nothing recorded.
            PermissionDenied: ``by`` may not record these indicators.
        """
        return _indicators.record_indicators(self, stichtag, values, by, source, date)

    def record_sozialraum(
        self,
        *,
        by: str,
        name: str | None = None,
        description: str | None = None,
        id: str | None = None,
        planning_areas: Sequence[str] | None = None,
        key_data: Mapping[str, Any] | None = None,
        boundary: Mapping[str, Any] | None = None,
        taken_from: str | None = None,
        date: date | None = None,
    ) -> Sozialraum:
        """Record the Sozialraum: stable id, name, planning areas, key data, boundary.

        Fields not given keep their value; the id defaults to one made from the
        name and then stays. ``taken_from`` names the run the record was taken
        over from (see :mod:`sozialraumprozess.runtime.sozialraum`).

        Raises:
            InvalidData: invalid GeoJSON, an id that is not ``a-z0-9-``, planning
                areas or key data of the wrong shape (each with its path).
            PermissionDenied: ``by`` is neither the first phase's nor the current
                phase's responsible role.
        """
        return _sozialraum.record_sozialraum(
            self,
            by=by,
            name=name,
            description=description,
            room_id=id,
            planning_areas=planning_areas,
            key_data=key_data,
            boundary=boundary,
            taken_from=taken_from,
            day=date,
        )

    def skip(self, *, by: str, reason: str) -> PhaseVisit:
        """Skip the current optional phase (format v2): move to its next phase without
        its exit gate, with the reason recorded.

        Raises:
            PermissionDenied: ``by`` is not the phase's responsible role.
            CommandRejected: the phase is not optional, or no ``reason``.
            TransitionNotAvailable: the phase is final.
        """
        return _commands.skip(self, by, reason)

    def strands(self) -> tuple[StrandState, ...]:
        """The strands of the current phase (format v2), each with its blockers."""
        phase = self.workflow.phase(self.state.phase)
        required = {s.id for s in phase.required_strands}
        return tuple(
            StrandState(
                s.id,
                s.responsible,
                s.id in required,
                self._plan.strand_blockers(phase.id, s.id, self.state),
            )
            for s in phase.strands
        )

    def route(self) -> str | None:
        """The phase ``advance`` leads to now (an ``auto`` transition whose condition
        holds, else the next phase); ``None`` if the phase is final."""
        auto = self._plan.auto_route(self.state) if self._plan.auto else None
        if auto is not None:
            return auto.target
        return self.workflow.next_phase(self.state.phase)

    def offered(self, transition: str) -> bool:
        """True if ``transition`` starts here and its condition (``when``) holds."""
        spec = self.workflow.transition(transition)
        return spec.source == self.state.phase and self._plan.condition_holds(spec, self.state)

    def take_transition(
        self,
        transition: str,
        *,
        by: str,
        reason: str | None = None,
        date: str | date | None = None,
    ) -> PhaseVisit:
        """Take a named transition (a loop back or a shortcut).

        Raises:
            PermissionDenied: ``by`` holds none of the transition's ``allowed`` roles.
            TransitionNotAvailable: the transition does not start in the current phase.
            CommandRejected: a backward transition without a ``reason``.
            TransitionBlocked: the transition's own criteria are unmet.
        """
        return _commands.take_transition(self, transition, by, reason, date)

    # ------------------------------------------------------------------ items (v2)

    def create_item(
        self,
        artifact: str,
        *,
        key: str,
        data: Mapping[str, Any] | None = None,
        by: str,
        note: str | None = None,
    ) -> ItemRecord:
        """Create an item of an item artifact (format v2); it starts in the first state.

        Args:
            artifact: The artifact id (an artifact type with ``items``).
            key: The item's key, unique per artifact (e.g. the meeting point's name;
                for ``items_per_entry`` gates, the entry it belongs to).
            data: The item's data, validated against the artifact's fields.
            by: The artifact's owner.
            note: A remark.

        Raises:
            PermissionDenied: ``by`` is not the artifact's owner.
            CommandRejected: not an item artifact, not in the current phase, or the
                key exists already.
            InvalidData: a bad key, every invalid field by path.
        """
        return _items.create_item(self, artifact, key, data, by, note)

    def change_item(
        self,
        artifact: str,
        *,
        key: str,
        data: Mapping[str, Any],
        by: str,
        note: str | None = None,
    ) -> ItemRecord:
        """Change an item's data (a new version; the data is given whole).

        Args:
            artifact: The artifact id.
            key: The item's key.
            data: The item's new data, validated against the artifact's fields.
            by: The artifact's owner.
            note: A remark.

        Raises:
            PermissionDenied: ``by`` is not the artifact's owner.
            CommandRejected: not an item artifact, not in the current phase, or no
                item with that key.
            InvalidData: every invalid field by path.
        """
        return _items.change_item(self, artifact, key, data, by, note)

    def evaluate_measure(
        self,
        artifact: str,
        *,
        key: str,
        decision: str,
        reasons: str,
        indicators: Sequence[Mapping[str, Any]] = (),
        date: str | None = None,
        by: str,
        note: str | None = None,
    ) -> ItemRecord:
        """Record a measure's evaluation at the cycle's end and move it to its last state.

        The measure is an item of an artifact with ``items: {kind: measure}`` and an
        ``evaluation`` field; the evaluation replaces that field (the other data is
        kept) and the item moves to the lifecycle's last state (e.g. ``evaluiert``).

        Args:
            artifact: The measure artifact (items of kind ``measure``).
            key: The measure's key.
            decision: ``fortsetzen`` (continue), ``anpassen`` (adapt) or ``beenden`` (stop).
            reasons: Why.
            indicators: The indicator movement observed, ``[{indicator, change, note}]``.
            date: The day of the evaluation (``YYYY-MM-DD``).
            by: Who may change and move the measure.
            note: A note for the log.

        Raises:
            PermissionDenied: ``by`` may not change or move the measure.
            CommandRejected: not a measure artifact with an evaluation field, no item
                ``key``, the move to the last state is not allowed from the item's state.
            InvalidData: the evaluation is invalid; nothing is recorded.
        """
        return _measures.evaluate_measure(
            self,
            artifact,
            key,
            decision=decision,
            reasons=reasons,
            indicators=indicators,
            date=date,
            by=by,
            note=note,
        )

    def move_item(
        self, artifact: str, *, key: str, to: str, by: str, note: str | None = None
    ) -> ItemRecord:
        """Move an item to another of its states (one of the allowed moves).

        Args:
            artifact: The artifact id.
            key: The item's key.
            to: The state id to move to (by default the next one in order).
            by: A role of the artifact's ``items.moved_by`` (default: its owner).
            note: Why, or what was done.

        Raises:
            PermissionDenied: ``by`` may not move the artifact's items.
            CommandRejected: not an item artifact, not in the current phase, no item
                with that key, or the move is not allowed from its state.
            InvalidData: an unknown state.
        """
        return _items.move_item(self, artifact, key, to, by, note)

    # ------------------------------------------------------------------ participation (v2)

    @property
    def participation(self) -> Participation:
        """Reach, contributions and feedback recorded so far (read it; never change it)."""
        return self.state.participation

    def record_reach(
        self,
        event: str,
        *,
        counts: Mapping[str, int],
        held_on: str | date | None = None,
        by: str,
    ) -> Reach:
        """Record how many people of each target group a holding of an event reached.

        A later recording for the same holding replaces the counts (given whole).

        Args:
            event: The event type id (held at least once).
            counts: Target group id (declared in the workflow's ``target_groups``)
                → number of people reached.
            held_on: Which holding: the one on this day (default: the latest).
            by: The event's organiser.

        Raises:
            PermissionDenied: ``by`` is not the event's organiser.
            CommandRejected: the event was not held (on that day).
            InvalidData: an undeclared target group (with a did-you-mean), a bad count.
        """
        return _participation.record_reach(self, event, counts, held_on, by)

    def record_contribution(
        self,
        event: str,
        *,
        contribution: str,
        text: str,
        group: str | None = None,
        held_on: str | date | None = None,
        note: str | None = None,
        by: str,
    ) -> Contribution:
        """Record a contribution (what was proposed) made at a holding of an event.

        Args:
            event: The event type id (held at least once).
            contribution: The contribution's id, new in the process (``ZW-1``).
            text: What was proposed.
            group: The target group it came from (declared in ``target_groups``).
            held_on: Which holding: the one on this day (default: the latest).
            note: A remark.
            by: The event's organiser.

        Raises:
            PermissionDenied: ``by`` is not the event's organiser.
            CommandRejected: the event was not held (on that day).
            InvalidData: a bad or known id, an empty text, an undeclared target group.
        """
        return _participation.record_contribution(
            self, contribution, event, text, group, held_on, note, by
        )

    def weigh_contribution(
        self,
        contribution: str,
        *,
        outcome: str,
        reason: str | None = None,
        links: Mapping[str, Sequence[str]] | None = None,
        by: str,
        date: str | date | None = None,
    ) -> Contribution:
        """Record what became of a contribution (again: the newer weighing counts).

        Args:
            contribution: The contribution's id.
            outcome: ``adopted`` (übernommen), ``partly_adopted`` (teilweise
                übernommen) or ``not_adopted`` (nicht übernommen).
            reason: Why (required unless adopted).
            links: The goals, measures … that took it up: ``{kind: [ids]}``, e.g.
                ``{"goal": ["HZ-1"]}``; each id must be known in the run. Required
                when adopted or partly adopted, if the workflow has such ids.
            by: The organiser of the contribution's event.
            date: The effective date (see :meth:`set_participant`).

        Raises:
            InvalidData: an unknown contribution (with a did-you-mean), outcome,
                kind or linked id; a missing reason or link.
            PermissionDenied: ``by`` is not the organiser of its event.
        """
        return _participation.weigh_contribution(
            self, contribution, outcome, reason, links, by, date
        )

    def record_feedback(
        self,
        event: str,
        *,
        how: str,
        contributions: Sequence[str] | None = None,
        held_on: str | date | None = None,
        note: str | None = None,
        by: str,
        date: str | date | None = None,
    ) -> Feedback:
        """Record that participants of a holding were told what became of their contributions.

        Args:
            event: The event type id.
            how: How they were told (Brief, Aushang, in der Sozialraumkonferenz …).
            contributions: The contribution ids told of (default: every weighed one
                of the holding not told of yet).
            held_on: Which holding: the one on this day (default: the latest).
            note: A remark.
            by: The event's organiser.
            date: When they were told (not in the future, not before the holding;
                default: today).

        Raises:
            PermissionDenied: ``by`` is not the event's organiser.
            CommandRejected: the event was not held, or nothing is left to tell.
            InvalidData: a contribution not of that holding or not weighed, no ``how``,
                a bad date.
        """
        return _participation.record_feedback(
            self, event, how, contributions, held_on, note, by, date
        )
