"""The fold over typed events gives the records an independent, payload-reading fold gives.

``_eager_fold`` is an oracle written against the stored form (``event.type`` and
``event.payload``), not against the typed handlers: the state must hold equal
records for every prefix of a log with every kind of event, live or replayed.
Also: the handler registry and the reuse of phase blockers.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs
import pytest
from tests.runtime.oracle import evaluate

from sozialraumprozess.definition.kinds._checkexpr import is_pure
from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.runtime._fold import HANDLERS
from sozialraumprozess.runtime._plan import WorkflowPlan
from sozialraumprozess.runtime.decisions import compute_result
from sozialraumprozess.runtime.events import EVENT_TYPES
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import (
    ArtifactVersion,
    DecisionRecord,
    HeldEvent,
    Participant,
    PhaseVisit,
    PlannedEvent,
    ProcessEvent,
    Sozialraum,
    WorkflowRef,
)
from sozialraumprozess.runtime.state import ProcessState, apply, fold
from sozialraumprozess.scenario.sample import CYCLE_TWO_STEPS, run_sample, sample_clock

WORKFLOW = load_workflow("generationengerechte-sozialraumentwicklung")
COLLECTIONS = (
    "workflow",
    "sozialraum",
    "visits",
    "participants",
    "artifacts",
    "held",
    "decisions",
    "planned",
)


def _full_log() -> tuple[ProcessEvent, ...]:
    """The sample's first cycle, the steps of cycle 2 (a confirmation), a transition back,
    and a planned event rescheduled, cancelled, planned again and held."""
    process = run_sample(WORKFLOW)
    for step in CYCLE_TWO_STEPS:
        step.run(process)
    process.take_transition("abgrenzung_aendern", by="kommune", reason="neu zuschneiden")
    plan = {"by": "kommune", "place": "Rathaus", "agenda": ["Begrüßung"]}
    later = process.today() + timedelta(days=60)
    process.plan_event("multiplikatorenveranstaltung", on=later, time="18:00", **plan)
    process.reschedule_event(
        "multiplikatorenveranstaltung", on=later + timedelta(days=7), reason="Raum", by="kommune"
    )
    process.cancel_event("multiplikatorenveranstaltung", reason="Grippewelle", by="kommune")
    today = process.today()
    process.plan_event("multiplikatorenveranstaltung", on=today, **plan)
    process.record_event("multiplikatorenveranstaltung", date=today, by="kommune")
    return process.log


LOG = _full_log()


def _eager_fold(events: tuple[ProcessEvent, ...], workflow: Workflow) -> dict[str, Any]:
    """The records of the fold, built eagerly (the fold before rows, condensed)."""
    out: dict[str, Any] = {
        "workflow": None,
        "sozialraum": None,
        "visits": [],
        "participants": {},
        "artifacts": {},
        "held": [],
        "decisions": [],
        "planned": [],
    }
    phase, cycle, phases = "", 0, set()
    plans: list[PlannedEvent] = out["planned"]

    def open_plan(event: str) -> int | None:
        found = [i for i, x in enumerate(plans) if x.event == event and x.status == "planned"]
        return found[-1] if found else None

    visits: list[PhaseVisit] = out["visits"]

    def enter(event: ProcessEvent, target: str, via: str, reason: Any) -> None:
        nonlocal phase
        if visits:
            v = visits[-1]
            visits[-1] = PhaseVisit(
                v.phase, v.cycle, v.entered_at, v.seq, v.via, v.reason, event.time
            )
        visits.append(PhaseVisit(target, cycle, event.time, event.seq, via, reason or None))
        phases.add(target)
        phase = target

    for event in events:
        p = event.payload
        visit = visits[-1].seq if visits else 0
        if event.type == "process_started":
            ref, room = p["workflow"], p["sozialraum"]
            out["workflow"] = WorkflowRef(ref["id"], ref["version"], ref["content_hash"])
            out["sozialraum"] = Sozialraum(
                room["name"], room.get("description", ""), room.get("data", {})
            )
            cycle = 1
            enter(event, workflow.first_phase.id, "start", None)
        elif event.type == "participant_set":
            out["participants"][p["name"]] = Participant(
                p["name"],
                tuple(p["roles"]),
                p.get("kind", "organisation"),
                p.get("contact"),
                p.get("active", True),
            )
        elif event.type == "artifact_submitted":
            versions = out["artifacts"].setdefault(p["artifact"], [])
            versions.append(
                ArtifactVersion(
                    p["artifact"],
                    len(versions) + 1,
                    p["data"],
                    cycle,
                    phase,
                    event.actor,
                    event.time,
                    event.seq,
                    p.get("note"),
                )
            )
        elif event.type in ("artifact_approved", "artifact_confirmed"):
            versions = out["artifacts"][p["artifact"]]
            v = versions[-1]
            approved = event.type == "artifact_approved"
            versions[-1] = ArtifactVersion(
                v.artifact,
                v.version,
                v.data,
                v.cycle,
                v.phase,
                v.submitted_by,
                v.submitted_at,
                v.seq,
                v.note,
                event.actor if approved else v.approved_by,
                event.time if approved else v.approved_at,
                v.confirmed_cycles if approved else (*v.confirmed_cycles, cycle),
            )
        elif event.type == "event_planned":
            plans.append(
                PlannedEvent(
                    p["event"],
                    p["date"],
                    p["time"],
                    p["until"],
                    p["place"],
                    tuple(p["agenda"]),
                    tuple(p["invited"]),
                    p["note"],
                    phase,
                    cycle,
                    event.actor,
                    event.day,
                    event.seq,
                )
            )
        elif event.type == "event_rescheduled":
            i = open_plan(p["event"])
            assert i is not None
            x = plans[i]
            plans[i] = attrs.evolve(
                x,
                date=p["date"],
                time=p["time"] or x.time,
                until=p["until"],
                place=p["place"] or x.place,
                previous=(*x.previous, x.date),
                reason=p["reason"],
            )
        elif event.type == "event_cancelled":
            i = open_plan(p["event"])
            assert i is not None
            plans[i] = attrs.evolve(plans[i], status="cancelled", reason=p["reason"])
        elif event.type == "event_held":
            i = open_plan(p["event"])
            if i is not None:
                plans[i] = attrs.evolve(plans[i], status="held")
            out["held"].append(
                HeldEvent(
                    p["event"],
                    p["date"],
                    p.get("participants"),
                    p.get("notes"),
                    p.get("protocol"),
                    phase,
                    cycle,
                    visit,
                    event.actor,
                    event.seq,
                    p.get("until"),
                    None if i is None else plans[i].seq,
                )
            )
        elif event.type == "decision_recorded":
            votes = {k: p.get(k) for k in ("yes", "no", "abstain", "consensus", "present")}
            result = compute_result(workflow.decision(p["decision"]), **votes)
            out["decisions"].append(
                DecisionRecord(
                    p["decision"],
                    p["date"],
                    votes["yes"],
                    votes["no"],
                    votes["abstain"],
                    votes["consensus"],
                    votes["present"],
                    p.get("text"),
                    result,
                    phase,
                    cycle,
                    visit,
                    event.actor,
                    event.seq,
                )
            )
        elif event.type == "sozialraum_recorded":
            room = p["sozialraum"]
            out["sozialraum"] = Sozialraum(
                room["name"], room.get("description", ""), room.get("data", {})
            )
        elif event.type == "indicator_values_recorded":
            pass  # the indicator records are checked in tests/steering
        else:
            moves = ("phase_advanced", "phase_skipped")
            if event.type in moves and workflow.is_backward(p["from"], p["to"]):
                cycle += 1
                phases = set()
            via = "skip" if event.type == "phase_skipped" else p.get("transition") or "advance"
            enter(event, p["to"], via, p.get("reason"))
    out["phase"], out["cycle"], out["cycle_phases"] = phase, cycle, phases
    return out


def _records(state: ProcessState) -> dict[str, Any]:
    values = {name: getattr(state, name) for name in COLLECTIONS}
    values.update(phase=state.phase, cycle=state.cycle, cycle_phases=state.cycle_phases)
    return values


def test_the_full_log_has_every_kind_of_event() -> None:
    kinds = {event.type for event in LOG}
    assert kinds >= {
        "process_started",
        "participant_set",
        "artifact_submitted",
        "artifact_approved",
        "artifact_confirmed",
        "event_held",
        "decision_recorded",
        "phase_advanced",
        "transition_taken",
        "event_planned",
        "event_rescheduled",
        "event_cancelled",
    }


#: Event types a v1 workflow cannot produce; tests/phases folds a log with each of them.
V2_ONLY = {"phase_skipped"}


def test_every_event_class_has_exactly_one_handler() -> None:
    """Every event type has its handler and occurs in a log here (items: format v2)."""
    from sozialraumprozess.scenario import run_scenario

    items_log = run_scenario("qualitaetsreflexion-soziale-treffpunkte").process.log
    assert set(HANDLERS) == set(EVENT_TYPES.values())
    # A migration switches the definition mid-log (its fold is in test_migration.py).
    in_other_tests = {"workflow_migrated"}
    assert {cls.TYPE for cls in EVENT_TYPES.values()} - in_other_tests == {
        event.type for event in (*LOG, *items_log)
    } | V2_ONLY


@pytest.mark.parametrize("length", range(len(LOG) + 1))
def test_every_prefix_gives_the_eager_records(length: int) -> None:
    events = LOG[:length]
    state = fold(events, WORKFLOW)
    assert _records(state) == _eager_fold(events, WORKFLOW)
    assert state == fold(events, WORKFLOW)
    assert repr(state) == repr(fold(events, WORKFLOW))
    assert state.visit == (state.visits[-1].seq if state.visits else 0)


def test_applying_one_by_one_is_folding() -> None:
    state = ProcessState()
    for index, event in enumerate(LOG):
        apply(state, event, WORKFLOW)
        assert state == fold(LOG[: index + 1], WORKFLOW)
    assert _records(state) == _eager_fold(LOG, WORKFLOW)


def test_records_from_the_log_are_shared_not_copied() -> None:
    state = fold(LOG, WORKFLOW)
    started = LOG[0].event
    recorded = [e.event for e in LOG if e.type in ("process_started", "sozialraum_recorded")]
    assert state.sozialraum is recorded[-1].sozialraum  # type: ignore[attr-defined]
    assert state.workflow is started.workflow  # type: ignore[attr-defined]
    last = [e.event for e in LOG if e.type == "participant_set"][-1]
    assert state.participants[last.participant.name] is last.participant  # type: ignore[attr-defined]


def test_live_and_replayed_processes_agree_at_every_step() -> None:
    live = run_sample(WORKFLOW, until="analysieren")
    _ = live.visits, live.participants, live.held_events, live.decisions  # read early
    replayed = Process.replay(WORKFLOW, live.log, clock=sample_clock())
    assert live.state == replayed.state
    assert _records(live.state) == _records(replayed.state)
    full = run_sample(WORKFLOW)
    for length in range(1, len(full.log) + 1):
        again = Process.replay(WORKFLOW, full.log[:length], clock=sample_clock())
        assert _records(again.state) == _eager_fold(full.log[:length], WORKFLOW)


def _analysis_data() -> dict[str, object]:
    """The data of the scenario's first Analysebericht."""
    first = next(
        e
        for e in LOG
        if e.type == "artifact_submitted" and e.payload["artifact"] == "analysebericht"
    )
    return dict(first.payload["data"])


