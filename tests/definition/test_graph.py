"""Graph checks: every phase reachable, and none a dead end."""

from __future__ import annotations

from collections.abc import Callable

from sozialraumprozess.errors import Issue
from sozialraumprozess.testing import workflow_from_string

HEAD = """\
format: sozialraumprozess/v1
id: graph
version: "1"
title: Graph
roles:
  r: {title: R}
phases:
"""


def phases(*lines: str) -> str:
    """Phases given as ids (``"a"``) or as flow mappings (``"{id: a, …}"``)."""
    items = [
        line if line.startswith("{") else f"{{id: {line}, title: T, responsible: r}}"
        for line in lines
    ]
    return HEAD + "".join(f"  - {item}\n" for item in items)


def test_linear_and_cyclic_workflows_are_fine() -> None:
    """a → b → c (final) and a → b → c → b (cycle) are both valid."""
    workflow_from_string(phases("a", "b", "c"))
    cyclic = workflow_from_string(
        phases(
            "{id: a, title: T, responsible: r}",
            "{id: b, title: T, responsible: r}",
            "{id: c, title: T, responsible: r, next: b}",
        )
    )
    assert cyclic.is_cyclic


def test_unreachable_phase(issues: Callable[..., list[Issue]]) -> None:
    """a jumps over b with next: c, so b can never be entered."""
    text = phases(
        "{id: a, title: T, responsible: r, next: c}",
        "{id: b, title: T, responsible: r}",
        "{id: c, title: T, responsible: r}",
    )
    found = issues(text)
    assert [(i.code, i.path, i.line, i.column) for i in found] == [
        ("unreachable-phase", "phases[1].id", 9, 10)
    ]
    assert found[0].message("de") == "Phase 'b' ist von der ersten Phase aus nicht erreichbar"


def test_a_transition_makes_a_phase_reachable() -> None:
    """A transition into b counts as a way in."""
    text = (
        phases(
            "{id: a, title: T, responsible: r, next: c}",
            "{id: b, title: T, responsible: r}",
            "{id: c, title: T, responsible: r}",
        )
        + "transitions:\n  - {id: zurueck, from: c, to: b, allowed: [r]}\n"
    )
    workflow_from_string(text)


def test_dead_end_loop(issues: Callable[..., list[Issue]]) -> None:
    """b and c send each other back and forth and never reach the last phase d."""
    text = phases(
        "{id: a, title: T, responsible: r}",
        "{id: b, title: T, responsible: r}",
        "{id: c, title: T, responsible: r, next: b}",
        "{id: d, title: T, responsible: r}",
    )
    found = issues(text)
    assert [(i.code, i.path) for i in found] == [
        ("dead-end-phase", "phases[0].id"),
        ("dead-end-phase", "phases[1].id"),
        ("dead-end-phase", "phases[2].id"),
        ("unreachable-phase", "phases[3].id"),
    ]
    assert found[1].message("de") == (
        "Von Phase 'b' führt kein Weg zur letzten Phase 'd' "
        "(weder Abschluss noch neuer Zyklus möglich)"
    )
    assert found[1].message("en") == (
        "no way leads from phase 'b' to the last phase 'd' "
        "(neither an end nor a new cycle is reachable)"
    )


def test_an_exit_transition_rescues_the_loop() -> None:
    """A transition from the loop to d gives b and c a way out."""
    text = (
        phases(
            "{id: a, title: T, responsible: r}",
            "{id: b, title: T, responsible: r}",
            "{id: c, title: T, responsible: r, next: b}",
            "{id: d, title: T, responsible: r}",
        )
        + "transitions:\n  - {id: weiter, from: c, to: d, allowed: [r]}\n"
    )
    workflow_from_string(text)


def test_self_transition(issues: Callable[..., list[Issue]]) -> None:
    """A transition into its own phase is reported."""
    text = phases("a", "b") + "transitions:\n  - {id: x, from: a, to: a, allowed: [r]}\n"
    found = issues(text)
    assert [(i.code, i.path) for i in found] == [("self-transition", "transitions[0].to")]
