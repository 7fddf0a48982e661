"""The reference seam: fields that provide ids of a kind, fields that refer to them.

A *kind* of id (``goal``, ``finding``, ``measure``, ``indicator``, ``budget-line``,
``contribution`` …) is a :class:`ReferenceKind` in one registry
(:func:`register_kind`). Ids of a kind come from up to three places:

* **fields that provide them** — a field type with :attr:`FieldType.provides`
  set (the ``goals`` type provides ``goal``: every goal's ``id``), wherever such
  a field sits in an artifact's (or an item's) data;
* **item keys** — an item artifact whose ``items:`` declares ``kind: measure``:
  every item's key is an id of that kind;
* **the definition or the run** — the kind's own :attr:`ReferenceKind.declared`
  (e.g. the workflow's top-level ``indicators:``) and :attr:`ReferenceKind.collect`.

A field refers to ids of a kind through a reference type: a subclass of
:class:`RefType` (one id, e.g. ``goal-ref``) or :class:`RefsType` (a list of
ids, e.g. ``goal-refs``) naming the kind. Any field type may also report
references inside its own values (:meth:`FieldType.references`: a goal's parent,
its indicators).

The runtime (:mod:`sozialraumprozess.runtime.references`) checks every reference
of the data a command brings — submit, item create, item change — against the ids
the run holds *after* the command (the artifact's or item's old data replaced by
the new), and refuses an unknown id with a positioned, bilingual error with a
did-you-mean, changing nothing. References of a kind the workflow does not use
(no field provides it, no item artifact declares it, nothing declared) are not
checked.

A new kind is one :func:`register_kind` call plus its reference types, each a
few lines::

    register_kind(ReferenceKind("budget-line", msg("ref.kind-budget-line")))

    class BudgetLineRefType(RefType):
        name = "budget-line-ref"
        kind = "budget-line"
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, ClassVar

from attrs import frozen

from sozialraumprozess.definition.fields._base import (
    FieldType,
    Reference,
    SpecContext,
    problem,
    shown,
)
from sozialraumprozess.definition.model import FORMAT, FORMAT_V1, FieldSpec, Label, Workflow
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.i18n import Lang, Message, msg

__all__ = [
    "RefType",
    "Reference",
    "ReferenceKind",
    "RefsType",
    "closest_id",
    "fields_provide",
    "fields_refer",
    "ids_in",
    "kinds_version",
    "reference_kind",
    "reference_kinds",
    "references_in",
    "register_kind",
    "titles_in",
    "unregister_kind",
]


@frozen
class ReferenceKind:
    """A kind of id that fields can refer to.

    Attributes:
        name: The kind, e.g. ``goal`` (what reference types and ``items: kind:`` name).
        title: What one such thing is called, for messages (``Ziel`` / ``goal``): a
            catalog message, or a :class:`~sozialraumprozess.Label` from an application.
        declared: The ids a workflow declares itself (e.g. its ``indicators:``), or
            ``None`` when this workflow declares none; ``None`` here: never declared.
        collect: Further ids from a run: ``collect(state, workflow)`` (``state`` is
            the runtime's process state), e.g. entries of a record kept elsewhere.
        named: What the declared ids are called, for documents:
            ``named(workflow, lang)`` → ``{id: title}`` (e.g. the indicators' labels).
    """

    name: str
    title: Message | Label
    declared: Callable[[Workflow], Collection[str] | None] | None = None
    collect: Callable[[Any, Workflow], Iterable[str]] | None = None
    named: Callable[[Workflow, Lang], Mapping[str, str]] | None = None


_KINDS: dict[str, ReferenceKind] = {}
_VERSION = [0]


def kinds_version() -> int:
    """A number that changes whenever a kind is registered or removed."""
    return _VERSION[0]


def register_kind(kind: ReferenceKind) -> ReferenceKind:
    """Add a kind of id (its name must be new); returns it.

    Raises:
        ValueError: A kind of that name exists.
    """
    if kind.name in _KINDS:
        raise ValueError(f"reference kind {kind.name!r} is registered already")
    _KINDS[kind.name] = kind
    _VERSION[0] += 1
    return kind


def unregister_kind(name: str) -> None:
    """Remove a kind added by :func:`register_kind` (nothing happens if there is none)."""
    if _KINDS.pop(name, None) is not None:
        _VERSION[0] += 1


def reference_kind(name: str) -> ReferenceKind:
    """The kind registered as ``name``.

    Raises:
        KeyError: No kind of that name.
    """
    return _KINDS[name]


def reference_kinds() -> tuple[ReferenceKind, ...]:
    """Every registered kind, in registration order."""
    return tuple(_KINDS.values())


def closest_id(value: str, ids: Iterable[str]) -> str | None:
    """The known id most like ``value`` (for a did-you-mean), or ``None``.

    Short ids (``H2``, ``B12``) differ in one character of two or three, so they
    are matched with a lower similarity cutoff than names.
    """
    cutoff = 0.5 if len(value) <= 3 else 0.6
    matches = difflib.get_close_matches(value, list(ids), n=1, cutoff=cutoff)
    return matches[0] if matches else None


# ---------------------------------------------------------------------- walking data


def _type(spec: FieldSpec) -> FieldType:
    from sozialraumprozess.definition.fields._registry import field_type

    return field_type(spec.type)


def references_in(fields: Sequence[FieldSpec], data: Any, path: str = "") -> list[Reference]:
    """Every reference in ``data`` (an object with ``fields``), by path, in field order.

    Values of the wrong type are skipped (validation names them).
    """
    if not isinstance(data, Mapping):
        return []
    found: list[Reference] = []
    for spec in fields:
        value = data.get(spec.name)
        if value is not None:
            found.extend(_type(spec).references(spec, value, _join(path, spec.name)))
    return found


def ids_in(fields: Sequence[FieldSpec], data: Any, kind: str) -> list[str]:
    """Every id of ``kind`` that ``data`` (an object with ``fields``) provides."""
    if not isinstance(data, Mapping):
        return []
    found: list[str] = []
    for spec in fields:
        value = data.get(spec.name)
        if value is not None:
            found.extend(_type(spec).provided(spec, value, kind))
    return found


def titles_in(fields: Sequence[FieldSpec], data: Any, kind: str) -> dict[str, str]:
    """What the ids of ``kind`` that ``data`` provides are called (where its field
    types name them)."""
    if not isinstance(data, Mapping):
        return {}
    found: dict[str, str] = {}
    for spec in fields:
        value = data.get(spec.name)
        if value is not None:
            found.update(_type(spec).provided_titles(spec, value, kind))
    return found


def fields_refer(fields: Sequence[FieldSpec]) -> bool:
    """True if any of ``fields`` (or a field inside them) can hold a reference."""
    return any(_type(spec).can_refer(spec) for spec in fields)


def fields_provide(fields: Sequence[FieldSpec]) -> frozenset[str]:
    """The kinds of id that ``fields`` (or fields inside them) provide."""
    kinds: set[str] = set()
    for spec in fields:
        kinds |= _type(spec).provides_kinds(spec)
    return frozenset(kinds)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


# ---------------------------------------------------------------------- reference types


def _check_v2(name: str, path: list[str | int], ctx: SpecContext) -> None:
    if ctx.format == FORMAT_V1:
        ctx.add(
            [*path, "type"],
            "needs-newer-format",
            msg("ref.type-needs-v2", type=name),
            msg("definition.needs-newer-format-hint", format=FORMAT),
        )


def _id_problem(value: Any, path: str) -> FieldProblem | None:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        return problem(path, "reference", msg("ref.bad-id", value=shown(value)))
    return None


class RefType(FieldType):
    """A field holding one id of :attr:`kind` (subclass it per kind: ``goal-ref``)."""

    kind: ClassVar[str]

    def expected(self) -> Message:
        return msg("ref.type-ref", kind=reference_kind(self.kind).title)

    def check_spec(self, spec: dict[str, Any], path: list[str | int], ctx: SpecContext) -> None:
        """Reference types need format v2."""
        _check_v2(self.name, path, ctx)

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        found = _id_problem(value, path)
        return [] if found is None else [found]

    def can_refer(self, spec: FieldSpec) -> bool:
        return True

    def references(self, spec: FieldSpec, value: Any, path: str) -> list[Reference]:
        return [Reference(path, self.kind, value)] if isinstance(value, str) else []


class RefsType(FieldType):
    """A field holding a list of distinct ids of :attr:`kind` (per kind: ``goal-refs``).

    Whether a list must name at least one id is a gate's question (e.g. "every
    measure serves a goal"), not a key of the field.
    """

    kind: ClassVar[str]

    def expected(self) -> Message:
        return msg("ref.type-refs", kind=reference_kind(self.kind).title)

    def check_spec(self, spec: dict[str, Any], path: list[str | int], ctx: SpecContext) -> None:
        """Reference types need format v2."""
        _check_v2(self.name, path, ctx)

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        if not isinstance(value, list):
            return [self.type_problem(path, value)]
        problems: list[FieldProblem] = []
        seen: set[str] = set()
        for index, item in enumerate(value):
            found = _id_problem(item, f"{path}[{index}]")
            if found is not None:
                problems.append(found)
            elif item in seen:
                problems.append(
                    problem(f"{path}[{index}]", "duplicate", msg("ref.duplicate", id=item))
                )
            else:
                seen.add(item)
        return problems

    def can_refer(self, spec: FieldSpec) -> bool:
        return True

    def references(self, spec: FieldSpec, value: Any, path: str) -> list[Reference]:
        if not isinstance(value, list):
            return []
        return [
            Reference(f"{path}[{index}]", self.kind, item)
            for index, item in enumerate(value)
            if isinstance(item, str)
        ]

    def format(self, value: Any, lang: Lang = "de", spec: FieldSpec | None = None) -> str:
        """The ids joined with ``, ``."""
        if not isinstance(value, list) or not value:
            return super().format(None, lang)
        return ", ".join(str(item) for item in value)
