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
FOLDER_STORE_FORMAT = "sozialraumprozess-folder-store/1"
#: Format of a run's ``run.json`` (snapshot and metadata) in a folder store.
FOLDER_RUN_FORMAT = "sozialraumprozess-folder-run/1"
#: Schema version of a SQLite store (table ``schema_version``).
SQLITE_SCHEMA_VERSION = 1


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
