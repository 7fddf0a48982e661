"""The commands of :class:`.process.Process`, checked in order.

Each function checks names, permission, the rules of the process and the data,
then appends exactly one typed event (:mod:`.events`) through the process
(``_commit``); the methods of :class:`~sozialraumprozess.runtime.process.Process`
document them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sozialraumprozess.errors import (
    CommandRejected,
    FieldProblem,
    InvalidData,
    MigrationBlocked,
    TransitionBlocked,
)
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime import _inputs
from sozialraumprozess.runtime._machine import ADVANCE, trigger_for
from sozialraumprozess.runtime.deadlines import add_duration
from sozialraumprozess.runtime.events import (
    ArtifactApproved,
    ArtifactConfirmed,
    ArtifactSubmitted,
    Event,
    EventCancelled,
    ParticipantSet,
    PhaseAdvanced,
    PhaseSkipped,
    ProcessStarted,
    TransitionTaken,
    WorkflowMigrated,
)
from sozialraumprozess.runtime.migration import MigrationReport, check_migration
from sozialraumprozess.runtime.permissions import allowed_roles, appointers, resolve_actor
from sozialraumprozess.runtime.pseudonyms import is_person_id
from sozialraumprozess.runtime.records import (
    Actor,
    ArtifactVersion,
    DecisionRecord,
    HeldEvent,
    PhaseVisit,
    PlannedEvent,
    ProcessEvent,
    WorkflowRef,
)
from sozialraumprozess.runtime.references import check_references
from sozialraumprozess.runtime.validation import validate_fields

if TYPE_CHECKING:
    from sozialraumprozess.definition.model import ArtifactType, Workflow
    from sozialraumprozess.runtime.process import Process

__all__ = [
    "advance",
    "approve",
    "cancel_event",
    "confirm",
    "migrate",
    "plan_event",
    "record_decision",
    "record_event",
    "reschedule_event",
    "set_participant",
    "skip",
    "start",
    "submit",
    "take_transition",
]


def start(
    process: Process,
    sozialraum: str,
    description: str,
    data: Mapping[str, Any] | None,
    by: str,
    on: Any = None,
) -> None:
    workflow = process.workflow
    allowed = allowed_roles(workflow, workflow.first_phase.id, "start")
    actor = resolve_actor(workflow, {}, by, "start", None, allowed)
    room = _inputs.sozialraum_of(sozialraum, description, data)
    day = process._effective("process", sozialraum, on)
    pinned = WorkflowRef(workflow.id, workflow.version, workflow.content_hash)
    process._commit(ProcessStarted(pinned, room), actor, day)


def set_participant(
    process: Process,
    name: str,
    roles: Sequence[str],
    kind: str,
    contact: str | None,
    active: bool,
    by: str,
    on: Any = None,
) -> ProcessEvent:
    actor = _appointer(process, name, roles, by)
    if is_person_id(name) and name not in process.state.participants:
        problem = FieldProblem.of("name", "person-id", msg("people.name-is-person-id"))
        raise InvalidData("participant", name, [problem])
    participant = _inputs.participant_of(process.workflow, name, roles, kind, contact, active)
    day = process._effective("participant", name, on)
    return process._commit(ParticipantSet(participant), actor, day)


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
    amount: Any = None,
) -> DecisionRecord:
    workflow = process.workflow
    spec = workflow.decision(decision)
    actor = process._actor(by, "record_decision", decision)
    state = process.state
    phases = workflow.decision_phases(decision)
    if phases and state.phase not in phases:
        phase = workflow.phase(state.phase)
        raise CommandRejected(
            "not-in-phase",
            msg("time.decision-not-in-phase", title=spec.title, phase=phase.title),
        )
    for earlier in spec.after:
        taken = [
            d for d in state.decision_entries if d.decision == earlier and d.cycle == state.cycle
        ]
        if not taken or not taken[-1].result.passed:
            raise CommandRejected(
                "after",
                msg(
                    "time.decision-after",
                    title=spec.title,
                    earlier=workflow.decision(earlier).title,
                ),
            )
    adopted = None
    if spec.adopts is not None:
        version = state.latest(spec.adopts)
        if version is None or not state.is_current(version, workflow):
            raise CommandRejected(
                "nothing-to-adopt",
                msg(
                    "time.nothing-to-adopt",
                    title=spec.title,
                    artifact=workflow.artifact(spec.adopts).title,
                ),
            )
        adopted = version.version
    yes, no, abstain, consensus, present = votes
    event = _inputs.decision_of(
        spec,
        day,
        yes,
        no,
        abstain,
        consensus,
        present,
        text,
        process._future_limit(),
        amount,
        adopted,
    )
    process._commit(event, actor)
    return state.last_decision()


def in_phase(process: Process, kind: str, item: str, title: str) -> None:
    """Refuse ``item`` (an artifact or event id) unless the current phase lists it."""
    phase = process.workflow.phase(process.state.phase)
    listed = phase.all_artifacts if kind == "artifact" else phase.all_events
    if item not in listed:
        message = (
            msg("runtime.artifact-not-in-phase", title=title, phase=phase.title)
            if kind == "artifact"
            else msg("runtime.event-not-in-phase", title=title, phase=phase.title)
        )
        raise CommandRejected("not-in-phase", message)


def on_artifact(
    process: Process,
    artifact: str,
    by: str,
    command: str,
    check: Callable[[ArtifactType], object] | None = None,
) -> tuple[ArtifactType, Actor]:
    """The shared pre-checks of a command on an artifact, in order: the artifact exists,
    ``check(spec)`` passes, ``by`` may run ``command`` on it, the current phase lists it.

    Returns:
        The artifact's definition and the acting :class:`Actor`.
    """
    spec = process.workflow.artifact(artifact)
    if check is not None:
        check(spec)
    actor = process._actor(by, command, artifact)
    in_phase(process, "artifact", artifact, spec.title.get("de"))
    return spec, actor


def newest(process: Process, artifact: str, title: str) -> ArtifactVersion:
    """The newest version of ``artifact``; refused if there is none."""
    version = process.state.latest(artifact)
    if version is None:
        raise CommandRejected("no-version", msg("runtime.no-version", title=title))
    return version


def _commit_version(
    process: Process, artifact: str, event: Event, actor: Actor, on: Any
) -> ArtifactVersion:
    """Append ``event`` about ``artifact`` (effective ``on``); the version it made or changed."""
    day = process._effective("artifact", artifact, on)
    process._commit(event, actor, day)
    return process.state.artifact_entries[artifact][-1].record()


def _whole(spec: ArtifactType) -> None:
    if spec.items is not None:
        raise CommandRejected("items-artifact", msg("items.submit-per-item", title=spec.title))


def submit(
    process: Process,
    artifact: str,
    data: Mapping[str, Any],
    by: str,
    note: str | None,
    on: Any = None,
) -> ArtifactVersion:
    spec, actor = on_artifact(process, artifact, by, "submit", _whole)
    problems = validate_fields(spec.fields, data)
    problems += check_references(process.state, process.workflow, artifact, data)
    if note is not None and not isinstance(note, str):
        problems.append(FieldProblem.of("note", "type", msg("runtime.note-type")))
    if problems:
        raise InvalidData("artifact", artifact, problems)
    event = ArtifactSubmitted(artifact, _inputs.copy_json(data), note)
    return _commit_version(process, artifact, event, actor, on)


def _approvable(spec: ArtifactType) -> None:
    if spec.approved_by is None:
        raise CommandRejected("no-approval", msg("runtime.no-approval", title=spec.title))


def approve(process: Process, artifact: str, by: str, on: Any = None) -> ArtifactVersion:
    spec, actor = on_artifact(process, artifact, by, "approve", _approvable)
    title = spec.title.get("de")
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
    return _commit_version(
        process, artifact, ArtifactApproved(artifact, version.version), actor, on
    )


def confirm(process: Process, artifact: str, by: str, on: Any = None) -> ArtifactVersion:
    spec, actor = on_artifact(process, artifact, by, "confirm")
    title = spec.title.get("de")
    version = newest(process, artifact, title)
    cycle = process.state.cycle
    renewed = process.state.renewed
    if renewed and version.seq < renewed.get(("artifact", artifact), 0):
        # format v2 `renew`: asked for anew by a move back; only a new version renews it
        raise CommandRejected(
            "renew-needed", msg("phases.confirm-renewed", version=version.version, title=title)
        )
    if version.current_cycle >= cycle:
        raise CommandRejected(
            "already-current",
            msg("runtime.already-current", version=version.version, title=title, cycle=cycle),
        )
    event = ArtifactConfirmed(artifact, version.version)
    return _commit_version(process, artifact, event, actor, on)


def record_event(
    process: Process,
    event: str,
    day: str | date,
    participants: int | None,
    notes: str | None,
    protocol: int | None,
    by: str,
    until: Any = None,
) -> HeldEvent:
    spec = process.workflow.event(event)
    actor = process._actor(by, "record_event", event)
    in_phase(process, "event", event, spec.title.get("de"))
    state = process.state
    versions = state.version_count(spec.protocol) if spec.protocol is not None else None
    held = _inputs.held_of(
        event, day, participants, notes, protocol, versions, process._future_limit(), until
    )
    process._commit(held, actor)
    return state.last_held()


def _notice(process: Process, event: str, on: str, today: date) -> None:
    """Refuse a planned day within the event type's notice period (Ladungsfrist)."""
    spec = process.workflow.event(event)
    if spec.notice is None:
        return
    earliest = add_duration(today, spec.notice)
    if date.fromisoformat(on) < earliest:
        raise CommandRejected(
            "notice-period",
            msg(
                "time.notice-period",
                title=spec.title,
                day=on,
                notice=spec.notice,
                earliest=earliest.isoformat(),
            ),
        )


