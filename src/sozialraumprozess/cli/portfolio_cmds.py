"""``sozialraum portfolio``: many runs (one per Sozialraum) in one table, and the
standardised annual table across them (seed 001: comparable annual reports)."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import click

from sozialraumprozess.cli.common import load_run, open_folder_store, t
from sozialraumprozess.cli.definition_cmds import json_option, lang_option
from sozialraumprozess.cli.output import echo_json, print_table

if TYPE_CHECKING:
    from sozialraumprozess.runtime.process import Process

__all__ = ["ANNUAL_ARTIFACT", "ANNUAL_COLUMNS", "COMMANDS", "annual_rows"]

#: The artifact whose ``projekte`` rows make up the annual table.
ANNUAL_ARTIFACT = "jahresbericht"
#: The comparable columns of a ``projekte`` row (missing fields are shown as "–").
ANNUAL_COLUMNS = (
    "projekt",
    "ziel",
    "ergebnis",
    "zielerreichung",
    "teilnehmende",
    "kosten_plan",
    "kosten_ist",
    "empfehlung",
)
_PROGRESS_FROM = 5  # runs; fewer finish before a bar would be seen


def annual_rows(process: Process, run_id: str) -> list[dict[str, Any]]:
    """The ``projekte`` rows of the run's newest ``jahresbericht`` (none if it has none)."""
    wf = process.workflow
    if ANNUAL_ARTIFACT not in {a.id for a in wf.artifacts}:
        return []
    latest = process.latest(ANNUAL_ARTIFACT)
    if latest is None:
        return []
    year = latest.data.get("berichtsjahr")
    rows = []
    for item in latest.data.get("projekte") or ():
        if not isinstance(item, dict):
            continue
        row: dict[str, Any] = {
            "run_id": run_id,
            "sozialraum": item.get("sozialraum") or process.sozialraum.name,
            "berichtsjahr": year,
            "version": latest.version,
            "approved": latest.approved,
        }
        row.update({key: item.get(key) for key in ANNUAL_COLUMNS})
        rows.append(row)
    return rows


def _targets(directories: Sequence[str]) -> list[tuple[Any, str]]:
    found: list[tuple[Any, str]] = []
    for directory in directories:
        store = open_folder_store(directory)
        found.extend((store, summary.run_id) for summary in store.list_runs())
    return found


def _with_progress(items: list[Any], lang: str) -> Iterator[Any]:
    if len(items) < _PROGRESS_FROM or not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(t(lang, "Prozesse lesen", "reading runs"), total=len(items))
        for item in items:
            yield item
            progress.advance(task)


@click.command()
@click.argument("directories", nargs=-1, required=True, type=click.Path(file_okay=False))
@lang_option
@json_option
def portfolio(directories: tuple[str, ...], lang: str, as_json: bool) -> None:
    """Show many runs (one per Sozialraum) in one table, plus the annual table.

    DIR… are folder stores; every run in each is listed with its Sozialraum,
    workflow, phase, cycle, deadline (overdue marked) and open blockers. Below,
    the rows of each run's newest 'jahresbericht' (its 'projekte') in one
    comparable table; runs whose workflow has no annual report are left out.

    \b
    With --json: an object with the keys runs (store, run_id, sozialraum,
    workflow, phase, phase_title, cycle, deadline, overdue, blockers) and
    annual (run_id, sozialraum, berichtsjahr, version, approved, projekt, ziel,
    ergebnis, zielerreichung, teilnehmende, kosten_plan, kosten_ist, empfehlung).
    """
    from sozialraumprozess.documents.formatting import format_date_short, format_money

    runs: list[dict[str, Any]] = []
    annual: list[dict[str, Any]] = []
    for store, run_id in _with_progress(_targets(directories), lang):
        process = load_run(store, run_id, lang).process
        wf = process.workflow
        deadline = process.deadline()
        runs.append(
            {
                "store": store.location,
                "run_id": run_id,
                "sozialraum": process.sozialraum.name,
                "workflow": wf.id,
                "phase": process.phase,
                "phase_title": wf.phase(process.phase).title.get(lang),
                "cycle": process.cycle,
                "deadline": deadline.isoformat() if deadline else None,
                "overdue": process.overdue(),
                "blockers": len(process.blockers()),
            }
        )
        annual.extend(annual_rows(process, run_id))
    if as_json:
        echo_json({"runs": runs, "annual": annual})
        return
    overdue = t(lang, "überfällig", "overdue")
    print_table(
        [
            "Sozialraum",
            "Workflow",
            "Phase",
            t(lang, "Zyklus", "Cycle"),
            t(lang, "Frist", "Deadline"),
            t(lang, "Blocker", "Blockers"),
        ],
        [
            (
                r["sozialraum"],
                r["workflow"],
                r["phase_title"],
                r["cycle"],
                (format_date_short(r["deadline"], lang) if r["deadline"] else "–")
                + (f" ({overdue})" if r["overdue"] else ""),
                r["blockers"],
            )
            for r in runs
        ],
        title=t(lang, f"Prozesse ({len(runs)})", f"Runs ({len(runs)})"),
    )
    click.echo()
    if not annual:
        click.echo(
            t(
                lang,
                "Jahrestabelle: noch kein Jahresbericht in diesen Prozessen.",
                "Annual table: no annual report in these runs yet.",
            )
        )
        return

    def cell(value: Any, money: bool = False) -> str:
        if value is None or value == "":
            return "–"
        return format_money(value, lang) if money else str(value).replace("_", " ")

    print_table(
        [
            "Sozialraum",
            t(lang, "Jahr", "Year"),
            t(lang, "Projekt", "Project"),
            t(lang, "Ziel", "Goal"),
            t(lang, "Ergebnis", "Result"),
            t(lang, "Zielerreichung", "Achieved"),
            t(lang, "Teilnehmende", "Participants"),
            t(lang, "Kosten (Plan)", "Cost (plan)"),
            t(lang, "Kosten (Ist)", "Cost (actual)"),
            t(lang, "Empfehlung", "Recommendation"),
        ],
        [
            (
                r["sozialraum"],
                cell(r["berichtsjahr"]),
                cell(r["projekt"]),
                cell(r["ziel"]),
                cell(r["ergebnis"]),
                cell(r["zielerreichung"]),
                cell(r["teilnehmende"]),
                cell(r["kosten_plan"], money=True),
                cell(r["kosten_ist"], money=True),
                cell(r["empfehlung"]),
            )
            for r in annual
        ],
        title=t(lang, "Jahrestabelle (Jahresberichte)", "Annual table (annual reports)"),
    )


COMMANDS: list[click.Command] = [portfolio]
