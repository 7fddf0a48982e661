"""Field types whose values have a fixed shape: records with known keys.

The steering chain's types (``findings``, ``goals``, ``deferred-findings``,
``evaluation``) hold records whose keys the type fixes, not the workflow. Each
describes its record once as field specs (:meth:`RecordsType.record`), and the
machinery of ``object`` fields does the rest: validation by the inner fields'
types (unknown keys refused with a did-you-mean), gaps of required keys,
references of inner reference fields, display. A type adds its own rules in
:meth:`RecordsType.check_records` (unique ids, the goal hierarchy …).

:class:`RecordsType` is a list of records, :class:`RecordType` one record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, ClassVar

from sozialraumprozess.definition.fields._base import (
    Complete,
    FieldType,
    Gap,
    Reference,
    SpecContext,
    Walker,
    is_mapping,
    problem,
)
from sozialraumprozess.definition.fields._format import EMPTY
from sozialraumprozess.definition.fields._registry import (
    fields_complete,
    fields_walker,
    format_value,
    validate_fields,
)
from sozialraumprozess.definition.fields.reference import ids_in, references_in
from sozialraumprozess.definition.model import FORMAT, FORMAT_V1, FieldSpec, Label
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.i18n import Lang, Message, msg

__all__ = ["RecordType", "RecordsType", "label_of", "text_id_problem"]


def label_of(message: Message) -> Label:
    """A catalog message as a :class:`Label` (for the titles of record keys)."""
    return Label(de=message.text("de"), en=message.text("en"))


def text_id_problem(value: Any, path: str) -> FieldProblem | None:
    """A problem unless ``value`` is an id: text, not blank, no blanks around it."""
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        return problem(path, "reference", msg("ref.bad-id", value=repr(value)[:40]))
    return None


def _check_v2(name: str, path: list[str | int], ctx: SpecContext) -> None:
    if ctx.format == FORMAT_V1:
        ctx.add(
            [*path, "type"],
            "needs-newer-format",
            msg("ref.type-needs-v2", type=name),
            msg("definition.needs-newer-format-hint", format=FORMAT),
        )


class _Shaped(FieldType):
    """What list and single records share: the record's field specs, built once."""

    #: The id key of a record (``id``), required at submit time; ``None``: no id.
    id_key: ClassVar[str | None] = None

    def record(self) -> tuple[FieldSpec, ...]:
        """The record's keys as field specs (their titles from the catalogs)."""
        raise NotImplementedError

    def fields(self) -> tuple[FieldSpec, ...]:
        """:meth:`record`, built on first use."""
        return _fields_of(self)

    def check_spec(self, spec: dict[str, Any], path: list[str | int], ctx: SpecContext) -> None:
        """The type needs format v2."""
        _check_v2(self.name, path, ctx)

    def _record_problems(self, record: Any, path: str) -> list[FieldProblem]:
        if not is_mapping(record):
            return [
                problem(
                    path,
                    "type",
                    msg("field.expected", type=msg("field.type-object"), value=repr(record)[:40]),
                )
            ]
        problems = validate_fields(self.fields(), record, path)
        if self.id_key is not None:
            found = text_id_problem(record.get(self.id_key), f"{path}.{self.id_key}")
            if found is not None and not any(p.path == found.path for p in problems):
                problems.append(found)
        return problems


@cache
def _fields_of(kind: _Shaped) -> tuple[FieldSpec, ...]:
    return kind.record()


