"""Budget lines per year, references to them, and the reconciled budget.

Planned (measures' costs) → committed (the lines of the version a passed decision
adopted) → spent (the annual report's actual costs), per line and year; seed 004's
Haushaltsansatz read as the seed reads (25.400 €, never 50.800 €).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sozialraumprozess.definition.fields import validate_value
from sozialraumprozess.definition.model import FieldSpec, Workflow
from sozialraumprozess.errors import InvalidData, WorkflowError
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario import bundled_scenario_path, run_scenario
from sozialraumprozess.steering.budget import budget_chart, budget_data, reconcile
from sozialraumprozess.testing import workflow_from_string

SIX = "generationengerechte-sozialraumentwicklung"

TEXT = """\
format: sozialraumprozess/v2
id: budget-demo
version: "1"
title: Haushalt
roles:
  kommune: {title: Kommune}
  rat: {title: Rat}
artifacts:
  ansatz:
    title: Haushaltsansatz
    owner: kommune
    fields:
      linien: {type: budget-lines, required: true, title: Linien}
  plan:
    title: Maßnahmenplan
    owner: kommune
    fields:
      massnahmen:
        type: list
        items:
          type: object
          fields:
            titel: {type: text, required: true}
            kosten: {type: money, budget: planned}
            linie: {type: budget-line-ref}
  bericht:
    title: Jahresbericht
    owner: kommune
    fields:
      projekte:
        type: list
        items:
          type: object
          fields:
            projekt: {type: text}
            kosten_plan: {type: money}
            kosten_ist: {type: money, budget: spent}
            linie: {type: budget-line-ref}
decisions:
  beschluss:
    title: Haushaltsbeschluss
    body: rat
    rule: majority
    adopts: ansatz
    amount: true
phases:
  - id: eins
    title: Eins
    responsible: kommune
    artifacts: [ansatz, plan, bericht]
    decisions: [beschluss]
