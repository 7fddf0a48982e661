"""A run's summary: what listing needs, kept next to the log so listing never replays.

A :class:`RunSummary` is derived from a process (:func:`summarize`) every time a
run is saved and stored beside its events (``run.json`` in a folder store, the
``runs`` table in SQLite). It is a cache of the log, never a source of truth.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from attrs import frozen

from sozialraumprozess.runtime.clock import as_utc, format_time, parse_time
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import WorkflowRef

__all__ = ["LOG_FIELDS", "RunSummary", "format_time", "parse_time", "summarize"]

#: The summary fields read off the log's events (all but ``run_id`` and ``version``),
#: in the order a disagreement with the log is reported.
LOG_FIELDS = ("workflow", "title", "phase", "cycle", "deadline", "created_at", "updated_at")


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
        }

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
        )


def summarize(run_id: str, process: Process) -> RunSummary:
    """The summary of ``process`` stored as run ``run_id``.

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
    )
