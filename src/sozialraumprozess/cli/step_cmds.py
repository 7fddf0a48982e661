"""Commands that record what happened and move the process: event, decide, advance,
transition. Like every state-changing command they act ``--as`` someone and exit
with 1, storing nothing, when the process refuses."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from sozialraumprozess.cli.common import t
from sozialraumprozess.cli.run_cmds import apply_command, change_command, change_options

if TYPE_CHECKING:
    from sozialraumprozess.runtime.process import Process
    from sozialraumprozess.runtime.records import PhaseVisit

__all__ = ["COMMANDS"]


# --------------------------------------------------------------------------- events, decisions


@change_command()
@click.argument("event_type", metavar="TYPE")
@click.option("--date", "held_on", required=True, metavar="YYYY-MM-DD", help="Datum / date.")
@click.option("--participants", type=click.IntRange(min=0), default=None, help="Teilnehmende.")
@click.option("--notes", default=None, help="Notizen / notes.")
@click.option(
    "--protocol",
    default=None,
    metavar="N|latest",
    help="Version des Protokoll-Artefakts (latest: die neueste) / protocol version.",
)
@change_options
def event(
    event_type: str,
    held_on: str,
    participants: int | None,
    notes: str | None,
    protocol: str | None,
    directory: str,
    run_id: str | None,
    actor: str | None,
    lang: str,
    as_json: bool,
) -> None:
    """Record that an event of type TYPE of the current phase was held."""
    number: int | None = None
    if protocol is not None and protocol != "latest":
        try:
            number = int(protocol)
        except ValueError:
            raise click.BadParameter(
                t(lang, "eine Zahl oder 'latest'", "a number or 'latest'"), param_hint="--protocol"
            ) from None

    def action(process: Process, by: str) -> str:
        version = number
        if protocol == "latest":
            artifact = process.workflow.event(event_type).protocol
            version = len(process.versions(artifact)) if artifact else None
        held = process.record_event(
            event_type,
            date=held_on,
            participants=participants,
            notes=notes,
            protocol=version,
            by=by,
        )
        title = process.workflow.event(event_type).title.get(lang)
        return t(
            lang,
            f"Veranstaltung erfasst: {title} am {held.date}",
            f"event recorded: {title} on {held.date}",
        )

    apply_command(directory, run_id, actor, lang, as_json, action)


@change_command()
@click.argument("decision")
@click.option("--date", "decided_on", required=True, metavar="YYYY-MM-DD", help="Datum / date.")
@click.option("--yes", type=click.IntRange(min=0), default=None, help="Ja-Stimmen.")
@click.option("--no", type=click.IntRange(min=0), default=None, help="Nein-Stimmen.")
@click.option("--abstain", type=click.IntRange(min=0), default=None, help="Enthaltungen.")
@click.option("--consensus", is_flag=True, default=False, help="Im Konsens beschlossen.")
@click.option("--present", type=click.IntRange(min=0), default=None, help="Anwesende.")
@click.option("--text", default=None, help="Beschlusstext / text of the decision.")
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
    directory: str,
    run_id: str | None,
    actor: str | None,
    lang: str,
    as_json: bool,
) -> None:
    """Record a DECISION of a body: --yes N --no N [--abstain N] or --consensus [--present N].

    The result (accepted, rejected, no quorum) follows from the decision's rule.
    """
    voting = yes is not None or no is not None or abstain is not None
    if consensus and voting:
        raise click.UsageError(
            t(
                lang,
                "Entweder --yes/--no/--abstain oder --consensus angeben, nicht beides.",
                "give either --yes/--no/--abstain or --consensus, not both.",
            )
        )
    if not consensus and (yes is None or no is None):
        raise click.UsageError(
            t(
                lang,
                "Stimmen fehlen: --yes N --no N [--abstain N] oder --consensus [--present N].",
                "votes missing: --yes N --no N [--abstain N] or --consensus [--present N].",
            )
        )

    def action(process: Process, by: str) -> str:
        record = process.record_decision(
            decision,
            date=decided_on,
            yes=yes,
            no=no,
            abstain=abstain,
            consensus=True if consensus else None,
            present=present,
            text=text,
            by=by,
        )
        title = process.workflow.decision(decision).title.get(lang)
        return f"{t(lang, 'Beschluss erfasst', 'decision recorded')}: {title} – " + (
            record.result.message(lang)
        )

    apply_command(directory, run_id, actor, lang, as_json, action)


# --------------------------------------------------------------------------- moves


def _moved(head: str, process: Process, source: str, visit: PhaseVisit, lang: str) -> str:
    """``HEAD: FROM → TO (Zyklus N)``: the line a move prints."""
    wf = process.workflow
    return (
        f"{head}: {wf.phase(source).title.get(lang)} → {wf.phase(visit.phase).title.get(lang)} "
        f"({t(lang, 'Zyklus', 'cycle')} {visit.cycle})"
    )


@change_command()
@change_options
def advance(
    directory: str, run_id: str | None, actor: str | None, lang: str, as_json: bool
) -> None:
    """Move the process to the next phase (exit 1 with every blocker if criteria are unmet)."""

    def action(process: Process, by: str) -> str:
        source = process.phase
        visit = process.advance(by=by)
        return _moved(t(lang, "Weiter", "advanced"), process, source, visit, lang)

    apply_command(directory, run_id, actor, lang, as_json, action)


@change_command()
@click.argument("transition_id", metavar="ID")
@click.option("--reason", default=None, help="Begründung (nötig für Rücksprünge).")
@change_options
def transition(
    transition_id: str,
    reason: str | None,
    directory: str,
    run_id: str | None,
    actor: str | None,
    lang: str,
    as_json: bool,
) -> None:
    """Take the named transition ID (a loop back needs --reason)."""

    def action(process: Process, by: str) -> str:
        source = process.phase
        visit = process.take_transition(transition_id, by=by, reason=reason)
        head = f"{t(lang, 'Übergang', 'transition')} {transition_id}"
        return _moved(head, process, source, visit, lang)

    apply_command(directory, run_id, actor, lang, as_json, action)


COMMANDS: list[click.Command] = [event, decide, advance, transition]
