"""Field type ``text``: a string."""

from __future__ import annotations

from typing import Any

from sozialraumprozess.definition.fields._base import FieldType
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.i18n import Message, msg

__all__ = ["TextType"]


class TextType(FieldType):
    """``type: text``: any string; blank text counts as empty for ``required``."""

    name = "text"

    def expected(self) -> Message:
        return msg("field.type-text")

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        return [] if isinstance(value, str) else [self.type_problem(path, value)]
