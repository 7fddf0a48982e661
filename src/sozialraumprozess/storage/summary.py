"""A run's summary: what listing needs, kept next to the log so listing never replays.

A :class:`RunSummary` is derived from a process (:func:`summarize`) every time a
run is saved and stored beside its events (``run.json`` in a folder store, the
``runs`` table in SQLite). It is a cache of the log, never a source of truth.

Besides what listing filters on, a summary keeps what an overview of many runs
shows (the portfolio): the number of open blockers and the rows of the newest
annual report (:func:`annual_items`). These two are ``None`` in summaries
written before they existed (or by an older library version); a reader then
computes them from the run.

A summary also keeps what ``sozialraum status`` shows (:func:`status_facts`):
phase, cycle, deadline, blockers, open items with their owning roles, the ways
on, as data without a language (texts as message codes with parameters, workflow
labels in every language; see :func:`sozialraumprozess.i18n.to_json`). Every
store writes it with each append, so ``status`` answers from it without loading
the workflow or replaying the log (:func:`sozialraumprozess.app.status.status_from_summary`).
It is ``None`` in summaries written before it existed; a reader then replays.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from sozialraumprozess.definition.annual import (
    LEGACY_ARTIFACT,
    LEGACY_COLUMNS,
    annual_table,
    table_rows,
)
from sozialraumprozess.i18n import to_json
from sozialraumprozess.runtime.clock import as_utc, format_time, parse_time
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import WorkflowRef
from sozialraumprozess.storage.chain import is_hash

if TYPE_CHECKING:
    from sozialraumprozess.definition.kinds import Blocker

__all__ = [
    "ANNUAL_ARTIFACT",
    "ANNUAL_COLUMNS",
    "LOG_FIELDS",
    "STATUS_FORMAT",
    "RunSummary",
    "annual_items",
    "format_time",
    "is_status",
    "open_item_facts",
    "parse_time",
    "status_facts",
    "summarize",
]

#: The summary fields read off the log's events (all but ``run_id`` and ``version``),
#: in the order a disagreement with the log is reported.
LOG_FIELDS = ("workflow", "title", "phase", "cycle", "deadline", "created_at", "updated_at")

#: The version of the stored status facts (``RunSummary.status["format"]``); a reader
#: ignores facts of another version (and replays the run instead). Raise it (here and
#: in ``app/status.py``) when the facts change shape, or when the same log would
#: show another status (gate or open-item rules changed): stored facts are then
#: recomputed instead of shown. Message codes the catalogs no longer have are caught
#: when read.
STATUS_FORMAT = 2  # 2: strands, optional phases, conditional routes (format v2)

#: The artifact of the annual table before workflows could say it (``annual_table``).
ANNUAL_ARTIFACT = LEGACY_ARTIFACT
#: The columns of that table (see :func:`sozialraumprozess.definition.annual.annual_table`).
ANNUAL_COLUMNS = LEGACY_COLUMNS


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
        status: What ``sozialraum status`` shows (:func:`status_facts`) as JSON
            data (:func:`~sozialraumprozess.i18n.to_json`) with ``format``
            :data:`STATUS_FORMAT`, or ``None`` if not stored (older summaries).
        head: The hash of the event at :attr:`version` (the head of the run's
            hash chain, see :mod:`.chain`), set by the store that keeps it;
            ``None`` in summaries built from a process or stored before chains.
            Not part of equality (a summary describes the run, the head proves it).
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
    status: dict[str, Any] | None = field(default=None, hash=False)
    head: str | None = field(default=None, eq=False)

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
        """JSON-compatible data (dates and times as ISO text; ``head`` only if set)."""
        head = {} if self.head is None else {"head": self.head}
        return (
            head
            | {
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
            | self.details_dict()
        )

    def details_dict(self) -> dict[str, Any]:
        """``blockers``, ``annual`` and ``status`` as JSON-compatible data (each only if
        stored)."""
        out: dict[str, Any] = {}
        if self.has_details:
            out = {"blockers": self.blockers, "annual": [dict(row) for row in self.annual or ()]}
        if self.status is not None:
            out["status"] = self.status
        return out

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
        status = data.get("status")
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
            status=status if is_status(status, version) else None,
            head=_head(data.get("head")),
        )


def _head(value: object) -> str | None:
    if value is None:
        return None
    if not is_hash(value):
        raise ValueError(f"head must be 64 lowercase hex digits, not {value!r}")
    return str(value)


def is_status(data: object, version: int) -> bool:
    """True if ``data`` looks like stored status facts of the run at ``version`` (a
    cache: facts of another format or version are ignored, and the run replayed)."""
    return (
        isinstance(data, dict)
        and data.get("format") == STATUS_FORMAT
        and data.get("events") == version
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
    """The rows of the process's annual table (none if its workflow has none).

    The workflow's ``annual_table`` says which artifact's list field makes the
    rows and which fields the columns (without it: ``jahresbericht.projekte``,
    see :func:`~sozialraumprozess.definition.annual.annual_table`). Each row has
    ``sozialraum`` (the entry's own, else the process's), ``year``, ``version``,
    ``approved`` and the table's columns.
    """
    table = annual_table(process.workflow)
    if table is None:
        return ()
    latest = process.latest(table.artifact)
    if latest is None:
        return ()
    rows = table_rows(table, latest.data, sozialraum=process.sozialraum.name)
    for row in rows:
        row["version"] = latest.version
        row["approved"] = latest.approved
    return tuple(rows)


def open_item_facts(
    process: Process, blockers: Sequence[Blocker] | None = None
) -> list[dict[str, Any]]:
    """Artifacts, events and decisions of the current phase still open, with their owner.

    Each item has ``kind`` (``artifact`` to submit, ``approval``, ``event`` to hold or
    ``decision``), ``id``, ``title`` (the workflow's Label) and ``role`` (the owning
    role id or ``None``). An artifact without a current version is open for its
    owner; one that needs an approval it lacks, for the approving role; an event of
    the phase not held since the phase was entered, for its organizer; a decision
    the gate still waits for, for the deciding body.

    Args:
        process: The process.
        blockers: ``process.blockers()`` if already at hand.
    """
    wf = process.workflow
    phase = wf.phase(process.phase)
    state = process.state
    visit_seq = process.visits[-1].seq if process.visits else 0
    items: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for artifact in phase.all_artifacts:  # with its strands' (format v2)
        spec = wf.artifact(artifact)
        if spec.items is not None:  # items (format v2): open as their gates say, below
            continue
        latest = process.latest(artifact)
        if latest is not None and state.is_current(latest, wf):
            if spec.approved_by is None or latest.approved:
                continue
            what, role = "approval", spec.approved_by
        else:
            what, role = "artifact", spec.owner
        seen.add((what, artifact))
        items.append({"kind": what, "id": artifact, "title": spec.title, "role": role})
    for event_id in phase.all_events:
        spec_e = wf.event(event_id)
        if any(h.event == event_id and h.seq > visit_seq for h in process.held_events):
            continue
        seen.add(("event", event_id))
        organizer = spec_e.organizer
        if organizer is None and phase.strands:  # a strand's event: its responsible role
            strand = phase.strand_of("event", event_id)
            organizer = strand.responsible if strand is not None else None
        items.append({"kind": "event", "id": event_id, "title": spec_e.title, "role": organizer})
    for blocker in process.blockers() if blockers is None else blockers:
        opens = ITEM_OPEN_KIND.get(blocker.code) if blocker.kind in ITEM_GATES else None
        if opens is not None and (opens, blocker.target) not in seen:
            seen.add((opens, blocker.target))
            items.append(
                {
                    "kind": opens,
                    "id": blocker.target,
                    "title": wf.artifact(blocker.target).title,
                    "role": blocker.role,
                }
            )
            continue
        if blocker.kind != "decision" or ("decision", blocker.target) in seen:
            continue
        seen.add(("decision", blocker.target))
        items.append(
            {
                "kind": "decision",
                "id": blocker.target,
                "title": wf.decision(blocker.target).title,
                "role": blocker.role,
            }
        )
    return items


#: The gate kinds over items (format v2), and the open item each blocker code means:
#: ``item_create`` (items to create) or ``item_move`` (items to move on).
ITEM_GATES = frozenset(("items", "all_items", "items_per_entry"))
ITEM_OPEN_KIND = {
    "too-few-items": "item_create",
    "no-items": "item_create",
    "items-missing": "item_create",
    "items-not-in-state": "item_move",
}


def _blocker_facts(blocker: Blocker) -> dict[str, Any]:
    # The keys of Blocker.to_dict, in its order, with the message as a Message.
    facts = {
        "kind": blocker.kind,
        "target": blocker.target,
        "role": blocker.role,
        "code": blocker.code,
        "path": blocker.path,
        "message": blocker.msg,
    }
    if blocker.strand is not None:
        facts["strand"] = blocker.strand
    return facts


def _strand_facts(process: Process) -> list[dict[str, Any]]:
    """The current phase's strands (format v2): id, title, responsible, required, blockers."""
    phase = process.workflow.phase(process.phase)
    if not phase.strands:
        return []
    return [
        {
            "id": state.id,
            "title": spec.title,
            "responsible": state.responsible,
            "required": state.required,
            "blockers": [_blocker_facts(b) for b in state.blockers],
        }
        for state, spec in zip(process.strands(), phase.strands, strict=True)
    ]


