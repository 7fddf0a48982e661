"""Gate kind ``approval``: the artifact's newest version is current and approved.

Approved by the role in the artifact's ``approved_by``; a version from an earlier
cycle blocks as ``stale`` (its approval is to be confirmed again).
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
)
from sozialraumprozess.definition.kinds._renew import renewed_blocker
from sozialraumprozess.definition.kinds.artifact import check_produced
from sozialraumprozess.definition.model import Criterion, Label, Workflow
from sozialraumprozess.i18n import Message, msg

__all__ = ["ApprovalKind"]


def _approver(workflow: Workflow, role: str | None) -> Label | str:
    return workflow.role(role).title if role else "?"


class ApprovalKind(GateKind):
    """``- approval: <id>``: the current version is approved by ``approved_by``."""

    name = "approval"
    doc = "The artifact (id) is approved by the role named in its `approved_by`."
    codes = ("stale", "renew", "not-approved")

    def check(
        self,
        ctx: LoadContext,
        criterion: dict[str, Any],
        path: list[PathKey],
        cpath: list[PathKey],
    ) -> None:
        target = criterion[self.name]
        if not ctx.ref("artifact", target, path):
            return
        check_produced(ctx, target, path)
        artifacts = ctx.data.get("artifacts")
        artifact = artifacts.get(target) if isinstance(artifacts, dict) else None
        if isinstance(artifact, dict) and artifact and not artifact.get("approved_by"):
            ctx.add(
                path,
                "no-approver",
                msg("definition.no-approver", artifact=target),
                msg("definition.no-approver-hint", artifact=target),
            )

    def compile(self, criterion: Criterion, responsible: str, env: GateEnv) -> Gate:
        workflow = env.workflow
        spec = workflow.artifact(criterion.target)
        aid, role = spec.id, spec.approved_by
        not_approved: list[Blocker] = []  # built on first use (it looks up the role)
        is_current = env.is_current

        def gate(state: StateView, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            versions = state.artifact_entries.get(aid)
            version = versions[-1] if versions else None
            if version is not None and not is_current(version, state):
                renew = renewed_blocker("approval", criterion, spec, version, state)
                if renew is not None:
                    out.append(renew)
                    return
                text = msg("gate.stale-approval", title=spec.title, cycle=version.current_cycle)
                out.append(Blocker("approval", criterion, role, "stale", text))
                return
            if version is not None and version.approved_by is not None:
                return
            if not not_approved:
                text = msg("gate.not-approved", title=spec.title, by=_approver(workflow, role))
                not_approved.append(Blocker("approval", criterion, role, "not-approved", text))
            out.append(not_approved[0])

        return gate

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        artifact = workflow.artifact(criterion.target)
        by = _approver(workflow, artifact.approved_by)
        return msg("gate.describe-approval", title=artifact.title, by=by)

    def document_text(self, workflow: Workflow, criterion: Criterion) -> Message:
        return msg("gate.document-approval", title=workflow.artifact(criterion.target).title)
