"""Gate kind ``artifact``: the artifact's newest version is current and complete.

Current: submitted or confirmed in this cycle, or not yet due in it (see
:meth:`GateEnv.is_current`); a version from an earlier cycle blocks as ``stale``
(``aus Zyklus N — neu zu bestätigen``). Complete: every required field filled and
every list long enough (the field types decide, :mod:`..fields`); each gap blocks
as ``incomplete`` with its path.
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
from sozialraumprozess.definition.model import ArtifactType, Criterion, Workflow
from sozialraumprozess.i18n import Message, msg

__all__ = ["ArtifactKind", "check_produced"]


def check_produced(ctx: LoadContext, target: str, path: list[PathKey]) -> None:
    """Report an artifact gate on an artifact no phase up to here produces."""
    if target not in ctx.produced:
        ctx.add(
            path,
            "artifact-not-produced",
            msg("definition.artifact-not-produced", artifact=target),
            msg("definition.artifact-not-produced-hint", artifact=target),
        )


class ArtifactKind(GateKind):
    """``- artifact: <id>``: present, current in this cycle and complete."""

    name = "artifact"
    doc = "The artifact (id) is present and complete: all required fields are filled."
    codes = ("missing", "stale", "renew", "incomplete")

    def check(
        self,
        ctx: LoadContext,
        criterion: dict[str, Any],
        path: list[PathKey],
        cpath: list[PathKey],
    ) -> None:
        target = criterion[self.name]
        if ctx.ref("artifact", target, path):
            check_produced(ctx, target, path)

    def compile(self, criterion: Criterion, responsible: str, env: GateEnv) -> Gate:
        spec = env.workflow.artifact(criterion.target)
        aid = spec.id
        absent = Blocker(
            "artifact", criterion, spec.owner, "missing", msg("gate.missing", title=spec.title)
        )
        find_gaps = env.gaps(aid)
        is_current = env.is_current

        def gate(state: StateView, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            versions = state.artifact_entries.get(aid)
            if not versions:
                out.append(absent)
                return
            version = versions[-1]
            if not is_current(version, state):
                renew = renewed_blocker("artifact", criterion, spec, version, state)
                out.append(renew or stale(criterion, spec, version.current_cycle))
                return
            for gap in find_gaps(version.data):
                text = msg("gate.incomplete", title=spec.title, gap=gap.msg)
                out.append(Blocker("artifact", criterion, spec.owner, "incomplete", text, gap.path))

        return gate

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        return msg("gate.describe-artifact", title=workflow.artifact(criterion.target).title)

    def document_text(self, workflow: Workflow, criterion: Criterion) -> Message:
        return msg("gate.document-artifact", title=workflow.artifact(criterion.target).title)


def stale(criterion: Criterion, spec: ArtifactType, cycle: int) -> Blocker:
    """The newest version is from ``cycle``, which has passed its phase."""
    text = msg("gate.stale", title=spec.title, cycle=cycle)
    return Blocker("artifact", criterion, spec.owner, "stale", text)
