"""Participation accounted for (issue 12 §6): target groups reached, contributions, weighing,
feedback — the commands, their refusals (message AND position, nothing changed), the gate
kinds, replay, and the steering view the documents read."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import (
    CommandRejected,
    InvalidData,
    PermissionDenied,
    ReplayError,
    SozialraumprozessError,
    WorkflowError,
)
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.events import ContributionWeighed
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import ProcessEvent
from sozialraumprozess.runtime.serialize import event_from_dict, event_to_dict
from sozialraumprozess.steering.participation import participation_report
from sozialraumprozess.testing import workflow_from_string

TEXT = """\
format: sozialraumprozess/v2
id: beteiligung
version: "1.0"
title: Beteiligung
target_groups:
  kinder: {title: {de: Kinder, en: Children}, kind: age}
  jugendliche: {title: {de: Jugendliche, en: Young people}, kind: age}
  aeltere: {title: {de: Ältere Menschen, en: Older people}, kind: age}
  alleinerziehende: {title: {de: Alleinerziehende, en: Single parents}}
roles:
  kommune: {title: Kommune}
  koordination: {title: Sozialraumkoordination}
events:
  zukunftswerkstatt:
    title: Zukunftswerkstatt
    organizer: koordination
    target_groups: [kinder, jugendliche, aeltere]
  konferenz:
    title: Sozialraumkonferenz
artifacts:
  massnahme:
    title: Maßnahme
    owner: kommune
    items:
      kind: measure
      states:
        geplant: {title: Geplant}
        umgesetzt: {title: Umgesetzt}
    fields:
      titel: {type: text}
phases:
  - id: visionen
    title: Visionen
    responsible: kommune
    events: [zukunftswerkstatt, konferenz]
    artifacts: [massnahme]
    exit:
      - contributions_weighed: zukunftswerkstatt
      - feedback_given: zukunftswerkstatt
  - id: ziele
    title: Ziele
    responsible: kommune
    next: visionen
