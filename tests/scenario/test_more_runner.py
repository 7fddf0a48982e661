"""Scenario steps that fail each kind of expectation: the step's line and the difference,
in both languages; and a start given as a moment with a time zone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sozialraumprozess.errors import Issue, ScenarioError
from sozialraumprozess.scenario import run_scenario

HEAD = """\
scenario: sozialraumprozess-scenario/v1
workflow: generationengerechte-sozialraumentwicklung
sozialraum: {name: Testviertel}
start: {by: kommune, date: "2025-02-03"}
steps:
"""


def failing_step(path: Path) -> Issue:
    """The one issue of the failing step of the scenario at ``path``."""
    with pytest.raises(ScenarioError) as info:
        run_scenario(path)
    (issue,) = info.value.issues
    return issue


def test_cycle_and_can_advance_differences(write_yaml: Callable[..., Path]) -> None:
    text = HEAD + "  - expect: {phase: identifizieren, cycle: 2, can_advance: true}\n"
    issue = failing_step(write_yaml(text, "s.yaml"))
    assert (issue.line, issue.path) == (6, "steps[0]")
    assert issue.message("en") == (
        "step 1 (expect): cycle is 1, expected 2; can_advance is False, expected True"
    )
    assert issue.message("de") == (
        "Schritt 1 (expect): Zyklus ist 1, erwartet 2; can_advance ist False, erwartet True"
    )


def test_a_blocker_list_that_differs_and_a_missing_blocker(
    write_yaml: Callable[..., Path],
) -> None:
    text = HEAD + "  - expect: {blockers: [nur dieser], blockers_include: [gibt es nicht]}\n"
    issue = failing_step(write_yaml(text, "s.yaml"))
    english = issue.message("en")
    assert english.startswith("step 1 (expect): blockers are [")
    assert ", expected ['nur dieser']; blocker 'gibt es nicht' missing from [" in english
    assert "; Blocker 'gibt es nicht' fehlt unter [" in issue.message("de")


def test_an_expected_error_without_the_expected_words(write_yaml: Callable[..., Path]) -> None:
    text = HEAD + (
        "  - advance:\n    by: kommune\n"
        "    error: {type: TransitionBlocked, contains: Mondlandung}\n"
    )
    issue = failing_step(write_yaml(text, "s.yaml"))
    assert issue.line == 6
    assert issue.message("en").startswith(
        "step 1 (advance (kommune)): error message lacks 'Mondlandung': "
        "Phase 'identifizieren' kann nicht"
    )
    assert issue.message("de").startswith(
        "Schritt 1 (advance (kommune)): Fehlermeldung enthält nicht 'Mondlandung': "
    )


def test_wrong_arguments_of_a_command(write_yaml: Callable[..., Path]) -> None:
    text = HEAD + "  - submit: auftrag\n    by: kommune\n    daten: {}\n"
    issue = failing_step(write_yaml(text, "s.yaml"))
    assert issue.line == 6
    assert issue.message("en").startswith(
        "step 1 (submit auftrag (kommune)): wrong arguments for 'submit': "
    )
    assert "daten" in issue.message("en")
    assert issue.message("de").startswith("Schritt 1 (submit auftrag (kommune)): falsche Angaben")


def test_a_start_with_time_zone_keeps_its_moment(write_yaml: Callable[..., Path]) -> None:
    text = HEAD.replace('"2025-02-03"', '"2025-02-03T10:30:00+01:00"') + (
        "  - expect: {phase: identifizieren}\n"
    )
    run = run_scenario(write_yaml(text, "s.yaml"))
    assert run.process.log[0].time.isoformat() == "2025-02-03T09:30:00+00:00"
