"""Every kind of workflow error is reported with its exact position, path, message and hint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sozialraumprozess import load_workflow
from sozialraumprozess.definition.issues import IssueCollector
from sozialraumprozess.errors import Issue, WorkflowError
from sozialraumprozess.i18n import msg, plural
from sozialraumprozess.testing import workflow_from_string

Issues = Callable[..., list[Issue]]
Edit = Callable[..., str]


def only(found: list[Issue]) -> Issue:
    assert len(found) == 1, [i.format() for i in found]
    return found[0]


def where(issue: Issue) -> tuple[int | None, int | None, str]:
    return issue.line, issue.column, issue.path


class TestReferences:
    def test_unknown_role_with_hint(self, issues: Issues, edit: Edit) -> None:
        """A misspelt role id names the position and the closest role."""
        issue = only(issues(edit("responsible: kommune", "responsible: kommnue")))
        assert where(issue) == (28, 18, "phases[0].responsible")
        assert issue.code == "unknown-reference"
        assert issue.message("de") == "Unbekannte Rolle 'kommnue'"
        assert issue.hint("de") == "Meinten Sie 'kommune'?"
        assert issue.message("en") == "unknown role 'kommnue'"
        assert issue.hint("en") == "Did you mean 'kommune'?"

    def test_unknown_decision_in_gate(self, issues: Issues, edit: Edit) -> None:
        """The exit criterion path is indexed: phases[1].exit[1].decision."""
        issue = only(issues(edit("- decision: zielbeschluss", "- decision: zielbeschlus")))
        assert where(issue) == (36, 19, "phases[1].exit[1].decision")
        assert issue.message("de") == "Unbekannter Beschluss 'zielbeschlus'"
        assert issue.hint("de") == "Meinten Sie 'zielbeschluss'?"

    def test_unknown_artifact_in_flow_list(self, issues: Issues, edit: Edit) -> None:
        """Items of a flow list ``[a, b]`` get their own column."""
        found = issues(edit("artifacts: [zielkatalog]", "artifacts: [zielkatalg]"))
        first = found[0]
        assert where(first) == (29, 17, "phases[0].artifacts[0]")
        assert first.message("de") == "Unbekanntes Artefakt 'zielkatalg'"
        assert first.hint("de") == "Meinten Sie 'zielkatalog'?"
        # Without the artifact in any phase, the gate of phase 2 cannot be met either.
        assert [i.code for i in found] == ["unknown-reference", "artifact-not-produced"]

    def test_unknown_name_without_close_match_lists_known(self, issues: Issues, edit: Edit) -> None:
        """With nothing similar, the hint lists the known ids."""
        issue = only(issues(edit("body: vg", "body: rat")))
        assert where(issue) == (24, 11, "decisions.zielbeschluss.body")
        assert issue.hint("de") == "Bekannt: kommune, vg."
        assert issue.hint("en") == "Known: kommune, vg."

    def test_unknown_next_phase(self, issues: Issues, edit: Edit) -> None:
        """``next`` must name a phase."""
        text = edit(
            "    artifacts: [zielkatalog]\n", "    artifacts: [zielkatalog]\n    next: zile\n"
        )
        issue = only(issues(text))
        assert where(issue) == (30, 11, "phases[0].next")
        assert issue.message("de") == "Unbekannte Phase 'zile'"
        assert issue.hint("de") == "Meinten Sie 'ziele'?"

    def test_gate_event_not_held_in_phase(self, issues: Issues, edit: Edit) -> None:
        """An event criterion needs the event among the phase's events."""
        issue = only(issues(edit("    events: [konferenz]\n", "")))
        assert where(issue) == (36, 16, "phases[1].exit[2].event")
        assert issue.code == "event-not-in-phase"
        assert (
            issue.message("de") == "Veranstaltung 'konferenz' wird in dieser Phase nicht abgehalten"
        )
        assert issue.hint("de") == "'konferenz' unter 'events' der Phase ergänzen."


