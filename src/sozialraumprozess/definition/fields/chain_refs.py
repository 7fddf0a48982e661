"""The steering chain's kinds of id and their reference field types.

Kinds ``goal`` (ids given by a ``goals`` field), ``finding`` (ids given by a
``findings`` field) and ``measure`` (the keys of an item artifact declaring
``items: {kind: measure}``), each with a one-id type (``goal-ref`` …) and a list
type (``goal-refs`` …). See :mod:`.reference` for the seam they use.
"""

from __future__ import annotations

from sozialraumprozess.definition.fields.reference import ReferenceKind, RefsType, RefType
from sozialraumprozess.i18n import msg

__all__ = [
    "KINDS",
    "FindingRefType",
    "FindingRefsType",
    "GoalRefType",
    "GoalRefsType",
    "MeasureRefType",
    "MeasureRefsType",
]

#: The chain's kinds, registered by :mod:`sozialraumprozess.definition.fields`.
KINDS: tuple[ReferenceKind, ...] = (
    ReferenceKind("goal", msg("ref.kind-goal")),
    ReferenceKind("finding", msg("ref.kind-finding")),
    ReferenceKind("measure", msg("ref.kind-measure")),
)


class GoalRefType(RefType):
    """``type: goal-ref``: the id of one goal."""

    name = "goal-ref"
    kind = "goal"


class GoalRefsType(RefsType):
    """``type: goal-refs``: ids of goals (e.g. the goals a measure serves)."""

    name = "goal-refs"
    kind = "goal"


class FindingRefType(RefType):
    """``type: finding-ref``: the id of one finding (*Befund*)."""

    name = "finding-ref"
    kind = "finding"


class FindingRefsType(RefsType):
    """``type: finding-refs``: ids of findings (e.g. the findings a goal addresses)."""

    name = "finding-refs"
    kind = "finding"


class MeasureRefType(RefType):
    """``type: measure-ref``: the key of one measure item."""

    name = "measure-ref"
    kind = "measure"


class MeasureRefsType(RefsType):
    """``type: measure-refs``: keys of measure items."""

    name = "measure-refs"
    kind = "measure"
