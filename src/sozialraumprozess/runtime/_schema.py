"""Field schemas compiled into completeness checkers, once per artifact type.

:func:`compile_gaps` turns an artifact's field specs into one callable that
finds exactly what :func:`.validation.find_gaps` finds, in the same order, but
decides once (not per call) which fields can ever have a gap: optional fields
without ``min_items`` and without such fields inside are never visited, and the
paths of fields are joined only when a gap is reported or a nested value is
walked. The gates use these through the per-workflow plan (:mod:`._plan`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.runtime.validation import Gap

__all__ = ["GapFinder", "compile_gaps"]

#: ``finder(data) -> gaps`` for an artifact's data (a mapping).
GapFinder = Callable[[Mapping[str, Any]], list[Gap]]

# A compiled walker appends the gaps of ``value`` at ``path`` to ``gaps``.
_Walker = Callable[[Any, str, list[Gap]], None]


def _is_blank(value: Any) -> bool:
    """The emptiness test of :func:`.validation.find_gaps`, verbatim."""
    return (
        value is None
        or value == ""
        or value == []
        or value == {}
        or (isinstance(value, str) and not value.strip())
    )


def _is_mapping(value: Any) -> bool:
    return type(value) is dict or isinstance(value, Mapping)


_F = TypeVar("_F")


def _parts(
    fields: Sequence[FieldSpec], compile_value: Callable[[FieldSpec], _F | None]
) -> tuple[tuple[str, bool, int, _F | None], ...]:
    """``(name, required, empty_min, inner)`` of every field that can have a gap.

    ``empty_min`` is a list's ``min_items`` (0 otherwise); ``inner`` is the list's
    or object's compiled value checker, ``None`` if its value can have no gap.
    """
    parts = []
    for spec in fields:
        empty_min = spec.min_items or 0 if spec.type == "list" else 0
        inner = compile_value(spec) if spec.type in ("list", "object") else None
        if spec.required or empty_min > 0 or inner is not None:
            parts.append((spec.name, spec.required, empty_min, inner))
    return tuple(parts)


# ``complete(value) -> bool``: True if the walker would report no gap (no paths built).
_Complete = Callable[[Any], bool]


def _fields_complete(fields: Sequence[FieldSpec]) -> _Complete | None:
    """Fast "no gaps" test for an object with ``fields``; ``None`` if it never has one."""
    specs = _parts(fields, _value_complete)
    if not specs:
        return None

    def complete(data: Any) -> bool:
        for name, required, empty_min, inner in specs:
            value = data.get(name)
            kind = type(value)  # _is_blank(value), with exact-type fast paths
            if kind is str:
                blank = not value.strip()
            elif kind is list or kind is dict:
                blank = not value
            elif kind is int or kind is float or kind is bool:
                blank = False
            else:
                blank = _is_blank(value)
            if blank:
                if required or (empty_min > 0 and value is not None):
                    return False
            elif inner is not None and not inner(value):
                return False
        return True

    return complete


def _value_complete(spec: FieldSpec) -> _Complete | None:
    if spec.type == "object":
        fields = _fields_complete(spec.fields)
        if fields is None:
            return None
        return lambda value: not _is_mapping(value) or fields(value)
    if spec.type != "list":
        return None
    min_items = spec.min_items
    items = spec.items
    item_complete = (
        _value_complete(items) if items is not None and items.type in ("list", "object") else None
    )
    if min_items is None and item_complete is None:
        return None
    # Objects as items (the common case) are tested inline, without the wrapper.
    item_fields = (
        _fields_complete(items.fields) if items is not None and items.type == "object" else None
    )

    def complete_list(value: Any) -> bool:
        if type(value) is not list and not isinstance(value, list):
            return True
        if min_items is not None and len(value) < min_items:
            return False
        if item_fields is not None:
            for item in value:
                if (type(item) is dict or isinstance(item, Mapping)) and not item_fields(item):
                    return False
        elif item_complete is not None:
            for item in value:
                if not item_complete(item):
                    return False
        return True

    return complete_list


def _fields_walker(fields: Sequence[FieldSpec]) -> _Walker | None:
    """Walker for an object with ``fields``; ``None`` if it can never have a gap."""
    specs = _parts(fields, _value_walker)
    if not specs:
        return None

    def walk(data: Any, path: str, gaps: list[Gap]) -> None:
        for name, required, empty_min, inner in specs:
            value = data.get(name)
            if (  # _is_blank(value), inlined: this is the innermost loop of every gate
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


def _value_walker(spec: FieldSpec) -> _Walker | None:
    """Walker for a filled list/object value (``_value_gaps``); ``None`` if gap-free."""
    if spec.type == "object":
        fields = _fields_walker(spec.fields)
        if fields is None:
            return None

        def walk_object(value: Any, path: str, gaps: list[Gap]) -> None:
            if _is_mapping(value):
                fields(value, path, gaps)

        return walk_object
    if spec.type != "list":
        return None
    min_items = spec.min_items
    items = spec.items
    item_walker = (
        _value_walker(items) if items is not None and items.type in ("list", "object") else None
    )
    if min_items is None and item_walker is None:
        return None

    def walk_list(value: Any, path: str, gaps: list[Gap]) -> None:
        if type(value) is not list and not isinstance(value, list):
            return
        if min_items is not None and len(value) < min_items:
            gaps.append(Gap(path, "min-items", min_items, len(value)))
        if item_walker is not None:
            for index, item in enumerate(value):
                item_walker(item, f"{path}[{index}]", gaps)

    return walk_list


def _no_gaps(data: Mapping[str, Any]) -> list[Gap]:
    return []


def _no_gaps_read(data: Mapping[str, Any]) -> list[Gap]:
    data.get  # noqa: B018 - like find_gaps: data that is not a mapping fails here
    return []


def compile_gaps(fields: Sequence[FieldSpec]) -> GapFinder:
    """A checker equal to ``lambda data: find_gaps(fields, data)``, compiled once.

    Complete data (the common case) is recognised by a fast pass that builds no
    paths; only data with gaps is walked again to name them.
    """
    walker = _fields_walker(fields)
    complete = _fields_complete(fields)
    if walker is None or complete is None:
        return _no_gaps_read if fields else _no_gaps

    def find(data: Mapping[str, Any]) -> list[Gap]:
        if complete(data):
            return []
        gaps: list[Gap] = []
        walker(data, "", gaps)
        return gaps

    return find
