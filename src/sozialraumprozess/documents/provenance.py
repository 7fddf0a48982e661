"""Provenance of a document: which template, which process state, when.

Every rendered document carries a :class:`DocumentMeta` and a footer built from
it (:func:`add_footer`), so a printed page can be traced back to the exact
template content (SHA-256) and process state (event sequence number).
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from attrs import frozen

from sozialraumprozess.documents.formatting import format_timestamp
from sozialraumprozess.documents.strings import texts
from sozialraumprozess.i18n import Lang

__all__ = ["Document", "DocumentMeta", "add_footer", "footer_text"]


@frozen
class DocumentMeta:
    """Where a document comes from.

    Attributes:
        kind: ``artifact``, ``invitation``, ``minutes``, ``phase_report`` or
            ``process_report``.
        subject: The artifact, event type or phase id (``process`` for the report).
        title: The document's title in its language.
        path: Stable relative file name, e.g. ``zyklus-1/04-ziele_festlegen/zielkatalog-v1.md``.
        format: ``md``, ``html``, ``docx``, ``odt`` or ``pdf``.
        lang: ``de`` or ``en``.
        template: The template name (``zielkatalog.md.j2``).
        template_file: The file it was loaded from.
        template_sha256: Hex SHA-256 of the template's source.
        process_seq: The process state: sequence number of the last log event.
        generated_at: When the document was generated (from the renderer's clock).
        workflow_id: The workflow's id.
        workflow_version: Its version.
        workflow_hash: Its content hash (``sha256:…``).
        cycle: The cycle the document belongs to (``None`` for the process report).
        version: The artifact version, if the document renders one.
        public: Rendered for the public (*öffentlich*); ``False``: *intern*.
        layout: DOCX/ODT: the Word or OpenDocument file the document was laid out
            in (``dokument.docx``), ``None`` for the other formats.
        layout_sha256: Hex SHA-256 of that file.
    """

    kind: str
    subject: str
    title: str
    path: str
    format: str
    lang: Lang
    template: str
    template_file: str
    template_sha256: str
    process_seq: int
    generated_at: datetime
    workflow_id: str
    workflow_version: str
    workflow_hash: str
    cycle: int | None = None
    version: int | None = None
    public: bool = False
    layout: str | None = None
    layout_sha256: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible data (``generated_at`` as ISO 8601)."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "subject": self.subject,
            "title": self.title,
            "path": self.path,
            "format": self.format,
            "lang": self.lang,
            "template": self.template,
            "template_file": self.template_file,
            "template_sha256": self.template_sha256,
            "process_seq": self.process_seq,
            "generated_at": self.generated_at.isoformat(),
            "workflow_id": self.workflow_id,
            "workflow_version": self.workflow_version,
            "workflow_hash": self.workflow_hash,
            "cycle": self.cycle,
            "version": self.version,
            "public": self.public,
        }
        if self.layout is not None:  # office formats only: other documents keep their keys
            data["layout"] = self.layout
            data["layout_sha256"] = self.layout_sha256
        return data


@frozen
class Document:
    """A rendered document: its text and its provenance.

    Attributes:
        text: The Markdown or HTML text, footer included (DOCX, ODT, PDF: the HTML
            text the file was made from).
        meta: Where it comes from.
        data: The file's bytes for DOCX, ODT and PDF; ``None`` for Markdown and HTML.
    """

    text: str
    meta: DocumentMeta
    data: bytes | None = None

    @property
    def content(self) -> bytes:
        """What to write to the file: ``data``, or the text as UTF-8."""
        return self.data if self.data is not None else self.text.encode("utf-8")


def footer_text(meta: DocumentMeta) -> str:
    """One line: generation time, template name and hash, process state, workflow, and
    whether the document is *öffentlich* or *intern*."""
    t = texts(meta.lang)
    return (
        f"{t['footer_generated']} {format_timestamp(meta.generated_at, meta.lang)} · "
        f"{t['footer_template']} {meta.template} (sha256 {meta.template_sha256}) · "
        f"{t['footer_state']} {meta.process_seq} · "
        f"{t['workflow']} {meta.workflow_id} {meta.workflow_version} · "
        f"{t['public'] if meta.public else t['internal']}"
    )


def add_footer(text: str, meta: DocumentMeta) -> str:
    """``text`` with the provenance footer: a last paragraph (Markdown) or a ``<footer>``.

    In HTML the footer goes right before the last ``</body>`` (or at the end).
    """
    line = footer_text(meta)
    if meta.format == "html":
        block = f'<footer class="provenance">{html.escape(line)}</footer>\n'
        cut = text.lower().rfind("</body>")
        if cut < 0:
            return text + block
        return text[:cut] + block + text[cut:]
    body = text if text.endswith("\n") else text + "\n"
    return f"{body}\n---\n\n{line}\n"
