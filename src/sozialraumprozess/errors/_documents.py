"""Errors of document rendering: missing templates, failing templates."""

from __future__ import annotations

from sozialraumprozess.errors._base import SozialraumprozessError
from sozialraumprozess.i18n import Message, msg

__all__ = ["DocumentError", "TemplateRenderError"]


class DocumentError(SozialraumprozessError):
    """A document cannot be produced (no such version, template missing, bad option).

    Attributes:
        code: A stable machine-readable code (``no-version``, ``template-not-found`` …).
        msg: The message (from the catalogs).
    """

    def __init__(self, code: str, message: Message) -> None:
        self.code = code
        super().__init__(message)

    @property
    def message_de(self) -> str:
        """The message in German."""
        return self.message("de")

    @property
    def message_en(self) -> str:
        """The message in English."""
        return self.message("en")


def _template_text(code: str, variable: str | None) -> Message:
    # One literal per text, so that extraction finds every message.
    if code == "syntax":
        return msg("doc.template-syntax")
    if code == "undefined":
        if variable:
            return msg("doc.template-undefined-name", name=variable)
        return msg("doc.template-undefined")
    if code == "security":
        if variable:
            return msg("doc.template-security-name", name=variable)
        return msg("doc.template-security")
    if code == "too-large":
        return msg("doc.template-output-too-large")
    if code == "template-too-large":
        return msg("doc.template-too-large")
    if code == "limit":
        return msg("doc.template-limit")
    return msg("doc.template-error")


class TemplateRenderError(DocumentError):
    """A template cannot be compiled or rendered; names the file, line and variable.

    Attributes:
        code: ``syntax``, ``undefined``, ``security``, ``too-large``,
            ``template-too-large``, ``limit`` (a bound of the sandbox: steps,
            time, size, nesting, recursion) or ``error``.
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
        what = _template_text(code, variable)
        super().__init__(code, msg("doc.template-failed", where=where, what=what, detail=detail))
