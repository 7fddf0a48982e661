"""Dates as people write them: ISO ``2025-03-04`` and German ``04.03.2025``.

The one place that reads a date typed by a person (in a workflow file's
``earliest``/``latest`` bounds, in submitted data, on the command line), so
every part of the library tells the same two mistakes apart:

* a **wrongly written** date (``4.3.25``, ``2025/03/04``, ``morgen``):
  :class:`DateText` with ``reason == "malformed"``;
* an **impossible** date, written correctly (``2025-13-01``, ``31.02.2025``):
  :class:`DateText` with ``reason == "impossible"``.

>>> parse_date("04.03.2025")
datetime.date(2025, 3, 4)
>>> parse_date("2025-03-04")
datetime.date(2025, 3, 4)
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

__all__ = ["DateText", "is_date_text", "parse_date"]

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_GERMAN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


class DateText(ValueError):
    """A text that is not a date.

    Attributes:
        text: The text as given.
        reason: ``malformed`` (not written as ``YYYY-MM-DD`` or ``TT.MM.JJJJ``) or
            ``impossible`` (written so, but no such day: ``2025-13-01``).
    """

    def __init__(self, text: str, reason: Literal["malformed", "impossible"]) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"{reason} date: {text!r}")


def parse_date(value: str | date) -> date:
    """The day ``value`` names: a ``date``, ``YYYY-MM-DD`` or German ``TT.MM.JJJJ``.

    Raises:
        DateText: The text is wrongly written (``reason="malformed"``) or names
            no real day (``reason="impossible"``).
    """
    if isinstance(value, date):
        return value
    text = value.strip() if isinstance(value, str) else ""
    iso = _ISO.match(text)
    if iso is not None:
        year, month, day = (int(part) for part in iso.groups())
    else:
        german = _GERMAN.match(text)
        if german is None:
            raise DateText(str(value), "malformed")
        day, month, year = (int(part) for part in german.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise DateText(str(value), "impossible") from None


def is_date_text(value: object) -> bool:
    """True for a text :func:`parse_date` reads."""
    if not isinstance(value, str):
        return False
    try:
        parse_date(value)
    except DateText:
        return False
    return True
