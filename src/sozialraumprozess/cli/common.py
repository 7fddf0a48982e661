"""Shared options of the run commands and how a command finds its run in a folder store.

A run lives in a folder store ``DIR``. Read commands take ``DIR`` as an optional
argument, state-changing commands take ``--dir/-d`` (env ``SOZIALRAUM_DIR``). A
store with one run needs no ``--run``; with several, ``--run RUN_ID`` picks one.

Runs on a workflow *file* (not a bundled id) remember that file in
``DIR/sozialraum-workflows.json`` (run id → path relative to ``DIR``), so that
later commands load the same definition and find the templates beside it.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from sozialraumprozess.definition.model import Workflow
    from sozialraumprozess.runtime.process import Process
    from sozialraumprozess.storage.folder import FolderStore
    from sozialraumprozess.storage.session import Run

__all__ = [
    "WORKFLOWS_FILE",
    "OpenedRun",
    "actor_option",
    "dir_argument",
    "dir_option",
    "load_run",
    "load_workflow_arg",
    "open_folder_store",
    "open_the_run",
    "pick_run",
    "remember_workflow",
    "require_actor",
    "run_option",
    "slug",
    "t",
]

F = TypeVar("F", bound=Callable[..., Any])

#: Which workflow file each run of a store was started on (runs on bundled workflows: absent).
WORKFLOWS_FILE = "sozialraum-workflows.json"


def t(lang: str, de: str, en: str) -> str:
    """``de`` or ``en``, by ``lang``."""
    return en if lang == "en" else de


# --------------------------------------------------------------------------- options


def dir_argument(func: F) -> F:
    """``[DIR]``: the folder store (default: the current folder)."""
    return click.argument(
        "directory", required=False, default=".", type=click.Path(file_okay=False)
    )(func)


def dir_option(func: F) -> F:
    """``--dir/-d DIR`` (env ``SOZIALRAUM_DIR``): the folder store of the run."""
    return click.option(
        "--dir",
        "-d",
        "directory",
        default=".",
        envvar="SOZIALRAUM_DIR",
        show_default=True,
        type=click.Path(file_okay=False),
        help="Ordner des Speichers / folder store (env SOZIALRAUM_DIR).",
    )(func)


def run_option(func: F) -> F:
    """``--run RUN_ID``: which run, when the store holds several."""
    return click.option(
        "--run",
        "run_id",
        default=None,
        metavar="RUN_ID",
        help="Welcher Prozess, wenn der Speicher mehrere enthält / which run, if several.",
    )(func)


def actor_option(func: F) -> F:
    """``--as ROLE_OR_NAME`` (env ``SOZIALRAUM_ROLE``): who acts."""
    return click.option(
        "--as",
        "actor",
        default=None,
        envvar="SOZIALRAUM_ROLE",
        metavar="ROLE_OR_NAME",
        help="Wer handelt: Rollen-ID oder Name einer beteiligten Person/Organisation "
        "(env SOZIALRAUM_ROLE) / who acts: a role id or a participant's name.",
    )(func)


def require_actor(actor: str | None, lang: str) -> str:
    """``actor``, or a usage error (exit 2) that says how to name who acts."""
    if actor is None or not actor.strip():
        raise click.UsageError(
            t(
                lang,
                "Wer handelt? Bitte --as ROLLE angeben (Rollen-ID oder Name einer "
                "beteiligten Person) oder die Umgebungsvariable SOZIALRAUM_ROLE setzen.",
                "Who acts? Give --as ROLE (a role id or a participant's name) "
                "or set the environment variable SOZIALRAUM_ROLE.",
            )
        )
    return actor.strip()


# --------------------------------------------------------------------------- helpers


_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def slug(name: str) -> str:
    """A run id from a name: ``Schwerte-Ost (Beispiel)`` → ``schwerte-ost-beispiel``."""
    text = unicodedata.normalize("NFKD", name.translate(_FOLD).lower())
    out: list[str] = []
    for char in text:
        if char.isascii() and char.isalnum():
            out.append(char)
        elif not unicodedata.combining(char) and (not out or out[-1] != "-"):
            out.append("-")
    return "".join(out).strip("-") or "sozialraum"


def load_workflow_arg(value: str, lang: str) -> tuple[Workflow, Path | None]:
    """A workflow named by bundled id or path; the path is ``None`` for bundled ones."""
    from sozialraumprozess.definition.loader import bundled_workflows, load_workflow

    if value in bundled_workflows():
        return load_workflow(value, lang=lang), None
    if os.path.exists(value):
        if os.path.isdir(value):
            raise click.BadParameter(
                t(lang, f"'{value}' ist ein Ordner", f"'{value}' is a folder"),
                param_hint="--workflow",
            )
        return load_workflow(value, lang=lang), Path(value).resolve()
    return load_workflow(value, lang=lang), None  # UnknownNameError with a hint


def open_folder_store(directory: str) -> FolderStore:
    """The existing folder store at ``directory`` (never creates one).

    Raises:
        NotAStore: There is no store.
    """
    from sozialraumprozess.storage.folder import FolderStore

    return FolderStore(directory, create=False)


def _workflows_file(store: FolderStore) -> Path:
    return store.root / WORKFLOWS_FILE


def _read_workflows(store: FolderStore) -> dict[str, str]:
    path = _workflows_file(store)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    runs = data.get("runs") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in runs.items()} if isinstance(runs, dict) else {}


def remember_workflow(store: FolderStore, run_id: str, path: Path) -> None:
    """Note that run ``run_id`` runs on the workflow file ``path``."""
    runs = _read_workflows(store)
    try:
        shown = os.path.relpath(path, store.root.resolve())
    except ValueError:  # another drive (Windows)
        shown = str(path)
    runs[run_id] = shown
    body = json.dumps({"format": "sozialraum-cli-workflows/1", "runs": runs}, indent=2)
    target = _workflows_file(store)
    temp = target.with_name(target.name + ".tmp")
    temp.write_text(body + "\n", encoding="utf-8")
    os.replace(temp, target)


def workflow_path_of(store: FolderStore, run_id: str) -> Path | None:
    """The workflow file run ``run_id`` was started on, or ``None`` (bundled workflow)."""
    found = _read_workflows(store).get(run_id)
    if found is None:
        return None
    return (store.root / found).resolve()


def pick_run(store: FolderStore, run_id: str | None, lang: str) -> str:
    """The run a command works on: ``run_id``, or the store's only run.

    Raises:
        RunNotFound: ``run_id`` is not in the store.
        click.ClickException: No run, or several without ``--run`` (exit 1).
    """
    from sozialraumprozess.errors import RunNotFound

    if run_id is not None:
        if not store.run_dir(run_id).is_dir():
            raise RunNotFound(run_id, store.location)
        return run_id
    ids = sorted(p.name for p in store.runs.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not ids:
        raise click.ClickException(
            t(
                lang,
                f"Im Speicher {store.location} gibt es noch keinen Prozess "
                "(anlegen mit: sozialraum init DIR --workflow ID --sozialraum NAME)",
                f"the store {store.location} has no run yet "
                "(create one with: sozialraum init DIR --workflow ID --sozialraum NAME)",
            )
        )
    if len(ids) > 1:
        raise click.ClickException(
            t(
                lang,
                f"Im Speicher {store.location} gibt es mehrere Prozesse; bitte mit --run "
                f"wählen: {', '.join(ids)}",
                f"the store {store.location} holds several runs; choose one with --run: "
                f"{', '.join(ids)}",
            )
        )
    return ids[0]


class OpenedRun:
    """A run opened by a command, with the workflow file it came from (if any)."""

    __slots__ = ("run", "store", "workflow_path")

    def __init__(self, store: FolderStore, run: Run, workflow_path: Path | None) -> None:
        self.store = store
        self.run = run
        self.workflow_path = workflow_path

    @property
    def process(self) -> Process:
        """The run's process."""
        return self.run.process

    @property
    def run_id(self) -> str:
        """The run's id."""
        return self.run.run_id

    def documents_dir(self) -> Path:
        """The run's ``documents/`` folder (created if missing)."""
        return self.store.documents_dir(self.run.run_id)

    def run_dir(self) -> Path:
        """The run's folder."""
        return self.store.run_dir(self.run.run_id)


