"""Participation accounted for (issue 12 §6): per held event, who was reached, what was
proposed, what became of it, and whether participants were told.

:func:`participation_report` turns a process's participation records (see
:mod:`sozialraumprozess.runtime.participation`) into plain, JSON-compatible data
in one language — the one source for the *Beteiligungsdokumentation*, the report
section, ``sozialraum participation show`` and web applications::

    >>> from sozialraumprozess import load_workflow
    >>> from sozialraumprozess.scenario.sample import run_sample
    >>> process = run_sample(load_workflow("generationengerechte-sozialraumentwicklung"))
    >>> report = participation_report(process)
    >>> werkstatt = [h for h in report["holdings"] if h["event"] == "zukunftswerkstatt"][0]
    >>> [(c["id"], c["outcome_title"]) for c in werkstatt["contributions"]][:2]
    [('ZW-1', 'übernommen'), ('ZW-2', 'übernommen')]
    >>> report["totals"]["told"]
    4

A holding is listed when something of participation was recorded for it, or when
its event type names target groups (then its groups show as not recorded yet).
"""

from __future__ import annotations

from typing import Any

from sozialraumprozess.definition.fields.reference import reference_kind
from sozialraumprozess.definition.model import Label, Workflow
from sozialraumprozess.i18n import Lang, Message, msg, plural
from sozialraumprozess.runtime.participation import OUTCOMES, Contribution, Participation
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import HeldEvent

__all__ = [
    "has_participation",
    "outcome_message",
    "outcome_title",
    "participation_labels",
    "participation_report",
    "participation_summary",
]

_OUTCOME_TITLES: dict[str, Message] = {
    "adopted": msg("participation.outcome-adopted"),
    "partly_adopted": msg("participation.outcome-partly-adopted"),
    "not_adopted": msg("participation.outcome-not-adopted"),
}


def outcome_message(outcome: str | None) -> Message:
    """The outcome's name as a message (``noch nicht abgewogen`` without one)."""
    if outcome is None or outcome not in _OUTCOME_TITLES:
        return msg("participation.outcome-open")
    return _OUTCOME_TITLES[outcome]


def outcome_title(outcome: str | None, lang: Lang = "de") -> str:
    """*übernommen* / *teilweise übernommen* / *nicht übernommen* (``offen`` without one)."""
    return outcome_message(outcome).text(lang)


def _kind_title(kind: str, lang: Lang) -> str:
    try:
        title = reference_kind(kind).title
    except KeyError:
        return kind
    return title.get(lang) if isinstance(title, Label) else title.text(lang)


def _group_title(workflow: Workflow, group: str | None, lang: Lang) -> str | None:
    if group is None:
        return None
    found = {g.id: g for g in workflow.target_groups}.get(group)
    return found.title.get(lang) if found is not None else group


def _link_titles(process: Process) -> dict[tuple[str, str], str]:
    """What the goals, measures and findings contributions link to are called (from
    the run's Wirkungskette; empty if the workflow keeps none)."""
    from sozialraumprozess.steering.chain import chain_used, wirkungskette

    if not chain_used(process.workflow):
        return {}
    chain = wirkungskette(process.workflow, process.state)
    titles = {("goal", goal.id): goal.title for goal in chain.goals}
    titles.update({("measure", m.key): chain.measure_title(m) for m in chain.measures})
    titles.update({("finding", f.id): f.text for f in chain.findings})
    return {ref: title for ref, title in titles.items() if title and title != ref[1]}


def _contribution(
    c: Contribution,
    workflow: Workflow,
    participation: Participation,
    lang: Lang,
    titles: dict[tuple[str, str], str],
) -> dict[str, Any]:
    told = next((f for f in participation.feedback if f.seq == c.told), None)
    return {
        "id": c.id,
        "text": c.text,
        "group": c.group,
        "group_title": _group_title(workflow, c.group, lang),
        "outcome": c.outcome,
        "outcome_title": outcome_title(c.outcome, lang),
        "reason": c.reason,
        "links": [
            {
                "kind": kind,
                "kind_title": _kind_title(kind, lang),
                "id": ref,
                "title": titles.get((kind, ref)),
            }
            for kind, ref in c.links
        ],
        "weighed_on": None if c.weighed_on is None else c.weighed_on.isoformat(),
        "told": told is not None,
        "told_on": None if told is None else told.on.isoformat(),
        "told_how": None if told is None else told.how,
    }


def _reached(groups: list[dict[str, Any]]) -> int:
    """The people reached: the sum over the age groups (each person is in one), or over
    every group when no age group was counted (other groups may overlap)."""
    ages = [g["count"] for g in groups if g["kind"] == "age"]
    return sum(ages) if ages else sum(g["count"] for g in groups)


