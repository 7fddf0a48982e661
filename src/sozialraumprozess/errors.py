"""All errors raised by sozialraumprozess.

Every error the library raises on purpose derives from one base class, so an
application can catch them all at once. Each error keeps the data a program
needs as attributes and builds a message a person understands from them;
messages are German by default and English on request.

::

    SozialraumprozessError
    ├── WorkflowError            a workflow file is invalid (carries every Issue)
    │   └── ScenarioError        a scenario file is invalid or one of its steps failed
    ├── UnknownNameError         a role/artifact/phase/... id that the workflow lacks
    │                            (also a KeyError)
    ├── ProcessError             a command on a running process was refused
    │   ├── PermissionDenied     the acting role may not run the command (names who may)
    │   ├── TransitionBlocked    exit criteria unmet (carries every Blocker)
    │   ├── TransitionNotAvailable  no such move from the current phase
    │   ├── InvalidData          submitted data is invalid (carries every FieldProblem)
    │   ├── CommandRejected      a rule of the process forbids the command (code + text)
    │   ├── DefinitionMismatch   process pinned to another workflow id/version/hash
    │   │   └── DefinitionUnavailable  a stored run's pinned definition is not at hand
    │   └── ReplayError          a stored event log cannot be replayed (or read)
    ├── DocumentError            a document cannot be produced (code + text)
    │   └── TemplateRenderError  a template fails: syntax, missing variable, refused
    │                            construct, output too large (names file, line, variable)
    └── StoreError               a store refused to save or load a run
        ├── ConflictError        a stale writer: expected version != stored version
        ├── CorruptRunError      damaged run data (names file and line)
        ├── RunNotFound          no run with this id in the store
        ├── InvalidRunId         a run id with '/', '..', control characters, ...
        ├── NotAStore            a path that is not a store of this library
        └── UnsupportedFormat    a newer (or unknown) on-disk format version
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from attrs import frozen

__all__ = [
    "CommandRejected",
    "ConflictError",
    "CorruptRunError",
    "DefinitionMismatch",
    "DefinitionUnavailable",
    "DocumentError",
    "FieldProblem",
    "InvalidData",
    "InvalidRunId",
    "Issue",
    "NotAStore",
    "PermissionDenied",
    "ProcessError",
    "ReplayError",
    "RunNotFound",
    "ScenarioError",
    "SozialraumprozessError",
    "StoreError",
    "TemplateRenderError",
    "TransitionBlocked",
    "TransitionNotAvailable",
    "UnknownNameError",
    "UnsupportedFormat",
    "WorkflowError",
    "closest",
]

#: Names of the kinds of things a workflow defines, for messages.
KIND_NAMES: dict[str, tuple[str, str, str]] = {
    # kind: (German noun, German "unknown ..." phrase, English noun)
    "role": ("Rolle", "Unbekannte Rolle", "role"),
    "event": ("Veranstaltung", "Unbekannte Veranstaltung", "event"),
    "artifact": ("Artefakt", "Unbekanntes Artefakt", "artifact"),
    "decision": ("Beschluss", "Unbekannter Beschluss", "decision"),
    "phase": ("Phase", "Unbekannte Phase", "phase"),
    "transition": ("Übergang", "Unbekannter Übergang", "transition"),
    "phase_index": ("Phase", "Unbekannte Phase", "phase"),
    "field": ("Feld", "Unbekanntes Feld", "field"),
    "template": ("Vorlage", "Unbekannte Vorlage", "template"),
    "workflow": ("Workflow", "Unbekannter Workflow", "workflow"),
    "scenario": ("Szenario", "Unbekanntes Szenario", "scenario"),
    "variable": ("Variable", "Unbekannte Variable", "variable"),
    "participant": ("Beteiligte(r)", "Unbekannte(r) Beteiligte(r)", "participant"),
    "actor": ("Handelnde(r)", "Weder Rolle noch Beteiligte(r):", "actor (role or participant)"),
}


def kind_name(kind: str, lang: str = "de") -> str:
    """The human name of a kind of definition (``artifact`` → ``Artefakt``)."""
    de, _, en = KIND_NAMES.get(kind, (kind, kind, kind))
    return en if lang == "en" else de


def unknown_phrase(kind: str, lang: str = "de") -> str:
    """``Unbekanntes Artefakt`` / ``Unknown artifact``."""
    _noun, de, en = KIND_NAMES.get(kind, (kind, f"Unbekannt: {kind}", kind))
    return f"Unknown {en}" if lang == "en" else de


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate most similar to ``name``, or ``None`` if none is close."""
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(name: str | None, lang: str = "de") -> str | None:
    """``Meinten Sie 'x'?`` / ``Did you mean 'x'?`` for a suggestion, else ``None``."""
    if name is None:
        return None
    return f"Did you mean '{name}'?" if lang == "en" else f"Meinten Sie '{name}'?"


