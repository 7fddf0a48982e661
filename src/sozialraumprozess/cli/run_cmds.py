"""Commands that change a run: init, submit, approve, confirm, participant add/list
(event, decide, advance and transition are in :mod:`.step_cmds`).

Each runs one command of the application layer as ``--as`` (env
``SOZIALRAUM_ROLE``): load the run, run the command, save the new event; a
conflict with a concurrent writer is retried (see
:meth:`sozialraumprozess.app.Service.update`). A refused command (blocked, not
permitted, invalid data) exits with 1 and stores nothing.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, TypedDict

import click

from sozialraumprozess.cli.common import (
    Read,
    actor_option,
    actor_option_with,
    bad_parameter,
    bundled,
    command_key,
    dir_argument,
    dir_option,
    idempotency_option,
    json_option,
    lang_option,
    load_workflow_arg,
    open_service,
    read_options,
    require_actor,
    run_option,
    slug,
    stacked,
    store_option,
    store_url,
    usage_error,
)
from sozialraumprozess.cli.completion import complete_artifact, complete_role, complete_workflow
from sozialraumprozess.cli.localized import Command, Group, command, option
from sozialraumprozess.cli.output import echo_json, print_table
from sozialraumprozess.i18n import Lang, Message, Number, msg, plural

if TYPE_CHECKING:
    from sozialraumprozess.app.service import CommandResult, Service

__all__ = [
    "COMMANDS",
    "Change",
    "Payload",
    "Stamp",
    "change_command",
    "change_options",
    "effective_option",
]


def change_command(
    name: str | None = None, *, help: Message
) -> Callable[[Callable[..., Any]], Command]:
    """A command with catalog ``help`` followed by the keys of the JSON answer every
    state-changing command gives (``cli.help.json-change``)."""
    return command(name, help=help, json_keys=msg("cli.help.json-change"))


class Stamp(TypedDict):
    """Who acts and the key of the invocation: the keyword arguments every
    state-changing method of :class:`~sozialraumprozess.app.Service` takes."""

    by: str
    idempotency_key: str | None


@dataclass(frozen=True)
class Change:
    """The options every state-changing command shares, read into one value: the store
    (``--dir``, ``--store``), the run (``--run``), who acts (``--as``), ``--lang``,
    ``--json`` and ``--idempotency-key`` (one is made per invocation when not
    given). The field names are those of the click parameters."""

    directory: str | None
    store: str | None
    run_id: str | None
    actor: str | None
    lang: Lang
    as_json: bool
    idempotency_key: str | None = None

    @classmethod
    def given(cls, **options: Any) -> Change:
        """The value of the options as given, with the idempotency key of this
        invocation (see :func:`~sozialraumprozess.cli.common.command_key`)."""
        return cls(**{**options, "idempotency_key": command_key(options["idempotency_key"])})

    def apply(self, action: Callable[[Service, str, Stamp], CommandResult]) -> None:
        """Open the store, run ``action(service, run_id, stamp)`` and report (text or
        JSON); ``stamp`` holds ``by`` and ``idempotency_key`` for the service method."""
        from sozialraumprozess.cli.hints import command_line, remember, step

        lang = self.lang
        stamp: Stamp = {
            "by": require_actor(self.actor, lang),
            "idempotency_key": self.idempotency_key,
        }
        url = store_url(self.store, self.directory)
        service = open_service(url)
        try:
            chosen = service.pick_run(self.run_id)
            remember(run_id=chosen)
            done = action(service, chosen, stamp)
        finally:
            service.close()
        process = done.opened.process
        open_count = len(process.blockers())
        wf = process.workflow
        final = wf.is_final(process.phase)
        phase = wf.phase(process.phase)
        next_steps: list[dict[str, Any]] = []
        if open_count:  # what is open, and who owns it
            line = command_line(["status"], store=url, run_id=chosen)
            next_steps.append(step("status", None, None, line))
        elif not final:
            allowed = process.allowed("advance")
            role = phase.responsible if phase.responsible in allowed or not allowed else allowed[0]
            line = command_line(["advance"], store=url, run_id=chosen, role=role)
            next_steps.append(step("advance", None, role, line))
        if self.as_json:
            echo_json({**done.to_dict(lang), "next_steps": next_steps})
            return
        click.echo(done.message.text(lang))
        if done.repeated:
            again = msg("chain.already-applied", seq=done.seq, key=self.idempotency_key)
            click.echo(again.text(lang))
        state = (
            plural("cli.criteria-open", open_count) if open_count else msg("cli.all-criteria-met")
        )
        click.echo(
            msg("cli.phase-state", title=phase.title, phase=phase.id, state=state).text(lang)
        )
        for found in next_steps:
            shell = found["command_line"]["shell"]
            click.echo(msg("cli.next-command", command=shell).text(lang))


def effective_option(func: Callable[..., None]) -> Callable[..., None]:
    """``--date``: the effective date of a command (when it happened; default: today)."""
    return option(
        "--date",
        "effective",
        default=None,
        metavar="TT.MM.JJJJ|YYYY-MM-DD",
        help=msg("time.cli-help-date"),
    )(func)


#: The options every state-changing command shares: --dir, --store, --run, --as,
#: --lang, --json, --idempotency-key; the command gets them as one keyword argument
#: ``change`` (a :class:`Change`), its own parameters as they are.
change_options = bundled(
    "change",
    [field.name for field in fields(Change)],
    Change.given,
    dir_option,
    store_option,
    run_option,
    actor_option,
    lang_option,
    json_option,
    idempotency_option,
)


# --------------------------------------------------------------------------- init


@command(help=msg("cli.help.init"), json_keys=msg("cli.help.init.with-json"))
@dir_argument
@option(
    "--workflow",
    "-w",
    "workflow_arg",
    required=True,
    metavar="ID|PATH",
    shell_complete=complete_workflow,
    help=msg("cli.help.init.workflow"),
)
@option("--sozialraum", "name", required=True, help=msg("cli.help.init.sozialraum"))
@option("--description", default="", help=msg("cli.help.init.description"))
@option(
    "--run",
    "run_id",
    default=None,
    metavar="RUN_ID",
    help=msg("cli.help.init.run"),
)
@actor_option_with(msg("cli.help.init.as"))
@store_option
@lang_option
@json_option
@idempotency_option
def init(
    directory: str | None,
    workflow_arg: str,
    name: str,
    description: str,
    run_id: str | None,
    actor: str | None,
    store: str | None,
    lang: Lang,
    as_json: bool,
    idempotency_key: str | None,
) -> None:
    """Start a process for a Sozialraum in the store STORE (created if needed).

    STORE is a folder (or --store URL, e.g. sqlite:///path/file.db). The run id
    is the slug of the Sozialraum's name unless --run is given.

    \b
    With --json: an object with the keys run_id, store, run_dir, workflow,
    phase, cycle, next_steps (command, subject, role, command_line: argv and
    shell).
    """
    from sozialraumprozess.cli.hints import command_line, step
    from sozialraumprozess.storage.ids import validate_run_id

    if directory is None and store is None:
        raise usage_error(msg("cli.init-needs-store"), lang)
    workflow, path = load_workflow_arg(workflow_arg, lang)
    chosen = validate_run_id(run_id if run_id is not None else slug(name))
    url = store_url(store, directory)
    service = open_service(url, create=True)
    try:
        opened = service.start(
            chosen,
            workflow,
            sozialraum=name,
            description=description,
            by=actor,
            workflow_path=path,
            idempotency_key=command_key(idempotency_key),
        )
    finally:
        service.close()
    phase = workflow.first_phase
    line = command_line(["status"], store=url, run_id=chosen)
    next_step = step("status", None, None, line)
    if as_json:
        echo_json(
            {
                "run_id": chosen,
                "store": service.location,
                "run_dir": None if opened.files is None else str(opened.files),
                "workflow": {"id": workflow.id, "version": workflow.version},
                "phase": phase.id,
                "cycle": 1,
                "next_steps": [next_step],
            }
        )
        return
    created = msg(
        "cli.run-created",
        run_id=chosen,
        name=name,
        store=service.location,
        workflow=workflow.title,
        phase=phase.title,
    )
    click.echo(created.text(lang))
    click.echo(msg("cli.next-command", command=line["shell"]).text(lang))


# --------------------------------------------------------------------------- artifacts


def _read_data(source: str, lang: Lang) -> dict[str, Any]:
    """The mapping in a YAML or JSON file (``-``: stdin), or a clear error."""
    from sozialraumprozess.cli.app import CliError
    from sozialraumprozess.definition.files import (
        FileTooLarge,
        NotARegularFile,
        read_limited,
        read_regular_file,
    )
    from sozialraumprozess.definition.issues import IssueCollector
    from sozialraumprozess.definition.yamlio import MAX_BYTES, read_yaml

    name = "<stdin>" if source == "-" else source
    try:
        if source == "-":
            raw = read_limited(sys.stdin.buffer, MAX_BYTES)
        else:
            raw = read_regular_file(source, MAX_BYTES)
    except FileNotFoundError:
        raise bad_parameter(msg("cli.file-not-found", path=source), lang, "--data") from None
    except FileTooLarge:
        problem = msg("cli.file-too-large", path=name, limit=Number(MAX_BYTES))
        raise bad_parameter(problem, lang, "--data") from None
    except NotARegularFile:
        raise bad_parameter(msg("cli.file-not-regular", path=source), lang, "--data") from None
    except OSError as exc:
        problem = msg("cli.file-unreadable", path=source, reason=str(exc.strerror))
        raise bad_parameter(problem, lang, "--data") from None
    if not raw.strip():
        raise CliError(msg("cli.no-data", name=name).text(lang), lang, "cli.no-data")
    out = IssueCollector(name)
    document = read_yaml(raw, name, out)
    out.raise_if_any(lang)
    data = document.data if document is not None else None
    if not isinstance(data, dict):
        problem = msg("cli.data-not-fields", name=name, type=type(data).__name__)
        raise CliError(problem.text(lang), lang, "cli.data-not-fields")
    return data


def attach_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--attach FIELD=PATH`` (repeatable): files for ``file`` fields (format v2)."""
    return option(
        "--attach",
        "attach",
        multiple=True,
        metavar="FIELD=PATH",
        help=msg("cli.help.attach"),
    )(func)


def attachments(pairs: tuple[str, ...], lang: Lang) -> dict[str, str]:
    """``{field: path}`` of ``--attach FIELD=PATH`` options, or a clear usage error."""
    files: dict[str, str] = {}
    for pair in pairs:
        field, sep, path = pair.partition("=")
        if not sep or not field or not path:
            raise bad_parameter(msg("cli.attach-form", value=pair), lang, "--attach")
        if not os.path.isfile(path):
            raise bad_parameter(msg("cli.file-not-found", path=path), lang, "--attach")
        files[field] = path
    return files


@dataclass(frozen=True)
class Payload:
    """What a command hands in: the fields read from ``--data FILE|-`` and the files
    of ``--attach FIELD=PATH``."""

    data: dict[str, Any]
    files: dict[str, str]

    @classmethod
    def read(cls, source: str | None, attach: tuple[str, ...], lang: Lang) -> Payload:
        """The fields in ``source`` (none without one) and the files of ``attach``,
        or a clear error (see :func:`attachments`)."""
        data = _read_data(source, lang) if source is not None else {}
        return cls(data, attachments(attach, lang))

    def stored(self, service: Service) -> dict[str, Any]:
        """The fields, each attached file put into the store and named by its reference."""
        return service.attach(self.data, self.files)


@change_command(help=msg("cli.help.submit"))
@click.argument("artifact", shell_complete=complete_artifact)
@option("--data", "source", required=True, metavar="FILE|-", help=msg("cli.help.submit.data"))
@option("--note", default=None, help=msg("cli.help.submit.note"))
@attach_option
@effective_option
@change_options
def submit(
    artifact: str,
    source: str,
    note: str | None,
    attach: tuple[str, ...],
    effective: str | None,
    change: Change,
) -> None:
    """Submit a new version of ARTIFACT with the data in FILE (YAML or JSON; - = stdin)."""
    payload = Payload.read(source, attach, change.lang)
    change.apply(
        lambda service, run, stamp: service.submit(
            run, artifact, payload.stored(service), note=note, date=effective, **stamp
        )
    )


#: ``ARTIFACT --date`` and the change options of approve and confirm.
_artifact_step = stacked(
    click.argument("artifact", shell_complete=complete_artifact), effective_option, change_options
)


@change_command(help=msg("cli.help.approve"))
@_artifact_step
def approve(artifact: str, effective: str | None, change: Change) -> None:
    """Approve the newest version of ARTIFACT."""
    change.apply(
        lambda service, run, stamp: service.approve(run, artifact, date=effective, **stamp)
    )


@change_command(help=msg("cli.help.confirm"))
@_artifact_step
def confirm(artifact: str, effective: str | None, change: Change) -> None:
    """Confirm that the newest version of ARTIFACT from an earlier cycle still holds."""
    change.apply(
        lambda service, run, stamp: service.confirm(run, artifact, date=effective, **stamp)
    )


# --------------------------------------------------------------------------- participants


@click.group(cls=Group, help_message=msg("cli.help.participant"))
def participant() -> None:
    """Participants of the process (people and organisations with roles)."""


@change_command(name="add", help=msg("cli.help.participant-add"))
@click.argument("name")
@option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    shell_complete=complete_role,
    help=msg("cli.help.participant-add.role"),
)
@option(
    "--kind",
    type=click.Choice(["person", "organisation"]),
    default="organisation",
    show_default=True,
    help=msg("cli.help.participant-add.kind"),
)
@option("--contact", default=None, help=msg("cli.help.participant-add.contact"))
@effective_option
@change_options
def participant_add(
    name: str,
    roles: tuple[str, ...],
    kind: str,
    contact: str | None,
    effective: str | None,
    change: Change,
) -> None:
    """Add a participant NAME with one or more --role (or change an existing one)."""
    change.apply(
        lambda service, run, stamp: service.set_participant(
            run, name, roles, kind=kind, contact=contact, date=effective, **stamp
        )
    )


