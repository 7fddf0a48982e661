"""The process state: compact rows kept by the fold, records built when read.

The fold (:mod:`._fold`) keeps every visit, participant, artifact version, held
event and decision as a plain tuple ("row") holding exactly the fields of its
record, in field order. The records themselves (frozen attrs classes) are only
built when a collection is first read through its attribute (``state.artifacts``
…); from then on the fold keeps that collection up to date as well, so repeated
reads return the same objects. The compiled gates (:mod:`._plan`) read the rows
and never build records. Replaying a log therefore costs one tuple per event
instead of one attrs ``__init__`` per event.

Two states are equal when their rows are equal, which is exactly when their
records are (attrs compares records field by field, as tuples compare items).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.runtime.records import (
    ArtifactVersion,
    DecisionRecord,
    HeldEvent,
    Participant,
    PhaseVisit,
    Sozialraum,
    WorkflowRef,
)

__all__ = ["ProcessState", "Row", "row_current_cycle"]

#: The fields of one record, in attrs field order (``Record(*row)`` builds it).
Row = tuple[Any, ...]

# Positions in artifact-version rows (the fields of ArtifactVersion).
A_ARTIFACT, A_VERSION, A_DATA, A_CYCLE = 0, 1, 2, 3
A_APPROVED_BY, A_CONFIRMED = 9, 11
# Positions in held-event and decision rows.
H_EVENT, H_VISIT = 0, 7
D_DECISION, D_RESULT, D_VISIT = 0, 8, 11
# Position of ``seq`` in a visit row.
V_SEQ = 3


def row_current_cycle(row: Row) -> int:
    """:attr:`ArtifactVersion.current_cycle` of an artifact-version row."""
    confirmed = row[A_CONFIRMED]
    return confirmed[-1] if confirmed else row[A_CYCLE]  # type: ignore[no-any-return]


def _attrs_row(record: Any) -> Row:
    return tuple(getattr(record, a.name) for a in type(record).__attrs_attrs__)


class ProcessState:
    """Everything a process knows, derived from its log. Read it; never change it.

    Attributes:
        workflow: The pinned definition (``None`` before the start event).
        sozialraum: The social space.
        phase: The current phase id.
        cycle: 1 on the first pass, +1 each time the cycle edge is taken.
        visits: Every phase visit in order; the last is the current one.
        cycle_phases: Phases entered during the current cycle.
        participants: Named people and organisations, by name.
        artifacts: Every submitted version, per artifact id, oldest first.
        held: Every event held, in order.
        decisions: Every decision recorded, in order.
        seq: Sequence number of the last applied event (0 when empty).
    """

    __slots__ = (
        "_artifacts",
        "_c_artifacts",
        "_c_decisions",
        "_c_held",
        "_c_participants",
        "_c_sozialraum",
        "_c_visits",
        "_c_workflow",
        "_decisions",
        "_held",
        "_participants",
        "_sozialraum",
        "_visits",
        "_workflow",
        "cycle",
        "cycle_phases",
        "phase",
        "seq",
    )

    __hash__ = None  # type: ignore[assignment]  # mutable, like the attrs class it was

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
    ) -> None:
        self.phase = phase
        self.cycle = cycle
        self.cycle_phases: set[str] = set() if cycle_phases is None else cycle_phases
        self.seq = seq
        # Rows (always complete) and the record caches (None until first read).
        self._workflow: Row | None = None
        self._sozialraum: Row | None = None
        self._visits: list[Row] = []
        self._participants: dict[str, Row] = {}
        self._artifacts: dict[str, list[Row]] = {}
        self._held: list[Row] = []
        self._decisions: list[Row] = []
        self._c_workflow: WorkflowRef | None = None
        self._c_sozialraum: Sozialraum | None = None
        self._c_visits: list[PhaseVisit] | None = None
        self._c_participants: dict[str, Participant] | None = None
        self._c_artifacts: dict[str, list[ArtifactVersion]] | None = None
        self._c_held: list[HeldEvent] | None = None
        self._c_decisions: list[DecisionRecord] | None = None
        if workflow is not None:
            self.workflow = workflow
        if sozialraum is not None:
            self.sozialraum = sozialraum
        if visits is not None:
            self.visits = visits
        if participants is not None:
            self.participants = participants
        if artifacts is not None:
            self.artifacts = artifacts
        if held is not None:
            self.held = held
        if decisions is not None:
            self.decisions = decisions

    # ------------------------------------------------------------------ records

    @property
    def workflow(self) -> WorkflowRef | None:
        if self._c_workflow is None and self._workflow is not None:
            self._c_workflow = WorkflowRef(*self._workflow)
        return self._c_workflow

    @workflow.setter
    def workflow(self, value: WorkflowRef | None) -> None:
        self._workflow = None if value is None else _attrs_row(value)
        self._c_workflow = value

    @property
    def sozialraum(self) -> Sozialraum | None:
        if self._c_sozialraum is None and self._sozialraum is not None:
            self._c_sozialraum = Sozialraum(*self._sozialraum)
        return self._c_sozialraum

    @sozialraum.setter
    def sozialraum(self, value: Sozialraum | None) -> None:
        self._sozialraum = None if value is None else _attrs_row(value)
        self._c_sozialraum = value

    @property
    def visits(self) -> list[PhaseVisit]:
        if self._c_visits is None:
            self._c_visits = [PhaseVisit(*row) for row in self._visits]
        return self._c_visits

    @visits.setter
    def visits(self, value: list[PhaseVisit]) -> None:
        self._visits = [_attrs_row(v) for v in value]
        self._c_visits = value

    @property
    def participants(self) -> dict[str, Participant]:
        if self._c_participants is None:
            self._c_participants = {k: Participant(*r) for k, r in self._participants.items()}
        return self._c_participants

    @participants.setter
    def participants(self, value: dict[str, Participant]) -> None:
        self._participants = {k: _attrs_row(p) for k, p in value.items()}
        self._c_participants = value

    @property
    def artifacts(self) -> dict[str, list[ArtifactVersion]]:
        if self._c_artifacts is None:
            self._c_artifacts = {
                k: [ArtifactVersion(*r) for r in rows] for k, rows in self._artifacts.items()
            }
        return self._c_artifacts

    @artifacts.setter
    def artifacts(self, value: dict[str, list[ArtifactVersion]]) -> None:
        self._artifacts = {k: [_attrs_row(v) for v in vs] for k, vs in value.items()}
        self._c_artifacts = value

    @property
    def held(self) -> list[HeldEvent]:
        if self._c_held is None:
            self._c_held = [HeldEvent(*row) for row in self._held]
        return self._c_held

    @held.setter
    def held(self, value: list[HeldEvent]) -> None:
        self._held = [_attrs_row(h) for h in value]
        self._c_held = value

    @property
    def decisions(self) -> list[DecisionRecord]:
        if self._c_decisions is None:
            self._c_decisions = [DecisionRecord(*row) for row in self._decisions]
        return self._c_decisions

    @decisions.setter
    def decisions(self, value: list[DecisionRecord]) -> None:
        self._decisions = [_attrs_row(d) for d in value]
        self._c_decisions = value

    # ------------------------------------------------------------------ queries

    @property
    def visit(self) -> int:
        """Identifier of the current phase visit (seq of the event that entered it)."""
        visits = self._visits
        return visits[-1][V_SEQ] if visits else 0

    def latest(self, artifact: str) -> ArtifactVersion | None:
        """The newest version of ``artifact``, or ``None``."""
        cached = self._c_artifacts
        if cached is not None:
            versions = cached.get(artifact)
            return versions[-1] if versions else None
        rows = self._artifacts.get(artifact)
        return ArtifactVersion(*rows[-1]) if rows else None

    def last_visit(self) -> PhaseVisit:
        """``visits[-1]``, built alone if the visits were not read yet."""
        cached = self._c_visits
        return cached[-1] if cached is not None else PhaseVisit(*self._visits[-1])

    def last_held(self) -> HeldEvent:
        """``held[-1]``, built alone if the held events were not read yet."""
        cached = self._c_held
        return cached[-1] if cached is not None else HeldEvent(*self._held[-1])

    def last_decision(self) -> DecisionRecord:
        """``decisions[-1]``, built alone if the decisions were not read yet."""
        cached = self._c_decisions
        return cached[-1] if cached is not None else DecisionRecord(*self._decisions[-1])

    def version_count(self, artifact: str) -> int:
        """``len(artifacts.get(artifact, ()))`` without building records."""
        return len(self._artifacts.get(artifact, ()))

    def is_current(self, version: ArtifactVersion, workflow: Workflow) -> bool:
        """True unless ``version`` is from an earlier cycle that has since passed its phase.

        A version counts in the current cycle if it was submitted or confirmed in
        it, or if the current cycle has not (yet) entered a phase producing it.
        """
        if version.current_cycle >= self.cycle:
            return True
        return not any(version.artifact in workflow.phase(p).artifacts for p in self.cycle_phases)

    # ------------------------------------------------------------------ values

    def _values(self) -> tuple[Any, ...]:
        return (
            self._workflow,
            self._sozialraum,
            self.phase,
            self.cycle,
            self._visits,
            self.cycle_phases,
            self._participants,
            self._artifacts,
            self._held,
            self._decisions,
            self.seq,
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
        fields = _fields(self)
        inner = ", ".join(f"{name}={value!r}" for name, value in fields)
        return f"{self.__class__.__qualname__}({inner})"


def _fields(state: ProcessState) -> Iterable[tuple[str, Any]]:
    return (
        ("workflow", state.workflow),
        ("sozialraum", state.sozialraum),
        ("phase", state.phase),
        ("cycle", state.cycle),
        ("visits", state.visits),
        ("cycle_phases", state.cycle_phases),
        ("participants", state.participants),
        ("artifacts", state.artifacts),
        ("held", state.held),
        ("decisions", state.decisions),
        ("seq", state.seq),
    )


def records_of(state: ProcessState) -> Mapping[str, Any]:
    """Every attribute of ``state`` built the slow way, from its rows (for tests)."""
    return {
        "workflow": None if state._workflow is None else WorkflowRef(*state._workflow),
        "sozialraum": None if state._sozialraum is None else Sozialraum(*state._sozialraum),
        "visits": [PhaseVisit(*r) for r in state._visits],
        "participants": {k: Participant(*r) for k, r in state._participants.items()},
        "artifacts": {k: [ArtifactVersion(*r) for r in v] for k, v in state._artifacts.items()},
        "held": [HeldEvent(*r) for r in state._held],
        "decisions": [DecisionRecord(*r) for r in state._decisions],
    }
