"""Field types ``budget-lines`` and ``budget-line-ref`` (format v2): the budget's lines
per *Haushaltsjahr*, and a measure's or a report row's reference to one of them.

A ``budget-lines`` value is a list of lines, one per line and year::

    - {id: traeger, year: 2026, title: Personal- und Sachkosten des freien Trägers,
       product: "Produkt 61", source: haushalt, amount: 15400}
    - {id: sozialraumbudget_bestand, year: 2026, title: Sozialraumbudget,
       source: haushalt, covered: true, amount: 5000}

``id`` names the line (the same id in another year is the same line, continued),
``product`` the *Produkt* or *Kostenstelle*, ``source`` the funding source
(:data:`SOURCES`: ``haushalt``, ``foerdermittel``, ``drittmittel``) and
``covered`` says the amount is covered by an existing appropriation (*gedeckt
über den bestehenden Haushaltsansatz*), so it is not newly appropriated. A line
and year appear once.

A ``budget-line-ref`` value names a line in a year: ``{line: traeger, year: 2026}``.
Its shape is checked here; whether that line exists in that year is the
runtime's question (the reference seam, :mod:`.reference`): a ``budget-lines``
field provides ids of the kind ``budget-line`` (:data:`KIND`), one per line and
year (``traeger (2026)``, see :func:`line_key`), and the reference names one. A
line used in a year it does not exist in is refused at submit with a positioned,
bilingual error that suggests the year it has, changing nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from attrs import frozen

from sozialraumprozess.definition.fields._base import (
    FieldType,
    Reference,
    SpecContext,
    TitleOf,
    is_mapping,
    problem,
    shown,
)
from sozialraumprozess.definition.fields._format import EMPTY, format_money
from sozialraumprozess.definition.fields.number import MAX_NUMBER
from sozialraumprozess.definition.fields.reference import ReferenceKind
from sozialraumprozess.definition.model import FORMAT, FORMAT_V1, FieldSpec
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.errors._base import closest
from sozialraumprozess.i18n import Lang, Message, msg

__all__ = [
    "KIND",
    "SOURCES",
    "BudgetLine",
    "BudgetLineRefType",
    "BudgetLinesType",
    "line_key",
    "read_lines",
    "read_ref",
]

#: The funding sources of a line, with their names (catalog messages).
SOURCES: dict[str, Message] = {
    "haushalt": msg("budget.source-haushalt"),
    "foerdermittel": msg("budget.source-foerdermittel"),
    "drittmittel": msg("budget.source-drittmittel"),
}

#: The kind of id budget lines provide (registered by :mod:`sozialraumprozess.definition.fields`).
KIND = ReferenceKind("budget-line", msg("budget.kind"))

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_LINE_KEYS = ("id", "year", "title", "product", "source", "covered", "amount")
_REF_KEYS = ("line", "year")
_YEARS = (1900, 2200)


@frozen
class BudgetLine:
    """One budget line in one year (an entry of a ``budget-lines`` value).

    Attributes:
        id: The line's id (the same in every year it runs).
        year: The *Haushaltsjahr*.
        title: What the money is for (*Personal- und Sachkosten des freien Trägers*).
        amount: The amount in euros.
        product: The *Produkt* or *Kostenstelle*, if named.
        source: The funding source (a key of :data:`SOURCES`).
        covered: Covered by an existing appropriation (not newly appropriated).
    """

    id: str
    year: int
    title: str
    amount: float | int
    product: str | None = None
    source: str = "haushalt"
    covered: bool = False

    @property
    def key(self) -> str:
        """``<id> (<year>)``: the id the line provides in the reference seam."""
        return line_key(self.id, self.year)

    def source_label(self, lang: Lang = "de") -> str:
        """The funding source in ``lang``."""
        label = SOURCES.get(self.source)
        return label.text(lang) if label is not None else self.source


def line_key(line: str, year: int) -> str:
    """The provided id of ``line`` in ``year``: ``traeger (2026)`` (what messages show)."""
    return f"{line} ({year})"


def _is_year(value: Any) -> bool:
    return type(value) is int and _YEARS[0] <= value <= _YEARS[1]


def _is_amount(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and value == value  # not NaN
        and 0 <= value <= MAX_NUMBER
    )


def _need_v2(spec: dict[str, Any], path: list[str | int], ctx: SpecContext, name: str) -> None:
    if ctx.format == FORMAT_V1:
        ctx.add(
            [*path, "type"],
            "needs-newer-format",
            msg("budget.type-needs-v2", type=name, format=FORMAT),
            msg("definition.needs-newer-format-hint", format=FORMAT),
        )


def _unknown_keys(
    value: Mapping[str, Any], known: tuple[str, ...], path: str
) -> Iterator[FieldProblem]:
    for key in value:
        if key in known:
            continue
        name = str(key)
        hint = closest(name, known)
        if hint is not None:
            text = msg("field.unknown-hint", name=name, hint=msg("name.did-you-mean", name=hint))
        else:
            text = msg("field.unknown-known", name=name, known=", ".join(known))
        yield problem(f"{path}.{name}", "unknown-field", text)


class BudgetLinesType(FieldType):
    """``type: budget-lines`` (format v2): the lines of a budget, one per line and year."""

    name = "budget-lines"
    provides = KIND.name

    def provided(self, spec: FieldSpec, value: Any, kind: str) -> list[str]:
        """Each line's id in its year (``traeger (2026)``)."""
        return [line.key for line in read_lines(value)] if kind == KIND.name else []

    def provided_titles(self, spec: FieldSpec, value: Any, kind: str) -> dict[str, str]:
        """Each line's title in its year (``Trägerzuschuss (2026)``)."""
        if kind != KIND.name:
            return {}
        return {line.key: line_key(line.title, line.year) for line in read_lines(value)}

    def expected(self) -> Message:
        return msg("budget.type-lines")

    def check_spec(self, spec: dict[str, Any], path: list[str | int], ctx: SpecContext) -> None:
        """The type needs format v2."""
        _need_v2(spec, path, ctx, self.name)

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        if not isinstance(value, list):
            return [self.type_problem(path, value)]
        problems: list[FieldProblem] = []
        seen: set[tuple[str, int]] = set()
        for index, line in enumerate(value):
            at = f"{path}[{index}]"
            if not is_mapping(line):
                problems.append(
                    problem(at, "type", msg("budget.line-not-object", value=shown(line)))
                )
                continue
            problems.extend(_unknown_keys(line, _LINE_KEYS, at))
            ident, year = line.get("id"), line.get("year")
            if not isinstance(ident, str) or not _ID.match(ident):
                problems.append(
                    problem(f"{at}.id", "id", msg("budget.line-id", value=shown(ident)))
                )
            if not _is_year(year):
                problems.append(
                    problem(f"{at}.year", "year", msg("budget.line-year", value=shown(year)))
                )
            title = line.get("title")
            if not isinstance(title, str) or not title.strip():
                problems.append(
                    problem(f"{at}.title", "required", msg("budget.line-title", value=shown(title)))
                )
            amount = line.get("amount")
            if not _is_amount(amount):
                problems.append(
                    problem(f"{at}.amount", "amount", msg("budget.amount", value=shown(amount)))
                )
            elif abs(amount * 100 - round(amount * 100)) > 1e-6:
                problems.append(
                    problem(f"{at}.amount", "cents", msg("field.cents", value=shown(amount)))
                )
            product = line.get("product")
            if product is not None and not isinstance(product, str):
                problems.append(
                    problem(
                        f"{at}.product", "type", msg("budget.line-product", value=shown(product))
                    )
                )
            source = line.get("source", "haushalt")
            if source not in SOURCES:
                hint = closest(str(source), SOURCES)
                allowed = ", ".join(SOURCES)
                text = (
                    msg(
                        "field.choice-hint",
                        value=str(source),
                        allowed=allowed,
                        hint=msg("name.did-you-mean", name=hint),
                    )
                    if hint is not None
                    else msg("field.choice", value=str(source), allowed=allowed)
                )
                problems.append(problem(f"{at}.source", "choice", text))
            covered = line.get("covered", False)
            if not isinstance(covered, bool):
                problems.append(
                    problem(
                        f"{at}.covered", "type", msg("budget.line-covered", value=shown(covered))
                    )
                )
            if isinstance(ident, str) and _is_year(year):
                if (ident, year) in seen:
                    problems.append(
                        problem(
                            f"{at}.year",
                            "duplicate",
                            msg("budget.line-twice", line=ident, year=year),
                        )
                    )
                seen.add((ident, year))
        return problems

    def format(self, value: Any, lang: Lang = "de", spec: FieldSpec | None = None) -> str:
        """``title (year): amount`` per line, joined with ``; ``."""
        lines = read_lines(value)
        if not lines:
            return EMPTY
        return "; ".join(
            f"{line.title} ({line.year}): {format_money(line.amount, lang)}" for line in lines
        )


