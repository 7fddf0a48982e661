"""The programme level: many Sozialräume of one programme in one view.

A programme is a set of runs (one per Sozialraum). :func:`programme` gathers,
per Sozialraum, its measures (entries and items with a planned cost, ``budget:
planned``) and its reconciled budget (:mod:`sozialraumprozess.steering.budget`),
the totals over all of them, and the **standardised annual table** (seed 001):
the rows each workflow's ``annual_table`` names (see
:mod:`sozialraumprozess.definition.annual`), one table across all Sozialräume.

:func:`write_csv` and :func:`write_xlsx` export it for a committee's papers
(XLSX with openpyxl: one sheet for the annual table, one for the budget per
Sozialraum).

The indicator comparison across Sozialräume (issue 12 §1, ``steering`` of the
indicator set) plugs in through ``indicators=``: a function of the processes
that answers JSON-compatible data, kept under the programme's ``indicators`` key
(by default the declared indicators side by side).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from sozialraumprozess.definition.annual import annual_table, column_specs, table_rows
from sozialraumprozess.i18n import Lang, msg
from sozialraumprozess.steering.budget import reconcile

if TYPE_CHECKING:
    from sozialraumprozess.definition.model import FieldSpec, Workflow
    from sozialraumprozess.runtime.process import Process

__all__ = [
    "AnnualColumn",
    "Programme",
    "ProgrammeArea",
    "annual_columns",
    "format_annual",
    "measures_of",
    "programme",
    "write_csv",
    "write_xlsx",
]

#: ``indicators(runs) -> data``: an indicator comparison of one's own.
IndicatorView = Callable[[Sequence[tuple[str, "Process"]]], Any]

#: The fixed columns every annual row starts with.
_LEAD = ("sozialraum", "year")


class AnnualColumn(TypedDict):
    """A column of the annual table: ``key`` in the rows, ``title`` for people, ``type``."""

    key: str
    title: str
    type: str


class ProgrammeArea(TypedDict):
    """One Sozialraum of a programme."""

    run_id: str
    sozialraum: str
    workflow: str
    phase: str
    phase_title: str
    cycle: int
    measures: int
    planned: float
    appropriated: float | None
    committed: float | None
    spent: float


class Programme(TypedDict):
    """A programme: ``areas`` (one per Sozialraum), ``totals`` over them, the annual
    table (``columns`` and ``annual`` rows) and ``indicators`` (``None`` until the
    indicator comparison is plugged in)."""

    areas: list[ProgrammeArea]
    totals: dict[str, float | int | None]
    columns: list[AnnualColumn]
    annual: list[dict[str, Any]]
    indicators: Any


def measures_of(process: Process) -> list[tuple[str, float]]:
    """The run's measures: ``(name, planned cost)`` of every list entry and item that
    has a money field marked ``budget: planned`` (newest versions)."""
    found: list[tuple[str, float]] = []
    wf = process.workflow

    def walk(fields: Sequence[FieldSpec], data: Any, name: str) -> None:
        if not isinstance(data, Mapping):
            return
        label = next(
            (str(data[f.name]) for f in fields if f.type == "text" and data.get(f.name)), name
        )
        for spec in fields:
            value = data.get(spec.name)
            if spec.type == "money" and spec.budget == "planned":
                if isinstance(value, int | float) and not isinstance(value, bool):
                    found.append((label, float(value)))
            elif spec.type == "list" and spec.items is not None and isinstance(value, list):
                for entry in value:
                    walk(spec.items.fields, entry, label)

    for artifact in wf.artifacts:
        if artifact.items is not None:
            for item in process.items(artifact.id):
                walk(artifact.fields, item.data, item.key)
            continue
        latest = process.latest(artifact.id)
        if latest is not None:
            walk(artifact.fields, latest.data, artifact.id)
    return found


def annual_columns(workflows: Sequence[Workflow], lang: Lang) -> list[AnnualColumn]:
    """The annual table's columns over the runs: Sozialraum, year, then every
    workflow's columns in order of first appearance, titled by its fields."""
    columns: list[AnnualColumn] = [
        {"key": "sozialraum", "title": msg("programme.head-sozialraum").text(lang), "type": "text"},
        {"key": "year", "title": msg("programme.head-year").text(lang), "type": "integer"},
    ]
    seen = set(_LEAD)
    for workflow in workflows:
        table = annual_table(workflow)
        if table is None:
            continue
        for name, spec in zip(table.columns, column_specs(workflow, table), strict=True):
            if name in seen:
                continue
            seen.add(name)
            title = spec.title.get(lang) if spec is not None and spec.title is not None else name
            columns.append({"key": name, "title": title, "type": spec.type if spec else "text"})
    return columns


def _add(total: float | int | None, value: float | int | None) -> float | int | None:
    if value is None:
        return total
    return round((total or 0) + value, 2)


