"""--lang / SOZIALRAUM_LANG apply to every output, errors included; under --json errors
are JSON on stderr; every command takes --json and --lang."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from sozialraumprozess.cli import sozialraum as group

from .conftest import log_bytes, sozialraum


@pytest.mark.parametrize(
    ("args", "english", "german"),
    [
        (("advance", "--as", "kommune"),
         "Error: Cannot leave phase 'identifizieren'", "Fehler: Phase"),
        (("approve", "sozialraumabgrenzung", "--as", "rat"),
         "Error: Not permitted", "Fehler: Nicht erlaubt"),
        (("submit", "auftragg", "--data", "-", "--as", "kommune"),
         "Error: Unknown artifact 'auftragg'", "Fehler: Unbekanntes Artefakt"),
        (("advance", "--as", "niemand"), "Error: ", "Fehler: "),
        (("advance",), "Error: Who acts? Give --as ROLE", "Fehler: Wer handelt?"),
        (("advance", "--as", "kommune", "--frobnicate"), "Error: ", "Fehler: "),
    ],
)  # fmt: skip
def test_errors_in_the_language_asked_for(
    store: Path, args: tuple[str, ...], english: str, german: str
) -> None:
    """PermissionDenied, TransitionBlocked, unknown names and usage errors: --lang en and
    SOZIALRAUM_LANG=en word them in English, with the prefix 'Error:'; German by default."""
    before = log_bytes(store)
    kwargs = {"input": "titel: x\n"}
    en = sozialraum(*args, "-d", str(store), "--lang", "en", **kwargs)
    assert en.returncode in (1, 2)
    assert english in en.stderr
    assert "Fehler" not in en.stderr
    by_env = sozialraum(*args, "-d", str(store), env={"SOZIALRAUM_LANG": "en"}, **kwargs)
    assert english in by_env.stderr
    de = sozialraum(*args, "-d", str(store), **kwargs)
    assert german in de.stderr
    assert "Error" not in de.stderr
    assert log_bytes(store) == before


def test_blocked_advance_as_json(store: Path) -> None:
    """Under --json a refusal is a JSON object on stderr: code, message, position, blockers."""
    result = sozialraum("advance", "-d", str(store), "--as", "kommune", "--json", "--lang", "en")
    assert result.returncode == 1
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["code"].endswith("transition-blocked")
    assert error["message"].startswith("Cannot leave phase 'identifizieren' for 'analysieren'")
    assert error["position"] is None
    assert len(error["blockers"]) == 6
    assert all({"kind", "target", "role", "code", "message"} <= set(b) for b in error["blockers"])
    assert "Event 'Multiplier event' not held" in [b["message"] for b in error["blockers"]]


def test_invalid_data_as_json_names_the_field(store: Path, tmp_path: Path) -> None:
    """Invalid data under --json: the problems with their paths, the first as position."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"titel": 5}', "utf-8")
    result = sozialraum(
        "submit", "auftrag", "--data", str(bad), "-d", str(store), "--as", "kommune", "--json"
    )
    assert result.returncode == 1
    error = json.loads(result.stderr)["error"]
    assert error["position"]["path"] == "titel"
    assert [p["path"] for p in error["problems"]] == ["titel"]


def test_broken_workflow_as_json_has_file_and_line(tmp_path: Path) -> None:
    """A broken workflow file under --json: position names file, line and column."""
    broken = tmp_path / "kaputt.yaml"
    broken.write_text("format: sozialraumprozess/v1\nid: [x\n", "utf-8")
    result = sozialraum(
        "init", str(tmp_path / "s"), "-w", str(broken), "--sozialraum", "A", "--json"
    )
    assert result.returncode == 1
    error = json.loads(result.stderr)["error"]
    assert error["position"]["file"].endswith("kaputt.yaml")
    assert error["position"]["line"] >= 2
    assert error["issues"]


def test_usage_error_as_json(store: Path) -> None:
    """A usage error under --json is JSON too (exit 2)."""
    result = sozialraum("advance", "-d", str(store), "--json")
    assert result.returncode == 2
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "usage"
    assert "--as" in error["message"]


def test_schema_takes_json_and_lang() -> None:
    """schema accepts --json and --lang and prints the same schema."""
    plain = sozialraum("schema")
    both = sozialraum("schema", "--json", "--lang", "en")
    assert plain.returncode == both.returncode == 0
    assert json.loads(both.stdout) == json.loads(plain.stdout)


def _commands(command: click.Command, path: str = "") -> Iterator[tuple[str, click.Command]]:
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, f"{path} {name}".strip())
    else:
        yield path, command


@pytest.mark.parametrize(("name", "command"), list(_commands(group)))
def test_every_command_takes_json_and_lang(name: str, command: click.Command) -> None:
    """Each command (and subcommand) has --json and --lang, as the README promises."""
    options = {opt for param in command.params for opt in getattr(param, "opts", ())}
    assert {"--json", "--lang"} <= options, name