def open_the_run(directory: str, run_id: str | None, lang: str) -> OpenedRun:
    """Open the run of a command: the store at ``directory``, the run chosen by :func:`pick_run`.

    Raises:
        NotAStore, RunNotFound, CorruptRunError, DefinitionMismatch, WorkflowError …
    """
    store = open_folder_store(directory)
    return load_run(store, pick_run(store, run_id, lang), lang)


def load_run(store: FolderStore, run_id: str, lang: str) -> OpenedRun:
    """Open run ``run_id`` of ``store`` on the definition it is pinned to.

    The store keeps a copy of that definition, so a run keeps working after its
    workflow file is edited (it goes on with the version it started with). Runs
    stored without a copy fall back to the remembered workflow file or the
    bundled workflow.
    """
    from sozialraumprozess.errors import DefinitionUnavailable
    from sozialraumprozess.storage.session import open_run

    path = workflow_path_of(store, run_id)
    try:
        return OpenedRun(store, open_run(store, run_id), path)
    except DefinitionUnavailable:
        if path is None:
            raise
    from sozialraumprozess.definition.loader import load_workflow

    workflow = None
    if path is not None:
        if not path.is_file():
            raise click.ClickException(
                t(
                    lang,
                    f"Die Workflow-Datei des Prozesses '{run_id}' fehlt: {path}",
                    f"the workflow file of run '{run_id}' is missing: {path}",
                )
            )
        workflow = load_workflow(str(path), lang=lang)
    return OpenedRun(store, open_run(store, run_id, workflow), path)