def programme(
    runs: Sequence[tuple[str, Process]],
    *,
    lang: Lang = "de",
    indicators: IndicatorView | None = None,
) -> Programme:
    """Many Sozialräume in one view.

    Args:
        runs: ``(run_id, process)`` per Sozialraum, in the order to show.
        lang: Language of titles.
        indicators: An indicator comparison of one's own (its result is kept as
            ``indicators``); by default the declared indicators side by side (see
            :func:`~sozialraumprozess.steering.indicators.comparison_data`).
    """
    areas: list[ProgrammeArea] = []
    annual: list[dict[str, Any]] = []
    totals: dict[str, float | int | None] = {
        "measures": 0,
        "planned": 0.0,
        "appropriated": None,
        "committed": None,
        "spent": 0.0,
    }
    for run_id, process in runs:
        budget = reconcile(process, lang).totals()
        measures = measures_of(process)
        planned = round(sum(cost for _, cost in measures), 2)
        phase = process.workflow.phase(process.phase)
        areas.append(
            {
                "run_id": run_id,
                "sozialraum": process.sozialraum.name,
                "workflow": process.workflow.id,
                "phase": process.phase,
                "phase_title": phase.title.get(lang),
                "cycle": process.cycle,
                "measures": len(measures),
                "planned": planned,
                "appropriated": budget["appropriated"],
                "committed": budget["committed"],
                "spent": float(budget["spent"] or 0),
            }
        )
        totals["measures"] = int(totals["measures"] or 0) + len(measures)
        for key in ("planned", "appropriated", "committed", "spent"):
            totals[key] = _add(totals[key], areas[-1][key])
        table = annual_table(process.workflow)
        latest = process.latest(table.artifact) if table is not None else None
        if table is not None and latest is not None:
            for row in table_rows(table, latest.data, sozialraum=process.sozialraum.name):
                annual.append({"run_id": run_id, **row})
    return {
        "areas": areas,
        "totals": totals,
        "columns": annual_columns([p.workflow for _, p in runs], lang),
        "annual": annual,
        "indicators": indicators(runs) if indicators is not None else _compared(runs, lang),
    }


def _compared(runs: Sequence[tuple[str, Process]], lang: Lang) -> Any:
    """The indicators of the Sozialräume side by side (``None``: none declared)."""
    from sozialraumprozess.steering.indicators import comparison_data

    return comparison_data([(p.sozialraum.name, p.workflow, p.state) for _, p in runs], lang)


# ---------------------------------------------------------------------- export


def _cell(value: Any, column: AnnualColumn, lang: Lang) -> Any:
    """A value as a committee's table shows it: choices with spaces, lists joined."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if column["type"] == "choice" and isinstance(value, str):
        return value.replace("_", " ")
    return value


def write_csv(data: Programme, target: Path | io.TextIOBase | None = None) -> str:
    """The annual table as CSV (header: the columns' titles; ``;`` separated, as
    German spreadsheets expect; numbers with a decimal point). Written to ``target``
    if given; returned as text."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    columns = data["columns"]
    writer.writerow([c["title"] for c in columns])
    for row in data["annual"]:
        writer.writerow([_cell(row.get(c["key"]), c, "de") for c in columns])
    text = out.getvalue()
    if isinstance(target, Path):
        target.write_text(text, encoding="utf-8-sig", newline="")
    elif target is not None:
        target.write(text)
    return text


def write_xlsx(data: Programme, target: Path, *, lang: Lang = "de") -> None:
    """The programme as an Excel workbook: sheet 1 the annual table, sheet 2 the
    measures and budget per Sozialraum with the total (money as numbers in a euro
    format, so the committee's office can sum them)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    euro = '#,##0.00 "€"'
    bold = Font(bold=True)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has its first sheet
    sheet.title = _sheet_title(msg("programme.sheet-annual").text(lang))
    columns = data["columns"]
    sheet.append([c["title"] for c in columns])
    for cell in sheet[1]:
        cell.font = bold
    for row in data["annual"]:
        sheet.append([_cell(row.get(c["key"]), c, lang) for c in columns])
        for index, column in enumerate(columns, 1):
            if column["type"] == "money":
                sheet.cell(row=sheet.max_row, column=index).number_format = euro
    budget = book.create_sheet(_sheet_title(msg("programme.sheet-budget").text(lang)))
    heads = [
        ("sozialraum", msg("programme.head-sozialraum")),
        ("measures", msg("programme.head-measures")),
        ("planned", msg("budget.head-planned")),
        ("appropriated", msg("budget.head-appropriated")),
        ("committed", msg("budget.head-committed")),
        ("spent", msg("budget.head-spent")),
    ]
    budget.append([text.text(lang) for _, text in heads])
    for cell in budget[1]:
        cell.font = bold
    area_rows: list[Mapping[str, Any]] = [dict(area) for area in data["areas"]]
    total = {"sozialraum": msg("budget.sum").text(lang), **data["totals"]}
    for area in [*area_rows, total]:
        budget.append([area.get(key) for key, _ in heads])
        for index in range(3, len(heads) + 1):
            budget.cell(row=budget.max_row, column=index).number_format = euro
    for cell in budget[budget.max_row]:
        cell.font = bold
    book.save(target)


def _sheet_title(text: str) -> str:
    """An Excel sheet title: at most 31 characters, none of ``[]:*?/\\``."""
    clean = "".join(" " if c in "[]:*?/\\" else c for c in text)
    return clean[:31]


def format_annual(data: Mapping[str, Any], lang: Lang) -> list[list[str]]:
    """The annual rows as texts for a terminal table (money and numbers formatted)."""
    from sozialraumprozess.definition.fields._format import format_money, format_number

    rows = []
    for row in data["annual"]:
        cells = []
        for column in data["columns"]:
            value = row.get(column["key"])
            if value is None or value == "":
                cells.append("–")
            elif column["type"] == "money":
                cells.append(format_money(value, lang))
            elif column["type"] in ("number",) and not isinstance(value, bool):
                cells.append(format_number(value, lang))
            elif isinstance(value, list):
                cells.append(", ".join(str(v) for v in value))
            else:
                cells.append(str(value).replace("_", " "))
        rows.append(cells)
    return rows
