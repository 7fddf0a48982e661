"""Retention periods (``retention`` on artifact types) and the purge that applies them.

An artifact type may say how long its versions are kept after submission
(``retention: P10Y``). :func:`purge` then, for every run of a store:

* deletes the rendered files of versions older than their type's retention
  (``…/<artifact>-v<N>.md`` / ``.html`` in the run's files folder);
* deletes the whole run — its log, summary and person directory — once *every*
  artifact type of its workflow has a retention and the longest of them has
  passed since the run's last event. A workflow that leaves one type without
  retention keeps its runs until someone deletes them.

The log itself is immutable, so a single artifact version cannot be cut out of
it; the run as a whole is the unit of deletion. Without ``apply`` nothing is
deleted: the list says what would be.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from attrs import frozen

from sozialraumprozess.runtime.clock import SystemClock, as_utc
from sozialraumprozess.runtime.deadlines import add_duration

if TYPE_CHECKING:
    from sozialraumprozess.app.service import Service

__all__ = ["Purged", "purge"]


@frozen
class Purged:
    """One thing :func:`purge` deleted (or, without ``apply``, would delete).

    Attributes:
        run_id: The run.
        kind: ``document`` (a rendered file) or ``run`` (the whole run).
        path: The file (relative to the run's files folder), or ``None`` for a run.
        until: The day the retention ended (ISO date).
    """

    run_id: str
    kind: str
    path: str | None
    until: str


def purge(service: Service, *, today: date | None = None, apply: bool = False) -> list[Purged]:
    """Apply the retention periods of every run's workflow (see the module doc).

    Args:
        today: The day to measure against (default: the service's clock).
        apply: Delete; without it only list what would be deleted.
    """
    day = today if today is not None else as_utc((service.clock or SystemClock()).now()).date()
    found: list[Purged] = []
    for run_id in service.run_ids():
        opened = service.load(run_id)
        process = opened.process
        workflow = process.workflow
        periods = {a.id: a.retention for a in workflow.artifacts}
        if periods and all(periods.values()) and process.log:
            last = as_utc(process.log[-1].time).date()
            until = max(add_duration(last, p) for p in periods.values() if p)
            if until < day:
                found.append(Purged(run_id, "run", None, until.isoformat()))
                if apply:
                    service.store.delete(run_id)
                continue
        folder = opened.files
        if folder is None or not folder.is_dir():
            continue
        for artifact, versions in process.state.artifacts.items():
            period = periods.get(artifact)
            if period is None:
                continue
            for version in versions:
                until = add_duration(as_utc(version.submitted_at).date(), period)
                if until >= day:
                    continue
                for path in _files_of(folder, artifact, version.version):
                    found.append(
                        Purged(run_id, "document", str(path.relative_to(folder)), until.isoformat())
                    )
                    if apply:
                        path.unlink()
    return found


def _files_of(folder: Path, artifact: str, version: int) -> list[Path]:
    stem = f"{artifact}-v{version}."
    return sorted(p for p in folder.rglob(f"{stem}*") if p.is_file() and not p.is_symlink())
