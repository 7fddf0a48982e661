"""Durable file operations and inter-process locks, on every platform.

Durability: fsync of files and folders, atomic replacement. Locks: an exclusive
lock tied to a file, taken with the `filelock <https://py-filelock.readthedocs.io>`_
library, so the folder store works wherever Python runs:

* POSIX: ``flock`` on the lock file (the lock the folder store always used, so
  programs of older versions and this one exclude each other);
* Windows: ``LockFileEx`` on the lock file;
* neither (no ``fcntl``, e.g. WebAssembly builds): filelock's ``SoftFileLock``,
  a marker file ``<lock file>.soft`` created exclusively that names its owner's
  process, so a lock left by a crashed process is taken over.

Why filelock rather than portalocker: portalocker imports ``fcntl`` on every
non-Windows system (it cannot be imported where ``fcntl`` is missing) and needs
``pywin32`` for shared locks on Windows; filelock has no dependencies, locks a
descriptor we opened ourselves (:func:`filelock.lock_descriptor`: no folder is
created, the "deleted while waiting" check below stays possible) and falls back
to a soft lock where the system has no file locks. It has exclusive locks only:
readers of the folder store take the same exclusive lock as writers (they hold
it only while reading two files).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import secrets
import stat
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from sozialraumprozess.errors import StoreLinkRefused, StoreUnwritable

__all__ = [
    "NOFOLLOW",
    "POLL_INTERVAL",
    "UNWRITABLE",
    "atomic_write",
    "check_no_links",
    "exclusive_lock",
    "fsync_dir",
    "native_locks",
    "read_nofollow",
    "reading_lock",
    "unwritable",
    "write_all",
]

#: ``os.O_NOFOLLOW`` where the system has it (opening a link then fails with ``ELOOP``).
NOFOLLOW: int = getattr(os, "O_NOFOLLOW", 0)

#: Error numbers that mean "this store cannot be written here and now" (not damage).
UNWRITABLE = frozenset(
    code
    for code in (
        errno.ENOSPC,
        getattr(errno, "EDQUOT", None),
        errno.EROFS,
        errno.EACCES,
        errno.EPERM,
        errno.EIO,
        errno.EFBIG,
    )
    if code is not None
)


def unwritable(exc: OSError, path: object, *, unknown: bool = False) -> StoreUnwritable:
    """The :class:`StoreUnwritable` for an ``OSError`` met while writing ``path``."""
    return StoreUnwritable(
        str(exc.filename or path), exc.strerror or str(exc), exc.errno, unknown=unknown
    )


def check_no_links(root: Path, path: Path) -> None:
    """Refuse ``path`` if it, or a folder between ``root`` and it, is a symbolic link.

    ``path`` must lie inside ``root`` (the store's folder, which itself may be a
    link: that is the owner's choice). Missing parts are fine (they are created
    later without following anything).

    Raises:
        StoreLinkRefused: A link on the way, or ``path`` is not inside ``root``.
    """
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        raise StoreLinkRefused(str(path), str(root)) from None
    current = root
    for part in parts:
        if part in ("..", ""):
            raise StoreLinkRefused(str(path), str(root))
        current = current / part
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                raise StoreLinkRefused(str(current), str(root))
        except FileNotFoundError:
            return


def read_nofollow(path: Path) -> bytes:
    """The bytes of regular file ``path``, not following a link at ``path`` itself.

    Raises:
        FileNotFoundError: No such file.
        StoreLinkRefused: ``path`` is a symbolic link (or not a regular file).
    """
    try:
        fd = os.open(path, os.O_RDONLY | NOFOLLOW)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StoreLinkRefused(str(path), str(path.parent)) from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise StoreLinkRefused(str(path), str(path.parent))
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


#: Seconds between attempts to take a lock another process holds. filelock polls
#: (there is no portable blocking lock call); an append holds the lock for one
#: fsync or two, so a millisecond keeps waiting writers close behind.
POLL_INTERVAL = 0.001


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of ``data`` to ``fd`` (``os.write`` may write less)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def fsync_dir(path: Path) -> None:
    """Make the entries of folder ``path`` (creations, renames) durable.

    Where folders cannot be opened (Windows: no ``os.O_DIRECTORY``) this does
    nothing: NTFS journals its folder entries itself.
    """
    flag = getattr(os, "O_DIRECTORY", None)
    if flag is None:
        return
    fd = os.open(path, os.O_RDONLY | flag)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` so readers see the old or the new file, never a mix.

    Writes a temporary file ``.<name>.<pid>.<random>.tmp`` next to it (unique, so
    concurrent writers of the same content never share one), fsyncs it, renames it
    over ``path`` and (if ``durable``) fsyncs the folder.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o644)
    try:
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)  # replaces a link at ``path`` itself, never follows it
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)  # a full disk must not keep half a file around
        raise
    if durable:
        fsync_dir(path.parent)


@functools.cache
def _filelock() -> ModuleType:
    # Imported on first lock, not with the store: `sozialraum status` with a
    # current summary reads run.json without locking and need not pay the import.
    with warnings.catch_warnings():
        # Without fcntl, filelock warns on import that only its soft lock is
        # available; we choose the soft lock ourselves (native_locks), so that is
        # no news to report to our users.
        warnings.filterwarnings("ignore", "only soft file lock is available", UserWarning)
        import filelock

    return filelock


def native_locks() -> bool:
    """True if this system has OS file locks (``flock`` or ``LockFileEx``); False means
    :func:`exclusive_lock` uses soft locks."""
    return sys.platform == "win32" or bool(_filelock().has_fcntl)


def _open_lock_for_reading(path: Path) -> int | None:
    try:
        return os.open(path, os.O_RDONLY | NOFOLLOW)
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StoreLinkRefused(str(path), str(path.parent)) from None
        raise


@contextlib.contextmanager
def reading_lock(path: Path) -> Iterator[bool]:
    """:func:`exclusive_lock` for a reader: never creates ``path`` and works on a
    read-only store.

    The lock file is opened read-only (``flock`` needs no write access). If it is
    missing, or the system offers only soft locks and their marker cannot be
    created (a read-only store), the reader goes on without the lock: nobody
    writes a store no one can write, and a reader of a writable one tolerates a
    writer's traces (an unterminated last line, a stale summary) anyway.

    Raises:
        FileNotFoundError: The folder of ``path`` does not exist.
        StoreLinkRefused: ``path`` is a symbolic link.
    """
    fd = _open_lock_for_reading(path)
    if fd is None:
        yield True
        return
    same = True
    try:
        if native_locks():
            with _held(fd, path):
                try:
                    same = os.path.samestat(os.fstat(fd), os.stat(path))
                except FileNotFoundError:
                    same = False
                yield same
        else:
            with contextlib.ExitStack() as stack:
                with contextlib.suppress(OSError):  # no soft lock on a read-only store
                    stack.enter_context(_held(fd, path))
                yield same
    finally:
        os.close(fd)


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[bool]:
    """Hold an exclusive lock, shared by every process and thread, tied to file ``path``.

    ``path`` is created (empty) if missing; its folder must exist. Waits as long as
    another holder has the lock. Yields whether ``path`` still is the file that
    was locked once the lock is held: ``False`` if it was deleted or replaced
    (its folder renamed away) while this caller waited.

    Raises:
        FileNotFoundError: The folder of ``path`` does not exist, or was removed
            while this caller waited (the lock was not taken).
    """
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | NOFOLLOW, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StoreLinkRefused(str(path), str(path.parent)) from None
        raise
    same = True
    try:
        with _held(fd, path):
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:
                same = False
            yield same
    finally:
        os.close(fd)
        if not same and not native_locks():
            # The soft lock's marker file may have made the folder anew after it
            # was renamed away: remove it again if that is all it holds.
            with contextlib.suppress(OSError):
                path.parent.rmdir()


@contextlib.contextmanager
def _held(fd: int, path: Path) -> Iterator[None]:
    filelock = _filelock()
    if native_locks():
        filelock.lock_descriptor(fd, poll_interval=POLL_INTERVAL)
        try:
            yield
        finally:
            filelock.unlock_descriptor(fd)
        return
    soft = filelock.SoftFileLock(
        path.with_name(path.name + ".soft"), poll_interval=POLL_INTERVAL, thread_local=False
    )
    with soft:
        yield
