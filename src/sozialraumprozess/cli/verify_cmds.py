"""``sozialraum verify``: recompute the hash chains of a store's runs and print their heads."""

from __future__ import annotations

import click

from sozialraumprozess.cli.common import (
    dir_argument,
    json_option,
    lang_option,
    run_option,
    service_at,
    store_option,
)
from sozialraumprozess.cli.localized import command, option
from sozialraumprozess.cli.output import echo_json
from sozialraumprozess.i18n import Lang, msg

__all__ = ["COMMANDS"]


@command(help=msg("chain.help.verify"), json_keys=msg("chain.help.verify.with-json"))
@dir_argument
@store_option
@run_option
@option("--all", "every", is_flag=True, help=msg("chain.help.verify-all"))
@lang_option
@json_option
def verify(
    directory: str | None,
    store: str | None,
    run_id: str | None,
    every: bool,
    lang: Lang,
    as_json: bool,
) -> None:
    """Recompute the hash chain of a run (or of every run) and print its head.

    Exit code 1 if any event is not what was stored (the first bad one is named).
    """
    with service_at(store, directory) as service:
        checks = service.verify(run_id, every=every)
    failed = [check for check in checks if not check.ok]
    if as_json:
        echo_json([check.to_dict(lang) for check in checks])
    else:
        for check in checks:
            if check.error is not None:
                name = check.run_id or service.location
                text = msg("chain.verify-bad", run=name, error=check.error.message(lang))
                click.echo(text.text(lang), err=True)
            elif check.result is None:
                click.echo(msg("chain.verify-file-ok", store=service.location).text(lang))
            elif check.result.head is None:
                text = msg("chain.verify-unchained", run=check.run_id, events=check.result.events)
                click.echo(text.text(lang))
            else:
                text = msg(
                    "chain.verify-ok",
                    run=check.run_id,
                    events=check.result.events,
                    head=check.result.head,
                )
                click.echo(text.text(lang))
    if failed:
        raise click.exceptions.Exit(1)


COMMANDS: list[click.Command] = [verify]
