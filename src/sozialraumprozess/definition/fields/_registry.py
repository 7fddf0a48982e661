"""The registry of field types, and what works on whole field lists through it.

:func:`validate_fields` checks an object's data field by field, and
:func:`compile_gaps` compiles an artifact's completeness checker; both ask each
field's type (:func:`field_type`) for its part.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from sozialraumprozess.definition.fields._base import (
    Complete,
    FieldType,
    Gap,
    Walker,
    problem,
)
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.errors._base import closest
from sozialraumprozess.i18n import Lang, msg

__all__ = [
    "GapFinder",
    "compile_gaps",
    "field_type",
    "field_types",
    "fields_complete",
    "fields_walker",
    "format_value",
    "is_blank",
    "register",
    "registry_version",
    "unregister",
    "validate_fields",
    "validate_value",
]

_TYPES: dict[str, FieldType] = {}
_BUILTIN: set[str] = set()
_VERSION = [0]

#: ``finder(data) -> gaps`` for an artifact's data (a mapping).
GapFinder = Callable[[Mapping[str, Any]], list[Gap]]


def field_types() -> tuple[FieldType, ...]:
    """Every registered field type, built-ins first, in registration order."""
    return tuple(_TYPES.values())


def field_type(name: str) -> FieldType:
    """The field type registered as ``name``.

    Raises:
        KeyError: No type of that name.
    """
    return _TYPES[name]


def register(kind: FieldType, *, builtin: bool = False) -> FieldType:
    """Add a field type (its :attr:`~FieldType.name` must be new); returns it.

    Register before loading workflows that use it.

    Raises:
        ValueError: A type of that name exists.
    """
    if kind.name in _TYPES:
        raise ValueError(f"field type {kind.name!r} is registered already")
    _TYPES[kind.name] = kind
    if builtin:
        _BUILTIN.add(kind.name)
    _VERSION[0] += 1
    return kind


def unregister(name: str) -> None:
    """Remove a field type added by :func:`register` (built-in types stay)."""
    if name in _BUILTIN:
        raise ValueError(f"field type {name!r} is built in")
    if _TYPES.pop(name, None) is not None:
        _VERSION[0] += 1


def registry_version() -> int:
    """A number that changes whenever a type is registered or removed."""
    return _VERSION[0]


# ---------------------------------------------------------------------- validation


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def validate_value(spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
    """Every problem of ``value`` for the field ``spec`` (``None`` is none)."""
    if value is None:
        return []
    return _TYPES[spec.type].validate(spec, value, path)


def validate_fields(fields: Sequence[FieldSpec], data: Any, path: str = "") -> list[FieldProblem]:
    """Every invalid value in ``data`` (an object with ``fields``), by path.

    Missing and empty values are not problems here (completeness is the gate's
    question, see :func:`compile_gaps`).
    """
    if not isinstance(data, Mapping):
        return [_TYPES["object"].type_problem(path, data)]
    problems: list[FieldProblem] = []
    specs = {spec.name: spec for spec in fields}
    for key, value in data.items():
        spec = specs.get(key) if isinstance(key, str) else None
        if spec is None:
            name = str(key)
            hint = closest(name, specs)
            if hint is not None:
                text = msg(
                    "field.unknown-hint", name=name, hint=msg("name.did-you-mean", name=hint)
                )
            else:
                text = msg("field.unknown-known", name=name, known=", ".join(specs) or "-")
            problems.append(problem(_join(path, name), "unknown-field", text))
            continue
        problems.extend(validate_value(spec, value, _join(path, key)))
    return problems


# ---------------------------------------------------------------------- completeness

_F = TypeVar("_F")


def _parts(
    fields: Sequence[FieldSpec], compile_value: Callable[[FieldSpec], _F | None]
) -> tuple[tuple[str, bool, int, _F | None], ...]:
    """``(name, required, empty_min, inner)`` of every field that can have a gap.

    ``empty_min`` is what the type reports for a present but empty value (a list's
    ``min_items``); ``inner`` checks a filled value, ``None`` if it can have no gap.
    """
    parts = []
    for spec in fields:
        kind = _TYPES[spec.type]
        empty_min = kind.empty_min(spec)
        inner = compile_value(spec)
        if spec.required or empty_min > 0 or inner is not None:
            parts.append((spec.name, spec.required, empty_min, inner))
    return tuple(parts)


def _value_complete(spec: FieldSpec) -> Complete | None:
    return _TYPES[spec.type].gap_complete(spec)


def _value_walker(spec: FieldSpec) -> Walker | None:
    return _TYPES[spec.type].gap_walker(spec)


def is_blank(value: Any) -> bool:
    """Empty: ``None``, ``""``, blank text, ``[]`` or ``{}`` (a required field is unfilled)."""
    return (
        value is None
        or value == ""
        or value == []
        or value == {}
        or (isinstance(value, str) and not value.strip())
    )


def fields_complete(fields: Sequence[FieldSpec]) -> Complete | None:
    """Fast "no gaps" test for an object with ``fields``; ``None`` if it never has one."""
    specs = _parts(fields, _value_complete)
    if not specs:
        return None

    def complete(data: Any) -> bool:
        for name, required, empty_min, inner in specs:
            value = data.get(name)
            kind = type(value)  # is_blank(value), with exact-type fast paths
            if kind is str:
                blank = not value.strip()
            elif kind is list or kind is dict:
                blank = not value
            elif kind is int or kind is float or kind is bool:
                blank = False
            else:
                blank = is_blank(value)
            if blank:
                if required or (empty_min > 0 and value is not None):
                    return False
            elif inner is not None and not inner(value):
                return False
        return True

    return complete


def fields_walker(fields: Sequence[FieldSpec]) -> Walker | None:
    """Walker for an object with ``fields``; ``None`` if it can never have a gap."""
    specs = _parts(fields, _value_walker)
    if not specs:
        return None

    def walk(data: Any, path: str, gaps: list[Gap]) -> None:
        for name, required, empty_min, inner in specs:
            value = data.get(name)
            if (  # is_blank(value), inlined: this is the innermost loop of every gate
                value is None
                or value == ""
                or value == []
                or value == {}
                or (isinstance(value, str) and not value.strip())
            ):
                if required:
                    gaps.append(Gap(f"{path}.{name}" if path else name, "required"))
                elif empty_min > 0 and value is not None:
                    gaps.append(Gap(f"{path}.{name}" if path else name, "min-items", empty_min, 0))
                continue
            if inner is not None:
                inner(value, f"{path}.{name}" if path else name, gaps)

    return walk


def _no_gaps(data: Mapping[str, Any]) -> list[Gap]:
    return []


def _no_gaps_read(data: Mapping[str, Any]) -> list[Gap]:
    data.get  # noqa: B018 - data that is not a mapping fails here, as when it is walked
    return []


def compile_gaps(fields: Sequence[FieldSpec]) -> GapFinder:
    """The gaps of an artifact's data (every empty required field, too-short list), by path.

    Compiled once per artifact type: it decides once which fields can ever have a
    gap (optional fields without ``min_items`` and without such fields inside are
    never visited). Complete data (the common case) is recognised by a fast pass
    that builds no paths; only data with gaps is walked again to name them.
    """
    walker = fields_walker(fields)
    complete = fields_complete(fields)
    if walker is None or complete is None:
        return _no_gaps_read if fields else _no_gaps

    def find(data: Mapping[str, Any]) -> list[Gap]:
        if complete(data):
            return []
        gaps: list[Gap] = []
        walker(data, "", gaps)
        return gaps

    return find


# ---------------------------------------------------------------------- display


def format_value(spec: FieldSpec, value: Any, lang: Lang = "de") -> str:
    """``value`` of the field ``spec`` as documents show it (``15.400 €``, ``08.11.2017``)."""
    return _TYPES[spec.type].format(value, lang, spec)
