"""Collecting validation issues with positions and paths."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sozialraumprozess.errors import Issue, WorkflowError
from sozialraumprozess.i18n import Lang, Message

if TYPE_CHECKING:
    from sozialraumprozess.definition.yamlio import Document

__all__ = ["IssueCollector", "PathKey", "format_path"]

PathKey = str | int

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def format_path(path: Sequence[PathKey]) -> str:
    """``("phases", 3, "exit", 1, "decision")`` → ``phases[3].exit[1].decision``.

    Indices are 0-based, as in Python and JSON Pointer. Keys that are not
    identifiers are quoted: ``roles["a b"]``.
    """
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        elif _IDENT.match(step):
            out += f".{step}" if out else step
        else:
            out += f'["{step}"]'
    return out


class IssueCollector:
    """Accumulates :class:`Issue` objects for one file."""

    def __init__(self, file: str, document: Document | None = None) -> None:
        self.file = file
        self.document = document
        self.lines: Sequence[str] = document.lines if document is not None else ()
        self.issues: list[Issue] = []

    def __len__(self) -> int:
        return len(self.issues)

    def add(
        self,
        path: Sequence[PathKey],
        code: str,
        message: Message,
        *,
        hint: Message | None = None,
        key: bool = False,
    ) -> None:
        """Add an issue located at ``path`` (at its key if ``key``).

        Args:
            path: Where in the document.
            code: The issue code (see :data:`~sozialraumprozess.definition.codes.ISSUE_CODES`).
            message: What is wrong (a catalog message).
            hint: How to fix it, or ``None``.
            key: Point at the key at ``path`` rather than its value.
        """
        line = column = None
        text = None
        if self.document is not None:
            line, column, text = self.document.locate(path, key=key)
        self._append(
            line,
            column,
            text,
            path,
            code,
            message,
            hint,
        )

    def add_at(
        self,
        mark: tuple[int, int] | None,
        path: Sequence[PathKey],
        code: str,
        message: Message,
        *,
        hint: Message | None = None,
    ) -> None:
        """Add an issue at a 0-based ``(line, column)`` mark."""
        line = column = None
        text = None
        if mark is not None:
            line, column = mark[0] + 1, mark[1] + 1
            text = self.lines[mark[0]] if mark[0] < len(self.lines) else None
        self._append(line, column, text, path, code, message, hint)

    def _append(
        self,
        line: int | None,
        column: int | None,
        text: str | None,
        path: Sequence[PathKey],
        code: str,
        message: Message,
        hint: Message | None,
    ) -> None:
        issue = Issue(
            file=self.file,
            line=line,
            column=column,
            path=format_path(path),
            code=code,
            msg=message,
            hint_msg=hint,
            source_line=text,
        )
        if issue not in self.issues:
            self.issues.append(issue)

    def sorted(self) -> list[Issue]:
        """The issues in document order (issues without position last)."""
        return sorted(
            self.issues,
            key=lambda i: (i.line is None, i.line or 0, i.column or 0, i.path),
        )

    def raise_if_any(self, lang: Lang = "de") -> None:
        """Raise :class:`WorkflowError` with all issues, if there are any."""
        if self.issues:
            raise WorkflowError(self.sorted(), lang=lang)