class TestIds:
    def test_duplicate_phase_id(self, issues: Issues, edit: Edit) -> None:
        """A second phase with the same id points at the second one and names the first."""
        issue = only(issues(edit("  - id: ziele", "  - id: analysieren")))
        assert where(issue) == (30, 9, "phases[1].id")
        assert issue.message("de") == "Phase 'analysieren' ist doppelt (zuerst phases[0])"

    def test_duplicate_mapping_key(self, issues: Issues, edit: Edit) -> None:
        """Duplicate keys are errors, at the second key, naming the first line."""
        issue = only(issues(edit("    title: Kommune\n", "    title: Kommune\n    title: Stadt\n")))
        assert where(issue) == (8, 5, "roles.kommune.title")
        assert issue.code == "duplicate-key"
        assert issue.message("de") == "Schlüssel 'title' ist doppelt (zuerst in Zeile 7)"

    def test_invalid_id_suggests_a_valid_one(self, issues: Issues, edit: Edit) -> None:
        """Ids are lower-case ASCII; the hint transliterates umlauts."""
        issue = only(issues(edit("      ziele: {type", "      Größe: {type")))
        assert where(issue) == (20, 7, 'artifacts.zielkatalog.fields["Größe"]')
        assert issue.code == "bad-id"
        assert issue.message("de") == (
            "'Größe' ist keine gültige Kennung: nur Kleinbuchstaben a–z, Ziffern und _, "
            "am Anfang ein Buchstabe"
        )
        assert issue.hint("de") == "Zum Beispiel 'groesse'."


class TestStructure:
    def test_norway_problem_yes_stays_a_string(self, issues: Issues, edit: Edit) -> None:
        """``artifacts: yes`` is the string 'yes', so the type error says so."""
        found = issues(edit("artifacts: [zielkatalog]", "artifacts: yes"))
        issue = found[0]
        assert where(issue) == (29, 16, "phases[0].artifacts")
        assert issue.message("de") == "erwartet Liste, gefunden Text 'yes'"
        assert issue.message("en") == "expected list, found text 'yes'"

    def test_number_where_text_expected_suggests_quotes(self, issues: Issues, edit: Edit) -> None:
        """``version: 1.0`` is a number; the hint says to quote it."""
        issue = only(issues(edit('version: "1"', "version: 1.0")))
        assert where(issue) == (3, 10, "version")
        assert issue.message("de") == "erwartet Text, gefunden Zahl 1.0"
        assert issue.hint("de") == 'In Anführungszeichen setzen: "1.0".'

    def test_missing_required_key(self, issues: Issues, edit: Edit) -> None:
        """A missing key is reported at the mapping that lacks it."""
        issue = only(issues(edit("    owner: vg\n", "")))
        assert where(issue) == (16, 5, "artifacts.zielkatalog.owner")
        assert issue.message("de") == "Pflichtangabe 'owner' fehlt"
        assert issue.hint("de") == "'owner: …' ergänzen."

    def test_unknown_key_with_hint(self, issues: Issues, edit: Edit) -> None:
        """A misspelt key is reported at the key with the closest allowed key."""
        issue = only(issues(edit("    title: Kommune", "    titel: Kommune")))
        assert where(issue) == (7, 5, "roles.kommune.titel")
        assert issue.message("de") == "Unbekannter Schlüssel 'titel'"
        assert issue.hint("de") == "Meinten Sie 'title'?"

    def test_missing_key_is_not_reported_twice_for_a_misspelling(
        self, issues: Issues, edit: Edit
    ) -> None:
        """With 'titel' present, a separate "'title' fehlt" would only repeat the problem."""
        found = issues(edit("    title: Kommune", "    titel: Kommune"))
        assert [i.code for i in found] == ["unknown-key"]
        found = issues(edit("    title: Kommune", "    name: Kommune"))
        assert sorted(i.code for i in found) == ["missing-key", "unknown-key"]

    def test_enum_value_with_hint(self, issues: Issues, edit: Edit) -> None:
        """A wrong rule lists the allowed values and the closest one."""
        issue = only(issues(edit("    body: vg\n", "    body: vg\n    rule: majorty\n")))
        assert where(issue) == (25, 11, "decisions.zielbeschluss.rule")
        assert issue.message("de") == (
            "'majorty' ist nicht erlaubt; erlaubt sind: majority, two_thirds, unanimous, "
            "consensus, taking_note"
        )
        assert issue.hint("de") == "Meinten Sie 'majority'?"

    def test_bad_duration(self, issues: Issues, edit: Edit) -> None:
        """Durations are ISO 8601 or plain German ("2 Monate"); "zwei Monate" is neither."""
        issue = only(
            issues(edit("    title: Analyse\n", "    title: Analyse\n    duration: zwei Monate\n"))
        )
        assert where(issue) == (28, 15, "phases[0].duration")
        assert issue.message("de") == "'zwei Monate' ist keine Dauer"
        assert issue.hint("de") == (
            "Zum Beispiel 2 Monate oder P2M, 6 Wochen oder P6W, 1 Jahr oder P1Y."
        )

    def test_label_with_unknown_language(self, issues: Issues, edit: Edit) -> None:
        """A label mapping accepts only de and en."""
        issue = only(issues(edit("title: Mini", "title: {de: Mini, fr: Mini}")))
        assert where(issue) == (4, 19, "title.fr")
        assert issue.message("de") == "Unbekannter Schlüssel 'fr'"

    def test_label_language_without_text(self, issues: Issues, edit: Edit) -> None:
        """``title: {en: null}`` is an error at the language key (found by Hypothesis)."""
        issue = only(issues(edit("title: Mini", "title: {en: null}")))
        assert where(issue) == (4, 13, "title.en")
        assert issue.message("de") == "erwartet Text, gefunden leer"

    def test_field_key_for_wrong_type(self, issues: Issues, edit: Edit) -> None:
        """``min_items`` on a text field is an error at the key."""
        text = edit("{type: list, min_items: 1, items: {type: text}}", "{type: text, min_items: 1}")
        issue = only(issues(text))
        assert where(issue) == (20, 27, "artifacts.zielkatalog.fields.ziele.min_items")
        assert (
            issue.message("de") == "'min_items' gilt nur für Felder vom Typ list, nicht für 'text'"
        )

    def test_choice_without_choices(self, issues: Issues, edit: Edit) -> None:
        """A choice field needs its choices."""
        text = edit("{type: list, min_items: 1, items: {type: text}}", "{type: choice}")
        issue = only(issues(text))
        assert where(issue) == (20, 14, "artifacts.zielkatalog.fields.ziele")
        assert issue.message("de") == "Feld vom Typ 'choice' braucht 'choices'"


