"""Stores named by URL, and a registry of URL schemes.

A front end names its store with one string::

    /srv/sozialraum/prozesse          a folder store (a plain path, as always)
    file:///srv/sozialraum/prozesse   the same, as a URL
    sqlite:///srv/sozialraum/prozesse.db    a SQLite store (absolute path)
    sqlite://prozesse.db              a SQLite store, relative to the current folder
    postgresql://user:pw@host/db      a PostgreSQL store (the ``postgres`` extra)

Each scheme is one :class:`StoreScheme` registered with :func:`register_scheme`;
``postgresql://`` (and ``postgres://``) is one such registration, and every
front end (CLI, web application) can use any of them.

Besides the store itself a scheme says where the *files* of a run go that are
not events: the documents and the report a front end writes, and the note of
which workflow file a run was started on (so that templates beside that file
are found again). A folder store keeps them in the run's folder (the note in
``sozialraum-workflows.json`` at its root); a SQLite store ``prozesse.db`` keeps
them in a folder ``prozesse-runs/<run id>/`` beside the database. A scheme
without local files (a server database) returns ``None``: a PostgreSQL store keeps
documents in the database, so every application server sees them.

Everything after ``scheme://`` is the path, so ``sqlite:///srv/p.db`` is the
absolute ``/srv/p.db`` and ``sqlite://p.db`` is ``p.db`` in the current folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from attrs import frozen

from sozialraumprozess.i18n import msg
from sozialraumprozess.storage.base import RunStore

__all__ = [
    "WORKFLOWS_FILE",
    "StoreScheme",
    "known_schemes",
    "open_store",
    "register_scheme",
    "run_files",
    "scheme_of",
    "upgrade_store",
    "workflow_note",
]


@frozen
class StoreScheme:
    """How to open the stores of one URL scheme.

    Attributes:
        name: The scheme, e.g. ``sqlite`` (lower case, without ``://``).
        open: ``open(target, create)``: the store at ``target`` (the URL with
            ``scheme://`` removed, percent-decoded); with ``create`` false a
            missing store raises :class:`~sozialraumprozess.errors.NotAStore`.
        owns: ``owns(store)``: true for stores this scheme opens.
        run_files: ``run_files(store, run_id)``: the folder of one run's files
            (documents, report), or ``None`` if the store has no local folder.
        workflow_note: ``workflow_note(store)``: the file that notes which workflow
            file each run was started on, or ``None``.
        whole_url: ``open`` gets the whole URL as given (a server URL with user,
            password and options) instead of the path after ``scheme://``.
        upgrade: ``upgrade(target)``: bring the store's schema to this library's
            (``sozialraum store upgrade``); returns the versions before and after.
            ``None``: the store is brought up to date when opened (folder, SQLite).
    """

    name: str
    open: Callable[[str, bool], RunStore]
    owns: Callable[[RunStore], bool]
    run_files: Callable[[RunStore, str], Path | None]
    workflow_note: Callable[[RunStore], Path | None]
    whole_url: bool = False
    upgrade: Callable[[str], tuple[int, int]] | None = None


_SCHEMES: dict[str, StoreScheme] = {}


def register_scheme(scheme: StoreScheme) -> None:
    """Make stores of ``scheme.name`` openable by URL (a later registration replaces one)."""
    _SCHEMES[scheme.name.lower()] = scheme


def known_schemes() -> tuple[str, ...]:
    """The registered scheme names, sorted."""
    return tuple(sorted(_SCHEMES))


def _split(url: str) -> tuple[str, str]:
    """``(scheme, target)``: a plain path is the ``folder`` scheme."""
    head, sep, rest = url.partition("://")
    if not sep or len(head) < 2 or not head.replace("+", "").replace("-", "").isalnum():
        return "folder", url  # a path (``C:\\…`` on Windows: one letter is a drive)
    scheme = head.lower()
    if scheme == "file":
        scheme = "folder"
    return scheme, unquote(rest)


def scheme_of(url: str | os.PathLike[str]) -> StoreScheme:
    """The registered scheme of ``url`` (a plain path: ``folder``).

    Raises:
        NotAStore: No scheme of that name is registered (names the known ones).
    """
    from sozialraumprozess.errors import NotAStore

    text = os.fspath(url)
    name, _ = _split(text)
    found = _SCHEMES.get(name)
    if found is None:
        known = ", ".join(f"{k}://" for k in known_schemes())
        raise NotAStore(
            text,
            f"unbekanntes URL-Schema '{name}://' (bekannt: {known})",
            f"unknown URL scheme '{name}://' (known: {known})",
        )
    return found


def open_store(url: str | os.PathLike[str], *, create: bool = False) -> RunStore:
    """The store that ``url`` names: a folder path, ``sqlite:///path/file.db`` or any
    registered scheme.

    Args:
        url: The store (see the module docs).
        create: Create a new, empty store where there is none.

    Raises:
        NotAStore: The URL's scheme is not registered (names the known ones),
            there is no store (and ``create`` is false), or it is something else.
        UnsupportedFormat: The store is of a newer format.
    """
    text = os.fspath(url)
    scheme = scheme_of(text)
    return scheme.open(text if scheme.whole_url else _split(text)[1], create)


def upgrade_store(url: str | os.PathLike[str]) -> tuple[int, int] | None:
    """Bring the schema of the store ``url`` names to this library's; returns the
    schema versions before and after, or ``None`` for a store that is brought up to
    date whenever it is opened (folder, SQLite: it is opened once then).

    Raises:
        NotAStore: Unknown scheme, or no store there (folder, SQLite).
        StoreUnavailable: The server cannot be reached or used.
        UnsupportedFormat: The store is newer than this library.
    """
    text = os.fspath(url)
    scheme = scheme_of(text)
    target = text if scheme.whole_url else _split(text)[1]
    if scheme.upgrade is not None:
        return scheme.upgrade(target)
    scheme.open(target, False).close()
    return None


def _scheme_for(store: RunStore) -> StoreScheme | None:
    return next((s for s in _SCHEMES.values() if s.owns(store)), None)


def run_files(store: RunStore, run_id: str) -> Path | None:
    """The folder for the files of run ``run_id`` (documents, report), or ``None``."""
    scheme = _scheme_for(store)
    return None if scheme is None else scheme.run_files(store, run_id)


def workflow_note(store: RunStore) -> Path | None:
    """The file noting the workflow file of each run of ``store``, or ``None``."""
    scheme = _scheme_for(store)
    return None if scheme is None else scheme.workflow_note(store)


# --------------------------------------------------------------------------- the built-in schemes


def _is_folder(store: RunStore) -> bool:
    from sozialraumprozess.storage.folder import FolderStore

    return isinstance(store, FolderStore)


def _open_folder(target: str, create: bool) -> RunStore:
    from sozialraumprozess.storage.folder import FolderStore

    return FolderStore(target or ".", create=create)


def _folder_run_files(store: RunStore, run_id: str) -> Path | None:
    from sozialraumprozess.storage.folder import FolderStore

    assert isinstance(store, FolderStore)  # noqa: S101 - the scheme owns only these
    return store.run_dir(run_id)


def _folder_note(store: RunStore) -> Path | None:
    from sozialraumprozess.storage.folder import FolderStore

    assert isinstance(store, FolderStore)  # noqa: S101 - the scheme owns only these
    return store.root / WORKFLOWS_FILE


def _is_sqlite(store: RunStore) -> bool:
    from sozialraumprozess.storage.sqlite import SqliteStore

    return isinstance(store, SqliteStore)


def _open_sqlite(target: str, create: bool) -> RunStore:
    from sozialraumprozess.errors import NotAStore
    from sozialraumprozess.storage.sqlite import SqliteStore

    if not target or target == ":memory:":
        raise NotAStore("sqlite://" + target, msg("app.sqlite-needs-file"))
    return SqliteStore(target, create=create)


def _sqlite_files(store: RunStore) -> Path:
    from sozialraumprozess.storage.sqlite import SqliteStore

    assert isinstance(store, SqliteStore)  # noqa: S101 - the scheme owns only these
    return store.path.with_name(store.path.stem + "-runs")


def _sqlite_run_files(store: RunStore, run_id: str) -> Path | None:
    from sozialraumprozess.storage.ids import validate_run_id

    return _sqlite_files(store) / validate_run_id(run_id)


def _sqlite_note(store: RunStore) -> Path | None:
    return _sqlite_files(store) / ("." + WORKFLOWS_FILE)  # run ids never start with "."


#: The file (in a folder store's root) noting which workflow file each run was started on.
WORKFLOWS_FILE = "sozialraum-workflows.json"

register_scheme(StoreScheme("folder", _open_folder, _is_folder, _folder_run_files, _folder_note))
register_scheme(StoreScheme("sqlite", _open_sqlite, _is_sqlite, _sqlite_run_files, _sqlite_note))


def _is_postgres(store: RunStore) -> bool:
    from sozialraumprozess.storage.postgres import PostgresStore

    return isinstance(store, PostgresStore)


def _open_postgres(url: str, create: bool) -> RunStore:
    from sozialraumprozess.storage.postgres import PostgresStore

    return PostgresStore(url, create=create)


def _no_files(store: RunStore, run_id: str = "") -> Path | None:
    return None


def _upgrade_postgres(url: str) -> tuple[int, int]:
    from sozialraumprozess.storage.postgres import upgrade_store

    return upgrade_store(url)


for _name in ("postgresql", "postgres"):
    register_scheme(
        StoreScheme(
            _name,
            _open_postgres,
            _is_postgres,
            _no_files,
            _no_files,
            whole_url=True,
            upgrade=_upgrade_postgres,
        )
    )
