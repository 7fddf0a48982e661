"""Scenario files with every kind of mistake: each reported at its line, in both languages."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from sozialraumprozess.errors import Issue, ScenarioError
from sozialraumprozess.scenario import load_scenario

HEAD = """\
scenario: sozialraumprozess-scenario/v1
workflow: generationengerechte-sozialraumentwicklung
sozialraum: {name: Testviertel}
start: {by: kommune, date: "2025-02-03"}
steps:
"""


def problems(path: Path) -> list[Issue]:
    """The issues of loading the scenario at ``path``; fails if it loads."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return list(info.value.issues)


def where(issue: Issue) -> tuple[int | None, str, str]:
    return issue.line, issue.path, issue.code


class TestSteps:
    def test_a_step_that_is_not_a_mapping(self, write_yaml: Callable[..., Path]) -> None:
        (issue,) = problems(write_yaml(HEAD + "  - advance\n", "s.yaml"))
        assert where(issue) == (6, "steps[0]", "wrong-type")
        assert issue.message("de") == (
            "Ein Schritt ist eine Zuordnung, z. B. '- submit: zielkatalog'"
        )
        assert issue.message("en") == "a step is a mapping, e.g. '- submit: zielkatalog'"

    def test_two_commands_in_one_step(self, write_yaml: Callable[..., Path]) -> None:
        text = HEAD + "  - submit: auftrag\n    approve: auftrag\n    by: kommune\n"
        (issue,) = problems(write_yaml(text, "s.yaml"))
        assert where(issue) == (6, "steps[0]", "several-commands")
        assert issue.message("en") == "several commands in one step: submit, approve"
        assert issue.message("de") == "Mehrere Befehle in einem Schritt: submit, approve"

    def test_a_step_with_neither_command_nor_expectation(
        self, write_yaml: Callable[..., Path]
    ) -> None:
        (issue,) = problems(write_yaml(HEAD + "  - note: nur eine Notiz\n", "s.yaml"))
        assert where(issue) == (6, "steps[0]", "empty-step")
        assert issue.message("de") == "Schritt ohne Befehl und ohne 'expect'"
        assert issue.message("en") == "step without a command and without 'expect'"

    def test_an_unknown_key_far_from_every_command_lists_the_commands(
        self, write_yaml: Callable[..., Path]
    ) -> None:
        (issue,) = problems(write_yaml(HEAD + "  - zzzzzzzz: 1\n", "s.yaml"))
        assert where(issue) == (6, "steps[0].zzzzzzzz", "unknown-command")
        assert issue.hint("en").startswith("Commands: ")
        assert "submit" in issue.hint("en")
        assert issue.hint("de").startswith("Befehle: ")

    def test_a_command_without_subject_takes_no_value(
        self, write_yaml: Callable[..., Path]
    ) -> None:
        text = HEAD + "  - advance: identifizieren\n    by: kommune\n"
        (issue,) = problems(write_yaml(text, "s.yaml"))
        assert where(issue) == (6, "steps[0].advance", "unexpected-subject")
        assert issue.message("en") == "'advance' takes no value ('advance:')"
        assert issue.message("de") == "'advance' steht ohne Wert ('advance:')"

    def test_an_error_expectation_of_the_wrong_shape(self, write_yaml: Callable[..., Path]) -> None:
        text = HEAD + "  - advance:\n    by: kommune\n    error: [TransitionBlocked]\n"
        (issue,) = problems(write_yaml(text, "s.yaml"))
        assert where(issue) == (8, "steps[0].error", "wrong-type")
        assert issue.message("en") == "expected an error name or {type: …, contains: …}"
        assert issue.message("de") == "erwartet Fehlername oder {type: …, contains: …}"

    def test_an_error_expectation_with_type_and_text_is_read(
        self, write_yaml: Callable[..., Path]
    ) -> None:
        text = HEAD + (
            "  - advance:\n    by: kommune\n"
            "    error: {type: TransitionBlocked, contains: identifizieren}\n"
            "  - advance:\n    by: kommune\n    error: {type: TransitionBlocked, contains: 3}\n"
        )
        scenario = load_scenario(write_yaml(text, "s.yaml"))
        first, second = scenario.steps
        assert (first.error, first.error_contains) == ("TransitionBlocked", "identifizieren")
        assert (first.line, second.line) == (6, 9)
        assert (second.error, second.error_contains) == ("TransitionBlocked", None)


