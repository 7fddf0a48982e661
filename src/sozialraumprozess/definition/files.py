"""Reading a user's file safely: regular files only, with the size cap checked first.

``--data /dev/zero`` would read until memory runs out and a FIFO would block
forever, so every file a user names (a workflow, a scenario, artifact data) is
opened without blocking, checked to be a regular file, checked against the size
cap by its metadata *before* reading, and read no further than the cap.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import IO

__all__ = ["FileTooLarge", "NotARegularFile", "read_limited", "read_regular_file"]


class NotARegularFile(OSError):
    """The path names a FIFO, a device, a socket (anything but a regular file or folder)."""

    def __init__(self, path: str) -> None:
        super().__init__(errno.EINVAL, "not a regular file", path)


class FileTooLarge(OSError):
    """The file is larger than the cap (found before reading it).

    Attributes:
        limit: The cap in bytes.
    """

    def __init__(self, path: str, limit: int) -> None:
        self.limit = limit
        super().__init__(errno.EFBIG, f"larger than {limit} bytes", path)


def read_regular_file(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes``.

    Raises:
        FileNotFoundError, IsADirectoryError, PermissionError: as :func:`open` does.
        NotARegularFile: a FIFO, device or socket (never opened for blocking reads).
        FileTooLarge: larger than ``max_bytes`` (by its size, or while reading).
    """
    shown = os.fspath(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)
    fd = os.open(shown, flags)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", shown)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(shown)
        if info.st_size > max_bytes:
            raise FileTooLarge(shown, max_bytes)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read(max_bytes + 1)
    finally:
        os.close(fd)
    if len(data) > max_bytes:  # grew while we read
        raise FileTooLarge(shown, max_bytes)
    return data


def read_limited(stream: IO[bytes], max_bytes: int, name: str = "<stdin>") -> bytes:
    """At most ``max_bytes`` from an open stream (standard input).

    Raises:
        FileTooLarge: the stream has more.
    """
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileTooLarge(name, max_bytes)
    return data
