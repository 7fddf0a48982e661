"""Choice fields refuse what is not one of their choices (with the closest one where
there is one), and number formatting refuses what is not a number."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sozialraumprozess.definition.fields import field_type
from sozialraumprozess.documents.formatting import format_money, format_number
from sozialraumprozess.errors import InvalidData
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.testing import workflow_from_string

from .conftest import variant

CHOICE = variant(
    "      ziele: {type: list, min_items: 1, items: {type: text}}\n",
    "      ziele: {type: list, min_items: 1, items: {type: text}}\n"
    "      stand: {type: choice, choices: [offen, erledigt]}\n",
)


@pytest.mark.parametrize(
    ("value", "code", "en", "de"),
    [
        (
            3,
            "type",
            "stand: expected a choice (text), got 3",
            "stand: Auswahlwert (Text) erwartet, erhalten: 3",
        ),
        (
            "erledgt",
            "choice",
            "stand: 'erledgt' is not an allowed choice (allowed: offen, erledigt). "
            "Did you mean 'erledigt'?",
            "stand: 'erledgt' ist keine erlaubte Auswahl (erlaubt: offen, erledigt). "
            "Meinten Sie 'erledigt'?",
        ),
        (
            "zzzzzz",
            "choice",
            "stand: 'zzzzzz' is not an allowed choice (allowed: offen, erledigt)",
            "stand: 'zzzzzz' ist keine erlaubte Auswahl (erlaubt: offen, erledigt)",
        ),
    ],
)
def test_a_value_that_is_not_a_choice_is_refused(value: Any, code: str, en: str, de: str) -> None:
    process = Process.start(workflow_from_string(CHOICE, "w.yaml"), sozialraum="N", by="kommune")
    before = tuple(process.log)
    with pytest.raises(InvalidData) as info:
        process.submit("zielkatalog", {"stand": value}, by="vg")
    (found,) = info.value.problems
    assert (found.path, found.code, found.message("en"), found.message("de")) == (
        "stand",
        code,
        en,
        de,
    )
    assert tuple(process.log) == before


def test_a_choice_is_shown_with_spaces() -> None:
    assert field_type("choice").format("in_arbeit") == "in arbeit"
    assert field_type("choice").format(None) == "–"


@pytest.mark.parametrize("value", ["12", True])
def test_money_and_numbers_must_be_numbers(value: Any) -> None:
    with pytest.raises(TypeError, match="expected a number, got "):
        format_money(value)
    with pytest.raises(TypeError, match="expected a number, got "):
        format_number(value, "en")


def test_decimals_are_numbers() -> None:
    assert format_money(Decimal("1.5")) == "1,50 €"
    assert format_number(Decimal("1.5"), "en") == "1.5"


@pytest.mark.parametrize(
    ("value", "de", "en"),
    [
        (-1000, "-1.000 €", "-€1,000"),
        (-1000.5, "-1.000,50 €", "-€1,000.50"),
        (Decimal("-0.25"), "-0,25 €", "-€0.25"),
        (15400, "15.400 €", "€15,400"),
    ],
)
def test_a_negative_amount_has_its_sign_before_the_currency_in_english(
    value: Any, de: str, en: str
) -> None:
    """A difference below plan reads "-€1,000" in English (never "€-1,000")."""
    assert (format_money(value), format_money(value, "en")) == (de, en)
