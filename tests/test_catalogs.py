"""The message catalogs are complete, compiled, and give every language's text."""

from __future__ import annotations

import pytest

from sozialraumprozess.errors import TransitionBlocked, UnknownNameError
from sozialraumprozess.i18n import LANGS, Message, available_languages, check_lang, msg, plural
from sozialraumprozess.i18n.__main__ import problems


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
