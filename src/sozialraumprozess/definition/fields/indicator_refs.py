"""The kind ``indicator`` and its reference field types (``indicator-ref``, ``indicator-refs``).

Indicator ids are declared by the workflow itself, in its top-level ``indicators:``
(format v2), so a goal can name the indicator it is measured by and the runtime
refuses an undeclared one with a did-you-mean (see :mod:`.reference`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from sozialraumprozess.definition.fields.reference import ReferenceKind, RefsType, RefType
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.i18n import Lang, msg

__all__ = ["INDICATOR", "IndicatorRefType", "IndicatorRefsType"]


def _declared(workflow: Workflow) -> Collection[str] | None:
    return tuple(i.id for i in workflow.indicators) or None


def _named(workflow: Workflow, lang: Lang) -> Mapping[str, str]:
    return {i.id: i.label.get(lang) for i in workflow.indicators}


#: The kind: the ids of the workflow's ``indicators:``, named by their labels.
INDICATOR = ReferenceKind("indicator", msg("indicators.kind"), declared=_declared, named=_named)


class IndicatorRefType(RefType):
    """``type: indicator-ref``: the id of one indicator declared in ``indicators:``."""

    name = "indicator-ref"
    kind = "indicator"


class IndicatorRefsType(RefsType):
    """``type: indicator-refs``: ids of indicators declared in ``indicators:``."""

    name = "indicator-refs"
    kind = "indicator"
