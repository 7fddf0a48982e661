"""``sozialraum follow`` (the change feed as JSON lines) and ``sozialraum store upgrade``."""

from __future__ import annotations

import click

from sozialraumprozess.cli.common import json_option, lang_option, open_service, store_option
from sozialraumprozess.cli.localized import Group, command, option
from sozialraumprozess.cli.output import echo_json
from sozialraumprozess.i18n import Lang, msg

__all__ = ["COMMANDS"]


@command(help=msg("cli.help.follow"))
@store_option
@option(
    "--after",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    metavar="POS",
    help=msg("cli.help.follow.after"),
)
@option("--once", is_flag=True, help=msg("cli.help.follow.once"))
@option(
    "--poll",
    type=click.FloatRange(min=0.05),
    default=1.0,
    show_default=True,
    metavar="SECONDS",
    help=msg("cli.help.follow.poll"),
)
@lang_option
@json_option
def follow(
    store: str | None, after: int, once: bool, poll: float, lang: Lang, as_json: bool
) -> None:
    """Print every new event of every run of the store as JSON lines, from --after on.

    The output is JSON lines with or without --json; --json makes errors JSON too.
    """
    import json

    service = open_service(store if store is not None else ".")
    try:
        for change in service.follow(after, once=once, poll=poll):
            line = json.dumps(change.to_dict(), ensure_ascii=False, sort_keys=True)
            click.echo(line)  # one line each, flushed: for shell pipelines
    except KeyboardInterrupt:  # Ctrl-C ends following; what was printed was handled
        pass
    finally:
        service.close()


@click.group(cls=Group, help_message=msg("cli.help.store-group"))
def store() -> None:
    """Maintain a store (schema upgrades)."""


@command(name="upgrade", help=msg("cli.help.store-upgrade"))
@store_option
@lang_option
@json_option
def store_upgrade(store: str | None, lang: Lang, as_json: bool) -> None:
    """Bring the store's schema to this version of sozialraumprozess (after a backup)."""
    from sozialraumprozess.app.stores import upgrade_store
    from sozialraumprozess.storage.postgres import redact

    url = store if store is not None else "."
    done = upgrade_store(url)
    where = redact(url)
    if as_json:
        before, after = done if done is not None else (None, None)
        echo_json({"store": where, "before": before, "after": after})
        return
    if done is None:
        click.echo(msg("cli.store-upgrade-on-open", store=where).text(lang))
    elif done[0] == done[1]:
        click.echo(msg("cli.store-upgrade-current", store=where, version=done[1]).text(lang))
    else:
        click.echo(msg("cli.store-upgraded", store=where, before=done[0], after=done[1]).text(lang))


store.add_command(store_upgrade)

COMMANDS: list[click.Command] = [follow, store]
