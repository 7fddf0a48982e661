"""The storage port: one interface for every store, and how workflows are found.

A store keeps *runs*: a run is one process's event log under a run id, plus a
:class:`~sozialraumprozess.storage.summary.RunSummary` for listing. Writers name
the version they based their change on (``expected_version``, the number of
stored events); a store appends only if that is still the stored version and
raises :class:`~sozialraumprozess.errors.ConflictError` otherwise.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Protocol, runtime_checkable

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.runtime.clock import Clock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import ProcessEvent, WorkflowRef
from sozialraumprozess.storage.summary import RunSummary

__all__ = ["RunStore", "WorkflowResolver", "bundled_resolver", "check_summary", "matches"]

#: Finds the workflow definition a stored run is pinned to.
WorkflowResolver = Callable[[WorkflowRef], Workflow]


@functools.lru_cache(maxsize=64)
def bundled_resolver(ref: WorkflowRef) -> Workflow:
    """The bundled workflow with ``ref.id`` (replay then checks version and hash).

    Cached per reference: loading and validating a definition costs milliseconds,
    and a :class:`Workflow` is immutable.

    Raises:
        UnknownNameError: No bundled workflow has this id.
    """
    return load_workflow(ref.id)


def matches(
    summary: RunSummary,
    workflow: str | None,
    phase: str | None,
    overdue_at: datetime | date | None,
) -> bool:
    """True if ``summary`` passes the listing filters (``None`` = no filter)."""
    if workflow is not None and summary.workflow.id != workflow:
        return False
    if phase is not None and summary.phase != phase:
        return False
    return overdue_at is None or summary.overdue(overdue_at)


def check_summary(run_id: str, summary: RunSummary, version: int) -> None:
    """Refuse a summary that does not describe run ``run_id`` at ``version``.

    Raises:
        ValueError: It does not.
    """
    if summary.run_id != run_id or summary.version != version:
        raise ValueError(
            f"summary of run {summary.run_id!r} at version {summary.version} given for "
            f"run {run_id!r} at version {version}"
        )


@runtime_checkable
class RunStore(Protocol):
    """What every store offers. Use :func:`~sozialraumprozess.storage.open_run` and
    :meth:`~sozialraumprozess.storage.Run.save` for the everyday work."""

    @property
    def location(self) -> str:
        """Where the store lives (folder or database path), for messages."""
        ...

    def create(self, run_id: str, events: Sequence[ProcessEvent], summary: RunSummary) -> int:
        """Store a new run with its first events; returns its version.

        Raises:
            InvalidRunId: ``run_id`` is not a valid run id.
            ConflictError: A run with this id exists (``expected`` is 0).
            ValueError: ``events`` do not start at seq 1 without gaps, or
                ``summary`` does not describe them.
        """
        ...

    def append(
        self,
        run_id: str,
        events: Sequence[ProcessEvent],
        *,
        expected_version: int,
        summary: RunSummary,
    ) -> int:
        """Append ``events`` if the run still has ``expected_version`` events.

        Returns the new version once the events are durable.

        Raises:
            ConflictError: The stored version is not ``expected_version``.
            RunNotFound: No such run.
            CorruptRunError: The stored log is damaged.
            ValueError: The events do not continue ``expected_version``.
        """
        ...

    def read_events(self, run_id: str) -> tuple[ProcessEvent, ...]:
        """Every stored event of a run, checked, oldest first.

        Raises:
            RunNotFound: No such run.
            CorruptRunError: The log is damaged (names file/line or row).
        """
        ...

    def load(
        self, run_id: str, workflow: Workflow | None = None, *, clock: Clock | None = None
    ) -> Process:
        """The run's process, replayed from its events.

        Args:
            run_id: The run.
            workflow: The definition; ``None`` resolves it from the pinned id.
            clock: The clock of the loaded process (default: the system clock).

        Raises:
            RunNotFound: No such run.
            CorruptRunError: Damaged log or summary disagreeing with the log.
            DefinitionMismatch: ``workflow`` is not the pinned definition.
            ReplayError: The log is not a valid history of the workflow.
        """
        ...

    def summary(self, run_id: str) -> RunSummary:
        """The stored summary of one run (without replaying it).

        Raises:
            RunNotFound: No such run.
        """
        ...

    def list_runs(
        self,
        *,
        workflow: str | None = None,
        phase: str | None = None,
        overdue_at: datetime | date | None = None,
    ) -> list[RunSummary]:
        """Summaries of the runs passing every given filter, sorted by run id.

        Args:
            workflow: Only runs pinned to this workflow id.
            phase: Only runs currently in this phase.
            overdue_at: Only runs whose phase deadline lies before this moment.
        """
        ...

    def delete(self, run_id: str) -> None:
        """Delete a run and everything stored with it.

        Raises:
            RunNotFound: No such run.
        """
        ...

    def close(self) -> None:
        """Release resources (connections); the store is unusable afterwards."""
        ...
