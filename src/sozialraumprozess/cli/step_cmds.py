"""Commands that record what happened and move the process: event, decide, advance,
transition, migrate, skip. Like every state-changing command they act ``--as`` someone and exit
with 1, storing nothing, when the process refuses."""

from __future__ import annotations

from typing import TypedDict

import click

from sozialraumprozess.cli.common import (
    bad_parameter,
    bundled,
    load_workflow_arg,
    service_at,
    usage_error,
)
from sozialraumprozess.cli.completion import complete_decision, complete_event, complete_transition
from sozialraumprozess.cli.localized import option
from sozialraumprozess.cli.output import echo_json
from sozialraumprozess.cli.run_cmds import Change, change_command, change_options, effective_option
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
@option("--until", default=None, metavar="TT.MM.JJJJ|YYYY-MM-DD", help=msg("time.cli-help-until"))
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
    until: str | None,
    change: Change,
) -> None:
    """Record that an event of type TYPE of the current phase was held."""
    version: int | str | None = protocol
    if protocol is not None and protocol != "latest":
        try:
            version = int(protocol)
        except ValueError:
            raise bad_parameter(msg("cli.number-or-latest"), change.lang, "--protocol") from None
    change.apply(
        lambda service, run, stamp: service.record_event(
            run,
            event_type,
            date=held_on,
            participants=participants,
            notes=notes,
            protocol=version,
            until=until,
            **stamp,
        )
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
@option("--amount", type=float, default=None, help=msg("time.cli-help-amount"))
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
    amount: float | None,
    change: Change,
) -> None:
    """Record a DECISION of a body: --yes N --no N [--abstain N] or --consensus [--present N].

    The result (accepted, rejected, no quorum) follows from the decision's rule.
    """
    voting = yes is not None or no is not None or abstain is not None
    if consensus and voting:
        raise usage_error(msg("cli.votes-or-consensus"), change.lang)
    if not consensus and (yes is None or no is None):
        raise usage_error(msg("cli.votes-missing"), change.lang)
    change.apply(
        lambda service, run, stamp: service.decide(
            run,
            decision,
            date=decided_on,
            yes=yes,
            no=no,
            abstain=abstain,
            consensus=True if consensus else None,
            present=present,
            text=text,
            amount=amount,
            **stamp,
        )
    )


# --------------------------------------------------------------------------- moves


@change_command(help=msg("cli.help.advance"))
@effective_option
@change_options
def advance(effective: str | None, change: Change) -> None:
    """Move the process to the next phase (exit 1 with every blocker if criteria are unmet)."""
    change.apply(lambda service, run, stamp: service.advance(run, date=effective, **stamp))


@change_command(help=msg("cli.help.transition"))
@click.argument("transition_id", metavar="ID", shell_complete=complete_transition)
@option("--reason", default=None, help=msg("cli.help.transition.reason"))
@effective_option
@change_options
def transition(
    transition_id: str, reason: str | None, effective: str | None, change: Change
) -> None:
    """Take the named transition ID (a loop back needs --reason)."""
    change.apply(
        lambda service, run, stamp: service.transition(
            run, transition_id, reason=reason, date=effective, **stamp
        )
    )


def _mapping(pairs: tuple[str, ...], lang: Lang) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise bad_parameter(msg("cli.map-pair", value=pair), lang, "--map")
        mapping[old.strip()] = new.strip()
    return mapping


@change_command(help=msg("cli.help.migrate"))
@option("--to", "target", required=True, metavar="FILE|ID", help=msg("cli.help.migrate.to"))
@option("--map", "pairs", multiple=True, metavar="OLD=NEW", help=msg("cli.help.migrate.map"))
@option("--reason", default=None, help=msg("cli.help.migrate.reason"))
@option("--dry-run", is_flag=True, help=msg("cli.help.migrate.dry-run"))
@option("--all", "every", is_flag=True, help=msg("cli.help.migrate.all"))
@change_options
def migrate(
    target: str,
    pairs: tuple[str, ...],
    reason: str | None,
    dry_run: bool,
    every: bool,
    change: Change,
) -> None:
    """Move a run to a revised workflow, or (--dry-run) report what that would mean."""
    lang = change.lang
    mapping = _mapping(pairs, lang)
    workflow, path = load_workflow_arg(target, lang)
    if not dry_run:
        if every:
            raise usage_error(msg("cli.migrate-all-needs-dry-run"), lang)
        change.apply(
            lambda service, run, stamp: service.migrate(
                run, workflow, mapping=mapping, reason=reason or "", workflow_path=path, **stamp
            )
        )
        return
    with service_at(change.store, change.directory) as service:
        if every:
            runs = [s.run_id for s in service.store.list_runs(workflow=workflow.id)]
        else:
            runs = [service.pick_run(change.run_id)]
        reports = [(run, service.migration_report(run, workflow, mapping=mapping)) for run in runs]
    if change.as_json:
        echo_json([{"run_id": run, **report.to_dict(lang)} for run, report in reports])
    else:
        for index, (run, report) in enumerate(reports):
            if index:
                click.echo("")
            click.echo(msg("cli.migrate-run", run=run).text(lang))
            click.echo(report.text(lang), nl=False)
    if any(report.blocked for _, report in reports):
        raise SystemExit(1)


