"""Gate kind ``goals_have_measures`` (format v2): every Handlungsziel has a measure.

``- goals_have_measures: massnahme`` holds when every *Handlungsziel* of the
run's goal catalogue (the newest versions of ``goals`` fields) is served by at
least one measure item of ``massnahme`` (an item artifact with ``items: {kind:
measure}`` and a ``goal-refs`` field) that has not been stopped by its
evaluation. The blocker names the goals without a measure.
"""

from __future__ import annotations

from typing import Any

from sozialraumprozess.definition.issues import PathKey
from sozialraumprozess.definition.kinds._base import (
    Blocker,
    Gate,
    GateEnv,
    LoadContext,
    StateView,
)
from sozialraumprozess.definition.kinds._chain import chain_plan
from sozialraumprozess.definition.kinds._chaingates import (
    ChainGateKind,
    check_measure_artifact,
    listed,
)
from sozialraumprozess.definition.model import Criterion, Workflow
from sozialraumprozess.i18n import Message, msg

__all__ = ["GoalsHaveMeasuresKind"]


class GoalsHaveMeasuresKind(ChainGateKind):
    """``- goals_have_measures: <measure artifact>``: no Handlungsziel without a measure."""

    name = "goals_have_measures"
    doc = (
        "Every Handlungsziel (operational goal) of the goal catalogue is served by at least "
        "one measure of this item artifact (id; `items: {kind: measure}`) that was not "
        "stopped (format v2)."
    )
    codes = ("goal-without-measure",)

    def check_target(self, ctx: LoadContext, target: Any, path: list[PathKey]) -> None:
        check_measure_artifact(ctx, target, path)

    def compile(self, criterion: Criterion, responsible: str, env: GateEnv) -> Gate:
        plan = chain_plan(env.workflow)
        spec = env.workflow.artifact(criterion.target)
        target = spec.id

        def gate(state: StateView, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            goals = [g for g in plan.read_goals(state) if g.level == "handlungsziel"]
            if not goals:
                return
            served = {
                goal
                for m in plan.read_measures(state)
                if m.artifact == target and not m.stopped
                for goal in m.goals
            }
            missing = [f"{g.id} „{g.title}“" for g in goals if g.id not in served]
            if missing:
                text = msg(
                    "chain.goal-without-measure",
                    goals=listed(missing),
                    count=len(missing),
                    title=spec.title,
                )
                out.append(Blocker(self.name, criterion, spec.owner, "goal-without-measure", text))

        return gate

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        return msg(
            "chain.describe-goals-have-measures", title=workflow.artifact(criterion.target).title
        )
