"""The steering chain's commands: ``chain`` (the *Wirkungskette* of a run) and
``measure evaluate`` (a measure's evaluation at the cycle's end). Measures are
created, changed and moved with ``item create/change/move``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sozialraumprozess.cli.common import (
    Read,
    read_options,
)
from sozialraumprozess.cli.localized import Group, command, option
from sozialraumprozess.cli.output import echo_json, print_table
from sozialraumprozess.cli.run_cmds import Change, change_command, change_options
from sozialraumprozess.i18n import Lang, msg

__all__ = ["COMMANDS"]


@command(name="chain", help=msg("cli.help.chain"), json_keys=msg("cli.help.chain.with-json"))
@read_options
@option("--svg", "svg", default=None, metavar="FILE", help=msg("cli.help.chain.svg"))
def chain(read: Read, svg: str | None) -> None:
    """Show the run's Wirkungskette: finding → goal → measure → implementation → effect."""
    lang = read.lang
    data = read.fetch(lambda service, run: service.chain(run, lang=lang))
    if svg is not None:
        Path(svg).write_text(data["svg"], encoding="utf-8")
    if read.as_json:
        echo_json(data)
        return
    heads = [
        msg("chain.col-finding").text(lang),
        msg("chain.col-goal").text(lang),
        msg("chain.col-level").text(lang),
        msg("chain.col-measure").text(lang),
        msg("chain.col-implementation").text(lang),
        msg("chain.col-effect").text(lang),
    ]
    rows: list[list[Any]] = [
        [r["finding"], r["goal"], r["level"], r["measure"], r["implementation"], r["effect"]]
        for r in data["rows"]
    ]
    print_table(heads, rows, title=msg("chain.title").text(lang))
    if data["broken"]:
        click.echo(msg("chain.broken-head").text(lang))
        for line in data["broken"]:
            click.echo(f"  - {line}")
    else:
        click.echo(msg("chain.complete").text(lang))


@click.group(cls=Group, help_message=msg("cli.help.measure"))
def measure() -> None:
    """Measures of the steering chain (items of kind measure)."""


def _indicator(text: str, lang: Lang) -> dict[str, Any]:
    name, sep, value = text.partition("=")
    try:
        if not sep or not name.strip():
            raise ValueError(text)
        change = float(value)
    except ValueError:
        raise click.BadParameter(msg("chain.bad-indicator", value=text).text(lang)) from None
    return {"indicator": name.strip(), "change": int(change) if change.is_integer() else change}


@change_command(name="evaluate", help=msg("cli.help.measure-evaluate"))
@click.argument("key")
@option(
    "--decision",
    required=True,
    type=click.Choice(["fortsetzen", "anpassen", "beenden"]),
    help=msg("cli.help.measure.decision"),
)
@option("--reason", "reasons", required=True, help=msg("cli.help.measure.reason"))
@option(
    "--indicator",
    "indicators",
    multiple=True,
    metavar="ID=CHANGE",
    help=msg("cli.help.measure.indicator"),
)
@option("--on", "on", default=None, metavar="YYYY-MM-DD", help=msg("cli.help.measure.on"))
@option("--artifact", default=None, help=msg("cli.help.measure.artifact"))
@option("--note", default=None, help=msg("cli.help.item.note"))
@change_options
def measure_evaluate(
    key: str,
    decision: str,
    reasons: str,
    indicators: tuple[str, ...],
    on: str | None,
    artifact: str | None,
    note: str | None,
    change: Change,
) -> None:
    """Record the evaluation of the measure KEY and move it to its last state."""
    movement = [_indicator(text, change.lang) for text in indicators]
    change.apply(
        lambda service, run, stamp: service.evaluate_measure(
            run,
            key,
            decision=decision,
            reasons=reasons,
            indicators=movement,
            date=on,
            artifact=artifact,
            note=note,
            **stamp,
        )
    )


measure.add_command(measure_evaluate)

COMMANDS: list[click.Command] = [chain, measure]
