"""``sozialraum programme`` and ``programme-demo``: three Sozialräume in one view, the
annual table, exported as CSV and XLSX (read back), and ``--json``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .conftest import SIX, sozialraum


@pytest.fixture(scope="module")
def programme_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("programme")
    result = sozialraum(
        "programme-demo",
        str(root / "store"),
        "--csv",
        str(root / "jahrestabelle.csv"),
        "--xlsx",
        str(root / "programm.xlsx"),
    )
    assert result.returncode == 0, result.stderr
    (root / "out.txt").write_text(result.stdout, "utf-8")
    return root


def test_the_demo_shows_three_areas_and_the_annual_table(programme_dir: Path) -> None:
    text = (programme_dir / "out.txt").read_text("utf-8")
    assert "Programm: 3 Sozialräume" in text
    for name in (
        "Schwerte-Ost (Beispiel)",
        "Schwerte-Mitte (Beispiel)",
        "Schwerte-West (Beispiel)",
    ):
        assert name in text
    assert "76.200 €" in text  # plan over the three, Babel-formatted
    assert "Jahrestabelle" in text
    assert "Anlaufstelle" in text
    assert "Indikatoren im Vergleich (aktueller Stand)" in text
    assert "SGB-II-Quote" in text
    assert "11,2 %" in text
    assert f"Geschrieben: {programme_dir / 'jahrestabelle.csv'}" in text


def test_the_exports_are_real_files(programme_dir: Path) -> None:
    with (programme_dir / "jahrestabelle.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0][0] == "Sozialraum"
    assert {row[0] for row in rows[1:]} == {
        "Schwerte-Ost (Beispiel)",
        "Schwerte-Mitte (Beispiel)",
        "Schwerte-West (Beispiel)",
    }
    actual = rows[0].index("Kosten (Ist)")
    assert sorted(float(row[actual]) for row in rows[1:] if row[2] == "ZWAR-Gruppe") == [
        810.0,
        900.0,
        945.0,
    ]
    book = load_workbook(programme_dir / "programm.xlsx")
    sheet = book["Haushalt je Sozialraum"]
    last = [cell.value for cell in sheet[sheet.max_row]]
    assert last[0] == "Summe"
    assert last[1] == 12
    assert last[2] == 76200


def test_programme_json_on_the_store(programme_dir: Path) -> None:
    result = sozialraum("programme", str(programme_dir / "store"), "--json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [a["run_id"] for a in data["areas"]] == [
        "schwerte-mitte-beispiel",
        "schwerte-ost-beispiel",
        "schwerte-west-beispiel",
    ]
    assert data["totals"]["committed"] == 76200
    assert data["columns"][1] == {"key": "year", "title": "Year", "type": "integer"}
    assert len(data["annual"]) == 6
    compared = data["indicators"]  # the indicators side by side (issue 12 §7)
    assert compared["names"] == [
        "Schwerte-Mitte (Beispiel)",
        "Schwerte-Ost (Beispiel)",
        "Schwerte-West (Beispiel)",
    ]
    rate = next(row for row in compared["rows"] if row["id"] == "sgb2_quote")
    assert (rate["label"], rate["unit"], rate["reference"]) == ("SGB II rate", "%", 8.7)
    values = [cell["value"] for cell in rate["values"]]
    assert values[1] == 11.2  # Schwerte-Ost as the scenario records it
    assert len(set(values)) == 3  # the demo's three Sozialräume differ
    assert all(cell["stichtag"] == "2025-12-31" for cell in rate["values"])
    assert all(cell["trend"] == "worse" for cell in rate["values"])  # above the city's 8.7


def test_the_demo_twice_is_refused(programme_dir: Path) -> None:
    result = sozialraum("programme-demo", str(programme_dir / "store"))
    assert result.returncode == 1
    assert "schwerte-ost-beispiel" in result.stderr
    assert "Traceback" not in result.stderr


def test_programme_without_a_store_is_a_usage_error() -> None:
    result = sozialraum("programme")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_portfolio_json_names_its_columns(programme_dir: Path) -> None:
    result = sozialraum("portfolio", str(programme_dir / "store"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [c["key"] for c in data["columns"]][:3] == ["sozialraum", "year", "projekt"]
    assert {row["year"] for row in data["annual"]} == {2026}


def test_a_bad_annual_table_is_shown_with_its_position(tmp_path: Path) -> None:
    from sozialraumprozess.definition.loader import bundled_workflow_path

    text = bundled_workflow_path(SIX).read_text("utf-8")
    bad = tmp_path / "w.yaml"
    bad.write_text(text.replace("columns: [projekt, ziel,", "columns: [projekt, zeil,"), "utf-8")
    result = sozialraum("validate", str(bad))
    assert result.returncode == 1
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "columns: [projekt" in row)
    assert f"w.yaml:{line}:22: annual_table.columns[1]" in result.stdout + result.stderr
    assert "Meinten Sie 'ziel'?" in result.stdout + result.stderr


def test_budget_of_one_run(programme_dir: Path) -> None:
    store = str(programme_dir / "store")
    result = sozialraum("budget", store, "--run", "schwerte-ost-beispiel")
    assert result.returncode == 0, result.stderr
    assert "Haushalt: Plan, Beschluss und Ist – Haushaltsjahr 2026" in result.stdout
    assert "15.880,50 €" in result.stdout
    assert "Sozialraumbudget (gedeckt)" in result.stdout
    assert "(11.12.2025): Beschlossener Betrag 20.400 € – entspricht" in result.stdout
    data = json.loads(
        sozialraum("budget", store, "--run", "schwerte-ost-beispiel", "--json").stdout
    )
    assert data["totals"] == {
        "appropriated": 25400,
        "planned": 25400,
        "committed": 25400,
        "spent": 15880.5,
    }


def test_budget_of_an_unknown_run_is_refused(programme_dir: Path) -> None:
    result = sozialraum("budget", str(programme_dir / "store"), "--run", "schwerte-nord")
    assert result.returncode == 1
    assert "schwerte-nord" in result.stderr
    assert "Traceback" not in result.stderr
