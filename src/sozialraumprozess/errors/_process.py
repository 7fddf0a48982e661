"""Errors of running processes: refused commands, blocked gates, pinned definitions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from attrs import field, frozen

from sozialraumprozess.errors._base import SozialraumprozessError, kind_name
from sozialraumprozess.i18n import Lang, Message, check_lang, msg, plural

if TYPE_CHECKING:  # Blocker is built by the gate kinds, which import this module
    from sozialraumprozess.definition.kinds import Blocker
    from sozialraumprozess.runtime.migration import MigrationReport

__all__ = [
    "CommandRejected",
    "DefinitionMismatch",
    "DefinitionUnavailable",
    "FieldProblem",
    "InvalidData",
    "MigrationBlocked",
    "PermissionDenied",
    "ProcessError",
    "ReplayError",
    "TransitionBlocked",
    "TransitionNotAvailable",
]


class ProcessError(SozialraumprozessError):
    """A command on a running process was refused; the process is unchanged.

    Subclasses keep their data as attributes and a catalog message built from
    it; :meth:`message` words it in German (default), English or any language
    with a catalog; ``str(error)`` is German.
    """


def _quoted_list(items: Sequence[str]) -> Message | str:
    """``'a', 'b' oder 'c'`` / ``'a', 'b' or 'c'`` (``niemand`` / ``nobody`` for none)."""
    quoted = [f"'{item}'" for item in items]
    if not quoted:
        return msg("runtime.nobody")
    if len(quoted) == 1:
        return quoted[0]
    return msg("runtime.list-or", head=", ".join(quoted[:-1]), last=quoted[-1])


def _text(message: Message | str, other: str | None, lang: Lang) -> str:
    if isinstance(message, Message):
        return message.text(lang)
    return other if (lang == "en" and other is not None) else message


class PermissionDenied(ProcessError):
    """The acting role may not run this command.

    Attributes:
        actor: Who tried (the ``by=`` value: a role id or a participant name).
        roles: The role ids the actor holds (one for a role, several for a participant).
        command: The command, e.g. ``approve`` or ``submit``.
        subject: What the command is about (``zielkatalog``, a transition id), or ``None``.
        allowed: The role ids that may run it.
    """

    code = "runtime.permission-denied"

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
        what = command if subject is None else f"{command} {subject}"
        if self.roles == (actor,):
            who = msg("runtime.who-role", actor=actor)
        else:
            who = msg("runtime.who-participant", actor=actor, held=", ".join(self.roles) or "-")
        if command == "set_participant" and subject is not None:
            message = msg(
                "people.appoint-denied", who=who, role=subject, allowed=_quoted_list(self.allowed)
            )
        else:
            message = msg(
                "runtime.permission-denied", who=who, what=what, allowed=_quoted_list(self.allowed)
            )
        super().__init__(message)


class TransitionBlocked(ProcessError):
    """The exit criteria of the current phase (or of a transition) are not met.

    Attributes:
        phase: The current phase id.
        target: The phase the process would have moved to.
        blockers: Every unmet criterion (:class:`~sozialraumprozess.Blocker`), in order.
    """

    def __init__(self, phase: str, target: str, blockers: Sequence[Blocker]) -> None:
        self.phase = phase
        self.target = target
        self.blockers: tuple[Blocker, ...] = tuple(blockers)
        super().__init__(self.message("de"))

    def message(self, lang: Lang = "de", *, roles: bool = False) -> str:
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


class MigrationBlocked(ProcessError):
    """A migration to a revised workflow was refused: its report has blocking findings.

    Attributes:
        report: The whole compatibility report
            (:class:`~sozialraumprozess.runtime.migration.MigrationReport`).
    """

    code = "runtime.migration-blocked"

    def __init__(self, report: MigrationReport) -> None:
        self.report = report
        super().__init__(self.message("de"))

    def message(self, lang: Lang = "de") -> str:
        """A head line and one line per blocking finding, in ``lang``."""
        check_lang(lang)
        blocking = [f for f in self.report.findings if f.level == "blocks"]
        head = plural(
            "runtime.migration-blocked", len(blocking), version=self.report.target.version
        )
        return "\n".join([head.text(lang), *(f"  - {f.message.text(lang)}" for f in blocking)])


class TransitionNotAvailable(ProcessError):
    """There is no such move from the current phase (e.g. ``advance`` from a final phase).

    Attributes:
        phase: The current phase id.
        trigger: The requested move (``advance`` or a transition id).
        available: The moves that exist from ``phase``.
    """

    code = "runtime.not-available"

    def __init__(self, phase: str, trigger: str, available: Sequence[str]) -> None:
        self.phase = phase
        self.trigger = trigger
        self.available = tuple(available)
        super().__init__(
            msg(
                "runtime.not-available",
                trigger=trigger,
                phase=phase,
                available=_quoted_list(self.available),
            )
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
    #: The catalog message, when the problem was made from one (:meth:`of`).
    msg: Message | None = field(default=None, eq=False, repr=False)

    @classmethod
    def of(cls, path: str, code: str, message: Message) -> FieldProblem:
        """A problem worded by a catalog message (any language with a catalog)."""
        return cls(path, code, message.text("de"), message.text("en"), message)

    def message(self, lang: Lang = "de") -> str:
        """``path: text`` in ``lang``.

        Raises:
            ValueError: ``lang`` has no catalog.
        """
        check_lang(lang)
        if self.msg is not None:
            text = self.msg.text(lang)
        else:
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

    code = "runtime.invalid-data"

    def __init__(self, kind: str, subject: str, problems: Sequence[FieldProblem]) -> None:
        self.kind = kind
        self.subject = subject
        self.problems = tuple(problems)
        super().__init__(msg("runtime.invalid-data", noun=_KindName(kind), subject=subject))

    @property
    def paths(self) -> tuple[str, ...]:
        """The paths of the invalid fields."""
        return tuple(p.path for p in self.problems)

    def message(self, lang: Lang = "de") -> str:
        """The message in ``lang``: a head line and one line per problem.

        Raises:
            ValueError: ``lang`` has no catalog.
        """
        head = super().message(lang)
        return "\n".join([head, *(f"  - {p.message(lang)}" for p in self.problems)])


class _KindName:
    """A kind of definition (``artifact``) worded in the language asked for."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def get(self, lang: Lang = "de") -> str:
        return kind_name(self.kind, lang)


