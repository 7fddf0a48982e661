"""The Sozialraum's monitoring (*Sozialraummonitoring*): snapshots per cycle and their change.

The workflow declares the indicators (``indicators:``); the run records values per
reference date (*Stichtag*, :meth:`Process.record_indicators
<sozialraumprozess.runtime.process.Process.record_indicators>`). Here they become:

* one :class:`Snapshot` per cycle — the latest value of each indicator recorded in
  that cycle (latest *Stichtag*, then latest recording);
* one :class:`IndicatorRow` per indicator — the current value, the change since the
  previous cycle's snapshot and the distance to the reference value (e.g. the city
  average), each judged by the indicator's direction (``higher-is-better`` /
  ``higher-is-worse``): ``better``, ``worse`` or ``same``;
* a chart per indicator (:func:`indicator_chart`, the time series over every
  *Stichtag* with target and reference lines);
* :func:`compare_runs`: the indicators of many runs side by side, for the programme
  view (one row per indicator, one column per Sozialraum).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from attrs import frozen

from sozialraumprozess.definition.model import Indicator, Label, Workflow
from sozialraumprozess.i18n import Lang

if TYPE_CHECKING:
    from sozialraumprozess.runtime.indicators import IndicatorRecord
    from sozialraumprozess.runtime.state import ProcessState

__all__ = [
    "Comparison",
    "ComparisonRow",
    "IndicatorRow",
    "Monitoring",
    "Snapshot",
    "Target",
    "Trend",
    "compare_runs",
    "comparison_chart",
    "comparison_data",
    "indicator_chart",
    "monitoring",
    "monitoring_section",
    "monitoring_to_dict",
]

#: How a change or a distance reads given the indicator's direction.
Trend = Literal["better", "worse", "same"]


@frozen
class Target:
    """A target value for an indicator (from a goal), optionally with its deadline."""

    value: float
    deadline: dt.date | None = None


@frozen
class Snapshot:
    """The indicator values of one cycle.

    Attributes:
        cycle: The cycle (1 on the first pass).
        values: Per indicator id: ``(stichtag, value)`` of the latest recording.
    """

    cycle: int
    values: Mapping[str, tuple[str, float]]


@frozen
class IndicatorRow:
    """One indicator with its current value, its change and its reference.

    Attributes:
        indicator: The declaration.
        value: The value of the latest snapshot that has one (``None``: never recorded).
        stichtag: Its reference date (ISO).
        cycle: The cycle of that snapshot.
        previous: The value of the snapshot of the cycle before, if any.
        previous_stichtag: Its reference date.
        change: ``value - previous``.
        change_trend: The change judged by the direction.
        reference: The reference value (e.g. the city average), if declared.
        difference: ``value - reference``.
        reference_trend: ``better`` if the value is on the good side of the reference.
    """

    indicator: Indicator
    value: float | None
    stichtag: str | None
    cycle: int | None
    previous: float | None
    previous_stichtag: str | None
    change: float | None
    change_trend: Trend | None
    reference: float | None
    difference: float | None
    reference_trend: Trend | None


@frozen
class Monitoring:
    """The monitoring of one run: snapshots per cycle and one row per indicator."""

    cycle: int
    snapshots: tuple[Snapshot, ...]
    rows: tuple[IndicatorRow, ...]

    @property
    def has_values(self) -> bool:
        """True once any value was recorded."""
        return bool(self.snapshots)


def _trend(delta: float, indicator: Indicator) -> Trend:
    if abs(delta) < 1e-9:
        return "same"
    good = delta > 0 if indicator.direction == "higher-is-better" else delta < 0
    return "better" if good else "worse"


def _entries(state: ProcessState) -> Sequence[IndicatorRecord]:
    return state.indicator_entries


def snapshots(state: ProcessState) -> tuple[Snapshot, ...]:
    """One snapshot per cycle with recordings, oldest first."""
    per_cycle: dict[int, dict[str, tuple[str, float]]] = {}
    for record in _entries(state):
        values = per_cycle.setdefault(record.cycle, {})
        for key, value in record.values.items():
            known = values.get(key)
            if known is None or record.stichtag >= known[0]:
                values[key] = (record.stichtag, value)
    return tuple(Snapshot(cycle, per_cycle[cycle]) for cycle in sorted(per_cycle))


def monitoring(workflow: Workflow, state: ProcessState) -> Monitoring:
    """The run's monitoring: snapshots per cycle and each indicator's change and reference."""
    shots = snapshots(state)
    rows = []
    for indicator in workflow.indicators:
        having = [s for s in shots if indicator.id in s.values]
        current = having[-1] if having else None
        before = having[-2] if len(having) > 1 else None
        value = current.values[indicator.id][1] if current else None
        previous = before.values[indicator.id][1] if before else None
        change = value - previous if value is not None and previous is not None else None
        reference = indicator.reference
        difference = value - reference if value is not None and reference is not None else None
        rows.append(
            IndicatorRow(
                indicator=indicator,
                value=value,
                stichtag=current.values[indicator.id][0] if current else None,
                cycle=current.cycle if current else None,
                previous=previous,
                previous_stichtag=before.values[indicator.id][0] if before else None,
                change=change,
                change_trend=None if change is None else _trend(change, indicator),
                reference=reference,
                difference=difference,
                reference_trend=None if difference is None else _trend(difference, indicator),
            )
        )
    return Monitoring(state.cycle, shots, tuple(rows))


def series(state: ProcessState, indicator_id: str) -> tuple[tuple[dt.date, float], ...]:
    """Every recorded value of one indicator as ``(stichtag, value)``, one per date (latest)."""
    by_day: dict[str, float] = {}
    for record in _entries(state):
        if indicator_id in record.values:
            by_day[record.stichtag] = record.values[indicator_id]
    return tuple((dt.date.fromisoformat(day), by_day[day]) for day in sorted(by_day))


def indicator_chart(
    workflow: Workflow,
    state: ProcessState,
    indicator_id: str,
    *,
    lang: Lang = "de",
    target: Target | None = None,
    series_label: str | None = None,
) -> str:
    """The time series of one indicator as inline SVG, with target and reference lines.

    Args:
        workflow: The run's definition (the indicator's label, unit, reference).
        state: The run's state (the recorded values).
        indicator_id: Which indicator.
        lang: Language of the texts, dates and numbers.
        target: A target value (e.g. from a goal) with its deadline.
        series_label: The line's legend text (default: the Sozialraum's name).

    Raises:
        UnknownNameError: the workflow declares no such indicator.
    """
    from sozialraumprozess.i18n import msg
    from sozialraumprozess.steering.charts import LineSeries, line_chart

    indicator = workflow.indicator(indicator_id)
    name = series_label or (state.sozialraum.name if state.sozialraum else indicator_id)
    reference_label = (
        indicator.reference_label.get(lang)
        if indicator.reference_label is not None
        else msg("indicators.chart-reference").text(lang)
    )
    return line_chart(
        [LineSeries(name, series(state, indicator_id))],
        title=indicator.label.get(lang),
        unit=_text(indicator.unit, lang) or "",
        target=None if target is None else target.value,
        target_date=None if target is None else target.deadline,
        target_label=msg("indicators.chart-target").text(lang),
        reference=indicator.reference,
        reference_label=reference_label,
        lang=lang,
    )


@frozen
class ComparisonRow:
    """One indicator across runs: the current value per Sozialraum (``None``: none recorded).

    Attributes:
        indicator: The declaration (from the first run that declares the id).
        values: One entry per run, in the order given: ``(value, stichtag)`` or ``None``.
        trends: Per run, the value against the reference judged by the direction.
    """

    indicator: Indicator
    values: tuple[tuple[float, str] | None, ...]
    trends: tuple[Trend | None, ...]


@frozen
class Comparison:
    """Indicators of many runs side by side (the programme view).

    Attributes:
        names: The Sozialräume (column heads), in the order given.
        rows: One row per indicator id declared by any of the runs (first seen first).
    """

    names: tuple[str, ...]
    rows: tuple[ComparisonRow, ...]


def compare_runs(runs: Iterable[tuple[str, Workflow, ProcessState]]) -> Comparison:
    """The indicators of many runs side by side.

    Args:
        runs: ``(name, workflow, state)`` per run — the name is the column head
            (e.g. the Sozialraum's name).

    Returns:
        One row per indicator id declared in any run, with the current value of
        each run (the latest snapshot's) and how it stands against the reference.
    """
    listed = list(runs)
    declared: dict[str, Indicator] = {}
    tables: list[dict[str, IndicatorRow]] = []
    for _name, workflow, state in listed:
        for indicator in workflow.indicators:
            declared.setdefault(indicator.id, indicator)
        tables.append({row.indicator.id: row for row in monitoring(workflow, state).rows})
    rows = []
    for key, indicator in declared.items():
        values: list[tuple[float, str] | None] = []
        trends: list[Trend | None] = []
        for table in tables:
            row = table.get(key)
            if row is None or row.value is None or row.stichtag is None:
                values.append(None)
                trends.append(None)
            else:
                values.append((row.value, row.stichtag))
                trends.append(row.reference_trend)
        rows.append(ComparisonRow(indicator, tuple(values), tuple(trends)))
    return Comparison(tuple(name for name, _w, _s in listed), tuple(rows))


def comparison_chart(
    runs: Sequence[tuple[str, Workflow, ProcessState]], indicator_id: str, *, lang: Lang = "de"
) -> str:
    """One indicator's time series of many runs in one chart (one line per Sozialraum)."""
    from sozialraumprozess.i18n import msg
    from sozialraumprozess.steering.charts import LineSeries, line_chart

    indicator: Indicator | None = None
    lines = []
    for name, workflow, state in runs:
        found = {i.id: i for i in workflow.indicators}.get(indicator_id)
        if found is None:
            continue
        indicator = indicator or found
        lines.append(LineSeries(name, series(state, indicator_id)))
    if indicator is None:
        from sozialraumprozess.errors import UnknownNameError

        raise UnknownNameError("indicator", indicator_id, ())
    reference_label = (
        indicator.reference_label.get(lang)
        if indicator.reference_label is not None
        else msg("indicators.chart-reference").text(lang)
    )
    return line_chart(
        lines,
        title=indicator.label.get(lang),
        unit=_text(indicator.unit, lang) or "",
        reference=indicator.reference,
        reference_label=reference_label,
        lang=lang,
    )


def _format(value: float | None, lang: Lang, *, signed: bool = False) -> str:
    if value is None:
        return "–"
    from babel.numbers import format_decimal

    text = str(format_decimal(value, format="#,##0.##", locale=lang))
    return f"+{text}" if signed and value > 0 else text


def _unit(indicator: Indicator, value: float | None, lang: Lang, *, change: bool = False) -> str:
    """The unit written after ``value``, with its leading space ("" for none or no value):
    the singular form (``unit_singular``) after 1, +1 and -1 where the workflow gives one;
    a ``change`` of a percentage in percentage points."""
    if value is None:
        return ""
    if change and _text(indicator.unit, lang) == "%":
        from sozialraumprozess.i18n import msg

        return " " + msg("doc.percentage-points").text(lang)
    label = indicator.unit
    if abs(value) == 1 and indicator.unit_singular is not None:
        label = indicator.unit_singular
    text = _text(label, lang)
    return f" {text}" if text else ""


def _text(label: Label | None, lang: Lang) -> str | None:
    """``label`` in ``lang``; ``None`` without a label."""
    return label.get(lang) if label is not None else None


def monitoring_to_dict(seen: Monitoring, lang: Lang = "de") -> dict[str, Any]:
    """The monitoring as JSON-compatible data (``indicators show --json``, the report).

    Keys: ``cycle``; ``snapshots`` (``cycle``, ``values``: id → ``{stichtag, value}``);
    ``rows`` with ``id``, ``label``, ``unit``, ``direction``, ``value``, ``stichtag``,
    ``cycle``, ``previous``, ``previous_stichtag``, ``change``, ``change_trend``,
    ``reference``, ``reference_label``, ``difference``, ``reference_trend`` and the
    same figures as text in ``lang`` (``value_text``, ``change_text``, ``reference_text``).
    """
    from sozialraumprozess.i18n import msg

    rows = []
    for row in seen.rows:
        indicator = row.indicator
        reference_label = _text(indicator.reference_label, lang)
        trend_words = {
            "better": msg("indicators.trend-better"),
            "worse": msg("indicators.trend-worse"),
            "same": msg("indicators.trend-same"),
        }
        change_text = "–"
        if row.change is not None and row.change_trend is not None:
            change_text = (
                f"{_format(row.change, lang, signed=True)}"
                f"{_unit(indicator, row.change, lang, change=True)} "
                f"({trend_words[row.change_trend].text(lang)})"
            )
        reference_text = "–"
        if row.reference is not None:
            reference_text = (
                f"{_format(row.reference, lang)}{_unit(indicator, row.reference, lang)}"
            )
            if reference_label:
                reference_text = f"{reference_label}: {reference_text}"
            if row.reference_trend is not None:
                reference_text += f" ({trend_words[row.reference_trend].text(lang)})"
        rows.append(
            {
                "id": indicator.id,
                "label": indicator.label.get(lang),
                "unit": _text(indicator.unit, lang),
                "direction": indicator.direction,
                "source": _text(indicator.source, lang),
                "value": row.value,
                "stichtag": row.stichtag,
                "cycle": row.cycle,
                "previous": row.previous,
                "previous_stichtag": row.previous_stichtag,
                "change": row.change,
                "change_trend": row.change_trend,
                "reference": row.reference,
                "reference_label": reference_label,
                "difference": row.difference,
                "reference_trend": row.reference_trend,
                "value_text": _format(row.value, lang) + _unit(indicator, row.value, lang),
                "change_text": change_text,
                "reference_text": reference_text,
            }
        )
    return {
        "cycle": seen.cycle,
        "snapshots": [
            {
                "cycle": shot.cycle,
                "values": {k: {"stichtag": d, "value": v} for k, (d, v) in shot.values.items()},
            }
            for shot in seen.snapshots
        ],
        "rows": rows,
    }


def monitoring_section(
    workflow: Workflow,
    state: ProcessState,
    lang: Lang = "de",
    *,
    targets: Mapping[str, Target] | None = None,
    charts: bool = True,
) -> dict[str, Any]:
    """What the report's (and the documents') monitoring section shows.

    Keys: ``shown`` (false when there is neither a record worth showing nor any
    indicator), ``t`` (the section's words in ``lang``), ``record`` (the Sozialraum
    record as :func:`~sozialraumprozess.steering.sozialraum.record_to_dict` gives it),
    ``outline`` (the boundary as inline SVG, or ``None``), ``cycle``, ``rows`` (as
    :func:`monitoring_to_dict`) and ``charts`` (one inline SVG per indicator with
    values, with its target from ``targets`` and its reference line). The SVG texts
    are :class:`markupsafe.Markup`: every text in them is XML-escaped where drawn.
    Without ``targets``: the targets the run's goals set
    (:func:`~sozialraumprozess.steering.chain.goal_targets`).
    """
    from markupsafe import Markup

    from sozialraumprozess.i18n import msg
    from sozialraumprozess.steering.sozialraum import (
        outline_svg,
        record_to_dict,
        sozialraum_record,
    )

    record = sozialraum_record(state.sozialraum) if state.sozialraum is not None else None
    seen = monitoring(workflow, state)
    if targets is None and charts:
        from sozialraumprozess.steering.chain import chain_used, goal_targets, wirkungskette

        targets = goal_targets(wirkungskette(workflow, state)) if chain_used(workflow) else {}
    data = monitoring_to_dict(seen, lang)
    drawn = [
        Markup(  # noqa: S704 - drawn by steering.charts: text is XML-escaped there
            indicator_chart(
                workflow,
                state,
                row.indicator.id,
                lang=lang,
                target=(targets or {}).get(row.indicator.id),
            )
        )
        for row in seen.rows
        if charts and row.value is not None
    ]
    outline = None
    if charts and record is not None and record.boundary is not None:
        outline = Markup(outline_svg(record.boundary, title=record.name))  # noqa: S704 - escaped
    words = {
        "heading": msg("indicators.report-heading"),
        "record": msg("indicators.report-record"),
        "id": msg("sozialraum.head-id"),
        "areas": msg("sozialraum.head-areas"),
        "key_data": msg("indicators.report-key-data"),
        "monitoring": msg("indicators.report-monitoring"),
        "indicator": msg("indicators.head-indicator"),
        "value": msg("indicators.head-value"),
        "stichtag": msg("indicators.report-stichtag"),
        "change": msg("indicators.head-change"),
        "reference": msg("indicators.head-reference"),
        "none": msg("indicators.report-none"),
        "charts": msg("indicators.report-charts"),
    }
    has_record = record is not None and (
        bool(record.planning_areas) or record.boundary is not None or bool(record.key_data)
    )
    return {
        "shown": has_record or bool(workflow.indicators),
        "t": {key: text.text(lang) for key, text in words.items()},
        "record": None if record is None else record_to_dict(record),
        "outline": outline,
        "cycle": seen.cycle,
        "rows": data["rows"],
        "charts": drawn,
    }


def comparison_data(
    runs: Sequence[tuple[str, Workflow, ProcessState]], lang: Lang = "de"
) -> dict[str, Any] | None:
    """:func:`compare_runs` as JSON-compatible data for the programme view, or ``None``
    when no run declares indicators.

    Keys: ``names`` (the Sozialräume) and ``rows``: per indicator ``id``, ``label``,
    ``unit``, ``direction``, ``reference`` and ``values`` — per Sozialraum ``None`` or
    ``{"value", "stichtag", "trend"}`` (the value against the reference: ``better``,
    ``worse``, ``same`` or ``None`` without a reference).
    """
    found = compare_runs(runs)
    if not found.rows:
        return None
    rows = []
    for row in found.rows:
        indicator = row.indicator
        values: list[dict[str, Any] | None] = []
        for value, trend in zip(row.values, row.trends, strict=True):
            if value is None:
                values.append(None)
            else:
                values.append({"value": value[0], "stichtag": value[1], "trend": trend})
        rows.append(
            {
                "id": indicator.id,
                "label": indicator.label.get(lang),
                "unit": _text(indicator.unit, lang),
                "direction": indicator.direction,
                "reference": indicator.reference,
                "values": values,
            }
        )
    return {"names": list(found.names), "rows": rows}
