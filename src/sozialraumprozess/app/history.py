"""A run's log as rows a person reads: who did what, when."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sozialraumprozess.i18n import Lang, Message, msg, plural
from sozialraumprozess.runtime.pseudonyms import display_name, is_person_id

if TYPE_CHECKING:
    from sozialraumprozess.definition.model import Label
    from sozialraumprozess.runtime.process import Process
    from sozialraumprozess.runtime.records import ProcessEvent

__all__ = ["describe_event", "history_rows"]


def _title(process: Process, kind: str, ident: str) -> Label | str:
    wf = process.workflow
    try:
        if kind == "artifact":
            return wf.artifact(ident).title
        if kind == "event":
            return wf.event(ident).title
        if kind == "decision":
            return wf.decision(ident).title
        return wf.phase(ident).title
    except KeyError:
        return ident


def describe_event(event: ProcessEvent, process: Process, counts: dict[str, int]) -> Message:
    """What a log event did, as a message (``counts``: submissions per artifact so far,
    updated here: pass the same dict for the events of one log in order)."""
    p = event.payload
    kind = event.type
    if kind == "process_started":
        return msg("app.history-started", name=p["sozialraum"]["name"])
    if kind == "participant_set":
        name: Message | str = msg("people.erased") if is_person_id(p["name"]) else p["name"]
        return msg("app.history-participant", name=name, roles=", ".join(p["roles"]))
    if kind == "artifact_submitted":
        counts[p["artifact"]] = counts.get(p["artifact"], 0) + 1
        title = _title(process, "artifact", p["artifact"])
        return msg("app.history-submitted", title=title, version=counts[p["artifact"]])
    if kind == "artifact_approved":
        title = _title(process, "artifact", p["artifact"])
        return msg("app.history-approved", title=title, version=p["version"])
    if kind == "artifact_confirmed":
        title = _title(process, "artifact", p["artifact"])
        return msg("app.history-confirmed", title=title, version=p["version"])
    if kind == "event_held":
        title = _title(process, "event", p["event"])
        if p.get("participants") is not None:
            return msg(
                "app.history-event-with-participants",
                title=title,
                date=p["date"],
                participants=p["participants"],
            )
        return msg("app.history-event", title=title, date=p["date"])
    if kind == "event_planned":
        title = _title(process, "event", p["event"])
        return msg("time.history-planned", title=title, date=p["date"])
    if kind == "event_rescheduled":
        title = _title(process, "event", p["event"])
        return msg("time.history-rescheduled", title=title, date=p["date"])
    if kind == "event_cancelled":
        return msg("time.history-cancelled", title=_title(process, "event", p["event"]))
    if kind == "decision_recorded":
        title = _title(process, "decision", p["decision"])
        votes: Message | str
        if p.get("yes") is not None:
            votes = f"{p['yes']}/{p['no']}/{p.get('abstain') or 0}"
        elif p.get("consensus"):
            votes = msg("app.history-consensus")
        else:
            votes = msg("app.history-no-consensus")
        return msg("app.history-decision", title=title, date=p["date"], votes=votes)
    if kind == "phase_advanced":
        return msg(
            "app.history-advanced",
            source=_title(process, "phase", p["from"]),
            target=_title(process, "phase", p["to"]),
        )
    if kind == "phase_skipped":
        return msg(
            "phases.history-skipped",
            source=_title(process, "phase", p["from"]),
            target=_title(process, "phase", p["to"]),
            reason=p["reason"],
        )
    if kind == "transition_taken":
        source = _title(process, "phase", p["from"])
        target = _title(process, "phase", p["to"])
        if p.get("reason"):
            return msg(
                "app.history-transition-reason",
                transition=p["transition"],
                source=source,
                target=target,
                reason=p["reason"],
            )
        return msg(
            "app.history-transition", transition=p["transition"], source=source, target=target
        )
    if kind == "workflow_migrated":
        return msg(
            "app.history-migrated",
            old=p["from"]["version"],
            new=p["to"]["version"],
            reason=p["reason"],
        )
    if kind in ("item_created", "item_changed", "item_moved"):
        return _describe_item(kind, p, process)
    if kind == "indicator_values_recorded":
        return plural("indicators.history", len(p["values"]), stichtag=p["stichtag"])
    if kind == "sozialraum_recorded":
        if p.get("taken_from"):
            return msg(
                "sozialraum.history-taken-over", name=p["sozialraum"]["name"], run=p["taken_from"]
            )
        return msg("sozialraum.history", name=p["sozialraum"]["name"])
    return msg("app.history-other", type=kind)


def _state_title(process: Process, artifact: str, state: str) -> Label | str:
    try:
        lifecycle = process.workflow.artifact(artifact).items
    except KeyError:
        return state
    found = lifecycle.state(state) if lifecycle is not None else None
    return found.title if found is not None else state


def _describe_item(kind: str, p: dict[str, Any], process: Process) -> Message:
    """An item event (format v2): created, changed, or moved from one state to another."""
    title = _title(process, "artifact", p["artifact"])
    if kind == "item_created":
        return msg("app.history-item-created", title=title, key=p["key"])
    if kind == "item_changed":
        return msg("app.history-item-changed", title=title, key=p["key"])
    return msg(
        "app.history-item-moved",
        title=title,
        key=p["key"],
        source=_state_title(process, p["artifact"], p["from"]),
        target=_state_title(process, p["artifact"], p["to"]),
    )


def _who(event: ProcessEvent, lang: Lang) -> str:
    """``Name (rolle)``; an erased person is "[gelöscht] (rolle)" / "[erased] (rolle)"."""
    actor = event.actor
    if actor.participant is None or not is_person_id(actor.participant):
        return actor.label()
    return f"{display_name(actor.participant, lang)} ({actor.role})"


def history_rows(process: Process, lang: Lang = "de") -> list[dict[str, Any]]:
    """One JSON-compatible row per log event: ``seq``, ``time`` (ISO 8601 UTC, when it
    was recorded), ``date`` (the effective date: when it happened, ``YYYY-MM-DD``),
    ``who``, ``actor`` (role, participant), ``type``, ``what`` (in ``lang``), ``payload``."""
    counts: dict[str, int] = {}
    return [
        {
            "seq": event.seq,
            "time": event.time.isoformat().replace("+00:00", "Z"),
            "date": event.day.isoformat(),
            "who": _who(event, lang),
            "actor": {"role": event.actor.role, "participant": event.actor.participant},
            "type": event.type,
            "what": describe_event(event, process, counts).text(lang),
            "payload": event.payload,
        }
        for event in process.log
    ]
