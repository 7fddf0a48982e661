"""Gate kind ``wait``: a minimum duration has passed since a start (format v2).

``- wait: 1 Monat`` with ``since: auslegung`` holds once at least one month has
passed since the event ``auslegung`` was first held in this phase visit (its
first day); ``since: phase`` counts from the day the phase was entered, and
``since: 2025-07-01`` (or ``01.07.2025``) from a fixed date. *Auslegung
mindestens einen Monat*: the gate holds only on or after start + duration.

The day it is judged on is the process's today (or the effective date of the
``advance`` being tried), so the gate is not pure: its blockers change with time.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sozialraumprozess.definition.dates import DateProblem, add_duration, is_duration, parse_date
from sozialraumprozess.definition.issues import PathKey
from sozialraumprozess.definition.kinds._base import (
    Blocker,
    Gate,
    GateEnv,
    GateKind,
    LoadContext,
    StateView,
)
from sozialraumprozess.definition.model import DURATION_PATTERN, Criterion, Workflow
from sozialraumprozess.errors._base import closest
from sozialraumprozess.i18n import Message, msg

__all__ = ["WaitKind"]

#: ``since: phase``: count from the day the current phase was entered.
PHASE = "phase"


def _fixed(text: str) -> date | None:
    try:
        return parse_date(text)
    except DateProblem:
        return None


class WaitKind(GateKind):
    """``- wait: <duration>`` with ``since``: at least that long since the start."""

    name = "wait"
    doc = (
        "A minimum duration (ISO 8601 `P1M` or German `1 Monat`, `6 Wochen`) that must "
        "have passed since `since` (an event id: its first holding in this phase; "
        "`phase`: the phase's entry; or a date) before the phase can be left (format v2)."
    )
    codes = ("not-started", "waiting")
    options = ("since",)

    def schema(self) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "title": self.name,
            "description": self.doc,
            "examples": ["1 Monat", "P1M", "6 Wochen"],
            "x-since": 2,
        }

    def option_schemas(self) -> dict[str, dict[str, Any]]:
        return {
            "since": {
                "type": "string",
                "minLength": 1,
                "title": "since",
                "description": "For `wait`: where the period starts: an event id (first "
                "holding in this phase), `phase` (the phase's entry) or a date "
                "(`2025-07-01`, `01.07.2025`).",
                "x-since": 2,
            }
        }

    def check(
        self,
        ctx: LoadContext,
        criterion: dict[str, Any],
        path: list[PathKey],
        cpath: list[PathKey],
    ) -> None:
        since = criterion.get("since")
        if since is None:
            ctx.add(cpath, "wait-without-since", msg("time.wait-without-since"))
            return
        if not isinstance(since, str) or since == PHASE or _fixed(since) is not None:
            return
        events = ctx.known["event"]
        if since not in events:
            hint = closest(since, (*events, PHASE))
            ctx.add(
                [*cpath, "since"],
                "unknown-since",
                msg("time.unknown-since", since=since),
                msg("name.did-you-mean", name=hint) if hint else msg("time.since-hint"),
            )
        elif ctx.phase_events is not None and since not in ctx.phase_events:
            ctx.add(
                [*cpath, "since"],
                "event-not-in-phase",
                msg("definition.event-not-in-phase", event=since),
                msg("definition.event-not-in-phase-hint", event=since),
            )

    def is_pure(self, criterion: Criterion) -> bool:
        return False

    def compile(self, criterion: Criterion, responsible: str, env: GateEnv) -> Gate:
        period = criterion.target
        if not is_duration(period):  # checked at load time; a dict-built workflow may skip it
            raise ValueError(f"not a duration: {period!r}")
        since = criterion.since or PHASE
        fixed = _fixed(since) if since != PHASE else None
        workflow = env.workflow
        event = None if since == PHASE or fixed is not None else workflow.event(since)
        not_started = (
            Blocker(
                "wait",
                criterion,
                event.organizer or responsible,
                "not-started",
                msg("time.wait-not-started", title=event.title, period=period),
            )
            if event is not None
            else None
        )

        def start(state: StateView) -> date | None:
            if fixed is not None:
                return fixed
            if event is None:
                return state.entered_on
            first = None
            for record in reversed(state.held_entries):
                if record.visit != state.visit:
                    break
                if record.event == event.id:
                    first = record.date
            return None if first is None else date.fromisoformat(first)

        def gate(state: StateView, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            began = start(state)
            if began is None:
                if not_started is not None:
                    out.append(not_started)
                return
            until = add_duration(began, period)
            today = state.today or date.today()
            if today < until:
                text = msg(
                    "time.wait-until",
                    period=period,
                    start=began.isoformat(),
                    until=until.isoformat(),
                )
                out.append(Blocker("wait", criterion, responsible, "waiting", text))

        return gate

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        since = criterion.since or PHASE
        if since == PHASE:
            return msg("time.describe-wait-phase", period=criterion.target)
        if _fixed(since) is not None:
            return msg("time.describe-wait-date", period=criterion.target, start=since)
        title = workflow.event(since).title
        return msg("time.describe-wait-event", period=criterion.target, title=title)
