"""Gate kind ``decision``: the newest decision of the type in this visit passed.

Passed means its rule and quorum were met (a *Kenntnisnahme*, rule
``taking_note``, passes once recorded); otherwise the blocker's code is the
result's (``rejected``, ``no-quorum``, ``no-consensus``). A decision type that
``adopts`` an artifact blocks as ``outdated`` once a newer version of that
artifact exists than the one the decision adopted.
"""

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
    Worded,
)
from sozialraumprozess.definition.model import Criterion, Workflow
from sozialraumprozess.i18n import Message, msg

__all__ = ["DecisionKind"]


class DecisionKind(GateKind):
    """``- decision: <id>``: taken during the current visit and passed."""

    name = "decision"
    doc = "The decision (id) was taken in this phase and passed (rule and quorum met)."
    codes = ("not-taken", "rejected", "no-quorum", "no-consensus", "outdated")

    def check(
        self,
        ctx: LoadContext,
        criterion: dict[str, Any],
        path: list[PathKey],
        cpath: list[PathKey],
    ) -> None:
        ctx.ref("decision", criterion[self.name], path)

    def compile(self, criterion: Criterion, responsible: str, env: GateEnv) -> Gate:
        spec = env.workflow.decision(criterion.target)
        did = spec.id
        adopts = spec.adopts
        artifact_title = env.workflow.artifact(adopts).title if adopts is not None else None
        not_taken = Blocker(
            "decision", criterion, spec.body, "not-taken", msg("gate.not-taken", title=spec.title)
        )

        def gate(state: StateView, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            visit = state.visit
            for record in reversed(state.decision_entries):
                if record.visit != visit:
                    break
                if record.decision == did:
                    result = record.result
                    if not result.passed:
                        text = msg("gate.not-passed", title=spec.title, result=Worded(result))
                        out.append(Blocker("decision", criterion, spec.body, result.code, text))
                    elif adopts is not None:
                        versions = state.artifact_entries.get(adopts)
                        newest = versions[-1].version if versions else 0
                        if record.adopted is not None and newest > record.adopted:
                            text = msg(
                                "time.adopted-outdated",
                                title=spec.title,
                                artifact=artifact_title,
                                adopted=record.adopted,
                                newest=newest,
                            )
                            out.append(Blocker("decision", criterion, spec.body, "outdated", text))
                    return
            out.append(not_taken)

        return gate

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        decision = workflow.decision(criterion.target)
        body = workflow.role(decision.body).title
        return msg("gate.describe-decision", title=decision.title, body=body)

    def document_text(self, workflow: Workflow, criterion: Criterion) -> Message:
        return msg("gate.document-decision", title=workflow.decision(criterion.target).title)