class BudgetLineRefType(FieldType):
    """``type: budget-line-ref`` (format v2): a budget line in a year, ``{line, year}``."""

    name = "budget-line-ref"

    def can_refer(self, spec: FieldSpec) -> bool:
        return True

    def references(self, spec: FieldSpec, value: Any, path: str) -> list[Reference]:
        """The line in its year, checked against the run's lines after the command."""
        ref = read_ref(value)
        return [] if ref is None else [Reference(path, KIND.name, line_key(*ref))]

    def expected(self) -> Message:
        return msg("budget.type-ref")

    def check_spec(self, spec: dict[str, Any], path: list[str | int], ctx: SpecContext) -> None:
        """The type needs format v2."""
        _need_v2(spec, path, ctx, self.name)

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        if not is_mapping(value):
            return [self.type_problem(path, value)]
        problems = list(_unknown_keys(value, _REF_KEYS, path))
        line, year = value.get("line"), value.get("year")
        if not isinstance(line, str) or not _ID.match(line):
            problems.append(problem(f"{path}.line", "id", msg("budget.line-id", value=shown(line))))
        if not _is_year(year):
            problems.append(
                problem(f"{path}.year", "year", msg("budget.line-year", value=shown(year)))
            )
        return problems

    def display(
        self,
        value: Any,
        lang: Lang = "de",
        spec: FieldSpec | None = None,
        title_of: TitleOf | None = None,
    ) -> str:
        """The line's title in its year where the run names it, else ``line (year)``."""
        ref = read_ref(value)
        title = title_of(KIND.name, line_key(*ref)) if ref is not None and title_of else None
        return title if title else self.format(value, lang, spec)

    def format(self, value: Any, lang: Lang = "de", spec: FieldSpec | None = None) -> str:
        """``line (year)``."""
        ref = read_ref(value)
        if ref is None:
            return EMPTY
        return f"{ref[0]} ({ref[1]})"


def read_lines(value: Any) -> list[BudgetLine]:
    """The well-formed lines of a ``budget-lines`` value (others are left out)."""
    if not isinstance(value, list):
        return []
    lines = []
    for line in value:
        if not is_mapping(line):
            continue
        ident, year, amount = line.get("id"), line.get("year"), line.get("amount")
        if not isinstance(ident, str) or not _is_year(year) or not _is_amount(amount):
            continue
        product = line.get("product")
        lines.append(
            BudgetLine(
                id=ident,
                year=year,
                title=str(line.get("title") or ident),
                amount=amount,
                product=product if isinstance(product, str) and product.strip() else None,
                source=str(line.get("source", "haushalt")),
                covered=line.get("covered") is True,
            )
        )
    return lines


def read_ref(value: Any) -> tuple[str, int] | None:
    """``(line, year)`` of a well-formed ``budget-line-ref`` value, else ``None``."""
    if not is_mapping(value):
        return None
    line, year = value.get("line"), value.get("year")
    if isinstance(line, str) and _is_year(year):
        return line, year
    return None
