"""The application layer: what every front end (the CLI, a web application) asks of runs.

Open a store by URL, then ask the :class:`Service` over it::

    >>> import tempfile
    >>> from sozialraumprozess import load_workflow
    >>> from sozialraumprozess.app import Service
    >>> service = Service.open(f"sqlite://{tempfile.mkdtemp()}/prozesse.db", create=True)
    >>> wf = load_workflow("generationengerechte-sozialraumentwicklung")
    >>> _ = service.start("schwerte-ost", wf, sozialraum="Schwerte-Ost")
    >>> status = service.status("schwerte-ost", lang="en")
    >>> status["phase"]["id"], status["open"][0]["kind"], status["open"][0]["role"]
    ('identifizieren', 'artifact', 'kommune')
    >>> service.advance("schwerte-ost", by="kommune")
    Traceback (most recent call last):
    ...
    sozialraumprozess.errors._process.TransitionBlocked: Phase 'identifizieren' ...
    >>> service.close()

* :func:`open_store` — a store from a URL: a folder path, ``sqlite:///path/file.db``,
  or any scheme registered with :func:`register_scheme`;
* :class:`Service` — open a run (definition resolved and verified, log replayed
  once), its :meth:`~Service.status` (open items, owners, next steps),
  :meth:`~Service.history`, :meth:`~Service.report_data`, documents and report,
  :meth:`~Service.portfolio`, and every command with retry on conflict
  (:meth:`~Service.update`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sozialraumprozess._lazy import lazy_attributes

if TYPE_CHECKING:
    from sozialraumprozess.app.errors import RunNotChosen, WorkflowFileMissing
    from sozialraumprozess.app.history import describe_event, history_rows
    from sozialraumprozess.app.portfolio import Portfolio, PortfolioRun, annual_rows, portfolio
    from sozialraumprozess.app.report import (
        budget_tables,
        render_report,
        report_data,
        write_documents,
    )
    from sozialraumprozess.app.service import CommandResult, OpenRun, Service, Updated
    from sozialraumprozess.app.status import OpenItem, Status, open_items, status_of
    from sozialraumprozess.app.stores import (
        StoreScheme,
        known_schemes,
        open_store,
        register_scheme,
    )
    from sozialraumprozess.errors._storage import ConflictRetriesExhausted

__all__ = [
    "CommandResult",
    "ConflictRetriesExhausted",
    "OpenItem",
    "OpenRun",
    "Portfolio",
    "PortfolioRun",
    "RunNotChosen",
    "Service",
    "Status",
    "StoreScheme",
    "Updated",
    "WorkflowFileMissing",
    "annual_rows",
    "budget_tables",
    "describe_event",
    "history_rows",
    "known_schemes",
    "open_items",
    "open_store",
    "portfolio",
    "register_scheme",
    "render_report",
    "report_data",
    "status_of",
    "write_documents",
]

_ORIGIN = {
    "CommandResult": "sozialraumprozess.app.service",
    "ConflictRetriesExhausted": "sozialraumprozess.errors._storage",
    "OpenItem": "sozialraumprozess.app.status",
    "OpenRun": "sozialraumprozess.app.service",
    "Portfolio": "sozialraumprozess.app.portfolio",
    "PortfolioRun": "sozialraumprozess.app.portfolio",
    "RunNotChosen": "sozialraumprozess.app.errors",
    "Service": "sozialraumprozess.app.service",
    "Status": "sozialraumprozess.app.status",
    "StoreScheme": "sozialraumprozess.app.stores",
    "Updated": "sozialraumprozess.app.service",
    "WorkflowFileMissing": "sozialraumprozess.app.errors",
    "annual_rows": "sozialraumprozess.app.portfolio",
    "budget_tables": "sozialraumprozess.app.report",
    "describe_event": "sozialraumprozess.app.history",
    "history_rows": "sozialraumprozess.app.history",
    "known_schemes": "sozialraumprozess.app.stores",
    "open_items": "sozialraumprozess.app.status",
    "open_store": "sozialraumprozess.app.stores",
    "portfolio": "sozialraumprozess.app.portfolio",
    "register_scheme": "sozialraumprozess.app.stores",
    "render_report": "sozialraumprozess.app.report",
    "report_data": "sozialraumprozess.app.report",
    "status_of": "sozialraumprozess.app.status",
    "write_documents": "sozialraumprozess.app.report",
}

__getattr__, __dir__ = lazy_attributes(__name__, _ORIGIN, __all__)
