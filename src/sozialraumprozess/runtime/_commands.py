"""The commands of :class:`.process.Process`, checked in order.

Each function checks names, permission, the rules of the process and the data,
then appends exactly one event through the process (``_commit``); the methods of
:class:`~sozialraumprozess.runtime.process.Process` document them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sozialraumprozess.errors import (
    CommandRejected,
    FieldProblem,
    InvalidData,
    TransitionBlocked,
)
from sozialraumprozess.runtime import _inputs
from sozialraumprozess.runtime._machine import trigger_for
from sozialraumprozess.runtime.permissions import allowed_roles, resolve_actor
from sozialraumprozess.runtime.records import (
    ArtifactVersion,
    DecisionRecord,
    HeldEvent,
    PhaseVisit,
    ProcessEvent,
)
from sozialraumprozess.runtime.validation import validate_fields

if TYPE_CHECKING:
    from sozialraumprozess.runtime.process import Process

__all__ = [
    "approve",
    "confirm",
    "record_decision",
    "record_event",
    "set_participant",
    "start",
    "submit",
    "take_transition",
]


def start(
    process: Process, sozialraum: str, description: str, data: Mapping[str, Any] | None, by: str
) -> None:
    workflow = process.workflow
    allowed = allowed_roles(workflow, workflow.first_phase.id, "start")
    actor = resolve_actor(workflow, {}, by, "start", None, allowed)
    payload = {
        "workflow": {
            "id": workflow.id,
            "version": workflow.version,
            "content_hash": workflow.content_hash,
        },
        "sozialraum": _inputs.sozialraum_payload(sozialraum, description, data),
    }
    process._commit("process_started", actor, payload)


def set_participant(
    process: Process,
    name: str,
    roles: Sequence[str],
    kind: str,
    contact: str | None,
    active: bool,
    by: str,
) -> ProcessEvent:
    actor = process._actor(by, "set_participant")
    payload = _inputs.participant_payload(process.workflow, name, roles, kind, contact, active)
    return process._commit("participant_set", actor, payload)


def record_decision(
    process: Process,
    decision: str,
    date: str,
    votes: tuple[int | None, int | None, int | None, bool | None, int | None],
    text: str | None,
    by: str,
) -> DecisionRecord:
    spec = process.workflow.decision(decision)
    actor = process._actor(by, "record_decision", decision)
    yes, no, abstain, consensus, present = votes
    payload = _inputs.decision_payload(spec, date, yes, no, abstain, consensus, present, text)
    process._commit("decision_recorded", actor, payload)
    return process.state.last_decision()


def in_phase(process: Process, kind: str, item: str, title: str) -> None:
    """Refuse ``item`` (an artifact or event id) unless the current phase lists it."""
    phase = process.workflow.phase(process.state.phase)
    listed = phase.artifacts if kind == "artifact" else phase.events
    if item not in listed:
        noun_de = "Artefakt" if kind == "artifact" else "Veranstaltung"
        noun_en = "artifact" if kind == "artifact" else "event"
        raise CommandRejected(
            "not-in-phase",
            f"{noun_de} '{title}' gehört nicht zur Phase '{phase.title.get('de')}'",
            f"{noun_en} '{title}' does not belong to phase '{phase.title.get('en')}'",
        )


def newest(process: Process, artifact: str, title: str) -> ArtifactVersion:
    """The newest version of ``artifact``; refused if there is none."""
    version = process.state.latest(artifact)
    if version is None:
        raise CommandRejected(
            "no-version",
            f"Von '{title}' gibt es noch keine Version",
            f"'{title}' has no version yet",
        )
    return version


def submit(
    process: Process, artifact: str, data: Mapping[str, Any], by: str, note: str | None
) -> ArtifactVersion:
    spec = process.workflow.artifact(artifact)
    actor = process._actor(by, "submit", artifact)
    in_phase(process, "artifact", artifact, spec.title.get("de"))
    problems = validate_fields(spec.fields, data)
    if note is not None and not isinstance(note, str):
        problems.append(FieldProblem("note", "type", "Text erwartet", "expected text (the note)"))
    if problems:
        raise InvalidData("artifact", artifact, problems)
    payload = {"artifact": artifact, "data": _inputs.copy_json(data), "note": note}
    process._commit("artifact_submitted", actor, payload)
    return newest(process, artifact, spec.title.get("de"))


def approve(process: Process, artifact: str, by: str) -> ArtifactVersion:
    spec = process.workflow.artifact(artifact)
    title = spec.title.get("de")
    if spec.approved_by is None:
        raise CommandRejected(
            "no-approval",
            f"Artefakt '{title}' wird nicht freigegeben (kein approved_by)",
            f"artifact '{spec.title.get('en')}' needs no approval (no approved_by)",
        )
    actor = process._actor(by, "approve", artifact)
    in_phase(process, "artifact", artifact, title)
    version = newest(process, artifact, title)
    if not process.state.is_current(version, process.workflow):
        raise CommandRejected(
            "stale",
            f"Version {version.version} von '{title}' stammt aus Zyklus "
            f"{version.current_cycle}; erst neu einreichen oder bestätigen",
            f"version {version.version} of '{title}' is from cycle "
            f"{version.current_cycle}; resubmit or confirm it first",
        )
    if version.approved:
        raise CommandRejected(
            "already-approved",
            f"Version {version.version} von '{title}' ist bereits freigegeben",
            f"version {version.version} of '{title}' is already approved",
        )
    process._commit("artifact_approved", actor, {"artifact": artifact, "version": version.version})
    return newest(process, artifact, title)


def confirm(process: Process, artifact: str, by: str) -> ArtifactVersion:
    spec = process.workflow.artifact(artifact)
    title = spec.title.get("de")
    actor = process._actor(by, "confirm", artifact)
    in_phase(process, "artifact", artifact, title)
    version = newest(process, artifact, title)
    cycle = process.state.cycle
    if version.current_cycle >= cycle:
        raise CommandRejected(
            "already-current",
            f"Version {version.version} von '{title}' gilt bereits in Zyklus {cycle}",
            f"version {version.version} of '{title}' already counts in cycle {cycle}",
        )
    process._commit("artifact_confirmed", actor, {"artifact": artifact, "version": version.version})
    return newest(process, artifact, title)


def record_event(
    process: Process,
    event: str,
    date: str,
    participants: int | None,
    notes: str | None,
    protocol: int | None,
    by: str,
) -> HeldEvent:
    spec = process.workflow.event(event)
    actor = process._actor(by, "record_event", event)
    in_phase(process, "event", event, spec.title.get("de"))
    state = process.state
    versions = state.version_count(spec.protocol) if spec.protocol is not None else None
    payload = _inputs.event_payload(event, date, participants, notes, protocol, versions)
    process._commit("event_held", actor, payload)
    return state.last_held()


def take_transition(process: Process, transition: str, by: str, reason: str | None) -> PhaseVisit:
    workflow = process.workflow
    spec = workflow.transition(transition)
    actor = process._actor(by, "take_transition", transition)
    source = process.state.phase
    target = process._machine.fire(source, trigger_for(transition))
    if workflow.is_backward(source, target) and (not isinstance(reason, str) or not reason.strip()):
        raise CommandRejected(
            "reason-required",
            f"Der Übergang '{transition}' führt zurück; eine Begründung (reason) ist nötig",
            f"transition '{transition}' goes back; a reason is required",
        )
    blockers = process.blockers(transition)
    if blockers:
        raise TransitionBlocked(source, target, blockers)
    payload = {"transition": spec.id, "from": source, "to": target, "reason": reason}
    process._commit("transition_taken", actor, payload)
    return process.state.last_visit()
