"""Errors of the stores: conflicts, damaged runs, unknown ids and formats."""

from __future__ import annotations

from sozialraumprozess.errors._base import SozialraumprozessError
from sozialraumprozess.i18n import check_lang, plural

__all__ = [
    "ConflictError",
    "ConflictRetriesExhausted",
    "CorruptRunError",
    "InvalidRunId",
    "NotAStore",
    "RunNotFound",
    "StoreError",
    "UnsupportedFormat",
]


class StoreError(SozialraumprozessError):
    """A store refused to save or load a run; nothing was changed.

    Subclasses keep their data as attributes and build German (default) or English
    text with :meth:`message`; ``str(error)`` is German.
    """


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
        super().__init__(self.message("de"))

    def message(self, lang: str = "de") -> str:
        """The message in ``lang``."""
        if self.expected == 0:
            if lang == "en":
                return f"Run '{self.run_id}' already exists (version {self.actual})."
            return f"Lauf '{self.run_id}' existiert bereits (Version {self.actual})."
        if lang == "en":
            return (
                f"Conflict on run '{self.run_id}': expected version {self.expected}, "
                f"but the store has version {self.actual}. Reload the run and try again."
            )
        return (
            f"Konflikt bei Lauf '{self.run_id}': erwartet wurde Version {self.expected}, "
            f"gespeichert ist Version {self.actual}. Lauf neu laden und erneut versuchen."
        )


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

    def message(self, lang: str = "de") -> str:
        """The message in ``lang``."""
        check_lang(lang)
        return plural("store.conflict-retries-exhausted", self.attempts, run_id=self.run_id).text(
            lang
        )


class CorruptRunError(StoreError):
    """Stored run data is damaged; nothing was loaded partially and nothing changed.

    Attributes:
        path: The damaged file (or database).
        line: 1-based line in ``path``, or ``None`` for the file as a whole.
        message_de: What is wrong, in German.
        message_en: What is wrong, in English.
    """

    def __init__(self, path: str, line: int | None, message_de: str, message_en: str) -> None:
        self.path = path
        self.line = line
        self.message_de = message_de
        self.message_en = message_en
        super().__init__(self.message("de"))

    def location(self) -> str:
        """``PATH:LINE`` (or just ``PATH``)."""
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def message(self, lang: str = "de") -> str:
        """``PATH:LINE: text`` in ``lang``."""
        text = self.message_en if lang == "en" else self.message_de
        return f"{self.location()}: {text}"


class RunNotFound(StoreError):
    """There is no run with this id in the store.

    Attributes:
        run_id: The id asked for.
        store: Where it was looked for (a folder or database path).
    """

    def __init__(self, run_id: str, store: str) -> None:
        self.run_id = run_id
        self.store = store
        super().__init__(self.message("de"))

    def message(self, lang: str = "de") -> str:
        """The message in ``lang``."""
        if lang == "en":
            return f"No run '{self.run_id}' in store {self.store}."
        return f"Kein Lauf '{self.run_id}' im Speicher {self.store}."


class InvalidRunId(StoreError, ValueError):
    """A run id that cannot be used as a name (also a ``ValueError``).

    Run ids are 1–128 characters, not ``.`` or ``..``, not starting with ``.``,
    without ``/``, ``\\``, NUL or other control characters.

    Attributes:
        run_id: The rejected id (as given).
        reason_de: Why, in German.
        reason_en: Why, in English.
    """

    def __init__(self, run_id: object, reason_de: str, reason_en: str) -> None:
        self.run_id = run_id
        self.reason_de = reason_de
        self.reason_en = reason_en
        super().__init__(self.message("de"))

    def message(self, lang: str = "de") -> str:
        """The message in ``lang``."""
        if lang == "en":
            return f"Invalid run id {self.run_id!r}: {self.reason_en}."
        return f"Ungültige Lauf-Kennung {self.run_id!r}: {self.reason_de}."


class NotAStore(StoreError):
    """A path that is not a store of this library (and was left untouched).

    Attributes:
        path: The path given.
        reason_de: Why not, in German.
        reason_en: Why not, in English.
    """

    def __init__(self, path: str, reason_de: str, reason_en: str) -> None:
        self.path = path
        self.reason_de = reason_de
        self.reason_en = reason_en
        super().__init__(self.message("de"))

    def message(self, lang: str = "de") -> str:
        """The message in ``lang``."""
        if lang == "en":
            return f"{self.path} is not a sozialraumprozess store: {self.reason_en}."
        return f"{self.path} ist kein sozialraumprozess-Speicher: {self.reason_de}."


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
        super().__init__(self.message("de"))

    def message(self, lang: str = "de") -> str:
        """The message in ``lang``, naming both versions."""
        if lang == "en":
            return (
                f"{self.path} has format {self.found!r}; this version of sozialraumprozess "
                f"reads {self.supported!r} (and older). Update sozialraumprozess to read it."
            )
        return (
            f"{self.path} hat das Format {self.found!r}; diese Version von "
            f"sozialraumprozess liest {self.supported!r} (und ältere). "
            "Zum Lesen sozialraumprozess aktualisieren."
        )
