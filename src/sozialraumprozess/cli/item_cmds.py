"""Commands on the items of an item artifact (format v2): ``item create``,
``item change``, ``item move``. Like every state-changing command they act ``--as``
someone and exit with 1, storing nothing, when the process refuses."""

from __future__ import annotations

from typing import Any

import click

from sozialraumprozess.cli.common import Params, stacked
from sozialraumprozess.cli.completion import complete_artifact
from sozialraumprozess.cli.localized import Group, option
from sozialraumprozess.cli.run_cmds import (
    Change,
    Payload,
    attach_option,
    change_command,
    change_options,
)
from sozialraumprozess.i18n import msg

__all__ = ["COMMANDS"]


@click.group(cls=Group, help_message=msg("cli.help.item"))
def item() -> None:
    """Items of an item artifact (one record per item, each with its own state)."""


def _item_params(*, data_required: bool) -> Params:
    """``ARTIFACT KEY --data --note --attach`` and the change options of item create
    and item change (``--data`` is optional for create)."""
    given: dict[str, Any] = {"required": True} if data_required else {"default": None}
    return stacked(
        click.argument("artifact", shell_complete=complete_artifact),
        click.argument("key"),
        option("--data", "source", metavar="FILE|-", help=msg("cli.help.submit.data"), **given),
        option("--note", default=None, help=msg("cli.help.item.note")),
        attach_option,
        change_options,
    )


@change_command(name="create", help=msg("cli.help.item-create"))
@_item_params(data_required=False)
def item_create(
    artifact: str,
    key: str,
    source: str | None,
    note: str | None,
    attach: tuple[str, ...],
    change: Change,
) -> None:
    """Create the item KEY of ARTIFACT (optionally with the data in FILE)."""
    payload = Payload.read(source, attach, change.lang)
    change.apply(
        lambda service, run, stamp: service.create_item(
            run, artifact, key, payload.stored(service), note=note, **stamp
        )
    )


@change_command(name="change", help=msg("cli.help.item-change"))
@_item_params(data_required=True)
def item_change(
    artifact: str, key: str, source: str, note: str | None, attach: tuple[str, ...], change: Change
) -> None:
    """Give the item KEY of ARTIFACT the data in FILE (a new version, given whole)."""
    payload = Payload.read(source, attach, change.lang)
    change.apply(
        lambda service, run, stamp: service.change_item(
            run, artifact, key, payload.stored(service), note=note, **stamp
        )
    )


@change_command(name="move", help=msg("cli.help.item-move"))
@click.argument("artifact", shell_complete=complete_artifact)
@click.argument("key")
@click.argument("state")
@option("--note", default=None, help=msg("cli.help.item.note"))
@change_options
def item_move(artifact: str, key: str, state: str, note: str | None, change: Change) -> None:
    """Move the item KEY of ARTIFACT to STATE."""
    change.apply(
        lambda service, run, stamp: service.move_item(run, artifact, key, state, note=note, **stamp)
    )


item.add_command(item_create)
item.add_command(item_change)
item.add_command(item_move)

COMMANDS: list[click.Command] = [item]
