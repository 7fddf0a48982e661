"""Process state as a fold over the event log.

:func:`apply` is the only code that changes a :class:`ProcessState`; it takes one
:class:`ProcessEvent` and the workflow. :func:`fold` applies a whole log to a new
state (through :func:`apply_all`, the same checks in one loop), so a process
rebuilt from its events is equal (``==``) to the live one.
``apply`` checks an event before it changes anything (a stored log that does not
fit the workflow raises :class:`ReplayError` and leaves the state as it was).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from attrs import define, field

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import ReplayError
from sozialraumprozess.runtime._machine import ADVANCE, phase_machine, trigger_for
from sozialraumprozess.runtime.decisions import compute_result
from sozialraumprozess.runtime.records import (
    ArtifactVersion,
    DecisionRecord,
    HeldEvent,
    Participant,
    PhaseVisit,
    ProcessEvent,
    Sozialraum,
    WorkflowRef,
)

__all__ = ["ProcessState", "apply", "apply_all", "fold"]


@define(eq=True)
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

    workflow: WorkflowRef | None = None
    sozialraum: Sozialraum | None = None
    phase: str = ""
    cycle: int = 0
    visits: list[PhaseVisit] = field(factory=list)
    cycle_phases: set[str] = field(factory=set)
    participants: dict[str, Participant] = field(factory=dict)
    artifacts: dict[str, list[ArtifactVersion]] = field(factory=dict)
    held: list[HeldEvent] = field(factory=list)
    decisions: list[DecisionRecord] = field(factory=list)
    seq: int = 0

    @property
    def visit(self) -> int:
        """Identifier of the current phase visit (seq of the event that entered it)."""
        return self.visits[-1].seq if self.visits else 0

    def latest(self, artifact: str) -> ArtifactVersion | None:
        """The newest version of ``artifact``, or ``None``."""
        versions = self.artifacts.get(artifact)
        return versions[-1] if versions else None

    def is_current(self, version: ArtifactVersion, workflow: Workflow) -> bool:
        """True unless ``version`` is from an earlier cycle that has since passed its phase.

        A version counts in the current cycle if it was submitted or confirmed in
        it, or if the current cycle has not (yet) entered a phase producing it.
        """
        if version.current_cycle >= self.cycle:
            return True
        return not any(
            version.artifact in workflow.phase(p).artifacts for p in self.cycle_phases
        )


def _fail(event: ProcessEvent, de: str, en: str) -> ReplayError:
    return ReplayError(event.seq, de, en)


def _enter(state: ProcessState, event: ProcessEvent, phase: str, via: str, reason: Any) -> None:
    visits = state.visits
    if visits:
        v = visits[-1]  # attrs.evolve(v, left_at=…), spelled out: this runs on every move
        visits[-1] = PhaseVisit(v.phase, v.cycle, v.entered_at, v.seq, v.via, v.reason, event.time)
    visits.append(
        PhaseVisit(phase, state.cycle, event.time, event.seq, via, reason if reason else None)
    )
    state.cycle_phases.add(phase)
    state.phase = phase


def _started(state: ProcessState, event: ProcessEvent, workflow: Workflow) -> None:
    if state.seq != 0:
        raise _fail(event, "Prozess ist bereits gestartet", "process already started")
    ref = event.payload["workflow"]
    room = event.payload["sozialraum"]
    pinned = WorkflowRef(ref["id"], ref["version"], ref["content_hash"])
    sozialraum = Sozialraum(room["name"], room.get("description", ""), room.get("data", {}))
    state.workflow = pinned
    state.sozialraum = sozialraum
    state.cycle = 1
    _enter(state, event, workflow.first_phase.id, "start", None)


def _roles(roles: Any) -> tuple[str, ...]:
    """``tuple(roles)``, shared with other participants holding the same roles."""
    held = tuple(roles)
    try:
        shared = _ROLE_TUPLES.get(held)
    except TypeError:  # unhashable values from a bad log: kept exactly as given
        return held
    if shared is not None:  # only all-text tuples are stored, so this is an exact match
        return shared
    if len(_ROLE_TUPLES) < 4096 and all(type(role) is str for role in held):
        _ROLE_TUPLES[held] = held
    return held


_ROLE_TUPLES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _participant(state: ProcessState, event: ProcessEvent, workflow: Workflow) -> None:
    p = event.payload
    state.participants[p["name"]] = Participant(
        p["name"], _roles(p["roles"]), p.get("kind", "organisation"), p.get("contact"),
        p.get("active", True),
    )


def _submitted(state: ProcessState, event: ProcessEvent, workflow: Workflow) -> None:
    p = event.payload
    artifact = p["artifact"]
    versions = state.artifacts.get(artifact)
    if versions is None:
        versions = state.artifacts[artifact] = []
    versions.append(
        ArtifactVersion(
            p["artifact"], len(versions) + 1, p["data"], state.cycle, state.phase,
            event.actor, event.time, event.seq, p.get("note"),
        )
    )


def _version(state: ProcessState, event: ProcessEvent) -> list[ArtifactVersion]:
    versions = state.artifacts.get(event.payload["artifact"]) or []
    number = event.payload["version"]
    if not versions or number != versions[-1].version:
        raise _fail(
            event,
            f"Version {number} von '{event.payload['artifact']}' ist nicht die neueste",
            f"version {number} of '{event.payload['artifact']}' is not the latest",
        )
    return versions


def _approved(state: ProcessState, event: ProcessEvent, workflow: Workflow) -> None:
    versions = _version(state, event)
    v = versions[-1]  # attrs.evolve(v, approved_by=…, approved_at=…), spelled out
    versions[-1] = ArtifactVersion(
        v.artifact, v.version, v.data, v.cycle, v.phase, v.submitted_by, v.submitted_at, v.seq,
        v.note, event.actor, event.time, v.confirmed_cycles,
    )


def _confirmed(state: ProcessState, event: ProcessEvent, workflow: Workflow) -> None:
    versions = _version(state, event)
    v = versions[-1]
    versions[-1] = ArtifactVersion(
        v.artifact, v.version, v.data, v.cycle, v.phase, v.submitted_by, v.submitted_at, v.seq,
        v.note, v.approved_by, v.approved_at, (*v.confirmed_cycles, state.cycle),
    )


def _held(state: ProcessState, event: ProcessEvent, workflow: Workflow) -> None:
    p = event.payload
    state.held.append(
        HeldEvent(
            p["event"], p["date"], p.get("participants"), p.get("notes"), p.get("protocol"),
            state.phase, state.cycle, state.visit, event.actor, event.seq,
        )
    )


def _decided(state: ProcessState, event: ProcessEvent, workflow: Workflow) -> None:
    p = event.payload
    kind = workflow.decision(p["decision"])
    get = p.get
    yes, no, abstain, consensus, present = (
        get("yes"), get("no"), get("abstain"), get("consensus"), get("present")
    )
    result = compute_result(
        kind, yes=yes, no=no, abstain=abstain, consensus=consensus, present=present
    )
    state.decisions.append(
        DecisionRecord(
            p["decision"], p["date"], yes, no, abstain, consensus, present, p.get("text"), result,
            state.phase, state.cycle, state.visit, event.actor, event.seq,
        )
    )


def _moved(state: ProcessState, event: ProcessEvent, workflow: Workflow) -> None:
    p = event.payload
    source, target = p["from"], p["to"]
    transition = p.get("transition")
    trigger = ADVANCE if event.type == "phase_advanced" else trigger_for(transition)
    if source != state.phase or not phase_machine(workflow).allows(trigger, source, target):
        raise _fail(
            event,
            f"Übergang {source} → {target} passt nicht zu Phase '{state.phase}' oder zum Workflow",
            f"move {source} → {target} does not fit phase '{state.phase}' or the workflow",
        )
    if event.type == "phase_advanced" and workflow.is_backward(source, target):
        state.cycle += 1
        state.cycle_phases = set()
    _enter(state, event, target, transition or "advance", p.get("reason"))


_APPLY = {
    "process_started": _started,
    "participant_set": _participant,
    "artifact_submitted": _submitted,
    "artifact_approved": _approved,
    "artifact_confirmed": _confirmed,
    "event_held": _held,
    "decision_recorded": _decided,
    "phase_advanced": _moved,
    "transition_taken": _moved,
}


def apply(state: ProcessState, event: ProcessEvent, workflow: Workflow) -> None:
    """Apply one event to ``state`` in place.

    Raises:
        ReplayError: The event does not follow the log (sequence gap, unknown type,
            missing data, a move the workflow does not allow).
    """
    if event.seq != state.seq + 1:
        raise _fail(
            event,
            f"Sequenznummer {event.seq} erwartet {state.seq + 1}",
            f"sequence number {event.seq}, expected {state.seq + 1}",
        )
    handler = _APPLY.get(event.type)
    if handler is None:
        raise _fail(event, f"Unbekannter Typ '{event.type}'", f"unknown type '{event.type}'")
    if state.seq == 0 and event.type != "process_started":
        raise _fail(event, "Erstes Ereignis muss der Start sein", "first event must be the start")
    try:
        handler(state, event, workflow)
    except (KeyError, TypeError, ValueError) as exc:
        raise _fail(
            event, f"Ereignisdaten unvollständig oder falsch: {exc}", f"bad event data: {exc}"
        ) from exc
    state.seq = event.seq


def apply_all(state: ProcessState, events: Iterable[ProcessEvent], workflow: Workflow) -> None:
    """:func:`apply` each of ``events`` in order (the replay loop, with ``apply`` inlined).

    Raises:
        ReplayError: As :func:`apply`; the events before the bad one stay applied.
    """
    handlers = _APPLY
    for event in events:
        seq = state.seq
        if event.seq != seq + 1:
            raise _fail(
                event,
                f"Sequenznummer {event.seq} erwartet {seq + 1}",
                f"sequence number {event.seq}, expected {seq + 1}",
            )
        kind = event.type
        handler = handlers.get(kind)
        if handler is None:
            raise _fail(event, f"Unbekannter Typ '{kind}'", f"unknown type '{kind}'")
        if seq == 0 and kind != "process_started":
            raise _fail(
                event, "Erstes Ereignis muss der Start sein", "first event must be the start"
            )
        try:
            handler(state, event, workflow)
        except (KeyError, TypeError, ValueError) as exc:
            raise _fail(
                event, f"Ereignisdaten unvollständig oder falsch: {exc}", f"bad event data: {exc}"
            ) from exc
        state.seq = event.seq


def fold(events: Iterable[ProcessEvent], workflow: Workflow) -> ProcessState:
    """The state reached by applying ``events`` in order to an empty state."""
    state = ProcessState()
    apply_all(state, events, workflow)
    return state

