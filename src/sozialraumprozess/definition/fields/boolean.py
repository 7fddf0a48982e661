"""Field type ``boolean``: ``true`` or ``false``."""

from __future__ import annotations

from typing import Any

from sozialraumprozess.definition.fields._base import FieldType
from sozialraumprozess.definition.fields._format import yes_no
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.i18n import Lang, Message, msg

__all__ = ["BooleanType"]


class BooleanType(FieldType):
    """``type: boolean``; shown as ``ja``/``nein`` (``yes``/``no``)."""

    name = "boolean"

    def expected(self) -> Message:
        return msg("field.type-boolean")

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        return [] if isinstance(value, bool) else [self.type_problem(path, value)]

    def format(self, value: Any, lang: Lang = "de", spec: FieldSpec | None = None) -> str:
        return super().format(value, lang) if value is None or value == "" else yes_no(value, lang)
