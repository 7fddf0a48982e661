"""The record field types of the steering chain (``findings``, ``goals``,
``deferred-findings``, ``evaluation``) on malformed values: each problem named with
its path, nothing raised; empty and malformed values shown as ``–``."""

from __future__ import annotations

from typing import Any

import pytest

from sozialraumprozess.definition.fields import (
    compile_gaps,
    field_type,
    format_value,
    validate_value,
)
from sozialraumprozess.definition.model import FieldSpec

LISTS = ("findings", "goals", "deferred-findings")


def _problems(kind: str, value: Any) -> list[tuple[str, str]]:
    spec = FieldSpec(kind, "x")
    return [(p.path, p.code) for p in validate_value(spec, value, "x")]


@pytest.mark.parametrize("kind", LISTS)
def test_a_list_type_wants_a_list_of_objects(kind: str) -> None:
    assert _problems(kind, "B1") == [("x", "type")]
    assert ("x[0]", "type") in _problems(kind, ["B1"])
    assert _problems(kind, []) == []


@pytest.mark.parametrize("kind", ["findings", "goals"])
@pytest.mark.parametrize("bad", ["", "  ", " B1", 7])
def test_ids_are_text_without_blanks_around(kind: str, bad: Any) -> None:
    found = _problems(kind, [{"id": bad}])
    assert ("x[0].id", "reference") in found or ("x[0].id", "type") in found


@pytest.mark.parametrize("kind", ["findings", "goals"])
def test_an_id_twice_is_named_at_the_second(kind: str) -> None:
    found = _problems(kind, [{"id": "A"}, {"id": "A"}])
    assert ("x[1].id", "duplicate") in found


def test_the_evaluation_wants_an_object() -> None:
    assert _problems("evaluation", ["fortsetzen"]) == [("x", "type")]
    assert ("x.decision", "choice") in _problems("evaluation", {"decision": "weiter"})


@pytest.mark.parametrize("kind", [*LISTS, "evaluation"])
def test_malformed_values_are_shown_empty_and_have_no_gaps(kind: str) -> None:
    spec = FieldSpec(kind, "x", required=True)
    for value in (None, [], "kaputt", 5):
        assert format_value(spec, value, "de") == "–"
    gaps = compile_gaps((spec,))
    assert gaps({"x": "kaputt"}) == []  # invalid data never reaches the gates; no crash
    assert [g.path for g in gaps({})] == ["x"]


def test_a_filled_record_list_is_shown_one_record_per_line() -> None:
    spec = FieldSpec("findings", "x")
    text = format_value(
        spec, [{"id": "B1", "text": "Keine Anlaufstelle", "priority": "A"}, "kaputt"], "de"
    )
    assert "B1" in text
    assert "Keine Anlaufstelle" in text
    assert "\n" not in text  # the malformed second entry is left out
    assert field_type("findings").expected().text("en")