def test_commands_return_the_records_the_state_holds() -> None:
    process = run_sample(WORKFLOW, until="analysieren")
    replayed = Process.replay(WORKFLOW, process.log, clock=sample_clock())
    version = replayed.submit("analysebericht", _analysis_data(), by="sozialraumkoordination")
    assert version == replayed.versions("analysebericht")[-1]
    assert replayed.latest("analysebericht") is replayed.versions("analysebericht")[-1]
    assert replayed.latest("analysebericht") is replayed.state.artifacts["analysebericht"][-1]


def test_state_attributes_can_be_given_and_set() -> None:
    eager = _eager_fold(LOG, WORKFLOW)
    given_state = ProcessState(**eager, seq=len(LOG))
    given_state.indicator_entries = fold(LOG, WORKFLOW).indicator_entries  # tests/steering
    assert given_state == fold(LOG, WORKFLOW)
    assert given_state.visits is eager["visits"]
    assert given_state.visit == eager["visits"][-1].seq
    copy = ProcessState()
    for name, value in eager.items():
        setattr(copy, name, value)
    copy.seq = len(LOG)
    assert copy == given_state
    assert ProcessState() != given_state
    assert ProcessState().__eq__(object()) is NotImplemented
    with pytest.raises(TypeError):
        hash(ProcessState())


