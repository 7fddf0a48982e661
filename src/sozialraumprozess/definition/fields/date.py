"""Field type ``date``: an ISO date text ``YYYY-MM-DD``."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sozialraumprozess.definition.fields._base import FieldType, problem, shown
from sozialraumprozess.definition.fields._format import format_date_short
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.i18n import Lang, Message, msg

__all__ = ["DateType"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DateType(FieldType):
    """``type: date``: ``YYYY-MM-DD`` naming a real day; shown as ``08.11.2017``."""

    name = "date"

    def expected(self) -> Message:
        return msg("field.type-date")

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        if not (isinstance(value, str) and _DATE.match(value)):
            return [self.type_problem(path, value, "date")]
        try:
            date.fromisoformat(value)
        except ValueError:
            return [problem(path, "date", msg("field.bad-date", value=shown(value)))]
        return []

    def format(self, value: Any, lang: Lang = "de", spec: FieldSpec | None = None) -> str:
        return format_date_short(value, lang)
