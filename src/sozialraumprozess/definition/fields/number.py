"""Field type ``number``: a finite number, within ``min``/``max``."""

from __future__ import annotations

import math
from typing import Any, ClassVar

from sozialraumprozess.definition.fields._base import FieldType, problem, shown
from sozialraumprozess.definition.fields._format import format_number
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.i18n import Lang, Message, msg

__all__ = ["MAX_NUMBER", "NumberType"]

#: The largest magnitude of a number in a field (10**15, a quadrillion): every whole
#: number up to it is exact as a float and in JSON, and documents show it in full
#: (``1.000.000.000.000.000``). Larger values are refused when data is submitted.
MAX_NUMBER = 10**15


def _limit(bound: float) -> str:
    return shown(int(bound) if float(bound).is_integer() else bound)


class NumberType(FieldType):
    """``type: number``: int or float (not a boolean), finite, ``min <= value <= max``.

    The base of the other numeric types (``integer``, ``money``).
    """

    name = "number"
    keys: ClassVar[tuple[str, ...]] = ("min", "max")

    def expected(self) -> Message:
        return msg("field.type-number")

    def is_value(self, value: Any) -> bool:
        """True if ``value`` has the type (before the range is checked)."""
        return (
            isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        )

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        if not self.is_value(value):
            return [self.type_problem(path, value)]
        if abs(value) > MAX_NUMBER:
            text = msg("field.number-too-large", value=shown(value), limit="10^15")
            return [problem(path, "too-large", text)]
        problems: list[FieldProblem] = []
        if spec.min is not None and value < spec.min:
            text = msg("field.min", value=shown(value), limit=_limit(spec.min))
            problems.append(problem(path, "min", text))
        if spec.max is not None and value > spec.max:
            text = msg("field.max", value=shown(value), limit=_limit(spec.max))
            problems.append(problem(path, "max", text))
        return problems

    def format(self, value: Any, lang: Lang = "de", spec: FieldSpec | None = None) -> str:
        if value is None or value == "":
            return super().format(value, lang)
        return format_number(value, lang)
