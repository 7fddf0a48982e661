"""Field type ``money``: an amount in euros with at most two decimals."""

from __future__ import annotations

from typing import Any, ClassVar

from sozialraumprozess.definition.fields._base import problem, shown
from sozialraumprozess.definition.fields._format import format_money
from sozialraumprozess.definition.fields.number import NumberType
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.i18n import Lang, Message, msg

__all__ = ["MoneyType"]


class MoneyType(NumberType):
    """``type: money``: a number of euros, cents at most; shown as ``15.400,50 €``."""

    name = "money"
    keys: ClassVar[tuple[str, ...]] = ("min", "max", "budget")

    def expected(self) -> Message:
        return msg("field.type-money")

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        problems = super().validate(spec, value, path)
        if self.is_value(value) and abs(value * 100 - round(value * 100)) > 1e-6:
            problems.append(problem(path, "cents", msg("field.cents", value=shown(value))))
        return problems

    def format(self, value: Any, lang: Lang = "de", spec: FieldSpec | None = None) -> str:
        if value is None or value == "":
            return super().format(value, lang)
        return format_money(value, lang)