class SozialraumprozessError(Exception):
    """Base class of every error raised by sozialraumprozess."""


@frozen
class Issue:
    """One problem found in a workflow file, with its position.

    Attributes:
        file: The file name (or ``<dict>`` for data passed in directly).
        line: 1-based line, or ``None`` when the data has no positions.
        column: 1-based column, or ``None``.
        path: Where in the document, e.g. ``phases[3].exit[1].decision``.
        code: A stable machine-readable code, e.g. ``unknown-reference``.
        message_de: The message in German.
        message_en: The message in English.
        hint_de: How to fix it, in German (e.g. ``Meinten Sie 'zielbeschluss'?``).
        hint_en: How to fix it, in English.
        source_line: The text of the offending line, if known.
    """

    file: str
    line: int | None
    column: int | None
    path: str
    code: str
    message_de: str
    message_en: str
    hint_de: str | None = None
    hint_en: str | None = None
    source_line: str | None = None

    def message(self, lang: str = "de") -> str:
        """The message in ``lang`` (``de`` or ``en``)."""
        return self.message_en if lang == "en" else self.message_de

    def hint(self, lang: str = "de") -> str | None:
        """The hint in ``lang`` or ``None``."""
        return self.hint_en if lang == "en" else self.hint_de

    def location(self) -> str:
        """``FILE:LINE:COL`` (or just ``FILE`` without positions)."""
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"

    def format(self, lang: str = "de") -> str:
        """Compiler-style text: ``FILE:LINE:COL: PATH: MESSAGE`` plus the source line."""
        head = f"{self.location()}: "
        if self.path:
            head += f"{self.path}: "
        text = head + self.message(lang)
        hint = self.hint(lang)
        if hint:
            text += f" {hint}"
        if self.source_line is not None and self.column is not None:
            text += f"\n    {self.source_line}\n    {' ' * (self.column - 1)}^"
        return text

    def to_dict(self, lang: str = "de") -> dict[str, Any]:
        """JSON-compatible data.

        Keys: ``file``, ``line``, ``column``, ``path``, ``message``, ``hint``, ``code``.
        """
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message(lang),
            "hint": self.hint(lang),
            "code": self.code,
        }


class WorkflowError(SozialraumprozessError):
    """A workflow file (or dict) is not a valid workflow.

    Carries every problem found, not only the first. ``str(error)`` prints one
    compiler-style entry per issue, in the language the error was created with.

    Attributes:
        issues: The problems, in document order.
        lang: Language of ``str(error)``.
    """

    def __init__(self, issues: Sequence[Issue], lang: str = "de") -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        self.lang = lang
        super().__init__(self.format(lang))

    def format(self, lang: str | None = None) -> str:
        """All issues as compiler-style text in ``lang`` (default: the error's language)."""
        lang = lang or self.lang
        return "\n".join(issue.format(lang) for issue in self.issues)

    def to_json(self, lang: str | None = None) -> str:
        """The issues as a JSON list of objects (see :meth:`Issue.to_dict`)."""
        lang = lang or self.lang
        return json.dumps([i.to_dict(lang) for i in self.issues], ensure_ascii=False, indent=2)

    def __str__(self) -> str:
        return self.format(self.lang)