def _holding(
    held: HeldEvent,
    workflow: Workflow,
    participation: Participation,
    lang: Lang,
    linked: dict[tuple[str, str], str],
) -> dict[str, Any]:
    spec = workflow.event(held.event)
    reach = participation.reach.get(held.seq)
    counts = dict(reach.counts) if reach is not None else {}
    titles = {g.id: g for g in workflow.target_groups}
    order = {gid: index for index, gid in enumerate(titles)}  # as the workflow declares them
    groups = [
        {
            "id": gid,
            "title": titles[gid].title.get(lang) if gid in titles else gid,
            "kind": titles[gid].kind if gid in titles else "group",
            "count": count,
        }
        for gid, count in sorted(counts.items(), key=lambda pair: order.get(pair[0], len(order)))
    ]
    missed = [
        titles[gid].title.get(lang)
        for gid in spec.target_groups
        if gid in titles and not counts.get(gid)
    ]
    contributions = [
        _contribution(c, workflow, participation, lang, linked)
        for c in participation.of_holding(held.seq)
    ]
    feedback = [
        {
            "on": f.on.isoformat(),
            "how": f.how,
            "contributions": list(f.contributions),
            "note": f.note,
        }
        for f in participation.feedback
        if f.held == held.seq
    ]
    return {
        "event": held.event,
        "title": spec.title.get(lang),
        "date": held.date,
        "cycle": held.cycle,
        "phase": held.phase,
        "phase_title": workflow.phase(held.phase).title.get(lang),
        "seq": held.seq,
        "participants": held.participants,
        "reach_recorded": reach is not None,
        "groups": groups,
        "reached": _reached(groups) if reach is not None else None,
        "missed": missed,
        "contributions": contributions,
        "open": [c["id"] for c in contributions if c["outcome"] is None],
        "untold": [c["id"] for c in contributions if c["outcome"] is not None and not c["told"]],
        "feedback": feedback,
    }


def participation_report(process: Process, lang: Lang = "de") -> dict[str, Any]:
    """Participation per held event, with totals, as JSON-compatible data in ``lang``.

    Returns:
        ``{"holdings": [...], "totals": {...}, "outcomes": [...]}``. Each holding has
        ``event``, ``title``, ``date``, ``cycle``, ``phase(_title)``, ``seq``,
        ``participants``, ``groups`` (``id``, ``title``, ``kind`` ``age``/``group``,
        ``count``), ``reached`` (the sum over the age groups — each person is in
        one — or over every group without age groups; ``None`` before a recording), ``missed``
        (target groups of the event not reached), ``contributions`` (``id``, ``text``,
        ``group(_title)``, ``outcome(_title)``, ``reason``, ``links`` with ``kind``,
        ``kind_title``, ``id`` and ``title`` (what the goal, measure or finding is
        called; ``None`` if unknown), ``weighed_on``, ``told``, ``told_on``,
        ``told_how``), ``open`` (ids not weighed), ``untold`` (weighed, not told) and
        ``feedback`` (``on``, ``how``, ``contributions``, ``note``). ``totals``
        counts contributions per outcome, ``open`` and ``told``; ``outcomes`` lists
        the outcomes with their titles.
    """
    workflow = process.workflow
    participation = process.state.participation
    linked = any(c.links for c in participation.contributions.values())
    titles = _link_titles(process) if linked else {}
    holdings = []
    for held in process.held_events:
        spec = workflow.event(held.event)
        recorded = (
            held.seq in participation.reach
            or any(c.held == held.seq for c in participation.contributions.values())
            or any(f.held == held.seq for f in participation.feedback)
        )
        if recorded or spec.target_groups:
            holdings.append(_holding(held, workflow, participation, lang, titles))
    contributions = list(participation.contributions.values())
    totals: dict[str, int] = {"contributions": len(contributions)}
    for outcome in OUTCOMES:
        totals[outcome] = sum(1 for c in contributions if c.outcome == outcome)
    totals["open"] = sum(1 for c in contributions if c.outcome is None)
    totals["told"] = sum(1 for c in contributions if c.told is not None)
    return {
        "holdings": holdings,
        "totals": totals,
        "outcomes": [{"id": o, "title": outcome_title(o, lang)} for o in OUTCOMES],
    }


def has_participation(process: Process) -> bool:
    """True once anything of participation was recorded (reach, a contribution, feedback)."""
    found = process.state.participation
    return bool(found.reach or found.contributions or found.feedback)


_LABELS: dict[str, Message] = {
    "heading": msg("participation.doc-heading"),
    "document": msg("participation.doc-title"),
    "group": msg("participation.head-group"),
    "count": msg("participation.head-count"),
    "total": msg("participation.doc-total"),
    "participants": msg("participation.doc-participants"),
    "no_reach": msg("participation.doc-no-reach"),
    "missed": msg("participation.doc-missed"),
    "id": msg("participation.head-id"),
    "contribution": msg("participation.head-contribution"),
    "from_group": msg("participation.doc-from-group"),
    "outcome": msg("participation.head-outcome"),
    "reason": msg("participation.doc-reason"),
    "taken_up": msg("participation.doc-taken-up"),
    "feedback": msg("participation.head-told"),
    "not_told": msg("participation.doc-not-told"),
    "no_contributions": msg("participation.doc-no-contributions"),
    "told": msg("participation.doc-told"),
    "intro": msg("participation.doc-intro"),
}


def participation_labels(lang: Lang = "de") -> dict[str, str]:
    """The words the participation document and report section use, in ``lang``."""
    return {key: message.text(lang) for key, message in _LABELS.items()}


def participation_summary(report: dict[str, Any], lang: Lang = "de") -> str:
    """One sentence: how many contributions, what became of them, how many were fed back."""
    totals = report["totals"]
    return plural(
        "participation.doc-summary",
        totals["contributions"],
        adopted=totals["adopted"],
        partly=totals["partly_adopted"],
        not_adopted=totals["not_adopted"],
        open=totals["open"],
        told=totals["told"],
    ).text(lang)
