"""German (and English) formatting of dates, money, percentages and numbers, with Babel.

The functions take a value and a language (``de`` default, ``en``) and return
text; ``None`` (an empty optional field) becomes an en dash ``–``. They are the
Jinja filters of every document (see :data:`FILTERS`):

==============  ==================  ========================  ==========================
German name     English alias       ``de``                    ``en``
==============  ==================  ========================  ==========================
``datum``       ``date``            ``08.11.2017``            ``08/11/2017``
``datum_lang``  ``date_long``       ``8. November 2017``      ``8 November 2017``
``zeitpunkt``   ``timestamp``       ``13.01.2025, 08:00 UTC`` ``13/01/2025, 08:00 UTC``
``geld``        ``money``           ``15.400 €``,             ``€15,400``,
                                    ``15.400,50 €``           ``€15,400.50``
``prozent``     ``percent``         ``10 %``, ``27,4 %``      ``10%``, ``27.4%``
``zahl``        ``number``          ``6.180``, ``2,4``        ``6,180``, ``2.4``
``ja_nein``     ``yes_no``          ``ja`` / ``nein``         ``yes`` / ``no``
``wahl``        ``choice``          ``Handlungsziel``         ``Operational goal``
``zelle``       ``cell``            one line, for a Markdown table cell
==============  ==================  ========================  ==========================

Money and numbers use a plain space before ``€`` and ``%`` so that the text is
the same in every viewer; numbers are rounded to at most three decimals.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, parse_pattern
from jinja2 import pass_context
from jinja2.runtime import Context

from sozialraumprozess.documents.strings import choice_label

__all__ = [
    "EMPTY",
    "FILTERS",
    "as_date",
    "cell",
    "format_date_long",
    "format_date_short",
    "format_money",
    "format_number",
    "format_percent",
    "format_timestamp",
    "yes_no",
]

#: What an empty optional value prints as.
EMPTY = "–"

_LOCALES = {"de": "de_DE", "en": "en_GB"}
_DATE_SHORT = {"de": "dd.MM.yyyy", "en": "dd/MM/yyyy"}
_DATE_LONG = {"de": "d. MMMM yyyy", "en": "d MMMM yyyy"}


@lru_cache(maxsize=4)
def _locale(lang: str) -> Locale:
    return Locale.parse(_LOCALES.get(lang, "de_DE"))


@lru_cache(maxsize=8)
def _pattern(text: str) -> NumberPattern:
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


def format_date_short(value: Any, lang: str = "de") -> str:
    """``08.11.2017`` (``de``) / ``08/11/2017`` (``en``); ``–`` for ``None``."""
    day = as_date(value)
    if day is None:
        return EMPTY
    return format_date(day, _DATE_SHORT.get(lang, _DATE_SHORT["de"]), locale=_locale(lang))


def format_date_long(value: Any, lang: str = "de") -> str:
    """``8. November 2017`` (``de``) / ``8 November 2017`` (``en``); ``–`` for ``None``."""
    day = as_date(value)
    if day is None:
        return EMPTY
    return format_date(day, _DATE_LONG.get(lang, _DATE_LONG["de"]), locale=_locale(lang))


def format_timestamp(value: Any, lang: str = "de") -> str:
    """``13.01.2025, 08:00 UTC``: a datetime in UTC, short date and time."""
    if value is None:
        return EMPTY
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value))
    moment = value.astimezone(UTC) if value.tzinfo is not None else value
    return f"{format_date_short(moment, lang)}, {moment:%H:%M} UTC"


def _number(value: Any) -> float | int | Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    return value


def format_number(value: Any, lang: str = "de", digits: int = 3) -> str:
    """German grouping and decimal comma: ``6.180``, ``27,4`` (``en``: ``6,180``, ``27.4``).

    Args:
        value: An int, float or Decimal; ``None`` gives ``–``.
        lang: ``de`` or ``en``.
        digits: Most decimals shown (trailing zeros are dropped).
    """
    if value is None:
        return EMPTY
    pattern = _pattern("#,##0" + ("." + "#" * digits if digits > 0 else ""))
    return str(pattern.apply(_number(value), _locale(lang)))


def format_money(value: Any, lang: str = "de") -> str:
    """Euro amounts: ``15.400 €``, with cents only where needed: ``15.400,50 €``.

    English: ``€15,400`` and ``€15,400.50``.
    """
    if value is None:
        return EMPTY
    amount = _number(value)
    cents = round(float(amount) * 100) % 100 != 0
    text = str(_pattern("#,##0.00" if cents else "#,##0").apply(amount, _locale(lang)))
    return f"€{text}" if lang == "en" else f"{text} €"


def format_percent(value: Any, lang: str = "de") -> str:
    """A value in percent points: ``10`` → ``10 %`` (``en``: ``10%``)."""
    if value is None:
        return EMPTY
    text = format_number(value, lang, digits=1)
    return f"{text}%" if lang == "en" else f"{text} %"


def yes_no(value: Any, lang: str = "de") -> str:
    """``ja``/``nein`` (``yes``/``no``); ``–`` for ``None``."""
    if value is None:
        return EMPTY
    if lang == "en":
        return "yes" if value else "no"
    return "ja" if value else "nein"


def cell(value: Any) -> str:
    """Text fit for one Markdown table cell: whitespace (newlines) collapsed; ``–`` if empty."""
    if value is None or value == "":
        return EMPTY
    return " ".join(str(value).split())


def _lang(context: Context) -> str:
    lang = context.get("lang", "de")
    return lang if lang in _LOCALES else "de"


def _filter(func: Callable[..., str]) -> Callable[..., str]:
    @pass_context
    def apply(context: Context, value: Any, *args: Any) -> str:
        return func(value, _lang(context), *args)

    apply.__name__ = func.__name__
    apply.__doc__ = func.__doc__
    return apply


def _choice(value: Any, lang: str) -> str:
    if value is None:
        return EMPTY
    return choice_label(str(value), lang)


_DATUM = _filter(format_date_short)
_DATUM_LANG = _filter(format_date_long)
_ZEITPUNKT = _filter(format_timestamp)
_GELD = _filter(format_money)
_PROZENT = _filter(format_percent)
_ZAHL = _filter(format_number)
_JA_NEIN = _filter(yes_no)
_WAHL = _filter(_choice)

#: The filters every document environment has, German names and English aliases.
FILTERS: dict[str, Callable[..., str]] = {
    "datum": _DATUM,
    "date": _DATUM,
    "datum_lang": _DATUM_LANG,
    "date_long": _DATUM_LANG,
    "zeitpunkt": _ZEITPUNKT,
    "timestamp": _ZEITPUNKT,
    "geld": _GELD,
    "money": _GELD,
    "prozent": _PROZENT,
    "percent": _PROZENT,
    "zahl": _ZAHL,
    "number": _ZAHL,
    "ja_nein": _JA_NEIN,
    "yes_no": _JA_NEIN,
    "wahl": _WAHL,
    "choice": _WAHL,
    "zelle": cell,
    "cell": cell,
}
