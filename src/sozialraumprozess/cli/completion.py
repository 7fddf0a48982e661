"""Shell completion of ids: workflows, runs, artifacts, events, decisions, roles, transitions.

Click's own completion protocol does the rest (``_SOZIALRAUM_COMPLETE=bash_source
sozialraum`` prints the script for bash, ``zsh_source`` and ``fish_source`` for
the others; see ``docs/how-to/shell-completion.md``). Each function here is a
``shell_complete`` callback ``(ctx, param, incomplete) -> [CompletionItem]``:

- workflow ids: the bundled workflows, plus workflow files and folders below the
  typed path;
- run ids: the runs of the store named on the partial command line (``--store``,
  ``--dir`` or the ``[STORE]`` argument), else ``SOZIALRAUM_STORE`` /
  ``SOZIALRAUM_DIR``, else the current folder;
- artifact, event, decision, role and transition ids: those of the workflow named
  on the line (``--workflow``), else of the run's workflow (the copy the store
  keeps; no replay of the log), transitions from the run's current phase;
- stores: folders (and the ``sqlite://`` prefix).

Completion runs on every key press, so it reads no event log, and it never
fails: any error means no suggestions (a shell must not print a traceback).
"""

from __future__ import annotations

import functools
import glob
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import click
    from click.shell_completion import CompletionItem

    from sozialraumprozess.definition.model import Workflow

__all__ = [
    "complete_artifact",
    "complete_decision",
    "complete_demo",
    "complete_event",
    "complete_role",
    "complete_run",
    "complete_store",
    "complete_transition",
    "complete_workflow",
]

#: The file that marks a folder store (see :mod:`sozialraumprozess.storage.folder`).
_MARKER = "sozialraumprozess-store.json"

Completer = Callable[["click.Context", "click.Parameter", str], "list[CompletionItem]"]
_Ids = Callable[["click.Context", str], Iterable[tuple[str, str | None]]]


