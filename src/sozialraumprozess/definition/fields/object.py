"""Field type ``object``: a mapping with its own ``fields``."""

from __future__ import annotations

from typing import Any

from sozialraumprozess.definition.fields._base import (
    Complete,
    FieldType,
    Gap,
    Reference,
    Walker,
    is_mapping,
)
from sozialraumprozess.definition.fields._registry import (
    fields_complete,
    fields_walker,
    format_value,
    validate_fields,
)
from sozialraumprozess.definition.fields.reference import (
    fields_provide,
    fields_refer,
    ids_in,
    references_in,
)
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.i18n import Lang, Message, msg

__all__ = ["ObjectType"]


class ObjectType(FieldType):
    """``type: object`` with ``fields`` (sub-fields by name)."""

    name = "object"
    keys = ("fields",)
    needs = "fields"

    def expected(self) -> Message:
        return msg("field.type-object")

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        return validate_fields(spec.fields, value, path)

    def gap_complete(self, spec: FieldSpec) -> Complete | None:
        fields = fields_complete(spec.fields)
        if fields is None:
            return None
        return lambda value: not is_mapping(value) or fields(value)

    def gap_walker(self, spec: FieldSpec) -> Walker | None:
        fields = fields_walker(spec.fields)
        if fields is None:
            return None

        def walk_object(value: Any, path: str, gaps: list[Gap]) -> None:
            if is_mapping(value):
                fields(value, path, gaps)

        return walk_object

    def provides_kinds(self, spec: FieldSpec) -> frozenset[str]:
        return fields_provide(spec.fields)

    def provided(self, spec: FieldSpec, value: Any, kind: str) -> list[str]:
        return ids_in(spec.fields, value, kind)

    def can_refer(self, spec: FieldSpec) -> bool:
        return fields_refer(spec.fields)

    def references(self, spec: FieldSpec, value: Any, path: str) -> list[Reference]:
        return references_in(spec.fields, value, path)

    def format(self, value: Any, lang: Lang = "de", spec: FieldSpec | None = None) -> str:
        """``title: value`` of each sub-field with a value (its name without a title),
        joined with ``; ``."""
        if not isinstance(value, dict) or spec is None:
            return super().format(value, lang)
        parts = [
            f"{sub.title.get(lang) if sub.title else sub.name}: "
            f"{format_value(sub, value[sub.name], lang)}"
            for sub in spec.fields
            if value.get(sub.name) is not None
        ]
        return "; ".join(parts) if parts else super().format(None, lang)
