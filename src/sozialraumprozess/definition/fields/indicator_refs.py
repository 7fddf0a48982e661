"""The kind ``indicator`` and its reference field types (``indicator-ref``, ``indicator-refs``).

Indicator ids are declared by the workflow itself, in its top-level ``indicators:``
(format v2), so a goal can name the indicator it is measured by and the runtime
refuses an undeclared one with a did-you-mean (see :mod:`.reference`).
"""

from __future__ import annotations

from collections.abc import Collection

from sozialraumprozess.definition.fields.reference import ReferenceKind, RefsType, RefType
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.i18n import msg

__all__ = ["INDICATOR", "IndicatorRefType", "IndicatorRefsType"]


def _declared(workflow: Workflow) -> Collection[str] | None:
    return tuple(i.id for i in workflow.indicators) or None


#: The kind: the ids of the workflow's ``indicators:``.
INDICATOR = ReferenceKind("indicator", msg("indicators.kind"), declared=_declared)


class IndicatorRefType(RefType):
    """``type: indicator-ref``: the id of one indicator declared in ``indicators:``."""

    name = "indicator-ref"
    kind = "indicator"


class IndicatorRefsType(RefsType):
    """``type: indicator-refs``: ids of indicators declared in ``indicators:``."""

    name = "indicator-refs"
    kind = "indicator"
