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
  (:meth:`~Service.update`);
* :func:`follow` — the change feed of a store: every new event of every run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sozialraumprozess._lazy import lazy_package

if TYPE_CHECKING:  # the one table of public names (see sozialraumprozess._lazy)
    from sozialraumprozess.app.errors import (
        RunNotChosen as RunNotChosen,
        WorkflowFileMissing as WorkflowFileMissing,
    )
    from sozialraumprozess.app.feed import follow as follow
    from sozialraumprozess.app.history import (
        describe_event as describe_event,
        history_rows as history_rows,
    )
    from sozialraumprozess.app.identity import (
        ActorMap as ActorMap,
        Identity as Identity,
        fixed_actors as fixed_actors,
    )
    from sozialraumprozess.app.portfolio import (
        Portfolio as Portfolio,
        PortfolioRun as PortfolioRun,
        annual_rows as annual_rows,
        load_programme as load_programme,
        portfolio as portfolio,
    )
    from sozialraumprozess.app.privacy import Erasure as Erasure
    from sozialraumprozess.app.report import (
        budget_tables as budget_tables,
        render_report as render_report,
        report_data as report_data,
        write_documents as write_documents,
    )
    from sozialraumprozess.app.retention import Purged as Purged
    from sozialraumprozess.app.service import (
        CommandResult as CommandResult,
        OpenRun as OpenRun,
        Service as Service,
        Updated as Updated,
    )
    from sozialraumprozess.app.status import (
        OpenItem as OpenItem,
        Status as Status,
        open_items as open_items,
        status_of as status_of,
    )
    from sozialraumprozess.app.stores import (
        StoreScheme as StoreScheme,
        known_schemes as known_schemes,
        open_store as open_store,
        register_scheme as register_scheme,
        upgrade_store as upgrade_store,
    )
    from sozialraumprozess.errors._storage import (
        ConflictRetriesExhausted as ConflictRetriesExhausted,
    )

__all__, __getattr__, __dir__ = lazy_package(__name__, __file__)
