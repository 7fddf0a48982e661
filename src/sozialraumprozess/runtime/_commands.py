"""The commands of :class:`.process.Process`, checked in order.

Each function checks names, permission, the rules of the process and the data,
then appends exactly one typed event (:mod:`.events`) through the process
(``_commit``); the methods of :class:`~sozialraumprozess.runtime.process.Process`
document them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sozialraumprozess.errors import (
    CommandRejected,
    FieldProblem,
    InvalidData,
    TransitionBlocked,
)
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime import _inputs
from sozialraumprozess.runtime._machine import ADVANCE, trigger_for
from sozialraumprozess.runtime.events import (
    ArtifactApproved,
    ArtifactConfirmed,
    ArtifactSubmitted,
    ParticipantSet,
    PhaseAdvanced,
    ProcessStarted,
    TransitionTaken,
)
from sozialraumprozess.runtime.permissions import allowed_roles, appointers, resolve_actor
from sozialraumprozess.runtime.pseudonyms import is_person_id
from sozialraumprozess.runtime.records import (
    Actor,
    ArtifactVersion,
    DecisionRecord,
    HeldEvent,
    PhaseVisit,
    ProcessEvent,
    WorkflowRef,
)
from sozialraumprozess.runtime.validation import validate_fields

if TYPE_CHECKING:
    from sozialraumprozess.runtime.process import Process

__all__ = [
    "advance",
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
    room = _inputs.sozialraum_of(sozialraum, description, data)
    pinned = WorkflowRef(workflow.id, workflow.version, workflow.content_hash)
    process._commit(ProcessStarted(pinned, room), actor)


def set_participant(
    process: Process,
    name: str,
    roles: Sequence[str],
    kind: str,
    contact: str | None,
    active: bool,
    by: str,
) -> ProcessEvent:
    actor = _appointer(process, name, roles, by)
    if is_person_id(name) and name not in process.state.participants:
        problem = FieldProblem.of("name", "person-id", msg("people.name-is-person-id"))
        raise InvalidData("participant", name, [problem])
    participant = _inputs.participant_of(process.workflow, name, roles, kind, contact, active)
    return process._commit(ParticipantSet(participant), actor)


def _appointer(process: Process, name: Any, roles: Any, by: str) -> Actor:
    """Who appoints: ``by`` must be allowed to appoint every role granted or held so far.

    The roles the participant holds now count too: changing or deactivating a
    member of a council is as much the council's business as adding one. Unknown
    role ids are left to the data check that follows.
    """
    workflow, state = process.workflow, process.state
    known = process._plan.role_ids
    given = roles if isinstance(roles, Sequence) and not isinstance(roles, str) else ()
    held = state.participants.get(name) if isinstance(name, str) else None
    affected = [r for r in (*given, *(held.roles if held else ())) if r in known]
    if not affected:
        return process._actor(by, "set_participant")
    actor: Actor | None = None
    for role in dict.fromkeys(affected):
        allowed = appointers(workflow, state.phase, role)
        found = resolve_actor(
            workflow, state.participants, by, "set_participant", role, allowed, known
        )
        actor = actor or found
    assert actor is not None  # noqa: S101 - affected is not empty
    return actor


def record_decision(
    process: Process,
    decision: str,
    day: str | date,
    votes: tuple[int | None, int | None, int | None, bool | None, int | None],
    text: str | None,
    by: str,
) -> DecisionRecord:
    spec = process.workflow.decision(decision)
    actor = process._actor(by, "record_decision", decision)
    yes, no, abstain, consensus, present = votes
    event = _inputs.decision_of(spec, day, yes, no, abstain, consensus, present, text)
    process._commit(event, actor)
    return process.state.last_decision()


def in_phase(process: Process, kind: str, item: str, title: str) -> None:
    """Refuse ``item`` (an artifact or event id) unless the current phase lists it."""
    phase = process.workflow.phase(process.state.phase)
    listed = phase.artifacts if kind == "artifact" else phase.events
    if item not in listed:
        message = (
            msg("runtime.artifact-not-in-phase", title=title, phase=phase.title)
            if kind == "artifact"
            else msg("runtime.event-not-in-phase", title=title, phase=phase.title)
        )
        raise CommandRejected("not-in-phase", message)


def newest(process: Process, artifact: str, title: str) -> ArtifactVersion:
    """The newest version of ``artifact``; refused if there is none."""
    version = process.state.latest(artifact)
    if version is None:
        raise CommandRejected("no-version", msg("runtime.no-version", title=title))
    return version


def submit(
    process: Process, artifact: str, data: Mapping[str, Any], by: str, note: str | None
) -> ArtifactVersion:
    spec = process.workflow.artifact(artifact)
    actor = process._actor(by, "submit", artifact)
    in_phase(process, "artifact", artifact, spec.title.get("de"))
    problems = validate_fields(spec.fields, data)
    if note is not None and not isinstance(note, str):
        problems.append(FieldProblem.of("note", "type", msg("runtime.note-type")))
    if problems:
        raise InvalidData("artifact", artifact, problems)
    process._commit(ArtifactSubmitted(artifact, _inputs.copy_json(data), note), actor)
    return process.state.artifact_entries[artifact][-1].record()


def approve(process: Process, artifact: str, by: str) -> ArtifactVersion:
    spec = process.workflow.artifact(artifact)
    title = spec.title.get("de")
    if spec.approved_by is None:
        raise CommandRejected("no-approval", msg("runtime.no-approval", title=spec.title))
    actor = process._actor(by, "approve", artifact)
    in_phase(process, "artifact", artifact, title)
    version = newest(process, artifact, title)
    if not process.state.is_current(version, process.workflow):
        raise CommandRejected(
            "stale",
            msg(
                "runtime.stale",
                version=version.version,
                title=title,
                cycle=version.current_cycle,
            ),
        )
    if version.approved:
        raise CommandRejected(
            "already-approved",
            msg("runtime.already-approved", version=version.version, title=title),
        )
    process._commit(ArtifactApproved(artifact, version.version), actor)
    return process.state.artifact_entries[artifact][-1].record()


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
            msg("runtime.already-current", version=version.version, title=title, cycle=cycle),
        )
    process._commit(ArtifactConfirmed(artifact, version.version), actor)
    return process.state.artifact_entries[artifact][-1].record()


def record_event(
    process: Process,
    event: str,
    day: str | date,
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
    held = _inputs.held_of(event, day, participants, notes, protocol, versions)
    process._commit(held, actor)
    return state.last_held()


def take_transition(process: Process, transition: str, by: str, reason: str | None) -> PhaseVisit:
    workflow = process.workflow
    spec = workflow.transition(transition)
    actor = process._actor(by, "take_transition", transition)
    source = process.state.phase
    target = process._machine.fire(source, trigger_for(transition))
    if workflow.is_backward(source, target) and (not isinstance(reason, str) or not reason.strip()):
        raise CommandRejected(
            "reason-required", msg("runtime.reason-required", transition=transition)
        )
    blockers = process.blockers(transition)
    if blockers:
        raise TransitionBlocked(source, target, blockers)
    process._commit(TransitionTaken(spec.id, source, target, reason), actor)
    return process.state.last_visit()


def advance(process: Process, by: str) -> PhaseVisit:
    actor = process._actor(by, "advance")
    source = process.state.phase
    target = process._machine.fire(source, ADVANCE)
    blockers = process.blockers()
    if blockers:
        raise TransitionBlocked(source, target, blockers)
    process._commit(PhaseAdvanced(source, target), actor)
    return process.state.last_visit()