def test_phase_blockers_are_reused_until_the_state_changes() -> None:
    process = run_sample(WORKFLOW, until="analysieren")
    first = process.blockers()
    assert process.blockers() is first
    expected = evaluate(
        WORKFLOW,
        process.state,
        WORKFLOW.phase(process.phase).exit,
        WORKFLOW.phase(process.phase).responsible,
    )
    assert first == expected
    process.submit("analysebericht", _analysis_data(), by="sozialraumkoordination")
    second = process.blockers()
    assert second is not first
    assert second == evaluate(
        WORKFLOW,
        process.state,
        WORKFLOW.phase(process.phase).exit,
        WORKFLOW.phase(process.phase).responsible,
    )


def test_checks_with_random_or_globals_are_not_reused() -> None:
    assert WorkflowPlan(WORKFLOW).pure
    assert is_pure("artifacts.x.y | length >= 1")
    assert not is_pure("[1, 2] | random == 1")
    assert not is_pure("lipsum() != ''")
    assert not is_pure("artifacts.x ==")


def test_records_are_built_when_read_and_follow_every_change() -> None:
    """Records read before an event stay valid; after it, only changed ones are new."""
    state = ProcessState()
    changes = {"artifact_approved": 0, "artifact_confirmed": 0, "phase_advanced": 0}
    for index, event in enumerate(LOG):
        before = (state.visits, state.artifacts, state.held, state.decisions)
        assert (state.visits, state.artifacts, state.held, state.decisions) == before
        assert all(a is b for a, b in zip(before, (state.visits, state.artifacts), strict=False))
        apply(state, event, WORKFLOW)
        eager = _eager_fold(LOG[: index + 1], WORKFLOW)
        assert _records(state) == eager
        old_visits, old_artifacts = before[0], before[1]
        for old, new in zip(old_visits[:-1], state.visits, strict=False):
            assert old is new  # visits left earlier do not change again
        if event.type in changes:
            changes[event.type] += 1
            if event.type != "phase_advanced":
                artifact = event.payload["artifact"]
                assert old_artifacts[artifact][-1] != state.artifacts[artifact][-1]
            else:
                assert old_visits[-1].left_at is None
                assert state.visits[-2].left_at == event.time
        for artifact, versions in old_artifacts.items():
            for old, new in zip(versions[:-1], state.artifacts[artifact], strict=False):
                assert old is new  # only the newest version of an artifact changes
    assert all(changes.values())
    assert state.latest("zielkatalog") is state.artifacts["zielkatalog"][-1]
    assert state.versions("zielkatalog") == state.artifacts["zielkatalog"]
    assert state.last_visit() is state.visits[-1]
    assert state.last_held() is state.held[-1]
    assert state.last_decision() is state.decisions[-1]
    assert state.versions("no-such-artifact") == []