def plan_event(
    process: Process,
    event: str,
    details: Mapping[str, Any],
    by: str,
    on: Any = None,
) -> PlannedEvent:
    workflow = process.workflow
    spec = workflow.event(event)
    actor = process._actor(by, "plan_event", event)
    state = process.state
    if state.open_plan(event) is not None:
        raise CommandRejected("already-planned", msg("time.already-planned", title=spec.title))
    day = process._effective("event", event, on)
    today = day or process.today()
    planned = _inputs.plan_of(
        workflow,
        event,
        details.get("on"),
        details.get("time"),
        details.get("until"),
        details.get("place"),
        details.get("agenda", ()),
        details.get("invited", ()),
        details.get("note"),
        today,
        details.get("end"),
        details.get("reply_by"),
    )
    _notice(process, event, planned.date, today)
    process._commit(planned, actor, day)
    plan = state.open_plan(event)
    assert plan is not None  # noqa: S101 - just planned
    return plan.record()


def _open_plan(process: Process, event: str, by: str, command: str) -> tuple[Actor, Any]:
    """The actor and the open plan of ``event`` (the shared checks of rescheduling and
    cancelling); refused if ``by`` may not or there is no open plan."""
    spec = process.workflow.event(event)
    actor = process._actor(by, command, event)
    plan = process.state.open_plan(event)
    if plan is None:
        raise CommandRejected("not-planned", msg("time.not-planned", title=spec.title))
    return actor, plan


