"""The application layer: one object per store that front ends talk to.

A :class:`Service` opens runs (resolving and verifying the definition each is
pinned to, replaying the log once), answers what a front end shows (status with
open items and their owners, history, the report's data, a portfolio of many
runs) and runs commands with retry on conflict::

    service = Service.open("sqlite:///srv/sozialraum/prozesse.db")
    status = service.status("schwerte-ost", lang="en")
    done = service.submit("schwerte-ost", "auftrag", data, by="kommune")
    done.message.text("en")        # 'submitted: Mandate / project profile, version 1'

Every state-changing command goes through :meth:`Service.update`: load the run,
run the command on the process, save; if another writer saved in between
(:class:`~sozialraumprozess.errors.ConflictError`), reload and run the command
again, waiting a little longer each time, up to ``attempts`` times. A command
the process refuses (blocked, not permitted, invalid data) is not retried.

Every command method takes ``idempotency_key``: a string the caller chooses
per command (a request id, a UUID) and passes again when it retries the same
command after a failure it cannot judge (a timeout, a crash, a full disk). The
key is stored with the command's event; a command whose key the run already
holds is not applied again, and the original result and message are returned
(``CommandResult.repeated``). The CLI makes one key per invocation and accepts
``--idempotency-key``.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from attrs import define, frozen

from sozialraumprozess.app.errors import InvalidIdempotencyKey, RunNotChosen, WorkflowFileMissing
from sozialraumprozess.app.identity import ActorMap, Identity, actor_for
from sozialraumprozess.app.stores import open_store, run_files, workflow_note
from sozialraumprozess.app.workflow_files import WorkflowFiles
from sozialraumprozess.definition.fields.file import MAX_ATTACHMENT_BYTES
from sozialraumprozess.errors import ConflictError, DefinitionUnavailable, StoreError
from sozialraumprozess.errors._storage import ConflictRetriesExhausted
from sozialraumprozess.i18n import Lang, Message, check_lang, msg, plural

if TYPE_CHECKING:
    from sozialraumprozess.app.portfolio import Portfolio
    from sozialraumprozess.app.privacy import Erasure
    from sozialraumprozess.app.retention import Purged
    from sozialraumprozess.app.status import Status
    from sozialraumprozess.app.verify import RunCheck
    from sozialraumprozess.definition.model import Label, Workflow
    from sozialraumprozess.documents import DocumentMeta
    from sozialraumprozess.documents.to_pdf import PdfAttachment
    from sozialraumprozess.documents.view import NamePolicy
    from sozialraumprozess.errors import DocumentError
    from sozialraumprozess.runtime.clock import Clock
    from sozialraumprozess.runtime.migration import MigrationReport
    from sozialraumprozess.runtime.process import Process
    from sozialraumprozess.runtime.records import (
        ItemRecord,
        Participant,
        PhaseVisit,
        ProcessEvent,
        WorkflowRef,
    )
    from sozialraumprozess.storage.base import RunStore
    from sozialraumprozess.storage.feed import Change
    from sozialraumprozess.storage.session import Run

__all__ = ["CommandResult", "OpenRun", "Service", "Updated"]

T = TypeVar("T")

#: The folder of public documents beside ``documents/`` (``render --public``).
PUBLIC_DOCUMENTS = "documents-oeffentlich"

#: Attempts of :meth:`Service.update` unless the service says otherwise.
DEFAULT_ATTEMPTS = 10


@define
class OpenRun:
    """A run opened by the service: the stored run, replayed, and where its files go.

    Attributes:
        run: The stored run (its ``process``, ``version``; ``save()``).
        workflow_path: The workflow file the run was started on, or ``None``
            (bundled workflow): templates beside it are used for documents.
        files: The folder for the run's documents and report, or ``None`` if the
            store has no local folder.
        location: Where the store lives (for messages).
    """

    run: Run
    workflow_path: Path | None
    files: Path | None
    location: str

    @property
    def process(self) -> Process:
        """The run's process."""
        return self.run.process

    @property
    def run_id(self) -> str:
        """The run's id."""
        return self.run.run_id

    def documents_dir(self) -> Path:
        """The run's ``documents/`` folder (created if missing).

        Raises:
            ValueError: The store keeps no local files.
        """
        if self.files is None:
            raise ValueError(f"store {self.location} keeps no local files")
        folder = self.files / "documents"
        _refuse_links(self.files, folder)
        folder.mkdir(parents=True, exist_ok=True)
        return folder


@frozen
class Updated(Generic[T]):
    """What :meth:`Service.update` returns.

    Attributes:
        opened: The run after the change was saved.
        value: What the command function returned.
        attempts: How many attempts it took (1: no conflict; 0: repeated).
        repeated: True if the idempotency key was found: the command had been
            applied before (its event is at ``seq``) and was not applied again;
            ``value`` is what it gave then.
        seq: The seq of the command's (last) event, or ``None`` if it stored none.
    """

    opened: OpenRun
    value: T
    attempts: int
    repeated: bool = False
    seq: int | None = None


@frozen
class CommandResult:
    """The outcome of one command run through the service.

    Attributes:
        opened: The run after the change was saved.
        value: What the process command returned (a version, a held event, …).
        message: One line saying what was done (``message.text(lang)``).
        attempts: How many attempts it took (1: no conflict; 0: repeated).
        repeated: True if the command's idempotency key was found in the run: it
            had been applied before and was not applied again; ``value`` and
            ``message`` are those of the original.
        seq: The seq of the command's event (the original one if repeated).
    """

    opened: OpenRun
    value: Any
    message: Message
    attempts: int = 1
    repeated: bool = False
    seq: int | None = None

    def to_dict(self, lang: Lang = "de") -> dict[str, Any]:
        """The JSON answer of a state-changing command: ``run_id``, ``event`` (``seq``,
        ``time``, ``type``, ``actor``, ``payload``), ``phase``, ``cycle``,
        ``can_advance``, ``blockers`` and ``message``."""
        process = self.opened.process
        last = process.log[-1] if self.seq is None else process.log[self.seq - 1]
        return {
            "run_id": self.opened.run_id,
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
            "message": self.message.text(lang),
            "repeated": self.repeated,
        }


_KEY_MAX = 128