class ScenarioError(WorkflowError):
    """A scenario file is invalid, or a scenario step did not do what it says.

    Carries issues like :class:`WorkflowError` (file, line, path ``steps[12]``,
    message), so a failing step is reported at its line in the scenario file.
    """


class UnknownNameError(SozialraumprozessError, KeyError):
    """An id that the workflow does not define (a role, artifact, phase, …).

    Attributes:
        kind: What was looked up (``role``, ``artifact``, ``phase``, …).
        name: The unknown id.
        known: The ids that exist.
        suggestion: The closest known id, if any.
    """

    def __init__(self, kind: str, name: str, known: Sequence[str]) -> None:
        self.kind = kind
        self.name = name
        self.known = tuple(known)
        self.suggestion = closest(name, self.known)
        super().__init__(self.message("de"))

    def message(self, lang: str = "de") -> str:
        """The message in ``lang``."""
        text = f"{unknown_phrase(self.kind, lang)} '{self.name}'."
        hint = did_you_mean(self.suggestion, lang)
        if hint:
            text += f" {hint}"
        elif self.known:
            listed = ", ".join(self.known)
            text += f" Known: {listed}." if lang == "en" else f" Bekannt: {listed}."
        return text

    def __str__(self) -> str:
        return self.message("de")


# --------------------------------------------------------------------------- runtime


class _Explained(Protocol):
    def message(self, lang: str = "de") -> str: ...


class ProcessError(SozialraumprozessError):
    """A command on a running process was refused; the process is unchanged.

    Subclasses keep their data as attributes and build German (default) or English
    text with :meth:`message`; ``str(error)`` is German.
    """

    def message(self, lang: str = "de") -> str:
        """The message in ``lang`` (``de`` or ``en``)."""
        return str(self.args[0]) if self.args else type(self).__name__

    def __str__(self) -> str:
        return self.message("de")


def _quoted_list(items: Sequence[str], lang: str) -> str:
    quoted = [f"'{item}'" for item in items]
    if not quoted:
        return "niemand" if lang != "en" else "nobody"
    if len(quoted) == 1:
        return quoted[0]
    joiner = " or " if lang == "en" else " oder "
    return ", ".join(quoted[:-1]) + joiner + quoted[-1]


class PermissionDenied(ProcessError):
    """The acting role may not run this command.

    Attributes:
        actor: Who tried (the ``by=`` value: a role id or a participant name).
        roles: The role ids the actor holds (one for a role, several for a participant).
        command: The command, e.g. ``approve`` or ``submit``.
        subject: What the command is about (``zielkatalog``, a transition id), or ``None``.
        allowed: The role ids that may run it.
    """

    def __init__(
        self,
        actor: str,
        roles: Sequence[str],
        command: str,
        subject: str | None,
        allowed: Sequence[str],
    ) -> None:
        self.actor = actor
        self.roles = tuple(roles)
        self.command = command
        self.subject = subject
        self.allowed = tuple(allowed)
        super().__init__(self.message("de"))

    def message(self, lang: str = "de") -> str:
        """The message in ``lang``."""
        what = self.command if self.subject is None else f"{self.command} {self.subject}"
        if self.roles == (self.actor,):
            who_de = f"Rolle '{self.actor}'"
            who_en = f"role '{self.actor}'"
        else:
            held = ", ".join(self.roles) or "-"
            who_de = f"'{self.actor}' (Rollen: {held})"
            who_en = f"'{self.actor}' (roles: {held})"
        if lang == "en":
            return (
                f"Not permitted: {who_en} may not run '{what}'. "
                f"Allowed: {_quoted_list(self.allowed, 'en')}."
            )
        return (
            f"Nicht erlaubt: {who_de} darf '{what}' nicht ausführen. "
            f"Erlaubt für: {_quoted_list(self.allowed, 'de')}."
        )


