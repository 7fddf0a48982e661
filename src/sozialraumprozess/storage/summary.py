"""A run's summary: what listing needs, kept next to the log so listing never replays.

A :class:`RunSummary` is derived from a process (:func:`summarize`) every time a
run is saved and stored beside its events (``run.json`` in a folder store, the
``runs`` table in SQLite). It is a cache of the log, never a source of truth.

Besides what listing filters on, a summary keeps what an overview of many runs
shows (the portfolio): the number of open blockers and the rows of the newest
annual report (:func:`annual_items`). These two are ``None`` in summaries
written before they existed (or by an older library version); a reader then
computes them from the run.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from attrs import field, frozen

from sozialraumprozess.runtime.clock import as_utc, format_time, parse_time
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import WorkflowRef

__all__ = [
    "ANNUAL_ARTIFACT",
    "ANNUAL_COLUMNS",
    "LOG_FIELDS",
    "RunSummary",
    "annual_items",
    "format_time",
    "parse_time",
    "summarize",
]

#: The summary fields read off the log's events (all but ``run_id`` and ``version``),
#: in the order a disagreement with the log is reported.
LOG_FIELDS = ("workflow", "title", "phase", "cycle", "deadline", "created_at", "updated_at")

#: The artifact whose ``projekte`` rows make up the annual table (seed 001).
ANNUAL_ARTIFACT = "jahresbericht"
#: The comparable columns of a ``projekte`` row (missing fields are kept as ``None``).
ANNUAL_COLUMNS = (
    "projekt",
    "ziel",
    "ergebnis",
    "zielerreichung",
    "teilnehmende",
    "kosten_plan",
    "kosten_ist",
    "empfehlung",
)


@frozen
class RunSummary:
    """What a store keeps about a run for listing, without its events.

    Attributes:
        run_id: The run's id.
        workflow: The pinned workflow (id, version, content hash).
        title: The Sozialraum's name.
        phase: The current phase id.
        cycle: The current cycle (1 on the first pass).
        deadline: The current phase's deadline, if it has a duration.
        version: The number of events stored (the seq of the last one).
        created_at: Time of the first event.
        updated_at: Time of the last event.
        blockers: The number of unmet exit criteria of the current phase, or
            ``None`` if not stored (older summaries).
        annual: The rows of the newest annual report (see :func:`annual_items`),
            or ``None`` if not stored (older summaries).
    """

    run_id: str
    workflow: WorkflowRef
    title: str
    phase: str
    cycle: int
    deadline: date | None
    version: int
    created_at: datetime
    updated_at: datetime
    blockers: int | None = None
    annual: tuple[dict[str, Any], ...] | None = field(default=None, hash=False)

    @property
    def has_details(self) -> bool:
        """True if :attr:`blockers` and :attr:`annual` are stored."""
        return self.blockers is not None and self.annual is not None

    def overdue(self, now: datetime | date) -> bool:
        """True if the current phase's deadline lies before ``now``."""
        if self.deadline is None:
            return False
        day = as_utc(now).date() if isinstance(now, datetime) else now
        return day > self.deadline

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible data (dates and times as ISO text)."""
        return {
            "run_id": self.run_id,
            "workflow": {
                "id": self.workflow.id,
                "version": self.workflow.version,
                "content_hash": self.workflow.content_hash,
            },
            "title": self.title,
            "phase": self.phase,
            "cycle": self.cycle,
            "deadline": None if self.deadline is None else self.deadline.isoformat(),
            "version": self.version,
            "created_at": format_time(self.created_at),
            "updated_at": format_time(self.updated_at),
        } | self.details_dict()

    def details_dict(self) -> dict[str, Any]:
        """``blockers`` and ``annual`` as JSON-compatible data (empty if not stored)."""
        if not self.has_details:
            return {}
        return {"blockers": self.blockers, "annual": [dict(row) for row in self.annual or ()]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunSummary:
        """The summary from :meth:`to_dict` data.

        Raises:
            KeyError, TypeError, ValueError: The data is not a summary.
        """
        ref = data["workflow"]
        deadline = data["deadline"]
        version = data["version"]
        cycle = data["cycle"]
        if not isinstance(version, int) or not isinstance(cycle, int):
            raise TypeError("version and cycle must be integers")
        blockers, annual = _details(data)
        return cls(
            run_id=str(data["run_id"]),
            workflow=WorkflowRef(str(ref["id"]), str(ref["version"]), str(ref["content_hash"])),
            title=str(data["title"]),
            phase=str(data["phase"]),
            cycle=cycle,
            deadline=None if deadline is None else date.fromisoformat(deadline),
            version=version,
            created_at=parse_time(data["created_at"]),
            updated_at=parse_time(data["updated_at"]),
            blockers=blockers,
            annual=annual,
        )


def _details(data: dict[str, Any]) -> tuple[int | None, tuple[dict[str, Any], ...] | None]:
    """``blockers`` and ``annual`` of stored data; ``(None, None)`` if absent or malformed
    (they are a cache: a reader computes them from the run then)."""
    blockers, annual = data.get("blockers"), data.get("annual")
    if (
        isinstance(blockers, int)
        and not isinstance(blockers, bool)
        and isinstance(annual, list)
        and all(isinstance(row, dict) for row in annual)
    ):
        return blockers, tuple(annual)
    return None, None


def annual_items(process: Process) -> tuple[dict[str, Any], ...]:
    """The ``projekte`` rows of the process's newest ``jahresbericht`` (none if it has none).

    Each row has ``sozialraum`` (the row's own, else the process's), ``berichtsjahr``,
    ``version``, ``approved`` and the :data:`ANNUAL_COLUMNS`.
    """
    if ANNUAL_ARTIFACT not in {a.id for a in process.workflow.artifacts}:
        return ()
    latest = process.latest(ANNUAL_ARTIFACT)
    if latest is None:
        return ()
    year = latest.data.get("berichtsjahr")
    rows = []
    for item in latest.data.get("projekte") or ():
        if not isinstance(item, dict):
            continue
        row: dict[str, Any] = {
            "sozialraum": item.get("sozialraum") or process.sozialraum.name,
            "berichtsjahr": year,
            "version": latest.version,
            "approved": latest.approved,
        }
        row.update({key: item.get(key) for key in ANNUAL_COLUMNS})
        rows.append(row)
    return tuple(rows)


def summarize(run_id: str, process: Process, *, details: bool = True) -> RunSummary:
    """The summary of ``process`` stored as run ``run_id``.

    Args:
        run_id: The run.
        process: Its process.
        details: Also count the blockers and collect the annual rows (what a
            portfolio shows); false when only the fields read off the log
            (:data:`LOG_FIELDS`) are compared.

    Raises:
        ValueError: The process has no events.
    """
    log = process.log
    if not log:
        raise ValueError("a process without events cannot be stored")
    return RunSummary(
        run_id=run_id,
        workflow=process.pinned,
        title=process.sozialraum.name,
        phase=process.phase,
        cycle=process.cycle,
        deadline=process.deadline(),
        version=log[-1].seq,
        created_at=log[0].time,
        updated_at=log[-1].time,
        blockers=len(process.blockers()) if details else None,
        annual=annual_items(process) if details else None,
    )