def _refuse_links(files: Path, target: Path, *, entries: bool = False) -> None:
    """Refuse to write ``target`` inside a run's files folder if it, a folder on the
    way or (with ``entries``) a file in it is a symbolic link: a store's files never
    lead out of it.

    Raises:
        StoreLinkRefused: There is a link.
    """
    from sozialraumprozess.errors import StoreLinkRefused
    from sozialraumprozess.storage.fsutil import check_no_links

    if files.is_symlink():
        raise StoreLinkRefused(str(files), str(files.parent))
    check_no_links(files, target)
    if entries and target.is_dir():
        for entry in target.iterdir():
            if entry.is_symlink():
                raise StoreLinkRefused(str(entry), str(files))


def check_key(key: str | None) -> None:
    """Refuse an idempotency key that cannot be stored (``None`` is fine: no key).

    Raises:
        InvalidIdempotencyKey: Empty, longer than 128 characters, not printable, or
            with spaces at either end.
    """
    if key is None:
        return
    if (
        not isinstance(key, str)
        or not 0 < len(key) <= _KEY_MAX
        or not key.isprintable()
        or key != key.strip()
    ):
        raise InvalidIdempotencyKey(key)


def _seq_of_key(process: Process, key: str) -> int | None:
    """The seq of the last event stored with ``key``, or ``None``."""
    for event in reversed(process.log):
        if event.key == key:
            return event.seq
    return None


def _original(process: Process, seq: int, fn: Callable[[Process], T], store: RunStore) -> T:
    """What ``fn`` gave when it made event ``seq``: run again on the process just
    before it, at its time (commands are deterministic given state, input and time).
    A command of several events is found by its last: its first is looked up. A run
    migrated since is replayed with the definitions the store keeps."""
    from sozialraumprozess.runtime.clock import FixedClock
    from sozialraumprozess.storage.base import pin_of

    key = process.log[seq - 1].key
    first = seq
    while first > 1 and process.log[first - 2].key == key:
        first -= 1
    event = process.log[first - 1]
    prefix = process.log[: first - 1]

    def definition(ref: WorkflowRef) -> Workflow | None:
        if ref.content_hash == process.workflow.content_hash:
            return process.workflow
        return store.get_definition(ref.content_hash)

    workflow = definition(pin_of(prefix, process.pinned)) or process.workflow
    before = type(process).replay(
        workflow, prefix, clock=FixedClock(event.time), definitions=definition
    )
    return fn(before)


#: How much of a file :meth:`Service.attach` reads (one byte over the stores' cap,
#: so an over-large file is refused as such, without reading all of it).
MAX_READ = MAX_ATTACHMENT_BYTES + 1


def _protocol(process: Process, event: str, protocol: int | str | None) -> int | None:
    """The protocol version :meth:`Service.record_event` records: ``"latest"`` is the
    newest version of the event's protocol artifact (``None`` if it has none)."""
    if protocol == "latest":
        artifact = process.workflow.event(event).protocol
        return len(process.versions(artifact)) if artifact else None
    return None if protocol is None else int(protocol)


def _state(process: Process, item: ItemRecord) -> Any:
    """The title of the item's state (a label), for messages."""
    lifecycle = process.workflow.artifact(item.artifact).items
    state = lifecycle.state(item.state) if lifecycle is not None else None
    return state.title if state is not None else item.state


class _Explained(Protocol):
    def message(self, lang: Lang = "de") -> str: ...


@frozen
class _Worded:
    """A message parameter worded by the object's own ``message(lang)``."""

    source: _Explained

    def get(self, lang: Lang = "de") -> str:
        return self.source.message(lang)


@frozen
class _Command:
    """One command of a :class:`Service`: who runs it in which run, with which key.

    Each way to run it goes through :meth:`Service.update` (load, run on the process,
    save; retried on conflict; a key the run holds gives the original result) and
    returns a :class:`CommandResult`.

    Attributes:
        service: The service.
        run_id: The run.
        actor: The actor ``by`` mapped to (see :meth:`Service._as`).
        key: The idempotency key, or ``None``.
    """

    service: Service
    run_id: str
    actor: str
    key: str | None

    def run(self, step: Callable[[Process, str], tuple[Any, Message]]) -> CommandResult:
        """Run ``step(process, actor)``: it runs the command and gives its value and message."""
        done = self.service.update(
            self.run_id, lambda process: step(process, self.actor), idempotency_key=self.key
        )
        value, message = done.value
        return CommandResult(done.opened, value, message, done.attempts, done.repeated, done.seq)

    def act(
        self, do: Callable[[Process, str], T], tell: Callable[[Process, T], Message]
    ) -> CommandResult:
        """Run the command ``do(process, actor)``; ``tell(process, value)`` words its
        message from the process after it and the value it gave."""

        def step(process: Process, actor: str) -> tuple[T, Message]:
            value = do(process, actor)
            return value, tell(process, value)

        return self.run(step)

    def move(
        self,
        do: Callable[[Process, str], PhaseVisit],
        tell: Callable[[Label, Label, PhaseVisit], Message],
    ) -> CommandResult:
        """Run the command ``do(process, actor)`` that moves the run to another phase;
        ``tell(source, target, visit)`` words its message from the titles of the phase
        left and the phase entered, and the visit."""

        def step(process: Process, actor: str) -> tuple[PhaseVisit, Message]:
            source = process.workflow.phase(process.phase).title
            visit = do(process, actor)
            return visit, tell(source, process.workflow.phase(visit.phase).title, visit)

        return self.run(step)


