"""The message catalogs are complete, compiled, and give every language's text."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sozialraumprozess.errors import TransitionBlocked, UnknownNameError
from sozialraumprozess.i18n import (
    CATALOGS,
    CATALOGS_ENV,
    LANGS,
    Message,
    Number,
    available_languages,
    check_lang,
    joined,
    msg,
    plural,
    use_catalogs,
)
from sozialraumprozess.i18n.__main__ import german_literals, main, problems, scan, scanned_files


def test_catalogs_have_every_message_and_are_compiled() -> None:
    assert list(problems()) == []


def test_german_and_english_are_the_languages() -> None:
    assert LANGS == ("de", "en")
    assert available_languages()[:2] == ("de", "en")


def test_unknown_language_is_a_value_error_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown language 'fr': catalogs exist for de, en"):
        check_lang("fr")
    with pytest.raises(ValueError, match="'fr'"):
        UnknownNameError("artifact", "x", ["y"]).message("fr")


def test_plural_forms_follow_the_count() -> None:
    one = plural("process.transition-blocked", 1, phase="a", target="b")
    two = plural("process.transition-blocked", 2, phase="a", target="b")
    assert "1 Abschlusskriterium nicht erfüllt" in one.text("de")
    assert "2 Abschlusskriterien nicht erfüllt" in two.text("de")
    assert "1 exit criterion not met" in one.text("en")
    assert "2 exit criteria not met" in two.text("en")


def test_parameters_that_are_messages_take_the_same_language() -> None:
    inner = msg("name.did-you-mean", name="x")
    outer = Message("name.known", {"known": inner})
    assert outer.text("de") == "Bekannt: Meinten Sie 'x'?."
    assert outer.text("en") == "Known: Did you mean 'x'?."


def test_an_error_built_from_a_message_has_its_code() -> None:
    error = TransitionBlocked("a", "b", [])
    assert error.message("en").startswith("Cannot leave phase 'a' for 'b'")
    unknown = UnknownNameError("artifact", "zielkatalg", ["zielkatalog"])
    assert unknown.message("en") == "Unknown artifact 'zielkatalg'. Did you mean 'zielkatalog'?"


def test_no_german_text_is_left_outside_the_catalogs() -> None:
    """Every part of the package listed in SCANNED words its messages from the catalogs."""
    assert scanned_files(), "the scan looks at no file"
    assert list(german_literals(scanned_files())) == []


def test_the_scan_finds_a_german_literal_but_not_docstrings_or_codes(tmp_path: Path) -> None:
    source = tmp_path / "example.py"
    source.write_text(
        '"""Modul mit einer Datei für Menschen."""\n'
        "from sozialraumprozess.i18n import msg\n"
        'CODE = msg("doc.choice-nicht-erreicht")\n'
        "def f():\n"
        '    """Die Funktion."""\n'
        '    raise ValueError(f"Datei {1} nicht gefunden")\n'
        'ENGLISH = "file not found"\n',
        encoding="utf-8",
    )
    found = list(german_literals([source]))
    assert found == [
        f"{source}:6: 'Datei '",
        f"{source}:6: ' nicht gefunden'",
    ]
    assert scan([source]) == 1


def test_the_scan_is_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan"]) == 0
    assert capsys.readouterr().out == ""


def test_a_list_parameter_is_worded_item_by_item() -> None:
    listed = joined(
        [msg("definition.type-string"), msg("definition.type-array")], msg("definition.or")
    )
    text = msg("definition.wrong-type-empty", expected=listed, found=msg("definition.type-null"))
    assert text.text("de") == "erwartet Text oder Liste, gefunden leer"
    assert text.text("en") == "expected text or list, found empty"


def test_a_number_parameter_is_written_the_languages_way() -> None:
    message = msg("definition.too-many-nodes", limit=Number(200_000))
    assert message.text("de") == "Dokument ist zu groß: mehr als 200.000 Knoten (Alias-Bombe?)"
    assert message.text("en") == "document is too large: more than 200,000 nodes (alias bomb?)"


def test_a_literal_brace_in_a_catalog_text_is_written_twice() -> None:
    assert msg("definition.empty-label-hint").text("en") == "Give a text or {de: …, en: …}."


def _third_language(folder: Path) -> None:
    """Copy the package's catalogs to ``folder`` and add French there with the i18n tool."""
    shutil.copytree(CATALOGS, folder)
    texts = folder / "fr.yaml"
    texts.write_text(
        "name.did-you-mean: {fr: \"Vouliez-vous dire '{name}' ?\"}\n"
        # French has three plural forms (one, many, other): see the catalog's Plural-Forms.
        "process.transition-blocked:\n"
        "  fr:\n"
        '  - "Impossible de quitter {phase} pour {target} : {count} critère non rempli :"\n'
        '  - "Impossible de quitter {phase} pour {target} : {count} de critères non remplis :"\n'
        '  - "Impossible de quitter {phase} pour {target} : {count} critères non remplis :"\n'
        'definition.too-few-items: {fr: ["au moins {count} élément", "{count} éléments"]}\n',
        encoding="utf-8",
    )
    use_catalogs(folder)
    try:
        assert main(["init", "fr"]) == 0
        assert main(["set", str(texts)]) == 0
    finally:
        use_catalogs(None)


