"""Field type ``choice``: one of the field's ``choices``."""

from __future__ import annotations

from typing import Any

from sozialraumprozess.definition.fields._base import FieldType, problem
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.errors._base import closest
from sozialraumprozess.i18n import Lang, Message, msg

__all__ = ["ChoiceType"]


class ChoiceType(FieldType):
    """``type: choice`` with ``choices``: a text that is one of them."""

    name = "choice"
    keys = ("choices",)
    needs = "choices"

    def expected(self) -> Message:
        return msg("field.type-choice")

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        if not isinstance(value, str):
            return [self.type_problem(path, value)]
        if value in spec.choices:
            return []
        allowed = ", ".join(spec.choices)
        hint = closest(value, spec.choices)
        if hint is None:
            text = msg("field.choice", value=value, allowed=allowed)
        else:
            suggestion = msg("name.did-you-mean", name=hint)
            text = msg("field.choice-hint", value=value, allowed=allowed, hint=suggestion)
        return [problem(path, "choice", text)]

    def format(self, value: Any, lang: Lang = "de", spec: FieldSpec | None = None) -> str:
        """The value with ``_`` shown as spaces (documents add their display names)."""
        if value is None or value == "":
            return super().format(value, lang)
        return str(value).replace("_", " ")