class TestGates:
    def test_gate_requires_artifact_no_phase_produces(self, issues: Issues, edit: Edit) -> None:
        """A gate may only demand artifacts produced up to and including its phase."""
        issue = only(issues(edit("    artifacts: [zielkatalog]\n", "")))
        assert where(issue) == (34, 19, "phases[1].exit[0].artifact")
        assert issue.message("de") == "Keine Phase bis hierher erstellt das Artefakt 'zielkatalog'"
        assert issue.hint("de") == (
            "'zielkatalog' unter 'artifacts' dieser oder einer früheren Phase ergänzen."
        )

    def test_approval_needs_an_approver(self, issues: Issues, edit: Edit) -> None:
        """An approval criterion on an artifact without approved_by is unsatisfiable."""
        text = edit("    approved_by: vg\n", "")
        text = text.replace("      - decision:", "      - approval: zielkatalog\n      - decision:")
        issue = only(issues(text))
        assert where(issue) == (35, 19, "phases[1].exit[1].approval")
        assert issue.message("de") == (
            "Artefakt 'zielkatalog' hat kein 'approved_by'; niemand kann es freigeben"
        )

    def test_check_syntax_error(self, issues: Issues, edit: Edit) -> None:
        """A check that does not compile in Jinja's sandbox is reported at the expression."""
        issue = only(issues(edit("length >= 3", "length >=")))
        assert where(issue) == (38, 16, "phases[1].exit[3].check")
        assert issue.message("de").startswith("Ausdruck ist fehlerhaft: ")
        assert issue.message("en").startswith("expression does not compile: ")

    def test_check_unknown_artifact(self, issues: Issues, edit: Edit) -> None:
        """Ids used in a check are validated, with a hint."""
        issue = only(issues(edit("artifacts.zielkatalog.ziele", "artifacts.zielkatalg.ziele")))
        assert where(issue) == (38, 16, "phases[1].exit[3].check")
        assert issue.message("de") == "Ausdruck verweist auf unbekannte(s) artifacts.zielkatalg"
        assert issue.hint("de") == "Meinten Sie 'zielkatalog'?"

    def test_check_unknown_variable(self, issues: Issues, edit: Edit) -> None:
        """Only artifacts, events, decisions and process are available."""
        issue = only(issues(edit("artifacts.zielkatalog.ziele |", "artefakte.zielkatalog.ziele |")))
        assert issue.message("de") == (
            "Unbekannter Name 'artefakte' im Ausdruck; verfügbar sind "
            "artifacts, events, decisions, process"
        )

    def test_check_needs_a_message(self, issues: Issues, edit: Edit) -> None:
        """A check without message could not explain itself when it blocks."""
        issue = only(issues(edit("        message: Mindestens drei Ziele\n", "")))
        assert where(issue) == (38, 9, "phases[1].exit[3]")
        assert issue.message("de") == "Ein check-Kriterium braucht eine 'message'"

    def test_two_kinds_in_one_criterion(self, issues: Issues, edit: Edit) -> None:
        """Each criterion has exactly one kind."""
        issue = only(
            issues(
                edit("- artifact: zielkatalog", "- {artifact: zielkatalog, approval: zielkatalog}")
            )
        )
        assert where(issue) == (35, 9, "phases[1].exit[0]")
        assert issue.message("de") == (
            "Ein Kriterium darf nur eine Art haben, gefunden: artifact, approval"
        )


