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
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from attrs import define, frozen

from sozialraumprozess.app.errors import RunNotChosen, WorkflowFileMissing
from sozialraumprozess.app.identity import ActorMap, Identity, actor_for
from sozialraumprozess.app.stores import open_store, run_files, workflow_note
from sozialraumprozess.app.workflow_files import WorkflowFiles
from sozialraumprozess.errors import ConflictError, DefinitionUnavailable
from sozialraumprozess.errors._storage import ConflictRetriesExhausted
from sozialraumprozess.i18n import Lang, Message, msg

if TYPE_CHECKING:
    from sozialraumprozess.app.portfolio import Portfolio
    from sozialraumprozess.app.privacy import Erasure
    from sozialraumprozess.app.retention import Purged
    from sozialraumprozess.app.status import Status
    from sozialraumprozess.definition.model import Workflow
    from sozialraumprozess.documents import DocumentMeta
    from sozialraumprozess.documents.view import NamePolicy
    from sozialraumprozess.errors import DocumentError
    from sozialraumprozess.runtime.clock import Clock
    from sozialraumprozess.runtime.process import Process
    from sozialraumprozess.runtime.records import (
        ArtifactVersion,
        DecisionRecord,
        HeldEvent,
        Participant,
        PhaseVisit,
    )
    from sozialraumprozess.storage.base import RunStore
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
        folder.mkdir(parents=True, exist_ok=True)
        return folder


@frozen
class Updated(Generic[T]):
    """What :meth:`Service.update` returns.

    Attributes:
        opened: The run after the change was saved.
        value: What the command function returned.
        attempts: How many attempts it took (1: no conflict).
    """

    opened: OpenRun
    value: T
    attempts: int


@frozen
class CommandResult:
    """The outcome of one command run through the service.

    Attributes:
        opened: The run after the change was saved.
        value: What the process command returned (a version, a held event, …).
        message: One line saying what was done (``message.text(lang)``).
        attempts: How many attempts it took (1: no conflict).
    """

    opened: OpenRun
    value: Any
    message: Message
    attempts: int = 1

    def to_dict(self, lang: Lang = "de") -> dict[str, Any]:
        """The JSON answer of a state-changing command: ``run_id``, ``event`` (``seq``,
        ``time``, ``type``, ``actor``, ``payload``), ``phase``, ``cycle``,
        ``can_advance``, ``blockers`` and ``message``."""
        process = self.opened.process
        last = process.log[-1]
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
        }


class _Explained(Protocol):
    def message(self, lang: Lang = "de") -> str: ...


