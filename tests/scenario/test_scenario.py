"""Scenario files: bundled ones run end to end; broken ones are explained at their line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sozialraumprozess import UnknownNameError, load_workflow
from sozialraumprozess.definition.loader import bundled_workflows
from sozialraumprozess.errors import (
    IssueReport,
    ScenarioError,
    SozialraumprozessError,
    WorkflowError,
)
from sozialraumprozess.scenario import bundled_scenarios, load_scenario, run_scenario
from sozialraumprozess.scenario.sample import CYCLE_TWO_STEPS, run_sample

SIX = "generationengerechte-sozialraumentwicklung"

HEAD = """\
scenario: sozialraumprozess-scenario/v1
workflow: generationengerechte-sozialraumentwicklung
sozialraum: {name: Testviertel}
start: {by: kommune, date: "2025-02-03"}
steps:
"""


def failure(path: Path) -> tuple[int | None, str, str]:
    with pytest.raises(ScenarioError) as info:
        run_scenario(path)
    assert len(info.value.issues) == 1, str(info.value)
    issue = info.value.issues[0]
    return issue.line, issue.path, issue.message("de")


def test_every_bundled_workflow_has_a_scenario() -> None:
    """Each bundled workflow ships with a scenario of the same name."""
    assert set(bundled_scenarios()) == set(bundled_workflows())


@pytest.mark.parametrize("name", bundled_scenarios())
def test_bundled_scenarios_run_end_to_end(name: str) -> None:
    """Every step of every bundled scenario does what it says."""
    run = run_scenario(name)
    assert run.results
    assert all(result.ok for result in run.results)
    assert run.process.workflow.id == run.scenario.workflow


def test_six_phase_scenario_is_the_runtime_sample() -> None:
    """The scenario file and the runtime's sample produce the same event log."""
    run = run_scenario(SIX)
    sample = run_sample(load_workflow(SIX))
    for step in CYCLE_TWO_STEPS:
        step.run(sample)
    assert run.process.log == sample.log
    assert (run.process.phase, run.process.cycle) == ("analysieren", 2)


def test_unknown_bundled_scenario_hint() -> None:
    """A misspelt scenario name suggests the right one."""
    with pytest.raises(UnknownNameError) as info:
        load_scenario("generationengerechte-sozialraumentwiklung")
    assert info.value.suggestion == SIX


class TestFailures:
    def test_unexpected_error_at_its_line(self, write_yaml: Callable[..., Path]) -> None:
        """A command that is refused fails the scenario at the step's line, with the reason."""
        path = write_yaml(
            HEAD + "  - submit: zielkatalog\n    by: kommune\n    data: {}\n", "s.yaml"
        )
        line, where, message = failure(path)
        assert (line, where) == (6, "steps[0]")
        assert message.startswith("Schritt 1 (submit zielkatalog (kommune)): unerwarteter Fehler ")

    def test_expected_error_that_does_not_come(self, write_yaml: Callable[..., Path]) -> None:
        """``error:`` on a step that succeeds is a failure."""
        text = HEAD + (
            "  - set_participant: Anna Berger\n    by: kommune\n"
            "    roles: [sozialraumkoordination]\n    error: PermissionDenied\n"
        )
        line, _, message = failure(write_yaml(text, "s.yaml"))
        assert line == 6
        assert message == (
            "Schritt 1 (set_participant Anna Berger (kommune)): "
            "erwartet PermissionDenied, aber der Befehl wurde ausgeführt"
        )

    def test_wrong_error_type(self, write_yaml: Callable[..., Path]) -> None:
        """The expected error class must match."""
        text = HEAD + "  - advance:\n    by: kommune\n    error: PermissionDenied\n"
        _, _, message = failure(write_yaml(text, "s.yaml"))
        assert message.startswith(
            "Schritt 1 (advance (kommune)): erwartet PermissionDenied, bekommen TransitionBlocked: "
        )

    def test_permission_denied_is_a_usable_expectation(
        self, write_yaml: Callable[..., Path]
    ) -> None:
        """A scenario can assert that a role may not act."""
        text = (
            HEAD
            + "  - advance:\n    by: rat\n    error: {type: PermissionDenied, contains: kommune}\n"
        )
        run = run_scenario(write_yaml(text, "s.yaml"))
        assert len(run.results) == 1

    def test_unmet_expectation(self, write_yaml: Callable[..., Path]) -> None:
        """``expect`` compares phase, cycle and blockers and names the difference."""
        text = HEAD + "  - expect: {phase: analysieren, blockers: 2}\n"
        line, _, message = failure(write_yaml(text, "s.yaml"))
        assert line == 6
        assert message.startswith(
            "Schritt 1 (expect): Phase ist 'identifizieren', erwartet 'analysieren'; "
            "6 Blocker statt 2"
        )


