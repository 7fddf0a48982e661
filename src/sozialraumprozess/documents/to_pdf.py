"""PDF/A-3b from a document's HTML, with WeasyPrint, and files embedded in it.

PDF/A-3 allows embedded files: the process report embeds the run's event log
(JSON) and its hash-chain head, so the archive copy proves its own history
(see :func:`sozialraumprozess.app.report.history_attachments`). WeasyPrint needs
Pango (Debian: ``libpango-1.0-0``); without it, or without WeasyPrint
(``pip install 'sozialraumprozess[pdf]'``), PDF output fails with a
:class:`~sozialraumprozess.errors.DocumentError` saying so. Nothing is fetched
from the network: only ``data:`` URLs inside the HTML are read.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from attrs import frozen

from sozialraumprozess.errors import DocumentError
from sozialraumprozess.i18n import msg

__all__ = ["PDF_VARIANT", "PdfAttachment", "pdf_bytes"]

#: The PDF/A part and conformance level written.
PDF_VARIANT = "pdf/a-3b"

#: Page set-up added to every document's own style (A4, margins, page numbers).
_PAGE_CSS = """
@page { size: A4; margin: 2.2cm 2cm 2.4cm 2.2cm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; } }
body { max-width: none !important; margin: 0 !important; padding: 0 !important; }
svg { max-width: 100%; height: auto; }
"""


@frozen
class PdfAttachment:
    """A file embedded in a PDF.

    Attributes:
        name: File name shown by the PDF reader (``ereignisprotokoll.json``).
        data: Its content.
        description: What it is, for the reader.
        media_type: Its media type.
    """

    name: str
    data: bytes
    description: str
    media_type: str = "application/json"


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # not installed, or Pango missing
        raise DocumentError(
            "format-unavailable",
            msg("doc.format-unavailable", format="pdf", reason=str(error).splitlines()[0]),
        ) from None
    return weasyprint


def pdf_bytes(
    html: str,
    *,
    title: str,
    lang: str,
    moment: datetime,
    attachments: Sequence[PdfAttachment] = (),
) -> bytes:
    """The PDF/A-3b file of ``html``, with ``attachments`` embedded."""
    weasyprint = _weasyprint()
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    files = [
        weasyprint.Attachment(
            string=item.data,
            name=item.name,
            description=item.description,
            created=moment,
            modified=moment,
            relationship="Source",
            url_fetcher=fetcher,
        )
        for item in attachments
    ]
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=None)
    page = weasyprint.CSS(string=_PAGE_CSS, url_fetcher=fetcher)
    with warnings.catch_warnings():
        # WeasyPrint opens its sRGB profile for the PDF/A output intent and leaves
        # the file to the garbage collector (a ResourceWarning, nothing else).
        warnings.simplefilter("ignore", ResourceWarning)
        data: bytes = document.write_pdf(
            stylesheets=[page],
            pdf_variant=PDF_VARIANT,
            attachments=files,
            custom_metadata=True,
        )
    del title, lang  # the HTML's own <title> and lang attribute go into the PDF's metadata
    return data