"""

LINES = [
    {"id": "traeger", "year": 2026, "title": "Träger", "product": "Produkt 61", "amount": 15400},
    {
        "id": "srb",
        "year": 2026,
        "title": "Sozialraumbudget",
        "product": "Produkt 61",
        "amount": 5000,
    },
    {"id": "srb_alt", "year": 2026, "title": "Sozialraumbudget", "covered": True, "amount": 5000},
]


@pytest.fixture
def workflow() -> Workflow:
    return workflow_from_string(TEXT)


def started(workflow: Workflow) -> Process:
    clock = FixedClock(datetime(2025, 3, 1, tzinfo=UTC), step=timedelta(hours=1))
    return Process.start(workflow, sozialraum="Nord", by="kommune", clock=clock)


def problems(error: pytest.ExceptionInfo[InvalidData]) -> list[tuple[str, str, str, str]]:
    return [(p.path, p.code, p.message("de"), p.message("en")) for p in error.value.problems]


def _measure(title: str, cost: float, line: str, year: int = 2026) -> dict[str, Any]:
    return {"titel": title, "kosten": cost, "linie": {"line": line, "year": year}}


class TestBudgetLinesField:
    """``budget-lines`` and ``budget-line-ref``: shape errors with path and words."""

    spec = FieldSpec(type="budget-lines", name="linien")

    def test_a_good_value_has_no_problem(self) -> None:
        assert validate_value(self.spec, LINES, "linien") == []

    def test_each_bad_part_is_named_by_its_path(self) -> None:
        bad = [
            {"id": "Träger", "year": 26, "title": "", "amount": -1, "source": "haushal"},
            "Zeile",
            {"id": "x", "year": 2026, "title": "X", "amount": 1.005, "covered": "ja", "farbe": 1},
        ]
        found = [(p.path, p.code, p.message_de) for p in validate_value(self.spec, bad, "linien")]
        assert found == [
            (
                "linien[0].id",
                "id",
                "Kennung der Haushaltslinie erwartet (Kleinbuchstaben, Ziffern, _), "
                'erhalten: "Träger"',
            ),
            (
                "linien[0].year",
                "year",
                "Haushaltsjahr als ganze Zahl erwartet (z. B. 2026), erhalten: 26",
            ),
            ("linien[0].title", "required", 'Bezeichnung der Haushaltslinie fehlt (erhalten: "")'),
            ("linien[0].amount", "amount", "Betrag in Euro erwartet (0 oder mehr), erhalten: -1"),
            (
                "linien[0].source",
                "choice",
                "'haushal' ist keine erlaubte Auswahl (erlaubt: haushalt, foerdermittel, "
                "drittmittel). Meinten Sie 'haushalt'?",
            ),
            (
                "linien[1]",
                "type",
                'Haushaltslinie als Objekt erwartet (id, year, title, amount …), erhalten: "Zeile"',
            ),
            ("linien[2].farbe", "unknown-field", found[6][2]),
            ("linien[2].amount", "cents", found[7][2]),
            (
                "linien[2].covered",
                "type",
                "'covered' (gedeckt über bestehenden Haushaltsansatz) erwartet true oder false, "
                'erhalten: "ja"',
            ),
        ]
        assert "farbe" in found[6][2]

    def test_a_line_twice_in_one_year_is_refused(self) -> None:
        twice = [LINES[0], {**LINES[1], "id": "traeger"}]
        found = validate_value(self.spec, twice, "linien")
        assert [(p.path, p.code, p.message_en) for p in found] == [
            ("linien[1].year", "duplicate", "budget line 'traeger' appears twice for 2026")
        ]

    def test_a_reference_needs_line_and_year(self) -> None:
        spec = FieldSpec(type="budget-line-ref", name="linie")
        found = validate_value(spec, {"line": "x", "jahr": 2026}, "linie")
        assert [(p.path, p.code) for p in found] == [
            ("linie.jahr", "unknown-field"),
            ("linie.year", "year"),
        ]
        assert validate_value(spec, "traeger", "linie")[0].code == "type"

    def test_the_types_need_format_v2(self) -> None:
        text = TEXT.replace("sozialraumprozess/v2", "sozialraumprozess/v1")
        text = text.replace("    adopts: ansatz\n    amount: true\n", "")
        text = text.replace("    decisions: [beschluss]\n", "")
        text = text.replace(", budget: planned", "").replace(", budget: spent", "")
        with pytest.raises(WorkflowError) as info:
            workflow_from_string(text, "w.yaml")
        found = [(i.line, i.path, i.code) for i in info.value.issues]
        assert (13, "artifacts.ansatz.fields.linien.type", "needs-newer-format") in found
        assert any(
            i.code == "needs-newer-format" and "budget-line-ref" in i.message("en")
            for i in info.value.issues
        )


class TestReferences:
    """A measure naming a line in a year the line does not exist: refused, positioned."""

    def test_a_line_in_another_year_is_refused_and_nothing_changes(
        self, workflow: Workflow
    ) -> None:
        process = started(workflow)
        process.submit("ansatz", {"linien": LINES}, by="kommune")
        before = len(process.log)
        with pytest.raises(InvalidData) as error:
            process.submit(
                "plan",
                {"massnahmen": [_measure("A", 100, "srb"), _measure("B", 5, "traeger", 2027)]},
                by="kommune",
            )
        assert problems(error) == [
            (
                "massnahmen[1].linie",
                "unknown-reference",
                "massnahmen[1].linie: Haushaltslinie 'traeger (2027)' gibt es nicht (bekannt: "
                "traeger (2026), srb (2026), srb_alt (2026)). Meinten Sie 'traeger (2026)'?",
                "massnahmen[1].linie: there is no budget line 'traeger (2027)' (known: "
                "traeger (2026), srb (2026), srb_alt (2026)). Did you mean 'traeger (2026)'?",
            )
        ]
        assert len(process.log) == before
        assert process.latest("plan") is None

    def test_lines_must_exist_before_they_are_cited(self, workflow: Workflow) -> None:
        process = started(workflow)
        with pytest.raises(InvalidData) as error:
            process.submit("plan", {"massnahmen": [_measure("A", 1, "srb")]}, by="kommune")
        assert problems(error)[0][2] == (
            "massnahmen[0].linie: Haushaltslinie 'srb (2026)' gibt es nicht (noch keine angelegt)"
        )


class TestReconciliation:
    """Plan, committed and spent per line and year, with differences and shares."""

    def run(self, workflow: Workflow, *, amount: float = 20400) -> Process:
        process = started(workflow)
        process.submit("ansatz", {"linien": LINES}, by="kommune")
        process.submit(
            "plan",
            {
                "massnahmen": [
                    _measure("Anlaufstelle", 15400, "traeger"),
                    _measure("Qualifizierung", 4000, "srb"),
                    _measure("ZWAR", 2500, "srb_alt"),
                    _measure("Zeitung", 3500, "srb_alt"),
                    {"titel": "ohne Linie", "kosten": 99},
                ]
            },
            by="kommune",
        )
        process.record_decision(
            "beschluss", by="rat", yes=5, no=1, abstain=0, amount=amount, date="2025-03-01"
        )
        process.submit(
            "bericht",
            {
                "projekte": [
                    {
                        "projekt": "A",
                        "kosten_plan": 15400,
                        "kosten_ist": 14980.5,
                        "linie": {"line": "traeger", "year": 2026},
                    },
                    {"projekt": "Z", "kosten_ist": 900, "linie": {"line": "srb_alt", "year": 2026}},
                ]
            },
            by="kommune",
        )
        return process

    def test_rows_and_totals(self, workflow: Workflow) -> None:
        result = reconcile(self.run(workflow))
        rows = {row.line: row for row in result.rows}
        assert [r.line for r in result.rows] == ["traeger", "srb", "srb_alt"]
        assert (rows["traeger"].planned, rows["traeger"].committed, rows["traeger"].spent) == (
            15400,
            15400,
            14980.5,
        )
        assert rows["traeger"].remaining == 419.5
        assert rows["traeger"].spent_share == pytest.approx(0.97276, abs=1e-5)
        assert rows["srb"].open == 1000
        assert rows["srb_alt"].open == -1000  # planned beyond the commitment
        assert rows["srb_alt"].covered
        assert result.totals() == {
            "appropriated": 25400,
            "planned": 25400,
            "committed": 25400,
            "spent": 15880.5,
        }
        assert result.by_purpose(2026) == [("Träger", 15400), ("Sozialraumbudget", 10000)]
        assert result.by_coverage(2026) == [("Produkt 61", False, 20400), (None, True, 5000)]

    def test_the_decision_amount_is_checked_against_the_new_money(self, workflow: Workflow) -> None:
        (decision,) = reconcile(self.run(workflow)).decisions
        assert (decision.amount, decision.new_money, decision.matches) == (20400, 20400, True)
        data = budget_data(self.run(workflow, amount=25400), "en")
        assert data["decisions"][0]["matches"] is False
        assert data["decisions"][0]["note"] == (
            "differs from the newly appropriated lines (€5,000)"
        )

    def test_nothing_is_committed_before_a_decision(self, workflow: Workflow) -> None:
        process = started(workflow)
        process.submit("ansatz", {"linien": LINES}, by="kommune")
        result = reconcile(process)
        assert [row.committed for row in result.rows] == [None, None, None]
        assert result.totals()["committed"] is None
        assert result.decisions == ()

    def test_a_rejected_decision_commits_nothing(self, workflow: Workflow) -> None:
        process = started(workflow)
        process.submit("ansatz", {"linien": LINES}, by="kommune")
        process.record_decision(
            "beschluss", by="rat", yes=1, no=5, abstain=0, amount=20400, date="2025-03-01"
        )
        assert reconcile(process).totals()["committed"] is None

    def test_a_new_year_keeps_the_last_years_lines(self, workflow: Workflow) -> None:
        process = self.run(workflow)
        process.submit(
            "ansatz",
            {"linien": [{"id": "traeger", "year": 2027, "title": "Träger", "amount": 16000}]},
            by="kommune",
        )
        result = reconcile(process)
        assert result.years == (2026, 2027)
        row_2027 = result.year_rows(2027)[0]
        assert (row_2027.appropriated, row_2027.committed) == (16000, None)
        assert result.totals(2026)["committed"] == 25400

    def test_json_data_and_chart(self, workflow: Workflow) -> None:
        process = self.run(workflow)
        data = budget_data(process, "de")
        year = data["years"][0]
        assert year["year"] == 2026
        assert year["rows"][0]["source_title"] == "Haushalt"
        assert data["texts"]["committed"] == "Beschlossen"
        svg = budget_chart(process, "de")
        assert svg is not None
        assert svg.lstrip().startswith("<svg")
        assert "Sozialraumbudget (gedeckt)" in svg
        assert "Beschlossen" in svg
        assert budget_chart(started(workflow)) is None


def test_seed_004_reads_as_the_seed_reads() -> None:
    """The six-phase demo's three sums reconcile: plan 25.400 € = Ansatz 25.400 €
    (20.400 € newly in Produkt 61 + 5.000 € covered), Ist 15.880,50 €."""
    process = run_scenario(bundled_scenario_path(SIX)).process
    result = reconcile(process)
    assert result.totals() == {
        "appropriated": 25400,
        "planned": 25400,
        "committed": 25400,
        "spent": 15880.5,
    }
    assert result.by_purpose(2026) == [
        ("Personal- und Sachkosten des freien Trägers", 15400),
        ("Sozialraumbudget", 10000),
    ]
    assert result.by_coverage(2026) == [
        ("Produkt 61: Räumliche Planung und Entwicklung", False, 20400),
        (None, True, 5000),
    ]
    (decision,) = result.decisions
    assert (decision.amount, decision.matches) == (20400, True)


def test_references_without_any_budget_lines_are_unassigned() -> None:
    """A workflow that cites lines but keeps none: nothing to check them against, so
    the amounts stay visible as "not assigned to a budget line", per year."""
    text = TEXT.replace(
        "      linien: {type: budget-lines, required: true, title: Linien}\n",
        "      linien: {type: text}\n",
    )
    workflow = workflow_from_string(text.replace("    adopts: ansatz\n", ""))
    process = started(workflow)
    process.submit(
        "plan",
        {"massnahmen": [_measure("A", 100, "x"), _measure("B", 50, "y", 2027)]},
        by="kommune",
    )
    result = reconcile(process)
    assert result.rows == ()
    assert result.unassigned == {2026: (100, 0), 2027: (50, 0)}
    assert result.years == (2026, 2027)
    assert result.totals()["planned"] == 150
    data = budget_data(process, "de")
    assert data["years"][0]["unassigned"] == {"planned": 100, "spent": 0}
    assert data["texts"]["unassigned"] == "Keiner Haushaltslinie zugeordnet"


def test_values_as_documents_show_them() -> None:
    from sozialraumprozess.definition.fields import format_value
    from sozialraumprozess.definition.fields.budget_lines import read_lines

    lines_spec = FieldSpec(type="budget-lines", name="linien")
    assert format_value(lines_spec, LINES[:1], "de") == "Träger (2026): 15.400 €"
    assert format_value(lines_spec, [], "de") == "–"
    ref_spec = FieldSpec(type="budget-line-ref", name="linie")
    assert format_value(ref_spec, {"line": "srb", "year": 2026}, "en") == "srb (2026)"
    assert format_value(ref_spec, {"line": "srb"}, "en") == "–"
    line = read_lines([{**LINES[0], "source": "foerdermittel"}, "kaputt", {"id": "x"}])
    assert [(item.key, item.source_label("en")) for item in line] == [
        ("traeger (2026)", "Grant funding")
    ]