def reschedule_event(
    process: Process,
    event: str,
    details: Mapping[str, Any],
    by: str,
    on: Any = None,
) -> PlannedEvent:
    actor, plan = _open_plan(process, event, by, "reschedule_event")
    day = process._effective("event", event, on)
    today = day or process.today()
    moved = _inputs.reschedule_of(
        event,
        details.get("on"),
        details.get("time"),
        details.get("until"),
        details.get("place"),
        details.get("reason"),
        today,
    )
    _notice(process, event, moved.date, today)
    process._commit(moved, actor, day)
    return plan.record()  # type: ignore[no-any-return]


def cancel_event(
    process: Process, event: str, reason: Any, by: str, on: Any = None
) -> PlannedEvent:
    actor, plan = _open_plan(process, event, by, "cancel_event")
    if reason is not None and not isinstance(reason, str):
        raise InvalidData(
            "event",
            event,
            [FieldProblem.of("reason", "type", msg("runtime.input.text", value=repr(reason)))],
        )
    day = process._effective("event", event, on)
    process._commit(EventCancelled(event, reason), actor, day)
    return plan.record()  # type: ignore[no-any-return]


def take_transition(
    process: Process, transition: str, by: str, reason: str | None, on: Any = None
) -> PhaseVisit:
    workflow = process.workflow
    spec = workflow.transition(transition)
    actor = process._actor(by, "take_transition", transition)
    source = process.state.phase
    target = process._machine.fire(source, trigger_for(transition))
    if workflow.is_backward(source, target) and (not isinstance(reason, str) or not reason.strip()):
        raise CommandRejected(
            "reason-required", msg("runtime.reason-required", transition=transition)
        )
    day = process._effective("process", transition, on)
    blockers = process.blockers(transition, day)
    if blockers:
        raise TransitionBlocked(source, target, blockers)
    process._commit(TransitionTaken(spec.id, source, target, reason), actor, day)
    return process.state.last_visit()


