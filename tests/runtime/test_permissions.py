"""The full role × command permission matrix of the six-phase workflow.

For every command (and every artifact, event, decision, phase or transition it
can be about) the process is brought to the point of the sample run where the
command is due; then every role of the workflow tries it. Exactly the roles the
definition names succeed; everyone else gets ``PermissionDenied`` with the data
saying who tried, what, and who may — and the process stays unchanged.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

import pytest

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import PermissionDenied
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import ProcessEvent
from sozialraumprozess.scenario.sample import CYCLE_TWO_STEPS, SCENARIO, Step, start_sample

from .revisions import revised

WORKFLOW = load_workflow("generationengerechte-sozialraumentwicklung")
ROLES = tuple(role.id for role in WORKFLOW.roles)
REVISED = revised()


def expected_allowed(workflow: Workflow, command: str, subject: str | None, phase: str) -> set[str]:
    """Who may, read straight from the definition (the specification under test)."""
    if command == "submit":
        return {workflow.artifact(subject or "").owner}
    if command == "approve":
        return {workflow.artifact(subject or "").approved_by or ""}
    if command == "confirm":
        artifact = workflow.artifact(subject or "")
        return {artifact.approved_by or artifact.owner}
    if command == "record_event":
        return {workflow.event(subject or "").organizer or ""}
    if command == "record_decision":
        return {workflow.decision(subject or "").body}
    if command == "take_transition":
        return set(workflow.transition(subject or "").allowed)
    if command == "set_participant":  # subject: the role granted
        role = workflow.role(subject or "")
        if role.appointed_by:
            return set(role.appointed_by)
        deciding = {d.body for d in workflow.decisions} | {
            a.approved_by for a in workflow.artifacts if a.approved_by
        }
        return {role.id} if role.id in deciding else {role.id, workflow.phase(phase).responsible}
    return {workflow.phase(phase).responsible}  # advance, migrate


@cache
def _log_before(phase: str, index: int, cycle_two: bool = False) -> tuple[ProcessEvent, ...]:
    process = start_sample(WORKFLOW)
    for script in SCENARIO:
        if script.phase == phase and not cycle_two:
            for step in script.steps[:index]:
                step.run(process)
            return process.log
        for step in script.steps:
            step.run(process)
    for step in CYCLE_TWO_STEPS[:index]:
        step.run(process)
    return process.log


def _cases() -> list[tuple[str, str | None, str, int, Step | None]]:
    cases: list[tuple[str, str | None, str, int, Step | None]] = []
    seen: set[tuple[str, str | None, str]] = set()
    for script in SCENARIO:
        for index, step in enumerate(script.steps):
            key = (step.command, step.subject, script.phase if step.command == "advance" else "")
            if step.command == "set_participant" or key in seen:
                continue
            if step.command in ("record_indicators", "record_sozialraum"):
                continue  # the steering records: their role matrix is in tests/steering

            seen.add(key)
            cases.append((step.command, step.subject, script.phase, index, step))
        for role in ROLES:  # who may grant which role, in every phase
            cases.append(("set_participant", role, script.phase, 0, None))
        cases.append(("migrate", None, script.phase, 0, None))
    for transition in WORKFLOW.transitions:
        cases.append(("take_transition", transition.id, transition.source, 0, None))
    return cases


CASES = _cases()


def test_cases_cover_every_subject() -> None:
    subjects = {(c[0], c[1]) for c in CASES}
    assert {a.id for a in WORKFLOW.artifacts} == {s for c, s in subjects if c == "submit"}
    assert {a.id for a in WORKFLOW.artifacts if a.approved_by} == {
        s for c, s in subjects if c == "approve"
    }
    assert {e.id for e in WORKFLOW.events} == {s for c, s in subjects if c == "record_event"}
    assert {d.id for d in WORKFLOW.decisions} == {s for c, s in subjects if c == "record_decision"}
    assert {p.id for p in WORKFLOW.phases} == {c[2] for c in CASES if c[0] == "advance"}
    assert {t.id for t in WORKFLOW.transitions} == {
        s for c, s in subjects if c == "take_transition"
    }


def _clone(log: tuple[ProcessEvent, ...]) -> Process:
    clock = FixedClock(datetime(2030, 1, 1, tzinfo=UTC))
    return Process.replay(WORKFLOW, log, clock=clock)


def _run(process: Process, command: str, subject: str | None, step: Step | None, by: str) -> Any:
    if step is not None:
        return Step(step.command, by, step.subject, step.args).run(process)
    if command == "set_participant":
        return process.set_participant("Neues Mitglied", [subject or ""], by=by)
    if command == "migrate":
        return process.migrate(REVISED, reason="Fortschreibung", by=by)
    assert command == "take_transition"
    return process.take_transition(subject or "", by=by, reason="Neue Lage im Quartier")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("command", "subject", "phase", "index", "step"),
    CASES,
    ids=[
        f"{c[0]}-{c[1] or c[2]}" + (f"-{c[2]}" if c[0] == "set_participant" else "") for c in CASES
    ],
)
def test_permission_matrix(
    command: str, subject: str | None, phase: str, index: int, step: Step | None, role: str
) -> None:
    log = _log_before(phase, index)
    process = _clone(log)
    assert process.phase == phase
    allowed = expected_allowed(WORKFLOW, command, subject, phase)
    assert set(process.allowed(command, subject)) == allowed
    if role in allowed:
        _run(process, command, subject, step, role)
        assert len(process.log) == len(log) + 1
        assert process.log[-1].actor.role == role
        return
    state_before = _clone(log).state
    with pytest.raises(PermissionDenied) as info:
        _run(process, command, subject, step, role)
    error = info.value
    assert (error.actor, error.roles, error.command, error.subject) == (
        role,
        (role,),
        command,
        subject,
    )
    assert set(error.allowed) == allowed
    assert process.log == log
    assert process.state == state_before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("artifact", ["sozialraumprofil", "analysebericht", "protokoll"])
def test_permission_matrix_confirm(artifact: str, role: str) -> None:
    log = _log_before("analysieren", 0, cycle_two=True)
    process = _clone(log)
    assert process.cycle == 2
    allowed = expected_allowed(WORKFLOW, "confirm", artifact, "analysieren")
    if role in allowed:
        version = process.confirm(artifact, by=role)
        assert version.confirmed_cycles == (2,)
        return
    with pytest.raises(PermissionDenied) as info:
        process.confirm(artifact, by=role)
    assert info.value.allowed == tuple(allowed)
    assert process.log == log


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_start(workflow: Workflow, role: str) -> None:
    if role == workflow.first_phase.responsible:
        process = Process.start(workflow, sozialraum="Ost", by=role)
        assert process.log[0].actor.role == role
        return
    with pytest.raises(PermissionDenied) as info:
        Process.start(workflow, sozialraum="Ost", by=role)
    assert (info.value.command, info.value.allowed) == ("start", ("kommune",))


PLAN_COMMANDS = ("plan_event", "reschedule_event", "cancel_event")


def _plan_command(process: Process, command: str, event: str, by: str) -> Any:
    if command == "plan_event":
        return process.plan_event(event, on="2030-03-01", place="Rathaus", by=by)
    if command == "reschedule_event":
        return process.reschedule_event(event, on="2030-03-08", by=by)
    return process.cancel_event(event, reason="verlegt", by=by)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", PLAN_COMMANDS)
@pytest.mark.parametrize("event", [e.id for e in WORKFLOW.events])
def test_permission_matrix_planned_events(event: str, command: str, role: str) -> None:
    """Planning, rescheduling and cancelling an event: its organiser, nobody else."""
    log = _log_before(WORKFLOW.phases[0].id, 0)
    process = _clone(log)
    if command != "plan_event":
        organizer = WORKFLOW.event(event).organizer or WORKFLOW.phases[0].responsible
        _plan_command(process, "plan_event", event, organizer)
    before = process.log
    allowed = {WORKFLOW.event(event).organizer or WORKFLOW.phases[0].responsible}
    assert set(process.allowed(command, event)) == allowed
    if role in allowed:
        _plan_command(process, command, event, role)
        assert len(process.log) == len(before) + 1
        assert process.log[-1].actor.role == role
        return
    with pytest.raises(PermissionDenied) as info:
        _plan_command(process, command, event, role)
    assert (info.value.command, info.value.subject, set(info.value.allowed)) == (
        command,
        event,
        allowed,
    )
    assert process.log == before