def _completer(ids: _Ids) -> Completer:
    """A ``shell_complete`` callback from ``ids(ctx, incomplete)`` (``(value, help)`` pairs):
    keeps the values starting with ``incomplete``; any error gives no suggestions."""

    @functools.wraps(ids)
    def complete(
        ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        try:
            return [
                CompletionItem(value, help=help)
                for value, help in ids(ctx, incomplete)
                if value.startswith(incomplete)
            ]
        except Exception:  # completion must never break the shell
            return []

    return complete


def _param(ctx: click.Context, *names: str) -> Any:
    """The first of ``names`` given on the line so far (this command or a parent)."""
    current: click.Context | None = ctx
    while current is not None:
        for name in names:
            value = current.params.get(name)
            if value:
                return value
        current = current.parent
    return None


def _unparsed_store(ctx: click.Context) -> str | None:
    """The ``[STORE]`` argument when click could not assign it yet: an option after it
    still waits for its value (``status DIR --run <TAB>``), so it is left in ``ctx.args``."""
    import click

    arguments = [p.name for p in ctx.command.params if isinstance(p, click.Argument)]
    if "directory" not in arguments:
        return None
    index = arguments.index("directory")
    return ctx.args[index] if len(ctx.args) > index else None


def _store_url(ctx: click.Context) -> str:
    found = _param(ctx, "store", "directory") or _unparsed_store(ctx)
    if isinstance(found, tuple):  # portfolio's [STORE]...
        found = found[0] if found else None
    if found:
        return str(found)
    return os.environ.get("SOZIALRAUM_STORE") or os.environ.get("SOZIALRAUM_DIR") or "."


def _open(ctx: click.Context) -> Any:
    """The store of the line, opened only if it exists (completion never creates one)."""
    from sozialraumprozess.app.stores import open_store

    return open_store(_store_url(ctx), create=False)


def _named_workflow(ctx: click.Context) -> Workflow | None:
    value = _param(ctx, "workflow_arg", "workflow_id", "workflow")
    if not value:
        return None
    from sozialraumprozess.definition.loader import load_workflow

    return load_workflow(str(value))


def _run_workflow(ctx: click.Context) -> tuple[Workflow, str | None]:
    """The workflow named on the line (phase unknown), else the run's and its phase."""
    named = _named_workflow(ctx)
    if named is not None:
        return named, None
    store = _open(ctx)
    try:
        run_id = _param(ctx, "run_id")
        if run_id is None:
            runs = store.list_runs()
            if len(runs) != 1:
                raise LookupError("no run chosen")
            summary = runs[0]
        else:
            summary = store.summary(run_id)
        workflow = store.get_definition(summary.workflow.content_hash)
        if workflow is None:  # no copy kept: the noted file, else the bundled one
            from sozialraumprozess.app.service import Service

            return Service(store).load(summary.run_id).process.workflow, summary.phase
        return workflow, summary.phase
    finally:
        store.close()


def _label(value: Any, ctx: click.Context) -> str | None:
    """A workflow label in the language of the line (``--lang``, ``SOZIALRAUM_LANG``)."""
    if value is None:
        return None
    lang = _param(ctx, "lang") or os.environ.get("SOZIALRAUM_LANG")
    return str(value.get(lang if lang in ("de", "en") else "de"))


@_completer
def complete_workflow(ctx: click.Context, incomplete: str) -> Iterable[tuple[str, str | None]]:
    """Bundled workflow ids, then workflow files (``.yaml``/``.yml``) and folders."""
    from sozialraumprozess.definition.loader import bundled_workflows

    found: list[tuple[str, str | None]] = [(w, None) for w in bundled_workflows()]
    for path in sorted(glob.glob(glob.escape(incomplete) + "*")):
        if os.path.isdir(path):
            found.append((path + os.sep, None))
        elif path.endswith((".yaml", ".yml")) and not path.endswith(".scenario.yaml"):
            found.append((path, None))
    return found


@_completer
def complete_demo(ctx: click.Context, incomplete: str) -> Iterable[tuple[str, str | None]]:
    """The bundled workflows that come with a sample scenario."""
    from sozialraumprozess.scenario.loader import bundled_scenarios

    return [(name, None) for name in bundled_scenarios()]


@_completer
def complete_store(ctx: click.Context, incomplete: str) -> Iterable[tuple[str, str | None]]:
    """Folders below the typed path (a store is a folder), and ``sqlite://``."""
    head, sep, rest = incomplete.partition("://")
    prefix = f"{head}{sep}" if sep else ""
    typed = rest if sep else incomplete
    found: list[tuple[str, str | None]] = [] if sep else [("sqlite://", None)]
    for path in sorted(glob.glob(glob.escape(typed) + "*")):
        if os.path.isdir(path):
            found.append((prefix + path + os.sep, None))
        elif sep and path.endswith(".db"):
            found.append((prefix + path, None))
    return found


@_completer
def complete_run(ctx: click.Context, incomplete: str) -> Iterable[tuple[str, str | None]]:
    """The run ids of the store of the line (with the Sozialraum's name, except for a
    folder store: its run folders are listed without importing the storage layer)."""
    url = _store_url(ctx)
    head, sep, rest = url.partition("://")
    folder = url if not sep or len(head) < 2 else rest if head.lower() == "file" else None
    if folder is not None and os.path.isfile(os.path.join(folder, _MARKER)):
        runs = os.path.join(folder, "runs")
        names = sorted(n for n in os.listdir(runs) if not n.startswith("."))
        return [(n, None) for n in names if os.path.isdir(os.path.join(runs, n))]
    store = _open(ctx)
    try:
        return [(s.run_id, s.title) for s in store.list_runs()]
    finally:
        store.close()


def _workflow_ids(part: str) -> Completer:
    """The ids (with titles) of the workflow's ``part``: ``artifacts``, ``events`` …"""

    def ids(ctx: click.Context, incomplete: str) -> Iterable[tuple[str, str | None]]:
        workflow, _ = _run_workflow(ctx)
        return [(item.id, _label(item.title, ctx)) for item in getattr(workflow, part)]

    return _completer(ids)


#: The artifact, event, decision and role ids of the run's (or the named) workflow.
complete_artifact = _workflow_ids("artifacts")
complete_event = _workflow_ids("events")
complete_decision = _workflow_ids("decisions")
complete_role = _workflow_ids("roles")


@_completer
def complete_transition(ctx: click.Context, incomplete: str) -> Iterable[tuple[str, str | None]]:
    """The transition ids from the run's current phase (all, for a workflow on the line)."""
    workflow, phase = _run_workflow(ctx)
    moves = workflow.transitions if phase is None else workflow.transitions_from(phase)
    return [(t.id, _label(t.title, ctx) if t.title else t.target) for t in moves]