class TestExpectations:
    def test_an_expectation_that_is_not_a_mapping(self, write_yaml: Callable[..., Path]) -> None:
        (issue,) = problems(write_yaml(HEAD + "  - expect: identifizieren\n", "s.yaml"))
        assert where(issue) == (6, "steps[0].expect", "wrong-type")
        assert issue.message("en") == "expected a mapping"
        assert issue.message("de") == "erwartet Zuordnung (schlüssel: wert)"

    def test_every_wrongly_typed_expectation_at_once(self, write_yaml: Callable[..., Path]) -> None:
        text = HEAD + (
            "  - expect:\n"
            "      blockers: yes\n"
            "      blockers_include: nicht-liste\n"
            "      versions: {auftrag: zwei}\n"
            "      cycle: eins\n"
            "      can_advance: 1\n"
            "      phase: 3\n"
            "      phse: identifizieren\n"
        )
        found = problems(write_yaml(text, "s.yaml"))
        assert [(i.line, i.path, i.message("en")) for i in found] == [
            (7, "steps[0].expect.blockers", "expected a count or a list of messages"),
            (8, "steps[0].expect.blockers_include", "expected a list of messages"),
            (9, "steps[0].expect.versions", "expected {artifact: count}"),
            (10, "steps[0].expect.cycle", "wrong type for 'cycle'"),
            (11, "steps[0].expect.can_advance", "wrong type for 'can_advance'"),
            (12, "steps[0].expect.phase", "wrong type for 'phase'"),
            (13, "steps[0].expect.phse", "unknown key 'phse'"),
        ]
        assert found[0].message("de") == "erwartet Anzahl oder Liste von Meldungen"
        assert found[2].message("de") == "erwartet {artefakt: anzahl}"
        assert found[3].message("de") == "falscher Typ für 'cycle'"
        assert found[6].hint("en") == "Did you mean 'phase'?"

    def test_valid_expectations_are_kept(self, write_yaml: Callable[..., Path]) -> None:
        text = HEAD + (
            "  - expect: {phase: identifizieren, cycle: 1, can_advance: false,\n"
            "             blockers: [a, b], blockers_include: [a], versions: {auftrag: 0}}\n"
        )
        (step,) = load_scenario(write_yaml(text, "s.yaml")).steps
        assert step.command is None
        assert step.expect is not None
        assert step.expect.phase == "identifizieren"
        assert step.expect.cycle == 1
        assert step.expect.can_advance is False
        assert step.expect.blockers == ("a", "b")
        assert step.expect.blockers_include == ("a",)
        assert step.expect.versions == {"auftrag": 0}


class TestTopLevel:
    def test_a_file_that_is_not_a_mapping(self, write_yaml: Callable[..., Path]) -> None:
        (issue,) = problems(write_yaml("- 1\n- 2\n", "s.yaml"))
        assert issue.code == "not-a-mapping"
        assert issue.message("de") == "Ein Szenario muss eine Zuordnung sein"
        assert issue.message("en") == "a scenario must be a mapping"

    def test_every_missing_part_at_once(self, write_yaml: Callable[..., Path]) -> None:
        text = (
            "scenario: sozialraumprozess-scenario/v1\n"
            "workflow: [nicht, text]\n"
            "sozialraum: Testviertel\n"
            "start: {step_days: -1}\n"
            "steps: []\n"
            "titel: Tippfehler\n"
        )
        found = problems(write_yaml(text, "s.yaml"))
        assert [(i.line, i.path, i.code) for i in found] == [
            (2, "workflow", "wrong-type"),
            (3, "sozialraum", "missing-key"),
            (4, "start.by", "missing-key"),
            (4, "start.step_days", "wrong-type"),
            (5, "steps", "missing-key"),
            (6, "titel", "unknown-key"),
        ]
        assert [i.message("en") for i in found] == [
            "expected text",
            "'sozialraum' needs at least 'name'",
            "required key 'by' is missing",
            "expected an integer ≥ 0",
            "'steps' needs at least one step",
            "unknown key 'titel'",
        ]
        assert found[-1].hint("de") == "Meinten Sie 'title'?"

    def test_a_missing_workflow_is_named(self, write_yaml: Callable[..., Path]) -> None:
        text = HEAD.replace("workflow: generationengerechte-sozialraumentwicklung\n", "")
        found = problems(write_yaml(text + "  - expect: {}\n", "s.yaml"))
        assert [(i.path, i.code) for i in found] == [("workflow", "missing-key")]

    def test_a_file_that_cannot_be_read(self, tmp_path: Path) -> None:
        folder = tmp_path / "ordner.yaml"
        folder.mkdir()
        with pytest.raises(ScenarioError) as info:
            load_scenario(folder, lang="en")
        (issue,) = info.value.issues
        assert (issue.file, issue.line, issue.code) == (str(folder), None, "no-file")
        assert issue.message("en").startswith("cannot read file: ")
        assert issue.message("de").startswith("Datei nicht lesbar: ")

    def test_an_open_stream_is_read_without_a_base_folder(self) -> None:
        stream = io.StringIO(HEAD + "  - expect: {phase: identifizieren}\n")
        scenario = load_scenario(stream)
        assert scenario.base is None
        assert scenario.file == "<stream>"
        assert scenario.workflow == "generationengerechte-sozialraumentwicklung"
        assert scenario.start == "2025-02-03"
        assert scenario.step_days == 1

    def test_a_stream_with_a_problem_names_itself(self) -> None:
        with pytest.raises(ScenarioError) as info:
            load_scenario(io.StringIO("[1, 2]\n"), lang="en")
        assert str(info.value).startswith("<stream>")
