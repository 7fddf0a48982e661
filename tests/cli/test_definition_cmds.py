"""sozialraum validate / workflows / show / schema, through the installed console script."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from sozialraumprozess.cli import sozialraum as cli_group
from sozialraumprozess.definition.schema import generate_schema

from .conftest import SIX, sozialraum


def line_of(path: Path, fragment: str) -> int:
    """1-based number of the first line of ``path`` containing ``fragment``."""
    lines = path.read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if fragment in line)


@pytest.fixture
def broken(write_yaml: Callable[..., Path], six_phase_text: str) -> Path:
    text = six_phase_text.replace(
        "    body: rat\n    rule: majority\n  zielbeschluss",
        "    body: raat\n    rule: majority\n  zielbeschluss",
        1,
    )
    text = text.replace("    duration: P4M", "    duration: vier Monate")
    assert text != six_phase_text
    return write_yaml(text, "kaputt.yaml")


class TestValidate:
    def test_valid_file_exits_0(self, six_phase_path: Path) -> None:
        """A valid workflow: exit 0 and a short confirmation."""
        result = sozialraum("validate", str(six_phase_path))
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "1 Datei(en) gültig"
        assert result.stderr == ""

    def test_invalid_file_exits_1_with_compiler_style_lines(self, broken: Path) -> None:
        """Each problem: FILE:LINE:COL: PATH: MESSAGE, then the source line."""
        result = sozialraum("validate", str(broken))
        assert result.returncode == 1
        lines = result.stdout.splitlines()
        body, duration = line_of(broken, "body: raat"), line_of(broken, "duration: vier Monate")
        assert lines[0] == (
            f"{broken}:{body}:11: decisions.auftragsbeschluss.body: Unbekannte Rolle 'raat' "
            "Meinten Sie 'rat'?"
        )
        assert lines[1] == "        body: raat"
        assert lines[2] == "              ^"
        assert lines[3].startswith(
            f"{broken}:{duration}:15: phases[1].duration: 'vier Monate' ist keine Dauer"
        )
        assert result.stderr.strip() == "2 Problem(e) in 1 von 1 Datei(en)"

    def test_json_output_has_documented_keys(self, broken: Path, six_phase_path: Path) -> None:
        """--json prints a list of issue objects with file, line, column, path, message, hint."""
        result = sozialraum("validate", "--json", "--lang", "en", str(six_phase_path), str(broken))
        assert result.returncode == 1
        issues = json.loads(result.stdout)
        assert [set(i) for i in issues] == [
            {"file", "line", "column", "path", "message", "hint", "code"}
        ] * 2
        assert issues[0] == {
            "file": str(broken),
            "line": line_of(broken, "body: raat"),
            "column": 11,
            "path": "decisions.auftragsbeschluss.body",
            "message": "unknown role 'raat'",
            "hint": "Did you mean 'rat'?",
            "code": "unknown-reference",
        }

    def test_missing_file_is_a_usage_error(self, tmp_path: Path) -> None:
        """A path that does not exist: exit 2, message on stderr, no traceback."""
        result = sozialraum("validate", str(tmp_path / "nope.yaml"))
        assert result.returncode == 2
        assert "Datei nicht gefunden" in result.stderr
        assert "Traceback" not in result.stderr

    def test_no_arguments_is_a_usage_error(self) -> None:
        """validate without files: exit 2."""
        result = sozialraum("validate")
        assert result.returncode == 2
        assert "Missing argument" in result.stderr


class TestOtherCommands:
    def test_workflows_lists_bundled(self) -> None:
        """workflows: id, title and number of phases."""
        result = sozialraum("workflows", "--json")
        assert result.returncode == 0
        rows = json.loads(result.stdout)
        six = next(r for r in rows if r["id"] == SIX)
        assert six["title"] == "Generationengerechte Sozialraumentwicklung"
        assert len(six["phases"]) == 6
        plain = sozialraum("workflows")
        assert SIX in plain.stdout
        assert "Phasen" in plain.stdout

    def test_show_prints_phases_gates_and_raci(self) -> None:
        """show: phases in order with gates, the cycle, transitions and the RACI matrix."""
        result = sozialraum("show", SIX)
        assert result.returncode == 0, result.stderr
        out = result.stdout
        order = [out.index(f"{n}. ") for n in range(1, 7)]
        assert order == sorted(order)
        first = "1. Sozialraum identifizieren [identifizieren] – verantwortlich: Kommune"
        assert f"{first}, Dauer: 3 Monate" in out
        decision = "Beschluss gefasst: Beschluss des Zielkatalogs"
        assert f"     - {decision} (Lokale Verantwortungsgemeinschaft)" in out
        assert "     - Veranstaltung abgehalten: Sozialraumkonferenz (mind. 2×)" in out
        assert "   ↺ analysieren (neuer Zyklus)" in out
        assert "RACI (R verantwortlich" in out
        rows = [line for line in out.splitlines() if line.startswith("verantwortungsgemeinschaft ")]
        raci_line = rows[-1]  # the first one is in the table of roles
        assert raci_line.split() == ["verantwortungsgemeinschaft", "·", "I", "A", "R", "R", "R"]

    def test_show_in_english(self) -> None:
        """--lang en switches labels and headings."""
        result = sozialraum("show", SIX, "--lang", "en")
        assert "Phases" in result.stdout
        assert "Exit criteria:" in result.stdout

    def test_show_unknown_workflow_exit_1_with_hint(self) -> None:
        """An unknown workflow id: exit 1, a hint, no traceback."""
        result = sozialraum("show", "generationengerechte")
        assert result.returncode == 1
        assert result.stderr.strip() == (
            f"Fehler: Unbekannter Workflow 'generationengerechte'. Meinten Sie '{SIX}'?"
        )

    def test_show_invalid_file_exit_1(self, broken: Path) -> None:
        """show on a broken file prints its problems on stderr."""
        result = sozialraum("show", str(broken))
        assert result.returncode == 1
        assert "Unbekannte Rolle 'raat'" in result.stderr
        assert "Traceback" not in result.stderr

    def test_schema_prints_the_generated_schema(self) -> None:
        """schema prints the Draft-07 schema."""
        result = sozialraum("schema")
        assert result.returncode == 0
        assert json.loads(result.stdout) == generate_schema()

    def test_python_dash_m(self) -> None:
        """python -m sozialraumprozess works like the console script."""
        result = subprocess.run(
            [sys.executable, "-m", "sozialraumprozess", "--version"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert result.returncode == 0
        assert result.stdout.startswith("sozialraum, version ")

    def test_help_in_process(self) -> None:
        """The group help lists the commands (click runner, no subprocess)."""
        result = CliRunner().invoke(cli_group, ["--help"])
        assert result.exit_code == 0
        for name in ("validate", "workflows", "show", "schema"):
            assert name in result.output
