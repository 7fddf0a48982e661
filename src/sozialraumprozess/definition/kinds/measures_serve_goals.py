"""Gate kind ``measures_serve_goals`` (format v2): every measure serves a goal.

``- measures_serve_goals: massnahme`` holds when every measure item of
``massnahme`` cites at least one goal, and every goal it cites is in the run's
current goal catalogue (a goal dropped from a newer catalogue leaves a broken
link). The blockers name the measures and the broken links.
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

__all__ = ["MeasuresServeGoalsKind"]


class MeasuresServeGoalsKind(ChainGateKind):
    """``- measures_serve_goals: <measure artifact>``: no measure without an existing goal."""

    name = "measures_serve_goals"
    doc = (
        "Every measure of this item artifact (id; `items: {kind: measure}`) cites at least "
        "one goal, and every goal it cites exists in the goal catalogue (format v2)."
    )
    codes = ("measure-without-goal", "measure-unknown-goal")

    def check_target(self, ctx: LoadContext, target: Any, path: list[PathKey]) -> None:
        check_measure_artifact(ctx, target, path)

    def compile(self, criterion: Criterion, responsible: str, env: GateEnv) -> Gate:
        plan = chain_plan(env.workflow)
        spec = env.workflow.artifact(criterion.target)
        target = spec.id

        def gate(state: StateView, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            measures = [m for m in plan.read_measures(state) if m.artifact == target]
            if not measures:
                return
            known = {g.id for g in plan.read_goals(state)}
            without = [m.key for m in measures if not m.goals]
            broken = [f"{m.key} → {g}" for m in measures for g in m.goals if g not in known]
            if without:
                text = msg(
                    "chain.measure-without-goal",
                    measures=listed(without),
                    count=len(without),
                    title=spec.title,
                )
                out.append(Blocker(self.name, criterion, spec.owner, "measure-without-goal", text))
            if broken:
                text = msg("chain.measure-unknown-goal", links=listed(broken), count=len(broken))
                out.append(Blocker(self.name, criterion, spec.owner, "measure-unknown-goal", text))

        return gate

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        return msg(
            "chain.describe-measures-serve-goals", title=workflow.artifact(criterion.target).title
        )
