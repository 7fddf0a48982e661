"""Checking artifact data against the artifact's field schema.

Two separate questions, asked at different times:

* :func:`validate_fields` — is the data *valid*? (right types, values in range,
  known fields, known choices). Asked on submit; any problem refuses the submit.
* :func:`find_gaps` — is the valid data *complete*? (required fields filled, lists
  long enough). Asked by the phase gate; a draft may be incomplete.

Paths name every field like ``ziele[2].prioritaet``. Dates are ISO strings
``YYYY-MM-DD``; money is a number of euros with at most two decimals.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from attrs import frozen

from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.errors import FieldProblem, closest, did_you_mean

__all__ = ["Gap", "check_json", "find_gaps", "validate_fields"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_TYPE_DE = {
    "text": "Text",
    "integer": "Ganzzahl",
    "number": "Zahl",
    "money": "Geldbetrag in Euro (Zahl)",
    "boolean": "Wahrheitswert (true/false)",
    "date": "Datum (JJJJ-MM-TT)",
    "choice": "Auswahlwert (Text)",
    "list": "Liste",
    "object": "Objekt (Felder)",
}
_TYPE_EN = {
    "text": "text",
    "integer": "an integer",
    "number": "a number",
    "money": "an amount in euros (number)",
    "boolean": "a boolean (true/false)",
    "date": "a date (YYYY-MM-DD)",
    "choice": "a choice (text)",
    "list": "a list",
    "object": "an object (fields)",
}


@frozen
class Gap:
    """A missing piece of otherwise valid data.

    Attributes:
        path: The field's path, e.g. ``ziele[0].titel``.
        code: ``required`` (empty required field) or ``min-items`` (list too short).
        min_items: For ``min-items``: how many items are needed.
        count: For ``min-items``: how many there are.
    """

    path: str
    code: str
    min_items: int = 0
    count: int = 0

    def message(self, lang: str = "de") -> str:
        """``Pflichtfeld 'x' ist leer`` / ``required field 'x' is empty`` and similar."""
        if self.code == "min-items":
            if lang == "en":
                return f"'{self.path}' needs at least {self.min_items} items ({self.count} given)"
            return (
                f"'{self.path}' braucht mindestens {self.min_items} Einträge "
                f"({self.count} vorhanden)"
            )
        if lang == "en":
            return f"required field '{self.path}' is empty"
        return f"Pflichtfeld '{self.path}' ist leer"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def validate_fields(fields: Sequence[FieldSpec], data: Any, path: str = "") -> list[FieldProblem]:
    """Every invalid value in ``data`` (an object with ``fields``), by path.

    Missing and empty values are not problems here (see :func:`find_gaps`).
    """
    if not isinstance(data, Mapping):
        return [_problem(path, "type", "object", data)]
    problems: list[FieldProblem] = []
    specs = {spec.name: spec for spec in fields}
    for key, value in data.items():
        spec = specs.get(key) if isinstance(key, str) else None
        if spec is None:
            name = str(key)
            hint = closest(name, specs)
            de = f"Unbekanntes Feld '{name}'."
            en = f"Unknown field '{name}'."
            if hint is not None:
                de += f" {did_you_mean(hint, 'de')}"
                en += f" {did_you_mean(hint, 'en')}"
            else:
                de += f" Bekannt: {', '.join(specs) or '-'}."
                en += f" Known: {', '.join(specs) or '-'}."
            problems.append(FieldProblem(_join(path, name), "unknown-field", de, en))
            continue
        problems.extend(_validate_value(spec, value, _join(path, key)))
    return problems


def _problem(path: str, code: str, expected: str, value: Any) -> FieldProblem:
    return FieldProblem(
        path,
        code,
        f"{_TYPE_DE[expected]} erwartet, erhalten: {_shown(value)}",
        f"expected {_TYPE_EN[expected]}, got {_shown(value)}",
    )


def _validate_value(spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
    if value is None:
        return []
    kind = spec.type
    if kind == "text":
        return [] if isinstance(value, str) else [_problem(path, "type", kind, value)]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [_problem(path, "type", kind, value)]
    if kind in ("integer", "number", "money"):
        return _validate_number(spec, value, path)
    if kind == "date":
        return _validate_date(value, path)
    if kind == "choice":
        return _validate_choice(spec, value, path)
    if kind == "list":
        return _validate_list(spec, value, path)
    # object
    return validate_fields(spec.fields, value, path)


def _validate_number(spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
    kind = spec.type
    if kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return [_problem(path, "type", kind, value)]
    elif not _number(value) or not math.isfinite(value):
        return [_problem(path, "type", kind, value)]
    problems: list[FieldProblem] = []
    if spec.min is not None and value < spec.min:
        limit = _shown(int(spec.min) if float(spec.min).is_integer() else spec.min)
        problems.append(
            FieldProblem(
                path,
                "min",
                f"Wert {_shown(value)} ist kleiner als das Minimum {limit}",
                f"value {_shown(value)} is less than the minimum {limit}",
            )
        )
    if spec.max is not None and value > spec.max:
        limit = _shown(int(spec.max) if float(spec.max).is_integer() else spec.max)
        problems.append(
            FieldProblem(
                path,
                "max",
                f"Wert {_shown(value)} ist größer als das Maximum {limit}",
                f"value {_shown(value)} is greater than the maximum {limit}",
            )
        )
    if kind == "money" and abs(value * 100 - round(value * 100)) > 1e-6:
        problems.append(
            FieldProblem(
                path,
                "cents",
                f"Geldbetrag {_shown(value)} hat mehr als zwei Nachkommastellen (Cent)",
                f"amount {_shown(value)} has more than two decimals (cents)",
            )
        )
    return problems


def _validate_date(value: Any, path: str) -> list[FieldProblem]:
    if isinstance(value, str) and _DATE.match(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            return [
                FieldProblem(
                    path,
                    "date",
                    f"Kein gültiges Datum: {_shown(value)}",
                    f"not a valid date: {_shown(value)}",
                )
            ]
        return []
    return [_problem(path, "date", "date", value)]


def _validate_choice(spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
    if not isinstance(value, str):
        return [_problem(path, "type", "choice", value)]
    if value in spec.choices:
        return []
    allowed = ", ".join(spec.choices)
    de = f"'{value}' ist keine erlaubte Auswahl (erlaubt: {allowed})"
    en = f"'{value}' is not an allowed choice (allowed: {allowed})"
    hint = closest(value, spec.choices)
    if hint is not None:
        de += f". {did_you_mean(hint, 'de')}"
        en += f". {did_you_mean(hint, 'en')}"
    return [FieldProblem(path, "choice", de, en)]


def _validate_list(spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
    if not isinstance(value, list):
        return [_problem(path, "type", "list", value)]
    problems: list[FieldProblem] = []
    if spec.max_items is not None and len(value) > spec.max_items:
        problems.append(
            FieldProblem(
                path,
                "max-items",
                f"höchstens {spec.max_items} Einträge erlaubt ({len(value)} angegeben)",
                f"at most {spec.max_items} items allowed ({len(value)} given)",
            )
        )
    if spec.items is not None:
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            if item is None:
                problems.append(_problem(item_path, "type", spec.items.type, item))
            else:
                problems.extend(_validate_value(spec.items, item, item_path))
    return problems


def find_gaps(fields: Sequence[FieldSpec], data: Mapping[str, Any], path: str = "") -> list[Gap]:
    """Every empty required field and too-short list in valid ``data``, by path."""
    gaps: list[Gap] = []
    for spec in fields:
        value = data.get(spec.name)
        key = f"{path}.{spec.name}" if path else spec.name
        if (
            value is None
            or value == ""
            or value == []
            or value == {}
            or (isinstance(value, str) and not value.strip())
        ):
            if spec.required:
                gaps.append(Gap(key, "required"))
            elif spec.type == "list" and value is not None and (spec.min_items or 0) > 0:
                gaps.append(Gap(key, "min-items", spec.min_items or 0, 0))
            continue
        if spec.type == "list" or spec.type == "object":
            gaps.extend(_value_gaps(spec, value, key))
    return gaps


def _value_gaps(spec: FieldSpec, value: Any, path: str) -> list[Gap]:
    if spec.type == "object" and isinstance(value, Mapping):
        return find_gaps(spec.fields, value, path)
    if spec.type != "list" or not isinstance(value, list):
        return []
    gaps: list[Gap] = []
    if spec.min_items is not None and len(value) < spec.min_items:
        gaps.append(Gap(path, "min-items", spec.min_items, len(value)))
    items = spec.items
    if items is not None and (items.type == "list" or items.type == "object"):
        for index, item in enumerate(value):
            gaps.extend(_value_gaps(items, item, f"{path}[{index}]"))
    return gaps


def check_json(value: Any, path: str = "") -> list[FieldProblem]:
    """Problems that keep ``value`` from being plain JSON data (str keys, no NaN, no objects)."""
    if value is None or isinstance(value, str | bool | int):
        return []
    if isinstance(value, float):
        if math.isfinite(value):
            return []
        return [FieldProblem(path, "json", f"Keine endliche Zahl: {value}", f"not finite: {value}")]
    if isinstance(value, list | tuple):
        return [p for i, item in enumerate(value) for p in check_json(item, f"{path}[{i}]")]
    if isinstance(value, Mapping):
        problems: list[FieldProblem] = []
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(
                    FieldProblem(
                        path,
                        "json",
                        f"Schlüssel muss Text sein: {key!r}",
                        f"key must be text: {key!r}",
                    )
                )
            else:
                problems.extend(check_json(item, _join(path, key)))
        return problems
    name = type(value).__name__
    return [
        FieldProblem(
            path,
            "json",
            f"Kein JSON-Wert (Text, Zahl, Wahrheitswert, Liste, Objekt): {name}",
            f"not a JSON value (text, number, boolean, list, object): {name}",
        )
    ]
