"""Deadlines: a phase's ``duration`` added to its entry date (calendar arithmetic).

Months and years are added on the calendar with the day clamped to the end of
the target month (31 January + 1 month = 28/29 February); weeks and days are
added after that. Durations are ISO 8601 (``P2M``) or plain German
(``2 Monate``), read by :func:`sozialraumprozess.definition.dates.parse_duration`;
the arithmetic is python-dateutil's ``relativedelta``. Nothing moves by itself:
a deadline only informs.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from sozialraumprozess.definition.dates import add_duration, subtract_duration

__all__ = ["add_duration", "add_months", "subtract_duration"]


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, the day clamped to the month's end."""
    moved: date = start + relativedelta(months=months)
    return moved
