"""``sozialraum budget`` (one run's budget, reconciled per line and year),
``sozialraum programme`` and ``programme-demo``: many Sozialräume of one programme in
one view — measures and budget per Sozialraum and in total, the standardised annual
table — exported as CSV and XLSX for a committee's papers.

The data comes from :func:`sozialraumprozess.app.portfolio.load_programme` (each run
replayed; see :mod:`sozialraumprozess.steering.programme`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from sozialraumprozess.cli.common import (
    Read,
    json_option,
    lang_option,
    open_service,
    read_options,
    services_at,
    slug,
    store_option,
)
from sozialraumprozess.cli.localized import command, option
from sozialraumprozess.cli.output import echo_json, print_table
from sozialraumprozess.i18n import Lang, Message, msg, plural

if TYPE_CHECKING:
    from sozialraumprozess.steering.programme import Programme

__all__ = ["COMMANDS", "DEMO_AREAS"]

F = TypeVar("F", bound=Callable[..., Any])

#: The Sozialräume of the programme demo (seed 004's scenario, once for each) and the
#: factor on the annual report's actual costs, so the three differ.
DEMO_AREAS = (
    ("Schwerte-Ost (Beispiel)", 1.0),
    ("Schwerte-Mitte (Beispiel)", 0.9),
    ("Schwerte-West (Beispiel)", 1.05),
)


def _file_option(flag: str, name: str, help: Message) -> Callable[[F], F]:
    """``flag FILE``: a file to write the table to (``name``: the parameter)."""
    return option(
        flag,
        name,
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        default=None,
        metavar="FILE",
        help=help,
    )


_csv_option = _file_option("--csv", "csv_path", msg("cli.help.programme.csv"))
_xlsx_option = _file_option("--xlsx", "xlsx_path", msg("cli.help.programme.xlsx"))


def _show(data: Programme, lang: Lang, csv_path: Path | None, xlsx_path: Path | None) -> None:
    """Write the exports and print the programme (two tables and where the files are)."""
    from sozialraumprozess.documents.formatting import format_money
    from sozialraumprozess.steering.programme import format_annual

    def money(value: Any) -> str:
        return "–" if value is None else format_money(value, lang)

    heads = [
        msg("programme.head-sozialraum").text(lang),
        "Phase",
        msg("cli.label-cycle").text(lang),
        msg("programme.head-measures").text(lang),
        msg("budget.head-planned").text(lang),
        msg("budget.head-appropriated").text(lang),
        msg("budget.head-committed").text(lang),
        msg("budget.head-spent").text(lang),
    ]
    rows: list[list[Any]] = [
        [
            a["sozialraum"],
            a["phase_title"],
            a["cycle"],
            a["measures"],
            money(a["planned"]),
            money(a["appropriated"]),
            money(a["committed"]),
            money(a["spent"]),
        ]
        for a in data["areas"]
    ]
    total = data["totals"]
    rows.append(
        [
            msg("budget.sum").text(lang),
            "",
            "",
            total["measures"],
            money(total["planned"]),
            money(total["appropriated"]),
            money(total["committed"]),
            money(total["spent"]),
        ]
    )
    title = plural("programme.areas-title", len(data["areas"]), areas=len(data["areas"]))
    print_table(heads, rows, title=title.text(lang))
    click.echo()
    if data["annual"]:
        print_table(
            [c["title"] for c in data["columns"]],
            format_annual(data, lang),
            title=msg("cli.annual-title").text(lang),
        )
    else:
        click.echo(msg("cli.no-annual").text(lang))
    compared = data["indicators"]
    if compared:
        from sozialraumprozess.documents.formatting import format_number

        def shown(cell: Any, unit: str) -> str:
            if cell is None:
                return "–"
            return f"{format_number(cell['value'], lang)} {unit}".strip()

        click.echo()
        print_table(
            [msg("programme.head-indicator").text(lang), *compared["names"]],
            [
                [row["label"], *(shown(cell, row["unit"]) for cell in row["values"])]
                for row in compared["rows"]
            ],
            title=msg("programme.indicators-title").text(lang),
        )
    for path in (csv_path, xlsx_path):
        if path is not None:
            click.echo(msg("programme.written", path=str(path)).text(lang))


def _export(data: Programme, lang: Lang, csv_path: Path | None, xlsx_path: Path | None) -> None:
    from sozialraumprozess.steering.programme import write_csv, write_xlsx

    if csv_path is not None:
        write_csv(data, csv_path)
    if xlsx_path is not None:
        write_xlsx(data, xlsx_path, lang=lang)


@command(help=msg("cli.help.programme"), json_keys=msg("cli.help.programme.with-json"))
@click.argument("directories", nargs=-1, metavar="[STORE]...")
@store_option
@_csv_option
@_xlsx_option
@lang_option
@json_option
def programme(
    directories: tuple[str, ...],
    store: str | None,
    csv_path: Path | None,
    xlsx_path: Path | None,
    lang: Lang,
    as_json: bool,
) -> None:
    """Show many Sozialräume of one programme: measures and budget, the annual table.

    STORE… are stores (folders or URLs; default: --store / SOZIALRAUM_STORE).
    Per Sozialraum: its phase, cycle, measures (with a planned cost) and budget
    (planned, appropriated, committed, spent), with the total; below, the
    standardised annual table. --csv and --xlsx write it for a committee.
    """
    from sozialraumprozess.app.portfolio import load_programme

    with services_at(directories, store, lang) as services:
        data = load_programme(services, lang=lang)  # with the indicators side by side
    _output(data, lang, csv_path, xlsx_path, as_json)


@command(
    "programme-demo",
    help=msg("cli.help.programme-demo"),
    json_keys=msg("cli.help.programme.with-json"),
)
@click.argument("directory", metavar="STORE")
@_csv_option
@_xlsx_option
@lang_option
@json_option
def programme_demo(
    directory: str, csv_path: Path | None, xlsx_path: Path | None, lang: Lang, as_json: bool
) -> None:
    """Run seed 004's scenario for three Sozialräume into STORE and show the programme.

    STORE is a folder or URL (created if needed); it must not hold the demo's
    runs yet. Then as 'sozialraum programme STORE'.
    """
    import attrs

    from sozialraumprozess.app.portfolio import load_programme
    from sozialraumprozess.cli.app import CliError
    from sozialraumprozess.cli.demo_cmds import DEFAULT_DEMO
    from sozialraumprozess.scenario.loader import bundled_scenario_path, load_scenario
    from sozialraumprozess.scenario.runner import run_scenario
    from sozialraumprozess.storage.session import create_run

    scenario = load_scenario(bundled_scenario_path(DEFAULT_DEMO), lang=lang)
    service = open_service(directory, create=True)
    try:
        existing = set(service.run_ids())
        for name, _ in DEMO_AREAS:
            run_id = slug(name)
            if run_id in existing:
                problem = msg("cli.demo-run-exists", store=service.location, run_id=run_id)
                raise CliError(problem.text(lang), lang, "cli.demo-run-exists")
        for name, factor in DEMO_AREAS:
            area = attrs.evolve(
                scenario,
                sozialraum={**scenario.sozialraum, "name": name},
                steps=tuple(_scaled(step, factor) for step in scenario.steps),
            )
            done = run_scenario(area, lang=lang)
            create_run(service.store, slug(name), done.process)
        data = load_programme([service], lang=lang)
    finally:
        service.close()
    _output(data, lang, csv_path, xlsx_path, as_json)


def _scaled(step: Any, factor: float) -> Any:
    """The step with the annual report's actual costs (``budget: spent``) and the recorded
    indicator values times ``factor`` (so the Sozialräume differ)."""
    import attrs

    if factor != 1.0 and step.command == "record_indicators":
        values = step.args.get("values") or {}
        scaled = {
            key: round(value * factor)  # counts stay whole
            if isinstance(value, int) and not isinstance(value, bool)
            else round(value * factor, 1)
            if isinstance(value, float)
            else value
            for key, value in values.items()
        }
        return attrs.evolve(step, args={**step.args, "values": scaled})
    if factor == 1.0 or step.command != "submit" or step.subject != "jahresbericht":
        return step
    data = dict(step.args.get("data") or {})
    data["projekte"] = [
        {**row, "kosten_ist": round(row["kosten_ist"] * factor, 2)}
        if isinstance(row, dict) and isinstance(row.get("kosten_ist"), int | float)
        else row
        for row in data.get("projekte") or ()
    ]
    return attrs.evolve(step, args={**step.args, "data": data})


@command(help=msg("cli.help.budget"), json_keys=msg("cli.help.budget.with-json"))
@read_options
def budget(read: Read) -> None:
    """Show a run's budget per line and year: planned, committed, spent, differences."""
    from sozialraumprozess.documents.formatting import (
        format_date_short,
        format_money,
        format_percent,
    )
    from sozialraumprozess.steering.budget import budget_data

    lang = read.lang
    data = read.fetch(lambda service, run: budget_data(run.process, lang))
    if read.as_json:
        echo_json(data)
        return
    texts = data["texts"]
    if not data["years"]:
        click.echo(texts["none"])
        return

    def money(value: Any) -> str:
        return "–" if value is None else format_money(value, lang)

    for year in data["years"]:
        rows: list[list[Any]] = [
            [
                row["title"] + (f" ({texts['covered_short']})" if row["covered"] else ""),
                row["product"] or "–",
                money(row["planned"]),
                money(row["committed"]),
                money(row["spent"]),
                money(row["open"]),
                money(row["remaining"]),
                "–"
                if row["spent_share"] is None
                else format_percent(row["spent_share"] * 100, lang),
            ]
            for row in year["rows"]
        ]
        total = year["totals"]
        rows.append(
            [
                texts["sum"],
                "",
                money(total["planned"]),
                money(total["committed"]),
                money(total["spent"]),
                "",
                "",
                "",
            ]
        )
        print_table(
            [
                texts["line"],
                texts["product"],
                texts["planned"],
                texts["committed"],
                texts["spent"],
                texts["open"],
                texts["remaining"],
                texts["spent_share"],
            ],
            rows,
            title=f"{texts['title']} – {texts['year']} {year['year']}",
        )
    for decision in data["decisions"]:
        line = f"{decision['title']} ({format_date_short(decision['date'], lang)})"
        if decision["amount"] is not None:
            line += f": {texts['granted']} {money(decision['amount'])}"
        if decision["note"]:
            line += f" – {decision['note']}"
        click.echo(line)


COMMANDS: list[click.Command] = [budget, programme, programme_demo]


def _output(
    data: Programme, lang: Lang, csv_path: Path | None, xlsx_path: Path | None, as_json: bool
) -> None:
    """Write the files asked for, then print the programme (as JSON, or as tables)."""
    _export(data, lang, csv_path, xlsx_path)
    if as_json:
        echo_json(data)
        return
    _show(data, lang, csv_path, xlsx_path)