class CommandRejected(ProcessError):
    """A rule of the process forbids the command now (not a matter of roles or data).

    Examples: submitting an artifact that the current phase does not produce,
    approving an artifact twice, a backward transition without a reason.

    Args:
        code: The stable code.
        message: A catalog message (or, the older form, the German text followed
            by the English one as ``message_en``).

    Attributes:
        code: A stable machine-readable code (``not-in-phase``, ``reason-required`` …).
        message_de: The message in German.
        message_en: The message in English.
    """

    def __init__(self, code: str, message: Message | str, message_en: str | None = None) -> None:
        self.code = code
        self._texts = (message, message_en)
        super().__init__(message if isinstance(message, Message) else None)

    @property
    def message_de(self) -> str:
        """The message in German."""
        return self.message("de")

    @property
    def message_en(self) -> str:
        """The message in English."""
        return self.message("en")

    def message(self, lang: Lang = "de") -> str:
        """The message in ``lang``.

        Raises:
            ValueError: ``lang`` has no catalog.
        """
        check_lang(lang)
        return _text(*self._texts, lang)


class DefinitionMismatch(ProcessError):
    """A process is pinned to another workflow definition than the one given.

    Attributes:
        expected: ``(id, version, content_hash)`` the process was started with.
        actual: ``(id, version, content_hash)`` of the workflow passed in.
    """

    code = "runtime.definition-mismatch"

    def __init__(self, expected: tuple[str, str, str], actual: tuple[str, str, str]) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(self._message())

    def _message(self) -> Message:
        return msg(
            "runtime.definition-mismatch",
            pinned="{} {} ({})".format(*self.expected),
            given="{} {} ({})".format(*self.actual),
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

    code = "runtime.definition-unavailable"

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

    def _message(self) -> Message:
        wid, version, content_hash = self.expected
        if self.offered is not None:
            found = msg("runtime.definition-offered", offered="{} {} ({})".format(*self.offered))
        else:
            found = msg("runtime.definition-none", wid=repr(wid))
        pinned = f"{wid} {version} ({content_hash})"
        call = f'open_run(store, {self.run_id!r}, workflow=load_workflow("….yaml"))'
        return msg(
            "runtime.definition-unavailable",
            run_id=repr(self.run_id),
            store=self.store,
            pinned=pinned,
            found=found,
            call=call,
            wid=wid,
            version=version,
        )


class ReplayError(ProcessError):
    """A stored event log or process file cannot be read or replayed.

    Args:
        seq: See below.
        message: A catalog message (or, the older form, the German text followed
            by the English one as ``message_en``).

    Attributes:
        seq: Sequence number of the offending event, or ``None`` for the file as a whole.
        message_de: What is wrong, in German (without the event number).
        message_en: What is wrong, in English.
    """

    code = "runtime.replay"

    def __init__(
        self, seq: int | None, message: Message | str, message_en: str | None = None
    ) -> None:
        self.seq = seq
        self._texts = (message, message_en)
        super().__init__(message if isinstance(message, Message) else None)
        if isinstance(message, Message):
            self.code = message.code

    @property
    def message_de(self) -> str:
        """What is wrong, in German (without the event number)."""
        return _text(*self._texts, "de")

    @property
    def message_en(self) -> str:
        """What is wrong, in English (without the event number)."""
        return _text(*self._texts, "en")

    def message(self, lang: Lang = "de") -> str:
        """The message in ``lang`` (``Ereignis 3: …`` / ``Event 3: …``).

        Raises:
            ValueError: ``lang`` has no catalog.
        """
        check_lang(lang)
        text = _text(*self._texts, lang)
        if self.seq is None:
            return text
        return msg("runtime.replay.at-event", seq=self.seq, text=text).text(lang)