@frozen
class _Worded:
    """A message parameter worded by the object's own ``message(lang)``."""

    source: _Explained

    def get(self, lang: Lang = "de") -> str:
        return self.source.message(lang)


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
            RunNotFound, CorruptRunError, DefinitionMismatch, DefinitionUnavailable,
            ReplayError, WorkflowError: see :func:`~sozialraumprozess.storage.open_run`.
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

    # ------------------------------------------------------------------ commands

    def update(
        self, run_id: str, fn: Callable[[Process], T], *, attempts: int | None = None
    ) -> Updated[T]:
        """Run ``fn`` on the run's process and save, retrying on conflict.

        ``fn`` runs a command on the process (and may return anything). If another
        writer saved since the run was loaded, the run is reloaded and ``fn`` runs
        again on the fresh process, after a short random wait that doubles each
        time (up to ``max_backoff``), at most ``attempts`` times in all.

        Raises:
            ConflictRetriesExhausted: Every attempt met a conflict; nothing stored.
            SozialraumprozessError: Whatever ``fn`` raises (blocked, not permitted,
                invalid data …): not retried, nothing stored.
        """
        limit = self.attempts if attempts is None else attempts
        opened = self.load(run_id)
        delay = self.backoff
        for attempt in range(1, limit + 1):
            value = fn(opened.process)
            try:
                opened.run.save()
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
            return Updated(opened, value, attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _command(self, run_id: str, fn: Callable[[Process], tuple[Any, Message]]) -> CommandResult:
        done = self.update(run_id, fn)
        value, message = done.value
        return CommandResult(done.opened, value, message, done.attempts)

    def start(
        self,
        run_id: str,
        workflow: Workflow,
        *,
        sozialraum: str,
        description: str = "",
        by: str | Identity | None = None,
        workflow_path: Path | None = None,
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

        Raises:
            InvalidRunId: ``run_id`` is not valid.
            ConflictError: The run exists already.
            PermissionDenied, UnknownNameError: ``by`` may not start it.
        """
        from sozialraumprozess.runtime.process import Process
        from sozialraumprozess.storage.ids import validate_run_id
        from sozialraumprozess.storage.session import create_run

        validate_run_id(run_id)
        claimed = None if by is None else actor_for(self.actors, run_id, by)
        starter = (
            claimed.strip() if claimed and claimed.strip() else workflow.first_phase.responsible
        )
        process = Process.start(
            workflow, sozialraum=sozialraum, description=description, by=starter, clock=self.clock
        )
        run = create_run(self.store, run_id, process)
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
    ) -> CommandResult:
        """Submit a new version of ``artifact`` (see :meth:`Process.submit`)."""
        actor = actor_for(self.actors, run_id, by)

        def fn(process: Process) -> tuple[ArtifactVersion, Message]:
            version = process.submit(artifact, data, by=actor, note=note)
            title = process.workflow.artifact(artifact).title
            return version, msg("app.submitted", title=title, version=version.version)

        return self._command(run_id, fn)

    def approve(self, run_id: str, artifact: str, *, by: str | Identity) -> CommandResult:
        """Approve the newest version of ``artifact`` (see :meth:`Process.approve`)."""
        actor = actor_for(self.actors, run_id, by)

        def fn(process: Process) -> tuple[ArtifactVersion, Message]:
            version = process.approve(artifact, by=actor)
            title = process.workflow.artifact(artifact).title
            return version, msg("app.approved", title=title, version=version.version)

        return self._command(run_id, fn)

    def confirm(self, run_id: str, artifact: str, *, by: str | Identity) -> CommandResult:
        """Confirm the newest version of ``artifact`` again (see :meth:`Process.confirm`)."""
        actor = actor_for(self.actors, run_id, by)

        def fn(process: Process) -> tuple[ArtifactVersion, Message]:
            version = process.confirm(artifact, by=actor)
            title = process.workflow.artifact(artifact).title
            return version, msg("app.confirmed", title=title, version=version.version)

        return self._command(run_id, fn)

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
    ) -> CommandResult:
        """Record that an event was held (see :meth:`Process.record_event`).

        ``protocol="latest"`` names the newest version of the event's protocol artifact.
        """
        actor = actor_for(self.actors, run_id, by)
        day = date if isinstance(date, str) else date.isoformat()

        def fn(process: Process) -> tuple[HeldEvent, Message]:
            version: int | None
            if protocol == "latest":
                artifact = process.workflow.event(event).protocol
                version = len(process.versions(artifact)) if artifact else None
            else:
                version = None if protocol is None else int(protocol)
            held = process.record_event(
                event, date=day, participants=participants, notes=notes, protocol=version, by=actor
            )
            title = process.workflow.event(event).title
            return held, msg("app.event-recorded", title=title, date=held.date)

        return self._command(run_id, fn)

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
    ) -> CommandResult:
        """Record a decision (see :meth:`Process.record_decision`)."""
        actor = actor_for(self.actors, run_id, by)
        day = date if isinstance(date, str) else date.isoformat()

        def fn(process: Process) -> tuple[DecisionRecord, Message]:
            record = process.record_decision(
                decision,
                date=day,
                yes=yes,
                no=no,
                abstain=abstain,
                consensus=consensus,
                present=present,
                text=text,
                by=actor,
            )
            title = process.workflow.decision(decision).title
            return record, msg("app.decision-recorded", title=title, result=_Worded(record.result))

        return self._command(run_id, fn)

    def advance(self, run_id: str, *, by: str | Identity) -> CommandResult:
        """Move to the next phase (see :meth:`Process.advance`)."""
        actor = actor_for(self.actors, run_id, by)

        def fn(process: Process) -> tuple[PhaseVisit, Message]:
            source = process.workflow.phase(process.phase).title
            visit = process.advance(by=actor)
            target = process.workflow.phase(visit.phase).title
            return visit, msg("app.advanced", source=source, target=target, cycle=visit.cycle)

        return self._command(run_id, fn)

    def transition(
        self, run_id: str, transition: str, *, by: str | Identity, reason: str | None = None
    ) -> CommandResult:
        """Take a named transition (see :meth:`Process.take_transition`)."""
        actor = actor_for(self.actors, run_id, by)

        def fn(process: Process) -> tuple[PhaseVisit, Message]:
            source = process.workflow.phase(process.phase).title
            visit = process.take_transition(transition, by=actor, reason=reason)
            target = process.workflow.phase(visit.phase).title
            return visit, msg(
                "app.transition-taken",
                transition=transition,
                source=source,
                target=target,
                cycle=visit.cycle,
            )

        return self._command(run_id, fn)

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
    ) -> CommandResult:
        """Add or change a participant (see :meth:`Process.set_participant`)."""
        actor = actor_for(self.actors, run_id, by)

        def fn(process: Process) -> tuple[Participant, Message]:
            process.set_participant(
                name, list(roles), kind=kind, contact=contact, active=active, by=actor
            )
            found = next(p for p in process.participants if p.name == name)
            return found, msg("app.participant-set", name=name, roles=", ".join(roles))

        return self._command(run_id, fn)

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

    def status(self, run_id: str | OpenRun, *, lang: Lang = "de") -> Status:
        """Where the run stands (see :func:`~sozialraumprozess.app.status.status_of`)."""
        from sozialraumprozess.app.status import status_of

        opened = run_id if isinstance(run_id, OpenRun) else self.load(run_id)
        return status_of(opened.process, opened.run_id, self.location, lang)

    def participants(self, run_id: str | OpenRun) -> list[dict[str, Any]]:
        """The run's participants: ``name``, ``roles``, ``kind``, ``contact``, ``active``."""
        opened = run_id if isinstance(run_id, OpenRun) else self.load(run_id)
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

        opened = run_id if isinstance(run_id, OpenRun) else self.load(run_id)
        return history_rows(opened.process, lang)

    def report_data(self, run_id: str | OpenRun, *, lang: Lang = "de") -> dict[str, Any]:
        """The process report's data (see :func:`~sozialraumprozess.app.report.report_data`)."""
        from sozialraumprozess.app.report import report_data

        opened = run_id if isinstance(run_id, OpenRun) else self.load(run_id)
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

        opened = run_id if isinstance(run_id, OpenRun) else self.load(run_id)
        if folder is None and public:  # never mixed with (or overwriting) the internal ones
            folder = opened.documents_dir().parent / PUBLIC_DOCUMENTS
        target = folder if folder is not None else opened.documents_dir()
        metas, failures = write_documents(
            opened.process,
            target,
            formats=formats,
            lang=lang,
            workflow_path=opened.workflow_path,
            policy=self.name_policy(opened.run_id, public=public),
        )
        return target, metas, failures

    def render_report(
        self,
        run_id: str | OpenRun,
        *,
        lang: Lang = "de",
        output: Path | None = None,
        public: bool = False,
    ) -> Path:
        """Write the process report (one HTML page); returns the path written.

        Args:
            output: The file (default: ``bericht.html`` in the run's files folder;
                the public report: ``bericht-oeffentlich.html``).
            public: The public report (*öffentlich*): no personal names without
                consent for ``publication``.
        """
        from sozialraumprozess.app.report import PUBLIC_REPORT_NAME, REPORT_NAME, render_report

        opened = run_id if isinstance(run_id, OpenRun) else self.load(run_id)
        if output is None:
            if opened.files is None:
                raise ValueError(f"store {self.location} keeps no local files: give output=")
            output = opened.files / (PUBLIC_REPORT_NAME if public else REPORT_NAME)
        documents = opened.files / "documents" if opened.files is not None else None
        return render_report(
            opened.process,
            output,
            lang=lang,
            documents_dir=documents,
            workflow_path=opened.workflow_path,
            policy=self.name_policy(opened.run_id, public=public),
        )

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
