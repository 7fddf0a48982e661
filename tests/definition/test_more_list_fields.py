"""List fields at their edges: too many items and empty items are refused (nothing
stored), lists of lists are checked item by item by the gate, and lists are formatted."""

from __future__ import annotations

import pytest

from sozialraumprozess.definition.fields import field_type, format_value
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.errors import InvalidData
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.testing import workflow_from_string

from .conftest import variant

LISTS = variant(
    "      ziele: {type: list, min_items: 1, items: {type: text}}\n",
    "      ziele: {type: list, min_items: 1, max_items: 2, items: {type: text}}\n"
    "      gruppen: {type: list, items: {type: list, min_items: 2, items: {type: text}}}\n",
)


@pytest.fixture
def process() -> Process:
    """A process of the mini workflow with list fields, in the phase of the list artifact."""
    return Process.start(workflow_from_string(LISTS, "w.yaml"), sozialraum="Nord", by="kommune")


def test_too_many_items_and_an_empty_item_are_refused(process: Process) -> None:
    before = tuple(process.log)
    with pytest.raises(InvalidData) as info:
        process.submit("zielkatalog", {"ziele": ["a", "b", "c", None]}, by="vg")
    assert [(p.path, p.code, p.message("de"), p.message("en")) for p in info.value.problems] == [
        (
            "ziele",
            "max-items",
            "ziele: höchstens 2 Einträge erlaubt (4 angegeben)",
            "ziele: at most 2 items allowed (4 given)",
        ),
        (
            "ziele[3]",
            "type",
            "ziele[3]: Text erwartet, erhalten: null",
            "ziele[3]: expected text, got null",
        ),
    ]
    assert process.log == before
    assert process.versions("zielkatalog") == ()


def test_exactly_max_items_is_accepted(process: Process) -> None:
    version = process.submit("zielkatalog", {"ziele": ["a", "b"]}, by="vg")
    assert version.version == 1


def incomplete(process: Process) -> list[tuple[str, str]]:
    """The gaps the exit gate of the next phase reports."""
    if process.phase == "analysieren":
        process.advance(by="kommune")
    return [
        (b.message("de"), b.message("en")) for b in process.blockers() if b.code == "incomplete"
    ]


def test_a_short_inner_list_is_a_gap_at_its_index(process: Process) -> None:
    process.submit("zielkatalog", {"ziele": ["a"], "gruppen": [["x", "y"], ["z"]]}, by="vg")
    assert incomplete(process) == [
        (
            "Artefakt 'Zielkatalog': 'gruppen[1]' braucht mindestens 2 Einträge (1 vorhanden)",
            "Artifact 'Zielkatalog': 'gruppen[1]' needs at least 2 items (1 given)",
        )
    ]


def test_complete_inner_lists_leave_no_gap(process: Process) -> None:
    process.submit("zielkatalog", {"ziele": ["a"], "gruppen": [["x", "y"], ["z", "w"]]}, by="vg")
    assert incomplete(process) == []


def test_an_empty_outer_list_leaves_no_gap(process: Process) -> None:
    process.submit("zielkatalog", {"ziele": ["a"], "gruppen": []}, by="vg")
    assert incomplete(process) == []  # no inner list, nothing too short


def test_a_list_without_item_type_is_joined_as_text() -> None:
    assert field_type("list").format(["a", 1, 2.5], "de", None) == "a, 1, 2.5"
    assert field_type("list").format(None, "en", None) == "–"
    assert field_type("list").format("kein Liste", "de", None) == "kein Liste"


def test_a_list_of_lists_is_formatted_by_the_inner_item_type() -> None:
    spec = FieldSpec("list", "x", items=FieldSpec("list", items=FieldSpec("integer")))
    assert format_value(spec, [[1000, 2]], "en") == "1,000, 2"
    assert format_value(spec, [[1000, 2]], "de") == "1.000, 2"
