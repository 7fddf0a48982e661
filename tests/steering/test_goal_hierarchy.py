"""Findings, the goal hierarchy and the chain's gates, on a small format-v2 workflow.

The goal catalogue is checked when it is submitted (parents of the right level,
measurable targets, findings that exist); measures cite goals by id; the gates
``goals_have_measures``, ``measures_serve_goals`` and ``findings_addressed``
name the broken links in German and English.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import InvalidData, WorkflowError
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.testing import workflow_from_string

TEXT = """\
format: sozialraumprozess/v2
id: kette
version: "1"
title: Wirkungskette
roles:
  kommune: {title: Kommune}
  vg: {title: Verantwortungsgemeinschaft}
artifacts:
  analyse:
    title: Analysebericht
    owner: kommune
    fields:
      befunde: {type: findings, title: Befunde}
  ziele:
    title: Zielkatalog
    owner: vg
    fields:
      ziele: {type: goals, title: Ziele}
      zurueckgestellt: {type: deferred-findings, title: Zurückgestellte Befunde}
  massnahme:
    title: Maßnahme
    owner: kommune
    items:
      kind: measure
      states:
        geplant: {title: Geplant}
        begonnen: {title: Begonnen}
        umgesetzt: {title: Umgesetzt}
        evaluiert: {title: Evaluiert}
    fields:
      titel: {type: text, required: true}
      dient: {type: goal-refs}
      bewertung: {type: evaluation}
phases:
  - id: planen
    title: Planen
    responsible: kommune
    artifacts: [analyse, ziele, massnahme]
    exit:
      - findings_addressed: ziele
      - goals_have_measures: massnahme
      - measures_serve_goals: massnahme
  - id: ende
    title: Ende
    responsible: kommune
