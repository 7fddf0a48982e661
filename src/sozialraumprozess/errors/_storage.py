"""Errors of the stores: conflicts, damaged runs, unknown ids and formats.

Their texts come from the message catalogs (codes ``store.*``); the reasons a
store gives (why a run is damaged, why a path is no store, why an id is invalid)
are catalog messages too.
"""

from __future__ import annotations

from sozialraumprozess.errors._base import SozialraumprozessError
from sozialraumprozess.i18n import Lang, Message, check_lang, msg, plural

__all__ = [
    "AttachmentRefused",
    "ConflictError",
    "ConflictRetriesExhausted",
    "CorruptRunError",
    "InvalidRunId",
    "NotAStore",
    "RunNotFound",
    "StoreError",
    "StoreLinkRefused",
    "StoreUnavailable",
    "StoreUnwritable",
    "StoreUpgradeNeeded",
    "UnsupportedFormat",
]


class _Texts:
    """A German/English text pair given by a caller that has no catalog message.

    Kept so that code written against the old ``(…, text_de, text_en)`` signatures
    (a store of one's own) still works; the library's own stores pass messages.
    """

    def __init__(self, de: str, en: str) -> None:
        self.de = de
        self.en = en

    def get(self, lang: Lang = "de") -> str:
        return self.en if lang == "en" else self.de


def _reason(reason: Message | str, reason_en: str | None) -> Message | _Texts:
    if isinstance(reason, Message):
        return reason
    return _Texts(reason, reason if reason_en is None else reason_en)


def _text(reason: Message | _Texts, lang: Lang) -> str:
    return reason.text(lang) if isinstance(reason, Message) else reason.get(lang)


class StoreError(SozialraumprozessError):
    """A store refused to save or load a run; nothing was changed.

    Subclasses keep their data as attributes; :meth:`message` words them in
    German (default), English or any language with a catalog; ``str(error)`` is
    German.
    """


class AttachmentRefused(StoreError):
    """A store refused a file attachment (format v2 ``file`` fields); nothing was stored.

    Attributes:
        code: ``attachment-empty``, ``attachment-too-large``, ``attachment-type``
            (the type is not allowed) or ``attachment-content`` (the content is not
            what the name says, e.g. a ``.pdf`` that is no PDF).
        name: The file name given.
    """

    def __init__(self, code: str, name: str, message: Message) -> None:
        self.name = name
        super().__init__(message)
        self.code = code


class ConflictError(StoreError):
    """A stale writer: the run's stored version is not the one the writer expected.

    Raised instead of overwriting. Reload the run, apply the command again, save.

    Attributes:
        run_id: The run.
        expected: The version (number of events) the writer based its change on.
        actual: The version found in the store.
    """

    def __init__(self, run_id: str, expected: int, actual: int) -> None:
        self.run_id = run_id
        self.expected = expected
        self.actual = actual
        if expected == 0:
            super().__init__(msg("store.run-exists", run_id=run_id, actual=actual))
        else:
            super().__init__(msg("store.conflict", run_id=run_id, expected=expected, actual=actual))


class ConflictRetriesExhausted(ConflictError):
    """A command met a conflict on every one of its attempts and gave up.

    Raised by :meth:`sozialraumprozess.app.Service.update` after reloading the run
    and running the command again ``attempts`` times; nothing of the command was
    stored. Also a :class:`ConflictError` (the last conflict).

    Attributes:
        attempts: How often the command was tried.
    """

    def __init__(self, run_id: str, expected: int, actual: int, attempts: int) -> None:
        self.attempts = attempts
        super().__init__(run_id, expected, actual)
        self.msg = plural("store.conflict-retries-exhausted", attempts, run_id=run_id)
        self.code = self.msg.code

    def message(self, lang: Lang = "de") -> str:
        """The message in ``lang``."""
        check_lang(lang)
        return plural("store.conflict-retries-exhausted", self.attempts, run_id=self.run_id).text(
            lang
        )


