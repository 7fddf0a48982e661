"""Field type ``choice``: one of the field's ``choices``.

``choices`` is a list of values, or (format v2) a mapping value → label; the
value is what the data holds, the label what documents show.
"""

from __future__ import annotations

from typing import Any

from sozialraumprozess.definition.fields._base import FieldType, SpecContext, problem
from sozialraumprozess.definition.model import FORMAT, FORMAT_V1, FieldSpec
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

    def check_spec(self, spec: dict[str, Any], path: list[str | int], ctx: SpecContext) -> None:
        """Labelled choices (a mapping) need format v2."""
        if isinstance(spec.get("choices"), dict) and ctx.format == FORMAT_V1:
            ctx.add(
                [*path, "choices"],
                "needs-newer-format",
                msg("items.choices-need-v2"),
                msg("definition.needs-newer-format-hint", format=FORMAT),
                key=True,
            )

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
        """The choice's label in ``lang``; without labels the value with ``_`` as spaces."""
        if value is None or value == "":
            return super().format(value, lang)
        label = spec.choice_label(str(value)) if spec is not None else None
        if label is not None:
            return label.get(lang)
        return str(value).replace("_", " ")
