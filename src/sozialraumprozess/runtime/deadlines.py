"""Deadlines: a phase's ``duration`` added to its entry date (calendar arithmetic).

Months and years are added on the calendar with the day clamped to the end of
the target month (31 January + 1 month = 28/29 February); weeks and days are
added after that. Durations are ISO 8601 (``P2M``) or plain German
(``2 Monate``), read by :func:`sozialraumprozess.definition.dates.parse_duration`;
the arithmetic is python-dateutil's ``relativedelta``. Nothing moves by itself:
a deadline only informs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from dateutil.relativedelta import relativedelta

from sozialraumprozess.definition.dates import add_duration, parse_date, subtract_duration
from sozialraumprozess.definition.model import Deadline, Workflow

__all__ = ["add_duration", "add_months", "phase_deadlines", "subtract_duration"]


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, the day clamped to the month's end."""
    moved: date = start + relativedelta(months=months)
    return moved


def phase_deadlines(
    workflow: Workflow, phase: str, planned: Mapping[str, str]
) -> list[tuple[Deadline, date | None]]:
    """The deadlines of ``phase`` with their days.

    Args:
        workflow: The definition.
        phase: The phase id.
        planned: Event id → ISO day of its open plan; a deadline ``before`` an
            event that is not planned has no day yet (``None``).
    """
    found: list[tuple[Deadline, date | None]] = []
    for deadline in workflow.phase(phase).deadlines:
        day: date | None = None
        if deadline.date is not None:
            day = parse_date(deadline.date)
        elif deadline.before is not None and deadline.by is not None:
            event_day = planned.get(deadline.before)
            if event_day is not None:
                day = subtract_duration(date.fromisoformat(event_day), deadline.by)
        found.append((deadline, day))
    return found
