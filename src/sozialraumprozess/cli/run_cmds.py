"""Commands that change a run: init, submit, approve, confirm, event, decide, advance,
transition, participant add.

Each loads the run, runs one command of the process as ``--as`` (env
``SOZIALRAUM_ROLE``) and saves the new event through the store. A refused
command (blocked, not permitted, invalid data) exits with 1 and stores nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from sozialraumprozess.cli.common import (
    OpenedRun,
    actor_option,
    dir_option,
    load_workflow_arg,
    open_the_run,
    remember_workflow,
    require_actor,
    run_option,
    slug,
    t,
)
from sozialraumprozess.cli.definition_cmds import json_option, lang_option
from sozialraumprozess.cli.output import echo_json

if TYPE_CHECKING:
    from sozialraumprozess.runtime.process import Process

__all__ = ["COMMANDS", "change_result"]

_JSON_HELP = """
    \b
    With --json: an object with the keys run_id, event (seq, time, type, actor,
    payload), phase, cycle, can_advance, blockers (kind, target, role, code,
    path, message).
"""


def _doc(text: str) -> str:
    return text + _JSON_HELP


def change_result(opened: OpenedRun, lang: str) -> dict[str, Any]:
    """The JSON answer of a state-changing command."""
    process = opened.process
    last = process.log[-1]
    return {
        "run_id": opened.run_id,
        "event": {
            "seq": last.seq,
            "time": last.time.isoformat().replace("+00:00", "Z"),
            "type": last.type,
            "actor": {"role": last.actor.role, "participant": last.actor.participant},
            "payload": last.payload,
        },
        "phase": process.phase,
        "cycle": process.cycle,
        "can_advance": process.can_advance(),
        "blockers": [b.to_dict(lang) for b in process.blockers()],
    }


def _apply(
    directory: str,
    run_id: str | None,
    actor: str | None,
    lang: str,
    as_json: bool,
    action: Callable[[Process, str], str],
) -> None:
    """Open the run, run ``action(process, by)``, save, and report (text or JSON)."""
    by = require_actor(actor, lang)
    opened = open_the_run(directory, run_id, lang)
    done = action(opened.process, by)
    opened.run.save()
    if as_json:
        echo_json(change_result(opened, lang))
        return
    click.echo(done)
    process = opened.process
    open_count = len(process.blockers())
    wf = process.workflow
    phase = wf.phase(process.phase).title.get(lang)
    if wf.is_final(process.phase) and not open_count:
        state = t(lang, "alle Kriterien erfüllt", "all criteria met")
    elif open_count:
        state = t(lang, f"{open_count} Kriterien offen", f"{open_count} criteria open")
    else:
        state = t(lang, "Weiter mit: sozialraum advance", "next: sozialraum advance")
    click.echo(f"{t(lang, 'Phase', 'Phase')}: {phase} [{process.phase}] – {state}")


# --------------------------------------------------------------------------- init


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option(
    "--workflow",
    "-w",
    "workflow_arg",
    required=True,
    metavar="ID|PATH",
    help="Mitgelieferter Workflow (ID) oder Workflow-Datei / bundled workflow id or file.",
)
@click.option("--sozialraum", "name", required=True, help="Name des Sozialraums.")
@click.option("--description", default="", help="Beschreibung des Sozialraums.")
@click.option(
    "--run", "run_id", default=None, metavar="RUN_ID", help="Run id (default: slug of the name)."
)
@click.option(
    "--as",
    "actor",
    default=None,
    envvar="SOZIALRAUM_ROLE",
    metavar="ROLE_OR_NAME",
    help="Wer startet (Standard: die verantwortliche Rolle der ersten Phase).",
)
@lang_option
@json_option
def init(
    directory: str,
    workflow_arg: str,
    name: str,
    description: str,
    run_id: str | None,
    actor: str | None,
    lang: str,
    as_json: bool,
) -> None:
    """Start a process for a Sozialraum in a folder store DIR (created if needed).

    The run id is the slug of the Sozialraum's name unless --run is given.

    \b
    With --json: an object with the keys run_id, store, run_dir, workflow,
    phase, cycle.
    """
    from sozialraumprozess.runtime.process import Process
    from sozialraumprozess.storage.folder import FolderStore
    from sozialraumprozess.storage.ids import validate_run_id
    from sozialraumprozess.storage.session import create_run

    workflow, path = load_workflow_arg(workflow_arg, lang)
    chosen = validate_run_id(run_id if run_id is not None else slug(name))
    by = actor.strip() if actor and actor.strip() else workflow.first_phase.responsible
    process = Process.start(workflow, sozialraum=name, description=description, by=by)
    store = FolderStore(directory)
    create_run(store, chosen, process)
    if path is not None:
        remember_workflow(store, chosen, path)
    phase = workflow.first_phase
    if as_json:
        echo_json(
            {
                "run_id": chosen,
                "store": str(store.root),
                "run_dir": str(store.run_dir(chosen)),
                "workflow": {"id": workflow.id, "version": workflow.version},
                "phase": phase.id,
                "cycle": 1,
            }
        )
        return
    click.echo(
        t(
            lang,
            f"Prozess '{chosen}' für {name} angelegt in {store.root} "
            f"({workflow.title.get(lang)}, Phase: {phase.title.get(lang)})",
            f"run '{chosen}' for {name} created in {store.root} "
            f"({workflow.title.get(lang)}, phase: {phase.title.get(lang)})",
        )
    )
    click.echo(t(lang, "Weiter mit: sozialraum status ", "Next: sozialraum status ") + directory)


# --------------------------------------------------------------------------- artifacts


def _read_data(source: str, lang: str) -> dict[str, Any]:
    """The mapping in a YAML or JSON file (``-``: stdin), or a clear error."""
    from sozialraumprozess.definition.issues import IssueCollector
    from sozialraumprozess.definition.yamlio import read_yaml

    name = "<stdin>" if source == "-" else source
    if source == "-":
        raw = sys.stdin.buffer.read()
    else:
        try:
            with open(source, "rb") as handle:
                raw = handle.read()
        except FileNotFoundError:
            raise click.BadParameter(
                t(lang, f"Datei nicht gefunden: {source}", f"file not found: {source}"),
                param_hint="--data",
            ) from None
        except OSError as exc:
            raise click.BadParameter(
                t(
                    lang,
                    f"Datei nicht lesbar: {source} ({exc.strerror})",
                    f"cannot read {source} ({exc.strerror})",
                ),
                param_hint="--data",
            ) from None
    if not raw.strip():
        raise click.ClickException(t(lang, f"{name}: keine Daten", f"{name}: no data"))
    out = IssueCollector(name)
    document = read_yaml(raw, name, out)
    out.raise_if_any(lang)
    data = document.data if document is not None else None
    if not isinstance(data, dict):
        raise click.ClickException(
            t(
                lang,
                f"{name}: erwartet werden Felder (key: value), nicht {type(data).__name__}",
                f"{name}: expected fields (key: value), not {type(data).__name__}",
            )
        )
    return data


@click.command()
@click.argument("artifact")
@click.option(
    "--data", "source", required=True, metavar="FILE|-", help="YAML- oder JSON-Datei, - für stdin."
)
@click.option("--note", default=None, help="Notiz zur Version / note on the version.")
@dir_option
@run_option
@actor_option
@lang_option
@json_option
def submit(
    artifact: str,
    source: str,
    note: str | None,
    directory: str,
    run_id: str | None,
    actor: str | None,
    lang: str,
    as_json: bool,
) -> None:
    """Submit a new version of ARTIFACT with the data in FILE (YAML or JSON; - = stdin)."""
    data = _read_data(source, lang)

    def action(process: Process, by: str) -> str:
        version = process.submit(artifact, data, by=by, note=note)
        title = process.workflow.artifact(artifact).title.get(lang)
        return t(
            lang,
            f"Eingereicht: {title}, Version {version.version}",
            f"submitted: {title}, version {version.version}",
        )

    _apply(directory, run_id, actor, lang, as_json, action)


submit.help = _doc(submit.help or "")


def _artifact_command(name: str, verb_de: str, verb_en: str, doc: str) -> click.Command:
    @click.command(name=name, help=_doc(doc))
    @click.argument("artifact")
    @dir_option
    @run_option
    @actor_option
    @lang_option
    @json_option
    def command(
        artifact: str,
        directory: str,
        run_id: str | None,
        actor: str | None,
        lang: str,
        as_json: bool,
    ) -> None:
        def action(process: Process, by: str) -> str:
            method = process.approve if name == "approve" else process.confirm
            version = method(artifact, by=by)
            title = process.workflow.artifact(artifact).title.get(lang)
            return t(
                lang,
                f"{verb_de}: {title}, Version {version.version}",
                f"{verb_en}: {title}, version {version.version}",
            )

        _apply(directory, run_id, actor, lang, as_json, action)

    return command


approve = _artifact_command(
    "approve", "Freigegeben", "approved", "Approve the newest version of ARTIFACT."
)
confirm = _artifact_command(
    "confirm",
    "Bestätigt",
    "confirmed",
    "Confirm that the newest version of ARTIFACT from an earlier cycle still holds.",
)


# --------------------------------------------------------------------------- events, decisions


@click.command()
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
@dir_option
@run_option
@actor_option
@lang_option
@json_option
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

    _apply(directory, run_id, actor, lang, as_json, action)


event.help = _doc(event.help or "")


@click.command()
@click.argument("decision")
@click.option("--date", "decided_on", required=True, metavar="YYYY-MM-DD", help="Datum / date.")
@click.option("--yes", type=click.IntRange(min=0), default=None, help="Ja-Stimmen.")
@click.option("--no", type=click.IntRange(min=0), default=None, help="Nein-Stimmen.")
@click.option("--abstain", type=click.IntRange(min=0), default=None, help="Enthaltungen.")
@click.option("--consensus", is_flag=True, default=False, help="Im Konsens beschlossen.")
@click.option("--present", type=click.IntRange(min=0), default=None, help="Anwesende.")
@click.option("--text", default=None, help="Beschlusstext / text of the decision.")
@dir_option
@run_option
@actor_option
@lang_option
@json_option
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

    _apply(directory, run_id, actor, lang, as_json, action)


decide.help = _doc(decide.help or "")


# --------------------------------------------------------------------------- moves


@click.command()
@dir_option
@run_option
@actor_option
@lang_option
@json_option
def advance(
    directory: str, run_id: str | None, actor: str | None, lang: str, as_json: bool
) -> None:
    """Move the process to the next phase (exit 1 with every blocker if criteria are unmet)."""

    def action(process: Process, by: str) -> str:
        source = process.phase
        visit = process.advance(by=by)
        wf = process.workflow
        return t(
            lang,
            f"Weiter: {wf.phase(source).title.get(lang)} → {wf.phase(visit.phase).title.get(lang)}"
            f" (Zyklus {visit.cycle})",
            f"advanced: {wf.phase(source).title.get(lang)} → "
            f"{wf.phase(visit.phase).title.get(lang)} (cycle {visit.cycle})",
        )

    _apply(directory, run_id, actor, lang, as_json, action)


advance.help = _doc(advance.help or "")


@click.command()
@click.argument("transition_id", metavar="ID")
@click.option("--reason", default=None, help="Begründung (nötig für Rücksprünge).")
@dir_option
@run_option
@actor_option
@lang_option
@json_option
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
        wf = process.workflow
        return t(
            lang,
            f"Übergang {transition_id}: {wf.phase(source).title.get(lang)} → "
            f"{wf.phase(visit.phase).title.get(lang)} (Zyklus {visit.cycle})",
            f"transition {transition_id}: {wf.phase(source).title.get(lang)} → "
            f"{wf.phase(visit.phase).title.get(lang)} (cycle {visit.cycle})",
        )

    _apply(directory, run_id, actor, lang, as_json, action)


transition.help = _doc(transition.help or "")


@click.group()
def participant() -> None:
    """Participants of the process (people and organisations with roles)."""


@participant.command(name="add")
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True, help="Rollen-ID (mehrfach möglich).")
@click.option(
    "--kind",
    type=click.Choice(["person", "organisation"]),
    default="organisation",
    show_default=True,
)
@click.option("--contact", default=None, help="Kontakt / contact.")
@dir_option
@run_option
@actor_option
@lang_option
@json_option
def participant_add(
    name: str,
    roles: tuple[str, ...],
    kind: str,
    contact: str | None,
    directory: str,
    run_id: str | None,
    actor: str | None,
    lang: str,
    as_json: bool,
) -> None:
    """Add a participant NAME with one or more --role (or change an existing one)."""

    def action(process: Process, by: str) -> str:
        process.set_participant(name, list(roles), kind=kind, contact=contact, by=by)
        return t(
            lang,
            f"Beteiligt: {name} ({', '.join(roles)})",
            f"participant: {name} ({', '.join(roles)})",
        )

    _apply(directory, run_id, actor, lang, as_json, action)


participant_add.help = _doc(participant_add.help or "")

COMMANDS: list[click.Command] = [
    init,
    submit,
    approve,
    confirm,
    event,
    decide,
    advance,
    transition,
    participant,
]