class TestFileErrors:
    def test_unknown_command_with_hint(self, write_yaml: Callable[..., Path]) -> None:
        """A misspelt command is reported at its key with the closest command."""
        path = write_yaml(HEAD + "  - submitt: auftrag\n    by: kommune\n", "s.yaml")
        with pytest.raises(ScenarioError) as info:
            load_scenario(path)
        issue = info.value.issues[0]
        assert (issue.line, issue.column, issue.path) == (6, 5, "steps[0].submitt")
        assert issue.message("de") == "Unbekannter Befehl 'submitt'"
        assert issue.hint("de") == "Meinten Sie 'submit'?"

    def test_missing_by_and_wrong_format(self, write_yaml: Callable[..., Path]) -> None:
        """All problems of the file at once: format, missing 'by'."""
        text = HEAD.replace("scenario/v1", "scenario/v9") + "  - advance:\n"
        with pytest.raises(ScenarioError) as info:
            load_scenario(write_yaml(text, "s.yaml"))
        assert [(i.line, i.code) for i in info.value.issues] == [
            (1, "unknown-format"),
            (6, "missing-key"),
        ]
        assert info.value.issues[1].message("de") == (
            "Pflichtangabe 'by' fehlt (wer handelt: Rolle oder Name)"
        )

    def test_subject_required(self, write_yaml: Callable[..., Path]) -> None:
        """Commands with a subject need it."""
        with pytest.raises(ScenarioError) as info:
            load_scenario(write_yaml(HEAD + "  - submit:\n    by: kommune\n", "s.yaml"))
        assert info.value.issues[0].message("de") == (
            "'submit' braucht eine Kennung, z. B. 'submit: …'"
        )


class TestErrorKind:
    def test_a_scenario_error_is_not_a_workflow_error(
        self, write_yaml: Callable[..., Path]
    ) -> None:
        """Catching invalid workflows does not catch failing scenarios; IssueReport catches both."""
        assert not issubclass(ScenarioError, WorkflowError)
        assert ScenarioError.__bases__ == WorkflowError.__bases__ == (IssueReport,)
        assert IssueReport.__bases__ == (SozialraumprozessError,)
        path = write_yaml(HEAD + "  - submitt: auftrag\n    by: kommune\n", "s.yaml")
        with pytest.raises(IssueReport) as info:
            load_scenario(path)
        assert isinstance(info.value, ScenarioError)
        assert not isinstance(info.value, WorkflowError)
        assert info.value.message("en").startswith(f"{path}:6:5: steps[0].submitt: unknown command")

    def test_a_failing_step_in_english_with_plural_forms(
        self, write_yaml: Callable[..., Path]
    ) -> None:
        """The step's problems are worded in the language asked for, counted correctly."""
        text = HEAD + "  - expect: {blockers: 1, versions: {auftrag: 2}}\n"
        with pytest.raises(ScenarioError) as info:
            run_scenario(write_yaml(text, "s.yaml"), lang="en")
        issue = info.value.issues[0]
        assert issue.message("en").startswith("step 1 (expect): 6 blockers instead of 1: [")
        assert issue.message("en").endswith("; 'auftrag' has 0 versions, expected 2")
        assert issue.message("de").endswith("; 'auftrag' hat 0 Versionen, erwartet 2")
        assert str(info.value).startswith(f"{info.value.issues[0].file}:6:3: steps[0]: step 1")
        assert issue.msg.code == "scenario.step-failed"
