"""``sozialraum portfolio``: many runs (one per Sozialraum) in one table, and the
standardised annual table across them (seed 001: comparable annual reports).

The data comes from :func:`sozialraumprozess.app.portfolio.portfolio`, which reads
the run summaries (no run is replayed where the summary keeps what is shown)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from sozialraumprozess.cli.common import (
    json_option,
    lang_option,
    services_at,
    store_option,
)
from sozialraumprozess.cli.localized import command
from sozialraumprozess.cli.output import echo_json, print_table
from sozialraumprozess.i18n import Lang, msg

__all__ = ["COMMANDS"]

_PROGRESS_FROM = 200  # runs; fewer finish before a bar would be seen


@contextmanager
def _progress(lang: Lang) -> Iterator[Callable[[int, int], None] | None]:
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task: list[Any] = []

        def on_run(done: int, total: int) -> None:
            if total < _PROGRESS_FROM:
                return
            if not task:
                task.append(progress.add_task(msg("cli.reading-runs").text(lang), total=total))
            progress.update(task[0], completed=done)

        yield on_run


@command(help=msg("cli.help.portfolio"), json_keys=msg("cli.help.portfolio.with-json"))
@click.argument("directories", nargs=-1, metavar="[STORE]...")
@store_option
@lang_option
@json_option
def portfolio(directories: tuple[str, ...], store: str | None, lang: Lang, as_json: bool) -> None:
    """Show many runs (one per Sozialraum) in one table, plus the annual table.

    STORE… are stores (folders or URLs such as sqlite:///path/file.db; default:
    --store / SOZIALRAUM_STORE); every run in each is listed with its
    Sozialraum, workflow, phase, cycle, deadline (overdue marked) and open
    blockers. Below, the annual table: the rows each workflow's 'annual_table'
    names (without one: the 'projekte' of a 'jahresbericht') in one comparable
    table; runs whose workflow has none are left out.

    \b
    With --json: an object with the keys runs (store, run_id, sozialraum,
    workflow, phase, phase_title, cycle, deadline, overdue, blockers), annual
    (run_id, sozialraum, year, version, approved and the table's columns) and
    columns (key, title, type).
    """
    from sozialraumprozess.app.portfolio import portfolio as build
    from sozialraumprozess.documents.formatting import format_date_short

    with services_at(directories, store, lang) as services, _progress(lang) as on_run:
        data = build(services, lang=lang, on_run=on_run)
    runs, annual = data["runs"], data["annual"]
    if as_json:
        echo_json(data)
        return

    overdue = msg("cli.overdue").text(lang)
    print_table(
        [
            "Sozialraum",
            "Workflow",
            "Phase",
            msg("cli.label-cycle").text(lang),
            msg("cli.label-deadline").text(lang),
            msg("cli.head-blockers").text(lang),
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
        title=msg("cli.runs-title", runs=len(runs)).text(lang),
    )
    click.echo()
    if not annual:
        click.echo(msg("cli.no-annual").text(lang))
        return

    from sozialraumprozess.steering.programme import format_annual

    print_table(
        [c["title"] for c in data["columns"]],
        format_annual(data, lang),
        title=msg("cli.annual-title").text(lang),
    )


COMMANDS: list[click.Command] = [portfolio]
