"""The role × command matrix of the format-v2 test workflow: strand commands, ``skip``,
conditional and automatic moves. Exactly the roles the definition names succeed;
everyone else gets ``PermissionDenied`` naming who may, and the process stays unchanged."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import pytest

from sozialraumprozess.errors import PermissionDenied
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import ProcessEvent

from .conftest import WORKFLOW, clock, started, strands_done

ROLES = tuple(role.id for role in WORKFLOW.roles)


def expected_allowed(command: str, subject: str | None, phase: str) -> set[str]:
    """Who may, read straight from the definition (the specification under test)."""
    wf = WORKFLOW
    if command == "submit":
        return {wf.artifact(subject or "").owner}
    if command == "approve":
        return {wf.artifact(subject or "").approved_by or ""}
    if command == "record_event":
        event = wf.event(subject or "")
        if event.organizer:
            return {event.organizer}
        strand = wf.phase(phase).strand_of("event", event.id)
        return {strand.responsible if strand else wf.phase(phase).responsible}
    if command == "record_decision":
        return {wf.decision(subject or "").body}
    if command == "take_transition":
        return set(wf.transition(subject or "").allowed)
    return {wf.phase(phase).responsible}  # advance, skip


@cache
def _log(where: str) -> tuple[ProcessEvent, ...]:
    if where.startswith("bestand"):
        process = Process.start(WORKFLOW, sozialraum="Nord", by="jugendamt", clock=clock())
        if where == "bestand_ok":
            process.submit("bestand", {"text": "x"}, by="jugendamt")
        return process.log
    process = started()
    if where == "teilplaene":
        return process.log
    if where == "kita_submitted":
        process.submit("teilplan_kita", {"plaetze": 2}, by="kita")
        return process.log
    strands_done(process, faelle=5 if where in ("klein", "beschluss") else 50)
    if where in ("anhoerung", "beschluss"):
        process.advance(by="jugendamt")
    return process.log


Run = Callable[[Process, str], Any]

CASES: list[tuple[str, str | None, str, Run]] = [
    ("submit", "bestand", "bestand", lambda p, by: p.submit("bestand", {"text": "x"}, by=by)),
    (
        "submit",
        "teilplan_kita",
        "teilplaene",
        lambda p, by: p.submit("teilplan_kita", {"plaetze": 1}, by=by),
    ),
    (
        "submit",
        "teilplan_hze",
        "teilplaene",
        lambda p, by: p.submit("teilplan_hze", {"faelle": 1}, by=by),
    ),
    ("approve", "teilplan_kita", "kita_submitted", lambda p, by: p.approve("teilplan_kita", by=by)),
    (
        "record_event",
        "fachrunde",
        "teilplaene",
        lambda p, by: p.record_event("fachrunde", date="2025-01-20", by=by),
    ),
    (
        "record_event",
        "anhoerung",
        "anhoerung",
        lambda p, by: p.record_event("anhoerung", date="2025-02-01", by=by),
    ),
    (
        "submit",
        "foerderantrag",
        "beschluss",
        lambda p, by: p.submit("foerderantrag", {"betrag": 5}, by=by),
    ),
    (
        "record_decision",
        "planbeschluss",
        "beschluss",
        lambda p, by: p.record_decision("planbeschluss", date="2025-02-01", yes=3, no=0, by=by),
    ),
    ("advance", None, "bestand_ok", lambda p, by: p.advance(by=by)),
    ("advance", None, "klein", lambda p, by: p.advance(by=by)),  # the automatic route
    ("skip", None, "anhoerung", lambda p, by: p.skip(by=by, reason="nicht beantragt")),
    (
        "take_transition",
        "ohne_anhoerung",
        "klein",
        lambda p, by: p.take_transition("ohne_anhoerung", by=by),
    ),
    (
        "take_transition",
        "naechstes_jahr",
        "beschluss",
        lambda p, by: p.take_transition("naechstes_jahr", by=by, reason="neues Jahr"),
    ),
]


def test_cases_cover_every_subject_and_the_new_command() -> None:
    assert {s for c, s, _, _ in CASES if c == "submit"} == {a.id for a in WORKFLOW.artifacts}
    assert {s for c, s, _, _ in CASES if c == "record_event"} == {e.id for e in WORKFLOW.events}
    assert {s for c, s, _, _ in CASES if c == "take_transition"} == {
        t.id for t in WORKFLOW.transitions
    }
    assert "skip" in {c for c, _, _, _ in CASES}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("command", "subject", "where", "run"), CASES, ids=[f"{c[0]}-{c[1] or c[2]}" for c in CASES]
)
def test_permission_matrix(
    command: str, subject: str | None, where: str, run: Run, role: str
) -> None:
    log = _log(where)
    process = Process.replay(WORKFLOW, log, clock=clock())
    phase = process.phase
    allowed = expected_allowed(command, subject, phase)
    assert set(process.allowed(command, subject)) == allowed
    if role in allowed:
        run(process, role)
        assert len(process.log) == len(log) + 1
        assert process.log[-1].actor.role == role
        return
    state_before = Process.replay(WORKFLOW, log).state
    with pytest.raises(PermissionDenied) as info:
        run(process, role)
    assert (info.value.actor, info.value.command, info.value.subject) == (role, command, subject)
    assert set(info.value.allowed) == allowed
    assert process.log == log
    assert process.state == state_before
