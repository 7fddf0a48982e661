"""The fold: one handler per event type, each turning an event into rows of the state.

A handler reads everything it needs from the event first (a missing key or a
value of the wrong type raises before the state changes), then appends or
replaces one row (see :mod:`._state`), and keeps the record cache of that
collection up to date if it has been built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import ReplayError
from sozialraumprozess.runtime._machine import ADVANCE, phase_machine, trigger_for
from sozialraumprozess.runtime._state import (
    A_VERSION,
    ProcessState,
    Row,
)
from sozialraumprozess.runtime.decisions import compute_result
from sozialraumprozess.runtime.records import (
    ArtifactVersion,
    DecisionRecord,
    HeldEvent,
    Participant,
    PhaseVisit,
    ProcessEvent,
)

__all__ = ["apply", "apply_all", "fold"]

_Handler = Callable[[ProcessState, ProcessEvent, Workflow], None]


def _fail(event: ProcessEvent, de: str, en: str) -> ReplayError:
    return ReplayError(event.seq, de, en)


def _enter(state: ProcessState, event: ProcessEvent, phase: str, via: str, reason: Any) -> None:
    rows = state._visits
    row = (phase, state.cycle, event.time, event.seq, via, reason if reason else None, None)
    cached = state._c_visits
    if rows:
        v = rows[-1]  # attrs.evolve(visit, left_at=…), as a row
        rows[-1] = (v[0], v[1], v[2], v[3], v[4], v[5], event.time)
        if cached is not None:
            cached[-1] = PhaseVisit(*rows[-1])
    rows.append(row)
    if cached is not None:
        cached.append(PhaseVisit(*row))
    state.cycle_phases.add(phase)
    state.phase = phase


def _started(state: ProcessState, event: ProcessEvent, workflow: Workflow) -> None:
    if state.seq != 0:
        raise _fail(event, "Prozess ist bereits gestartet", "process already started")
    ref = event.payload["workflow"]
    room = event.payload["sozialraum"]
    pinned = (ref["id"], ref["version"], ref["content_hash"])
    sozialraum = (room["name"], room.get("description", ""), room.get("data", {}))
    first = workflow.first_phase.id
    state._workflow, state._c_workflow = pinned, None
    state._sozialraum, state._c_sozialraum = sozialraum, None
    state.cycle = 1
    _enter(state, event, first, "start", None)


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
    name = p["name"]
    get = p.get
    row = (
        name,
        _roles(p["roles"]),
        get("kind", "organisation"),
        get("contact"),
        get("active", True),
    )
    state._participants[name] = row
    cached = state._c_participants
    if cached is not None:
        cached[name] = Participant(*row)


def _submitted(state: ProcessState, event: ProcessEvent, workflow: Workflow) -> None:
    p = event.payload
    artifact = p["artifact"]
    table = state._artifacts
    rows = table.get(artifact)  # an unhashable id fails here, as it always did
    data = p["data"]
    note = p.get("note")
    number = len(rows) + 1 if rows is not None else 1
    row = (
        artifact,
        number,
        data,
        state.cycle,
        state.phase,
        event.actor,
        event.time,
        event.seq,
        note,
        None,
        None,
        (),
    )
    if rows is None:
        table[artifact] = [row]
    else:
        rows.append(row)
    cached = state._c_artifacts
    if cached is not None:
        cached.setdefault(artifact, []).append(ArtifactVersion(*row))


def _latest_row(state: ProcessState, event: ProcessEvent) -> tuple[str, list[Row]]:
    artifact = event.payload["artifact"]
    rows = state._artifacts.get(artifact) or []
    number = event.payload["version"]
    if not rows or number != rows[-1][A_VERSION]:
        raise _fail(
            event,
            f"Version {number} von '{artifact}' ist nicht die neueste",
            f"version {number} of '{artifact}' is not the latest",
        )
    return artifact, rows


def _replace_latest(state: ProcessState, artifact: str, rows: list[Row], row: Row) -> None:
    rows[-1] = row
    cached = state._c_artifacts
    if cached is not None:
        cached[artifact][-1] = ArtifactVersion(*row)


def _approved(state: ProcessState, event: ProcessEvent, workflow: Workflow) -> None:
    artifact, rows = _latest_row(state, event)
    v = rows[-1]  # attrs.evolve(version, approved_by=…, approved_at=…), as a row
    row = (*v[:9], event.actor, event.time, v[11])
    _replace_latest(state, artifact, rows, row)


def _confirmed(state: ProcessState, event: ProcessEvent, workflow: Workflow) -> None:
    artifact, rows = _latest_row(state, event)
    v = rows[-1]
    row = (*v[:11], (*v[11], state.cycle))
    _replace_latest(state, artifact, rows, row)


def _held(state: ProcessState, event: ProcessEvent, workflow: Workflow) -> None:
    p = event.payload
    get = p.get
    row = (
        p["event"],
        p["date"],
        get("participants"),
        get("notes"),
        get("protocol"),
        state.phase,
        state.cycle,
        state.visit,
        event.actor,
        event.seq,
    )
    state._held.append(row)
    cached = state._c_held
    if cached is not None:
        cached.append(HeldEvent(*row))


def _decided(state: ProcessState, event: ProcessEvent, workflow: Workflow) -> None:
    p = event.payload
    kind = workflow.decision(p["decision"])
    get = p.get
    yes, no, abstain, consensus, present = (
        get("yes"),
        get("no"),
        get("abstain"),
        get("consensus"),
        get("present"),
    )
    result = compute_result(
        kind, yes=yes, no=no, abstain=abstain, consensus=consensus, present=present
    )
    row = (
        p["decision"],
        p["date"],
        yes,
        no,
        abstain,
        consensus,
        present,
        get("text"),
        result,
        state.phase,
        state.cycle,
        state.visit,
        event.actor,
        event.seq,
    )
    state._decisions.append(row)
    cached = state._c_decisions
    if cached is not None:
        cached.append(DecisionRecord(*row))


def _moved(state: ProcessState, event: ProcessEvent, workflow: Workflow) -> None:
    p = event.payload
    source, target = p["from"], p["to"]
    transition = p.get("transition")
    trigger = ADVANCE if event.type == "phase_advanced" else trigger_for(transition)
    backward = (
        phase_machine(workflow).backward.get((trigger, source, target))
        if (source == state.phase)
        else None
    )
    if backward is None:
        raise _fail(
            event,
            f"Übergang {source} → {target} passt nicht zu Phase '{state.phase}' oder zum Workflow",
            f"move {source} → {target} does not fit phase '{state.phase}' or the workflow",
        )
    reason = p.get("reason")
    if backward and event.type == "phase_advanced":
        state.cycle += 1
        state.cycle_phases = set()
    _enter(state, event, target, transition or "advance", reason)


_APPLY: dict[str, _Handler] = {
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
    apply_all(state, (event,), workflow)


def apply_all(state: ProcessState, events: Iterable[ProcessEvent], workflow: Workflow) -> None:
    """:func:`apply` each of ``events`` in order (the replay loop).

    The two most frequent types, ``participant_set`` and ``artifact_submitted``,
    are handled inline (exactly as :func:`_participant` and :func:`_submitted`).

    Raises:
        ReplayError: As :func:`apply`; the events before the bad one stay applied.
    """
    handlers = _APPLY
    seq = state.seq
    participants, artifacts = state._participants, state._artifacts
    for event in events:
        if event.seq != seq + 1:
            raise _fail(
                event,
                f"Sequenznummer {event.seq} erwartet {seq + 1}",
                f"sequence number {event.seq}, expected {seq + 1}",
            )
        kind = event.type
        try:
            if kind == "participant_set" and seq:
                if state._c_participants is not None:
                    _participant(state, event, workflow)
                else:  # _participant, inlined
                    p = event.payload
                    name = p["name"]
                    get = p.get
                    participants[name] = (
                        name,
                        _roles(p["roles"]),
                        get("kind", "organisation"),
                        get("contact"),
                        get("active", True),
                    )
            elif kind == "artifact_submitted" and seq and state._c_artifacts is None:
                p = event.payload  # _submitted, inlined
                artifact = p["artifact"]
                rows = artifacts.get(artifact)
                row = (
                    artifact,
                    len(rows) + 1 if rows is not None else 1,
                    p["data"],
                    state.cycle,
                    state.phase,
                    event.actor,
                    event.time,
                    event.seq,
                    p.get("note"),
                    None,
                    None,
                    (),
                )
                if rows is None:
                    artifacts[artifact] = [row]
                else:
                    rows.append(row)
            else:
                handler = handlers.get(kind)
                if handler is None:
                    raise _fail(event, f"Unbekannter Typ '{kind}'", f"unknown type '{kind}'")
                if seq == 0 and kind != "process_started":
                    raise _fail(
                        event,
                        "Erstes Ereignis muss der Start sein",
                        "first event must be the start",
                    )
                handler(state, event, workflow)
        except (KeyError, TypeError, ValueError) as exc:
            raise _fail(
                event, f"Ereignisdaten unvollständig oder falsch: {exc}", f"bad event data: {exc}"
            ) from exc
        seq = state.seq = event.seq


def fold(events: Iterable[ProcessEvent], workflow: Workflow) -> ProcessState:
    """The state reached by applying ``events`` in order to an empty state."""
    state = ProcessState()
    apply_all(state, events, workflow)
    return state
