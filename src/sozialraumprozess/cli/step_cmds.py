"""Commands that record what happened and move the process: event, decide, advance,
transition. Like every state-changing command they act ``--as`` someone and exit
with 1, storing nothing, when the process refuses."""

from __future__ import annotations

import click

from sozialraumprozess.cli.common import bad_parameter, usage_error
from sozialraumprozess.cli.completion import complete_decision, complete_event, complete_transition
from sozialraumprozess.cli.localized import option
from sozialraumprozess.cli.run_cmds import apply_command, change_command, change_options
from sozialraumprozess.i18n import Lang, msg

__all__ = ["COMMANDS"]


# --------------------------------------------------------------------------- events, decisions


@change_command(help=msg("cli.help.event"))
@click.argument("event_type", metavar="TYPE", shell_complete=complete_event)
@option("--date", "held_on", required=True, metavar="YYYY-MM-DD", help=msg("cli.help.event.date"))
@option(
    "--participants",
    type=click.IntRange(min=0),
    default=None,
    help=msg("cli.help.event.participants"),
)
@option("--notes", default=None, help=msg("cli.help.event.notes"))
@option(
    "--protocol",
    default=None,
    metavar="N|latest",
    help=msg("cli.help.event.protocol"),
)
@change_options
def event(
    event_type: str,
    held_on: str,
    participants: int | None,
    notes: str | None,
    protocol: str | None,
    directory: str | None,
    store: str | None,
    run_id: str | None,
    actor: str | None,
    lang: Lang,
    as_json: bool,
) -> None:
    """Record that an event of type TYPE of the current phase was held."""
    version: int | str | None = protocol
    if protocol is not None and protocol != "latest":
        try:
            version = int(protocol)
        except ValueError:
            raise bad_parameter(msg("cli.number-or-latest"), lang, "--protocol") from None
    apply_command(
        store,
        directory,
        run_id,
        actor,
        lang,
        as_json,
        lambda service, chosen, by: service.record_event(
            chosen,
            event_type,
            date=held_on,
            participants=participants,
            notes=notes,
            protocol=version,
            by=by,
        ),
    )


@change_command(help=msg("cli.help.decide"))
@click.argument("decision", shell_complete=complete_decision)
@option(
    "--date", "decided_on", required=True, metavar="YYYY-MM-DD", help=msg("cli.help.decide.date")
)
@option("--yes", type=click.IntRange(min=0), default=None, help=msg("cli.help.decide.yes"))
@option("--no", type=click.IntRange(min=0), default=None, help=msg("cli.help.decide.no"))
@option("--abstain", type=click.IntRange(min=0), default=None, help=msg("cli.help.decide.abstain"))
@option("--consensus", is_flag=True, default=False, help=msg("cli.help.decide.consensus"))
@option("--present", type=click.IntRange(min=0), default=None, help=msg("cli.help.decide.present"))
@option("--text", default=None, help=msg("cli.help.decide.text"))
@change_options
def decide(
    decision: str,
    decided_on: str,
    yes: int | None,
    no: int | None,
    abstain: int | None,
    consensus: bool,
    present: int | None,
    text: str | None,
    directory: str | None,
    store: str | None,
    run_id: str | None,
    actor: str | None,
    lang: Lang,
    as_json: bool,
) -> None:
    """Record a DECISION of a body: --yes N --no N [--abstain N] or --consensus [--present N].

    The result (accepted, rejected, no quorum) follows from the decision's rule.
    """
    voting = yes is not None or no is not None or abstain is not None
    if consensus and voting:
        raise usage_error(msg("cli.votes-or-consensus"), lang)
    if not consensus and (yes is None or no is None):
        raise usage_error(msg("cli.votes-missing"), lang)
    apply_command(
        store,
        directory,
        run_id,
        actor,
        lang,
        as_json,
        lambda service, chosen, by: service.decide(
            chosen,
            decision,
            date=decided_on,
            yes=yes,
            no=no,
            abstain=abstain,
            consensus=True if consensus else None,
            present=present,
            text=text,
            by=by,
        ),
    )


# --------------------------------------------------------------------------- moves


@change_command(help=msg("cli.help.advance"))
@change_options
def advance(
    directory: str | None,
    store: str | None,
    run_id: str | None,
    actor: str | None,
    lang: Lang,
    as_json: bool,
) -> None:
    """Move the process to the next phase (exit 1 with every blocker if criteria are unmet)."""
    apply_command(
        store,
        directory,
        run_id,
        actor,
        lang,
        as_json,
        lambda service, chosen, by: service.advance(chosen, by=by),
    )


@change_command(help=msg("cli.help.transition"))
@click.argument("transition_id", metavar="ID", shell_complete=complete_transition)
@option("--reason", default=None, help=msg("cli.help.transition.reason"))
@change_options
def transition(
    transition_id: str,
    reason: str | None,
    directory: str | None,
    store: str | None,
    run_id: str | None,
    actor: str | None,
    lang: Lang,
    as_json: bool,
) -> None:
    """Take the named transition ID (a loop back needs --reason)."""
    apply_command(
        store,
        directory,
        run_id,
        actor,
        lang,
        as_json,
        lambda service, chosen, by: service.transition(chosen, transition_id, by=by, reason=reason),
    )


COMMANDS: list[click.Command] = [event, decide, advance, transition]
