"""The folder store: one readable folder per run, durable appends, OS file locks.

Layout::

    <root>/sozialraumprozess-store.json   {"format": "sozialraumprozess-folder-store/1"}
    <root>/definitions/<hex>.json         a copy of each workflow definition the runs
                                          are pinned to: <hex> = its content hash
                                          without "sha256:"; indented JSON of
                                          Workflow.to_dict() in its own key order
    <root>/runs/<run id>/run.json         snapshot + metadata (see :mod:`.snapshot`)
    <root>/runs/<run id>/events.jsonl     the log, one JSON event per line: the truth
    <root>/runs/<run id>/people.json      the person directory: names and contact data
                                          of participants, which the log names only by
                                          pseudonymous ids (see :mod:`.people`); erasable
    <root>/runs/<run id>/documents/       documents produced for the run
    <root>/runs/<run id>/.lock            lock target (empty)
    <root>/runs/<run id>/.lock.soft       only on systems without file locks: the
                                          soft lock (exists while held)

Writers and readers hold an exclusive lock on ``.lock`` (``flock`` on POSIX,
``LockFileEx`` on Windows, a soft lock elsewhere: see :mod:`.fsutil`) and writers
check the version under it, so two writers cannot interleave. An append writes the new lines in one
``write`` to ``events.jsonl``, ``fsync`` s it, and only then replaces ``run.json``
(temporary file, ``fsync``, ``os.replace``, folder ``fsync``). A crash can leave
an unterminated last line (never acknowledged: ignored when reading, cut off by
the next writer) or a stale ``run.json`` (older than the log: the log wins, the
next write rewrites it). A new run is built in a hidden folder and renamed into
place, so a run folder is always complete.

A definition copy (see :mod:`.definitions`) is written once, atomically
(temporary file, ``fsync``, ``os.replace``, folder ``fsync``) and before the run
folder that needs it appears; identical hashes give identical files. It is never
rewritten and not removed with a run (other runs may share it). Stores written
before copies existed have no ``definitions/`` folder; it is made on first use,
and their runs load through the resolver (see :func:`.base.resolve_pinned`).
The store format stays ``sozialraumprozess-folder-store/1``: see
:data:`~.formats.FOLDER_STORE_FORMAT` for why.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

from attrs import evolve

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import ConflictError, CorruptRunError, NotAStore, RunNotFound
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime.clock import Clock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import ProcessEvent
from sozialraumprozess.storage import snapshot as snap
from sozialraumprozess.storage.base import (
    WorkflowResolver,
    bundled_resolver,
    check_write,
    matches,
    pin_of,
    resolve_pinned,
)
from sozialraumprozess.storage.codec import LogContents, encode_events, parse_log
from sozialraumprozess.storage.definitions import (
    StoredDefinition,
    describe_copy,
    encode_readable,
    hash_hex,
    load_copy,
    parse_copy,
)
from sozialraumprozess.storage.formats import FOLDER_STORE_FORMAT, check_format
from sozialraumprozess.storage.fsutil import atomic_write, exclusive_lock, fsync_dir, write_all
from sozialraumprozess.storage.ids import validate_run_id
from sozialraumprozess.storage.people import (
    PEOPLE_FILE,
    People,
    decode_people,
    encode_people,
    pseudonymize,
    reidentify,
)
from sozialraumprozess.storage.summary import RunSummary, summarize

__all__ = ["DEFINITIONS_DIR", "MARKER_FILE", "FolderStore"]

MARKER_FILE = "sozialraumprozess-store.json"
DEFINITIONS_DIR = "definitions"
_LOCK = ".lock"
_COPY_NAME = re.compile(r"[0-9a-f]{64}\.json")
_log = logging.getLogger("sozialraumprozess.storage")


class FolderStore:
    """Runs as folders under ``root`` (see the module docs for the layout).

    Args:
        root: The store folder. A missing or empty folder becomes a new store
            (unless ``create`` is false); any other folder must carry the marker file.
        create: Create a new store where there is none.
        resolver: Finds the workflow of a run when :meth:`load` is given none.

    Raises:
        NotAStore: ``root`` is a file, a non-empty folder without marker, or missing
            (with ``create=False``). Nothing is written then.
        UnsupportedFormat: The marker names a newer store format.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        create: bool = True,
        resolver: WorkflowResolver = bundled_resolver,
    ) -> None:
        self.root = Path(root)
        self.resolver = resolver
        self.runs = self.root / "runs"
        self.definitions = self.root / DEFINITIONS_DIR
        marker = self.root / MARKER_FILE
        where = str(self.root)
        if self.root.exists() and not self.root.is_dir():
            raise NotAStore(where, msg("store.is-a-file"))
        if marker.is_file():
            self._check_marker(marker)
        elif self.root.is_dir() and any(self.root.iterdir()):
            raise NotAStore(where, msg("store.folder-not-empty", marker=MARKER_FILE))
        elif not create:
            raise NotAStore(where, msg("store.no-store"))
        else:
            self.root.mkdir(parents=True, exist_ok=True)
            self.runs.mkdir(exist_ok=True)
            body = json.dumps({"format": FOLDER_STORE_FORMAT}, sort_keys=True, indent=2) + "\n"
            atomic_write(marker, body.encode())
        if not self.runs.is_dir():
            raise NotAStore(where, msg("store.runs-folder-missing"))

    @staticmethod
    def _check_marker(marker: Path) -> None:
        try:
            data = json.loads(marker.read_bytes().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise NotAStore(str(marker), msg("store.marker-unreadable", error=str(exc))) from exc
        found = data.get("format") if isinstance(data, dict) else None
        check_format(found, FOLDER_STORE_FORMAT, str(marker))

    # ------------------------------------------------------------------ paths, locks

    @property
    def location(self) -> str:
        """The store folder."""
        return str(self.root)

    def run_dir(self, run_id: str) -> Path:
        """The folder of run ``run_id`` (validated; it need not exist)."""
        return self.runs / validate_run_id(run_id)

    def documents_dir(self, run_id: str) -> Path:
        """The ``documents/`` folder of an existing run (created if missing).

        Raises:
            RunNotFound: No such run.
        """
        folder = self.run_dir(run_id)
        if not folder.is_dir():
            raise RunNotFound(run_id, self.location)
        documents = folder / "documents"
        documents.mkdir(exist_ok=True)
        return documents

    @contextlib.contextmanager
    def _locked(self, run_id: str) -> Iterator[Path]:
        """Hold the run's lock (see :func:`.fsutil.exclusive_lock`); yields its folder.

        Raises:
            RunNotFound: No such run, or it was deleted while we waited for the lock.
        """
        folder = self.run_dir(run_id)
        with contextlib.ExitStack() as stack:
            try:
                same = stack.enter_context(exclusive_lock(folder / _LOCK))
            except FileNotFoundError:
                raise RunNotFound(run_id, self.location) from None
            if not same:  # deleted while we waited for the lock
                raise RunNotFound(run_id, self.location)
            yield folder

    # ------------------------------------------------------------------ writing

    def create(
        self,
        run_id: str,
        events: Sequence[ProcessEvent],
        summary: RunSummary,
        *,
        workflow: Workflow | None = None,
    ) -> int:
        """Store a new run (see :meth:`RunStore.create`); the run folder appears complete.

        The copy of ``workflow`` is durable before the run folder appears.
        """
        check_write(run_id, events, summary, expected_version=0, workflow=workflow)
        final = self.runs / run_id
        if final.exists():
            raise ConflictError(run_id, 0, self._current_version(run_id))
        if workflow is not None:
            self.put_definition(workflow)
        tmp = self.runs / f".new-{run_id}-{os.getpid()}-{secrets.token_hex(4)}"
        tmp.mkdir()
        try:
            (tmp / "documents").mkdir()
            (tmp / _LOCK).touch()
            stored, people = pseudonymize(events, People())
            if people.persons:  # a run without participants needs no directory yet
                self._write_new(tmp / PEOPLE_FILE, encode_people(people))
            data = encode_events(stored)
            self._write_new(tmp / snap.LOG_FILE, data)
            self._write_new(tmp / snap.SNAPSHOT_FILE, snap.encode(summary, len(data)))
            fsync_dir(tmp)
            try:
                os.rename(tmp, final)
            except OSError as exc:
                if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
                    raise ConflictError(run_id, 0, self._current_version(run_id)) from None
                raise
        finally:
            if tmp.exists():
                shutil.rmtree(tmp)
        fsync_dir(self.runs)
        return len(events)

    @staticmethod
    def _write_new(path: Path, data: bytes) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)

    def _current_version(self, run_id: str) -> int:
        try:
            return self.summary(run_id).version
        except (RunNotFound, CorruptRunError):
            return -1

    def append(
        self,
        run_id: str,
        events: Sequence[ProcessEvent],
        *,
        expected_version: int,
        summary: RunSummary,
    ) -> int:
        """Append durably under an exclusive lock (see :meth:`RunStore.append`)."""
        check_write(run_id, events, summary, expected_version=expected_version)
        with self._locked(run_id) as folder:
            log_path = folder / snap.LOG_FILE
            current = snap.read_snapshot(folder / snap.SNAPSHOT_FILE)
            size = os.stat(log_path).st_size
            good_size = size
            version = current.summary.version
            if size != current.log_bytes:  # crash traces: torn tail or stale snapshot
                contents = self._read_log(log_path)
                bare = _bare(current.summary, contents)
                snap.check_against(current, bare, contents.good_size, run_id)
                version, good_size = len(contents.events), contents.good_size
            if version != expected_version:
                raise ConflictError(run_id, expected_version, version)
            if good_size != size:
                self._cut_torn_tail(log_path, good_size, size)
            if size != current.log_bytes:
                self._remove_temp_files(folder)
            people = self._people(folder)
            stored, changed = pseudonymize(events, people)
            if changed != people:  # durable before the events that name its ids
                for leftover in folder.glob(f".{PEOPLE_FILE}.*.tmp"):  # of a crashed write
                    leftover.unlink(missing_ok=True)
                atomic_write(folder / PEOPLE_FILE, encode_people(changed))
            data = encode_events(stored)
            fd = os.open(log_path, os.O_WRONLY | os.O_APPEND)
            try:
                write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            atomic_write(folder / snap.SNAPSHOT_FILE, snap.encode(summary, good_size + len(data)))
        return summary.version

    @staticmethod
    def _cut_torn_tail(log_path: Path, good_size: int, size: int) -> None:
        _log.warning(
            "%s: cutting off %d bytes of an unterminated last line (an append interrupted "
            "by a crash; it was never acknowledged)",
            log_path,
            size - good_size,
        )
        fd = os.open(log_path, os.O_WRONLY)
        try:
            os.ftruncate(fd, good_size)
            os.fsync(fd)
        finally:
            os.close(fd)

    @staticmethod
    def _remove_temp_files(folder: Path) -> None:
        for name in (snap.SNAPSHOT_FILE, PEOPLE_FILE):
            for leftover in folder.glob(f".{name}.*.tmp"):
                leftover.unlink(missing_ok=True)

    def delete(self, run_id: str) -> None:
        """Delete a run folder with its documents (see :meth:`RunStore.delete`)."""
        with self._locked(run_id) as folder:
            grave = self.runs / f".deleted-{run_id}-{secrets.token_hex(4)}"
            os.rename(folder, grave)
            fsync_dir(self.runs)
        shutil.rmtree(grave)

    # ------------------------------------------------------------------ definitions

    def definition_path(self, content_hash: str) -> Path:
        """The file of the copy with ``content_hash`` (it need not exist).

        Raises:
            ValueError: ``content_hash`` is not ``sha256:`` and 64 hex digits.
        """
        return self.definitions / f"{hash_hex(content_hash)}.json"

    def put_definition(self, workflow: Workflow) -> str:
        """Keep a copy of ``workflow`` in ``definitions/`` (see :meth:`RunStore.put_definition`).

        Written once: an existing file is left as it is. Concurrent writers of the
        same definition write identical bytes, each through its own temporary file.
        """
        content_hash = workflow.content_hash
        path = self.definition_path(content_hash)
        if path.is_file():
            return content_hash
        if not self.definitions.is_dir():
            self.definitions.mkdir(exist_ok=True)
            fsync_dir(self.root)
        atomic_write(path, encode_readable(workflow))
        return content_hash

    def get_definition(self, content_hash: str) -> Workflow | None:
        """The verified copy from ``definitions/`` (see :meth:`RunStore.get_definition`)."""
        path = self.definition_path(content_hash)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        return load_copy(raw, content_hash, str(path))

    def list_definitions(self) -> list[StoredDefinition]:
        """Every copy in ``definitions/``, verified (see :meth:`RunStore.list_definitions`).

        Files whose names are not ``<64 hex digits>.json`` (temporary files of an
        interrupted write, anything a person put there) are not copies and are skipped.
        """
        if not self.definitions.is_dir():
            return []
        found = []
        for name in sorted(os.listdir(self.definitions)):
            if not _COPY_NAME.fullmatch(name):
                continue
            path = self.definitions / name
            content_hash = "sha256:" + name.removesuffix(".json")
            data = parse_copy(path.read_bytes(), content_hash, str(path))
            found.append(describe_copy(data, content_hash, str(path)))
        return sorted(found, key=lambda d: (d.id, d.version, d.content_hash))

    # ------------------------------------------------------------------ personal data

    @staticmethod
    def _people(folder: Path) -> People:
        path = folder / PEOPLE_FILE
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return People()  # a run written before the directory existed
        return decode_people(raw, str(path))

    def read_people(self, run_id: str) -> People:
        """The run's person directory (see :mod:`.people`); empty for older runs.

        Raises:
            RunNotFound: No such run.
            CorruptRunError: ``people.json`` is damaged.
        """
        with self._locked(run_id) as folder:
            return self._people(folder)

    def update_people(
        self, run_id: str, change: Callable[[People], People], *, erase: bool = False
    ) -> People:
        """Replace the run's person directory with ``change(current)``, under the run's lock.

        The new file replaces the old one atomically. With ``erase``, the old
        file's bytes are overwritten with zeros (and synced) first, so what was
        removed is not left in the old file's blocks on a file system that
        writes in place.

        Raises:
            RunNotFound: No such run.
            CorruptRunError: ``people.json`` is damaged.
        """
        with self._locked(run_id) as folder:
            path = folder / PEOPLE_FILE
            current = self._people(folder)
            changed = change(current)
            if erase and path.is_file():
                _overwrite_with_zeros(path)
            atomic_write(path, encode_people(changed))
            return changed

    # ------------------------------------------------------------------ reading

    @staticmethod
    def _read_log(log_path: Path) -> LogContents:
        try:
            data = log_path.read_bytes()
        except FileNotFoundError as exc:
            raise CorruptRunError(str(log_path), None, msg("store.file-missing")) from exc
        return parse_log(data, str(log_path))

    def _read(self, run_id: str) -> tuple[snap.Snapshot, LogContents]:
        with self._locked(run_id) as folder:
            current = snap.read_snapshot(folder / snap.SNAPSHOT_FILE)
            log_path = folder / snap.LOG_FILE
            contents = self._read_log(log_path)
            people = self._people(folder)
        contents = evolve(contents, events=reidentify(contents.events, people))
        if not contents.events:
            raise CorruptRunError(str(log_path), 1, msg("store.no-events"))
        if contents.torn_bytes:
            _log.warning(
                "%s: ignoring %d bytes of an unterminated last line (an append interrupted "
                "by a crash; never acknowledged; the next write cuts it off)",
                log_path,
                contents.torn_bytes,
            )
        return current, contents

    def read_events(self, run_id: str) -> tuple[ProcessEvent, ...]:
        """Every event of the run, strictly checked (see :meth:`RunStore.read_events`)."""
        current, contents = self._read(run_id)
        snap.check_against(current, _bare(current.summary, contents), contents.good_size, run_id)
        return contents.events

    def load(
        self, run_id: str, workflow: Workflow | None = None, *, clock: Clock | None = None
    ) -> Process:
        """Replay the run and check its snapshot (see :meth:`RunStore.load`)."""
        current, contents = self._read(run_id)
        snap.check_against(current, _bare(current.summary, contents), contents.good_size, run_id)
        if workflow is None:
            ref = pin_of(contents.events, current.summary.workflow)
            workflow = resolve_pinned(self, ref, self.resolver, run_id)
        process = Process.replay(workflow, contents.events, clock=clock)
        actual = summarize(run_id, process, details=False)  # the log fields are compared
        snap.check_against(current, actual, contents.good_size, run_id)
        return process

    def summary(self, run_id: str) -> RunSummary:
        """The run's summary from ``run.json``; from the log if that is stale."""
        folder = self.run_dir(run_id)
        if not folder.is_dir():
            raise RunNotFound(run_id, self.location)
        current = snap.read_snapshot(folder / snap.SNAPSHOT_FILE)
        if os.stat(folder / snap.LOG_FILE).st_size == current.log_bytes:
            return current.summary
        return summarize(run_id, self.load(run_id))

    def list_runs(
        self,
        *,
        workflow: str | None = None,
        phase: str | None = None,
        overdue_at: datetime | date | None = None,
    ) -> list[RunSummary]:
        """Summaries of matching runs, sorted by id (see :meth:`RunStore.list_runs`)."""
        found = []
        for entry in sorted(os.listdir(self.runs)):
            if entry.startswith("."):
                continue
            try:
                summary = self.summary(entry)
            except (RunNotFound, FileNotFoundError):
                continue  # deleted meanwhile
            if matches(summary, workflow, phase, overdue_at):
                found.append(summary)
        return found

    def close(self) -> None:
        """Nothing to release (files are opened per operation)."""


def _overwrite_with_zeros(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        write_all(fd, bytes(os.fstat(fd).st_size))
        os.fsync(fd)
    finally:
        os.close(fd)


def _bare(stored: RunSummary, contents: LogContents) -> RunSummary:
    """A summary that only knows the log's length (to compare versions before replay)."""
    return evolve(stored, version=len(contents.events))
