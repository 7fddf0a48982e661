"""Field type ``date``: an ISO date text ``YYYY-MM-DD``, within ``earliest``/``latest`` if given."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sozialraumprozess.definition.dates import DateProblem, ImpossibleDateProblem, parse_date
from sozialraumprozess.definition.fields._base import FieldType, SpecContext, problem, shown
from sozialraumprozess.definition.fields._format import format_date_short
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.i18n import Lang, Message, msg

__all__ = ["DateType"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Day:
    """A day as a message parameter, written the way ``lang`` writes days."""

    def __init__(self, day: date) -> None:
        self.day = day

    def get(self, lang: Lang = "de") -> str:
        return format_date_short(self.day.isoformat(), lang)


class DateType(FieldType):
    """``type: date``: ``YYYY-MM-DD`` naming a real day; shown as ``08.11.2017``."""

    name = "date"
    keys = ("earliest", "latest")

    def check_spec(self, spec: dict[str, Any], path: list[str | int], ctx: SpecContext) -> None:
        """``earliest``/``latest`` must be dates (told apart: wrongly written or impossible),
        the earliest not after the latest."""
        bounds: dict[str, date] = {}
        for key in self.keys:
            value = spec.get(key)
            if not isinstance(value, str):
                continue
            try:
                bounds[key] = parse_date(value)
            except ImpossibleDateProblem:
                ctx.add([*path, key], "impossible-date", msg("items.impossible-date", value=value))
            except DateProblem:
                ctx.add([*path, key], "malformed-date", msg("items.malformed-date", value=value))
        if len(bounds) == 2 and bounds["earliest"] > bounds["latest"]:
            ctx.add(
                [*path, "earliest"],
                "min-above-max",
                msg(
                    "definition.min-above-max",
                    low_key="earliest",
                    low=spec["earliest"],
                    high_key="latest",
                    high=spec["latest"],
                ),
            )

    def expected(self) -> Message:
        return msg("field.type-date")

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        if not (isinstance(value, str) and _DATE.match(value)):
            return [self.type_problem(path, value, "date")]
        try:
            date.fromisoformat(value)
        except ValueError:
            return [problem(path, "date", msg("field.bad-date", value=shown(value)))]
        if spec.earliest is None and spec.latest is None:
            return []
        day = date.fromisoformat(value)
        if spec.earliest is not None and day < parse_date(spec.earliest):
            bound = _Day(parse_date(spec.earliest))
            text = msg("items.date-too-early", value=value, earliest=bound)
            return [problem(path, "date-range", text)]
        if spec.latest is not None and day > parse_date(spec.latest):
            text = msg("items.date-too-late", value=value, latest=_Day(parse_date(spec.latest)))
            return [problem(path, "date-range", text)]
        return []

    def format(self, value: Any, lang: Lang = "de", spec: FieldSpec | None = None) -> str:
        return format_date_short(value, lang)