def status_facts(process: Process, blockers: Sequence[Blocker] | None = None) -> dict[str, Any]:
    """What ``sozialraum status`` shows about ``process``, without a language.

    Texts are the objects that word them (workflow Labels, catalog Messages);
    :func:`sozialraumprozess.app.status.word_status` words them. Keys:
    ``sozialraum``, ``workflow`` (id, version, title), ``phase`` (id, title,
    number, of, responsible, final, optional), ``strands`` (id, title, responsible,
    required, blockers; format v2), ``cycle``, ``entered``, ``deadline`` (ISO
    dates or ``None``), ``blockers`` (kind, target, role, code, path, message),
    ``can_advance``, ``advance_by``, ``next_phase``, ``next_phase_title``,
    ``transitions`` (id, title, to, allowed, auto, blockers), ``open``
    (:func:`open_item_facts`), ``events`` (the number of events), ``planned``
    (open planned events: event, title, date, time, until, place), ``deadlines``
    (the phase's deadlines: title, date or ``None``, role) and
    ``role_titles`` (``[role id, title]`` pairs in the workflow's order: a list,
    as stores keep JSON objects with sorted keys).

    Args:
        process: The process.
        blockers: ``process.blockers()`` if already at hand.
    """
    wf = process.workflow
    phase = wf.phase(process.phase)
    deadline = process.deadline()
    blockers = process.blockers() if blockers is None else blockers
    # A phase without `next` is final unless an `auto` transition may lead on (format v2).
    final = wf.is_final(process.phase) and not any(
        t.auto for t in wf.transitions_from(process.phase)
    )
    entered = process.visits[-1].entered_at.date() if process.visits else None
    nxt = process.route()  # an `auto` transition whose condition holds, else `next`
    return {
        "sozialraum": process.sozialraum.name,
        "workflow": {"id": wf.id, "version": wf.version, "title": wf.title},
        "phase": {
            "id": phase.id,
            "title": phase.title,
            "number": wf.phase_index(phase.id) + 1,
            "of": len(wf.phases),
            "responsible": phase.responsible,
            "final": final,
            "optional": phase.optional,
        },
        "strands": _strand_facts(process),
        "cycle": process.cycle,
        "entered": entered.isoformat() if entered else None,
        "deadline": deadline.isoformat() if deadline else None,
        "blockers": [_blocker_facts(b) for b in blockers],
        "can_advance": process.can_advance(),
        "advance_by": [] if final else list(process.allowed("advance")),
        "next_phase": nxt,
        "next_phase_title": wf.phase(nxt).title if nxt else None,
        "transitions": [
            {
                "id": tr.id,
                "title": tr.title if tr.title else tr.id,
                "to": tr.target,
                "allowed": list(tr.allowed),
                "auto": tr.auto,
                "blockers": [_blocker_facts(b) for b in process.blockers(tr.id)],
            }
            for tr in wf.transitions_from(process.phase)
        ],
        "open": open_item_facts(process, blockers),
        "events": len(process.log),
        "role_titles": [[r.id, r.title] for r in wf.roles],
        "deadlines": [
            {
                "title": deadline.title,
                "date": None if day is None else day.isoformat(),
                "role": deadline.owner,
            }
            for deadline, day in process.deadlines()
        ],
        "planned": [
            {
                "event": plan.event,
                "title": wf.event(plan.event).title,
                "date": plan.date,
                "time": plan.time,
                "until": plan.until,
                "place": plan.place,
            }
            for plan in process.state.plan_entries
            if plan.status == "planned"
        ],
    }


