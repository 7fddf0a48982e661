"""The folder store: one readable folder per run, durable appends, OS file locks.

Layout::

    <root>/sozialraumprozess-store.json   {"format": "sozialraumprozess-folder-store/2",
                                           "upgrades": [...]}  (see upgrade())
    <root>/definitions/<hex>.json         a copy of each workflow definition the runs
                                          are pinned to: <hex> = its content hash
                                          without "sha256:"; indented JSON of
                                          Workflow.to_dict() in its own key order
    <root>/runs/<run id>/run.json         snapshot + metadata (see :mod:`.snapshot`)
    <root>/runs/<run id>/events.jsonl     the log, one JSON event per line: the truth;
                                          each line ends in its chain hash (see
                                          :mod:`.chain`), run.json keeps the head
    <root>/runs/<run id>/people.json      the person directory: names and contact data
                                          of participants, which the log names only by
                                          pseudonymous ids (see :mod:`.people`); erasable
    <root>/runs/<run id>/documents/       documents produced for the run
    <root>/feed.jsonl                     the change feed: one line per stored event,
                                          {"incarnation", "position", "run", "seq"}
                                          (see :class:`.feed.FolderFeed`)
    <root>/.feed.lock                     the feed's store-wide lock target (empty)
    <root>/runs/<run id>/.incarnation     a token made when the run was created (tells
                                          the feed lines of a deleted run from those
                                          of a later run of the same id)
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
Format 2 (see :data:`~.formats.FOLDER_STORE_FORMAT`) chains every log. A store
of format 1 opens and reads as before (its logs unchained, :meth:`FolderStore.verify`
says so); its first write upgrades it (:meth:`FolderStore.upgrade`).

Nothing inside the store is followed if it is a symbolic link: run folders,
``documents/``, ``events.jsonl``, ``run.json``, ``.lock`` and the definition
copies are opened without following links (:class:`~sozialraumprozess.errors.StoreLinkRefused`).
Readers take the run's lock through the existing ``.lock`` file opened
read-only and never create files, so reads work on a read-only store.
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
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from attrs import evolve

from sozialraumprozess.definition.fields.file import check_file
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import (
    ConflictError,
    CorruptRunError,
    NotAStore,
    RunNotFound,
)
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime.clock import Clock, format_time
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import ProcessEvent
from sozialraumprozess.storage import snapshot as snap
from sozialraumprozess.storage.attachments import ATTACHMENTS_DIR, check_sha256, verified
from sozialraumprozess.storage.base import (
    WorkflowResolver,
    bundled_resolver,
    check_page,
    check_write,
    matches,
    pin_of,
    resolve_pinned,
)
from sozialraumprozess.storage.chain import CHAIN_FORMAT, GENESIS, chain_line, is_hash
from sozialraumprozess.storage.codec import LogContents, encode_chained, parse_log
from sozialraumprozess.storage.definitions import (
    StoredDefinition,
    describe_copy,
    encode_readable,
    hash_hex,
    load_copy,
    parse_copy,
)
from sozialraumprozess.storage.feed import (
    DEFAULT_LIMIT,
    INCARNATION_FILE,
    Change,
    FolderFeed,
    check_after,
)
from sozialraumprozess.storage.formats import FOLDER_STORE_FORMAT, check_format
from sozialraumprozess.storage.fsutil import (
    NOFOLLOW,
    atomic_write,
    check_no_links,
    exclusive_lock,
    fsync_dir,
    read_nofollow,
    reading_lock,
    unwritable,
    write_all,
)
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
from sozialraumprozess.storage.verification import Verification

__all__ = ["DEFINITIONS_DIR", "MARKER_FILE", "FolderStore"]

MARKER_FILE = "sozialraumprozess-store.json"
DEFINITIONS_DIR = "definitions"
_LOCK = ".lock"
_TAIL = 76  # the end of a chained log: ,"hash":"<64 hex>"}\n
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
        self.format = 2
        if marker.is_file():
            self.format = self._check_marker(marker)
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
        self._feed = FolderFeed(self.root, self.runs)

    @staticmethod
    def _read_marker(marker: Path) -> dict[str, Any]:
        try:
            data = json.loads(read_nofollow(marker).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise NotAStore(str(marker), msg("store.marker-unreadable", error=str(exc))) from exc
        return data if isinstance(data, dict) else {}

    @classmethod
    def _check_marker(cls, marker: Path) -> int:
        found = cls._read_marker(marker).get("format")
        return check_format(found, FOLDER_STORE_FORMAT, str(marker))

    # ------------------------------------------------------------------ paths, locks

    @property
    def location(self) -> str:
        """The store folder."""
        return str(self.root)

    def run_dir(self, run_id: str) -> Path:
        """The folder of run ``run_id`` (validated; it need not exist).

        Raises:
            InvalidRunId: ``run_id`` is not valid.
            StoreLinkRefused: ``runs/`` or the run folder is a symbolic link.
        """
        folder = self.runs / validate_run_id(run_id)
        check_no_links(self.root, folder)
        return folder

    def documents_dir(self, run_id: str) -> Path:
        """The ``documents/`` folder of an existing run (created if missing).

        Raises:
            RunNotFound: No such run.
            StoreLinkRefused: The run folder or ``documents/`` is a symbolic link.
        """
        folder = self.run_dir(run_id)
        if not folder.is_dir():
            raise RunNotFound(run_id, self.location)
        documents = folder / "documents"
        check_no_links(self.root, documents)
        documents.mkdir(exist_ok=True)
        return documents

    @contextlib.contextmanager
    def _locked(self, run_id: str, *, write: bool = True) -> Iterator[Path]:
        """Hold the run's lock (see :func:`.fsutil.exclusive_lock`); yields its folder.

        Readers (``write=False``) use :func:`.fsutil.reading_lock`: nothing is
        created, so they work on a read-only store.

        Raises:
            RunNotFound: No such run, or it was deleted while we waited for the lock.
        """
        folder = self.run_dir(run_id)
        lock = exclusive_lock if write else reading_lock
        with contextlib.ExitStack() as stack:
            try:
                same = stack.enter_context(lock(folder / _LOCK))
            except FileNotFoundError:
                raise RunNotFound(run_id, self.location) from None
            except OSError as exc:
                raise unwritable(exc, folder / _LOCK) from None
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
        final = self.run_dir(run_id)
        if final.exists():
            raise ConflictError(run_id, 0, self._current_version(run_id))
        try:
            self._upgrade_if_old()
            if workflow is not None:
                self.put_definition(workflow)
            self._create(final, events, summary)
        except OSError as exc:
            raise unwritable(exc, final) from None
        return len(events)

    def _create(self, final: Path, events: Sequence[ProcessEvent], summary: RunSummary) -> None:
        run_id = final.name
        tmp = self.runs / f".new-{run_id}-{os.getpid()}-{secrets.token_hex(4)}"
        tmp.mkdir()
        try:
            (tmp / "documents").mkdir()
            (tmp / _LOCK).touch()
            incarnation = self._feed.new_incarnation()
            self._write_new(tmp / INCARNATION_FILE, incarnation.encode("ascii"))
            stored, people = pseudonymize(events, People())
            if people.persons:  # a run without participants needs no directory yet
                self._write_new(tmp / PEOPLE_FILE, encode_people(people))
            data, head = encode_chained(stored, GENESIS)
            self._write_new(tmp / snap.LOG_FILE, data)
            self._write_new(
                tmp / snap.SNAPSHOT_FILE, snap.encode(evolve(summary, head=head), len(data))
            )
            fsync_dir(tmp)
            # The run appears, and its events join the change feed, under the feed lock.
            with self._feed.writing(run_id, incarnation, 1, len(events)):
                try:
                    os.rename(tmp, final)
                except OSError as exc:
                    if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
                        raise ConflictError(run_id, 0, self._current_version(run_id)) from None
                    raise
                fsync_dir(self.runs)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    @staticmethod
    def _write_new(path: Path, data: bytes) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o644)
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
        """Append durably under an exclusive lock (see :meth:`RunStore.append`).

        Once the new lines are durable (written and ``fsync`` ed) the append has
        succeeded: if ``run.json`` cannot be rewritten then (a full disk), it stays
        stale, which readers recognise (the log wins) and the next write repairs.
        Before that, a failed write is cut off again and raises
        :class:`~sozialraumprozess.errors.StoreUnwritable` (nothing stored).
        """
        check_write(run_id, events, summary, expected_version=expected_version)
        try:
            self._upgrade_if_old()
        except OSError as exc:
            raise unwritable(exc, self.root) from None
        with self._locked(run_id) as folder:
            log_path = folder / snap.LOG_FILE
            current = snap.read_snapshot(folder / snap.SNAPSHOT_FILE)
            size = os.lstat(log_path).st_size
            good_size = size
            version = current.summary.version
            if size != current.log_bytes:  # crash traces: torn tail or stale snapshot
                contents = self._read_log(log_path)
                self._check_snapshot(current, contents, run_id)
                version, good_size, head = len(contents.events), contents.good_size, contents.head
            else:
                head = self._tail_head(log_path, size, current)
            if version != expected_version:
                raise ConflictError(run_id, expected_version, version)
            if head is None:
                raise CorruptRunError(str(log_path), 1, msg("chain.not-chained"))
            try:
                if good_size != size:
                    self._cut_torn_tail(log_path, good_size, size)
                if size != current.log_bytes:
                    self._remove_temp_files(folder)
            except OSError as exc:
                raise unwritable(exc, log_path) from None
            people = self._people(folder)
            stored, changed = pseudonymize(events, people)
            if changed != people:  # durable before the events that name its ids
                try:
                    for leftover in folder.glob(f".{PEOPLE_FILE}.*.tmp"):  # of a crashed write
                        leftover.unlink(missing_ok=True)
                    atomic_write(folder / PEOPLE_FILE, encode_people(changed))
                except OSError as exc:
                    raise unwritable(exc, folder / PEOPLE_FILE) from None
            data, head = encode_chained(stored, head)
            incarnation = self._feed.incarnation(run_id) or ""
            durable = False
            try:
                with self._feed.writing(run_id, incarnation, events[0].seq, events[-1].seq):
                    self._append_durably(log_path, data, good_size)
                    durable = True
            except OSError as exc:
                if not durable:
                    raise unwritable(exc, self.root) from None
                _log.warning(  # the events are durable; the pending note completes the feed
                    "%s: events stored, but the change feed could not be written (%s); it is "
                    "completed on the next write",
                    self.root,
                    exc.strerror or exc,
                )
            done = evolve(summary, head=head)
            try:
                atomic_write(folder / snap.SNAPSHOT_FILE, snap.encode(done, good_size + len(data)))
            except OSError as exc:  # the events are durable: the summary is rebuilt later
                _log.warning(
                    "%s: events stored, but run.json could not be rewritten (%s); it is "
                    "rebuilt from the log on the next write",
                    folder,
                    exc.strerror or exc,
                )
        return summary.version

    @staticmethod
    def _append_durably(log_path: Path, data: bytes, good_size: int) -> None:
        """Append ``data`` and ``fsync``; on failure cut the log back to ``good_size``.

        Raises:
            StoreUnwritable: Nothing appended (``unknown`` if that is not sure).
        """
        try:
            fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | NOFOLLOW)
        except OSError as exc:
            raise unwritable(exc, log_path) from None
        try:
            try:
                write_all(fd, data)
                os.fsync(fd)
            except OSError as exc:
                try:
                    os.ftruncate(fd, good_size)
                    os.fsync(fd)
                except OSError:
                    raise unwritable(exc, log_path, unknown=True) from None
                raise unwritable(exc, log_path) from None
        finally:
            os.close(fd)

    @staticmethod
    def _tail_head(log_path: Path, size: int, current: snap.Snapshot) -> str | None:
        """The last line's hash, read from the log's end and checked against ``run.json``
        (an append stays O(1): the whole chain is checked when a run is opened).

        ``None`` if neither the log's end nor ``run.json`` has a hash (a run written
        before chains).

        Raises:
            CorruptRunError: The last line's hash differs from ``run.json``'s head,
                or only one of them has a hash.
        """
        fd = os.open(log_path, os.O_RDONLY | NOFOLLOW)
        try:
            os.lseek(fd, max(0, size - _TAIL), os.SEEK_SET)
            tail = os.read(fd, _TAIL)
        finally:
            os.close(fd)
        found = tail[-67:-3].decode("ascii", "replace")
        chained = tail[:9] == b',"hash":"' and tail[-3:] == b'"}\n' and is_hash(found)
        stored = current.summary.head
        if not chained and stored is None:
            return None
        if not chained:
            raise CorruptRunError(
                str(log_path), current.summary.version, msg("chain.line-missing-hash")
            )
        if stored is not None and stored != found:
            raise CorruptRunError(
                current.path,
                current.line_of("head"),
                msg("chain.head-differs", seq=current.summary.version),
            )
        return found

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
        try:
            with self._locked(run_id) as folder:
                grave = self.runs / f".deleted-{run_id}-{secrets.token_hex(4)}"
                os.rename(folder, grave)
                fsync_dir(self.runs)
        except OSError as exc:
            raise unwritable(exc, self.run_dir(run_id)) from None
        shutil.rmtree(grave, ignore_errors=True)

    # ------------------------------------------------------------------ upgrade

    def _upgrade_if_old(self) -> None:
        if self.format < 2:
            self.upgrade()

    def upgrade(self) -> dict[str, str]:
        """Chain every run's log and mark the store as format 2 (a recorded migration).

        Each run written before chains gets its hashes under its lock (the lines'
        bytes stay as they are; each gains its hash at the end) and ``run.json``
        the head; runs already chained are left alone, so an interrupted upgrade
        is finished by the next one. Last, the marker file names format 2 and
        records the upgrade (when, from which format, and each run's head at that
        moment: the chain proves nothing about the log *before* the upgrade).
        The first write to a format-1 store calls this (an application may call
        it at a moment of its choosing).

        Returns:
            The head of each run chained now, by run id.

        Raises:
            CorruptRunError: A run's log is damaged (nothing of that run changed).
            OSError: A file could not be written.
        """
        heads: dict[str, str] = {}
        for entry in sorted(os.listdir(self.runs)):
            if entry.startswith("."):
                continue
            with contextlib.suppress(RunNotFound):
                head = self._upgrade_run(entry)
                if head is not None:
                    heads[entry] = head
        marker = self.root / MARKER_FILE
        data = self._read_marker(marker)
        found = str(data.get("format", "?"))
        if self.format < 2 or found != FOLDER_STORE_FORMAT:
            record = {
                "from": found,
                "to": FOLDER_STORE_FORMAT,
                "at": format_time(datetime.now(UTC)),
                "chain": CHAIN_FORMAT,
                "heads": heads,
            }
            upgrades = data.get("upgrades")
            body = {
                **data,
                "format": FOLDER_STORE_FORMAT,
                "upgrades": [*(upgrades if isinstance(upgrades, list) else []), record],
            }
            text = json.dumps(body, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
            atomic_write(marker, text.encode())
        self.format = 2
        return heads

    def _upgrade_run(self, run_id: str) -> str | None:
        with self._locked(run_id) as folder:
            log_path = folder / snap.LOG_FILE
            current = snap.read_snapshot(folder / snap.SNAPSHOT_FILE)
            contents = self._read_log(log_path)
            if contents.head is not None or not contents.events:
                return None
            snap.check_against(
                current, _bare(current.summary, contents), contents.good_size, run_id
            )
            lines = read_nofollow(log_path)[: contents.good_size].decode("utf-8").split("\n")[:-1]
            prev, chained = GENESIS, []
            for line in lines:
                out, prev = chain_line(line.encode("utf-8"), prev)
                chained.append(out)
            data = b"\n".join(chained) + b"\n"
            atomic_write(log_path, data)
            stale = snap.read_snapshot(folder / snap.SNAPSHOT_FILE).summary
            summary = evolve(stale, head=prev) if stale.version == len(lines) else stale
            size = len(data) if stale.version == len(lines) else -1
            atomic_write(folder / snap.SNAPSHOT_FILE, snap.encode(summary, size))
            self._remove_temp_files(folder)
            return prev

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
        check_no_links(self.root, path)
        if path.is_file():
            return content_hash
        try:
            if not self.definitions.is_dir():
                self.definitions.mkdir(exist_ok=True)
                fsync_dir(self.root)
            atomic_write(path, encode_readable(workflow))
        except OSError as exc:
            raise unwritable(exc, path) from None
        return content_hash

    # ------------------------------------------------------------------ attachments

    def put_attachment(self, content: bytes, name: str) -> dict[str, Any]:
        """Keep a file in ``attachments/<sha256>`` once (see :mod:`.attachments`).

        Raises:
            AttachmentRefused: The file is empty, too large, of a type not allowed,
                or its content does not match its type.
        """
        reference = check_file(content, name)
        folder = self.root / ATTACHMENTS_DIR
        path = folder / reference["sha256"]
        if not path.is_file():
            if not folder.is_dir():
                folder.mkdir(exist_ok=True)
                fsync_dir(self.root)
            atomic_write(path, content)
        return reference

    def get_attachment(self, sha256: str) -> bytes | None:
        """The verified bytes of ``attachments/<sha256>``, or ``None``.

        Raises:
            ValueError: ``sha256`` is not 64 hex digits.
            CorruptRunError: The file was changed.
        """
        path = self.root / ATTACHMENTS_DIR / check_sha256(sha256)
        try:
            if path.is_symlink():
                return None  # stores never follow links
            content = path.read_bytes()
        except FileNotFoundError:
            return None
        return verified(content, sha256, str(path))

    def get_definition(self, content_hash: str) -> Workflow | None:
        """The verified copy from ``definitions/`` (see :meth:`RunStore.get_definition`)."""
        path = self.definition_path(content_hash)
        check_no_links(self.root, path)
        try:
            raw = read_nofollow(path)
        except FileNotFoundError:
            return None
        return load_copy(raw, content_hash, str(path))

    def list_definitions(self) -> list[StoredDefinition]:
        """Every copy in ``definitions/``, verified (see :meth:`RunStore.list_definitions`).

        Files whose names are not ``<64 hex digits>.json`` (temporary files of an
        interrupted write, anything a person put there) are not copies and are skipped.
        """
        check_no_links(self.root, self.definitions)
        if not self.definitions.is_dir():
            return []
        found = []
        for name in sorted(os.listdir(self.definitions)):
            if not _COPY_NAME.fullmatch(name):
                continue
            path = self.definitions / name
            content_hash = "sha256:" + name.removesuffix(".json")
            data = parse_copy(read_nofollow(path), content_hash, str(path))
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
            data = read_nofollow(log_path)
        except FileNotFoundError as exc:
            raise CorruptRunError(str(log_path), None, msg("store.file-missing")) from exc
        return parse_log(data, str(log_path))

    def _check_snapshot(
        self,
        current: snap.Snapshot,
        contents: LogContents,
        run_id: str,
        actual: RunSummary | None = None,
    ) -> None:
        """:func:`.snapshot.check_against` plus the chain: a current ``run.json``
        names the log's head; a log of a format-2 store is chained."""
        log_path = str(Path(current.path).with_name(snap.LOG_FILE))
        if contents.head is None and self.format >= 2:
            raise CorruptRunError(log_path, 1, msg("chain.not-chained"))
        stored = current.summary
        if stored.head is None and contents.head is not None:
            # run.json from before the log was chained (an upgrade interrupted
            # between the two files): stale, like any older run.json.
            current = evolve(current, log_bytes=contents.good_size)
        fresh = snap.check_against(
            current, actual or _bare(stored, contents), contents.good_size, run_id
        )
        if fresh and stored.head is not None and stored.head != contents.head:
            raise CorruptRunError(
                current.path, current.line_of("head"), msg("chain.head-differs", seq=stored.version)
            )

    def _read(self, run_id: str) -> tuple[snap.Snapshot, LogContents]:
        with self._locked(run_id, write=False) as folder:
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
        self._check_snapshot(current, contents, run_id)
        return contents.events

    def verify(self, run_id: str) -> Verification:
        """Recompute the run's chain (see :meth:`RunStore.verify`)."""
        current, contents = self._read(run_id)
        self._check_snapshot(current, contents, run_id)
        return Verification(
            run_id, len(contents.events), contents.head, str(self.run_dir(run_id) / snap.LOG_FILE)
        )

    def _load(
        self, run_id: str, workflow: Workflow | None, clock: Clock | None
    ) -> tuple[Process, str | None]:
        current, contents = self._read(run_id)
        self._check_snapshot(current, contents, run_id)
        if workflow is None:
            ref = pin_of(contents.events, current.summary.workflow)
            workflow = resolve_pinned(self, ref, self.resolver, run_id)
        process = Process.replay(
            workflow,
            contents.events,
            clock=clock,
            definitions=lambda ref: resolve_pinned(self, ref, self.resolver, run_id),
        )
        actual = summarize(run_id, process, details=False)  # the log fields are compared
        self._check_snapshot(current, contents, run_id, actual)
        return process, contents.head

    def load(
        self, run_id: str, workflow: Workflow | None = None, *, clock: Clock | None = None
    ) -> Process:
        """Replay the run and check its snapshot and chain (see :meth:`RunStore.load`)."""
        return self._load(run_id, workflow, clock)[0]

    def summary(self, run_id: str) -> RunSummary:
        """The run's summary from ``run.json``; from the log if that is stale."""
        folder = self.run_dir(run_id)
        if not folder.is_dir():
            raise RunNotFound(run_id, self.location)
        current = snap.read_snapshot(folder / snap.SNAPSHOT_FILE)
        if os.lstat(folder / snap.LOG_FILE).st_size == current.log_bytes:
            return current.summary
        process, head = self._load(run_id, None, None)
        return evolve(summarize(run_id, process), head=head)

    def list_runs(
        self,
        *,
        workflow: str | None = None,
        phase: str | None = None,
        overdue_at: datetime | date | None = None,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[RunSummary]:
        """Summaries of matching runs, sorted by id (see :meth:`RunStore.list_runs`);
        a page reads the summaries of the runs it lists (and of the runs its filters
        leave out on the way) only."""
        check_page(after, limit)
        check_no_links(self.root, self.runs)
        found: list[RunSummary] = []
        for entry in sorted(os.listdir(self.runs)):
            if entry.startswith(".") or (after is not None and entry <= after):
                continue
            if limit is not None and len(found) >= limit:
                break
            try:
                summary = self.summary(entry)
            except (RunNotFound, FileNotFoundError):
                continue  # deleted meanwhile
            if matches(summary, workflow, phase, overdue_at):
                found.append(summary)
        return found

    def changes(self, after: int = 0, limit: int = DEFAULT_LIMIT) -> list[Change]:
        """The events after position ``after``, oldest first (see :mod:`.feed`;
        ``feed.jsonl`` is made the first time for a store from before the feed)."""
        check_after(after, limit)
        return self._feed.changes(after, limit)

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
