"""Field type ``integer``: a whole number, within ``min``/``max``."""

from __future__ import annotations

from typing import Any

from sozialraumprozess.definition.fields.number import NumberType
from sozialraumprozess.i18n import Message, msg

__all__ = ["IntegerType"]


class IntegerType(NumberType):
    """``type: integer``: an int (not a boolean), ``min <= value <= max``."""

    name = "integer"

    def expected(self) -> Message:
        return msg("field.type-integer")

    def is_value(self, value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)