def _stored_status(process: Process, blockers: Sequence[Blocker]) -> dict[str, Any] | None:
    """:func:`status_facts` as JSON data tagged with :data:`STATUS_FORMAT`; ``None`` if a
    text cannot be kept as JSON (a message parameter of a type :func:`to_json` does
    not know: ``status`` then replays the run, as for an older summary)."""
    if process.time_dependent:  # blockers change with the day: status replays the run
        return None
    try:
        data: dict[str, Any] = to_json(status_facts(process, blockers))
    except TypeError:
        return None
    return {"format": STATUS_FORMAT, **data}


def summarize(run_id: str, process: Process, *, details: bool = True) -> RunSummary:
    """The summary of ``process`` stored as run ``run_id``.

    Args:
        run_id: The run.
        process: Its process.
        details: Also count the blockers, collect the annual rows (what a
            portfolio shows) and the status facts (what ``status`` shows); false
            when only the fields read off the log (:data:`LOG_FIELDS`) are compared.

    Raises:
        ValueError: The process has no events.
    """
    log = process.log
    if not log:
        raise ValueError("a process without events cannot be stored")
    blockers = process.blockers() if details else ()
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
        blockers=len(blockers) if details else None,
        annual=annual_items(process) if details else None,
        status=_stored_status(process, blockers) if details else None,
    )
