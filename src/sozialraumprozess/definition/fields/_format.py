"""Locale formatting of field values with Babel (used by the field types and documents).

German (``de``) and English (``en``); ``None`` becomes an en dash ``–``. The
documents' Jinja filters (:mod:`sozialraumprozess.documents.formatting`) are
built on these.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sozialraumprozess.i18n import Lang

if TYPE_CHECKING:  # Babel is imported on first use: loading a workflow does not need it
    from babel import Locale
    from babel.numbers import NumberPattern

__all__ = [
    "EMPTY",
    "as_date",
    "format_date_short",
    "format_money",
    "format_number",
    "locale",
    "yes_no",
]

#: What an empty optional value prints as.
EMPTY = "–"

_LOCALES = {"de": "de_DE", "en": "en_GB"}
_DATE_SHORT = {"de": "dd.MM.yyyy", "en": "dd/MM/yyyy"}


@lru_cache(maxsize=4)
def locale(lang: Lang) -> Locale:
    """The Babel locale of ``lang`` (``de_DE``; ``en_GB`` for ``en``)."""
    from babel import Locale

    return Locale.parse(_LOCALES.get(lang, "de_DE"))


@lru_cache(maxsize=8)
def _pattern(text: str) -> NumberPattern:
    from babel.numbers import parse_pattern

    return parse_pattern(text)


def as_date(value: Any) -> date | None:
    """``value`` as a date: a ``date``, a ``datetime`` or an ISO ``YYYY-MM-DD`` text.

    Returns:
        The date, or ``None`` for ``None``/empty text.

    Raises:
        ValueError: Text that is not an ISO date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def format_date_short(value: Any, lang: Lang = "de") -> str:
    """``08.11.2017`` (``de``) / ``08/11/2017`` (``en``); ``–`` for ``None``."""
    day = as_date(value)
    if day is None:
        return EMPTY
    return _date_short(day, lang)


# Documents format the same few dates and amounts again and again (a run's 92
# documents: about 600 dates and 450 numbers); Babel takes some µs for each.
# benchmarks/render_bench.py: the warm render of all documents drops by about a tenth.
@functools.lru_cache(maxsize=4096)
def _date_short(day: date, lang: Lang) -> str:
    from babel.dates import format_date

    return str(format_date(day, _DATE_SHORT.get(lang, _DATE_SHORT["de"]), locale=locale(lang)))


def _number(value: Any) -> float | int | Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    return value


def format_number(value: Any, lang: Lang = "de", digits: int = 3) -> str:
    """German grouping and decimal comma: ``6.180``, ``27,4`` (``en``: ``6,180``, ``27.4``).

    Args:
        value: An int, float or Decimal; ``None`` gives ``–``.
        lang: ``de`` or ``en``.
        digits: Most decimals shown (trailing zeros are dropped).
    """
    if value is None:
        return EMPTY
    return _number_text(_number(value), lang, digits)


@functools.lru_cache(maxsize=4096, typed=True)
def _number_text(value: float | int | Decimal, lang: Lang, digits: int) -> str:
    pattern = _pattern("#,##0" + ("." + "#" * digits if digits > 0 else ""))
    return str(pattern.apply(value, locale(lang)))


def format_money(value: Any, lang: Lang = "de") -> str:
    """Euro amounts: ``15.400 €``, with cents only where needed: ``15.400,50 €``.

    English: ``€15,400`` and ``€15,400.50``; a negative amount ``-€1,000``
    (German ``-1.000 €``).
    """
    if value is None:
        return EMPTY
    return _money_text(_number(value), lang)


@functools.lru_cache(maxsize=4096, typed=True)
def _money_text(amount: float | int | Decimal, lang: Lang) -> str:
    cents = round(float(amount) * 100) % 100 != 0
    size: float | Decimal = -amount if amount < 0 else amount
    text = str(_pattern("#,##0.00" if cents else "#,##0").apply(size, locale(lang)))
    sign = "-" if amount < 0 else ""
    return f"{sign}€{text}" if lang == "en" else f"{sign}{text} €"


def yes_no(value: Any, lang: Lang = "de") -> str:
    """``ja``/``nein`` (``yes``/``no``); ``–`` for ``None``."""
    if value is None:
        return EMPTY
    if lang == "en":
        return "yes" if value else "no"
    return "ja" if value else "nein"
