"""Errors of running processes: refused commands, blocked gates, pinned definitions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from attrs import frozen

from sozialraumprozess.errors._base import SozialraumprozessError, kind_name
from sozialraumprozess.i18n import check_lang, plural

__all__ = [
    "CommandRejected",
    "DefinitionMismatch",
    "DefinitionUnavailable",
    "FieldProblem",
    "InvalidData",
    "PermissionDenied",
    "ProcessError",
    "ReplayError",
    "TransitionBlocked",
    "TransitionNotAvailable",
]


class _Explained(Protocol):
    def message(self, lang: str = "de") -> str: ...


class ProcessError(SozialraumprozessError):
    """A command on a running process was refused; the process is unchanged.

    Subclasses keep their data as attributes and build German (default) or English
    text with :meth:`message`; ``str(error)`` is German.
    """


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

    def message(self, lang: str = "de", *, roles: bool = False) -> str:
        """The message in ``lang``: a head line and one line per blocker.

        With ``roles``, each blocker line ends with the role that owns it (``[kommune]``).
        """
        check_lang(lang)
        head = plural(
            "process.transition-blocked", len(self.blockers), phase=self.phase, target=self.target
        )
        lines = [head.text(lang)]
        for blocker in self.blockers:
            role = getattr(blocker, "role", None) if roles else None
            lines.append(f"  - {blocker.message(lang)}" + (f" [{role}]" if role else ""))
        return "\n".join(lines)


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
