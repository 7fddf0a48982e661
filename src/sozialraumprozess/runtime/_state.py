"""The process state: the records the fold keeps, read by gates, commands and callers.

The fold (:mod:`._fold`) is the only code that changes a :class:`ProcessState`.
It keeps the record objects themselves (:class:`~.records.ArtifactVersion`,
:class:`~.records.HeldEvent` … — frozen attrs classes), so what a caller reads is
what the gates read. Records are shared where they come from the log unchanged:
the Sozialraum, the pinned definition and each participant are the objects the
events carry.
"""

from __future__ import annotations

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

__all__ = ["ProcessState"]


class ProcessState:
    """Everything a process knows, derived from its log. Read it; never change it.

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
        seq: Sequence number of the last applied event (0 when empty).
    """

    __slots__ = (
        "artifacts",
        "cycle",
        "cycle_phases",
        "decisions",
        "held",
        "participants",
        "phase",
        "seq",
        "sozialraum",
        "visit",
        "visits",
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
    ) -> None:
        self.workflow = workflow
        self.sozialraum = sozialraum
        self.phase = phase
        self.cycle = cycle
        self.visits: list[PhaseVisit] = [] if visits is None else visits
        self.visit = self.visits[-1].seq if self.visits else 0
        self.cycle_phases: set[str] = set() if cycle_phases is None else cycle_phases
        self.participants: dict[str, Participant] = {} if participants is None else participants
        self.artifacts: dict[str, list[ArtifactVersion]] = {} if artifacts is None else artifacts
        self.held: list[HeldEvent] = [] if held is None else held
        self.decisions: list[DecisionRecord] = [] if decisions is None else decisions
        self.seq = seq

    # ------------------------------------------------------------------ queries

    def latest(self, artifact: str) -> ArtifactVersion | None:
        """The newest version of ``artifact``, or ``None``."""
        versions = self.artifacts.get(artifact)
        return versions[-1] if versions else None

    def last_visit(self) -> PhaseVisit:
        """The current phase visit (``visits[-1]``)."""
        return self.visits[-1]

    def last_held(self) -> HeldEvent:
        """The event held last (``held[-1]``)."""
        return self.held[-1]

    def last_decision(self) -> DecisionRecord:
        """The decision recorded last (``decisions[-1]``)."""
        return self.decisions[-1]

    def version_count(self, artifact: str) -> int:
        """How many versions of ``artifact`` exist."""
        return len(self.artifacts.get(artifact, ()))

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
        return tuple(getattr(self, name) for name in _FIELDS)

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
    "seq",
)