def test_a_third_language_is_one_more_catalog(tmp_path: Path) -> None:
    folder = tmp_path / "catalogs"
    _third_language(folder)
    assert (folder / "fr" / "LC_MESSAGES" / "sozialraumprozess.mo").is_file()
    assert not (CATALOGS / "fr").exists()  # the package's catalogs are untouched
    use_catalogs(folder)
    try:
        assert available_languages() == ("de", "en", "fr")
        assert check_lang("fr") == "fr"
        assert msg("name.did-you-mean", name="x").text("fr") == "Vouliez-vous dire 'x' ?"
        one = plural("process.transition-blocked", 1, phase="a", target="b").text("fr")
        assert one.startswith("Impossible de quitter a pour b : ")
        two = plural("process.transition-blocked", 2, phase="a", target="b").text("fr")
        assert one.endswith("1 critère non rempli :")
        assert two.endswith("2 critères non remplis :")
        # An error worded in the new language; a text not translated yet is English.
        error = UnknownNameError("artifact", "zielkatalg", ["zielkatalog"])
        assert (
            error.message("fr")
            == "Unknown artifact 'zielkatalg'. Vouliez-vous dire 'zielkatalog' ?"
        )
        # The tool reports the texts still missing in the new catalog.
        found = list(problems())
        assert any("fr/LC_MESSAGES" in p and "has no text" in p for p in found)
        assert any(
            "'definition.too-few-items' lacks plural form(s) [2]: the language has 3" in p
            for p in found
        )
    finally:
        use_catalogs(None)
    assert available_languages() == ("de", "en")
    with pytest.raises(ValueError, match="'fr'"):
        msg("name.did-you-mean", name="x").text("fr")


def test_the_catalog_folder_can_be_named_by_the_environment(tmp_path: Path) -> None:
    folder = tmp_path / "catalogs"
    _third_language(folder)
    code = (
        "from sozialraumprozess.i18n import msg; "
        "print(msg('name.did-you-mean', name='x').text('fr'))"
    )
    env = {**os.environ, CATALOGS_ENV: str(folder)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "Vouliez-vous dire 'x' ?"


def test_a_literal_brace_not_doubled_is_reported(tmp_path: Path) -> None:
    """``{de: …}`` in a text would fail when shown; the check names it."""
    folder = tmp_path / "catalogs"
    shutil.copytree(CATALOGS, folder)
    texts = folder / "bad.yaml"
    texts.write_text(
        'definition.empty-label-hint: {de: "Text angeben oder {de: …}."}\n'
        'definition.empty-label: {de: "Leere Bezeichnung }"}\n',
        encoding="utf-8",
    )
    use_catalogs(folder)
    try:
        assert main(["set", str(texts)]) == 0
        found = [p.split(": ", 1)[1] for p in problems()]
    finally:
        use_catalogs(None)
    assert found == [
        "'definition.empty-label': placeholders must be plain names, not ['Leere Bezeichnung }']",
        "'definition.empty-label-hint': placeholders must be plain names, not ['de: …']",
    ]
