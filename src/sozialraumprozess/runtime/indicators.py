"""Indicator values per reference date (*Stichtag*): the record, its checks and the command.

The workflow declares the indicators (format v2 ``indicators:``); a run records
their values with :meth:`Process.record_indicators
<sozialraumprozess.runtime.process.Process.record_indicators>`, which appends one
:class:`~sozialraumprozess.runtime.events.IndicatorValuesRecorded`. The fold keeps
every recording as an :class:`IndicatorRecord` with the cycle it was made in, so
each cycle's analysis adds its own snapshot (``indicator_snapshot`` gate) and the
steering layer (:mod:`sozialraumprozess.steering.indicators`) compares cycles.

A value for an undeclared indicator, a value that is not a number or a
reference date that is no date is refused with the path of the bad entry
(``values.sgb2_quote``) in German and English, and nothing is recorded.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from sozialraumprozess.definition.dates import DateProblem, parse_date
from sozialraumprozess.errors import FieldProblem, InvalidData
from sozialraumprozess.errors._base import closest
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime.events import IndicatorValuesRecorded

if TYPE_CHECKING:
    from sozialraumprozess.definition.model import Workflow
    from sozialraumprozess.runtime.process import Process

__all__ = ["IndicatorRecord", "check_values", "record_indicators"]


@frozen
class IndicatorRecord:
    """One recording of indicator values, as the fold keeps it.

    Attributes:
        seq: Sequence number of the event.
        cycle: The cycle it was recorded in (1 on the first pass).
        phase: The phase it was recorded in.
        stichtag: The reference date of the values (ISO).
        values: Value per indicator id.
        source: Where the values come from, if said.
    """

    seq: int
    cycle: int
    phase: str
    stichtag: str
    values: Mapping[str, float] = field(hash=False)
    source: str | None = None


def check_values(
    workflow: Workflow, stichtag: Any, values: Any, source: Any = None
) -> tuple[str, dict[str, float], str | None]:
    """The checked ``(stichtag, values, source)`` of a recording.

    Raises:
        InvalidData: The reference date is no date, ``values`` is empty or not a
            mapping, a value is not a finite number, or names an undeclared indicator
            (with a did-you-mean hint); every problem with its path.
    """
    problems: list[FieldProblem] = []
    day: date | None = None
    try:
        day = parse_date(stichtag)
    except DateProblem:
        problems.append(
            FieldProblem.of("stichtag", "date", msg("indicators.bad-stichtag", value=str(stichtag)))
        )
    declared = [i.id for i in workflow.indicators]
    checked: dict[str, float] = {}
    if not isinstance(values, Mapping) or not values:
        problems.append(FieldProblem.of("values", "required", msg("indicators.no-values")))
        values = {}
    for key, value in values.items():
        path = f"values.{key}"
        if key not in declared:
            hint = closest(str(key), declared)
            text = (
                msg("indicators.undeclared-hint", name=str(key), hint=hint)
                if hint
                else msg("indicators.undeclared", name=str(key), known=", ".join(declared) or "–")
            )
            problems.append(FieldProblem.of(path, "unknown-indicator", text))
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            number = _number(value)
        else:
            number = float(value) if math.isfinite(value) else None
        if number is None:
            problems.append(
                FieldProblem.of(path, "type", msg("indicators.not-a-number", value=repr(value)))
            )
            continue
        checked[str(key)] = int(number) if float(number).is_integer() else number
    if source is not None and not isinstance(source, str):
        problems.append(FieldProblem.of("source", "type", msg("indicators.bad-source")))
    if problems:
        raise InvalidData("indicator", str(stichtag), problems)
    assert day is not None  # noqa: S101 - no problem means the date parsed
    return day.isoformat(), checked, source or None


def _number(value: Any) -> float | None:
    """A number written as text (``12,5`` or ``12.5``), else ``None``."""
    if not isinstance(value, str):
        return None
    try:
        number = float(value.strip().replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def record_indicators(
    process: Process,
    stichtag: Any,
    values: Any,
    by: str,
    source: str | None = None,
    day: date | None = None,
) -> IndicatorRecord:
    """Check and record indicator values (see ``Process.record_indicators``)."""
    workflow = process.workflow
    day_text, checked, said = check_values(workflow, stichtag, values, source)
    actor = None
    for indicator in sorted(checked):
        actor = process._actor(by, "record_indicators", indicator)
    assert actor is not None  # noqa: S101 - check_values refuses an empty recording
    process._commit(IndicatorValuesRecorded(day_text, checked, said), actor, day)
    entries: list[IndicatorRecord] = list(process.state.indicator_entries)
    return entries[-1]
