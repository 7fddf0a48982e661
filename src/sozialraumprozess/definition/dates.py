"""Dates and durations as people write them: the one place that reads them.

* :func:`parse_date` reads a calendar date written as ISO 8601 (``2025-03-04``)
  or in German form (``04.03.2025``, also ``4.3.2025``) and tells a *wrongly
  written* date (``03/04/2025``, ``morgen``: :class:`DateFormatProblem`) apart
  from an *impossible* one (``2025-13-01``, ``31.02.2025``:
  :class:`ImpossibleDateProblem`).
* :func:`parse_duration` reads a duration written as ISO 8601 (``P2M``,
  ``P6W``, ``P1Y6M``, ``P10D``) or in plain German (``2 Monate``, ``6 Wochen``,
  ``1 Monat``, ``10 Tage``, ``1 Jahr 6 Monate``) into a
  :class:`dateutil.relativedelta.relativedelta`; :func:`add_duration` adds it to
  a date with calendar arithmetic (31 January + 1 month = 28/29 February).

Calendar arithmetic comes from python-dateutil, not hand code.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

__all__ = [
    "DURATION_PATTERN",
    "DateFormatProblem",
    "DateProblem",
    "ImpossibleDateProblem",
    "add_duration",
    "duration_parts",
    "is_date_text",
    "is_duration",
    "parse_date",
    "parse_duration",
    "subtract_duration",
]

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")

_ISO_DURATION = r"P(?!$)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?"
_GERMAN_UNIT = (
    r"(?:Jahre?|Monate?|Wochen?|Tage?|years?|months?|weeks?|days?)"  # English too, for en labels
)
_GERMAN_DURATION = rf"\d+ ?{_GERMAN_UNIT}(?: \d+ ?{_GERMAN_UNIT})*"

#: A duration as the workflow file accepts it: ISO 8601 (``P2M``) or plain German (``2 Monate``).
DURATION_PATTERN = rf"^(?:{_ISO_DURATION}|{_GERMAN_DURATION})$"

_ISO_PARTS = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
_GERMAN_PART = re.compile(rf"(\d+) ?({_GERMAN_UNIT})")
_UNIT_INDEX = {
    "jahr": 0,
    "jahre": 0,
    "year": 0,
    "years": 0,
    "monat": 1,
    "monate": 1,
    "month": 1,
    "months": 1,
    "woche": 2,
    "wochen": 2,
    "week": 2,
    "weeks": 2,
    "tag": 3,
    "tage": 3,
    "day": 3,
    "days": 3,
}


class DateProblem(ValueError):
    """A text that is not a usable date; :attr:`code` says which kind of problem."""

    code = "date"

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"{self.code}: {text!r}")


class DateFormatProblem(DateProblem):
    """The text is not written as a date (neither ``YYYY-MM-DD`` nor ``TT.MM.JJJJ``)."""

    code = "date-format"


class ImpossibleDateProblem(DateProblem):
    """The text is written as a date, but no such day exists (``2025-13-01``, ``31.02.2025``)."""

    code = "date-impossible"


def parse_date(value: str | date) -> date:
    """The date written in ``value`` (ISO ``2025-03-04`` or German ``04.03.2025``).

    A :class:`datetime.date` is returned as it is (a ``datetime`` is refused as
    wrongly written: a date has no time of day).

    Raises:
        DateFormatProblem: ``value`` is not written as a date.
        ImpossibleDateProblem: ``value`` is written as a date that does not exist.
    """
    if type(value) is date:
        return value
    if not isinstance(value, str):
        raise DateFormatProblem(repr(value))
    text = value.strip()
    match = _ISO_DATE.match(text)
    if match is not None:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _GERMAN_DATE.match(text)
        if match is None:
            raise DateFormatProblem(value)
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ImpossibleDateProblem(value) from None


def is_date_text(value: object) -> bool:
    """True for a text :func:`parse_date` reads."""
    if not isinstance(value, str):
        return False
    try:
        parse_date(value)
    except DateProblem:
        return False
    return True


def duration_parts(text: str) -> tuple[int, int, int, int]:
    """``(years, months, weeks, days)`` of an ISO 8601 or German duration.

    Raises:
        ValueError: ``text`` is not such a duration.
    """
    if not isinstance(text, str):
        raise ValueError(f"not a duration: {text!r}")
    stripped = text.strip()
    match = _ISO_PARTS.match(stripped)
    if match is not None and stripped != "P":
        years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
        return years, months, weeks, days
    if not re.fullmatch(_GERMAN_DURATION, stripped):
        raise ValueError(f"not a duration: {text!r}")
    parts = [0, 0, 0, 0]
    for amount, unit in _GERMAN_PART.findall(stripped):
        parts[_UNIT_INDEX[unit.lower()]] += int(amount)
    return parts[0], parts[1], parts[2], parts[3]


def parse_duration(text: str) -> relativedelta:
    """The duration written in ``text`` (``P2M``, ``P6W``, ``2 Monate``, ``6 Wochen``).

    Raises:
        ValueError: ``text`` is not an ISO 8601 date duration nor a German one.
    """
    years, months, weeks, days = duration_parts(text)
    return relativedelta(years=years, months=months, weeks=weeks, days=days)


def is_duration(text: object) -> bool:
    """True if :func:`parse_duration` reads ``text``."""
    try:
        duration_parts(text)  # type: ignore[arg-type]
    except ValueError:
        return False
    return True


def add_duration(start: date, duration: str) -> date:
    """``start`` plus ``duration`` (months and years on the calendar, then weeks and days).

    Raises:
        ValueError: ``duration`` is not a duration.
    """
    years, months, weeks, days = duration_parts(duration)
    moved: date = start + relativedelta(years=years, months=months)
    return moved + timedelta(weeks=weeks, days=days)


def subtract_duration(end: date, duration: str) -> date:
    """``end`` minus ``duration`` (``spätestens 6 Wochen vor``: the latest allowed day).

    Raises:
        ValueError: ``duration`` is not a duration.
    """
    years, months, weeks, days = duration_parts(duration)
    moved: date = end - timedelta(weeks=weeks, days=days)
    return moved - relativedelta(years=years, months=months)
