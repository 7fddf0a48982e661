"""Deadlines: a phase's ``duration`` added to its entry date (calendar arithmetic).

Months and years are added on the calendar with the day clamped to the end of
the target month (31 January + 1 month = 28/29 February); weeks and days are
added after that. Nothing moves by itself: a deadline only informs.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from sozialraumprozess.definition.describe import parse_duration

__all__ = ["add_duration", "add_months"]


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, the day clamped to the month's end."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def add_duration(start: date, duration: str) -> date:
    """``start`` plus an ISO 8601 date duration (``P2M``, ``P1Y6M``, ``P6W``, ``P10D``).

    Raises:
        ValueError: ``duration`` is not a date-only ISO 8601 duration.
    """
    years, months, weeks, days = parse_duration(duration)
    return add_months(start, 12 * years + months) + timedelta(weeks=weeks, days=days)
