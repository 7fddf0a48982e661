"""The standardised annual table: which artifact and fields make a row (seed 001).

A workflow says it with the format-v2 key ``annual_table``::

    annual_table:
      artifact: jahresbericht      # its newest version gives the rows
      rows: projekte               # a list of objects: one row per entry
      year: berichtsjahr           # the year of the report (optional)
      columns: [projekt, ziel, ergebnis, zielerreichung, kosten_plan, kosten_ist]

A workflow without the key keeps what earlier versions did: when it has a
``jahresbericht`` with a ``projekte`` list, those rows, with the columns of
:data:`LEGACY_COLUMNS` it has (:func:`annual_table`).

:func:`table_rows` turns an artifact version's data into rows;
:func:`check_annual_table` is the load-time check (positions, did-you-mean).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from sozialraumprozess.definition.model import AnnualTable, FieldSpec, Workflow
from sozialraumprozess.errors._base import closest
from sozialraumprozess.i18n import Lang, Message, msg

__all__ = [
    "LEGACY_ARTIFACT",
    "LEGACY_COLUMNS",
    "annual_table",
    "check_annual_table",
    "column_specs",
    "column_titles",
    "table_rows",
    "table_title",
]

#: The artifact an annual table came from before ``annual_table`` existed.
LEGACY_ARTIFACT = "jahresbericht"
#: Its columns (those the artifact's ``projekte`` entries have).
LEGACY_COLUMNS = (
    "projekt",
    "ziel",
    "ergebnis",
    "zielerreichung",
    "teilnehmende",
    "kosten_plan",
    "kosten_ist",
    "empfehlung",
)


def _list_of_objects(workflow: Workflow, artifact: str, field: str) -> FieldSpec | None:
    try:
        spec = workflow.artifact(artifact)
    except KeyError:
        return None
    for item in spec.fields:
        if item.name == field and item.type == "list" and item.items is not None:
            return item.items if item.items.type == "object" else None
    return None


def annual_table(workflow: Workflow) -> AnnualTable | None:
    """The workflow's annual table: its ``annual_table``, else the legacy default
    (``jahresbericht.projekte``), else ``None``."""
    if workflow.annual_table is not None:
        return workflow.annual_table
    entry = _list_of_objects(workflow, LEGACY_ARTIFACT, "projekte")
    if entry is None:
        return None
    names = {f.name for f in entry.fields}
    columns = tuple(c for c in LEGACY_COLUMNS if c in names)
    if not columns:
        return None
    year = next(
        (
            f.name
            for f in workflow.artifact(LEGACY_ARTIFACT).fields
            if f.name == "berichtsjahr" and f.type == "integer"
        ),
        None,
    )
    return AnnualTable(artifact=LEGACY_ARTIFACT, rows="projekte", columns=columns, year=year)


def column_specs(workflow: Workflow, table: AnnualTable) -> list[FieldSpec | None]:
    """The field spec of each column (``None`` where the workflow lacks it)."""
    entry = _list_of_objects(workflow, table.artifact, table.rows)
    by_name = {f.name: f for f in entry.fields} if entry is not None else {}
    return [by_name.get(column) for column in table.columns]


def column_titles(workflow: Workflow, table: AnnualTable, lang: Lang) -> list[str]:
    """The columns' titles in ``lang`` (the field name where a field has no title)."""
    return [
        spec.title.get(lang) if spec is not None and spec.title is not None else column
        for spec, column in zip(column_specs(workflow, table), table.columns, strict=True)
    ]


def table_title(table: AnnualTable, lang: Lang) -> str:
    """The table's title in ``lang`` (its own, else *Jahrestabelle* / *Annual table*)."""
    if table.title is not None:
        return table.title.get(lang)
    return msg("programme.annual-title").text(lang)


def table_rows(
    table: AnnualTable, data: Mapping[str, Any], *, sozialraum: str
) -> list[dict[str, Any]]:
    """The rows of one artifact version's ``data``.

    Each row has ``sozialraum`` (the entry's own ``sozialraum`` field, else the
    run's), ``year`` (from :attr:`AnnualTable.year`) and the columns (missing
    fields as ``None``).
    """
    year = data.get(table.year) if table.year is not None else None
    rows = []
    for entry in data.get(table.rows) or ():
        if not isinstance(entry, Mapping):
            continue
        row: dict[str, Any] = {
            "sozialraum": entry.get("sozialraum") or sozialraum,
            "year": year,
        }
        row.update({column: entry.get(column) for column in table.columns})
        rows.append(row)
    return rows


# ---------------------------------------------------------------------- load time


class _Context(Protocol):
    def add(
        self,
        path: Sequence[str | int],
        code: str,
        message: Message,
        hint: Message | None = None,
        *,
        key: bool = False,
    ) -> None: ...


def _hint(name: str, known: Sequence[str]) -> Message:
    suggestion = closest(name, known)
    if suggestion is not None:
        return msg("name.did-you-mean", name=suggestion)
    return msg("name.known", known=", ".join(known) or "–")


def check_annual_table(data: Mapping[str, Any], ctx: _Context) -> None:
    """Report what in the raw file's ``annual_table`` names nothing: the artifact, its
    list field (a list of objects), the year field (an integer) and each column."""
    table = data.get("annual_table")
    if not isinstance(table, dict):
        return
    path: list[str | int] = ["annual_table"]
    artifacts = data.get("artifacts")
    artifacts = artifacts if isinstance(artifacts, dict) else {}
    artifact = table.get("artifact")
    if not isinstance(artifact, str):
        return
    if artifact not in artifacts:
        ctx.add(
            [*path, "artifact"],
            "unknown-reference",
            msg("programme.unknown-artifact", name=artifact),
            _hint(artifact, [str(a) for a in artifacts]),
        )
        return
    body = artifacts[artifact] if isinstance(artifacts[artifact], dict) else {}
    fields: dict[str, Any] = body["fields"] if isinstance(body.get("fields"), dict) else {}
    rows = table.get("rows")
    if isinstance(rows, str):
        spec = fields.get(rows)
        items = spec.get("items") if isinstance(spec, dict) else None
        if spec is None:
            ctx.add(
                [*path, "rows"],
                "unknown-reference",
                msg("programme.unknown-field", name=rows, artifact=artifact),
                _hint(rows, [str(f) for f in fields]),
            )
        elif (
            spec.get("type") != "list"
            or not isinstance(items, dict)
            or items.get("type") != "object"
        ):
            ctx.add(
                [*path, "rows"], "annual-rows-not-list", msg("programme.rows-not-list", name=rows)
            )
        else:
            columns: dict[str, Any] = (
                items["fields"] if isinstance(items.get("fields"), dict) else {}
            )
            known = [str(c) for c in columns]
            for index, column in enumerate(table.get("columns") or ()):
                if isinstance(column, str) and column not in columns:
                    ctx.add(
                        [*path, "columns", index],
                        "unknown-reference",
                        msg("programme.unknown-column", name=column, rows=rows),
                        _hint(column, known),
                    )
    year = table.get("year")
    if isinstance(year, str):
        spec = fields.get(year)
        if spec is None:
            ctx.add(
                [*path, "year"],
                "unknown-reference",
                msg("programme.unknown-field", name=year, artifact=artifact),
                _hint(year, [str(f) for f in fields]),
            )
        elif not isinstance(spec, dict) or spec.get("type") != "integer":
            ctx.add(
                [*path, "year"],
                "annual-year-not-integer",
                msg("programme.year-not-integer", name=year),
            )
