"""The standardised annual table (``annual_table:``) and the programme view with its
CSV and XLSX exports (real files, read back with csv and openpyxl)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import attrs
import pytest
from openpyxl import load_workbook

from sozialraumprozess.definition.annual import LEGACY_COLUMNS, annual_table
from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.errors import WorkflowError
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario import bundled_scenario_path, load_scenario, run_scenario
from sozialraumprozess.steering.programme import programme, write_csv, write_xlsx
from sozialraumprozess.testing import workflow_from_string

SIX = "generationengerechte-sozialraumentwicklung"

TEXT = """\
format: sozialraumprozess/v2
id: tabelle
version: "1"
title: Tabelle
roles:
  amt: {title: Amt}
artifacts:
  bericht:
    title: Bericht
    owner: amt
    fields:
      jahr: {type: integer}
      notiz: {type: text}
      zeilen:
        type: list
        items:
          type: object
          fields:
            name: {type: text, title: Name}
            wert: {type: money, title: Wert}
            status: {type: choice, choices: [gut, schlecht_genug], title: Status}
annual_table:
  artifact: bericht
  rows: zeilen
  year: jahr
  columns: [name, wert, status]
phases:
  - id: eins
    title: Eins
    responsible: amt
    artifacts: [bericht]
"""


def issues(text: str) -> list[tuple[int, int, str, str, str, str | None]]:
    with pytest.raises(WorkflowError) as info:
        workflow_from_string(text, "w.yaml")
    return [
        (i.line, i.column, i.path, i.code, i.message("en"), i.hint("en")) for i in info.value.issues
    ]


class TestAnnualTableKey:
    """``annual_table`` names an artifact, a list of objects, a year and columns."""

    def test_it_is_read_into_the_model(self) -> None:
        table = annual_table(workflow_from_string(TEXT))
        assert table is not None
        assert (table.artifact, table.rows, table.year, table.columns) == (
            "bericht",
            "zeilen",
            "jahr",
            ("name", "wert", "status"),
        )

    def test_unknown_names_are_reported_with_position_and_hint(self) -> None:
        text = TEXT.replace("columns: [name, wert, status]", "columns: [name, wret, status]")
        assert issues(text) == [
            (
                26,
                19,
                "annual_table.columns[1]",
                "unknown-reference",
                "the entries of 'zeilen' have no field 'wret'",
                "Did you mean 'wert'?",
            )
        ]
        text = TEXT.replace("  artifact: bericht\n", "  artifact: berict\n")
        assert issues(text) == [
            (
                23,
                13,
                "annual_table.artifact",
                "unknown-reference",
                "unknown artifact 'berict' for the annual table",
                "Did you mean 'bericht'?",
            )
        ]

    def test_rows_must_be_a_list_of_objects_and_the_year_an_integer(self) -> None:
        text = TEXT.replace("  rows: zeilen\n", "  rows: notiz\n").replace(
            "  year: jahr\n", "  year: notiz\n"
        )
        found = issues(text)
        assert [(line, path, code) for line, _, path, code, _, _ in found] == [
            (24, "annual_table.rows", "annual-rows-not-list"),
            (25, "annual_table.year", "annual-year-not-integer"),
        ]
        assert found[0][4] == (
            "field 'notiz' is not a list of objects; each row of the annual table is an "
            "entry of such a list"
        )

    def test_a_v1_file_cannot_use_it(self) -> None:
        text = TEXT.replace("sozialraumprozess/v2", "sozialraumprozess/v1")
        found = issues(text)
        assert [(line, path, code) for line, _, path, code, _, _ in found] == [
            (22, "annual_table", "needs-newer-format")
        ]

    def test_without_the_key_the_former_table_stays(self) -> None:
        workflow = load_workflow("sozialraumprojekte-jahresbilanz")
        table = annual_table(workflow)
        assert table is not None
        assert table.artifact == "jahresbericht"
        legacy = attrs.evolve(workflow, annual_table=None)
        table = annual_table(legacy)
        assert table is not None
        assert (table.rows, table.year, table.columns) == (
            "projekte",
            "berichtsjahr",
            LEGACY_COLUMNS,
        )


def _runs(count: int = 3) -> list[tuple[str, Process]]:
    scenario = load_scenario(bundled_scenario_path(SIX))
    runs = []
    for n in range(count):
        name = f"Quartier {n + 1}"
        area = attrs.evolve(scenario, sozialraum={**scenario.sozialraum, "name": name})
        runs.append((f"q{n + 1}", run_scenario(area).process))
    return runs


@pytest.fixture(scope="module")
def three() -> list[tuple[str, Process]]:
    return _runs()


class TestProgramme:
    """Measures and budget per Sozialraum and in total; one annual table."""

    def test_areas_totals_and_rows(self, three: list[tuple[str, Process]]) -> None:
        data = programme(three, lang="de")
        assert [a["sozialraum"] for a in data["areas"]] == [
            "Quartier 1",
            "Quartier 2",
            "Quartier 3",
        ]
        assert {
            (a["measures"], a["planned"], a["committed"], a["spent"]) for a in data["areas"]
        } == {(4, 25400, 25400, 15880.5)}
        assert data["totals"] == {
            "measures": 12,
            "planned": 76200,
            "appropriated": 76200,
            "committed": 76200,
            "spent": 47641.5,
        }
        assert [c["key"] for c in data["columns"]][:3] == ["sozialraum", "year", "projekt"]
        assert [c["title"] for c in data["columns"]][:3] == ["Sozialraum", "Jahr", "Projekt"]
        assert len(data["annual"]) == 6
        assert data["annual"][0]["run_id"] == "q1"
        assert data["annual"][0]["year"] == 2026
        compared = data["indicators"]  # by default the declared indicators side by side
        assert compared["names"] == ["Quartier 1", "Quartier 2", "Quartier 3"]
        ids = [row["id"] for row in compared["rows"]]
        assert ids == [i.id for i in three[0][1].workflow.indicators]
        assert all(len(row["values"]) == 3 for row in compared["rows"])

    def test_the_indicator_comparison_plugs_in(self, three: list[tuple[str, Process]]) -> None:
        def compare(runs: Any) -> dict[str, int]:
            return {"areas": len(runs)}

        assert programme(three, indicators=compare)["indicators"] == {"areas": 3}

    def test_csv_is_read_back(self, three: list[tuple[str, Process]], tmp_path: Path) -> None:
        data = programme(three, lang="de")
        target = tmp_path / "jahrestabelle.csv"
        write_csv(data, target)
        with target.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle, delimiter=";"))
        assert rows[0][:4] == ["Sozialraum", "Jahr", "Projekt", "Ziel (geplant)"]
        assert rows[1][:3] == ["Quartier 1", "2026", "Anlaufstelle"]
        cost = rows[0].index("Kosten (Ist)")
        assert float(rows[1][cost]) == 14980.5
        assert rows[2][rows[0].index("Zielerreichung")] == "teilweise"
        assert len(rows) == 7
        stream = io.StringIO()
        assert write_csv(data, stream) == stream.getvalue()

    def test_xlsx_is_read_back(self, three: list[tuple[str, Process]], tmp_path: Path) -> None:
        data = programme(three, lang="en")
        target = tmp_path / "programm.xlsx"
        write_xlsx(data, target, lang="en")
        book = load_workbook(target)
        assert book.sheetnames == ["Annual table", "Budget per Sozialraum"]
        annual = book["Annual table"]
        head = [cell.value for cell in annual[1]]
        assert head[:3] == ["Sozialraum", "Year", "Project"]  # the workflow's own labels
        assert annual.cell(row=2, column=1).value == "Quartier 1"
        cost = annual.cell(row=2, column=head.index("Costs (actual)") + 1)
        assert cost.value == 14980.5
        assert "€" in cost.number_format
        budget = book["Budget per Sozialraum"]
        rows = [[cell.value for cell in row] for row in budget.iter_rows()]
        assert rows[0] == [
            "Sozialraum",
            "Measures",
            "Planned",
            "Appropriation",
            "Committed",
            "Spent",
        ]
        assert rows[-1] == ["Total", 12, 76200, 76200, 76200, 47641.5]
        assert budget.cell(row=2, column=3).font.bold is False
        assert budget.cell(row=budget.max_row, column=1).font.bold is True
