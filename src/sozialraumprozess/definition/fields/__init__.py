"""The field types: one module per type of artifact field, registered here.

Each type (``text``, ``integer``, ``number``, ``boolean``, ``date``, ``money``,
``choice``, ``list``, ``object``, and in format v2 ``file``, ``budget-lines``,
``budget-line-ref`` and the reference types such as ``goal-refs``, see
:mod:`.reference`) is a
:class:`FieldType` in its own module that owns everything about it: the keys of
a field spec it accepts (its part of the schema and of the load-time checks),
the validation of submitted values, what makes a filled value incomplete (lists
and objects), and how documents show a value (:meth:`FieldType.format`).

Data flows one way: these are definition-side units, used by the runtime
(validation on submit, completeness in the gates) and by the documents.

A new type is one new module plus one line in :data:`_BUILTIN` below (or a call of
:func:`register` from an application or a test). See the how-to
``docs/how-to/add-a-field-type.md``.
"""

from __future__ import annotations

from sozialraumprozess.definition.fields._base import (
    Complete,
    FieldType,
    Gap,
    GapCode,
    Walker,
    problem,
    shown,
)
from sozialraumprozess.definition.fields._registry import (
    GapFinder,
    compile_gaps,
    field_type,
    field_types,
    format_value,
    is_blank,
    register,
    registry_version,
    unregister,
    validate_fields,
    validate_value,
)
from sozialraumprozess.definition.fields.boolean import BooleanType
from sozialraumprozess.definition.fields.budget_lines import (
    KIND as BUDGET_LINE,
    BudgetLineRefType,
    BudgetLinesType,
)
from sozialraumprozess.definition.fields.chain_refs import (
    KINDS,
    FindingRefsType,
    FindingRefType,
    GoalRefsType,
    GoalRefType,
    MeasureRefsType,
    MeasureRefType,
)
from sozialraumprozess.definition.fields.choice import ChoiceType
from sozialraumprozess.definition.fields.contribution_refs import (
    CONTRIBUTION_KIND,
    ContributionRefsType,
    ContributionRefType,
)
from sozialraumprozess.definition.fields.date import DateType
from sozialraumprozess.definition.fields.deferrals import DeferredFindingsType
from sozialraumprozess.definition.fields.evaluation import EvaluationType
from sozialraumprozess.definition.fields.file import FileType
from sozialraumprozess.definition.fields.findings import FindingsType
from sozialraumprozess.definition.fields.goals import GoalsType
from sozialraumprozess.definition.fields.indicator_refs import (
    INDICATOR,
    IndicatorRefsType,
    IndicatorRefType,
)
from sozialraumprozess.definition.fields.integer import IntegerType
from sozialraumprozess.definition.fields.list import ListType
from sozialraumprozess.definition.fields.money import MoneyType
from sozialraumprozess.definition.fields.number import NumberType
from sozialraumprozess.definition.fields.object import ObjectType
from sozialraumprozess.definition.fields.reference import (
    Reference,
    ReferenceKind,
    RefsType,
    RefType,
    reference_kind,
    reference_kinds,
    register_kind,
    unregister_kind,
)
from sozialraumprozess.definition.fields.text import TextType

__all__ = [
    "Complete",
    "FieldType",
    "Gap",
    "GapCode",
    "GapFinder",
    "RefType",
    "Reference",
    "ReferenceKind",
    "RefsType",
    "Walker",
    "compile_gaps",
    "field_type",
    "field_types",
    "format_value",
    "is_blank",
    "problem",
    "reference_kind",
    "reference_kinds",
    "register",
    "register_kind",
    "registry_version",
    "shown",
    "unregister",
    "unregister_kind",
    "validate_fields",
    "validate_value",
]

# The built-in types, in schema and documentation order.
_BUILTIN: tuple[FieldType, ...] = (
    TextType(),
    IntegerType(),
    NumberType(),
    BooleanType(),
    DateType(),
    MoneyType(),
    ChoiceType(),
    ListType(),
    ObjectType(),
    FileType(),
    GoalRefType(),
    GoalRefsType(),
    FindingRefType(),
    FindingRefsType(),
    MeasureRefType(),
    MeasureRefsType(),
    FindingsType(),
    GoalsType(),
    DeferredFindingsType(),
    EvaluationType(),
    IndicatorRefType(),
    IndicatorRefsType(),
    BudgetLinesType(),
    BudgetLineRefType(),
    ContributionRefType(),
    ContributionRefsType(),
)

for _kind in _BUILTIN:
    register(_kind, builtin=True)
del _kind

# The kinds of id fields can refer to (see .reference); other parts add theirs.
for _ref_kind in (*KINDS, INDICATOR, BUDGET_LINE):
    register_kind(_ref_kind)
del _ref_kind
register_kind(CONTRIBUTION_KIND)  # participation (issue 12 §6)
