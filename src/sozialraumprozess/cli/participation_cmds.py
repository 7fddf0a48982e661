"""Participation commands (format v2, issue 12 §6): ``participation reach``, ``contribute``,
``weigh``, ``feedback`` and ``show``. The four that change a run act ``--as`` someone
and exit with 1, storing nothing, when the process refuses (an undeclared target
group, an unknown contribution or goal …, named with its path and a did-you-mean)."""

from __future__ import annotations

from typing import Any

import click

from sozialraumprozess.cli.common import (
    Read,
    read_options,
)
from sozialraumprozess.cli.localized import Group, command, option
from sozialraumprozess.cli.output import echo_json, print_table
from sozialraumprozess.cli.run_cmds import Change, change_command, change_options, effective_option
from sozialraumprozess.i18n import Lang, msg, plural

__all__ = ["COMMANDS"]


def _pairs(values: tuple[str, ...], sep: str, form: str, lang: Lang) -> list[tuple[str, str]]:
    """``a=b`` (or ``a:b``) texts as pairs; a text without ``sep`` is a usage error."""
    pairs = []
    for value in values:
        key, found, rest = value.partition(sep)
        if not found or not key.strip() or not rest.strip():
            text = msg("participation.cli-pair", form=form, value=value).text(lang)
            raise click.BadParameter(text)
        pairs.append((key.strip(), rest.strip()))
    return pairs


def _count(text: str) -> int | str:
    """A count as an integer, or the text as it is (the process names it as invalid)."""
    return int(text) if text.isdigit() else text


held_on_option = option(
    "--held-on",
    default=None,
    metavar="TT.MM.JJJJ|YYYY-MM-DD",
    help=msg("participation.cli-help-held-on"),
)


@click.group(cls=Group, help_message=msg("participation.cli-help"))
def participation() -> None:
    """Participation per held event: groups reached, contributions, weighing, feedback."""


@change_command(name="reach", help=msg("participation.cli-help-reach"))
@click.argument("event")
@click.argument("counts", nargs=-1, required=True, metavar="GRUPPE=ANZAHL...")
@held_on_option
@change_options
def reach(event: str, counts: tuple[str, ...], held_on: str | None, change: Change) -> None:
    """Record how many people of each target group the event EVENT reached."""
    given: dict[str, Any] = {
        group: _count(n) for group, n in _pairs(counts, "=", "GRUPPE=ANZAHL", change.lang)
    }
    change.apply(
        lambda service, run, stamp: service.record_reach(
            run, event, given, held_on=held_on, **stamp
        )
    )


@change_command(name="contribute", help=msg("participation.cli-help-contribute"))
@click.argument("event")
@click.argument("contribution")
@option("--text", required=True, help=msg("participation.cli-help-text"))
@option("--group", default=None, help=msg("participation.cli-help-group"))
@option("--note", default=None, help=msg("participation.cli-help-note"))
@held_on_option
@change_options
def contribute(
    event: str,
    contribution: str,
    text: str,
    group: str | None,
    note: str | None,
    held_on: str | None,
    change: Change,
) -> None:
    """Record the contribution CONTRIBUTION (an id, e.g. ZW-1) made at the event EVENT."""
    change.apply(
        lambda service, run, stamp: service.record_contribution(
            run, event, contribution, text, group=group, held_on=held_on, note=note, **stamp
        )
    )


@change_command(name="weigh", help=msg("participation.cli-help-weigh"))
@click.argument("contribution")
@click.argument("outcome", metavar="adopted|partly_adopted|not_adopted")
@option("--reason", default=None, help=msg("participation.cli-help-reason"))
@option("--link", "links", multiple=True, metavar="ART:ID", help=msg("participation.cli-help-link"))
@effective_option
@change_options
def weigh(
    contribution: str,
    outcome: str,
    reason: str | None,
    links: tuple[str, ...],
    effective: str | None,
    change: Change,
) -> None:
    """Record what became of CONTRIBUTION: adopted, partly_adopted or not_adopted."""
    linked: dict[str, list[str]] = {}
    for kind, ref in _pairs(links, ":", "ART:ID", change.lang):
        linked.setdefault(kind, []).append(ref)
    change.apply(
        lambda service, run, stamp: service.weigh_contribution(
            run, contribution, outcome, reason=reason, links=linked or None, date=effective, **stamp
        )
    )


@change_command(name="feedback", help=msg("participation.cli-help-feedback"))
@click.argument("event")
@option("--how", required=True, help=msg("participation.cli-help-how"))
@option(
    "--contribution",
    "contributions",
    multiple=True,
    metavar="ID",
    help=msg("participation.cli-help-contribution"),
)
@option("--note", default=None, help=msg("participation.cli-help-note"))
@held_on_option
@effective_option
@change_options
def feedback(
    event: str,
    how: str,
    contributions: tuple[str, ...],
    note: str | None,
    held_on: str | None,
    effective: str | None,
    change: Change,
) -> None:
    """Record that the participants of EVENT were told what became of their contributions."""
    change.apply(
        lambda service, run, stamp: service.record_feedback(
            run,
            event,
            how,
            contributions=list(contributions) or None,
            held_on=held_on,
            note=note,
            date=effective,
            **stamp,
        )
    )


@command(
    name="show",
    help=msg("participation.cli-help-show"),
    json_keys=msg("participation.cli-help-show-json"),
)
@read_options
def show(read: Read) -> None:
    """Show participation per held event: groups reached, contributions and their outcome."""
    lang = read.lang
    data = read.fetch(lambda service, run: service.participation(run, lang=lang))
    if read.as_json:
        echo_json(data)
        return
    for holding in data["holdings"]:
        reached = holding["reached"]
        click.echo(
            msg(
                "participation.cli-holding",
                title=holding["title"],
                date=holding["date"],
                reached="–" if reached is None else reached,
            ).text(lang)
        )
        if holding["groups"]:
            print_table(
                [
                    msg("participation.head-group").text(lang),
                    msg("participation.head-count").text(lang),
                ],
                [(g["title"], g["count"]) for g in holding["groups"]],
            )
        if holding["contributions"]:
            print_table(
                [
                    msg("participation.head-id").text(lang),
                    msg("participation.head-contribution").text(lang),
                    msg("participation.head-outcome").text(lang),
                    msg("participation.head-told").text(lang),
                ],
                [
                    (
                        c["id"],
                        c["text"],
                        c["outcome_title"],
                        c["told_on"] or "–",
                    )
                    for c in holding["contributions"]
                ],
            )
    totals = data["totals"]
    click.echo(
        plural(
            "participation.cli-totals",
            totals["contributions"],
            adopted=totals["adopted"],
            partly=totals["partly_adopted"],
            not_adopted=totals["not_adopted"],
            open=totals["open"],
        ).text(lang)
    )


participation.add_command(reach)
participation.add_command(contribute)
participation.add_command(weigh)
participation.add_command(feedback)
participation.add_command(show)

COMMANDS: list[click.Command] = [participation]