"""

FINDINGS = [
    {"id": "B1", "text": "Wenig Treffpunkte für Ältere", "priority": "A"},
    {"id": "B2", "text": "Kaum Beteiligung", "priority": "A"},
    {"id": "B3", "text": "Parkplätze", "priority": "C"},
]


def goals(**changes: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [
        {"id": "L1", "level": "leitziel", "title": "Partizipation", "priority": "A"},
        {
            "id": "W1",
            "level": "wirkungsziel",
            "title": "Tragende soziale Infrastruktur",
            "parent": "L1",
            "priority": "A",
            "findings": ["B1"],
        },
        {
            "id": "H1",
            "level": "handlungsziel",
            "title": "ZWAR-Netzwerk gründen",
            "parent": "W1",
            "priority": "A",
            "indicators": [{"indicator": "zwar", "base": 0, "target": 1, "date": "2030-12-31"}],
            "findings": ["B1"],
        },
    ]
    for index, change in changes.items():
        found[int(index[1:])].update(change)
    return found


@pytest.fixture(scope="module")
def workflow() -> Workflow:
    return workflow_from_string(TEXT)


def started(workflow: Workflow) -> Process:
    clock = FixedClock(datetime(2025, 3, 1, tzinfo=UTC), step=timedelta(hours=1))
    return Process.start(workflow, sozialraum="Nord", by="kommune", clock=clock)


def test_a_goal_without_a_parent_is_refused_with_position_and_nothing_changes(
    workflow: Workflow,
) -> None:
    process = started(workflow)
    process.submit("analyse", {"befunde": FINDINGS}, by="kommune")
    bad = goals(g2={"parent": None})
    with pytest.raises(InvalidData) as error:
        process.submit("ziele", {"ziele": bad}, by="vg")
    [problem] = error.value.problems
    assert (problem.path, problem.code) == ("ziele[2].parent", "no-parent")
    assert problem.message("de") == (
        "ziele[2].parent: Handlungsziel 'H1' braucht ein übergeordnetes Ziel der Ebene "
        "Wirkungsziel im Feld parent"
    )
    assert problem.message("en") == (
        "ziele[2].parent: operational goal 'H1' needs a parent goal of level impact goal "
        "in 'parent'"
    )
    assert process.state.latest("ziele") is None
    assert [e.type for e in process.log][-1] == "artifact_submitted"  # the analysis only


@pytest.mark.parametrize(
    ("change", "path", "code"),
    [
        ({"g2": {"parent": "W9"}}, "ziele[2].parent", "unknown-parent"),
        ({"g2": {"parent": "L1"}}, "ziele[2].parent", "parent-level"),
        ({"g0": {"parent": "W1"}}, "ziele[0].parent", "parent-not-allowed"),
        ({"g2": {"indicators": []}}, "ziele[2].indicators", "not-measurable"),
        (
            {"g2": {"indicators": [{"indicator": "zwar", "target": 1}]}},
            "ziele[2].indicators[0]",
            "not-measurable",
        ),
        ({"g1": {"level": "mittelziel"}}, "ziele[1].level", "choice"),
        ({"g1": {"id": "L1"}}, "ziele[1].id", "duplicate"),
        ({"g1": {"findings": ["B9"]}}, "ziele[1].findings[0]", "unknown-reference"),
    ],
)
def test_hierarchy_and_targets_are_checked_at_submit(
    workflow: Workflow, change: dict[str, Any], path: str, code: str
) -> None:
    process = started(workflow)
    process.submit("analyse", {"befunde": FINDINGS}, by="kommune")
    with pytest.raises(InvalidData) as error:
        process.submit("ziele", {"ziele": goals(**change)}, by="vg")
    assert [(p.path, p.code) for p in error.value.problems] == [(path, code)]
    assert all(p.message("en") and p.message("de") for p in error.value.problems)
    assert process.state.latest("ziele") is None


def test_unknown_parent_names_the_goals_of_the_right_level(workflow: Workflow) -> None:
    process = started(workflow)
    with pytest.raises(InvalidData) as error:
        process.submit("ziele", {"ziele": goals(g2={"parent": "W1x"})}, by="vg")
    assert error.value.problems[0].message("en") == (
        "ziele[2].parent: parent 'W1x' of 'H1' does not exist "
        "(possible goals of level impact goal: W1). Did you mean 'W1'?"
    )


def test_a_measure_citing_an_unknown_goal_is_refused_and_nothing_changes(
    workflow: Workflow,
) -> None:
    process = started(workflow)
    process.submit("ziele", {"ziele": goals(g1={"findings": []}, g2={"findings": []})}, by="vg")
    with pytest.raises(InvalidData) as error:
        process.create_item(
            "massnahme", key="ZWAR", data={"titel": "ZWAR-Gruppe", "dient": ["H2"]}, by="kommune"
        )
    [problem] = error.value.problems
    assert (problem.path, problem.code) == ("dient[0]", "unknown-reference")
    assert problem.message("de") == (
        "dient[0]: Ziel 'H2' gibt es nicht (bekannt: L1, W1, H1). Meinten Sie 'H1'?"
    )
    assert problem.message("en") == (
        "dient[0]: there is no goal 'H2' (known: L1, W1, H1). Did you mean 'H1'?"
    )
    assert process.state.items("massnahme") == []


def blockers(process: Process, lang: str = "de") -> dict[str, str]:
    return {b.code: b.message(lang) for b in process.blockers()}  # type: ignore[arg-type]


def test_the_chain_gates_name_the_broken_links(workflow: Workflow) -> None:
    process = started(workflow)
    process.submit("analyse", {"befunde": FINDINGS}, by="kommune")
    process.submit("ziele", {"ziele": goals()}, by="vg")
    found = blockers(process)
    assert found["finding-not-addressed"] == (
        "Befunde der Priorität A, die kein Ziel in 'Zielkatalog' aufgreift und die nicht "
        "begründet zurückgestellt sind (1): B2 „Kaum Beteiligung“"
    )
    assert found["goal-without-measure"] == (
        "Handlungsziele ohne Maßnahme in 'Maßnahme' (1): H1 „ZWAR-Netzwerk gründen“"
    )
    assert blockers(process, "en")["goal-without-measure"] == (
        "operational goals without a measure in 'Maßnahme' (1): H1 „ZWAR-Netzwerk gründen“"
    )
    process.create_item("massnahme", key="Lotsen", data={"titel": "Lotsen"}, by="kommune")
    process.create_item(
        "massnahme", key="ZWAR", data={"titel": "ZWAR-Gruppe", "dient": ["H1"]}, by="kommune"
    )
    found = blockers(process)
    assert "goal-without-measure" not in found
    assert found["measure-without-goal"] == (
        "Maßnahmen in 'Maßnahme', die kein Ziel nennen (1): Lotsen"
    )
    # deferring B2 with a reason, and the measure citing W1: every link holds
    process.submit(
        "ziele",
        {
            "ziele": goals(),
            "zurueckgestellt": [{"finding": "B2", "reason": "Erst im zweiten Zyklus"}],
        },
        by="vg",
    )
    process.change_item(
        "massnahme", key="Lotsen", data={"titel": "Lotsen", "dient": ["W1"]}, by="kommune"
    )
    assert blockers(process) == {}
    # a newer catalogue without W1 is refused while H1 names it; with W2 instead, the
    # measure citing W1 is a broken link
    with pytest.raises(InvalidData):
        process.submit("ziele", {"ziele": [goals()[0], goals()[2]]}, by="vg")
    process.submit(
        "ziele",
        {
            "ziele": [goals()[0], {**goals()[1], "id": "W2"}, {**goals()[2], "parent": "W2"}],
            "zurueckgestellt": [{"finding": "B2", "reason": "Erst im zweiten Zyklus"}],
        },
        by="vg",
    )
    assert blockers(process) == {
        "measure-unknown-goal": "Maßnahmen nennen Ziele, die der Zielkatalog nicht (mehr) "
        "enthält (1): Lotsen → W1",
    }


def test_a_stopped_measure_no_longer_serves_its_goal(workflow: Workflow) -> None:
    process = started(workflow)
    process.submit("ziele", {"ziele": goals(g1={"findings": []}, g2={"findings": []})}, by="vg")
    process.create_item(
        "massnahme", key="ZWAR", data={"titel": "ZWAR", "dient": ["H1"]}, by="kommune"
    )
    assert "goal-without-measure" not in blockers(process)
    evaluation = {"decision": "beenden", "reasons": "Kein Bedarf"}
    process.change_item(
        "massnahme",
        key="ZWAR",
        data={"titel": "ZWAR", "dient": ["H1"], "bewertung": evaluation},
        by="kommune",
    )
    assert "goal-without-measure" in blockers(process)


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("goals_have_measures: massnahme", "goals_have_measures: ziele", "not-a-measure-artifact"),
        ("measures_serve_goals: massnahme", "measures_serve_goals: massnahm", "unknown-reference"),
        ("findings_addressed: ziele", "findings_addressed: analyse", "no-goals-field"),
        ("      dient: {type: goal-refs}\n", "", "no-goal-refs"),
    ],
)
def test_chain_criteria_are_checked_at_load_time(old: str, new: str, code: str) -> None:
    with pytest.raises(WorkflowError) as error:
        workflow_from_string(TEXT.replace(old, new))
    assert code in [i.code for i in error.value.issues]


def test_indicator_ids_are_checked_once_the_workflow_declares_indicators(
    workflow: Workflow,
) -> None:
    """Goals and evaluations refer to indicators through the seam's kind ``indicator``.

    The kind belongs to the indicator set (``indicators:`` at the top of a workflow);
    here a stand-in declares ``zwar`` for this workflow. Without a declaration the
    ids are not checked.
    """
    from sozialraumprozess.definition import fields
    from sozialraumprozess.definition.fields import ReferenceKind
    from sozialraumprozess.i18n import msg

    process = started(workflow)
    process.submit("analyse", {"befunde": FINDINGS}, by="kommune")
    unknown = goals(g2={"indicators": [{"indicator": "zwr", "target": 1, "date": "2030-01-01"}]})
    process.submit("ziele", {"ziele": unknown}, by="vg")  # not declared: not checked
    from sozialraumprozess.definition.fields.reference import reference_kind

    real = reference_kind("indicator")  # the indicator set's kind, swapped for the stand-in
    fields.unregister_kind("indicator")
    fields.register_kind(
        ReferenceKind("indicator", msg("chain.key-indicator"), declared=lambda wf: ("zwar",))
    )
    try:
        with pytest.raises(InvalidData) as error:
            process.submit("ziele", {"ziele": unknown}, by="vg")
        [problem] = error.value.problems
        assert (problem.path, problem.code) == (
            "ziele[2].indicators[0].indicator",
            "unknown-reference",
        )
        assert "Meinten Sie 'zwar'?" in problem.message("de")
        assert process.state.version_count("ziele") == 1
    finally:
        fields.unregister_kind("indicator")
        fields.register_kind(real)