class CorruptRunError(StoreError):
    """Stored run data is damaged; nothing was loaded partially and nothing changed.

    Args:
        path: The damaged file (or database, with table and row).
        line: 1-based line in ``path``, or ``None``.
        reason: What is wrong (a catalog message; a German text with ``reason_en``
            is accepted too).
        reason_en: The English text when ``reason`` is a German text.

    Attributes:
        path: The damaged file (or database).
        line: 1-based line in ``path``, or ``None`` for the file as a whole.
        reason: What is wrong (a :class:`~sozialraumprozess.i18n.Message`).
        message_de: What is wrong, in German (from ``reason``).
        message_en: What is wrong, in English (from ``reason``).
    """

    def __init__(
        self, path: str, line: int | None, reason: Message | str, reason_en: str | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.reason = _reason(reason, reason_en)
        super().__init__(msg("store.corrupt", location=self.location(), reason=self.reason))

    @property
    def message_de(self) -> str:
        """What is wrong, in German (without the location)."""
        return _text(self.reason, "de")

    @property
    def message_en(self) -> str:
        """What is wrong, in English (without the location)."""
        return _text(self.reason, "en")

    def location(self) -> str:
        """``PATH:LINE`` (or just ``PATH``)."""
        return self.path if self.line is None else f"{self.path}:{self.line}"


class RunNotFound(StoreError):
    """There is no run with this id in the store.

    Attributes:
        run_id: The id asked for.
        store: Where it was looked for (a folder or database path).
    """

    def __init__(self, run_id: str, store: str) -> None:
        self.run_id = run_id
        self.store = store
        super().__init__(msg("store.run-not-found", run_id=run_id, store=store))


class InvalidRunId(StoreError, ValueError):
    """A run id that cannot be used as a name (also a ``ValueError``).

    Run ids are 1–128 characters, not ``.`` or ``..``, not starting with ``.``,
    without ``/``, ``\\``, NUL or other control characters.

    Attributes:
        run_id: The rejected id (as given).
        reason: Why (a :class:`~sozialraumprozess.i18n.Message`).
        reason_de: Why, in German (from ``reason``).
        reason_en: Why, in English (from ``reason``).
    """

    def __init__(self, run_id: object, reason: Message | str, reason_en: str | None = None) -> None:
        self.run_id = run_id
        self.reason = _reason(reason, reason_en)
        super().__init__(msg("store.invalid-run-id", id=repr(run_id), reason=self.reason))

    @property
    def reason_de(self) -> str:
        """Why, in German."""
        return _text(self.reason, "de")

    @property
    def reason_en(self) -> str:
        """Why, in English."""
        return _text(self.reason, "en")


class NotAStore(StoreError):
    """A path that is not a store of this library (and was left untouched).

    Attributes:
        path: The path given.
        reason: Why not (a :class:`~sozialraumprozess.i18n.Message`).
        reason_de: Why not, in German (from ``reason``).
        reason_en: Why not, in English (from ``reason``).
    """

    def __init__(self, path: str, reason: Message | str, reason_en: str | None = None) -> None:
        self.path = path
        self.reason = _reason(reason, reason_en)
        super().__init__(msg("store.not-a-store", path=path, reason=self.reason))

    @property
    def reason_de(self) -> str:
        """Why not, in German."""
        return _text(self.reason, "de")

    @property
    def reason_en(self) -> str:
        """Why not, in English."""
        return _text(self.reason, "en")


class UnsupportedFormat(StoreError):
    """Stored data in a format (version) this library cannot read.

    Attributes:
        path: The file or database.
        found: The format found (e.g. ``sozialraumprozess-folder-run/7`` or ``7``).
        supported: The format this library reads (the newest it knows).
    """

    def __init__(self, path: str, found: str, supported: str) -> None:
        self.path = path
        self.found = found
        self.supported = supported
        super().__init__(
            msg("store.unsupported-format", path=path, found=repr(found), supported=repr(supported))
        )


class StoreUnwritable(StoreError):
    """The store cannot be written (full disk, read-only file system or file, no
    permission, an I/O error).

    Raised before anything of the command is durable (nothing was stored), or,
    with ``unknown`` set, when the store cannot tell whether it was (an ``fsync``
    failed after the write): retry with the same idempotency key, which applies
    the command at most once.

    Attributes:
        path: The file or folder that could not be written.
        reason: The operating system's words (``No space left on device`` …).
        errno: The error number (``errno.ENOSPC`` …), or ``None``.
        unknown: True if the change may have been stored.
    """

    def __init__(
        self, path: str, reason: str, errno: int | None = None, *, unknown: bool = False
    ) -> None:
        self.path = path
        self.reason = reason
        self.errno = errno
        self.unknown = unknown
        if unknown:
            super().__init__(msg("chain.unwritable-unknown", path=path, reason=reason))
        else:
            super().__init__(msg("chain.unwritable", path=path, reason=reason))


class StoreLinkRefused(StoreError):
    """A path inside a store is a symbolic link (or leads out of the store): refused.

    Stores never follow links inside themselves, so nothing is read from or
    written to a place the store's owner did not choose.

    Attributes:
        path: The link (or the path that leads outside).
        store: The store's folder.
    """

    def __init__(self, path: str, store: str) -> None:
        self.path = path
        self.store = store
        super().__init__(msg("chain.link-refused", path=path, store=store))


class StoreUnavailable(StoreError):
    """A store on a server could not be reached or used (nothing was written).

    Raised for a server that does not answer, wrong credentials, a missing
    database, and a connection that broke during a command. For a broken write,
    :attr:`committed` says what became of it: ``False`` — nothing was stored
    (run the command again); ``None`` — the store could not be asked afterwards, so
    the command may or may not have been stored (look before running it again).
    A write that broke *after* it was committed is not an error: the store
    returns normally.

    Attributes:
        location: The store (its URL without the password).
        reason: Why (a :class:`~sozialraumprozess.i18n.Message`).
        committed: For a write that broke: ``False`` or ``None`` (see above);
            ``False`` for everything else (nothing was written).
    """

    def __init__(self, location: str, reason: Message, *, committed: bool | None = False) -> None:
        self.location = location
        self.reason = reason
        self.committed = committed
        super().__init__(msg("store.unavailable", location=location, reason=reason))


class StoreUpgradeNeeded(StoreError):
    """The store's schema is older than this library's: it needs an explicit upgrade.

    A running application never upgrades a schema by itself (other servers may still
    run the older library); ``sozialraum store upgrade --store URL`` does, after a
    backup. Nothing was written.

    Attributes:
        location: The store (its URL without the password).
        found: The schema version of the store.
        needed: The schema version this library reads.
    """

    def __init__(self, location: str, found: int, needed: int) -> None:
        self.location = location
        self.found = found
        self.needed = needed
        super().__init__(msg("store.upgrade-needed", location=location, found=found, needed=needed))
