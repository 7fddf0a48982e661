"""load_workflow reads paths, streams, dicts and bundled ids, safely."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sozialraumprozess import UnknownNameError, Workflow, WorkflowError, load_workflow
from sozialraumprozess.definition.loader import bundled_workflows
from sozialraumprozess.testing import workflow_from_string

SIX = "generationengerechte-sozialraumentwicklung"


def single_issue(source: object, **kwargs: object) -> tuple[str, int | None, int | None, str]:
    with pytest.raises(WorkflowError) as info:
        load_workflow(source, **kwargs)  # type: ignore[arg-type]
    assert len(info.value.issues) == 1, str(info.value)
    issue = info.value.issues[0]
    return issue.code, issue.line, issue.column, issue.message("de")


class TestSources:
    def test_bundled_id(self) -> None:
        """A bundled workflow loads by its id from any working directory."""
        workflow = load_workflow(SIX)
        assert isinstance(workflow, Workflow)
        assert workflow.id == SIX
        assert SIX in bundled_workflows()

    def test_path_str_pathlike_stream_and_dict_agree(self, six_phase_path: Path) -> None:
        """Every kind of source gives the same workflow."""
        by_id = load_workflow(SIX)
        assert load_workflow(six_phase_path) == by_id
        assert load_workflow(str(six_phase_path)) == by_id
        with six_phase_path.open("rb") as binary:
            assert load_workflow(binary) == by_id
        with six_phase_path.open(encoding="utf-8") as text:
            assert load_workflow(text) == by_id
        assert load_workflow(by_id.to_dict()) == by_id

    def test_unknown_id_has_a_hint(self) -> None:
        """A misspelt bundled id suggests the right one."""
        with pytest.raises(UnknownNameError) as info:
            load_workflow("generationengerechte-sozialraumentwiklung")
        assert info.value.suggestion == SIX
        assert str(info.value) == (
            "Unbekannter Workflow 'generationengerechte-sozialraumentwiklung'. "
            f"Meinten Sie '{SIX}'?"
        )

    def test_missing_file(self, tmp_path: Path) -> None:
        """A path that does not exist is a clear error naming it."""
        missing = tmp_path / "nope.yaml"
        code, line, _, message = single_issue(missing)
        assert (code, line) == ("no-file", None)
        assert message == f"Datei nicht gefunden: {missing}"

    def test_stream_name_is_used_as_file(self, six_phase_text: str) -> None:
        """Errors in a stream name the stream's ``name``."""
        with pytest.raises(WorkflowError) as info:
            workflow_from_string(six_phase_text.replace("body: rat", "body: raat", 1), "x.yaml")
        assert info.value.issues[0].file == "x.yaml"

    def test_dict_errors_have_paths_but_no_lines(self) -> None:
        """Data passed as a dict has no positions; the path still says where."""
        data = load_workflow(SIX).to_dict()
        data["decisions"]["zielbeschluss"]["body"] = "rta"
        with pytest.raises(WorkflowError) as info:
            load_workflow(data)
        issue = info.value.issues[0]
        assert (issue.file, issue.line, issue.path) == (
            "<dict>",
            None,
            "decisions.zielbeschluss.body",
        )
        assert issue.format() == (
            "<dict>: decisions.zielbeschluss.body: Unbekannte Rolle 'rta' Meinten Sie 'rat'?"
        )

    def test_dict_input_is_not_modified(self) -> None:
        """Validation never writes into the caller's data (e.g. defaults)."""
        data = load_workflow(SIX).to_dict()
        before = repr(data)
        load_workflow(data)
        assert repr(data) == before

    def test_dict_with_non_text_key(self) -> None:
        """Dict input with a non-string key is reported, not crashed on."""
        data = load_workflow(SIX).to_dict()
        data["roles"][1] = {"title": "x"}
        code, _, _, message = single_issue(data)
        assert code == "key-not-text"
        assert message == "Schlüssel müssen Text sein, gefunden: 1"


