"""The process state: small mutable entries kept by the fold, records built when read.

The fold (:mod:`._fold`) is the only code that changes a :class:`ProcessState`.
It keeps every artifact version, held event, decision and phase visit as an
*entry*: a small mutable slotted object with exactly the attributes of its public
record (:class:`VersionEntry` has those of :class:`~.records.ArtifactVersion` …),
changed in place when an approval, a confirmation or the next phase visit
changes it. The gates read the entries (``state.artifact_entries``,
``state.held_entries``, ``state.decision_entries`` — the
:class:`~sozialraumprozess.definition.kinds.StateView` protocol).

The public records (frozen attrs classes) are built only when read:
``state.artifacts``, ``state.held``, ``state.decisions``, ``state.visits``,
``state.latest(…)`` … Each entry keeps the record built from it until it
changes, so reading twice returns the same objects. This matters: building a
frozen attrs record costs about four times a mutable slotted entry, and a replay
makes one per event (``benchmarks/sweep_100k.py``: 28 → 17 µs per process).

Records the log carries unchanged are kept as they are, not copied: the
Sozialraum, the pinned definition and each participant are the objects the
events carry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from operator import attrgetter
from typing import Any, ClassVar, Generic, Self, TypeVar, cast

import attrs
from attrs import define, field

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.runtime.indicators import IndicatorRecord
from sozialraumprozess.runtime.participation import NO_PARTICIPATION, Participation
from sozialraumprozess.runtime.records import (
    ArtifactVersion,
    DecisionRecord,
    HeldEvent,
    ItemRecord,
    Participant,
    PhaseVisit,
    PlannedEvent,
    Sozialraum,
    WorkflowRef,
    _ArtifactVersionFields,
    _DecisionRecordFields,
    _HeldEventFields,
    _ItemRecordFields,
    _PhaseVisitFields,
    _PlannedEventFields,
)

#: A calendar day (an alias, because records have fields named ``date``).
Day = date

__all__ = [
    "NO_ITEMS",
    "DecisionEntry",
    "HeldEntry",
    "ItemEntry",
    "PlanEntry",
    "ProcessState",
    "VersionEntry",
    "VisitEntry",
]


# Entries: attrs ``define`` (mutable, slotted, compared by value without ``built``).
# ``built`` is the record made from the entry, ``None`` until read and after a change.

R = TypeVar("R")


class _Entry(Generic[R]):
    """Shared by the entries: the record they stand for, built once per change.

    :func:`_entry_of` sets :attr:`RECORD` and :attr:`_values` (one ``attrgetter``
    over the record's fields, in order) and checks that the entry has exactly them.
    """

    __slots__ = ()
    RECORD: ClassVar[Callable[..., Any]]
    _values: ClassVar[Callable[[Any], tuple[Any, ...]]]
    built: R | None

    def record(self) -> R:
        """The frozen record (built once per change)."""
        built = self.built
        if built is None:
            kind = type(self)
            # The slot is declared by each attrs subclass, not by this base.
            built = self.built = kind.RECORD(*kind._values(self))  # type: ignore[misc]
        return built

    @classmethod
    def of(cls, record: R) -> Self:
        """The entry of a record (which it keeps as its built record)."""
        return cls(*cls._values(record), record)  # type: ignore[call-arg]


E = TypeVar("E", bound=type[_Entry[Any]])


def _entry_of(record: type[Any]) -> Callable[[E], E]:
    """Class decorator: ``cls`` is the fold's entry of ``record`` (same fields, then ``built``)."""
    names = tuple(a.name for a in attrs.fields(record))

    def decorate(cls: E) -> E:
        own = tuple(a.name for a in attrs.fields(cast("type[attrs.AttrsInstance]", cls)))
        if own != (*names, "built"):
            raise TypeError(f"{cls.__name__} must have the fields of {record.__name__}")
        cls.RECORD = record
        cls._values = staticmethod(attrgetter(*names))
        return cls

    return decorate


@_entry_of(ArtifactVersion)
@define(weakref_slot=False)
class VersionEntry(_Entry[ArtifactVersion], _ArtifactVersionFields):
    """The fold's :class:`~.records.ArtifactVersion`: same attributes, changed in place."""

    built: ArtifactVersion | None = field(default=None, eq=False, repr=False)

    @property
    def current_cycle(self) -> int:
        """The latest cycle this version counts for (submitted or confirmed in)."""
        confirmed = self.confirmed_cycles
        return confirmed[-1] if confirmed else self.cycle


@_entry_of(HeldEvent)
@define(weakref_slot=False)
class HeldEntry(_Entry[HeldEvent], _HeldEventFields):
    """The fold's :class:`~.records.HeldEvent`."""

    built: HeldEvent | None = field(default=None, eq=False, repr=False)


@_entry_of(ItemRecord)
@define(weakref_slot=False)
class ItemEntry(_Entry[ItemRecord], _ItemRecordFields):
    """The fold's :class:`~.records.ItemRecord` (state, data and version change in place)."""

    built: ItemRecord | None = field(default=None, eq=False, repr=False)


#: The items of a process without any: one shared empty dict that is never
#: changed (the fold puts a dict of its own in place on the first item, by an
#: identity test), so processes without items — every v1 workflow — carry no
#: empty dict each (``benchmarks/sweep_100k.py``, memory per process).
NO_ITEMS: Mapping[str, dict[str, ItemEntry]] = {}


@_entry_of(DecisionRecord)
@define(weakref_slot=False)
class DecisionEntry(_Entry[DecisionRecord], _DecisionRecordFields):
    """The fold's :class:`~.records.DecisionRecord`."""

    built: DecisionRecord | None = field(default=None, eq=False, repr=False)


@_entry_of(PlannedEvent)
@define(weakref_slot=False)
class PlanEntry(_Entry[PlannedEvent], _PlannedEventFields):
    """The fold's :class:`~.records.PlannedEvent` (rescheduling, holding, cancelling change it)."""

    built: PlannedEvent | None = field(default=None, eq=False, repr=False)


@_entry_of(PhaseVisit)
@define(weakref_slot=False)
class VisitEntry(_Entry[PhaseVisit], _PhaseVisitFields):
    """The fold's :class:`~.records.PhaseVisit` (``left_at`` is set when the phase is left)."""

    built: PhaseVisit | None = field(default=None, eq=False, repr=False)


#: The ``renewed`` of every state without renewals; never changed (the fold replaces it).
NO_RENEWALS: dict[tuple[str, str], int] = {}


class ProcessState:
    """Everything a process knows, derived from its log. Read it; never change it.

    The record attributes (``visits``, ``artifacts``, ``held``, ``decisions``)
    are built from the fold's entries when read and hold the state as of that
    read: read them again after the process changed.

    Attributes:
        workflow: The pinned definition (``None`` before the start event).
        sozialraum: The social space.
        phase: The current phase id.
        cycle: 1 on the first pass, +1 each time the cycle edge is taken.
        visit: Identifier of the current phase visit (seq of the event that entered
            it; 0 before the start).
        visits: Every phase visit in order; the last is the current one.
        cycle_phases: Phases entered during the current cycle.
        participants: Named people and organisations, by name.
        artifacts: Every submitted version, per artifact id, oldest first.
        held: Every event held, in order.
        decisions: Every decision recorded, in order.
        planned: Every planned event (format v2), in order.
        seq: Sequence number of the last applied event (0 when empty).
        artifact_entries: The fold's entries behind ``artifacts`` (what gates read).
        held_entries: The entries behind ``held``.
        decision_entries: The entries behind ``decisions``.
        visit_entries: The entries behind ``visits``.
        participation: Target groups reached, contributions and feedback per held
            event (format v2; see :mod:`~sozialraumprozess.runtime.participation`).
        renewed: Per ``(kind, id)`` (``artifact``/``event``/``decision``), the seq of
            the move back that asked for its renewal (format v2 ``renew``): what was
            submitted, held or decided before it no longer counts.
    """

    __slots__ = (
        "_read",
        "_read_at",
        "artifact_entries",
        "cycle",
        "cycle_phases",
        "decision_entries",
        "held_entries",
        "indicator_entries",
        "item_entries",
        "participants",
        "participation",
        "phase",
        "plan_entries",
        "renewed",
        "seq",
        "sozialraum",
        "today",
        "visit",
        "visit_entries",
        "workflow",
    )

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __init__(
        self,
        workflow: WorkflowRef | None = None,
        sozialraum: Sozialraum | None = None,
        phase: str = "",
        cycle: int = 0,
        visits: list[PhaseVisit] | None = None,
        cycle_phases: set[str] | None = None,
        participants: dict[str, Participant] | None = None,
        artifacts: dict[str, list[ArtifactVersion]] | None = None,
        held: list[HeldEvent] | None = None,
        decisions: list[DecisionRecord] | None = None,
        seq: int = 0,
        planned: list[PlannedEvent] | None = None,
        participation: Participation | None = None,
    ) -> None:
        self.workflow = workflow
        self.sozialraum = sozialraum
        self.phase = phase
        self.cycle = cycle
        self.cycle_phases: set[str] = set() if cycle_phases is None else cycle_phases
        self.participants: dict[str, Participant] = {} if participants is None else participants
        self.seq = seq
        self.visit = 0
        self.visit_entries: list[VisitEntry] = []
        self.artifact_entries: dict[str, list[VersionEntry]] = {}
        self.held_entries: list[HeldEntry] = []
        self.decision_entries: list[DecisionEntry] = []
        # Shared and empty until the fold records a renewal (format v2 ``renew``): a dict
        # per process would cost 64 bytes each (benchmarks/sweep_100k.py, memory).
        self.renewed: dict[tuple[str, str], int] = NO_RENEWALS
        #: Items per item artifact, by key, in creation order (format v2).
        self.item_entries: Mapping[str, dict[str, ItemEntry]] = NO_ITEMS
        #: Planned events (format v2), oldest first; open ones have status ``planned``.
        #: A shared empty tuple until the first plan (most processes never plan: it saves
        #: a list per process, ``benchmarks/sweep_100k.py`` memory part).
        self.plan_entries: list[PlanEntry] | tuple[()] = ()
        #: Indicator values recorded (format v2 ``indicators``), oldest first; a shared
        #: empty tuple until the first recording (most processes record none).
        self.indicator_entries: list[IndicatorRecord] | tuple[()] = ()
        #: Participation (format v2, issue 12 §6): reach, contributions, feedback. The
        #: shared empty one until the first participation event (memory per process).
        self.participation: Participation = (
            NO_PARTICIPATION if participation is None else participation
        )
        #: The day time rules are judged on, set before the gates run (not part of the value).
        self.today: date | None = None
        # The record collections built so far, valid while ``seq`` is ``_read_at``.
        self._read: dict[str, Any] | None = None
        self._read_at = 0
        if visits is not None:
            self.visits = visits
        if artifacts is not None:
            self.artifacts = artifacts
        if held is not None:
            self.held = held
        if decisions is not None:
            self.decisions = decisions
        if planned is not None:
            self.planned = planned

    # ------------------------------------------------------------------ records

    def _records(self) -> dict[str, Any]:
        """The record collections built at the current ``seq`` (emptied when it moved on)."""
        read = self._read
        if read is None or self._read_at != self.seq:
            read = self._read = {}
            self._read_at = self.seq
        return read

    @property
    def visits(self) -> list[PhaseVisit]:
        read = self._records()
        found: list[PhaseVisit] | None = read.get("visits")
        if found is None:
            found = read["visits"] = [v.record() for v in self.visit_entries]
        return found

    @visits.setter
    def visits(self, value: list[PhaseVisit]) -> None:
        self.visit_entries = [VisitEntry.of(v) for v in value]
        self.visit = value[-1].seq if value else 0
        self._records()["visits"] = value

    @property
    def artifacts(self) -> dict[str, list[ArtifactVersion]]:
        read = self._records()
        found: dict[str, list[ArtifactVersion]] | None = read.get("artifacts")
        if found is None:
            found = read["artifacts"] = {
                artifact: [v.record() for v in versions]
                for artifact, versions in self.artifact_entries.items()
            }
        return found

    @artifacts.setter
    def artifacts(self, value: dict[str, list[ArtifactVersion]]) -> None:
        self.artifact_entries = {a: [VersionEntry.of(v) for v in vs] for a, vs in value.items()}
        self._records()["artifacts"] = value

    @property
    def held(self) -> list[HeldEvent]:
        read = self._records()
        found: list[HeldEvent] | None = read.get("held")
        if found is None:
            found = read["held"] = [h.record() for h in self.held_entries]
        return found

    @held.setter
    def held(self, value: list[HeldEvent]) -> None:
        self.held_entries = [HeldEntry.of(h) for h in value]
        self._records()["held"] = value

    @property
    def decisions(self) -> list[DecisionRecord]:
        read = self._records()
        found: list[DecisionRecord] | None = read.get("decisions")
        if found is None:
            found = read["decisions"] = [d.record() for d in self.decision_entries]
        return found

    @decisions.setter
    def decisions(self, value: list[DecisionRecord]) -> None:
        self.decision_entries = [DecisionEntry.of(d) for d in value]
        self._records()["decisions"] = value

    # ------------------------------------------------------------------ queries

    def latest(self, artifact: str) -> ArtifactVersion | None:
        """The newest version of ``artifact``, or ``None``."""
        versions = self.artifact_entries.get(artifact)
        return versions[-1].record() if versions else None

    def versions(self, artifact: str) -> list[ArtifactVersion]:
        """Every version of ``artifact``, oldest first (empty if none)."""
        return [v.record() for v in self.artifact_entries.get(artifact, ())]

    def last_visit(self) -> PhaseVisit:
        """The current phase visit (``visits[-1]``)."""
        return self.visit_entries[-1].record()

    def last_held(self) -> HeldEvent:
        """The event held last (``held[-1]``)."""
        return self.held_entries[-1].record()

    @property
    def planned(self) -> list[PlannedEvent]:
        """Every planned event (open, held or cancelled), oldest first."""
        read = self._records()
        found: list[PlannedEvent] | None = read.get("planned")
        if found is None:
            found = read["planned"] = [p.record() for p in self.plan_entries]
        return found

    @planned.setter
    def planned(self, value: list[PlannedEvent]) -> None:
        self.plan_entries = [PlanEntry.of(p) for p in value]
        self._records()["planned"] = value

    def open_plan(self, event: str) -> PlanEntry | None:
        """The open plan (status ``planned``) of ``event``, or ``None``."""
        for plan in reversed(self.plan_entries):
            if plan.event == event and plan.status == "planned":
                return plan
        return None

    @property
    def entered_on(self) -> date | None:
        """The day the current phase was entered (effective date), ``None`` before the start."""
        visits = self.visit_entries
        return visits[-1].entered_at.date() if visits else None

    @property
    def started_on(self) -> date | None:
        """The day the process started (effective date), ``None`` before the start."""
        visits = self.visit_entries
        return visits[0].entered_at.date() if visits else None

    def last_decision(self) -> DecisionRecord:
        """The decision recorded last (``decisions[-1]``)."""
        return self.decision_entries[-1].record()

    def items(self, artifact: str) -> list[ItemRecord]:
        """The items of ``artifact``, in creation order (empty if none)."""
        return [item.record() for item in self.item_entries.get(artifact, {}).values()]

    def item(self, artifact: str, key: str) -> ItemRecord | None:
        """The item of ``artifact`` with ``key``, or ``None``."""
        entry = self.item_entries.get(artifact, {}).get(key)
        return entry.record() if entry is not None else None

    def version_count(self, artifact: str) -> int:
        """How many versions of ``artifact`` exist."""
        return len(self.artifact_entries.get(artifact, ()))

    def is_current(self, version: ArtifactVersion | VersionEntry, workflow: Workflow) -> bool:
        """True unless ``version`` is from an earlier cycle that has since passed its phase.

        A version counts in the current cycle if it was submitted or confirmed in
        it, or if the current cycle has not (yet) entered a phase producing it.
        """
        renewed = self.renewed
        if renewed and version.seq < renewed.get(("artifact", version.artifact), 0):
            return False  # asked for again by a move back (format v2 ``renew``)
        if version.current_cycle >= self.cycle:
            return True
        return not any(
            version.artifact in workflow.phase(p).all_artifacts for p in self.cycle_phases
        )

    # ------------------------------------------------------------------ values

    def _values(self) -> tuple[Any, ...]:
        return (
            self.workflow,
            self.sozialraum,
            self.phase,
            self.cycle,
            self.visit_entries,
            self.cycle_phases,
            self.participants,
            self.artifact_entries,
            self.held_entries,
            self.decision_entries,
            self.item_entries,
            self.seq,
            self.renewed,
            self.plan_entries or (),
            tuple(self.indicator_entries),
            self.participation,
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, ProcessState)  # noqa: S101 - narrows the type
        return self._values() == other._values()

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in _FIELDS)
        return f"{self.__class__.__qualname__}({inner})"


_FIELDS = (
    "workflow",
    "sozialraum",
    "phase",
    "cycle",
    "visits",
    "cycle_phases",
    "participants",
    "artifacts",
    "held",
    "decisions",
    "item_entries",
    "seq",
    "renewed",
    "planned",
    "indicator_entries",
    "participation",
)