class TestFormat:
    def test_unknown_format_stops_with_one_clear_issue(self, issues: Issues, edit: Edit) -> None:
        """A newer format is refused before anything else is checked."""
        text = edit("format: sozialraumprozess/v1", "format: sozialraumprozess/v3")
        text = text.replace("body: vg", "body: nobody")
        issue = only(issues(text))
        assert where(issue) == (1, 9, "format")
        assert issue.message("de") == (
            "Unbekanntes Format 'sozialraumprozess/v3'; diese Version von sozialraumprozess "
            "liest sozialraumprozess/v1, sozialraumprozess/v2"
        )

    def test_missing_format(self, issues: Issues, edit: Edit) -> None:
        """The format line is required; the rest is still checked."""
        text = edit("format: sozialraumprozess/v1\n", "").replace("body: vg", "body: vgg")
        found = issues(text)
        assert [(i.code, i.path) for i in found] == [
            ("missing-key", "format"),
            ("unknown-reference", "decisions.zielbeschluss.body"),
        ]
        assert found[0].message("de") == "Pflichtangabe 'format' fehlt"


class TestAllAtOnce:
    def test_every_problem_is_reported_in_document_order(self, issues: Issues, edit: Edit) -> None:
        """Structural and semantic problems come together, sorted by line."""
        text = edit('version: "1"', "version: 1")
        text = text.replace("    title: Kommune", "    titel: Kommune")
        text = text.replace("responsible: vg", "responsible: vgg")
        text = text.replace("- decision: zielbeschluss", "- decision: beschluss")
        lines = [i.line for i in issues(text)]
        assert lines == sorted(lines)
        codes = [i.code for i in issues(text)]
        assert codes.count("unknown-reference") == 2
        assert "wrong-type" in codes
        assert "unknown-key" in codes

    def test_str_is_compiler_style_with_source_line(self, edit: Edit) -> None:
        """``str(error)``: FILE:LINE:COL: PATH: MESSAGE HINT, the line, a caret."""
        with pytest.raises(WorkflowError) as info:
            workflow_from_string(edit("body: vg", "body: vgg"), "w.yaml")
        assert str(info.value) == (
            "w.yaml:24:11: decisions.zielbeschluss.body: Unbekannte Rolle 'vgg' "
            "Meinten Sie 'vg'?\n"
            "        body: vgg\n"
            "              ^"
        )

    def test_english_messages(self, edit: Edit) -> None:
        """``lang='en'`` gives English text."""
        with pytest.raises(WorkflowError) as info:
            workflow_from_string(edit("body: vg", "body: vgg"), "w.yaml", lang="en")
        assert str(info.value).splitlines()[0] == (
            "w.yaml:24:11: decisions.zielbeschluss.body: unknown role 'vgg' Did you mean 'vg'?"
        )
        assert info.value.format("de").splitlines()[0].endswith("Meinten Sie 'vg'?")


