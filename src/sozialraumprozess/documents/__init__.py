"""Phase documents: render artifacts, events and whole processes to Markdown, HTML,
DOCX (Word), ODT (LibreOffice) and PDF/A, and planned events to iCalendar files.

* :class:`DocumentRenderer` renders one artifact version, the invitation or
  minutes of a held event, a phase completion report, the process report, or
  every document a process state allows (:meth:`DocumentRenderer.write_all`).
* Templates run in a Jinja sandbox (:mod:`.sandbox`) and see only a read-only
  view of the process (:mod:`.view`, :mod:`.context`).
* German and English formatting filters (:mod:`.formatting`): ``datum``,
  ``datum_lang``, ``geld``, ``prozent``, ``zahl`` …
* Every document records its provenance (:class:`DocumentMeta`).
"""

from sozialraumprozess.documents.formatting import (
    FILTERS,
    format_date_long,
    format_date_short,
    format_money,
    format_number,
    format_percent,
)
from sozialraumprozess.documents.ics import CalendarFile, calendar_files, event_calendar
from sozialraumprozess.documents.plan import DocumentSpec, plan_documents
from sozialraumprozess.documents.provenance import Document, DocumentMeta
from sozialraumprozess.documents.render import OUTPUT_FORMATS, DocumentRenderer, variant
from sozialraumprozess.documents.sandbox import (
    MAX_OUTPUT_CHARS,
    TemplateSet,
    template_search_path,
)
from sozialraumprozess.documents.to_pdf import PdfAttachment

__all__ = [
    "FILTERS",
    "MAX_OUTPUT_CHARS",
    "OUTPUT_FORMATS",
    "CalendarFile",
    "Document",
    "DocumentMeta",
    "DocumentRenderer",
    "DocumentSpec",
    "PdfAttachment",
    "TemplateSet",
    "calendar_files",
    "event_calendar",
    "format_date_long",
    "format_date_short",
    "format_money",
    "format_number",
    "format_percent",
    "plan_documents",
    "template_search_path",
    "variant",
]
