"""The base of the error hierarchy, workflow-file errors and the message helpers."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from attrs import frozen

from sozialraumprozess.i18n import Lang, Message, check_lang, msg

__all__ = [
    "KIND_NAMES",
    "Issue",
    "IssueReport",
    "ScenarioError",
    "SozialraumprozessError",
    "UnknownNameError",
    "WorkflowError",
    "closest",
    "did_you_mean",
    "did_you_mean_message",
    "kind_message",
    "kind_name",
    "unknown_message",
    "unknown_phrase",
]

#: Names of the kinds of things a workflow defines, for messages:
#: ``kind: (noun, "unknown ..." phrase)``, both catalog messages.
KIND_NAMES: dict[str, tuple[Message, Message]] = {
    "role": (msg("name.kind-role"), msg("name.unknown-role")),
    "event": (msg("name.kind-event"), msg("name.unknown-event")),
    "artifact": (msg("name.kind-artifact"), msg("name.unknown-artifact")),
    "decision": (msg("name.kind-decision"), msg("name.unknown-decision")),
    "phase": (msg("name.kind-phase"), msg("name.unknown-phase")),
    "transition": (msg("name.kind-transition"), msg("name.unknown-transition")),
    "phase_index": (msg("name.kind-phase"), msg("name.unknown-phase")),
    "field": (msg("name.kind-field"), msg("name.unknown-field")),
    "template": (msg("name.kind-template"), msg("name.unknown-template")),
    "workflow": (msg("name.kind-workflow"), msg("name.unknown-workflow")),
    "scenario": (msg("name.kind-scenario"), msg("name.unknown-scenario")),
    "variable": (msg("name.kind-variable"), msg("name.unknown-variable")),
    "participant": (msg("name.kind-participant"), msg("name.unknown-participant")),
    "actor": (msg("name.kind-actor"), msg("name.unknown-actor")),
    "indicator": (msg("indicators.kind"), msg("indicators.unknown")),
    "sozialraum": (msg("sozialraum.kind"), msg("sozialraum.unknown")),
    "target_group": (
        msg("participation.kind-target-group"),
        msg("participation.unknown-target-group"),
    ),
    "contribution": (
        msg("participation.kind-contribution"),
        msg("participation.unknown-contribution"),
    ),
}


def kind_message(kind: str) -> Message | str:
    """The human name of a kind of definition as a message (``artifact`` → ``Artefakt``).

    An unknown kind is returned as it is.
    """
    found = KIND_NAMES.get(kind)
    return found[0] if found is not None else kind


def unknown_message(kind: str) -> Message:
    """``Unbekanntes Artefakt`` / ``Unknown artifact`` as a message."""
    found = KIND_NAMES.get(kind)
    return found[1] if found is not None else msg("name.unknown-other", kind=kind)


def kind_name(kind: str, lang: Lang = "de") -> str:
    """The human name of a kind of definition (``artifact`` → ``Artefakt``)."""
    found = kind_message(kind)
    return found.text(lang) if isinstance(found, Message) else found


def unknown_phrase(kind: str, lang: Lang = "de") -> str:
    """``Unbekanntes Artefakt`` / ``Unknown artifact``."""
    return unknown_message(kind).text(lang)


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate most similar to ``name``, or ``None`` if none is close."""
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean_message(name: str | None) -> Message | None:
    """``Meinten Sie 'x'?`` / ``Did you mean 'x'?`` as a message, or ``None`` without a name."""
    return None if name is None else msg("name.did-you-mean", name=name)


def did_you_mean(name: str | None, lang: Lang = "de") -> str | None:
    """``Meinten Sie 'x'?`` / ``Did you mean 'x'?`` for a suggestion, else ``None``."""
    found = did_you_mean_message(name)
    return None if found is None else found.text(lang)


class SozialraumprozessError(Exception):
    """Base class of every error raised by sozialraumprozess.

    Every error has :attr:`code` (stable, for programs) and :meth:`message` for
    its text in German (default), English or any language with a catalog. The
    text comes from the message catalogs (:mod:`sozialraumprozess.i18n`).

    Args:
        message: The error's message (a catalog :class:`~sozialraumprozess.i18n.Message`);
            subclasses that build their text from their data pass nothing and
            override :meth:`message`.
    """

    #: A stable machine-readable code (the catalog key of the message, or one the
    #: subclass sets).
    code: str = "error"

    def __init__(self, message: Message | str | None = None, *args: object) -> None:
        self.msg: Message | None = message if isinstance(message, Message) else None
        if self.msg is not None and "code" not in vars(self):
            self.code = self.msg.code
        super().__init__(*((message,) if message is not None else ()), *args)

    def message(self, lang: Lang = "de") -> str:
        """The message in ``lang``.

        Raises:
            ValueError: ``lang`` has no catalog (e.g. ``"fr"``).
        """
        check_lang(lang)
        if self.msg is not None:
            return self.msg.text(lang)
        return str(self.args[0]) if self.args else type(self).__name__

    def __str__(self) -> str:
        return self.message("de")


