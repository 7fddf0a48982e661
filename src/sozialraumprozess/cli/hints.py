"""Hints the CLI prints: whole commands that can be pasted as they stand.

Every next step the CLI suggests ("Weiter mit: …", the commands under "Als
Nächstes", what settles a blocker of a refused move) is a full command line: it
names the store (an absolute folder, or the URL as given with a relative path
made absolute), the run and the role that owns the step, each quoted for the
shell with :func:`shlex.quote`. So a hint works pasted into any folder and any
shell session, with or without ``SOZIALRAUM_STORE``/``SOZIALRAUM_ROLE`` set.

Only what the CLI cannot know is left as an upper-case placeholder, the same
metavar ``--help`` shows (``--data FILE``, ``--date YYYY-MM-DD``, ``--yes N``).

Under ``--json`` each suggested step carries ``command_line``: ``{"argv": [...],
"shell": "..."}`` (``argv`` for ``subprocess.run``, ``shell`` for a terminal).
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable, Sequence
from typing import Any

import click

__all__ = [
    "COMMAND_OF_KIND",
    "PROGRAM",
    "blocker_steps",
    "command_line",
    "echo_step_command",
    "error_steps",
    "hint_store",
    "remember",
    "step",
    "step_command",
    "with_command_lines",
]

#: The console script the hints call.
PROGRAM = "sozialraum"

#: The command that settles an open item or a blocker of each kind (a check is
#: settled by the data of an artifact). The same as ``app.status.COMMAND_OF_KIND``,
#: kept here so that ``status`` does not import the application layer.
COMMAND_OF_KIND = {
    "artifact": "submit",
    "approval": "approve",
    "event": "event",
    "decision": "decide",
    "item_create": "item create",
    "item_move": "item move",
}

#: Arguments only the user can give, as placeholders (the metavars of ``--help``).
_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "submit": ("--data", "FILE"),
    "event": ("--date", "YYYY-MM-DD"),
    "decide": ("--date", "YYYY-MM-DD", "--yes", "N", "--no", "N"),
    "skip": ("--reason", "TEXT"),
    "item create": ("KEY", "--data", "FILE"),
    "item change": ("KEY", "--data", "FILE"),
    "item move": ("KEY", "STATE"),
}

#: Blocker codes of the item gates (format v2) and the command that settles them.
COMMAND_OF_CODE = {
    "too-few-items": "item create",
    "no-items": "item create",
    "items-missing": "item create",
    "items-not-in-state": "item move",
}


def hint_store(url: str) -> str:
    """The store ``url`` as a hint names it: a folder as an absolute path, a URL as
    given but with a relative path made absolute (``sqlite://p.db`` →
    ``sqlite:///cwd/p.db``); a URL of another kind (a server) unchanged."""
    head, sep, rest = url.partition("://")
    if not sep or len(head) < 2:  # a plain path (``C:\\…`` too)
        return os.path.abspath(url)
    if head.lower() in ("file", "folder", "sqlite") and not os.path.isabs(rest):
        return f"{head}://{os.path.abspath(rest)}"
    return url


def command_line(
    command: Sequence[str],
    *,
    store: str | None = None,
    run_id: str | None = None,
    role: str | None = None,
) -> dict[str, Any]:
    """A full command: ``{"argv": [...], "shell": "..."}``.

    ``command`` is what follows the program name (``["submit", "plan", "--data",
    "FILE"]``); ``store`` (a URL or folder as the user gave it, see
    :func:`hint_store`), ``run_id`` and ``role`` are appended as ``--store``,
    ``--run`` and ``--as`` when given.
    """
    argv = [PROGRAM, *command]
    if store is not None:
        argv += ["--store", hint_store(store)]
    if run_id is not None:
        argv += ["--run", run_id]
    if role is not None:
        argv += ["--as", role]
    return {"argv": argv, "shell": shlex.join(argv)}


def _arguments(command: str, subject: str | None) -> list[str]:
    return [*command.split(), *([subject] if subject else []), *_PLACEHOLDERS.get(command, ())]


def step_command(step: dict[str, Any], store: str, run_id: str) -> dict[str, Any]:
    """The command line of one of ``status``'s ``next_steps`` (command, subject, role)."""
    role = step.get("role")
    if role is None and step.get("roles"):  # status data cached before ``role`` existed
        role = step["roles"][0]
    return command_line(
        _arguments(step["command"], step.get("subject")), store=store, run_id=run_id, role=role
    )


def with_command_lines(data: dict[str, Any], store: str) -> dict[str, Any]:
    """``status`` data whose ``next_steps`` each carry ``command_line`` for ``store``."""
    run_id = data["run_id"]
    data["next_steps"] = [
        {**step, "command_line": step_command(step, store, run_id)}
        for step in data.get("next_steps", [])
    ]
    return data


def echo_step_command(data: dict[str, Any], command: str, subject: str | None) -> None:
    """Print the command line of the step ``command subject`` of ``status`` data (from
    :func:`with_command_lines`), indented under the line that describes it."""
    for step in data.get("next_steps", []):
        if step["command"] == command and step.get("subject") == subject:
            click.echo("    " + step["command_line"]["shell"])
            return


def blocker_steps(blockers: Iterable[Any], store: str, run_id: str) -> list[dict[str, Any]]:
    """The commands that settle ``blockers`` (:class:`~sozialraumprozess.Blocker` or
    anything with ``kind``, ``target`` and ``role``), once each: ``{"command",
    "subject", "role", "command_line"}``; a check (settled by data) has none."""
    steps: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for blocker in blockers:
        command = COMMAND_OF_CODE.get(str(getattr(blocker, "code", ""))) or COMMAND_OF_KIND.get(
            str(getattr(blocker, "kind", ""))
        )
        target = getattr(blocker, "target", None)
        if command is None or not isinstance(target, str) or (command, target) in seen:
            continue
        seen.add((command, target))
        role = getattr(blocker, "role", None)
        line = command_line(_arguments(command, target), store=store, run_id=run_id, role=role)
        steps.append(step(command, target, role, line))
    return steps


#: The CLI command of each command of a process (see ``runtime.permissions.COMMANDS``).
_CLI_COMMAND = {
    "submit": "submit",
    "approve": "approve",
    "confirm": "confirm",
    "record_event": "event",
    "record_decision": "decide",
    "advance": "advance",
    "take_transition": "transition",
    "set_participant": "participant add",
    "create_item": "item create",
    "change_item": "item change",
    "move_item": "item move",
}


def remember(**where: str | None) -> None:
    """Note the store (``store=``, as the user gave it) and run (``run_id=``) of this
    invocation, for the hints of an error (see :func:`error_steps`)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        for key, value in where.items():
            ctx.meta[f"sozialraum.hint-{key}"] = value


def error_steps(error: Exception) -> list[dict[str, Any]]:
    """The commands that help after ``error`` (``{"command", "subject", "role",
    "command_line"}``), for the store and run of this invocation:

    - a blocked move: the commands that settle its blockers;
    - a role that may not act: the same command as a role that may;
    - no run chosen: ``status --run ID`` for each run, or ``init`` for an empty store.
    """
    from sozialraumprozess.app.errors import RunNotChosen
    from sozialraumprozess.errors import PermissionDenied, TransitionBlocked

    ctx = click.get_current_context(silent=True)
    meta = ctx.meta if ctx is not None else {}
    store = meta.get("sozialraum.hint-store")
    run_id = meta.get("sozialraum.hint-run_id")
    if store is None:
        return []
    if isinstance(error, RunNotChosen):
        if not error.run_ids:
            init = ["init", "--workflow", "ID", "--sozialraum", "NAME"]
            return [step("init", None, None, command_line(init, store=store))]
        return [
            step("status", run, None, command_line(["status"], store=store, run_id=run))
            for run in error.run_ids
        ]
    if run_id is None:
        return []
    if isinstance(error, TransitionBlocked):
        return blocker_steps(error.blockers, store, run_id)
    if isinstance(error, PermissionDenied):
        command = _CLI_COMMAND.get(error.command)
        if command is None or not error.allowed or command == "participant add":
            return []
        role = error.allowed[0]
        line = command_line(
            _arguments(command, error.subject), store=store, run_id=run_id, role=role
        )
        return [step(command, error.subject, role, line)]
    return []


def step(
    command: str, subject: str | None, role: str | None, line: dict[str, Any]
) -> dict[str, Any]:
    """A suggested step as JSON data: ``command``, ``subject``, ``role``, ``command_line``."""
    return {"command": command, "subject": subject, "role": role, "command_line": line}
