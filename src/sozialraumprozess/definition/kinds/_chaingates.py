"""What the steering chain's gate kinds share: load-time checks and listing names."""

from __future__ import annotations

from typing import Any

from sozialraumprozess.definition.issues import PathKey
from sozialraumprozess.definition.kinds._base import GateKind, LoadContext
from sozialraumprozess.definition.kinds._chain import MEASURE, load_time_fields, load_time_items
from sozialraumprozess.i18n import msg

__all__ = ["ChainGateKind", "check_goals_artifact", "check_measure_artifact", "listed"]

#: How many names a blocker lists before ``… (+n)``.
_SHOWN = 8


def listed(names: list[str]) -> str:
    """``a, b, c`` — at most eight, then ``… (+n)``."""
    shown = names[:_SHOWN]
    text = ", ".join(shown)
    return text + (f" … (+{len(names) - len(shown)})" if len(names) > len(shown) else "")


def check_measure_artifact(ctx: LoadContext, target: Any, path: list[PathKey]) -> None:
    """The target must be an item artifact of kind ``measure`` with a goal reference field."""
    if not ctx.ref("artifact", target, path):
        return
    items = load_time_items(ctx.data, target)
    if items is None or items.get("kind") != MEASURE:
        ctx.add(
            path,
            "not-a-measure-artifact",
            msg("chain.not-a-measure-artifact", artifact=target),
            msg("chain.not-a-measure-artifact-hint"),
        )
        return
    types = load_time_fields(ctx.data, target).values()
    if not any(t in ("goal-ref", "goal-refs") for t in types):
        ctx.add(
            path,
            "no-goal-refs",
            msg("chain.no-goal-refs", artifact=target),
            msg("chain.no-goal-refs-hint"),
        )


def check_goals_artifact(ctx: LoadContext, target: Any, path: list[PathKey]) -> None:
    """The target must be an artifact with a ``goals`` field."""
    if not ctx.ref("artifact", target, path):
        return
    if "goals" not in load_time_fields(ctx.data, target).values():
        ctx.add(
            path,
            "no-goals-field",
            msg("chain.no-goals-field", artifact=target),
            msg("chain.no-goals-field-hint"),
        )


class ChainGateKind(GateKind):
    """What the chain's gate kinds share: format v2 only, and a target artifact that
    :meth:`check_target` checks at load time (a goal catalogue or a measure artifact)."""

    def schema(self) -> dict[str, Any]:
        return {**super().schema(), "x-since": 2}

    def check(
        self,
        ctx: LoadContext,
        criterion: dict[str, Any],
        path: list[PathKey],
        cpath: list[PathKey],
    ) -> None:
        self.check_target(ctx, criterion[self.name], path)

    def check_target(self, ctx: LoadContext, target: Any, path: list[PathKey]) -> None:
        """Report what is wrong with the criterion's target."""
        raise NotImplementedError
