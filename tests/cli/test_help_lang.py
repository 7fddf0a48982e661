"""``--help`` in German or English, from the catalogs (issue 10: messages as data)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import click
import pytest

from sozialraumprozess._docgen import cli_reference
from sozialraumprozess.cli.app import sozialraum as root
from sozialraumprozess.cli.localized import Command, Option, command_help, help_lang
from sozialraumprozess.i18n import Lang, msg

from .conftest import sozialraum

# (command words, a German and an English phrase of its help, a German and an English
# phrase of one of its options' help)
CASES = [
    (
        ["init"],
        "Einen Prozess für einen Sozialraum",
        "Start a process for a Sozialraum",
        "Name des Sozialraums.",
        "Name of the Sozialraum.",
    ),
    (
        ["decide"],
        "Einen Beschluss DECISION eines Gremiums festhalten",
        "Record a DECISION of a body",
        "Ja-Stimmen.",
        "Votes in favour.",
    ),
    (
        ["status"],
        "Zeigen, wo ein Prozess steht",
        "Show where a run stands",
        "Welcher Prozess, wenn der Speicher mehrere enthält.",
        "Which run, if the store holds several.",
    ),
    (
        ["participant", "add"],
        "Eine beteiligte Person oder Organisation NAME",
        "Add a participant NAME",
        "Rollen-ID (mehrfach möglich).",
        "Role id (repeatable).",
    ),
]

GERMAN = ("Aufruf: sozialraum", "Optionen:", "Diese Hilfe anzeigen und beenden.")
ENGLISH = ("Usage: sozialraum", "Options:", "Show this message and exit.")


def _assert_german(text: str, de_help: str, de_option: str) -> None:
    for phrase in (*GERMAN, de_help, de_option):
        assert phrase in text
    for phrase in ENGLISH:
        assert phrase not in text
    assert "cli.help." not in text


def _assert_english(text: str, en_help: str, en_option: str) -> None:
    for phrase in (*ENGLISH, en_help, en_option):
        assert phrase in text
    for phrase in GERMAN:
        assert phrase not in text
    assert "cli.help." not in text


class TestConsoleScript:
    @pytest.mark.parametrize(("words", "de_help", "en_help", "de_option", "en_option"), CASES)
    def test_german_by_default(
        self, words: list[str], de_help: str, en_help: str, de_option: str, en_option: str
    ) -> None:
        """Without --lang and SOZIALRAUM_LANG the help is German."""
        result = sozialraum(*words, "--help")
        assert result.returncode == 0, result.stderr
        _assert_german(result.stdout, de_help, de_option)
        assert en_help not in result.stdout

    @pytest.mark.parametrize(("words", "de_help", "en_help", "de_option", "en_option"), CASES)
    def test_lang_en_after_help(
        self, words: list[str], de_help: str, en_help: str, de_option: str, en_option: str
    ) -> None:
        """``--help --lang en``: --lang is read although --help ends the command first."""
        result = sozialraum(*words, "--help", "--lang", "en")
        assert result.returncode == 0, result.stderr
        _assert_english(result.stdout, en_help, en_option)

    @pytest.mark.parametrize(("words", "de_help", "en_help", "de_option", "en_option"), CASES)
    def test_env_en(
        self, words: list[str], de_help: str, en_help: str, de_option: str, en_option: str
    ) -> None:
        """``SOZIALRAUM_LANG=en``: English help; ``--lang de`` on the command line wins."""
        result = sozialraum(*words, "--help", env={"SOZIALRAUM_LANG": "en"})
        assert result.returncode == 0, result.stderr
        _assert_english(result.stdout, en_help, en_option)
        result = sozialraum(*words, "--lang=de", "--help", env={"SOZIALRAUM_LANG": "en"})
        _assert_german(result.stdout, de_help, de_option)

    def test_group_help(self) -> None:
        """``sozialraum --help``: the command list's short help in the chosen language."""
        german = sozialraum("--help").stdout
        assert "Befehle:" in german
        assert "Die Version anzeigen und beenden." in german
        assert "Workflow-Dateien prüfen und jedes Problem erklären." in german
        english = sozialraum("--help", env={"SOZIALRAUM_LANG": "en"}).stdout
        assert "Commands:" in english
        assert "Show the version and exit." in english
        assert "Check workflow files and explain every problem." in english
        assert "Befehle:" not in english

    def test_notes_in_the_language(self) -> None:
        """click's notes behind an option's help are worded too."""
        german = sozialraum("render", "--help").stdout
        assert "[Umgebungsvariable: SOZIALRAUM_LANG; Standard: de]" in " ".join(german.split())
        english = sozialraum("submit", "--help", "--lang", "en").stdout
        assert "[required]" in english
        assert "[erforderlich]" not in english

    def test_usage_error_in_the_language(self) -> None:
        """A usage error shows the usage line in the command's language."""
        german = sozialraum("init", "ordner")
        assert german.returncode == 2
        assert german.stderr.startswith("Aufruf: sozialraum init [OPTIONS] [STORE]")
        english = sozialraum("init", "ordner", "--lang", "en")
        assert english.returncode == 2
        assert english.stderr.startswith("Usage: sozialraum init [OPTIONS] [STORE]")

    def test_importing_the_cli_loads_no_catalog(self) -> None:
        """Help texts are worded when shown: importing the CLI reads no catalog."""
        code = (
            "import sozialraumprozess.cli.app\n"
            "from sozialraumprozess import i18n\n"
            "print(len(i18n._TRANSLATIONS))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == "0"


# --------------------------------------------------------------------------- the whole tree


def _walk(command: click.Command, path: str) -> Iterator[tuple[str, click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from _walk(command.commands[name], f"{path} {name}")


COMMANDS = list(_walk(root, "sozialraum"))


def _help(command: click.Command, path: str, lang: Lang) -> str:
    ctx = click.Context(command, info_name=path)
    ctx.meta["sozialraum.lang"] = lang
    return command.get_help(ctx)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_and_option_in_both_languages(path: str, command: click.Command) -> None:
    """Every command and every option has catalog help in German and English, different
    in the two; the formatted help shows no code."""
    assert isinstance(command, Command)
    assert command.help_message is not None
    assert command_help(command, "de") != command_help(command, "en")
    if command.json_keys is not None:
        assert command.json_keys.text("de").startswith("Mit --json:")
        assert command.json_keys.text("en").startswith("With --json:")
    ctx = click.Context(command, info_name=path)
    for param in command.get_params(ctx):
        if not isinstance(param, click.Option):
            continue
        assert isinstance(param, Option), f"{path} {param.opts}: not a catalog option"
        german, english = param.help_text("de"), param.help_text("en")
        assert german, f"{path} {param.opts}"
        assert english, f"{path} {param.opts}"
        assert german != english, f"{path} {param.opts}: the same in both languages"
    texts = {lang: _help(command, path, lang) for lang in ("de", "en")}
    for lang, text in texts.items():
        assert "cli.help." not in text, lang
        assert command_help(command, lang).split()[0] in text
    assert texts["de"] != texts["en"]


def test_state_changing_commands_name_their_json_keys() -> None:
    """The keys of the --json answer stay as they are, in both languages."""
    for lang in ("de", "en"):
        text = msg("cli.help.json-change").text(lang)
        for key in ("run_id", "event", "can_advance", "blockers", "next_steps", "command_line"):
            assert key in text


class TestHelpLang:
    def test_order(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Parsed --lang, else --lang as written, else SOZIALRAUM_LANG, else German."""
        ctx = click.Context(root)
        monkeypatch.delenv("SOZIALRAUM_LANG", raising=False)
        assert help_lang(ctx) == "de"
        assert help_lang(None) == "de"
        monkeypatch.setenv("SOZIALRAUM_LANG", "en")
        assert help_lang(ctx) == "en"
        ctx.meta["sozialraum.args-lang"] = "de"
        assert help_lang(ctx) == "de"
        ctx.meta["sozialraum.lang"] = "en"
        assert help_lang(ctx) == "en"

    def test_unknown_language_is_skipped(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """``--lang fr`` as written does not pick a language (click refuses it later)."""
        monkeypatch.setenv("SOZIALRAUM_LANG", "en")
        ctx = click.Context(root)
        ctx.meta["sozialraum.args-lang"] = "fr"
        assert help_lang(ctx) == "en"


def test_reference_is_english_whatever_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/reference/cli.md does not depend on SOZIALRAUM_LANG."""
    monkeypatch.setenv("SOZIALRAUM_LANG", "de")
    german_env = cli_reference()
    monkeypatch.setenv("SOZIALRAUM_LANG", "en")
    assert cli_reference() == german_env
    assert "Usage: sozialraum init" in german_env
    assert "Name of the Sozialraum." in german_env
    assert "Aufruf:" not in german_env
