"""The storage port: one interface for every store, and how workflows are found.

A store keeps *runs*: a run is one process's event log under a run id, plus a
:class:`~sozialraumprozess.storage.summary.RunSummary` for listing. Writers name
the version they based their change on (``expected_version``, the number of
stored events); a store appends only if that is still the stored version and
raises :class:`~sozialraumprozess.errors.ConflictError` otherwise.

A store also keeps a copy of every workflow definition its runs are pinned to
(see :mod:`.definitions`), so a run loads without being handed its definition
even after the bundled workflow or the consultant's file has changed:
:func:`resolve_pinned` tries the stored copy first, then the store's
:data:`WorkflowResolver`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import DefinitionUnavailable, UnknownNameError
from sozialraumprozess.runtime.clock import Clock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import ProcessEvent, WorkflowRef
from sozialraumprozess.storage.codec import check_sequence
from sozialraumprozess.storage.definitions import StoredDefinition, is_content_hash
from sozialraumprozess.storage.feed import Change
from sozialraumprozess.storage.ids import validate_run_id
from sozialraumprozess.storage.people import People
from sozialraumprozess.storage.summary import RunSummary
from sozialraumprozess.storage.verification import Verification

__all__ = [
    "RunStore",
    "WorkflowResolver",
    "bundled_resolver",
    "check_page",
    "check_pinned",
    "check_summary",
    "check_write",
    "matches",
    "pin_of",
    "resolve_pinned",
    "run_pages",
]

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
    # Imported here: reading YAML files is only needed when a run has no stored copy.
    from sozialraumprozess.definition.loader import load_workflow

    return load_workflow(ref.id)


def check_pinned(workflow: Workflow, summary: RunSummary) -> None:
    """Refuse to store ``workflow`` as the definition of a run it is not pinned to.

    Raises:
        ValueError: ``workflow`` is not the definition ``summary`` names.
    """
    given = (workflow.id, workflow.version, workflow.content_hash)
    if given != summary.workflow.as_tuple():
        raise ValueError(
            "workflow {} {} ({}) given for run {!r}, which is pinned to {} {} ({})".format(
                *given, summary.run_id, *summary.workflow.as_tuple()
            )
        )


def pin_of(events: Sequence[ProcessEvent], fallback: WorkflowRef) -> WorkflowRef:
    """The pin in the log (the truth), else ``fallback`` (the stored summary's).

    The pin is the first event's, or the target of the last ``workflow_migrated``.

    A log whose first event carries no readable pin gets the summary's pin here;
    replaying it then reports what is wrong with the log.
    """
    for entry in reversed(events):  # a migrated run is pinned to its last migration's target
        if entry.type == "workflow_migrated":
            target = entry.payload.get("to")
            if isinstance(target, dict):
                wid, version, content_hash = (
                    target.get("id"),
                    target.get("version"),
                    target.get("content_hash"),
                )
                if (
                    isinstance(wid, str)
                    and isinstance(version, str)
                    and isinstance(content_hash, str)
                ):
                    return WorkflowRef(wid, version, content_hash)
            break
    if events and events[0].type == "process_started":
        ref = events[0].payload.get("workflow")
        if isinstance(ref, dict):
            wid, version, content_hash = ref.get("id"), ref.get("version"), ref.get("content_hash")
            if isinstance(wid, str) and isinstance(version, str) and isinstance(content_hash, str):
                return WorkflowRef(wid, version, content_hash)
    return fallback


def resolve_pinned(
    store: RunStore, ref: WorkflowRef, resolver: WorkflowResolver, run_id: str
) -> Workflow:
    """The definition run ``run_id`` is pinned to: the store's copy, else the resolver's.

    Raises:
        CorruptRunError: The stored copy is damaged (names the file or row).
        DefinitionUnavailable: There is no stored copy, and the resolver offers no
            workflow with this id or one with another version or content.
    """
    if is_content_hash(ref.content_hash):  # a damaged pin cannot name a stored file
        stored = store.get_definition(ref.content_hash)
        if stored is not None:
            return stored
    try:
        offered: Workflow | None = resolver(ref)
    except UnknownNameError:
        offered = None
    if offered is None:
        raise DefinitionUnavailable(ref.as_tuple(), None, run_id=run_id, store=store.location)
    given = (offered.id, offered.version, offered.content_hash)
    if given != ref.as_tuple():
        raise DefinitionUnavailable(ref.as_tuple(), given, run_id=run_id, store=store.location)
    return offered


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


def check_page(after: str | None, limit: int | None) -> None:
    """Refuse a page that cannot be listed (see :meth:`RunStore.list_runs`).

    Raises:
        ValueError: ``limit`` is below 1 or not a whole number, or ``after`` is no string.
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValueError(f"limit must be a whole number of at least 1, not {limit!r}")
    if after is not None and not isinstance(after, str):
        raise ValueError(f"after must be a run id, not {after!r}")


def run_pages(
    store: RunStore,
    size: int = 500,
    *,
    workflow: str | None = None,
    phase: str | None = None,
    overdue_at: datetime | date | None = None,
) -> Iterator[list[RunSummary]]:
    """The listing of ``store`` page by page (``size`` summaries each, the last one
    possibly shorter), following the cursor of :meth:`RunStore.list_runs`.

    Raises:
        ValueError: ``size`` is below 1.
    """
    check_page(None, size)
    after = None
    while True:
        page = store.list_runs(
            workflow=workflow, phase=phase, overdue_at=overdue_at, after=after, limit=size
        )
        if page:
            yield page
        if len(page) < size:
            return
        after = page[-1].run_id


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


def check_write(
    run_id: str,
    events: Sequence[ProcessEvent],
    summary: RunSummary,
    *,
    expected_version: int,
    workflow: Workflow | None = None,
) -> None:
    """Refuse a create (``expected_version`` 0) or append before the store is touched.

    Raises:
        InvalidRunId: ``run_id`` is not a valid run id.
        ValueError: ``events`` do not continue ``expected_version`` without gaps,
            ``summary`` does not describe the run after them, or ``workflow`` is not
            the definition ``summary`` is pinned to.
    """
    validate_run_id(run_id)
    check_sequence(events, expected_version)
    check_summary(run_id, summary, expected_version + len(events))
    if workflow is not None:
        check_pinned(workflow, summary)


@runtime_checkable
class RunStore(Protocol):
    """What every store offers. Use :func:`~sozialraumprozess.storage.open_run` and
    :meth:`~sozialraumprozess.storage.Run.save` for the everyday work."""

    @property
    def location(self) -> str:
        """Where the store lives (folder or database path), for messages."""
        ...

    def create(
        self,
        run_id: str,
        events: Sequence[ProcessEvent],
        summary: RunSummary,
        *,
        workflow: Workflow | None = None,
    ) -> int:
        """Store a new run with its first events; returns its version.

        Args:
            run_id: The new run's id.
            events: Its first events (seq 1, 2, …).
            summary: Its summary at these events.
            workflow: The definition it is pinned to: a copy is stored with the run
                (:func:`~sozialraumprozess.storage.create_run` always passes it).

        Raises:
            InvalidRunId: ``run_id`` is not a valid run id.
            ConflictError: A run with this id exists (``expected`` is 0).
            ValueError: ``events`` do not start at seq 1 without gaps,
                ``summary`` does not describe them, or ``workflow`` is not the
                definition ``summary`` is pinned to.
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

    def verify(self, run_id: str) -> Verification:
        """Recompute the run's hash chain (see :mod:`.chain`) from its first event.

        Checks every stored event's hash against its content and its
        predecessor's hash, and the summary's head against the last one.

        Returns:
            The number of events and the head (``None`` for a run stored before
            chains in a store not yet upgraded).

        Raises:
            RunNotFound: No such run.
            CorruptRunError: An event is not what was written (names the first:
                file and line, or run and seq), or the summary's head differs.
        """
        ...

    def load(
        self, run_id: str, workflow: Workflow | None = None, *, clock: Clock | None = None
    ) -> Process:
        """The run's process, replayed from its events (its chain verified).

        Args:
            run_id: The run.
            workflow: The definition; ``None`` uses the store's copy of the pinned
                definition, else the one the store's resolver finds for the pin
                (see :func:`resolve_pinned`).
            clock: The clock of the loaded process (default: the system clock).

        Raises:
            RunNotFound: No such run.
            CorruptRunError: Damaged log, summary disagreeing with the log, or a
                damaged stored copy of the definition.
            DefinitionMismatch: ``workflow`` is not the pinned definition.
            DefinitionUnavailable: ``workflow`` is ``None`` and the pinned
                definition is neither stored nor found by the resolver (the message
                names its id, version and hash).
            ReplayError: The log is not a valid history of the workflow.
        """
        ...

    def put_definition(self, workflow: Workflow) -> str:
        """Keep a copy of ``workflow`` under its content hash (once); returns the hash.

        :meth:`create` does this for every new run; call it to give runs stored
        without a copy (older stores) one, so they load without ``workflow=``.
        An existing copy is left as it is.
        """
        ...

    def get_definition(self, content_hash: str) -> Workflow | None:
        """The stored copy with this content hash, verified; ``None`` if there is none.

        Raises:
            ValueError: ``content_hash`` is not ``sha256:`` and 64 hex digits.
            CorruptRunError: The copy does not match its hash (names file or row).
        """
        ...

    def list_definitions(self) -> list[StoredDefinition]:
        """Every stored copy (verified), sorted by workflow id, version and hash.

        Raises:
            CorruptRunError: A copy does not match its hash (names file or row).
        """
        ...

    def put_attachment(self, content: bytes, name: str) -> dict[str, Any]:
        """Keep a file (format v2 ``file`` fields) once under its sha256; returns the
        reference a ``file`` field holds: ``{"sha256", "name", "size", "type"}``.

        Check it first with
        :func:`~sozialraumprozess.definition.fields.file.check_file` (it answers the
        reference); see :mod:`sozialraumprozess.storage.attachments`.

        Raises:
            AttachmentRefused: Empty, too large, a type not allowed, or content that
                does not match its type; nothing was stored.
        """
        ...

    def get_attachment(self, sha256: str) -> bytes | None:
        """The bytes kept under ``sha256``, verified; ``None`` if there are none.

        Raises:
            ValueError: ``sha256`` is not 64 lower-case hex digits.
            CorruptRunError: The stored bytes no longer have that hash.
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
        after: str | None = None,
        limit: int | None = None,
    ) -> list[RunSummary]:
        """Summaries of the runs passing every given filter, sorted by run id.

        A store may leave out the status facts (``RunSummary.status`` is ``None``):
        listing thousands of runs need not decode what ``sozialraum status`` shows
        of each; :meth:`summary` has them.

        Paged: ``limit`` summaries at most, of the runs whose id sorts after
        ``after``; the next page starts after the last run id of this one (the
        cursor), and a page shorter than ``limit`` is the last. A page costs what its
        rows cost, not what the whole listing costs (see :func:`run_pages`).

        Args:
            workflow: Only runs pinned to this workflow id.
            phase: Only runs currently in this phase.
            overdue_at: Only runs whose phase deadline lies before this moment.
            after: Only runs whose id sorts after this one (``None``: from the first).
            limit: At most this many summaries (``None``: all).

        Raises:
            ValueError: ``limit`` is below 1.
        """
        ...

    def changes(self, after: int = 0, limit: int = 1000) -> list[Change]:
        """The change feed: stored events of every run after position ``after``.

        Positions are 1, 2, … in the order the writes were committed, one per
        event across all runs; a reader never sees a position above one that is
        still to be filled, so a follower continuing after the last position it
        handled never skips an event (see :mod:`.feed`). Events of deleted runs are
        left out; their positions are not used again.

        Args:
            after: The last position already handled (0: from the beginning).
            limit: At most this many changes.

        Raises:
            ValueError: ``after`` is negative or ``limit`` below 1.
            CorruptRunError: A stored event cannot be decoded.
        """
        ...

    def delete(self, run_id: str) -> None:
        """Delete a run and everything stored with it.

        Raises:
            RunNotFound: No such run.
        """
        ...

    def read_people(self, run_id: str) -> People:
        """The run's person directory: names and contact data kept apart from the log.

        Events name participants only by pseudonymous ids; ``create``/``append``
        pass them through :func:`~sozialraumprozess.storage.people.pseudonymize`
        and ``read_events``/``load`` through
        :func:`~sozialraumprozess.storage.people.reidentify` (see :mod:`.people`).
        Empty for runs stored before the directory existed.

        Raises:
            RunNotFound: No such run.
            CorruptRunError: The stored directory is damaged.
        """
        ...

    def update_people(
        self, run_id: str, change: Callable[[People], People], *, erase: bool = False
    ) -> People:
        """Replace the directory with ``change(current)`` atomically; returns the new one.

        With ``erase``, what the change removed must leave no readable copy in the
        store (overwrite the old file; vacuum a database and truncate its log).

        Raises:
            RunNotFound: No such run.
            CorruptRunError: The stored directory is damaged.
        """
        ...

    def close(self) -> None:
        """Release resources (connections); the store is unusable afterwards."""
        ...
