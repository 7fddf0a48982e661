"""Gate kind ``findings_addressed`` (format v2): findings are taken up or deferred.

``- findings_addressed: zielkatalog`` (``priority: A``, the default) holds when
every finding (*Befund*) of that priority — in the newest versions of the run's
``findings`` fields — is addressed by a goal of ``zielkatalog`` (the goal's
``findings`` list names it) or explicitly deferred with a reason (a
``deferred-findings`` field anywhere). The blocker names the open findings.
"""

from __future__ import annotations

from typing import Any

from sozialraumprozess.definition.fields.findings import PRIORITIES
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
    check_goals_artifact,
    listed,
)
from sozialraumprozess.definition.model import Criterion, Workflow
from sozialraumprozess.i18n import Message, msg

__all__ = ["FindingsAddressedKind"]


class FindingsAddressedKind(ChainGateKind):
    """``- findings_addressed: <goals artifact>`` (``priority``): no open finding."""

    name = "findings_addressed"
    doc = (
        "Every finding (Befund) of `priority` (default A) is addressed by a goal of this "
        "artifact (id; a `goals` field) or deferred with a reason (format v2)."
    )
    codes = ("finding-not-addressed",)
    options = ("priority",)

    def option_schemas(self) -> dict[str, dict[str, Any]]:
        return {
            "priority": {
                "type": "string",
                "enum": list(PRIORITIES),
                "default": "A",
                "title": "priority",
                "description": "For `findings_addressed`: the priority of the findings that "
                "must be addressed or deferred (`A`, `B` or `C`).",
                "x-since": 2,
            }
        }

    def check_target(self, ctx: LoadContext, target: Any, path: list[PathKey]) -> None:
        check_goals_artifact(ctx, target, path)

    def compile(self, criterion: Criterion, responsible: str, env: GateEnv) -> Gate:
        plan = chain_plan(env.workflow)
        spec = env.workflow.artifact(criterion.target)
        target = spec.id
        priority = str(criterion.option("priority", "A"))

        def gate(state: StateView, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            findings = [f for f in plan.read_findings(state) if f.priority == priority]
            if not findings:
                return
            addressed = {
                f for g in plan.read_goals(state) if g.artifact == target for f in g.findings
            }
            addressed |= {d.finding for d in plan.read_deferrals(state)}
            open_ = [f"{f.id} „{f.text}“" for f in findings if f.id not in addressed]
            if open_:
                text = msg(
                    "chain.finding-not-addressed",
                    findings=listed(open_),
                    count=len(open_),
                    priority=priority,
                    title=spec.title,
                )
                out.append(Blocker(self.name, criterion, spec.owner, "finding-not-addressed", text))

        return gate

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        return msg(
            "chain.describe-findings-addressed",
            priority=str(criterion.option("priority", "A")),
            title=workflow.artifact(criterion.target).title,
        )
