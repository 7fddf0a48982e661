"""Gate kind ``event``: the event was held (``count`` times) during this phase visit."""

from __future__ import annotations

from typing import Any

from sozialraumprozess.definition.issues import PathKey
from sozialraumprozess.definition.kinds._base import (
    Blocker,
    Gate,
    GateEnv,
    GateKind,
    LoadContext,
    StateView,
)
from sozialraumprozess.definition.model import Criterion, Workflow
from sozialraumprozess.i18n import Message, msg

__all__ = ["EventKind"]


class EventKind(GateKind):
    """``- event: <id>`` (``count: n``): held at least n times in the current visit."""

    name = "event"
    doc = "The event (id) was held in this phase (at least `count` times)."
    codes = ("not-held",)
    options = ("count",)

    def option_schemas(self) -> dict[str, dict[str, Any]]:
        return {
            "count": {
                "type": "integer",
                "minimum": 1,
                "default": 1,
                "title": "count",
                "description": "For `event`: how often the event must have been held "
                "in this phase.",
            }
        }

    def check(
        self,
        ctx: LoadContext,
        criterion: dict[str, Any],
        path: list[PathKey],
        cpath: list[PathKey],
    ) -> None:
        target = criterion[self.name]
        events = ctx.phase_events
        if ctx.ref("event", target, path) and events is not None and target not in events:
            ctx.add(
                path,
                "event-not-in-phase",
                msg("definition.event-not-in-phase", event=target),
                msg("definition.event-not-in-phase-hint", event=target),
            )

    def compile(self, criterion: Criterion, responsible: str, env: GateEnv) -> Gate:
        spec = env.workflow.event(criterion.target)
        eid, count = spec.id, criterion.count

        def blocker(held: int) -> Blocker:
            if count == 1:
                text = msg("gate.not-held", title=spec.title)
            else:
                text = msg("gate.held-of", title=spec.title, held=held, needed=count)
            return Blocker("event", criterion, spec.organizer, "not-held", text)

        none_held = blocker(0)

        def gate(state: StateView, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            visit = state.visit
            held = 0
            for record in reversed(
                state.held_entries
            ):  # visits only grow: the current ones are last
                if record.visit != visit:
                    break
                if record.event == eid:
                    held += 1
            if held < count:
                out.append(none_held if held == 0 else blocker(held))

        return gate

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        title = workflow.event(criterion.target).title
        if criterion.count > 1:
            return msg("gate.describe-event-count", title=title, needed=criterion.count)
        return msg("gate.describe-event", title=title)

    def document_text(self, workflow: Workflow, criterion: Criterion) -> Message:
        title = workflow.event(criterion.target).title
        if criterion.count > 1:
            return msg("gate.document-event-count", title=title, needed=criterion.count)
        return msg("gate.document-event", title=title)