class TransitionBlocked(ProcessError):
    """The exit criteria of the current phase (or of a transition) are not met.

    Attributes:
        phase: The current phase id.
        target: The phase the process would have moved to.
        blockers: Every unmet criterion (objects with ``message(lang)``), in order.
    """

    def __init__(self, phase: str, target: str, blockers: Sequence[_Explained]) -> None:
        self.phase = phase
        self.target = target
        self.blockers = tuple(blockers)
        super().__init__(self.message("de"))

    def message(self, lang: str = "de") -> str:
        """The message in ``lang``: a head line and one line per blocker."""
        n = len(self.blockers)
        if lang == "en":
            head = (
                f"Cannot leave phase '{self.phase}' for '{self.target}': "
                f"{n} exit criteri{'on' if n == 1 else 'a'} not met:"
            )
        else:
            head = (
                f"Phase '{self.phase}' kann nicht nach '{self.target}' verlassen werden: "
                f"{n} Abschlusskriteri{'um' if n == 1 else 'en'} nicht erfüllt:"
            )
        return "\n".join([head, *(f"  - {b.message(lang)}" for b in self.blockers)])


class TransitionNotAvailable(ProcessError):
    """There is no such move from the current phase (e.g. ``advance`` from a final phase).

    Attributes:
        phase: The current phase id.
        trigger: The requested move (``advance`` or a transition id).
        available: The moves that exist from ``phase``.
    """

    def __init__(self, phase: str, trigger: str, available: Sequence[str]) -> None:
        self.phase = phase
        self.trigger = trigger
        self.available = tuple(available)
        super().__init__(self.message("de"))

    def message(self, lang: str = "de") -> str:
        """The message in ``lang``."""
        if lang == "en":
            return (
                f"'{self.trigger}' is not possible from phase '{self.phase}'. "
                f"Possible: {_quoted_list(self.available, 'en')}."
            )
        return (
            f"'{self.trigger}' ist aus Phase '{self.phase}' nicht möglich. "
            f"Möglich: {_quoted_list(self.available, 'de')}."
        )


@frozen
class FieldProblem:
    """One invalid field of submitted data.

    Attributes:
        path: Where in the data, e.g. ``ziele[2].prioritaet`` (``""`` for the whole).
        code: A stable code: ``type``, ``min``, ``max``, ``choice``, ``date``,
            ``unknown-field``, ``max-items``, ``cents``, ``required``.
        message_de: What is wrong, in German.
        message_en: What is wrong, in English.
    """

    path: str
    code: str
    message_de: str
    message_en: str

    def message(self, lang: str = "de") -> str:
        """``path: text`` in ``lang``."""
        text = self.message_en if lang == "en" else self.message_de
        return f"{self.path}: {text}" if self.path else text


class InvalidData(ProcessError):
    """Data given to a command is invalid; every invalid field is named by its path.

    Attributes:
        kind: What the data is for (``artifact``, ``decision``, ``event``, ``process``,
            ``participant``).
        subject: Its id (``zielkatalog``) or name.
        problems: Every problem found, in data order.
    """

    def __init__(self, kind: str, subject: str, problems: Sequence[FieldProblem]) -> None:
        self.kind = kind
        self.subject = subject
        self.problems = tuple(problems)
        super().__init__(self.message("de"))

    @property
    def paths(self) -> tuple[str, ...]:
        """The paths of the invalid fields."""
        return tuple(p.path for p in self.problems)

    def message(self, lang: str = "de") -> str:
        """The message in ``lang``: a head line and one line per problem."""
        noun = kind_name(self.kind, lang)
        if lang == "en":
            head = f"Invalid data for {noun} '{self.subject}':"
        else:
            head = f"Ungültige Daten für {noun} '{self.subject}':"
        return "\n".join([head, *(f"  - {p.message(lang)}" for p in self.problems)])


