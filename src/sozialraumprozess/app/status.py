"""Where a run stands: phase, deadline, blockers, open items with their owners, next steps.

:func:`status_of` answers it as JSON-compatible data (what ``sozialraum status
--json`` prints and what a web page shows); every text in it is in the language
asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from sozialraumprozess.i18n import Lang

if TYPE_CHECKING:
    from sozialraumprozess.runtime.process import Process

__all__ = ["COMMAND_OF_KIND", "OpenItem", "Status", "open_items", "status_of"]

#: The command that settles an open item of each kind.
COMMAND_OF_KIND = {
    "artifact": "submit",
    "approval": "approve",
    "event": "event",
    "decision": "decide",
}


class OpenItem(TypedDict):
    """Something of the current phase still to be done, and the role that owns it."""

    kind: str  #: ``artifact`` (to submit), ``approval``, ``event`` (to hold) or ``decision``
    id: str  #: the artifact, event or decision id
    title: str  #: its title in the language asked for
    role: str | None  #: the role id that owns it


class Status(TypedDict):
    """Everything a front end shows about where a run stands (see :func:`status_of`)."""

    run_id: str
    store: str
    sozialraum: str
    workflow: dict[str, Any]
    phase: dict[str, Any]
    cycle: int
    entered: str | None
    deadline: str | None
    overdue: bool
    blockers: list[dict[str, Any]]
    can_advance: bool
    advance_by: list[str]
    next_phase: str | None
    transitions: list[dict[str, Any]]
    open: list[OpenItem]
    next_steps: list[dict[str, Any]]
    events: int
    next_phase_title: str | None
    role_titles: dict[str, str]


def open_items(process: Process, lang: Lang = "de") -> list[OpenItem]:
    """Artifacts, events and decisions of the current phase that are still open, with owner.

    An artifact without a current version is open for its owner; one that needs an
    approval it lacks, for the approving role; an event of the phase not held since
    the phase was entered, for its organizer; a decision the gate still waits for,
    for the deciding body.
    """
    wf = process.workflow
    phase = wf.phase(process.phase)
    state = process.state
    visit_seq = process.visits[-1].seq if process.visits else 0
    items: list[OpenItem] = []
    seen: set[tuple[str, str]] = set()
    for artifact in phase.artifacts:
        spec = wf.artifact(artifact)
        latest = process.latest(artifact)
        if latest is not None and state.is_current(latest, wf):
            if spec.approved_by is None or latest.approved:
                continue
            what, role = "approval", spec.approved_by
        else:
            what, role = "artifact", spec.owner
        seen.add((what, artifact))
        items.append({"kind": what, "id": artifact, "title": spec.title.get(lang), "role": role})
    for event_id in phase.events:
        spec_e = wf.event(event_id)
        if any(h.event == event_id and h.seq > visit_seq for h in process.held_events):
            continue
        seen.add(("event", event_id))
        items.append(
            {
                "kind": "event",
                "id": event_id,
                "title": spec_e.title.get(lang),
                "role": spec_e.organizer,
            }
        )
    for blocker in process.blockers():
        if blocker.kind != "decision" or ("decision", blocker.target) in seen:
            continue
        seen.add(("decision", blocker.target))
        items.append(
            {
                "kind": "decision",
                "id": blocker.target,
                "title": wf.decision(blocker.target).title.get(lang),
                "role": blocker.role,
            }
        )
    return items


def _owner(roles: list[str], responsible: str) -> str | None:
    """The role that owns a move: the phase's responsible role if it may make it,
    else the first role that may."""
    if responsible in roles:
        return responsible
    return roles[0] if roles else None


def _next_steps(
    final: bool,
    can_advance: bool,
    advance_by: list[str],
    responsible: str,
    transitions: list[dict[str, Any]],
    items: list[OpenItem],
) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    for item in items:
        steps.append(
            {
                "command": COMMAND_OF_KIND[item["kind"]],
                "subject": item["id"],
                "roles": [item["role"]] if item["role"] else [],
                "role": item["role"],
                "possible": True,
            }
        )
    if not final:
        steps.append(
            {
                "command": "advance",
                "subject": None,
                "roles": advance_by,
                "role": _owner(advance_by, responsible),
                "possible": can_advance,
            }
        )
    for tr in transitions:
        steps.append(
            {
                "command": "transition",
                "subject": tr["id"],
                "roles": tr["allowed"],
                "role": _owner(tr["allowed"], responsible),
                "possible": not tr["blockers"],
            }
        )
    return steps


def status_of(process: Process, run_id: str, store: str, lang: Lang = "de") -> Status:
    """Where ``process`` (stored as ``run_id`` in ``store``) stands, JSON-compatible.

    Keys: ``run_id``, ``store``, ``sozialraum``, ``workflow`` (id, version, title),
    ``phase`` (id, title, number, of, responsible, final), ``cycle``, ``entered``,
    ``deadline``, ``overdue``, ``blockers`` (kind, target, role, code, path,
    message), ``can_advance``, ``advance_by``, ``next_phase``,
    ``next_phase_title``, ``transitions`` (id, title, to, allowed, blockers),
    ``open`` (:class:`OpenItem`), ``next_steps`` (command, subject, roles,
    role, possible: what can be done now and by whom; ``role`` is the one role
    that owns the step: the item's owner, or for ``advance`` and ``transition``
    the phase's responsible role if it may move, else the first that may),
    ``events``, ``role_titles``.
    """
    wf = process.workflow
    phase = wf.phase(process.phase)
    deadline = process.deadline()
    blockers = process.blockers()
    final = wf.is_final(process.phase)
    entered = process.visits[-1].entered_at.date() if process.visits else None
    transitions = [
        {
            "id": tr.id,
            "title": tr.title.get(lang) if tr.title else tr.id,
            "to": tr.target,
            "allowed": list(tr.allowed),
            "blockers": [b.to_dict(lang) for b in process.blockers(tr.id)],
        }
        for tr in wf.transitions_from(process.phase)
    ]
    can_advance = process.can_advance()
    advance_by = [] if final else list(process.allowed("advance"))
    items = open_items(process, lang)
    nxt = wf.next_phase(process.phase)
    return {
        "run_id": run_id,
        "store": store,
        "sozialraum": process.sozialraum.name,
        "workflow": {"id": wf.id, "version": wf.version, "title": wf.title.get(lang)},
        "phase": {
            "id": phase.id,
            "title": phase.title.get(lang),
            "number": wf.phase_index(phase.id) + 1,
            "of": len(wf.phases),
            "responsible": phase.responsible,
            "final": final,
        },
        "cycle": process.cycle,
        "entered": entered.isoformat() if entered else None,
        "deadline": deadline.isoformat() if deadline else None,
        "overdue": process.overdue(),
        "blockers": [b.to_dict(lang) for b in blockers],
        "can_advance": can_advance,
        "advance_by": advance_by,
        "next_phase": nxt,
        "transitions": transitions,
        "open": items,
        "next_steps": _next_steps(
            final, can_advance, advance_by, phase.responsible, transitions, items
        ),
        "events": len(process.log),
        "next_phase_title": wf.phase(nxt).title.get(lang) if nxt else None,
        "role_titles": {r.id: r.title.get(lang) for r in wf.roles},
    }
