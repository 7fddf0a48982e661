"""Errors of document rendering: missing templates, failing templates."""

from __future__ import annotations

from sozialraumprozess.errors._base import SozialraumprozessError

__all__ = ["DocumentError", "TemplateRenderError"]


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