@frozen
class Issue:
    """One problem found in a workflow file (or a scenario file), with its position.

    Attributes:
        file: The file name (or ``<dict>`` for data passed in directly).
        line: 1-based line, or ``None`` when the data has no positions.
        column: 1-based column, or ``None``.
        path: Where in the document, e.g. ``phases[3].exit[1].decision``.
        code: A stable machine-readable code, e.g. ``unknown-reference``
            (see :data:`sozialraumprozess.definition.codes.ISSUE_CODES`).
        msg: What is wrong, as a catalog message.
        hint_msg: How to fix it (e.g. ``Meinten Sie 'zielbeschluss'?``), or ``None``.
        source_line: The text of the offending line, if known.
    """

    file: str
    line: int | None
    column: int | None
    path: str
    code: str
    msg: Message
    hint_msg: Message | None = None
    source_line: str | None = None

    @property
    def message_de(self) -> str:
        """The message in German."""
        return self.msg.text("de")

    @property
    def message_en(self) -> str:
        """The message in English."""
        return self.msg.text("en")

    @property
    def hint_de(self) -> str | None:
        """How to fix it, in German (or ``None``)."""
        return self.hint("de")

    @property
    def hint_en(self) -> str | None:
        """How to fix it, in English (or ``None``)."""
        return self.hint("en")

    def message(self, lang: Lang = "de") -> str:
        """The message in ``lang``.

        Raises:
            ValueError: ``lang`` has no catalog.
        """
        return self.msg.text(check_lang(lang))

    def hint(self, lang: Lang = "de") -> str | None:
        """The hint in ``lang`` or ``None``."""
        return None if self.hint_msg is None else self.hint_msg.text(check_lang(lang))

    def location(self) -> str:
        """``FILE:LINE:COL`` (or just ``FILE`` without positions)."""
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"

    def format(self, lang: Lang = "de") -> str:
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

    def to_dict(self, lang: Lang = "de") -> dict[str, Any]:
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


class IssueReport(SozialraumprozessError):
    """A file has problems, each an :class:`Issue` with its position.

    The common base of :class:`WorkflowError` and :class:`ScenarioError` (neither
    is the other): ``except IssueReport`` catches both. ``str(error)`` prints one
    compiler-style entry per issue, in the language the error was created with.

    Attributes:
        issues: The problems, in document order.
        lang: Language of ``str(error)``.
    """

    issues: tuple[Issue, ...]
    lang: Lang

    def __init__(self, issues: Sequence[Issue], lang: Lang = "de") -> None:
        self.issues = tuple(issues)
        self.lang = check_lang(lang)
        super().__init__(self.format(lang))

    def message(self, lang: Lang = "de") -> str:
        """Every issue, compiler-style (the same as :meth:`format`)."""
        return self.format(lang)

    def format(self, lang: Lang | None = None) -> str:
        """All issues as compiler-style text in ``lang`` (default: the error's language)."""
        chosen = lang or self.lang
        return "\n".join(issue.format(chosen) for issue in self.issues)

    def to_json(self, lang: Lang | None = None) -> str:
        """The issues as a JSON list of objects (see :meth:`Issue.to_dict`)."""
        chosen = lang or self.lang
        return json.dumps([i.to_dict(chosen) for i in self.issues], ensure_ascii=False, indent=2)

    def __str__(self) -> str:
        return self.format(self.lang)


class WorkflowError(IssueReport):
    """A workflow file (or dict) is not a valid workflow.

    Carries every problem found, not only the first. ``str(error)`` prints one
    compiler-style entry per issue, in the language the error was created with
    (see :class:`IssueReport`).

    Attributes:
        issues: The problems, in document order.
        lang: Language of ``str(error)``.
    """


class ScenarioError(IssueReport):
    """A scenario file is invalid, or a scenario step did not do what it says.

    Carries issues like :class:`WorkflowError` (file, line, path ``steps[12]``,
    message), so a failing step is reported at its line in the scenario file.
    It is not a :class:`WorkflowError`: a program catching invalid workflows does
    not catch failing scenarios by accident.
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

    def message(self, lang: Lang = "de") -> str:
        """The message in ``lang``."""
        check_lang(lang)
        text = msg("name.unknown", what=unknown_message(self.kind), name=self.name).text(lang)
        if self.suggestion is not None:
            text += " " + msg("name.did-you-mean", name=self.suggestion).text(lang)
        elif self.known:
            text += " " + msg("name.known", known=", ".join(self.known)).text(lang)
        return text

    def __str__(self) -> str:
        return self.message("de")