class TestYamlSafety:
    @pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "NO"])
    def test_yes_no_on_off_stay_strings(self, word: str, write_yaml: Callable[..., Path]) -> None:
        """YAML 1.1 booleans are plain words here (the Norway problem)."""
        text = load_workflow(SIX).to_dict()
        text["roles"]["kommune"]["members"] = [word]
        workflow = load_workflow(text)
        assert workflow.role("kommune").members == (word,)

    def test_norway_in_a_file(self, write_yaml: Callable[..., Path], six_phase_text: str) -> None:
        """In a file, ``members: [no]`` is the string 'no'."""
        text = six_phase_text.replace("      - Banken\n", "      - no\n")
        workflow = load_workflow(write_yaml(text))
        assert "no" in workflow.role("verantwortungsgemeinschaft").members

    def test_octal_looking_numbers_are_decimal(self, six_phase_text: str) -> None:
        """``quorum: 010`` is ten, as in YAML 1.2, not eight."""
        text = six_phase_text.replace("quorum: 5", "quorum: 010", 1)
        assert workflow_from_string(text).decision("zielbeschluss").quorum == 10

    def test_oversized_input_is_refused_quickly(self, write_yaml: Callable[..., Path]) -> None:
        """A file over the size limit is refused before parsing."""
        path = write_yaml("a: " + "x" * 3_000_000)
        start = time.perf_counter()
        code, _, _, message = single_issue(path)
        assert time.perf_counter() - start < 0.5
        assert code == "too-large"
        assert message == (
            "Datei ist zu groß (mehr als 2.097.152 Bytes); "
            "Workflow-Dateien sind üblicherweise kleiner als 100 KB"
        )

    def test_alias_bomb_is_refused_quickly(self, write_yaml: Callable[..., Path]) -> None:
        """The billion-laughs pattern is refused without expanding it."""
        lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        for i in range(1, 10):
            prev = f"*a{i - 1}"
            lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
        path = write_yaml("\n".join(lines) + "\n")
        start = time.perf_counter()
        code, line, column, message = single_issue(path)
        assert time.perf_counter() - start < 1.0
        assert (code, line, column) == ("too-many-nodes", 1, 1)
        assert message == "Dokument ist zu groß: mehr als 200.000 Knoten (Alias-Bombe?)"

    def test_recursive_alias(self, write_yaml: Callable[..., Path]) -> None:
        """An anchor that contains itself is refused."""
        code, _, _, message = single_issue(write_yaml("a: &a [*a]\n"))
        assert code == "recursive-alias"
        assert message == "Rekursiver Alias: ein Anker verweist auf sich selbst"

    def test_deep_nesting(self, write_yaml: Callable[..., Path]) -> None:
        """Pathologically deep nesting is an error, not a crash."""
        code, _, _, _ = single_issue(write_yaml("a: " + "[" * 5000 + "]" * 5000 + "\n"))
        assert code in ("too-deep", "yaml-syntax")

    def test_not_utf8(self, write_yaml: Callable[..., Path], tmp_path: Path) -> None:
        """Latin-1 bytes are reported with line and column and a fix."""
        path = tmp_path / "latin1.yaml"
        path.write_bytes("format: sozialraumprozess/v1\ntitle: Gr\xfcn\n".encode("latin-1"))
        with pytest.raises(WorkflowError) as info:
            load_workflow(path)
        issue = info.value.issues[0]
        assert (issue.code, issue.line, issue.column) == ("not-utf8", 2, 10)
        assert issue.message("de") == "Datei ist nicht UTF-8-kodiert (Byte 0xfc)"
        assert issue.hint("de") == "Im Editor als UTF-8 speichern."

    def test_syntax_error_position_and_german_message(
        self, write_yaml: Callable[..., Path]
    ) -> None:
        """A YAML syntax error has a 1-based position and a translated message."""
        path = write_yaml("format: sozialraumprozess/v1\nid: a: b\n")
        code, line, column, message = single_issue(path)
        assert (code, line, column) == ("yaml-syntax", 2, 6)
        assert message.startswith("Doppelpunkt an dieser Stelle nicht erlaubt")

    def test_tab_indentation(self, write_yaml: Callable[..., Path]) -> None:
        """Tabs get an explanation, not a parser's jargon."""
        path = write_yaml("format: sozialraumprozess/v1\nroles:\n\tkommune: {}\n")
        code, line, _, message = single_issue(path)
        assert (code, line) == ("yaml-syntax", 3)
        assert "Tabulator" in message

    def test_empty_file(self, write_yaml: Callable[..., Path]) -> None:
        """An empty file says how a workflow starts."""
        with pytest.raises(WorkflowError) as info:
            load_workflow(write_yaml(""))
        issue = info.value.issues[0]
        assert issue.message("de") == "Datei ist leer"
        assert issue.hint("de") == "Eine Workflow-Datei beginnt mit 'format: sozialraumprozess/v1'."

    def test_two_documents(self, write_yaml: Callable[..., Path]) -> None:
        """Only one YAML document per file."""
        code, line, _, message = single_issue(write_yaml("a: 1\n---\nb: 2\n"))
        assert (code, line) == ("yaml-syntax", 2)
        assert message == "Die Datei darf nur ein YAML-Dokument enthalten ('---' entfernen)"

    def test_top_level_list(self, write_yaml: Callable[..., Path]) -> None:
        """A list at the top is not a workflow."""
        code, line, column, message = single_issue(write_yaml("- a\n- b\n"))
        assert (code, line, column) == ("not-a-mapping", 1, 1)
        assert message == "Eine Workflow-Datei muss eine Zuordnung (schlüssel: wert) sein"

    def test_non_string_key_in_yaml(self, write_yaml: Callable[..., Path]) -> None:
        """``1: x`` as a key is reported at the key."""
        code, line, column, _ = single_issue(write_yaml("format: sozialraumprozess/v1\n1: x\n"))
        assert (code, line, column) == ("key-not-text", 2, 1)

    def test_binary_value_is_rejected(self, write_yaml: Callable[..., Path]) -> None:
        """Explicit YAML types such as !!binary are not workflow data."""
        path = write_yaml("format: sozialraumprozess/v1\nid: !!binary aGVsbG8=\n")
        code, line, column, message = single_issue(path)
        assert (code, line, column) == ("unsupported-value", 2, 5)
        assert message.startswith("Das Tag !!binary wird nicht unterstützt")
