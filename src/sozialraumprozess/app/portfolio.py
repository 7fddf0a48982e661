"""Many runs (one per Sozialraum) in one overview, and the annual table across them.

A portfolio is built from the stores' run summaries, which keep everything it
shows (phase, cycle, deadline, blocker count, the rows of the newest annual
report), so it costs about as much as listing the runs: no run is replayed. A
summary written before it kept those (an older store, or a write by an older
library version) is completed by replaying that one run.

The annual table (seed 001: comparable annual reports) takes the rows each
workflow's ``annual_table`` names (without one: the ``projekte`` of a
``jahresbericht``); runs whose workflow has none are left out. ``columns``
names and titles them.

:func:`load_programme` is the programme view (measures and budget per
Sozialraum, :mod:`sozialraumprozess.steering.programme`): it replays each run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypedDict

from sozialraumprozess.i18n import Lang
from sozialraumprozess.runtime.clock import as_utc
from sozialraumprozess.steering.programme import (
    AnnualColumn,
    IndicatorView,
    Programme,
    annual_columns,
    programme as build_programme,
)
from sozialraumprozess.storage.summary import ANNUAL_ARTIFACT, ANNUAL_COLUMNS, annual_items

if TYPE_CHECKING:
    from sozialraumprozess.app.service import Service
    from sozialraumprozess.definition.model import Workflow
    from sozialraumprozess.runtime.process import Process
    from sozialraumprozess.storage.summary import RunSummary

__all__ = [
    "ANNUAL_ARTIFACT",
    "ANNUAL_COLUMNS",
    "Portfolio",
    "PortfolioRun",
    "annual_rows",
    "load_programme",
    "portfolio",
]


class PortfolioRun(TypedDict):
    """One run in a portfolio."""

    store: str
    run_id: str
    sozialraum: str
    workflow: str
    phase: str
    phase_title: str
    cycle: int
    deadline: str | None
    overdue: bool
    blockers: int


class Portfolio(TypedDict):
    """A portfolio: ``runs``, the ``annual`` rows (``run_id``, ``sozialraum``,
    ``year``, ``version``, ``approved`` and the annual table's columns) and
    ``columns`` (key, title, type: what the rows show, in order)."""

    runs: list[PortfolioRun]
    annual: list[dict[str, Any]]
    columns: list[AnnualColumn]


def annual_rows(process: Process, run_id: str) -> list[dict[str, Any]]:
    """The rows of the run's annual table (none if its workflow has none)."""
    return [{"run_id": run_id, **row} for row in annual_items(process)]


def portfolio(
    services: Sequence[Service],
    *,
    lang: Lang = "de",
    now: datetime | None = None,
    on_run: Callable[[int, int], None] | None = None,
) -> Portfolio:
    """Every run of every service's store, from the run summaries.

    Args:
        services: The stores to cover, in order (runs sorted by id within each).
        lang: Language of the phase titles.
        now: The moment deadlines are compared with (default: now).
        on_run: Called as ``on_run(done, total)`` after each run (for a progress bar).

    Raises:
        CorruptRunError, DefinitionUnavailable …: A run had to be replayed (its
            summary lacks the portfolio fields) and could not be.
    """
    today = as_utc(now if now is not None else datetime.now(UTC)).date()
    listed = [(service, summary) for service in services for summary in service.store.list_runs()]
    definitions: dict[str, Workflow] = {}
    titles: dict[tuple[str, str], str] = {}  # (content hash, phase): thousands of runs, few
    runs: list[PortfolioRun] = []
    annual: list[dict[str, Any]] = []
    for done, (service, summary) in enumerate(listed, 1):
        blockers, rows, workflow = _details(service, summary, definitions)
        key = (summary.workflow.content_hash, summary.phase)
        title = titles.get(key)
        if title is None:
            title = titles[key] = _phase_title(workflow, summary.phase, lang)
        runs.append(
            {
                "store": service.location,
                "run_id": summary.run_id,
                "sozialraum": summary.title,
                "workflow": summary.workflow.id,
                "phase": summary.phase,
                "phase_title": title,
                "cycle": summary.cycle,
                "deadline": summary.deadline.isoformat() if summary.deadline else None,
                "overdue": summary.overdue(today),
                "blockers": blockers,
            }
        )
        annual.extend({"run_id": summary.run_id, **_current(row)} for row in rows)
        if on_run is not None:
            on_run(done, len(listed))
    return {
        "runs": runs,
        "annual": annual,
        "columns": annual_columns(list(definitions.values()), lang),
    }


def _current(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row as rows are now (summaries written before ``annual_table`` kept
    the year as ``berichtsjahr``)."""
    if "year" not in row and "berichtsjahr" in row:
        row = {**row, "year": row["berichtsjahr"]}
        del row["berichtsjahr"]
    return row


def load_programme(
    services: Sequence[Service],
    *,
    lang: Lang = "de",
    indicators: IndicatorView | None = None,
) -> Programme:
    """The programme view of every run in the services' stores (each run replayed):
    measures and budget per Sozialraum and in total, and the annual table.

    Args:
        services: The stores, in order (runs sorted by id within each).
        lang: Language of titles.
        indicators: The indicator comparison to plug in (see
            :func:`sozialraumprozess.steering.programme.programme`).
    """
    runs = [
        (run_id, service.load(run_id).process)
        for service in services
        for run_id in sorted(s.run_id for s in service.store.list_runs())
    ]
    return build_programme(runs, lang=lang, indicators=indicators)


def _phase_title(workflow: Workflow | None, phase: str, lang: Lang) -> str:
    if workflow is None:
        return phase
    try:
        return workflow.phase(phase).title.get(lang)
    except KeyError:
        return phase


def _details(
    service: Service, summary: RunSummary, definitions: dict[str, Workflow]
) -> tuple[int, tuple[dict[str, Any], ...], Workflow | None]:
    """Blocker count, annual rows and definition of a run: from the summary and the
    store's definition copy (read once per content hash) where they are stored,
    else by replaying the run."""
    content_hash = summary.workflow.content_hash
    workflow = definitions.get(content_hash)
    if workflow is None and summary.has_details:
        workflow = service.store.get_definition(content_hash)
    if summary.has_details and workflow is not None:
        definitions[content_hash] = workflow
        assert summary.blockers is not None  # noqa: S101 - has_details says so
        return summary.blockers, summary.annual or (), workflow
    process = service.load(summary.run_id).process
    definitions.setdefault(content_hash, process.workflow)
    if summary.has_details:
        assert summary.blockers is not None  # noqa: S101 - has_details says so
        return summary.blockers, summary.annual or (), process.workflow
    return len(process.blockers()), annual_items(process), process.workflow
