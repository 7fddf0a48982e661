"""Semantic mistakes in a workflow, each at its line and column, in both languages:
an entry listed twice, bounds the wrong way round or not finite, a criterion option
of another kind, transitions with the same id."""

from __future__ import annotations

from sozialraumprozess.errors import Issue
from sozialraumprozess.testing import workflow_from_string

from .conftest import MINI, issues_of, variant


def described(found: list[Issue]) -> list[tuple[int | None, int | None, str, str, str, str]]:
    return [(i.line, i.column, i.path, i.code, i.message("en"), i.message("de")) for i in found]


def test_an_artifact_listed_twice_in_a_phase() -> None:
    text = variant("    artifacts: [zielkatalog]\n", "    artifacts: [zielkatalog, zielkatalog]\n")
    assert described(issues_of(text)) == [
        (
            29,
            30,
            "phases[0].artifacts[1]",
            "duplicate-entry",
            "'zielkatalog' appears twice in the list",
            "'zielkatalog' steht doppelt in der Liste",
        )
    ]


def test_bounds_the_wrong_way_round_and_an_infinite_bound() -> None:
    text = variant(
        "      ziele: {type: list, min_items: 1, items: {type: text}}\n",
        "      ziele: {type: list, min_items: 3, max_items: 2, items: {type: text}}\n"
        "      betrag: {type: number, min: 5, max: 1.5}\n"
        "      zahl: {type: integer, max: .inf}\n",
    )
    assert described(issues_of(text)) == [
        (
            20,
            38,
            "artifacts.zielkatalog.fields.ziele.min_items",
            "min-above-max",
            "min_items (3) is greater than max_items (2)",
            "min_items (3) ist größer als max_items (2)",
        ),
        (
            21,
            35,
            "artifacts.zielkatalog.fields.betrag.min",
            "min-above-max",
            "min (5) is greater than max (1.5)",
            "min (5) ist größer als max (1.5)",
        ),
        (
            22,
            34,
            "artifacts.zielkatalog.fields.zahl.max",
            "not-finite",
            "'max' must be a finite number",
            "'max' muss eine endliche Zahl sein",
        ),
    ]


def test_equal_bounds_are_fine() -> None:
    text = variant(
        "      ziele: {type: list, min_items: 1, items: {type: text}}\n",
        "      ziele: {type: list, min_items: 2, max_items: 2, items: {type: text}}\n"
        "      betrag: {type: number, min: 1.5, max: 1.5}\n",
    )
    fields = workflow_from_string(text, "w.yaml").artifact("zielkatalog").fields
    assert [(f.name, f.min_items, f.max_items, f.min, f.max) for f in fields] == [
        ("ziele", 2, 2, None, None),
        ("betrag", None, None, 1.5, 1.5),
    ]


def test_an_option_of_another_criterion_kind() -> None:
    text = variant(
        "      - artifact: zielkatalog\n", "      - artifact: zielkatalog\n        count: 2\n"
    )
    assert described(issues_of(text)) == [
        (
            36,
            9,
            "phases[1].exit[0].count",
            "key-not-for-kind",
            "'count' applies only to event criteria",
            "'count' gilt nur für event-Kriterien",
        )
    ]


def test_a_criterion_with_an_option_but_no_kind() -> None:
    (issue,) = issues_of(variant("      - artifact: zielkatalog\n", "      - count: 2\n"))
    assert (issue.line, issue.path, issue.code) == (35, "phases[1].exit[0]", "missing-kind")
    assert issue.hint("en") == (
        "Give one of artifact, approval, event, decision, check, items, all_items, "
        "items_per_entry, wait, goals_have_measures, measures_serve_goals, "
        "findings_addressed, indicator_snapshot, contributions_weighed or feedback_given."
    )


def test_two_transitions_with_the_same_id() -> None:
    text = MINI + (
        "transitions:\n"
        "  - {id: t, title: T, from: ziele, to: analysieren, allowed: [vg]}\n"
        "  - {id: t, title: U, from: analysieren, to: ziele, allowed: [vg]}\n"
    )
    assert described(issues_of(text)) == [
        (
            42,
            10,
            "transitions[1].id",
            "duplicate-id",
            "duplicate transition 't' (first transitions[0])",
            "Übergang 't' ist doppelt (zuerst transitions[0])",
        )
    ]


def test_a_transition_that_is_not_a_mapping_is_one_problem() -> None:
    (issue,) = issues_of(MINI + "transitions:\n  - 3\n")
    assert (issue.line, issue.column, issue.path, issue.code) == (
        41,
        5,
        "transitions[0]",
        "wrong-type",
    )
    assert issue.message("en") == "expected mapping (key: value), found integer 3"