class Service:
    """The application layer over one store.

    Args:
        store: The store (see :func:`~sozialraumprozess.app.open_store` to open one
            by URL, or :meth:`open`).
        attempts: How often :meth:`update` tries a command that meets conflicts.
        backoff: Seconds to wait after the first conflict; doubles each time, with
            random jitter, up to ``max_backoff``.
        max_backoff: The longest wait between two attempts.
        clock: The clock of loaded processes (default: the system clock).
        actors: How an authenticated :class:`~sozialraumprozess.app.Identity`
            becomes the actor of a command (see :mod:`~sozialraumprozess.app.identity`).
            With it, commands take ``by=Identity(...)`` only and refuse a bare
            role or participant string; without it, ``by`` is a declared claim
            (as the CLI's ``--as``).
    """

    def __init__(
        self,
        store: RunStore,
        *,
        attempts: int = DEFAULT_ATTEMPTS,
        backoff: float = 0.005,
        max_backoff: float = 0.25,
        clock: Clock | None = None,
        actors: ActorMap | None = None,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.store = store
        self.attempts = attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.clock = clock
        self.actors = actors
        self._workflow_files: WorkflowFiles | None = None

    @classmethod
    def open(cls, url: str | os.PathLike[str], *, create: bool = False, **options: Any) -> Service:
        """The service over the store ``url`` names (see :func:`open_store`).

        Raises:
            NotAStore: No store there (and ``create`` is false), or an unknown scheme.
        """
        return cls(open_store(url, create=create), **options)

    @property
    def location(self) -> str:
        """Where the store lives."""
        return self.store.location

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    # ------------------------------------------------------------------ finding runs

    @property
    def workflow_files(self) -> WorkflowFiles:
        """The note of which workflow file each run was started on."""
        if self._workflow_files is None:
            self._workflow_files = WorkflowFiles(workflow_note(self.store))
        return self._workflow_files

    def run_ids(self) -> list[str]:
        """The ids of every run in the store, sorted."""
        return [summary.run_id for summary in self.store.list_runs()]

    def pick_run(self, run_id: str | None) -> str:
        """``run_id`` if the store has it; without one, the store's only run.

        Raises:
            RunNotFound: ``run_id`` is not in the store.
            RunNotChosen: No ``run_id`` and not exactly one run in the store.
        """
        if run_id is not None:
            self.store.summary(run_id)  # RunNotFound
            return run_id
        ids = self.run_ids()
        if len(ids) != 1:
            raise RunNotChosen(self.location, ids)
        return ids[0]

    def load(self, run_id: str) -> OpenRun:
        """Open run ``run_id``: resolve and verify its definition, replay its log once.

        The definition is the store's copy of the one the run is pinned to; runs
        stored without a copy fall back to the noted workflow file, then to the
        bundled workflow of that id (each checked against the pin).

        Raises:
            RunNotFound: See :func:`~sozialraumprozess.storage.open_run` (so do the next five).
            CorruptRunError: The stored log is damaged.
            DefinitionMismatch: The definition found does not match the run's pin.
            DefinitionUnavailable: No definition matching the pin is found.
            ReplayError: The log does not replay.
            WorkflowError: The definition does not load.
            WorkflowFileMissing: The noted workflow file is needed and gone.
        """
        from sozialraumprozess.storage.session import open_run

        path = self.workflow_files.get(run_id)
        try:
            run = open_run(self.store, run_id, clock=self.clock)
        except DefinitionUnavailable:
            if path is None:
                raise
            if not path.is_file():
                raise WorkflowFileMissing(run_id, str(path)) from None
            from sozialraumprozess.definition.loader import load_workflow

            run = open_run(self.store, run_id, load_workflow(str(path)), clock=self.clock)
        return OpenRun(run, path, run_files(self.store, run_id), self.location)

    def open_run(self, run_id: str | None = None) -> OpenRun:
        """:meth:`load` the run :meth:`pick_run` chooses."""
        return self.load(self.pick_run(run_id))

    def _opened(self, run: str | OpenRun) -> OpenRun:
        """``run`` if it is open already, else :meth:`load` it."""
        return run if isinstance(run, OpenRun) else self.load(run)

    # ------------------------------------------------------------------ commands

    def update(
        self,
        run_id: str,
        fn: Callable[[Process], T],
        *,
        attempts: int | None = None,
        idempotency_key: str | None = None,
    ) -> Updated[T]:
        """Run ``fn`` on the run's process and save, retrying on conflict.

        ``fn`` runs a command on the process (and may return anything). If another
        writer saved since the run was loaded, the run is reloaded and ``fn`` runs
        again on the fresh process, after a short random wait that doubles each
        time (up to ``max_backoff``), at most ``attempts`` times in all.

        With ``idempotency_key``, the new events are stored with the key, and if
        the loaded run already holds an event with this key, nothing is applied:
        ``fn`` runs once more on the process as it was just before that event
        (at that event's time) to give the original value, and the result says
        ``repeated``.

        Raises:
            InvalidIdempotencyKey: The key is empty, longer than 128 characters or
                not printable.
            ConflictRetriesExhausted: Every attempt met a conflict; nothing stored.
            SozialraumprozessError: Whatever ``fn`` raises (blocked, not permitted,
                invalid data …): not retried, nothing stored.
        """
        check_key(idempotency_key)
        limit = self.attempts if attempts is None else attempts
        opened = self.load(run_id)
        delay = self.backoff
        for attempt in range(1, limit + 1):
            if idempotency_key is not None:
                seq = _seq_of_key(opened.process, idempotency_key)
                if seq is not None:
                    original = _original(opened.process, seq, fn, self.store)
                    return Updated(opened, original, 0, True, seq)
            value = fn(opened.process)
            try:
                opened.run.save(key=idempotency_key)
            except ConflictError as conflict:
                if attempt == limit:
                    raise ConflictRetriesExhausted(
                        run_id, conflict.expected, conflict.actual, limit
                    ) from conflict
                time.sleep(random.uniform(0, delay))  # noqa: S311 - jitter, not crypto
                delay = min(delay * 2, self.max_backoff)
                opened = OpenRun(
                    opened.run.reload(), opened.workflow_path, opened.files, opened.location
                )
                continue
            return Updated(opened, value, attempt, False, opened.run.version)
        raise AssertionError("unreachable")  # pragma: no cover

    def _as(self, run_id: str, by: str | Identity, idempotency_key: str | None) -> _Command:
        """A command of ``by`` in run ``run_id``, with its idempotency key.

        ``by`` is mapped to the actor here, before anything is loaded (see
        :func:`~.identity.actor_for`); the command then runs with
        :meth:`_Command.act`, :meth:`_Command.move` or :meth:`_Command.run`.

        Raises:
            CommandRejected: ``by`` does not map to an actor.
        """
        return _Command(self, run_id, actor_for(self.actors, run_id, by), idempotency_key)

    def start(
        self,
        run_id: str,
        workflow: Workflow,
        *,
        sozialraum: str,
        description: str = "",
        by: str | Identity | None = None,
        workflow_path: Path | None = None,
        idempotency_key: str | None = None,
    ) -> OpenRun:
        """Start a process for a Sozialraum and store it as a new run ``run_id``.

        Args:
            run_id: The new run's id.
            workflow: Its definition (a copy is stored with the run).
            sozialraum: The Sozialraum's name.
            description: What characterises it.
            by: Who starts it (default: the first phase's responsible role).
            workflow_path: The workflow file ``workflow`` was loaded from, to find
                its templates again (noted if the store keeps local files).
            idempotency_key: The command's key: if run ``run_id`` exists and was
                started with this key, it is returned instead of a conflict.

        Raises:
            InvalidRunId: ``run_id`` is not valid.
            InvalidIdempotencyKey: The key cannot be stored.
            ConflictError: The run exists already (started by another command).
            PermissionDenied, UnknownNameError: ``by`` may not start it.
        """
        from sozialraumprozess.runtime.process import Process
        from sozialraumprozess.storage.ids import validate_run_id
        from sozialraumprozess.storage.session import create_run

        validate_run_id(run_id)
        check_key(idempotency_key)
        claimed = None if by is None else actor_for(self.actors, run_id, by)
        starter = (
            claimed.strip() if claimed and claimed.strip() else workflow.first_phase.responsible
        )
        process = Process.start(
            workflow, sozialraum=sozialraum, description=description, by=starter, clock=self.clock
        )
        try:
            run = create_run(self.store, run_id, process, key=idempotency_key)
        except ConflictError:
            if idempotency_key is None:
                raise
            opened = self.load(run_id)
            if _seq_of_key(opened.process, idempotency_key) != 1:
                raise
            return opened
        if workflow_path is not None and self.workflow_files.path is not None:
            self.workflow_files.remember(run_id, workflow_path)
        return OpenRun(run, workflow_path, run_files(self.store, run_id), self.location)

    def submit(
        self,
        run_id: str,
        artifact: str,
        data: Mapping[str, Any],
        *,
        by: str | Identity,
        note: str | None = None,
        idempotency_key: str | None = None,
        date: str | date | None = None,
    ) -> CommandResult:
        """Submit a new version of ``artifact`` (see :meth:`Process.submit`).

        ``date``, here and in every command, is the effective date (when it
        happened in the world; default: today).
        """
        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.submit(artifact, data, by=actor, note=note, date=date),
            lambda p, version: msg(
                "app.submitted", title=p.workflow.artifact(artifact).title, version=version.version
            ),
        )

    def approve(
        self,
        run_id: str,
        artifact: str,
        *,
        by: str | Identity,
        idempotency_key: str | None = None,
        date: str | date | None = None,
    ) -> CommandResult:
        """Approve the newest version of ``artifact`` (see :meth:`Process.approve`)."""
        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.approve(artifact, by=actor, date=date),
            lambda p, version: msg(
                "app.approved", title=p.workflow.artifact(artifact).title, version=version.version
            ),
        )

    def confirm(
        self,
        run_id: str,
        artifact: str,
        *,
        by: str | Identity,
        idempotency_key: str | None = None,
        date: str | date | None = None,
    ) -> CommandResult:
        """Confirm the newest version of ``artifact`` again (see :meth:`Process.confirm`)."""
        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.confirm(artifact, by=actor, date=date),
            lambda p, version: msg(
                "app.confirmed", title=p.workflow.artifact(artifact).title, version=version.version
            ),
        )

    def record_event(
        self,
        run_id: str,
        event: str,
        *,
        date: str | date,
        by: str | Identity,
        participants: int | None = None,
        notes: str | None = None,
        protocol: int | str | None = None,
        idempotency_key: str | None = None,
        until: str | date | None = None,
    ) -> CommandResult:
        """Record that an event was held (see :meth:`Process.record_event`).

        ``protocol="latest"`` names the newest version of the event's protocol artifact.
        """
        command = self._as(run_id, by, idempotency_key)
        day = date if isinstance(date, str) else date.isoformat()
        return command.act(
            lambda p, actor: p.record_event(
                event,
                date=day,
                participants=participants,
                notes=notes,
                protocol=_protocol(p, event, protocol),
                by=actor,
                until=until,
            ),
            lambda p, held: msg(
                "app.event-recorded", title=p.workflow.event(event).title, date=held.date
            ),
        )

    def record_indicators(
        self,
        run_id: str,
        stichtag: str | date,
        values: Mapping[str, Any],
        *,
        by: str | Identity,
        source: str | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Record indicator values for a reference date (see :meth:`Process.record_indicators`)."""
        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.record_indicators(stichtag, values, by=actor, source=source),
            lambda p, record: plural(
                "indicators.recorded", len(record.values), stichtag=record.stichtag
            ),
        )

    def record_sozialraum(
        self,
        run_id: str,
        *,
        by: str | Identity,
        name: str | None = None,
        description: str | None = None,
        id: str | None = None,
        planning_areas: Sequence[str] | None = None,
        key_data: Mapping[str, Any] | None = None,
        boundary: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Record the Sozialraum record (see :meth:`Process.record_sozialraum`)."""
        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.record_sozialraum(
                by=actor,
                name=name,
                description=description,
                id=id,
                planning_areas=planning_areas,
                key_data=key_data,
                boundary=boundary,
            ),
            lambda p, room: msg("sozialraum.recorded", name=room.name, id=room.data["id"]),
        )

    def take_over_sozialraum(
        self,
        run_id: str,
        source_run: str,
        *,
        by: str | Identity,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Take the Sozialraum record over from an earlier run (the Sozialraum outlives a
        process): the same stable id, name, planning areas, key data and boundary,
        recorded in ``run_id`` with ``taken_from=source_run``.

        Raises:
            RunNotFound: ``source_run`` does not exist.
        """
        from sozialraumprozess.runtime.sozialraum import sozialraum_id

        earlier = self.open_run(source_run).process.state.sozialraum
        assert earlier is not None  # noqa: S101 - a stored run has started
        data = earlier.data
        key_data = data.get("key_data")
        if not isinstance(key_data, Mapping):
            key_data = {
                k: v
                for k, v in data.items()
                if k not in ("id", "planning_areas", "boundary")
                and isinstance(v, (str, int, float))
                and not isinstance(v, bool)
            }
        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.record_sozialraum(
                by=actor,
                name=earlier.name,
                description=earlier.description,
                id=data.get("id") or sozialraum_id(earlier.name),
                planning_areas=data.get("planning_areas"),
                key_data=key_data,
                boundary=data.get("boundary"),
                taken_from=source_run,
            ),
            lambda p, room: msg("sozialraum.taken-over", name=room.name, run=source_run),
        )

    def decide(
        self,
        run_id: str,
        decision: str,
        *,
        date: str | date,
        by: str | Identity,
        yes: int | None = None,
        no: int | None = None,
        abstain: int | None = None,
        consensus: bool | None = None,
        present: int | None = None,
        text: str | None = None,
        idempotency_key: str | None = None,
        amount: float | None = None,
    ) -> CommandResult:
        """Record a decision (see :meth:`Process.record_decision`)."""
        command = self._as(run_id, by, idempotency_key)
        day = date if isinstance(date, str) else date.isoformat()
        return command.act(
            lambda p, actor: p.record_decision(
                decision,
                date=day,
                yes=yes,
                no=no,
                abstain=abstain,
                consensus=consensus,
                present=present,
                text=text,
                by=actor,
                amount=amount,
            ),
            lambda p, record: msg(
                "app.decision-recorded",
                title=p.workflow.decision(decision).title,
                result=_Worded(record.result),
            ),
        )

    def advance(
        self,
        run_id: str,
        *,
        by: str | Identity,
        idempotency_key: str | None = None,
        date: str | date | None = None,
    ) -> CommandResult:
        """Move to the next phase (see :meth:`Process.advance`)."""
        return self._as(run_id, by, idempotency_key).move(
            lambda p, actor: p.advance(by=actor, date=date),
            lambda source, target, visit: msg(
                "app.advanced", source=source, target=target, cycle=visit.cycle
            ),
        )

    def skip(
        self,
        run_id: str,
        *,
        by: str | Identity,
        reason: str,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Skip the current optional phase with a reason (see :meth:`Process.skip`)."""
        return self._as(run_id, by, idempotency_key).move(
            lambda p, actor: p.skip(by=actor, reason=reason),
            lambda source, target, visit: msg(
                "phases.skipped", source=source, target=target, reason=reason
            ),
        )

    def transition(
        self,
        run_id: str,
        transition: str,
        *,
        by: str | Identity,
        reason: str | None = None,
        idempotency_key: str | None = None,
        date: str | date | None = None,
    ) -> CommandResult:
        """Take a named transition (see :meth:`Process.take_transition`)."""
        return self._as(run_id, by, idempotency_key).move(
            lambda p, actor: p.take_transition(transition, by=actor, reason=reason, date=date),
            lambda source, target, visit: msg(
                "app.transition-taken",
                transition=transition,
                source=source,
                target=target,
                cycle=visit.cycle,
            ),
        )

    def migration_report(
        self, run_id: str, workflow: Workflow, *, mapping: Mapping[str, str] | None = None
    ) -> MigrationReport:
        """What moving run ``run_id`` to ``workflow`` would mean (nothing is stored).

        See :meth:`Process.check_migration
        <sozialraumprozess.runtime.process.Process.check_migration>`.
        """
        return self.load(run_id).process.check_migration(workflow, mapping)

    def migrate(
        self,
        run_id: str,
        workflow: Workflow,
        *,
        mapping: Mapping[str, str] | None = None,
        reason: str,
        by: str | Identity,
        workflow_path: Path | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Move run ``run_id`` to the revised definition ``workflow`` (one recorded event).

        The store keeps a copy of the new definition; later replays fold the
        events before the migration with the old one and the rest with the new.

        Args:
            run_id: The run.
            workflow: The revised definition (same workflow id).
            mapping: Old phase id → new phase id for phases renamed or replaced.
            reason: Why (recorded, shown in the history and the report).
            by: Who moves it: the current phase's responsible role.
            workflow_path: The file ``workflow`` was loaded from (noted for
                templates, like :meth:`start`).
            idempotency_key: See :meth:`update`.

        Raises:
            MigrationBlocked: The compatibility report blocks; nothing is stored.
            PermissionDenied, CommandRejected: see :meth:`Process.migrate
                <sozialraumprozess.runtime.process.Process.migrate>`.
        """

        def step(process: Process, actor: str) -> tuple[MigrationReport, Message]:
            old = process.workflow.version
            report = process.migrate(workflow, mapping=mapping, reason=reason, by=actor)
            return report, msg(
                "app.migrated",
                old=old,
                new=workflow.version,
                attention=report.count("attention"),
            )

        done = self._as(run_id, by, idempotency_key).run(step)
        if workflow_path is not None and self.workflow_files.path is not None:
            self.workflow_files.remember(run_id, workflow_path)
        return done

    def plan_event(
        self,
        run_id: str,
        event: str,
        *,
        on: str | date,
        by: str | Identity,
        time: str | None = None,
        until: str | date | None = None,
        place: str | None = None,
        agenda: Sequence[str] = (),
        invited: Sequence[str] = (),
        note: str | None = None,
        date: str | date | None = None,
        idempotency_key: str | None = None,
        end: str | None = None,
        reply_by: str | date | None = None,
    ) -> CommandResult:
        """Plan an event ahead (see :meth:`Process.plan_event`)."""
        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.plan_event(
                event,
                on=on,
                time=time,
                until=until,
                place=place,
                agenda=agenda,
                invited=invited,
                note=note,
                by=actor,
                date=date,
                end=end,
                reply_by=reply_by,
            ),
            lambda p, plan: msg(
                "time.app-planned", title=p.workflow.event(event).title, day=plan.date
            ),
        )

    def reschedule_event(
        self,
        run_id: str,
        event: str,
        *,
        on: str | date,
        by: str | Identity,
        time: str | None = None,
        until: str | date | None = None,
        place: str | None = None,
        reason: str | None = None,
        date: str | date | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Move the open plan of an event (see :meth:`Process.reschedule_event`)."""
        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.reschedule_event(
                event,
                on=on,
                time=time,
                until=until,
                place=place,
                reason=reason,
                by=actor,
                date=date,
            ),
            lambda p, plan: msg(
                "time.app-rescheduled", title=p.workflow.event(event).title, day=plan.date
            ),
        )

    def cancel_event(
        self,
        run_id: str,
        event: str,
        *,
        by: str | Identity,
        reason: str | None = None,
        date: str | date | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Cancel the open plan of an event (see :meth:`Process.cancel_event`)."""
        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.cancel_event(event, reason=reason, by=actor, date=date),
            lambda p, plan: msg(
                "time.app-cancelled", title=p.workflow.event(event).title, day=plan.date
            ),
        )

    def set_participant(
        self,
        run_id: str,
        name: str,
        roles: Sequence[str],
        *,
        by: str | Identity,
        kind: str = "organisation",
        contact: str | None = None,
        active: bool = True,
        date: str | date | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Add or change a participant (see :meth:`Process.set_participant`)."""

        def do(process: Process, actor: str) -> Participant:
            process.set_participant(
                name,
                list(roles),
                kind=kind,
                contact=contact,
                active=active,
                by=actor,
                date=date,
            )
            return next(p for p in process.participants if p.name == name)

        return self._as(run_id, by, idempotency_key).act(
            do,
            lambda p, found: msg("app.participant-set", name=name, roles=", ".join(roles)),
        )

    # ------------------------------------------------------------------ personal data

    def export_person(self, name: str) -> dict[str, Any]:
        """Everything the store holds about participant ``name`` (DSGVO Art. 15;
        see :func:`~sozialraumprozess.app.privacy.export_person`)."""
        from sozialraumprozess.app.privacy import export_person

        return export_person(self, name)

    def erase_person(self, run_id: str, name: str) -> Erasure:
        """Erase a participant's personal data from a run (DSGVO Art. 17; see
        :func:`~sozialraumprozess.app.privacy.erase_person`)."""
        from sozialraumprozess.app.privacy import erase_person

        return erase_person(self, run_id, name)

    def record_consent(self, run_id: str, name: str, purpose: str, day: str | date) -> None:
        """Record a participant's consent (see
        :func:`~sozialraumprozess.app.privacy.record_consent`)."""
        from sozialraumprozess.app.privacy import record_consent

        record_consent(self, run_id, name, purpose, day)

    def purge(self, *, today: date | None = None, apply: bool = False) -> list[Purged]:
        """Apply the workflows' retention periods (see
        :func:`~sozialraumprozess.app.retention.purge`); without ``apply`` only list."""
        from sozialraumprozess.app.retention import purge

        return purge(self, today=today, apply=apply)

    # ------------------------------------------------------------------ reading

    # ------------------------------------------------------------------ attachments (v2)

    def put_attachment(self, content: bytes, name: str) -> dict[str, Any]:
        """Keep a file in the store (once, by its sha256) for a ``file`` field.

        Returns the reference to put into the field's data:
        ``{"sha256", "name", "size", "type"}``.

        Raises:
            AttachmentRefused: Empty, too large, a type not allowed, or content not
                matching its type; nothing was stored.
        """
        return self.store.put_attachment(content, name)

    def get_attachment(self, sha256: str) -> bytes | None:
        """The verified bytes of an attachment, or ``None``."""
        return self.store.get_attachment(sha256)

    def attach(
        self, data: Mapping[str, Any], files: Mapping[str, str | os.PathLike[str]]
    ) -> dict[str, Any]:
        """``data`` with each ``field: path`` of ``files`` put into the store and replaced
        by its reference (top-level fields of the data).

        Raises:
            AttachmentRefused: A file is refused (nothing of it is stored).
            OSError: A file cannot be read.
        """
        out = dict(data)
        for field, path in files.items():
            with open(path, "rb") as handle:
                content = handle.read(MAX_READ)
            out[field] = self.put_attachment(content, os.path.basename(os.fspath(path)))
        return out

    # ------------------------------------------------------------------ items (v2)

    def create_item(
        self,
        run_id: str,
        artifact: str,
        key: str,
        data: Mapping[str, Any] | None = None,
        *,
        by: str | Identity,
        note: str | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Create an item of an item artifact (see :meth:`Process.create_item`)."""
        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.create_item(artifact, key=key, data=data, by=actor, note=note),
            lambda p, item: msg(
                "app.item-created",
                title=p.workflow.artifact(artifact).title,
                key=key,
                state=_state(p, item),
            ),
        )

    def change_item(
        self,
        run_id: str,
        artifact: str,
        key: str,
        data: Mapping[str, Any],
        *,
        by: str | Identity,
        note: str | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Change an item's data (see :meth:`Process.change_item`)."""
        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.change_item(artifact, key=key, data=data, by=actor, note=note),
            lambda p, item: msg(
                "app.item-changed",
                title=p.workflow.artifact(artifact).title,
                key=key,
                version=item.version,
            ),
        )

    def move_item(
        self,
        run_id: str,
        artifact: str,
        key: str,
        to: str,
        *,
        by: str | Identity,
        note: str | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Move an item to another state (see :meth:`Process.move_item`)."""
        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.move_item(artifact, key=key, to=to, by=actor, note=note),
            lambda p, item: msg(
                "app.item-moved",
                title=p.workflow.artifact(artifact).title,
                key=key,
                state=_state(p, item),
            ),
        )

    def evaluate_measure(
        self,
        run_id: str,
        key: str,
        *,
        decision: str,
        reasons: str,
        indicators: Sequence[Mapping[str, Any]] = (),
        date: str | None = None,
        artifact: str | None = None,
        by: str | Identity,
        note: str | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Record a measure's evaluation and move it to its last state, in one step
        (see :meth:`Process.evaluate_measure`)."""
        from sozialraumprozess.runtime._measures import only_measure_artifact

        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.evaluate_measure(
                artifact or only_measure_artifact(p),
                key=key,
                decision=decision,
                reasons=reasons,
                indicators=indicators,
                date=date,
                by=actor,
                note=note,
            ),
            lambda p, item: msg(
                "chain.evaluated", key=key, decision=decision, state=_state(p, item)
            ),
        )

    # ------------------------------------------------------------------ participation (v2)

    def record_reach(
        self,
        run_id: str,
        event: str,
        counts: Mapping[str, int],
        *,
        held_on: str | date | None = None,
        by: str | Identity,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Record the target groups a holding reached (see :meth:`Process.record_reach`)."""
        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.record_reach(event, counts=counts, held_on=held_on, by=actor),
            lambda p, reach: msg(
                "participation.app-reach", title=p.workflow.event(event).title, total=reach.total
            ),
        )

    def record_contribution(
        self,
        run_id: str,
        event: str,
        contribution: str,
        text: str,
        *,
        group: str | None = None,
        held_on: str | date | None = None,
        note: str | None = None,
        by: str | Identity,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Record a contribution made at a holding (see :meth:`Process.record_contribution`)."""
        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.record_contribution(
                event,
                contribution=contribution,
                text=text,
                group=group,
                held_on=held_on,
                note=note,
                by=actor,
            ),
            lambda p, found: msg(
                "participation.app-contribution",
                id=contribution,
                title=p.workflow.event(event).title,
            ),
        )

    def weigh_contribution(
        self,
        run_id: str,
        contribution: str,
        outcome: str,
        *,
        reason: str | None = None,
        links: Mapping[str, Sequence[str]] | None = None,
        by: str | Identity,
        date: str | date | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Record what became of a contribution (see :meth:`Process.weigh_contribution`)."""
        from sozialraumprozess.steering.participation import outcome_message

        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.weigh_contribution(
                contribution, outcome=outcome, reason=reason, links=links, by=actor, date=date
            ),
            lambda p, found: msg(
                "participation.app-weighed", id=contribution, outcome=outcome_message(outcome)
            ),
        )

    def chain(self, run_id: str | OpenRun, *, lang: Lang = "de") -> dict[str, Any]:
        """The run's *Wirkungskette* as JSON-compatible data (see
        :meth:`~sozialraumprozess.steering.chain.Wirkungskette.to_dict`), with
        ``svg``: the chain as a static SVG diagram."""
        from sozialraumprozess.steering.chain import chain_svg, wirkungskette

        opened = self._opened(run_id)
        process = opened.process
        found = wirkungskette(process.workflow, process.state)
        return {**found.to_dict(lang), "svg": chain_svg(found, lang)}

    def record_feedback(
        self,
        run_id: str,
        event: str,
        how: str,
        *,
        contributions: Sequence[str] | None = None,
        held_on: str | date | None = None,
        note: str | None = None,
        by: str | Identity,
        date: str | date | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Record that participants were told (see :meth:`Process.record_feedback`)."""
        return self._as(run_id, by, idempotency_key).act(
            lambda p, actor: p.record_feedback(
                event,
                how=how,
                contributions=contributions,
                held_on=held_on,
                note=note,
                by=actor,
                date=date,
            ),
            lambda p, found: plural(
                "participation.app-feedback",
                len(found.contributions),
                title=p.workflow.event(event).title,
            ),
        )

    def participation(self, run_id: str | OpenRun, *, lang: Lang = "de") -> dict[str, Any]:
        """Participation per held event (see
        :func:`~sozialraumprozess.steering.participation.participation_report`)."""
        from sozialraumprozess.steering.participation import participation_report

        opened = self._opened(run_id)
        return participation_report(opened.process, check_lang(lang))

    def status(self, run_id: str | OpenRun, *, lang: Lang = "de") -> Status:
        """Where the run stands (see :func:`~sozialraumprozess.app.status.status_of`)."""
        from sozialraumprozess.app.status import status_of

        opened = self._opened(run_id)
        return status_of(opened.process, opened.run_id, self.location, lang)

    def participants(self, run_id: str | OpenRun) -> list[dict[str, Any]]:
        """The run's participants: ``name``, ``roles``, ``kind``, ``contact``, ``active``."""
        opened = self._opened(run_id)
        return [
            {
                "name": p.name,
                "roles": list(p.roles),
                "kind": p.kind,
                "contact": p.contact,
                "active": p.active,
            }
            for p in opened.process.participants
        ]

    def history(self, run_id: str | OpenRun, *, lang: Lang = "de") -> list[dict[str, Any]]:
        """The run's log, one row per event (see :func:`.history.history_rows`)."""
        from sozialraumprozess.app.history import history_rows

        opened = self._opened(run_id)
        return history_rows(opened.process, lang)

    def report_data(self, run_id: str | OpenRun, *, lang: Lang = "de") -> dict[str, Any]:
        """The process report's data (see :func:`~sozialraumprozess.app.report.report_data`)."""
        from sozialraumprozess.app.report import report_data

        opened = self._opened(run_id)
        return report_data(opened.process, lang)

    def render_documents(
        self,
        run_id: str | OpenRun,
        *,
        formats: Sequence[str] = ("md", "html"),
        lang: Lang = "de",
        folder: Path | None = None,
        public: bool = False,
    ) -> tuple[Path, list[DocumentMeta], list[tuple[str, DocumentError]]]:
        """Write every document the run's state allows.

        Returns the folder, the documents written and ``(path, error)`` for each
        document whose template failed (the others are written).

        Args:
            folder: Where to write (default: the run's ``documents/`` folder;
                public documents: ``documents-oeffentlich/`` beside it).
            public: Render for the public (*öffentlich*): persons appear by name
                only with a recorded consent for ``publication``.
        """
        from sozialraumprozess.app.report import write_documents

        opened = self._opened(run_id)
        if folder is None and public:  # never mixed with (or overwriting) the internal ones
            folder = opened.documents_dir().parent / PUBLIC_DOCUMENTS
        target = folder if folder is not None else opened.documents_dir()
        if folder is None and opened.files is not None:
            _refuse_links(opened.files, target, entries=True)
        metas, failures = write_documents(
            opened.process,
            target,
            formats=formats,
            lang=lang,
            workflow_path=opened.workflow_path,
            policy=self.name_policy(opened.run_id, public=public),
            attachments=self.history_attachments(opened) if "pdf" in formats else (),
        )
        return target, metas, failures

    def history_attachments(self, run_id: str | OpenRun) -> tuple[PdfAttachment, ...]:
        """The run's event log and hash-chain head as files for a PDF/A archive copy
        (see :func:`~sozialraumprozess.app.report.history_attachments`); the head the
        store recorded is checked by ``verify`` and embedded beside the recomputed one."""
        from sozialraumprozess.app.report import history_attachments
        from sozialraumprozess.runtime.serialize import event_to_dict
        from sozialraumprozess.storage.chain import GENESIS, canonical, link
        from sozialraumprozess.storage.people import pseudonymize

        opened = self._opened(run_id)
        checks = self.verify(opened.run_id)
        found = checks[0].result if checks and checks[0].ok else None
        head = found.head if found is not None and found.chained else None
        # The store keeps participants as person ids from ``people.since`` on (and, in
        # runs stored before that, names): the log as stored is the one the head proves.
        events = self.store.read_events(opened.run_id)
        people = self.store.read_people(opened.run_id)
        pseudonyms, _ = pseudonymize(events, people)
        since = people.since
        candidates = [
            [
                e if since is not None and e.seq < since else p
                for e, p in zip(events, pseudonyms, strict=True)
            ],
            list(pseudonyms),
            list(events),
        ]

        def chain_head(log: Sequence[ProcessEvent]) -> str:
            value = GENESIS
            for event in log:
                value = link(value, canonical(event_to_dict(event)))
            return value

        stored = next((c for c in candidates if chain_head(c) == head), candidates[0])
        return history_attachments(stored, run_id=opened.run_id, store_head=head)

    def store_documents(
        self,
        run_id: str | OpenRun,
        *,
        formats: Sequence[str] = ("md", "html"),
        lang: Lang = "de",
    ) -> tuple[list[DocumentMeta], list[tuple[str, DocumentError]]]:
        """Render every document the run's state allows into the store itself.

        For stores that keep documents (a PostgreSQL store: every application
        server sees them); each document is kept under its relative path
        (``DocumentMeta.path``), replacing an earlier one of that name.

        Raises:
            ValueError: The store keeps no documents (use :meth:`render_documents`).
        """
        import tempfile

        from sozialraumprozess.app.report import MEDIA_TYPES, write_documents

        put = getattr(self.store, "put_document", None)
        if put is None:
            raise ValueError(f"store {self.location} keeps no documents: use render_documents")
        opened = self._opened(run_id)
        with tempfile.TemporaryDirectory(prefix="sozialraum-documents-") as folder:
            metas, failures = write_documents(
                opened.process,
                Path(folder),
                formats=formats,
                lang=lang,
                workflow_path=opened.workflow_path,
                attachments=self.history_attachments(opened) if "pdf" in formats else (),
            )
            for meta in metas:
                content = (Path(folder) / meta.path).read_bytes()
                put(opened.run_id, meta.path, content, MEDIA_TYPES[meta.format])
        return metas, failures

    def documents(self, run_id: str) -> list[str]:
        """The names of the documents the store keeps for the run (``[]`` if it keeps none)."""
        listing = getattr(self.store, "list_documents", None)
        return [] if listing is None else list(listing(run_id))

    def document(self, run_id: str, name: str) -> tuple[bytes, str] | None:
        """A document the store keeps: content and media type; ``None`` if there is none."""
        get = getattr(self.store, "get_document", None)
        return None if get is None else get(run_id, name)

    def render_report(
        self,
        run_id: str | OpenRun,
        *,
        lang: Lang = "de",
        output: Path | None = None,
        public: bool = False,
        fmt: str = "html",
    ) -> Path:
        """Write the process report; returns the path written.

        Args:
            output: The file (default: ``bericht.html`` in the run's files folder,
                ``bericht.en.html`` in English; the public report:
                ``bericht-oeffentlich.html``, ``bericht-oeffentlich.en.html``; other
                formats: the same name with their suffix, ``bericht.pdf``).
            public: The public report (*öffentlich*): no personal names without
                consent for ``publication``.
            fmt: ``md``, ``html`` (one self-contained page), ``docx``, ``odt`` or ``pdf``
                (PDF/A-3b with the run's event log and hash-chain head embedded).
        """
        from sozialraumprozess.app.report import render_report, report_name

        opened = self._opened(run_id)
        if output is None:
            if opened.files is None:
                raise ValueError(f"store {self.location} keeps no local files: give output=")
            output = opened.files / report_name(lang, public=public)
            if fmt != "html":
                output = output.with_suffix(f".{fmt}")
            _refuse_links(opened.files, output)
        documents = opened.files / "documents" if opened.files is not None else None
        return render_report(
            opened.process,
            output,
            lang=lang,
            documents_dir=documents,
            workflow_path=opened.workflow_path,
            policy=self.name_policy(opened.run_id, public=public),
            fmt=fmt,
            attachments=self.history_attachments(opened) if fmt == "pdf" else (),
        )

    def verify(self, run_id: str | None = None, *, every: bool = False) -> list[RunCheck]:
        """Recompute the hash chains (see :func:`.verify.verify_runs`): of run
        ``run_id`` (or the store's only run), or with ``every`` of every run and the
        store file itself. Damage is reported in the checks, not raised.

        Raises:
            RunNotFound, RunNotChosen: No such run, or none chosen (without ``every``).
        """
        from sozialraumprozess.app.verify import RunCheck, verify_runs

        if not every:
            return verify_runs(self.store, [run_id or self.pick_run(None)], whole_store=False)
        try:
            ids = self.run_ids()
        except StoreError as error:  # a damaged summary row: no list of runs to go by
            return [*verify_runs(self.store, [], whole_store=True), RunCheck(None, None, error)]
        return verify_runs(self.store, ids, whole_store=True)

    def report_text(self, run_id: str | OpenRun, *, lang: Lang = "de") -> str:
        """The process report as HTML text, written nowhere (works on a read-only store);
        its links to documents are relative to where :meth:`render_report` would write."""
        from sozialraumprozess.app.report import report_html, report_name

        opened = self._opened(run_id)
        base = opened.files if opened.files is not None else Path.cwd()
        return report_html(
            opened.process,
            base / report_name(lang),
            lang=lang,
            documents_dir=None if opened.files is None else opened.files / "documents",
            workflow_path=opened.workflow_path,
        )

    def report_content(
        self, run_id: str | OpenRun, *, fmt: str = "html", lang: Lang = "de"
    ) -> bytes:
        """The process report in ``fmt`` (``md``, ``html``, ``docx``, ``odt``, ``pdf``) as
        bytes, written nowhere (works on a read-only store); see :meth:`render_report`."""
        from sozialraumprozess.app.report import REPORT_NAME, report_document

        opened = self._opened(run_id)
        base = opened.files if opened.files is not None else Path.cwd()
        return report_document(
            opened.process,
            base / REPORT_NAME,
            fmt=fmt,
            lang=lang,
            documents_dir=None if opened.files is None else opened.files / "documents",
            workflow_path=opened.workflow_path,
            attachments=self.history_attachments(opened) if fmt == "pdf" else (),
        ).content

    # ------------------------------------------------------------------ the change feed

    def changes(self, after: int = 0, limit: int = 1000) -> list[Change]:
        """Stored events of every run after position ``after`` (see
        :meth:`RunStore.changes <sozialraumprozess.storage.RunStore.changes>`)."""
        return self.store.changes(after=after, limit=limit)

    def follow(self, after: int = 0, *, once: bool = False, poll: float = 1.0) -> Iterator[Change]:
        """The changes after ``after``, then each new one as it is stored (see
        :func:`sozialraumprozess.app.feed.follow`)."""
        from sozialraumprozess.app.feed import follow

        return follow(self.store, after, once=once, poll=poll)

    def name_policy(self, run_id: str, *, public: bool) -> NamePolicy:
        """How names appear in the run's documents: internal, or public with the names
        of persons who consented to ``publication``."""
        from sozialraumprozess.documents.view import INTERNAL, NamePolicy
        from sozialraumprozess.storage.people import PUBLICATION

        if not public:
            return INTERNAL
        people = self.store.read_people(run_id).persons.values()
        consented = frozenset(
            p.name for p in people if p.name is not None and p.consented(PUBLICATION)
        )
        return NamePolicy(public=True, consented=consented)

    def portfolio(self, *, lang: Lang = "de") -> Portfolio:
        """Every run of the store in one overview (see :func:`.portfolio.portfolio`)."""
        from sozialraumprozess.app.portfolio import portfolio

        return portfolio([self], lang=lang)
