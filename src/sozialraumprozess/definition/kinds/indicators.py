"""Gate kind ``indicator_snapshot``: the indicators have fresh values in this cycle (format v2).

``- indicator_snapshot: all`` holds once every indicator declared in the workflow's
``indicators:`` has a value recorded (for any *Stichtag*) during the current
cycle; ``- indicator_snapshot: <indicator id>`` asks for that one indicator only.
So a cycle's analysis cannot close on last cycle's figures: each cycle adds its
own snapshot of the Sozialraum's monitoring.

The gate reads the fold's ``indicator_entries`` of the state (records with
``cycle`` and ``values``), which only processes with recorded values carry.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen

from sozialraumprozess.definition.issues import PathKey
from sozialraumprozess.definition.kinds._base import (
    Blocker,
    Gate,
    GateEnv,
    GateKind,
    LoadContext,
    StateView,
)
from sozialraumprozess.definition.model import Criterion, Label, Workflow
from sozialraumprozess.i18n import Lang, Message, msg

__all__ = ["ALL", "IndicatorSnapshotKind"]

#: ``indicator_snapshot: all``: every declared indicator.
ALL = "all"


@frozen
class _Labels:
    """Indicator labels joined in the language asked for (a message parameter; equal
    when the labels are, so blockers compare by value)."""

    labels: tuple[Label, ...]

    def get(self, lang: Lang = "de") -> str:
        return ", ".join(label.get(lang) for label in self.labels)


def _wanted(workflow: Workflow, criterion: Criterion) -> tuple[str, ...]:
    if criterion.target == ALL:
        return tuple(i.id for i in workflow.indicators)
    return (workflow.indicator(criterion.target).id,)


class IndicatorSnapshotKind(GateKind):
    """``- indicator_snapshot: all | <indicator id>``: values recorded in this cycle."""

    name = "indicator_snapshot"
    doc = (
        "The indicators (`all` declared in `indicators`, or one indicator id) have a value "
        "recorded in the current cycle: each cycle's analysis adds a fresh snapshot "
        "(format v2)."
    )
    codes = ("no-snapshot",)

    def schema(self) -> dict[str, Any]:
        return {**super().schema(), "examples": [ALL], "x-since": 2}

    def check(
        self,
        ctx: LoadContext,
        criterion: dict[str, Any],
        path: list[PathKey],
        cpath: list[PathKey],
    ) -> None:
        target = criterion[self.name]
        if target == ALL:
            if not ctx.known.get("indicator"):
                ctx.add(path, "no-indicators", msg("indicators.gate-without-indicators"))
            return
        ctx.ref("indicator", target, path)

    def compile(self, criterion: Criterion, responsible: str, env: GateEnv) -> Gate:
        workflow = env.workflow
        wanted = _wanted(workflow, criterion)
        owners = {i: workflow.indicator(i).recorded_by or responsible for i in wanted}

        def gate(state: StateView, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            cycle = state.cycle
            have: set[str] = set()
            for entry in getattr(state, "indicator_entries", ()):
                if entry.cycle == cycle:
                    have.update(entry.values)
            missing = [i for i in wanted if i not in have]
            if not missing:
                return
            labels = _Labels(tuple(workflow.indicator(i).label for i in missing))
            text = msg("indicators.gate-missing", cycle=cycle, indicators=labels)
            out.append(Blocker(self.name, criterion, owners[missing[0]], "no-snapshot", text))

        return gate

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        if criterion.target == ALL:
            return msg("indicators.describe-all")
        return msg("indicators.describe-one", title=workflow.indicator(criterion.target).label)