class CommandRejected(ProcessError):
    """A rule of the process forbids the command now (not a matter of roles or data).

    Examples: submitting an artifact that the current phase does not produce,
    approving an artifact twice, a backward transition without a reason.

    Attributes:
        code: A stable machine-readable code (``not-in-phase``, ``reason-required`` …).
        message_de: The message in German.
        message_en: The message in English.
    """

    def __init__(self, code: str, message_de: str, message_en: str) -> None:
        self.code = code
        self.message_de = message_de
        self.message_en = message_en
        super().__init__(message_de)

    def message(self, lang: str = "de") -> str:
        """The message in ``lang``."""
        return self.message_en if lang == "en" else self.message_de


class DefinitionMismatch(ProcessError):
    """A process is pinned to another workflow definition than the one given.

    Attributes:
        expected: ``(id, version, content_hash)`` the process was started with.
        actual: ``(id, version, content_hash)`` of the workflow passed in.
    """

    def __init__(self, expected: tuple[str, str, str], actual: tuple[str, str, str]) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(self.message("de"))

    def message(self, lang: str = "de") -> str:
        """The message in ``lang``, naming both definitions."""
        pinned = "{} {} ({})".format(*self.expected)
        given = "{} {} ({})".format(*self.actual)
        if lang == "en":
            return (
                f"The process is pinned to workflow {pinned}, but {given} was given. "
                "Migrating a process to another definition is not supported yet."
            )
        return (
            f"Der Prozess ist an den Workflow {pinned} gebunden, übergeben wurde {given}. "
            "Eine Migration auf eine andere Definition wird noch nicht unterstützt."
        )


class DefinitionUnavailable(DefinitionMismatch):
    """A stored run cannot be loaded: the definition it is pinned to is not at hand.

    The store holds no copy of it, and the resolver (by default the bundled
    workflows) offers none or another version. Pass the definition explicitly
    (``open_run(store, run_id, workflow=load_workflow("file.yaml"))``) or keep a
    copy in the store once (``store.put_definition(workflow)``).

    Attributes:
        expected: ``(id, version, content_hash)`` the run is pinned to.
        actual: ``(id, version, content_hash)`` the resolver offered instead, or
            ``("", "", "")`` if it offered none.
        offered: Like ``actual``, but ``None`` if the resolver offered none.
        run_id: The run.
        store: Where it is stored (a folder or database path).
    """

    def __init__(
        self,
        expected: tuple[str, str, str],
        offered: tuple[str, str, str] | None,
        *,
        run_id: str,
        store: str,
    ) -> None:
        self.offered = offered
        self.run_id = run_id
        self.store = store
        super().__init__(expected, offered if offered is not None else ("", "", ""))

    def message(self, lang: str = "de") -> str:
        """The message in ``lang``: which definition is needed and how to provide it."""
        wid, version, content_hash = self.expected
        pinned = f"{wid} {version} ({content_hash})"
        offered = "{} {} ({})".format(*self.offered) if self.offered is not None else None
        call = f'open_run(store, {self.run_id!r}, workflow=load_workflow("….yaml"))'
        if lang == "en":
            found = (
                f"the resolver offers {offered} instead"
                if offered is not None
                else f"no workflow with id {wid!r} is available"
            )
            return (
                f"Run {self.run_id!r} in {self.store} is pinned to workflow {pinned}. The "
                f"store holds no copy of this definition and {found}. Load it with that "
                f"definition: {call} (the file of {wid} version {version} with exactly this "
                "content); store.put_definition(workflow) keeps a copy for next time."
            )
        found = (
            f"angeboten wird stattdessen {offered}"
            if offered is not None
            else f"es gibt keinen Workflow mit der Id {wid!r}"
        )
        return (
            f"Der Lauf {self.run_id!r} in {self.store} ist an den Workflow {pinned} "
            f"gebunden. Der Speicher enthält keine Kopie dieser Definition, und {found}. "
            f"Mit dieser Definition laden: {call} (die Datei von {wid} Version {version} "
            "mit genau diesem Inhalt); store.put_definition(workflow) bewahrt eine Kopie "
            "für das nächste Mal auf."
        )