@change_command(help=msg("cli.help.skip"))
@option("--reason", required=True, help=msg("cli.help.skip.reason"))
@change_options
def skip(reason: str, change: Change) -> None:
    """Skip the current optional phase (format v2) with the reason recorded."""
    change.apply(lambda service, run, stamp: service.skip(run, reason=reason, **stamp))


# --------------------------------------------------------------------------- planned events


class Slot(TypedDict):
    """When and where a planned event is held: the keyword arguments ``on``, ``time``,
    ``until`` and ``place`` of the service's ``plan_event`` and ``reschedule_event``."""

    on: str
    time: str | None
    until: str | None
    place: str | None


#: ``TYPE --on --time --until --place`` of plan and reschedule; the command gets
#: the event type as ``event_type`` and the options as one keyword argument ``slot``.
slot_params = bundled(
    "slot",
    list(Slot.__annotations__),
    Slot,
    click.argument("event_type", metavar="TYPE", shell_complete=complete_event),
    option("--on", required=True, metavar="TT.MM.JJJJ|YYYY-MM-DD", help=msg("time.cli-help-on")),
    option("--time", default=None, metavar="HH:MM", help=msg("time.cli-help-time")),
    option(
        "--until", default=None, metavar="TT.MM.JJJJ|YYYY-MM-DD", help=msg("time.cli-help-until")
    ),
    option("--place", default=None, help=msg("time.cli-help-place")),
)


@change_command(help=msg("time.cli-help-plan"))
@slot_params
@option("--agenda", multiple=True, help=msg("time.cli-help-agenda"))
@option("--invite", "invited", multiple=True, metavar="ROLE", help=msg("time.cli-help-invite"))
@option("--note", default=None, help=msg("time.cli-help-note"))
@option("--end", default=None, metavar="HH:MM", help=msg("invite.cli-help-end"))
@option(
    "--reply-by",
    default=None,
    metavar="TT.MM.JJJJ|YYYY-MM-DD",
    help=msg("invite.cli-help-reply-by"),
)
@effective_option
@change_options
def plan(
    event_type: str,
    slot: Slot,
    agenda: tuple[str, ...],
    invited: tuple[str, ...],
    note: str | None,
    end: str | None,
    reply_by: str | None,
    effective: str | None,
    change: Change,
) -> None:
    """Plan an event of type TYPE ahead (date, time, place, agenda, invited roles)."""
    change.apply(
        lambda service, run, stamp: service.plan_event(
            run,
            event_type,
            agenda=agenda,
            invited=invited,
            note=note,
            date=effective,
            end=end,
            reply_by=reply_by,
            **slot,
            **stamp,
        )
    )


@change_command(help=msg("time.cli-help-reschedule"))
@slot_params
@option("--reason", default=None, help=msg("time.cli-help-reason"))
@effective_option
@change_options
def reschedule(
    event_type: str,
    slot: Slot,
    reason: str | None,
    effective: str | None,
    change: Change,
) -> None:
    """Move the planned event of type TYPE to another day."""
    change.apply(
        lambda service, run, stamp: service.reschedule_event(
            run,
            event_type,
            reason=reason,
            date=effective,
            **slot,
            **stamp,
        )
    )


@change_command(help=msg("time.cli-help-cancel"))
@click.argument("event_type", metavar="TYPE", shell_complete=complete_event)
@option("--reason", default=None, help=msg("time.cli-help-reason"))
@effective_option
@change_options
def cancel(event_type: str, reason: str | None, effective: str | None, change: Change) -> None:
    """Cancel the planned event of type TYPE."""
    change.apply(
        lambda service, run, stamp: service.cancel_event(
            run, event_type, reason=reason, date=effective, **stamp
        )
    )


COMMANDS: list[click.Command] = [
    event,
    decide,
    advance,
    transition,
    skip,
    migrate,
    plan,
    reschedule,
    cancel,
]
