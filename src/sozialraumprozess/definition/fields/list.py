"""Field type ``list``: a list of ``items``, between ``min_items`` and ``max_items`` long.

``max_items`` is a validity rule (a submit with more items is refused);
``min_items`` is a completeness rule (a shorter list is a gap the gate reports,
so drafts may be short).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sozialraumprozess.definition.fields._base import (
    Complete,
    FieldType,
    Gap,
    Reference,
    Walker,
    problem,
)
from sozialraumprozess.definition.fields._registry import (
    field_type,
    fields_complete,
    validate_value,
)
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.i18n import Lang, Message, msg

__all__ = ["ListType"]


class ListType(FieldType):
    """``type: list`` with ``items`` (the type of each item)."""

    name = "list"
    keys = ("min_items", "max_items", "items")
    needs = "items"

    def expected(self) -> Message:
        return msg("field.type-list")

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        if not isinstance(value, list):
            return [self.type_problem(path, value)]
        problems: list[FieldProblem] = []
        if spec.max_items is not None and len(value) > spec.max_items:
            text = msg("field.max-items", max=spec.max_items, given=len(value))
            problems.append(problem(path, "max-items", text))
        items = spec.items
        if items is not None:
            for index, item in enumerate(value):
                item_path = f"{path}[{index}]"
                if item is None:
                    problems.append(field_type(items.type).type_problem(item_path, item))
                else:
                    problems.extend(validate_value(items, item, item_path))
        return problems

    def empty_min(self, spec: FieldSpec) -> int:
        return spec.min_items or 0

    def gap_complete(self, spec: FieldSpec) -> Complete | None:
        min_items = spec.min_items
        items = spec.items
        item_complete = field_type(items.type).gap_complete(items) if items is not None else None
        if min_items is None and item_complete is None:
            return None
        # Objects as items (the common case) are tested inline, without the wrapper.
        item_fields = (
            fields_complete(items.fields) if items is not None and items.type == "object" else None
        )

        def complete_list(value: Any) -> bool:
            if type(value) is not list and not isinstance(value, list):
                return True
            if min_items is not None and len(value) < min_items:
                return False
            if item_fields is not None:
                for item in value:
                    if (type(item) is dict or isinstance(item, Mapping)) and not item_fields(item):
                        return False
            elif item_complete is not None:
                for item in value:
                    if not item_complete(item):
                        return False
            return True

        return complete_list

    def gap_walker(self, spec: FieldSpec) -> Walker | None:
        min_items = spec.min_items
        items = spec.items
        item_walker = field_type(items.type).gap_walker(items) if items is not None else None
        if min_items is None and item_walker is None:
            return None

        def walk_list(value: Any, path: str, gaps: list[Gap]) -> None:
            if type(value) is not list and not isinstance(value, list):
                return
            if min_items is not None and len(value) < min_items:
                gaps.append(Gap(path, "min-items", min_items, len(value)))
            if item_walker is not None:
                for index, item in enumerate(value):
                    item_walker(item, f"{path}[{index}]", gaps)

        return walk_list

    def provides_kinds(self, spec: FieldSpec) -> frozenset[str]:
        items = spec.items
        return frozenset() if items is None else field_type(items.type).provides_kinds(items)

    def provided(self, spec: FieldSpec, value: Any, kind: str) -> list[str]:
        items = spec.items
        if items is None or not isinstance(value, list):
            return []
        kind_of = field_type(items.type)
        return [
            i for item in value if item is not None for i in kind_of.provided(items, item, kind)
        ]

    def can_refer(self, spec: FieldSpec) -> bool:
        items = spec.items
        return items is not None and field_type(items.type).can_refer(items)

    def references(self, spec: FieldSpec, value: Any, path: str) -> list[Reference]:
        items = spec.items
        if items is None or not isinstance(value, list):
            return []
        kind = field_type(items.type)
        return [
            ref
            for index, item in enumerate(value)
            if item is not None
            for ref in kind.references(items, item, f"{path}[{index}]")
        ]

    def format(self, value: Any, lang: Lang = "de", spec: FieldSpec | None = None) -> str:
        """Items formatted by their type, joined with ``, ``."""
        if value is None or value == "" or not isinstance(value, list):
            return super().format(value, lang)
        items = spec.items if spec is not None else None
        if items is None:
            return ", ".join(str(item) for item in value)
        kind = field_type(items.type)
        return ", ".join(kind.format(item, lang, items) for item in value)
