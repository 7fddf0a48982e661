"""Working with stored processes: a :class:`Run` remembers the version it was loaded at.

::

    run = create_run(store, "schwerte-ost-2025", process)   # stores the first events
    run = open_run(store, "schwerte-ost-2025")              # later: replayed from the log
    run.process.submit("sozialraumprofil", data, by="kommune")
    run.save()                                              # appends only the new events

``create_run`` stores a copy of the process's workflow definition with the run,
so ``open_run`` finds it later even if the bundled workflow or the workflow file
has changed since (see :mod:`.definitions`).

``save`` appends the events added since the run was loaded or last saved, with
the version it was loaded at as the expected version: if someone else saved in
between, it raises :class:`~sozialraumprozess.errors.ConflictError` and stores
nothing; :meth:`Run.reload` then gives the current process to retry on.
"""

from __future__ import annotations

from attrs import define, evolve

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.runtime.clock import Clock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import ProcessEvent
from sozialraumprozess.storage.base import RunStore
from sozialraumprozess.storage.ids import validate_run_id
from sozialraumprozess.storage.summary import summarize

__all__ = ["Run", "create_run", "open_run"]


@define
class Run:
    """A process together with the store it lives in and the stored version.

    Attributes:
        store: Where the run is stored.
        run_id: Its id in the store.
        process: The process; run commands on it, then :meth:`save`.
        version: The number of events known to be stored.
    """

    store: RunStore
    run_id: str
    process: Process
    version: int

    @property
    def pending(self) -> tuple[ProcessEvent, ...]:
        """The events added since the last load or save (not yet stored)."""
        return self.process.log[self.version :]

    def save(self, *, key: str | None = None) -> int:
        """Append the pending events; returns the stored version.

        Args:
            key: The idempotency key of the command that made them: stored with
                each (``ProcessEvent.key``), so a retry of the same command can be
                recognised (see :meth:`sozialraumprozess.app.Service.update`).

        A run stored without a copy of its definition (by an older version, or
        through :meth:`RunStore.create` without ``workflow``) gets one now: the
        process's workflow is the pinned definition (replay checked that).

        Raises:
            ConflictError: Someone else saved since this run was loaded; no events
                stored (the definition copy may have been).
        """
        pending = self.pending
        if not pending:
            return self.version
        self.store.put_definition(self.process.workflow)
        summary = summarize(self.run_id, self.process)
        if key is not None:
            pending = tuple(evolve(event, key=key) for event in pending)
        self.version = self.store.append(
            self.run_id, pending, expected_version=self.version, summary=summary
        )
        return self.version

    def reload(self) -> Run:
        """A fresh :class:`Run` with the stored state (pending events are dropped)."""
        return open_run(self.store, self.run_id, self.process.workflow, clock=self.process.clock)


def create_run(store: RunStore, run_id: str, process: Process, *, key: str | None = None) -> Run:
    """Store ``process`` as a new run ``run_id``, with a copy of its workflow definition.

    Args:
        store: The store.
        run_id: The new run's id.
        process: The process (its events are stored).
        key: The idempotency key of the command that starts it (stored with the
            events, see :meth:`Run.save`).

    Raises:
        InvalidRunId: ``run_id`` is not valid.
        ConflictError: The run exists already.
    """
    validate_run_id(run_id)
    events = process.log if key is None else [evolve(e, key=key) for e in process.log]
    version = store.create(run_id, events, summarize(run_id, process), workflow=process.workflow)
    return Run(store, run_id, process, version)


def open_run(
    store: RunStore, run_id: str, workflow: Workflow | None = None, *, clock: Clock | None = None
) -> Run:
    """Load run ``run_id`` from ``store`` (replaying its log).

    Args:
        store: The store.
        run_id: The run.
        workflow: Its definition. ``None``: the store's copy of the pinned
            definition, else what the store's resolver finds (by default the
            bundled workflow of that id, if it is still the pinned version).
        clock: The clock for new events (default: the system clock).

    Raises:
        RunNotFound: No such run.
        CorruptRunError: The stored run or its stored definition copy is damaged.
        DefinitionMismatch: ``workflow`` is not the one the run is pinned to.
        DefinitionUnavailable: ``workflow`` is ``None`` and the pinned definition is
            neither stored nor found; the message names id, version and hash.
    """
    process = store.load(run_id, workflow, clock=clock)
    return Run(store, run_id, process, len(process.log))
