"""Where a run stands: phase, deadline, blockers, open items with their owners, next steps.

:func:`status_of` answers it as JSON-compatible data (what ``sozialraum status
--json`` prints and what a web page shows); every text in it is in the language
asked for.

The answer is worded from *status facts* (:func:`~sozialraumprozess.storage.summary.status_facts`):
the same data without a language. Every store keeps them in the run's summary
at each append, so :func:`status_from_summary` words the stored facts without
the workflow definition, the runtime or a replay — ``sozialraum status`` starts
in a fraction of the time that way (``benchmarks/cli_startup.py``). This module
therefore imports only the catalogs at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypedDict

from sozialraumprozess.i18n import LANGS, Lang, from_json, has_text, messages_in, word

if TYPE_CHECKING:
    from sozialraumprozess.runtime.process import Process

__all__ = [
    "COMMAND_OF_KIND",
    "OpenItem",
    "Status",
    "open_items",
    "status_from_summary",
    "status_of",
    "word_status",
]

#: The command that settles an open item of each kind.
COMMAND_OF_KIND = {
    "artifact": "submit",
    "approval": "approve",
    "event": "event",
    "decision": "decide",
    "item_create": "item create",
    "item_move": "item move",
}

#: :data:`~sozialraumprozess.storage.summary.STATUS_FORMAT`, repeated here so that
#: reading stored facts does not import the storage (tests check they agree).
_STATUS_FORMAT = 2


class OpenItem(TypedDict):
    """Something of the current phase still to be done, and the role that owns it."""

    #: ``artifact`` (to submit), ``approval``, ``event`` (to hold), ``decision``, or for
    #: items (format v2) ``item_create`` (items to create) and ``item_move`` (to move on)
    kind: str
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
    strands: list[dict[str, Any]]
    planned: list[dict[str, Any]]
    deadlines: list[dict[str, Any]]


def _word_items(items: list[dict[str, Any]], lang: Lang) -> list[OpenItem]:
    return [
        {"kind": i["kind"], "id": i["id"], "title": word(i["title"], lang), "role": i["role"]}
        for i in items
    ]


def open_items(process: Process, lang: Lang = "de") -> list[OpenItem]:
    """Artifacts, events and decisions of the current phase that are still open, with owner.

    An artifact without a current version is open for its owner; one that needs an
    approval it lacks, for the approving role; an event of the phase not held since
    the phase was entered, for its organizer; a decision the gate still waits for,
    for the deciding body (see
    :func:`~sozialraumprozess.storage.summary.open_item_facts`).
    """
    from sozialraumprozess.storage.summary import open_item_facts

    return _word_items(open_item_facts(process), lang)


def _owner(roles: list[str], responsible: str) -> str | None:
    """The role that owns a move: the phase's responsible role if it may make it,
    else the first role that may."""
    if responsible in roles:
        return responsible
    return roles[0] if roles else None


def _next_steps(
    final: bool,
    optional: bool,
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
    if optional and not final:  # format v2: an optional phase may be skipped
        steps.append(
            {
                "command": "skip",
                "subject": None,
                "roles": [responsible],
                "role": responsible,
                "possible": True,
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


def _word_blocker(b: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
    # The keys and their order of Blocker.to_dict(lang) (stored facts have sorted keys).
    worded = {
        "kind": b["kind"],
        "target": b["target"],
        "role": b["role"],
        "code": b["code"],
        "path": b["path"],
        "message": word(b["message"], lang),
    }
    if b.get("strand") is not None:
        worded["strand"] = b["strand"]
    return worded


def _word_blockers(blockers: list[dict[str, Any]], lang: Lang) -> list[dict[str, Any]]:
    return [_word_blocker(b, lang) for b in blockers]


def _word_strands(strands: list[dict[str, Any]], lang: Lang) -> list[dict[str, Any]]:
    return [
        {
            "id": s["id"],
            "title": word(s["title"], lang),
            "responsible": s["responsible"],
            "required": s["required"],
            "done": not s["blockers"],
            "blockers": _word_blockers(s["blockers"], lang),
        }
        for s in strands
    ]


def word_status(
    facts: Mapping[str, Any], run_id: str, store: str, lang: Lang, *, overdue: bool
) -> Status:
    """The :class:`Status` of status facts (see
    :func:`~sozialraumprozess.storage.summary.status_facts`), worded in ``lang``.

    Args:
        facts: The facts; their texts are Labels and Messages (or what
            :func:`~sozialraumprozess.i18n.from_json` reads back for them).
        run_id: The run.
        store: Where it is stored (for people).
        lang: The language.
        overdue: Whether the deadline has passed (it depends on the day asked).
    """
    wf, ph = facts["workflow"], facts["phase"]
    transitions = [
        {
            "id": tr["id"],
            "title": word(tr["title"], lang),
            "to": tr["to"],
            "allowed": list(tr["allowed"]),
            "auto": tr["auto"],
            "blockers": _word_blockers(tr["blockers"], lang),
        }
        for tr in facts["transitions"]
    ]
    items = _word_items(facts["open"], lang)
    nxt_title = facts["next_phase_title"]
    return {
        "run_id": run_id,
        "store": store,
        "sozialraum": facts["sozialraum"],
        "workflow": {"id": wf["id"], "version": wf["version"], "title": word(wf["title"], lang)},
        "phase": {
            "id": ph["id"],
            "title": word(ph["title"], lang),
            "number": ph["number"],
            "of": ph["of"],
            "responsible": ph["responsible"],
            "final": ph["final"],
            "optional": ph["optional"],
        },
        "strands": _word_strands(facts["strands"], lang),
        "cycle": facts["cycle"],
        "entered": facts["entered"],
        "deadline": facts["deadline"],
        "overdue": overdue,
        "blockers": _word_blockers(facts["blockers"], lang),
        "can_advance": facts["can_advance"],
        "advance_by": list(facts["advance_by"]),
        "next_phase": facts["next_phase"],
        "transitions": transitions,
        "open": items,
        "next_steps": _next_steps(
            ph["final"],
            ph["optional"],
            facts["can_advance"],
            list(facts["advance_by"]),
            ph["responsible"],
            transitions,
            items,
        ),
        "events": facts["events"],
        "next_phase_title": None if nxt_title is None else word(nxt_title, lang),
        "role_titles": {role: word(title, lang) for role, title in facts["role_titles"]},
        "planned": [{**plan, "title": word(plan["title"], lang)} for plan in facts["planned"]],
        "deadlines": [
            {**found, "title": word(found["title"], lang)} for found in facts["deadlines"]
        ],
    }


def status_of(process: Process, run_id: str, store: str, lang: Lang = "de") -> Status:
    """Where ``process`` (stored as ``run_id`` in ``store``) stands, JSON-compatible.

    Keys: ``run_id``, ``store``, ``sozialraum``, ``workflow`` (id, version, title),
    ``phase`` (id, title, number, of, responsible, final, optional), ``strands``
    (format v2: id, title, responsible, required, done, blockers), ``cycle``, ``entered``,
    ``deadline``, ``overdue``, ``blockers`` (kind, target, role, code, path,
    message), ``can_advance``, ``advance_by``, ``next_phase``,
    ``next_phase_title``, ``transitions`` (id, title, to, allowed, auto, blockers),
    ``open`` (:class:`OpenItem`), ``next_steps`` (command, subject, roles,
    role, possible: what can be done now and by whom; ``role`` is the one role
    that owns the step: the item's owner, or for ``advance`` and ``transition``
    the phase's responsible role if it may move, else the first that may),
    ``events``, ``role_titles``, ``planned`` (open planned events: event, title,
    date, time, until, place), ``deadlines`` (the phase's deadlines: title, date
    or ``None`` while the event it depends on is not planned, role).
    """
    from sozialraumprozess.storage.summary import status_facts

    facts = status_facts(process)
    return word_status(facts, run_id, store, lang, overdue=process.overdue())


def status_from_summary(
    stored: Mapping[str, Any],
    run_id: str,
    store: str,
    lang: Lang = "de",
    *,
    today: date | None = None,
) -> Status | None:
    """:func:`status_of` from the status facts a store kept in the run's summary
    (``RunSummary.status``: JSON data), without the workflow or a replay.

    Args:
        stored: The stored facts.
        run_id: The run.
        store: Where it is stored (for people).
        lang: The language.
        today: The day that decides ``overdue`` (default: today, UTC).

    Returns:
        The status; ``None`` if ``stored`` is not facts of the version this library
        writes, keeps no text in ``lang`` (a language added later), or names a
        message code the catalogs do not know: the caller then loads the run and
        asks :func:`status_of`.
    """
    if stored.get("format") != _STATUS_FORMAT or lang not in LANGS:
        return None
    try:
        facts = from_json({k: v for k, v in stored.items() if k != "format"})
        if not all(has_text(m.code, lang) for m in messages_in(facts)):
            return None  # a code this version's catalogs do not know (kept by an older one)
        deadline = facts["deadline"]
        day = datetime.now(UTC).date() if today is None else today
        overdue = deadline is not None and day > date.fromisoformat(deadline)
        return word_status(facts, run_id, store, lang, overdue=overdue)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # damaged facts (a cache): the caller replays the run