def advance(process: Process, by: str, on: Any = None) -> PhaseVisit:
    actor = process._actor(by, "advance")
    source = process.state.phase
    plan = process._plan
    route = plan.auto_route(process.state) if plan.auto else None
    if route is not None:  # format v2: an `auto` transition whose condition holds
        blockers = process.blockers() + plan.transition_blockers(route.id, process.state)
        if blockers:
            raise TransitionBlocked(source, route.target, blockers)
        process._commit(TransitionTaken(route.id, source, route.target, None), actor)
        return process.state.last_visit()
    autos = plan.auto.get(source, ()) if plan.auto else ()
    if autos and process.workflow.is_final(source):  # only conditional ways lead on
        blockers = process.blockers()
        for transition in autos:
            blockers += plan.transition_blockers(transition.id, process.state)
        raise TransitionBlocked(source, autos[0].target, blockers)
    target = process._machine.fire(source, ADVANCE)
    day = process._effective("process", source, on)
    blockers = process.blockers(None, day)
    if blockers:
        raise TransitionBlocked(source, target, blockers)
    process._commit(PhaseAdvanced(source, target), actor, day)
    return process.state.last_visit()


def migrate(
    process: Process, target: Workflow, mapping: dict[str, str], reason: str, by: str
) -> MigrationReport:
    actor = process._actor(by, "migrate")
    if not isinstance(reason, str) or not reason.strip():
        raise CommandRejected("reason-required", msg("runtime.migration-reason-required"))
    report = check_migration(process, target, mapping)
    if report.blocked:
        raise MigrationBlocked(report)
    event = WorkflowMigrated(process.pinned, report.target, report.mapping, reason.strip())
    process._commit(event, actor, switch_to=target)
    return report


def skip(process: Process, by: str, reason: str | None) -> PhaseVisit:
    """Leave an optional phase for its next one without its exit gate (format v2)."""
    actor = process._actor(by, "skip")
    source = process.state.phase
    phase = process.workflow.phase(source)
    if not phase.optional:
        raise CommandRejected("not-optional", msg("phases.not-optional", phase=phase.title))
    target = process._machine.fire(source, ADVANCE)
    if not isinstance(reason, str) or not reason.strip():
        raise CommandRejected("reason-required", msg("phases.skip-reason", phase=phase.title))
    process._commit(PhaseSkipped(source, target, reason), actor)
    return process.state.last_visit()
