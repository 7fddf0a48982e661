"""Checking artifact data against the artifact's field schema.

Two separate questions, asked at different times, both answered by the field
types (:mod:`sozialraumprozess.definition.fields`):

* :func:`validate_fields` — is the data *valid*? (right types, values in range,
  known fields, known choices). Asked on submit; any problem refuses the submit.
* :func:`~sozialraumprozess.definition.fields.compile_gaps` — is the valid data
  *complete*? (required fields filled, lists long enough). Asked by the phase
  gate; a draft may be incomplete.

Paths name every field like ``ziele[2].prioritaet``. Dates are ISO strings
``YYYY-MM-DD``; money is a number of euros with at most two decimals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sozialraumprozess.definition.fields import Gap, problem, validate_fields
from sozialraumprozess.definition.fields.number import MAX_NUMBER
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.i18n import msg

__all__ = ["Gap", "check_json", "validate_fields"]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def check_json(value: Any, path: str = "") -> list[FieldProblem]:
    """Problems that keep ``value`` from being plain JSON data (str keys, no NaN, no objects)."""
    if value is None or isinstance(value, str | bool):
        return []
    if isinstance(value, int):
        if abs(value) <= MAX_NUMBER:
            return []
        text = msg("field.number-too-large", value=str(value)[:40], limit="10^15")
        return [problem(path, "too-large", text)]
    if isinstance(value, float):
        if math.isfinite(value) and abs(value) <= MAX_NUMBER:
            return []
        if math.isfinite(value):
            text = msg("field.number-too-large", value=str(value), limit="10^15")
            return [problem(path, "too-large", text)]
        return [problem(path, "json", msg("field.json-not-finite", value=str(value)))]
    if isinstance(value, list | tuple):
        return [p for i, item in enumerate(value) for p in check_json(item, f"{path}[{i}]")]
    if isinstance(value, Mapping):
        problems: list[FieldProblem] = []
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(problem(path, "json", msg("field.json-key", key=repr(key))))
            else:
                problems.extend(check_json(item, _join(path, key)))
        return problems
    name = type(value).__name__
    return [problem(path, "json", msg("field.json-value", name=name))]
