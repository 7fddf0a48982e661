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
import functools
import os
import secrets
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

__all__ = [
    "POLL_INTERVAL",
    "atomic_write",
    "exclusive_lock",
    "fsync_dir",
    "native_locks",
    "write_all",
]

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
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
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
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
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