class RecordsType(_Shaped):
    """A list of records of a fixed shape; ids (``id_key``) unique within the list."""

    def expected(self) -> Message:
        return msg("field.type-list")

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        if not isinstance(value, list):
            return [self.type_problem(path, value)]
        problems: list[FieldProblem] = []
        seen: set[str] = set()
        for index, record in enumerate(value):
            at = f"{path}[{index}]"
            problems.extend(self._record_problems(record, at))
            if self.id_key is not None and is_mapping(record):
                rid = record.get(self.id_key)
                if isinstance(rid, str) and rid in seen:
                    problems.append(
                        problem(f"{at}.{self.id_key}", "duplicate", msg("ref.duplicate", id=rid))
                    )
                elif isinstance(rid, str):
                    seen.add(rid)
        if not problems:
            problems.extend(self.check_records(value, path))
        return problems

    def check_records(self, records: list[Any], path: str) -> list[FieldProblem]:
        """The type's own rules over the whole (otherwise valid) list."""
        return []

    def gap_complete(self, spec: FieldSpec) -> Complete | None:
        inner = fields_complete(self.fields())
        if inner is None:
            return None
        return lambda value: (
            not isinstance(value, list) or all(not is_mapping(r) or inner(r) for r in value)
        )

    def gap_walker(self, spec: FieldSpec) -> Walker | None:
        inner = fields_walker(self.fields())
        if inner is None:
            return None

        def walk(value: Any, path: str, gaps: list[Gap]) -> None:
            if isinstance(value, list):
                for index, record in enumerate(value):
                    if is_mapping(record):
                        inner(record, f"{path}[{index}]", gaps)

        return walk

    def provided(self, spec: FieldSpec, value: Any, kind: str) -> list[str]:
        if not isinstance(value, list):
            return []
        found: list[str] = []
        for record in value:
            if not is_mapping(record):
                continue
            if kind == self.provides and self.id_key is not None:
                rid = record.get(self.id_key)
                if isinstance(rid, str):
                    found.append(rid)
            found.extend(ids_in(self.fields(), record, kind))
        return found

    def can_refer(self, spec: FieldSpec) -> bool:
        from sozialraumprozess.definition.fields.reference import fields_refer

        return fields_refer(self.fields())

    def references(self, spec: FieldSpec, value: Any, path: str) -> list[Reference]:
        if not isinstance(value, list):
            return []
        return [
            ref
            for index, record in enumerate(value)
            if is_mapping(record)
            for ref in references_in(self.fields(), record, f"{path}[{index}]")
        ]

    def format(self, value: Any, lang: Lang = "de", spec: FieldSpec | None = None) -> str:
        """One record per line: its keys with a value, ``key: value`` joined with ``; ``."""
        if not isinstance(value, list) or not value:
            return EMPTY
        return "\n".join(_record_text(self.fields(), r, lang) for r in value if is_mapping(r))


class RecordType(_Shaped):
    """One record of a fixed shape."""

    def expected(self) -> Message:
        return msg("field.type-object")

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        return self._record_problems(value, path)

    def gap_complete(self, spec: FieldSpec) -> Complete | None:
        inner = fields_complete(self.fields())
        if inner is None:
            return None
        return lambda value: not is_mapping(value) or inner(value)

    def gap_walker(self, spec: FieldSpec) -> Walker | None:
        inner = fields_walker(self.fields())
        if inner is None:
            return None

        def walk(value: Any, path: str, gaps: list[Gap]) -> None:
            if is_mapping(value):
                inner(value, path, gaps)

        return walk

    def can_refer(self, spec: FieldSpec) -> bool:
        from sozialraumprozess.definition.fields.reference import fields_refer

        return fields_refer(self.fields())

    def references(self, spec: FieldSpec, value: Any, path: str) -> list[Reference]:
        return references_in(self.fields(), value, path)

    def format(self, value: Any, lang: Lang = "de", spec: FieldSpec | None = None) -> str:
        if not is_mapping(value):
            return EMPTY
        return _record_text(self.fields(), value, lang)


def _record_text(fields: Sequence[FieldSpec], record: Mapping[str, Any], lang: Lang) -> str:
    parts = [
        f"{sub.title.get(lang) if sub.title else sub.name}: "
        f"{format_value(sub, record[sub.name], lang)}"
        for sub in fields
        if record.get(sub.name) not in (None, "", [])
    ]
    return "; ".join(parts) if parts else EMPTY