@command(
    name="list",
    help=msg("cli.help.participant-list"),
    json_keys=msg("cli.help.participant-list.with-json"),
)
@read_options
def participant_list(read: Read) -> None:
    """List the participants of a run: name, roles, kind, contact, active.

    \b
    With --json: a list of objects with the keys name, roles, kind, contact,
    active.
    """
    lang = read.lang
    rows = read.fetch(lambda service, run: service.participants(run))
    if read.as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(msg("cli.no-participants").text(lang))
        return
    from sozialraumprozess.runtime.pseudonyms import display_name  # erased: "[gelöscht]"

    yes, no = msg("cli.yes").text(lang), msg("cli.no").text(lang)
    print_table(
        [
            msg("cli.head-name").text(lang),
            msg("cli.head-roles").text(lang),
            msg("cli.head-kind").text(lang),
            msg("cli.head-contact").text(lang),
            msg("cli.head-active").text(lang),
        ],
        [
            (
                display_name(r["name"], lang),
                ", ".join(r["roles"]),
                r["kind"],
                r["contact"] or "–",
                yes if r["active"] else no,
            )
            for r in rows
        ],
    )


participant.add_command(participant_add)
participant.add_command(participant_list)

COMMANDS: list[click.Command] = [init, submit, approve, confirm, participant]
