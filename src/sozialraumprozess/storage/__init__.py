"""Persistence: runs in a folder store (consultants), SQLite (apps) or PostgreSQL (servers).

A *run* is one process stored under an id: its append-only event log (the
truth) plus a small summary for listing. Both stores implement
:class:`RunStore` with optimistic concurrency (a stale writer gets
:class:`~sozialraumprozess.errors.ConflictError`)::

    >>> from sozialraumprozess import load_workflow
    >>> from sozialraumprozess.scenario.sample import start_sample
    >>> from sozialraumprozess.storage import FolderStore, create_run, open_run
    >>> import tempfile
    >>> store = FolderStore(tempfile.mkdtemp())
    >>> run = create_run(store, "schwerte-ost", start_sample(load_workflow(
    ...     "generationengerechte-sozialraumentwicklung")))
    >>> open_run(store, "schwerte-ost").process.phase
    'identifizieren'

Every store keeps a copy of each workflow definition its runs are pinned to
(keyed by content hash, written with the run), so a run keeps loading after the
bundled workflow or the workflow file has changed. ``store.list_definitions()``
lists the copies, ``store.get_definition(hash)`` returns one (verified), and
``store.put_definition(workflow)`` gives runs stored without a copy one. Runs
without a copy load through the store's resolver (the bundled workflows); if it
has not got the pinned version, :class:`~sozialraumprozess.errors.DefinitionUnavailable`
names the id, version and hash needed: pass it as ``open_run(..., workflow=...)``.

Every stored log is hash-chained (:mod:`.chain`): reading a run recomputes the
chain, and ``store.verify(run_id)`` returns a :class:`Verification` with the
head to pin in the council's minutes.
"""

from sozialraumprozess.errors import DefinitionUnavailable
from sozialraumprozess.storage.base import (
    RunStore,
    WorkflowResolver,
    bundled_resolver,
    run_pages,
)
from sozialraumprozess.storage.definitions import StoredDefinition
from sozialraumprozess.storage.feed import Change
from sozialraumprozess.storage.folder import FolderStore
from sozialraumprozess.storage.formats import (
    FOLDER_RUN_FORMAT,
    FOLDER_STORE_FORMAT,
    SQLITE_SCHEMA_VERSION,
)
from sozialraumprozess.storage.ids import validate_run_id
from sozialraumprozess.storage.postgres import PostgresStore
from sozialraumprozess.storage.session import Run, create_run, open_run
from sozialraumprozess.storage.sqlite import SqliteStore
from sozialraumprozess.storage.summary import RunSummary, summarize
from sozialraumprozess.storage.verification import Verification

__all__ = [
    "FOLDER_RUN_FORMAT",
    "FOLDER_STORE_FORMAT",
    "SQLITE_SCHEMA_VERSION",
    "Change",
    "DefinitionUnavailable",
    "FolderStore",
    "PostgresStore",
    "Run",
    "RunStore",
    "RunSummary",
    "SqliteStore",
    "StoredDefinition",
    "Verification",
    "WorkflowResolver",
    "bundled_resolver",
    "create_run",
    "open_run",
    "run_pages",
    "summarize",
    "validate_run_id",
]
