"""``sozialraum person export|erase|consent``: personal data under the DSGVO.

Thin over :mod:`sozialraumprozess.app.privacy`: export everything the store holds
about a participant (Art. 15), erase a participant's name and contact data from
a run (Art. 17), record a consent (for example to be named in public documents).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from sozialraumprozess.cli.common import (
    Params,
    dir_argument,
    json_option,
    lang_option,
    run_option,
    service_at,
    stacked,
    store_option,
)
from sozialraumprozess.cli.localized import Command, Group, command, option
from sozialraumprozess.cli.output import echo_json
from sozialraumprozess.i18n import Lang, Message, msg

__all__ = ["COMMANDS"]


@click.group(cls=Group, help_message=msg("cli.help.person"))
def person() -> None:
    """Personal data of participants: export, erase, consent (DSGVO)."""


def _person_command(
    name: str, help: Message, json_keys: Message, *own: Params
) -> Callable[[Callable[..., Any]], Command]:
    """A ``person`` subcommand ``NAME [STORE] --store``, then its ``own`` options,
    then ``--lang --json``."""
    params = stacked(
        click.argument("name"), dir_argument, store_option, *own, lang_option, json_option
    )
    make = command(name=name, help=help, json_keys=json_keys)
    return lambda func: make(params(func))


@_person_command("export", msg("cli.help.person-export"), msg("cli.help.person-export.with-json"))
def person_export(
    name: str, directory: str | None, store: str | None, lang: Lang, as_json: bool
) -> None:
    """Everything the store holds about participant NAME, over all runs."""
    with service_at(store, directory) as service:
        data = service.export_person(name)
    if as_json:
        echo_json(data)
        return
    for run in data["runs"]:
        line = msg(
            "people.export-line",
            run_id=run["run_id"],
            roles=", ".join(run["participant"]["roles"]),
            contact=run["participant"]["contact"] or "–",
            consents=len(run["consents"]),
            actions=len(run["actions"]),
        )
        click.echo(line.text(lang))
    click.echo(msg("people.export-hint", count=len(data["runs"])).text(lang), err=True)


@_person_command(
    "erase",
    msg("cli.help.person-erase"),
    msg("cli.help.person-erase.with-json"),
    run_option,
    option("--yes", is_flag=True, default=False, help=msg("cli.help.person-erase.yes")),
)
def person_erase(
    name: str,
    directory: str | None,
    store: str | None,
    run_id: str | None,
    yes: bool,
    lang: Lang,
    as_json: bool,
) -> None:
    """Erase the name, contact data and consents of participant NAME from a run."""
    with service_at(store, directory) as service:
        run = service.pick_run(run_id)
        if not yes and not click.confirm(
            msg("people.confirm-erase", name=name, run_id=run).text(lang), err=True
        ):
            raise SystemExit(1)
        done = service.erase_person(run, name)
    if as_json:
        echo_json(
            {
                "run_id": done.run_id,
                "person_id": done.person_id,
                "removed_files": list(done.removed_files),
            }
        )
        return
    for path in done.removed_files:
        click.echo(path)
    text = msg("people.erased-done", name=name, run_id=done.run_id, count=len(done.removed_files))
    click.echo(text.text(lang), err=True)


@_person_command(
    "consent",
    msg("cli.help.person-consent"),
    msg("cli.help.person-consent.with-json"),
    run_option,
    option(
        "--purpose",
        default="publication",
        show_default=True,
        help=msg("cli.help.person-consent.purpose"),
    ),
    option(
        "--date",
        "day",
        required=True,
        metavar="YYYY-MM-DD",
        help=msg("cli.help.person-consent.date"),
    ),
)
def person_consent(
    name: str,
    directory: str | None,
    store: str | None,
    run_id: str | None,
    purpose: str,
    day: str,
    lang: Lang,
    as_json: bool,
) -> None:
    """Record that participant NAME consented to --purpose on --date."""
    with service_at(store, directory) as service:
        run = service.pick_run(run_id)
        service.record_consent(run, name, purpose, day)
    if as_json:
        echo_json({"run_id": run, "name": name, "purpose": purpose, "date": day})
        return
    click.echo(
        msg("people.consent-recorded", name=name, purpose=purpose, date=day, run_id=run).text(lang),
        err=True,
    )


@command(help=msg("cli.help.purge"), json_keys=msg("cli.help.purge.with-json"))
@dir_argument
@store_option
@option("--yes", is_flag=True, default=False, help=msg("cli.help.purge.yes"))
@lang_option
@json_option
def purge(directory: str | None, store: str | None, yes: bool, lang: Lang, as_json: bool) -> None:
    """List (with --yes: delete) what the workflows' retention periods no longer allow."""
    with service_at(store, directory) as service:
        found = service.purge(apply=yes)
    if as_json:
        echo_json(
            [{"run_id": p.run_id, "kind": p.kind, "path": p.path, "until": p.until} for p in found]
        )
        return
    for item in found:
        click.echo(f"{item.run_id}\t{item.kind}\t{item.path or '-'}\t{item.until}")
    done = (
        msg("people.purged", count=len(found))
        if yes
        else msg("people.purge-listed", count=len(found))
    )
    click.echo(done.text(lang), err=True)


person.add_command(person_export)
person.add_command(person_erase)
person.add_command(person_consent)

COMMANDS: list[click.Command] = [person, purge]
