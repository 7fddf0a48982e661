"""Commands that change a run: init, submit, approve, confirm, participant add
(event, decide, advance and transition are in :mod:`.step_cmds`).

Each loads the run, runs one command of the process as ``--as`` (env
``SOZIALRAUM_ROLE``) and saves the new event through the store. A refused
command (blocked, not permitted, invalid data) exits with 1 and stores nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

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

__all__ = [
    "COMMANDS",
    "apply_command",
    "change_command",
    "change_options",
    "change_result",
]

F = TypeVar("F", bound=Callable[..., Any])

_JSON_HELP = """
    \b
    With --json: an object with the keys run_id, event (seq, time, type, actor,
    payload), phase, cycle, can_advance, blockers (kind, target, role, code,
    path, message).
"""


def change_command(
    name: str | None = None, help: str | None = None
) -> Callable[[Callable[..., Any]], click.Command]:
    """``click.command`` whose help ends with the JSON answer of state-changing commands."""

    def decorate(func: Callable[..., Any]) -> click.Command:
        command = click.command(name, help=help)(func)
        command.help = (command.help or "") + _JSON_HELP
        return command

    return decorate


def change_options(func: F) -> F:
    """The options every state-changing command shares: --dir, --run, --as, --lang, --json."""
    for option in (json_option, lang_option, actor_option, run_option, dir_option):
        func = option(func)
    return func


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


def apply_command(
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
    from sozialraumprozess.cli.read_cmds import refresh_status_cache

    refresh_status_cache(opened)
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


@change_command()
@click.argument("artifact")
@click.option(
    "--data", "source", required=True, metavar="FILE|-", help="YAML- oder JSON-Datei, - für stdin."
)
@click.option("--note", default=None, help="Notiz zur Version / note on the version.")
@change_options
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

    apply_command(directory, run_id, actor, lang, as_json, action)


def _artifact_command(name: str, verb_de: str, verb_en: str, doc: str) -> click.Command:
    @change_command(name, help=doc)
    @click.argument("artifact")
    @change_options
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

        apply_command(directory, run_id, actor, lang, as_json, action)

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


@click.group()
def participant() -> None:
    """Participants of the process (people and organisations with roles)."""


@change_command(name="add")
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True, help="Rollen-ID (mehrfach möglich).")
@click.option(
    "--kind",
    type=click.Choice(["person", "organisation"]),
    default="organisation",
    show_default=True,
)
@click.option("--contact", default=None, help="Kontakt / contact.")
@change_options
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

    apply_command(directory, run_id, actor, lang, as_json, action)


participant.add_command(participant_add)

COMMANDS: list[click.Command] = [init, submit, approve, confirm, participant]
