"""A gate kind is one unit plus a registration: a toy kind, defined and registered here
without touching ``src``, is validated, evaluated and described like the built-in ones.

Also: the built-in kinds are registered in schema order and the registry guards
its names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sozialraumprozess.definition import kinds
from sozialraumprozess.definition.describe import describe_criterion
from sozialraumprozess.definition.issues import PathKey
from sozialraumprozess.definition.kinds import (
    Blocker,
    Gate,
    GateEnv,
    GateKind,
    LoadContext,
    StateView,
)
from sozialraumprozess.definition.model import Criterion, Label, Workflow
from sozialraumprozess.definition.schema import generate_schema, load_schema
from sozialraumprozess.documents.context import criterion_text
from sozialraumprozess.i18n import Message, msg
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.testing import workflow_from_string

from .conftest import MINI, issues_of, variant

# --------------------------------------------------------------------------- the toy kind


class VisitedKind(GateKind):
    """``- visited: <phase>``: the phase was entered during the current cycle."""

    name = "visited"
    doc = "The phase (id) was entered during the current cycle."
    codes = ("not-visited",)

    def check(
        self,
        ctx: LoadContext,
        criterion: dict[str, Any],
        path: list[PathKey],
        cpath: list[PathKey],
    ) -> None:
        ctx.ref("phase", criterion[self.name], path)

    def compile(self, criterion: Criterion, responsible: str, env: GateEnv) -> Gate:
        phase = env.workflow.phase(criterion.target)
        text = msg(
            "gate.label",
            label=Label(
                de=f"Phase '{phase.title.get('de')}' noch nicht besucht",
                en=f"Phase '{phase.title.get('en')}' not visited yet",
            ),
        )
        blocker = Blocker(self.name, criterion, responsible, "not-visited", text)

        def gate(state: StateView, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            if phase.id not in state.cycle_phases:
                out.append(blocker)

        return gate

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        title = workflow.phase(criterion.target).title
        return msg(
            "gate.label",
            label=Label(de=f"Phase besucht: {title.get('de')}", en=f"Phase visited: {title}"),
        )


@pytest.fixture
def visited() -> Iterator[VisitedKind]:
    kind = kinds.register(VisitedKind())
    yield kind
    kinds.unregister(kind.name)


WITH_VISITED = variant(
    "    artifacts: [zielkatalog]\n",
    "    artifacts: [zielkatalog]\n    exit:\n      - visited: ziele\n",
)


# --------------------------------------------------------------------------- tests


def test_unregistered_kind_is_unknown_to_the_schema() -> None:
    assert [i.code for i in issues_of(WITH_VISITED)] == ["unknown-key"]


def test_a_registered_kind_is_validated(visited: VisitedKind) -> None:
    workflow = workflow_from_string(WITH_VISITED, "w.yaml")
    assert workflow.phases[0].exit == (Criterion("visited", "ziele"),)
    assert "visited" in load_schema()["definitions"]["criterion"]["properties"]
    # Its own load-time check: a reference to an unknown phase, with a hint.
    (issue,) = issues_of(variant("visited: ziele", "visited: zeile", WITH_VISITED))
    assert (issue.code, issue.path, issue.line) == (
        "unknown-reference",
        "phases[0].exit[0].visited",
        31,
    )
    assert issue.hint_en == "Did you mean 'ziele'?"
    # Its schema part: the value must be a text.
    (issue,) = issues_of(variant("visited: ziele", "visited: 3", WITH_VISITED))
    assert (issue.code, issue.path) == ("wrong-type", "phases[0].exit[0].visited")
    # The common rules of criteria know it: one kind per criterion.
    (issue,) = issues_of(
        variant("- visited: ziele", "- {visited: ziele, decision: zielbeschluss}", WITH_VISITED)
    )
    assert issue.code == "several-kinds"
    assert issue.message_en.endswith("found: decision, visited")


def test_a_registered_kind_is_evaluated(visited: VisitedKind) -> None:
    workflow = workflow_from_string(WITH_VISITED, "w.yaml")
    process = Process.start(workflow, sozialraum="Nord", by="kommune")
    (blocker,) = process.blockers()
    assert (blocker.kind, blocker.code, blocker.role, blocker.target) == (
        "visited",
        "not-visited",
        "kommune",
        "ziele",
    )
    assert blocker.message("de") == "Phase 'Ziele' noch nicht besucht"
    assert blocker.message("en") == "Phase 'Ziele' not visited yet"
    assert not process.can_advance()


def test_a_registered_kind_is_described(visited: VisitedKind) -> None:
    workflow = workflow_from_string(WITH_VISITED, "w.yaml")
    criterion = workflow.phases[0].exit[0]
    assert describe_criterion(workflow, criterion, "de") == "Phase besucht: Ziele"
    assert describe_criterion(workflow, criterion, "en") == "Phase visited: Ziele"
    assert criterion_text(criterion, workflow, "de") == "Phase besucht: Ziele"
    properties = generate_schema()["definitions"]["criterion"]["properties"]
    assert properties["visited"]["description"] == VisitedKind.doc
    assert generate_schema()["definitions"]["criterion"]["description"] == (
        "Exactly one of `artifact`, `approval`, `event`, `decision`, `check`, `items`, "
        "`all_items`, `items_per_entry`, `wait`, `goals_have_measures`, "
        "`measures_serve_goals`, `findings_addressed`, `indicator_snapshot`, "
        "`contributions_weighed`, `feedback_given` or `visited`."
    )


def test_the_registry() -> None:
    assert [k.name for k in kinds.gate_kinds()] == [
        "artifact",
        "approval",
        "event",
        "decision",
        "check",
        "items",
        "all_items",
        "items_per_entry",
        "wait",
        "goals_have_measures",
        "measures_serve_goals",
        "findings_addressed",
        "indicator_snapshot",
        "contributions_weighed",
        "feedback_given",
    ]
    with pytest.raises(ValueError, match="registered already"):
        kinds.register(kinds.gate_kind("event"))
    with pytest.raises(ValueError, match="built in"):
        kinds.unregister("check")
    with pytest.raises(KeyError):
        kinds.gate_kind("visited")
    assert load_schema() is load_schema()  # the shipped copy, read once


def test_describe_refuses_unknown_languages(workflow_mini: Workflow) -> None:
    with pytest.raises(ValueError, match="unknown language"):
        describe_criterion(workflow_mini, workflow_mini.phases[1].exit[0], "fr")


@pytest.fixture
def workflow_mini() -> Workflow:
    return workflow_from_string(MINI, "w.yaml")


def test_blockers_carry_catalog_messages(workflow_mini: Workflow) -> None:
    process = Process.start(workflow_mini, sozialraum="Nord", by="kommune")
    process.submit("zielkatalog", {"ziele": []}, by="vg")
    process.advance(by="kommune")
    first = process.blockers()[0]
    assert (first.code, first.msg.code, first.path) == ("incomplete", "gate.incomplete", "ziele")
    assert (
        first.message_de
        == "Artefakt 'Zielkatalog': 'ziele' braucht mindestens 1 Einträge (0 vorhanden)"
    )
    assert (
        first.message_en
        == first.message("en")
        == ("Artifact 'Zielkatalog': 'ziele' needs at least 1 items (0 given)")
    )
    assert first.to_dict("en")["message"] == first.message_en
    with pytest.raises(ValueError, match="unknown language"):
        first.message("fr")


def test_items_per_entry_names_the_list_by_its_title() -> None:
    """The list whose entries need an item is named by its field's title, not its id."""
    from sozialraumprozess.definition.loader import load_workflow

    workflow = load_workflow("qualitaetsreflexion-soziale-treffpunkte")
    criterion = next(c for p in workflow.phases for c in p.exit if c.kind == "items_per_entry")
    artifact, name, *_ = str(criterion.option("entries")).split(".")
    field = next(f for f in workflow.artifact(artifact).fields if f.name == name)
    assert field.title is not None
    for lang in ("de", "en"):
        text = describe_criterion(workflow, criterion, lang)  # type: ignore[arg-type]
        assert text.split("›")[1].split(",")[0].strip() == field.title.get(lang), text
    assert describe_criterion(workflow, criterion, "de").startswith(
        "Ein Eintrag 'Visitationsbericht' je Eintrag in 'Konzept der Qualitätsreflexion' "
        "› Visitationsplan, im Zustand"
    )
