"""The budget that reconciles: planned → committed → spent, per budget line and year.

Where the figures come from (all declared in the workflow, nothing hard-wired):

* **lines** (*Haushaltsansatz*): every ``budget-lines`` field of an artifact. A
  line in a year is taken from the newest version that has it, so a new year's
  *Haushaltsansatz* does not hide the last year's lines.
* **planned** (*Plan*): money fields marked ``budget: planned`` (the measures'
  planned costs) beside a ``budget-line-ref`` field naming the line and year —
  in list entries of an artifact, or in items (format v2).
* **committed** (*beschlossen*): the lines of the version a passed decision
  adopted (a decision type with ``adopts:`` naming the artifact with the lines).
  A line covered by an existing appropriation counts as committed too once its
  version is adopted; the decision's ``amount`` (when the type has ``amount:
  true``) is what was *newly* appropriated, and is compared with the lines not so
  covered.
* **spent** (*Ist*): money fields marked ``budget: spent`` beside a
  ``budget-line-ref`` (the annual report's or the *Verwendungsnachweis*' actual
  costs).

For each artifact and year, the newest version mentioning that year counts
(a report for 2027 does not erase the 2026 figures of the report before it).

Seed 004's *Haushaltsansatz* reads as three lines (see the workflow's docs page):
15.400 € for the free provider's staff and material costs and 5.000 € of the
Sozialraumbudget, both newly appropriated under *Produkt 61* (together the
20.400 €), and the other 5.000 € of the Sozialraumbudget, covered by the existing
appropriation. By purpose 15.400 € + 10.000 €, by coverage 20.400 € + 5.000 €:
25.400 € either way, the plan — never the 50.800 € of adding up both views.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from sozialraumprozess.definition.fields._format import format_money
from sozialraumprozess.definition.fields.budget_lines import (
    SOURCES,
    BudgetLine,
    read_lines,
    read_ref,
)
from sozialraumprozess.i18n import Lang, msg

if TYPE_CHECKING:
    from sozialraumprozess.definition.model import FieldSpec, Workflow
    from sozialraumprozess.runtime.process import Process

__all__ = [
    "BudgetDecision",
    "BudgetRow",
    "Reconciliation",
    "budget_chart",
    "budget_data",
    "reconcile",
]

Amount = float | int


def _round(value: float) -> float:
    return round(value + 0.0, 2)


@frozen
class BudgetRow:
    """One budget line in one year, reconciled.

    Attributes:
        line: The line's id.
        year: The *Haushaltsjahr*.
        title: What the money is for.
        product: *Produkt* / *Kostenstelle*, if named.
        source: Funding source (``haushalt``, ``foerdermittel``, ``drittmittel``).
        covered: Covered by an existing appropriation.
        appropriated: The line's amount in the newest *Haushaltsansatz* that has it
            (``None`` for a line only referred to, never set up).
        planned: Sum of the planned costs citing the line in the year.
        committed: The line's amount in the version a passed decision adopted
            (``None``: not decided yet).
        spent: Sum of the actual costs (*Ist*) citing the line in the year.
    """

    line: str
    year: int
    title: str
    product: str | None
    source: str
    covered: bool
    appropriated: Amount | None
    planned: Amount
    committed: Amount | None
    spent: Amount

    @property
    def open(self) -> Amount | None:
        """Committed but not planned (``committed - planned``); negative: planned beyond."""
        return None if self.committed is None else _round(self.committed - self.planned)

    @property
    def remaining(self) -> Amount | None:
        """Committed but not spent (``committed - spent``)."""
        return None if self.committed is None else _round(self.committed - self.spent)

    @property
    def spent_share(self) -> float | None:
        """Spent as a share of committed (0.97 = 97 %); ``None`` without a commitment."""
        if not self.committed:
            return None
        return self.spent / self.committed

    @property
    def planned_share(self) -> float | None:
        """Planned as a share of committed."""
        if not self.committed:
            return None
        return self.planned / self.committed


@frozen
class BudgetDecision:
    """A passed decision that commits budget lines or grants an amount.

    Attributes:
        decision: The decision type id.
        title: Its title in the report's language.
        date: The day it was taken (ISO).
        amount: The amount it granted (``None`` if the type has none).
        year: The year of the lines it adopted (``None`` if it adopted none).
        new_money: Sum of the adopted lines not covered by an existing appropriation.
    """

    decision: str
    title: str
    date: str
    amount: Amount | None
    year: int | None
    new_money: Amount | None

    @property
    def matches(self) -> bool | None:
        """Whether the granted amount equals the newly appropriated lines."""
        if self.amount is None or self.new_money is None:
            return None
        return abs(self.amount - self.new_money) < 0.005


@frozen
class Reconciliation:
    """The reconciled budget of a run: rows per line and year, and their sums.

    Attributes:
        rows: One row per line and year, by year, then in the order of the lines.
        decisions: The decisions that committed lines or granted amounts.
        unassigned: Planned and spent amounts citing no known line, per year:
            ``{year: (planned, spent)}`` (data recorded before the reference check).
    """

    rows: tuple[BudgetRow, ...]
    decisions: tuple[BudgetDecision, ...] = ()
    unassigned: Mapping[int, tuple[Amount, Amount]] = field(factory=dict)

    @property
    def years(self) -> tuple[int, ...]:
        """The years with rows, in order."""
        return tuple(sorted({row.year for row in self.rows} | set(self.unassigned)))

    def year_rows(self, year: int) -> tuple[BudgetRow, ...]:
        """The rows of ``year``."""
        return tuple(row for row in self.rows if row.year == year)

    def totals(self, year: int | None = None) -> dict[str, Amount | None]:
        """``appropriated``, ``planned``, ``committed``, ``spent`` summed (over ``year``,
        or all years), the unassigned amounts included."""
        rows = self.rows if year is None else self.year_rows(year)
        extra = [v for y, v in self.unassigned.items() if year is None or y == year]
        committed = [row.committed for row in rows if row.committed is not None]
        appropriated = [row.appropriated for row in rows if row.appropriated is not None]
        return {
            "appropriated": _round(sum(appropriated)) if appropriated else None,
            "planned": _round(sum(row.planned for row in rows) + sum(p for p, _ in extra)),
            "committed": _round(sum(committed)) if committed else None,
            "spent": _round(sum(row.spent for row in rows) + sum(s for _, s in extra)),
        }

    def by_purpose(self, year: int) -> list[tuple[str, Amount]]:
        """The year's appropriated amounts summed by what they are for (the title)."""
        sums: dict[str, float] = {}
        for row in self.year_rows(year):
            if row.appropriated is not None:
                sums[row.title] = sums.get(row.title, 0) + row.appropriated
        return [(title, _round(value)) for title, value in sums.items()]

    def by_coverage(self, year: int) -> list[tuple[str | None, bool, Amount]]:
        """The year's appropriated amounts by coverage: ``(product, covered, sum)`` —
        newly appropriated per product first, then what existing appropriations cover."""
        sums: dict[tuple[bool, str | None], float] = {}
        for row in self.year_rows(year):
            if row.appropriated is not None:
                key = (row.covered, row.product)
                sums[key] = sums.get(key, 0) + row.appropriated
        ordered = sorted(sums.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
        return [(product, covered, _round(value)) for (covered, product), value in ordered]


# ---------------------------------------------------------------------- collection


def _fields_of(workflow: Workflow, artifact: str) -> tuple[FieldSpec, ...]:
    return workflow.artifact(artifact).fields


def _contributions(
    fields: Sequence[FieldSpec], data: Any
) -> Iterator[tuple[str, tuple[str, int] | None, Amount]]:
    """``(kind, (line, year) | None, amount)`` for every money field marked
    ``budget:`` in ``data`` (an object with ``fields``) and in the objects it holds."""
    if not isinstance(data, Mapping):
        return
    refs = [spec for spec in fields if spec.type == "budget-line-ref"]
    ref = read_ref(data.get(refs[0].name)) if refs else None
    for spec in fields:
        value = data.get(spec.name)
        if value is None:
            continue
        if spec.type == "money" and spec.budget is not None:
            if isinstance(value, int | float) and not isinstance(value, bool):
                yield spec.budget, ref, value
        elif spec.type == "object":
            yield from _contributions(spec.fields, value)
        elif (
            spec.type == "list"
            and spec.items is not None
            and spec.items.type == "object"
            and isinstance(value, list)
        ):
            for entry in value:
                yield from _contributions(spec.items.fields, entry)


def _has_budget(fields: Sequence[FieldSpec]) -> bool:
    for spec in fields:
        if spec.type == "money" and spec.budget is not None:
            return True
        if spec.type == "object" and _has_budget(spec.fields):
            return True
        if spec.type == "list" and spec.items is not None and _has_budget(spec.items.fields):
            return True
    return False


def _line_fields(fields: Sequence[FieldSpec]) -> list[str]:
    return [spec.name for spec in fields if spec.type == "budget-lines"]


def _amounts(process: Process) -> tuple[dict[tuple[str, int, str], float], dict[int, list[float]]]:
    """Planned and spent per ``(line, year, kind)``; unassigned per year ``[planned, spent]``."""
    wf = process.workflow
    sums: dict[tuple[str, int, str], float] = defaultdict(float)
    loose: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for artifact in wf.artifacts:
        if not _has_budget(artifact.fields):
            continue
        if artifact.items is not None:
            sources: list[list[tuple[str, tuple[str, int] | None, Amount]]] = [
                list(_contributions(artifact.fields, item.data))
                for item in process.items(artifact.id)
            ]
            for found in sources:
                _add(found, sums, loose, None)
            continue
        taken: set[int] = set()
        for version in reversed(process.versions(artifact.id)):  # newest first
            found = list(_contributions(artifact.fields, version.data))
            years = {ref[1] for _, ref, _ in found if ref is not None}
            _add(found, sums, loose, taken)
            taken |= years
    return sums, loose


def _add(
    found: list[tuple[str, tuple[str, int] | None, Amount]],
    sums: dict[tuple[str, int, str], float],
    loose: dict[int, list[float]],
    taken: set[int] | None,
) -> None:
    for kind, ref, amount in found:
        if ref is None:
            continue  # no line named: not part of the reconciliation
        line, year = ref
        if taken is not None and year in taken:
            continue
        sums[(line, year, kind)] += amount


def _lines(process: Process) -> tuple[dict[tuple[str, int], BudgetLine], dict[str, list[Any]]]:
    """Each line and year from the newest version that has it; and, per artifact with
    lines, its versions' lines by version number (for adopted versions)."""
    wf = process.workflow
    found: dict[tuple[str, int], BudgetLine] = {}
    by_version: dict[str, list[Any]] = {}
    for artifact in wf.artifacts:
        names = _line_fields(artifact.fields)
        if not names:
            continue
        versions = process.versions(artifact.id)
        by_version[artifact.id] = [
            (v.version, [line for name in names for line in read_lines(v.data.get(name))])
            for v in versions
        ]
        for _, lines in reversed(by_version[artifact.id]):
            for line in lines:
                found.setdefault((line.id, line.year), line)
    return found, by_version


def reconcile(process: Process, lang: Lang = "de") -> Reconciliation:
    """The run's budget reconciled per line and year (see the module docs)."""
    wf = process.workflow
    lines, by_version = _lines(process)
    sums, loose = _amounts(process)
    committed: dict[tuple[str, int], Amount] = {}
    decisions: list[BudgetDecision] = []
    for record in process.decisions:
        if not record.result.passed:
            continue
        spec = wf.decision(record.decision)
        adopted_lines: list[BudgetLine] = []
        if spec.adopts is not None and record.adopted is not None:
            for number, version_lines in by_version.get(spec.adopts, ()):
                if number == record.adopted:
                    adopted_lines = version_lines
        for line in adopted_lines:
            committed[(line.id, line.year)] = line.amount
        if adopted_lines or record.amount is not None:
            years = sorted({line.year for line in adopted_lines})
            new = [line.amount for line in adopted_lines if not line.covered]
            decisions.append(
                BudgetDecision(
                    decision=record.decision,
                    title=spec.title.get(lang),
                    date=record.date,
                    amount=record.amount,
                    year=years[0] if len(years) == 1 else None,
                    new_money=_round(sum(new)) if adopted_lines else None,
                )
            )
    keys = list(lines)
    for cited, year, _ in sums:
        if (cited, year) not in lines and (cited, year) not in keys:
            keys.append((cited, year))
    rows = []
    for key in sorted(keys, key=lambda k: (k[1], keys.index(k))):
        line_id, year = key
        spec_line = lines.get(key)
        if spec_line is None:  # cited, but in no Haushaltsansatz: unassigned
            planned, spent = (
                sums.get((line_id, year, "planned"), 0),
                sums.get((line_id, year, "spent"), 0),
            )
            loose[year][0] += planned
            loose[year][1] += spent
            continue
        rows.append(
            BudgetRow(
                line=line_id,
                year=year,
                title=spec_line.title,
                product=spec_line.product,
                source=spec_line.source,
                covered=spec_line.covered,
                appropriated=spec_line.amount,
                planned=_round(sums.get((line_id, year, "planned"), 0)),
                committed=committed.get(key),
                spent=_round(sums.get((line_id, year, "spent"), 0)),
            )
        )
    unassigned = {
        year: (_round(values[0]), _round(values[1]))
        for year, values in sorted(loose.items())
        if values[0] or values[1]
    }
    return Reconciliation(rows=tuple(rows), decisions=tuple(decisions), unassigned=unassigned)


# ---------------------------------------------------------------------- presentation


def _texts(lang: Lang) -> dict[str, str]:
    codes = {
        "title": msg("budget.title"),
        "line": msg("budget.head-line"),
        "year": msg("budget.head-year"),
        "product": msg("budget.head-product"),
        "source": msg("budget.head-source"),
        "appropriated": msg("budget.head-appropriated"),
        "planned": msg("budget.head-planned"),
        "committed": msg("budget.head-committed"),
        "spent": msg("budget.head-spent"),
        "open": msg("budget.head-open"),
        "remaining": msg("budget.head-remaining"),
        "spent_share": msg("budget.head-spent-share"),
        "covered": msg("budget.covered"),
        "covered_short": msg("budget.covered-short"),
        "new": msg("budget.new-money"),
        "sum": msg("budget.sum"),
        "unassigned": msg("budget.unassigned"),
        "by_purpose": msg("budget.by-purpose"),
        "by_coverage": msg("budget.by-coverage"),
        "decisions": msg("budget.decisions"),
        "granted": msg("budget.granted"),
        "not_decided": msg("budget.not-decided"),
        "none": msg("budget.none"),
        "chart": msg("budget.chart-title"),
        "reading": msg("budget.reading"),
    }
    return {key: message.text(lang) for key, message in codes.items()}


def budget_data(process: Process, lang: Lang = "de") -> dict[str, Any]:
    """The reconciled budget as JSON-compatible data (the report section, ``--json``).

    Keys: ``years`` (one per year: ``year``, ``rows`` (line, title, product,
    source, source_title, covered, appropriated, planned, committed, spent, open,
    remaining, spent_share, planned_share), ``totals``, ``by_purpose`` (title,
    amount), ``by_coverage`` (product, covered, amount), ``unassigned`` (planned,
    spent) or ``None``), ``totals`` over all years, ``decisions`` (decision,
    title, date, amount, year, new_money, matches, note), ``texts`` (the headings
    in ``lang``) and ``sources`` (funding source → its name in ``lang``).
    """
    result = reconcile(process, lang)
    years = []
    for year in result.years:
        loose = result.unassigned.get(year)
        years.append(
            {
                "year": year,
                "rows": [
                    {
                        "line": row.line,
                        "title": row.title,
                        "product": row.product,
                        "source": row.source,
                        "source_title": _source_title(row.source, lang),
                        "covered": row.covered,
                        "appropriated": row.appropriated,
                        "planned": row.planned,
                        "committed": row.committed,
                        "spent": row.spent,
                        "open": row.open,
                        "remaining": row.remaining,
                        "spent_share": row.spent_share,
                        "planned_share": row.planned_share,
                    }
                    for row in result.year_rows(year)
                ],
                "totals": result.totals(year),
                "by_purpose": [
                    {"title": title, "amount": amount} for title, amount in result.by_purpose(year)
                ],
                "by_coverage": [
                    {"product": product, "covered": covered, "amount": amount}
                    for product, covered, amount in result.by_coverage(year)
                ],
                "unassigned": None if loose is None else {"planned": loose[0], "spent": loose[1]},
            }
        )
    return {
        "years": years,
        "totals": result.totals(),
        "decisions": [
            {
                "decision": d.decision,
                "title": d.title,
                "date": d.date,
                "amount": d.amount,
                "year": d.year,
                "new_money": d.new_money,
                "matches": d.matches,
                "note": _note(d, lang),
            }
            for d in result.decisions
        ],
        "texts": _texts(lang),
        "sources": {key: label.text(lang) for key, label in SOURCES.items()},
    }


def _note(decision: BudgetDecision, lang: Lang) -> str | None:
    """Whether the granted amount equals the newly appropriated lines, in words."""
    if decision.matches is None:
        return None
    if decision.matches:
        return msg("budget.matches").text(lang)
    amount, new = decision.amount or 0, decision.new_money or 0
    gap = format_money(amount - new, lang)
    return msg("budget.differs", amount=gap).text(lang)


def _source_title(source: str, lang: Lang) -> str:
    label = SOURCES.get(source)
    return label.text(lang) if label is not None else source


def budget_chart(process: Process, lang: Lang = "de", *, year: int | None = None) -> str | None:
    """The plan / committed / spent bar chart (SVG) of one year (default: the latest
    with rows), one group per line; ``None`` without rows."""
    from sozialraumprozess.steering.charts import BarGroup, bar_chart

    result = reconcile(process, lang)
    years = [y for y in result.years if result.year_rows(y)]
    if not years:
        return None
    chosen = year if year is not None else years[-1]
    rows = result.year_rows(chosen)
    if not rows:
        return None
    texts = _texts(lang)
    return bar_chart(
        [
            BarGroup(_label(row, texts["covered_short"]), (row.planned, row.committed, row.spent))
            for row in rows
        ],
        series_labels=[texts["planned"], texts["committed"], texts["spent"]],
        title=f"{texts['chart']} {chosen}",
        unit="€",
        lang=lang,
    )


def _label(row: BudgetRow, covered: str, limit: int = 26) -> str:
    """A bar group's label: the title, cut, with "(gedeckt)" for a covered line."""
    title = row.title if len(row.title) <= limit else row.title[: limit - 1] + "…"
    return f"{title} ({covered})" if row.covered else title