def test_every_issue_code_in_the_source_is_documented() -> None:
    """Codes are API (--json prints them): each one used in the source has a meaning."""
    import re
    from pathlib import Path

    from sozialraumprozess.definition.codes import ISSUE_CODES

    root = Path(__file__).resolve().parents[2] / "src" / "sozialraumprozess"
    used: set[str] = set()
    for folder in ("definition", "scenario"):
        for path in (root / folder).glob("*.py"):
            if path.name == "codes.py":
                continue
            text = path.read_text("utf-8")
            used |= set(re.findall(r'^\s+"([a-z]+(?:-[a-z0-9]+)+)",\s*$', text, re.M))
            used |= set(re.findall(r'(?:add|add_at)\([^)]*?"([a-z]+(?:-[a-z]+)+)"', text, re.S))
    used -= {"utf-8", "utf-8-sig"}
    assert used, "the scan found no codes: the pattern is wrong"
    assert sorted(used - set(ISSUE_CODES)) == []


class TestMessages:
    """Issues are worded from the message catalogs, in every language there is."""

    def test_issue_texts_come_from_a_catalog_message(self, edit: Edit) -> None:
        with pytest.raises(WorkflowError) as info:
            workflow_from_string(edit("    title: Kommune", "    titel: Kommune"), "w.yaml")
        issue = info.value.issues[0]
        assert issue.msg.code == "definition.unknown-key"
        assert issue.hint_msg is not None
        assert issue.hint_msg.code == "name.did-you-mean"
        assert (issue.message_de, issue.hint_de) == (
            "Unbekannter Schlüssel 'titel'",
            "Meinten Sie 'title'?",
        )
        assert (issue.message_en, issue.hint_en) == ("unknown key 'titel'", "Did you mean 'title'?")
        with pytest.raises(ValueError, match="unknown language 'fr'"):
            issue.message("fr")
        with pytest.raises(ValueError, match="unknown language 'fr'"):
            info.value.format("fr")

    def test_list_length_has_plural_forms(self) -> None:
        data = {"format": "sozialraumprozess/v1", "id": "x", "version": "1", "title": "X"}
        data.update({"roles": {"a": {"title": "A"}}, "phases": []})
        with pytest.raises(WorkflowError) as info:
            load_workflow(data)
        issue = next(i for i in info.value.issues if i.code == "too-few-items")
        assert issue.path == "phases"
        assert issue.message("de") == "Liste braucht mindestens 1 Eintrag"
        assert issue.message("en") == "list needs at least 1 item"
        two = plural("definition.too-few-items", 2)
        assert (two.text("de"), two.text("en")) == (
            "Liste braucht mindestens 2 Einträge",
            "list needs at least 2 items",
        )

    def test_sizes_are_written_the_languages_way(self, tmp_path: Path) -> None:
        path = tmp_path / "big.yaml"
        path.write_text("x: " + "a" * 2000 + "\n", encoding="utf-8")
        with pytest.raises(WorkflowError) as info:
            load_workflow(path, max_bytes=1500)
        issue = only(list(info.value.issues))
        assert issue.code == "too-large"
        assert "mehr als 1.500 Bytes" in issue.message("de")
        assert "more than 1,500 bytes" in issue.message("en")

    def test_collected_issues_are_worded_from_the_catalogs(self) -> None:
        """``IssueCollector.add`` takes catalog messages; every language words them."""
        out = IssueCollector("f.yaml")
        out.add(["y"], "invalid", msg("definition.empty-text"), hint=msg("definition.quote-it"))
        (issue,) = out.issues
        assert (issue.message("de"), issue.hint("en")) == (
            "Text darf nicht leer sein",
            "Put it in quotes.",
        )
        with pytest.raises(ValueError, match="'fr'"):
            issue.message("fr")
