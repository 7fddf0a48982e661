"""Documents and the report, rendered in memory from the run's current state.

Nothing is written to disk, so every application server answers the same,
whatever store it uses (a server database keeps no local files).
"""

from __future__ import annotations

from pathlib import Path

from sozialraum_web.errors import WebError
from sozialraumprozess import DocumentRenderer, Process
from sozialraumprozess.app import OpenRun
from sozialraumprozess.app.report import REPORT_TEMPLATE, report_context
from sozialraumprozess.documents import DocumentSpec, plan_documents
from sozialraumprozess.i18n import Lang


def planned(process: Process) -> tuple[DocumentSpec, ...]:
    """Every document the state allows (``spec.stem`` is its path)."""
    return plan_documents(process)


def render(opened: OpenRun, path: str, lang: Lang) -> str:
    """The document ``path`` as HTML; 404 if the state allows no such document."""
    for spec in planned(opened.process):
        if spec.stem == path:
            renderer = DocumentRenderer(opened.process.workflow, workflow_path=opened.workflow_path)
            return renderer.render(opened.process, spec, fmt="html", lang=lang).text
    raise WebError(404, "unknown-document", path=path)


def report(opened: OpenRun, lang: Lang) -> str:
    """The process report (one self-contained HTML page)."""
    renderer = DocumentRenderer(opened.process.workflow, workflow_path=opened.workflow_path)
    context = report_context(
        opened.process,
        renderer.page_context(opened.process, lang=lang),
        lang=lang,
        output=Path("bericht.html"),  # links to documents are relative to it: none here
        documents_dir=None,
    )
    return renderer.render_page(REPORT_TEMPLATE, context)