class ReplayError(ProcessError):
    """A stored event log or process file cannot be read or replayed.

    Attributes:
        seq: Sequence number of the offending event, or ``None`` for the file as a whole.
        message_de: What is wrong, in German.
        message_en: What is wrong, in English.
    """

    def __init__(self, seq: int | None, message_de: str, message_en: str) -> None:
        self.seq = seq
        self.message_de = message_de
        self.message_en = message_en
        super().__init__(message_de)

    def message(self, lang: str = "de") -> str:
        """The message in ``lang``."""
        if lang == "en":
            return self.message_en if self.seq is None else f"Event {self.seq}: {self.message_en}"
        return self.message_de if self.seq is None else f"Ereignis {self.seq}: {self.message_de}"


# --------------------------------------------------------------------------- storage


class StoreError(SozialraumprozessError):
    """A store refused to save or load a run; nothing was changed.

    Subclasses keep their data as attributes and build German (default) or English
    text with :meth:`message`; ``str(error)`` is German.
    """

    def message(self, lang: str = "de") -> str:
        """The message in ``lang`` (``de`` or ``en``)."""
        return str(self.args[0]) if self.args else type(self).__name__

    def __str__(self) -> str:
        return self.message("de")


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


# --------------------------------------------------------------------------- documents


class DocumentError(SozialraumprozessError):
    """A document cannot be produced (no such version, template missing, bad option).

    Attributes:
        code: A stable machine-readable code (``no-version``, ``template-not-found`` …).
        message_de: The message in German.
        message_en: The message in English.
    """

    def __init__(self, code: str, message_de: str, message_en: str) -> None:
        self.code = code
        self.message_de = message_de
        self.message_en = message_en
        super().__init__(message_de)

    def message(self, lang: str = "de") -> str:
        """The message in ``lang`` (``de`` or ``en``)."""
        return self.message_en if lang == "en" else self.message_de

    def __str__(self) -> str:
        return self.message("de")


_TEMPLATE_TEXTS: dict[str, tuple[str, str]] = {
    "syntax": ("Syntaxfehler in der Vorlage", "syntax error in the template"),
    "undefined": ("Unbekannte Variable{name}", "undefined variable{name}"),
    "security": (
        "Nicht erlaubter Zugriff{name} in der Vorlage",
        "access{name} not allowed in templates",
    ),
    "too-large": ("Das Dokument ist zu groß", "the document is too large"),
    "template-too-large": ("Die Vorlage ist zu groß", "the template is too large"),
    "error": ("Fehler beim Ausfüllen der Vorlage", "error while rendering the template"),
}


class TemplateRenderError(DocumentError):
    """A template cannot be compiled or rendered; names the file, line and variable.

    Attributes:
        code: ``syntax``, ``undefined``, ``security``, ``too-large``,
            ``template-too-large`` or ``error``.
        template: The template file name (as the loader knows it) or ``<string>``.
        line: 1-based line in the template, or ``None`` if unknown.
        variable: The missing variable or refused name, or ``None``.
        detail: The underlying message (from Jinja or our checks), untranslated.
    """

    def __init__(
        self,
        code: str,
        template: str,
        line: int | None,
        detail: str,
        variable: str | None = None,
    ) -> None:
        self.template = template
        self.line = line
        self.variable = variable
        self.detail = detail
        where = template if line is None else f"{template}:{line}"
        de, en = _TEMPLATE_TEXTS.get(code, _TEMPLATE_TEXTS["error"])
        name = f" '{variable}'" if variable else ""
        super().__init__(
            code,
            f"{where}: {de.format(name=name)} ({detail})",
            f"{where}: {en.format(name=name)} ({detail})",
        )
