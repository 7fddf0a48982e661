"""On-disk format identifiers and the check that refuses formats this library cannot read.

Every file a store writes names its format as ``family/N``. A reader accepts
every version up to the newest it knows and refuses newer (or foreign) ones with
:class:`~sozialraumprozess.errors.UnsupportedFormat`, naming both versions.
"""

from __future__ import annotations

from sozialraumprozess.errors import UnsupportedFormat

__all__ = [
    "FOLDER_RUN_FORMAT",
    "FOLDER_STORE_FORMAT",
    "SQLITE_SCHEMA_VERSION",
    "check_format",
]

#: Format of the marker file at the root of a folder store.
#:
#: Still 1 although stores now also hold ``definitions/<hex>.json`` (copies of the
#: workflow definitions runs are pinned to): the folder is purely additive. A
#: reader of format 1 from before it existed looks only at the marker and at
#: ``runs/``, so it reads such a store exactly as before (it just cannot use the
#: copies), and a store written before it existed is a valid store without copies,
#: whose runs load through the resolver as they always did. Raising the number
#: would only make older readers refuse stores they read correctly. Raise it when
#: a change would make an older reader misread a store or damage it on writing.
FOLDER_STORE_FORMAT = "sozialraumprozess-folder-store/1"
#: Format of a run's ``run.json`` (snapshot and metadata) in a folder store.
FOLDER_RUN_FORMAT = "sozialraumprozess-folder-run/1"
#: Schema version of a SQLite store (table ``schema_version``); 2 added the
#: ``definitions`` table, 3 the change feed (``events.position``, table ``feed``).
#: Older databases are migrated when opened (see :mod:`.migrations`); a library
#: that reads only schema 2 refuses schema 3 (it would store events without a
#: position, which followers of the feed would never see).
SQLITE_SCHEMA_VERSION = 3


def check_format(found: object, supported: str, path: str) -> int:
    """The version number of ``found`` if this library reads it.

    Args:
        found: The format value read from a file (should be ``family/N``).
        supported: The newest format of that family this library knows.
        path: The file, for the error message.

    Returns:
        ``N`` of ``found``.

    Raises:
        UnsupportedFormat: ``found`` is not ``family/N`` of the same family, or ``N``
            is newer than ``supported``.
    """
    family, _, newest = supported.rpartition("/")
    text = found if isinstance(found, str) else repr(found)
    head, sep, number = text.rpartition("/")
    if sep and head == family and number.isdigit() and 1 <= int(number) <= int(newest):
        return int(number)
    raise UnsupportedFormat(path, text, supported)