"""

DAY = date(2025, 6, 2)


@pytest.fixture
def wf() -> Workflow:
    return workflow_from_string(TEXT, "beteiligung.yaml")


@pytest.fixture
def held(wf: Workflow) -> Process:
    """A process whose Zukunftswerkstatt was held on 2025-06-02 (clock: 2025-06-10)."""
    clock = FixedClock(datetime(2025, 6, 10, 9, tzinfo=UTC), step=timedelta(minutes=1))
    process = Process.start(wf, sozialraum="Ost", by="kommune", clock=clock)
    process.record_event("zukunftswerkstatt", date=DAY, participants=30, by="koordination")
    return process


def unchanged(process: Process, command: Callable[[], Any]) -> SozialraumprozessError:
    """Run ``command``, which must fail; the log and the state stay as they were."""
    log, state = process.log, Process.replay(process.workflow, process.log).state
    with pytest.raises(SozialraumprozessError) as info:
        command()
    assert process.log == log
    assert process.state == state
    return info.value


def contribute(process: Process, cid: str, **extra: Any) -> None:
    args = {"text": f"Vorschlag {cid}", **extra}
    process.record_contribution("zukunftswerkstatt", contribution=cid, by="koordination", **args)


# --------------------------------------------------------------------------- reach


def test_reach_is_recorded_per_holding_and_replaced_whole(held: Process) -> None:
    reach = held.record_reach(
        "zukunftswerkstatt", counts={"kinder": 12, "aeltere": 9}, by="koordination"
    )
    assert (reach.counts, reach.total, reach.held) == ((("aeltere", 9), ("kinder", 12)), 21, 2)
    again = held.record_reach("zukunftswerkstatt", counts={"jugendliche": 4}, by="koordination")
    assert held.participation.reach == {2: again}
    assert held.log[-1].payload == {
        "event": "zukunftswerkstatt",
        "held": 2,
        "counts": {"jugendliche": 4},
    }


def test_an_undeclared_target_group_is_refused_with_its_path_and_a_hint(held: Process) -> None:
    error = unchanged(
        held,
        lambda: held.record_reach(
            "zukunftswerkstatt", counts={"kinder": 3, "kindr": 2, "aeltere": -1}, by="koordination"
        ),
    )
    assert isinstance(error, InvalidData)
    assert error.paths == ("counts.kindr", "counts.aeltere")
    assert error.problems[0].message("de") == (
        "counts.kindr: Zielgruppe 'kindr' ist im Workflow nicht erklärt. Meinten Sie 'kinder'?"
    )
    assert error.problems[0].message("en") == (
        "counts.kindr: Target group 'kindr' is not declared in the workflow. Did you mean 'kinder'?"
    )
    assert error.problems[0].code == "unknown-target-group"
    assert error.problems[1].code == "type"


def test_reach_needs_a_holding_and_counts(held: Process) -> None:
    error = unchanged(
        held, lambda: held.record_reach("konferenz", counts={"kinder": 1}, by="kommune")
    )
    assert isinstance(error, CommandRejected)
    assert error.message("de") == "Veranstaltung 'Sozialraumkonferenz' wurde noch nicht abgehalten"
    error = unchanged(
        held,
        lambda: held.record_reach(
            "zukunftswerkstatt", counts={"kinder": 1}, held_on="2025-06-03", by="koordination"
        ),
    )
    assert error.message("en") == (
        "Event 'Zukunftswerkstatt' was not held on 2025-06-03 (held: 2025-06-02)"
    )
    error = unchanged(
        held, lambda: held.record_reach("zukunftswerkstatt", counts={}, by="koordination")
    )
    assert isinstance(error, InvalidData)
    assert error.paths == ("counts",)
    error = unchanged(
        held,
        lambda: held.record_reach(
            "zukunftswerkstatt", counts={"kinder": 1}, held_on="gestern", by="koordination"
        ),
    )
    assert isinstance(error, InvalidData)
    assert error.paths == ("held_on",)


def test_only_the_organiser_records_participation(held: Process) -> None:
    error = unchanged(
        held, lambda: held.record_reach("zukunftswerkstatt", counts={"kinder": 1}, by="kommune")
    )
    assert isinstance(error, PermissionDenied)
    assert (error.command, error.subject, error.allowed) == (
        "record_reach",
        "zukunftswerkstatt",
        ("koordination",),
    )


# --------------------------------------------------------------------------- contributions


def test_contributions_are_recorded_with_an_id_and_refused_when_bad(held: Process) -> None:
    contribute(held, "ZW-1", group="aeltere")
    found = held.participation.contributions["ZW-1"]
    assert (found.event, found.held, found.group, found.cycle, found.outcome) == (
        "zukunftswerkstatt",
        2,
        "aeltere",
        1,
        None,
    )
    error = unchanged(held, lambda: contribute(held, "ZW-1"))
    assert isinstance(error, InvalidData)
    assert (error.paths, error.problems[0].message("de")) == (
        ("id",),
        "id: Beitrag 'ZW-1' ist bereits erfasst",
    )
    error = unchanged(
        held,
        lambda: held.record_contribution(
            "zukunftswerkstatt",
            contribution=" x,y",
            text="  ",
            group="senioren",
            by="koordination",
        ),
    )
    assert isinstance(error, InvalidData)
    assert error.paths == ("id", "text", "group")
    assert (
        error.problems[2]
        .message("en")
        .startswith("group: Target group 'senioren' is not declared in the workflow.")
    )


# --------------------------------------------------------------------------- weighing


def test_weighing_an_unknown_contribution_is_refused_with_a_hint(held: Process) -> None:
    contribute(held, "ZW-1")
    error = unchanged(
        held,
        lambda: held.weigh_contribution(
            "ZW-2", outcome="not_adopted", reason="x", by="koordination"
        ),
    )
    assert isinstance(error, InvalidData)
    assert error.paths == ("contribution",)
    assert error.message("de") == (
        "Ungültige Daten für Beitrag 'ZW-2':\n"
        "  - contribution: Beitrag 'ZW-2' ist nicht erfasst. Meinten Sie 'ZW-1'?"
    )
    assert error.message("en") == (
        "Invalid data for contribution 'ZW-2':\n"
        "  - contribution: Contribution 'ZW-2' is not recorded. Did you mean 'ZW-1'?"
    )


def test_a_link_to_an_unknown_goal_or_measure_is_refused(held: Process) -> None:
    contribute(held, "ZW-1")
    held.create_item("massnahme", key="M-Treff", data={"titel": "Treff"}, by="kommune")
    error = unchanged(
        held,
        lambda: held.weigh_contribution(
            "ZW-1",
            outcome="adopted",
            links={"goal": ["HZ-1"], "measure": ["M-Tref"], "gaol": ["x"]},
            by="koordination",
        ),
    )
    assert isinstance(error, InvalidData)
    assert error.paths == ("links.goal[0]", "links.measure[0]", "links.gaol")
    assert error.problems[0].message("de") == (
        "links.goal[0]: Kennung 'HZ-1' der Art 'goal' ist im Prozess nicht bekannt. Bekannt: –."
    )
    assert error.problems[1].message("en") == (
        "links.measure[0]: Id 'M-Tref' of kind 'measure' is not known in the process. "
        "Did you mean 'M-Treff'?"
    )
    assert error.problems[2].message("en") == (
        "links.gaol: Unknown kind of link 'gaol'. Did you mean 'goal'?"
    )


def test_weighing_records_outcome_reason_and_links(held: Process) -> None:
    contribute(held, "ZW-1")
    held.create_item("massnahme", key="M-Treff", data={"titel": "Treff"}, by="kommune")
    error = unchanged(
        held, lambda: held.weigh_contribution("ZW-1", outcome="adopted", by="koordination")
    )
    assert isinstance(error, InvalidData)
    assert error.paths == ("links",)  # the workflow has measures: say which one took it up
    error = unchanged(
        held, lambda: held.weigh_contribution("ZW-1", outcome="adoptd", by="koordination")
    )
    assert isinstance(error, InvalidData)
    assert error.paths == ("outcome",)
    assert "Meinten Sie 'adopted'?" in error.problems[0].message("de")
    error = unchanged(
        held, lambda: held.weigh_contribution("ZW-1", outcome="not_adopted", by="koordination")
    )
    assert isinstance(error, InvalidData)
    assert error.paths == ("reason",)
    weighed = held.weigh_contribution(
        "ZW-1",
        outcome="partly_adopted",
        reason="Ohne Café",
        links={"measure": "M-Treff"},
        by="koordination",
        date="2025-06-10",
    )
    assert (weighed.outcome, weighed.reason, weighed.links, weighed.weighed_on) == (
        "partly_adopted",
        "Ohne Café",
        (("measure", "M-Treff"),),
        date(2025, 6, 10),
    )
    assert held.log[-1].payload["links"] == {"measure": ["M-Treff"]}
    assert held.allowed("weigh_contribution", "ZW-1") == ("koordination",)


# --------------------------------------------------------------------------- feedback and gates


def _messages(process: Process, lang: str = "de") -> list[str]:
    return [b.message(lang) for b in process.blockers()]  # type: ignore[arg-type]


def test_gates_name_unweighed_and_untold_contributions_until_feedback(held: Process) -> None:
    assert held.blockers() == ()  # nothing recorded: nothing to weigh
    contribute(held, "ZW-1")
    contribute(held, "ZW-2")
    assert _messages(held) == [
        "2 Beiträge aus 'Zukunftswerkstatt' noch nicht abgewogen: ZW-1, ZW-2",
        "Keine Rückmeldung an die Teilnehmenden von 'Zukunftswerkstatt' zu 2 Beiträgen: ZW-1, ZW-2",
    ]
    assert [(b.kind, b.code, b.role) for b in held.blockers()] == [
        ("contributions_weighed", "unweighed", "koordination"),
        ("feedback_given", "not-told", "koordination"),
    ]
    held.weigh_contribution("ZW-2", outcome="not_adopted", reason="Kein Platz", by="koordination")
    assert _messages(held, "en") == [
        "Contribution from 'Zukunftswerkstatt' not weighed yet: ZW-1",
        "Participants of 'Zukunftswerkstatt' not told what became of 2 contributions: ZW-1, ZW-2",
    ]
    error = unchanged(
        held,
        lambda: held.record_feedback(
            "zukunftswerkstatt", how="Brief", contributions=["ZW-1", "ZW-3"], by="koordination"
        ),
    )
    assert isinstance(error, InvalidData)
    assert error.paths == ("contributions[0]", "contributions[1]")
    assert error.problems[0].code == "not-weighed"
    told = held.record_feedback("zukunftswerkstatt", how="Aushang", by="koordination")
    assert (told.contributions, told.on) == (("ZW-2",), date(2025, 6, 10))
    error = unchanged(
        held, lambda: held.record_feedback("zukunftswerkstatt", how="Brief", by="koordination")
    )
    assert isinstance(error, CommandRejected)
    assert error.code == "nothing-to-tell"
    held.create_item("massnahme", key="M-Treff", by="kommune")
    held.weigh_contribution(
        "ZW-1", outcome="adopted", links={"measure": ["M-Treff"]}, by="koordination"
    )
    assert _messages(held) == [
        "Keine Rückmeldung an die Teilnehmenden von 'Zukunftswerkstatt' zu Beitrag ZW-1"
    ]
    held.record_feedback("zukunftswerkstatt", how="Brief", date="2025-06-05", by="koordination")
    assert held.blockers() == ()
    held.weigh_contribution("ZW-2", outcome="not_adopted", reason="Anders", by="koordination")
    assert _messages(held) == [  # weighed anew: participants must be told again
        "Keine Rückmeldung an die Teilnehmenden von 'Zukunftswerkstatt' zu Beitrag ZW-2"
    ]


def test_feedback_is_not_dated_before_the_event_nor_in_the_future(held: Process) -> None:
    contribute(held, "ZW-1")
    held.weigh_contribution("ZW-1", outcome="not_adopted", reason="x", by="koordination")
    for day, code in (("2025-06-01", "before-holding"), ("2025-07-01", "future")):
        error = unchanged(
            held,
            lambda day=day: held.record_feedback(
                "zukunftswerkstatt", how="Brief", date=day, by="koordination"
            ),
        )
        assert isinstance(error, InvalidData)
        assert (error.paths, error.problems[0].code) == (("date",), code)
    error = unchanged(
        held, lambda: held.record_feedback("zukunftswerkstatt", how=" ", by="koordination")
    )
    assert isinstance(error, InvalidData)
    assert error.paths == ("how",)


def test_the_gates_count_the_current_cycle_only(held: Process) -> None:
    contribute(held, "ZW-1")
    held.weigh_contribution("ZW-1", outcome="not_adopted", reason="x", by="koordination")
    held.record_feedback("zukunftswerkstatt", how="Brief", by="koordination")
    held.advance(by="kommune")
    held.advance(by="kommune")  # the cycle edge
    assert held.cycle == 2
    assert held.blockers() == ()
    held.record_event("zukunftswerkstatt", date="2025-06-10", by="koordination")
    contribute(held, "ZW-9")
    assert _messages(held)[0] == "Beitrag aus 'Zukunftswerkstatt' noch nicht abgewogen: ZW-9"
    assert held.participation.contributions["ZW-9"].held == held.held_events[-1].seq


# --------------------------------------------------------------------------- replay


def _full(held: Process) -> Process:
    held.record_reach("zukunftswerkstatt", counts={"kinder": 12, "aeltere": 9}, by="koordination")
    contribute(held, "ZW-1", group="kinder")
    held.create_item("massnahme", key="A-Treff", by="kommune")
    contribute(held, "ZW-2")
    held.create_item(
        "massnahme", key="M-Treff", data={"titel": "Treffpunkt am Markt"}, by="kommune"
    )
    held.weigh_contribution(
        "ZW-1", outcome="adopted", links={"measure": ["M-Treff"]}, by="koordination"
    )
    held.weigh_contribution("ZW-2", outcome="not_adopted", reason="x", by="koordination")
    held.record_feedback("zukunftswerkstatt", how="Aushang", by="koordination")
    return held


def test_replay_and_the_stored_form_give_the_same_state(held: Process) -> None:
    process = _full(held)
    # stores write JSON with sorted keys: counts and links come back in another order
    lines = [json.loads(json.dumps(event_to_dict(e), sort_keys=True)) for e in process.log]
    again = Process.replay(process.workflow, [event_from_dict(line) for line in lines])
    assert again.state == process.state
    assert again.participation.contributions["ZW-1"].told == process.log[-1].seq


def test_a_log_weighing_an_unrecorded_contribution_does_not_replay(held: Process) -> None:
    process = _full(held)
    bad = ProcessEvent(
        len(process.log) + 1,
        process.log[-1].time,
        process.log[-1].actor,
        ContributionWeighed("ZW-7", "adopted"),
    )
    with pytest.raises(ReplayError) as info:
        Process.replay(process.workflow, (*process.log, bad))
    assert info.value.message("en").endswith("Contribution 'ZW-7' is not recorded")
    payload = {"id": "ZW-1", "outcome": "adopted", "links": {"goal": [3]}}
    with pytest.raises(ValueError, match=r"contribution_weighed"):
        ContributionWeighed.from_payload(payload)


# --------------------------------------------------------------------------- the steering view


def test_the_report_shows_groups_contributions_outcomes_and_feedback(held: Process) -> None:
    report = participation_report(_full(held), "en")
    (holding,) = report["holdings"]
    assert (holding["title"], holding["reached"], holding["missed"]) == (
        "Zukunftswerkstatt",
        21,
        ["Young people"],
    )
    assert [(c["id"], c["outcome_title"], c["told"]) for c in holding["contributions"]] == [
        ("ZW-1", "adopted", True),
        ("ZW-2", "not adopted", True),
    ]
    assert holding["contributions"][0]["links"] == [  # with what the measure is called
        {
            "kind": "measure",
            "kind_title": "measure",
            "id": "M-Treff",
            "title": "Treffpunkt am Markt",
        }
    ]
    assert report["totals"] == {
        "contributions": 2,
        "adopted": 1,
        "partly_adopted": 0,
        "not_adopted": 1,
        "open": 0,
        "told": 2,
    }


# --------------------------------------------------------------------------- the workflow file


def test_an_undeclared_target_group_in_the_workflow_is_positioned() -> None:
    text = TEXT.replace(
        "target_groups: [kinder, jugendliche, aeltere]", "target_groups: [kinder, jugendlich]"
    )
    with pytest.raises(WorkflowError) as info:
        workflow_from_string(text, "w.yaml")
    (issue,) = info.value.issues
    assert (issue.line, issue.path, issue.code) == (
        17,
        "events.zukunftswerkstatt.target_groups[1]",
        "unknown-reference",
    )
    assert issue.hint("de") == "Meinten Sie 'jugendliche'?"
    assert issue.message("en") == "unknown target group 'jugendlich'"


def test_target_groups_and_participation_gates_need_format_v2() -> None:
    text = TEXT.replace("sozialraumprozess/v2", "sozialraumprozess/v1")
    with pytest.raises(WorkflowError) as info:
        workflow_from_string(text, "w.yaml")
    paths = {issue.path for issue in info.value.issues}
    assert {"target_groups", "phases[0].exit[0].contributions_weighed"} <= paths
