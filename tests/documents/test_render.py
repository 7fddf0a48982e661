"""Rendering the sample run: every bundled template, both languages and formats."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sozialraumprozess.documents import DocumentRenderer, plan_documents
from sozialraumprozess.documents.sandbox import template_search_path
from sozialraumprozess.runtime.process import Process

from .conftest import GENERATED, markdown_html

BUNDLED = sorted(
    p.name for p in template_search_path()[-1].glob("*.j2") if not p.name.startswith("_")
)


def test_bundled_templates_are_all_used(renderer: DocumentRenderer, sample: Process) -> None:
    """Rendering every planned document in both formats uses every bundled template
    (the sample run, and for items, format v2, the quality reflection's scenario; for
    the committee's Niederschrift the annual review's scenario)."""
    from sozialraumprozess.scenario import run_scenario

    used = {d.meta.template for d in renderer.render_all(sample, formats=("md", "html"))}
    for name in ("qualitaetsreflexion-soziale-treffpunkte", "sozialraumprojekte-jahresbilanz"):
        run = run_scenario(name).process
        used |= {
            d.meta.template
            for d in DocumentRenderer(run.workflow).render_all(run, formats=("md", "html"))
        }
    assert used == set(BUNDLED)


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_document_renders(
    renderer: DocumentRenderer,
    sample: Process,
    fmt: str,
    lang: str,
    tables: Callable[[str], Any],
    html_ok: Callable[[str], Any],
) -> None:
    """Every document of the run renders; Markdown has tables, HTML is well-formed."""
    documents = renderer.render_all(sample, formats=(fmt,), lang=lang)
    assert len(documents) == len(plan_documents(sample))
    for document in documents:
        assert document.meta.lang == lang
        assert document.meta.path.endswith(f".{fmt}")
        if fmt == "md":
            assert tables(document.text), document.meta.path
        else:
            root = html_ok(document.text)
            assert root.tag == "html"
            assert root.get("lang") == lang


def _doc(renderer: DocumentRenderer, sample: Process, artifact: str, **kw: Any) -> str:
    return renderer.render_artifact(sample, artifact, **kw).text


def test_budget_lines_exact_german(
    renderer: DocumentRenderer, sample: Process, tables: Any
) -> None:
    """Seed 004's Haushaltsansatz as the seed reads: three lines (15.400 €, 5.000 € and
    5.000 € covered), 15.400 € + 10.000 € by purpose, 20.400 € (Produkt 61) + 5.000 €
    by coverage: 25.400 € either way, never the 50.800 € of adding both views."""
    text = _doc(renderer, sample, "haushaltsansatz")
    found = tables(text)
    lines = found[1]
    assert lines[0] == [
        "Haushaltslinie",
        "Produkt / Kostenstelle",
        "Finanzierung",
        "Haushaltsjahr",
        "Ansatz",
    ]
    assert [row[-1] for row in lines[1:]] == ["15.400 €", "5.000 €", "5.000 €", "**25.400 €**"]
    assert "gedeckt über den bestehenden Haushaltsansatz" in lines[3][0]
    purpose = next(t for t in found if t[0][0] == "Nach Zweck")
    assert purpose[1:] == [
        ["Personal- und Sachkosten des freien Trägers", "15.400 €"],
        ["Sozialraumbudget", "10.000 €"],
        ["**Summe**", "**25.400 €**"],
    ]
    coverage = next(t for t in found if t[0][0] == "Nach Deckung")
    assert coverage[1:] == [
        ["neu einzustellen (Produkt 61: Räumliche Planung und Entwicklung)", "20.400 €"],
        ["gedeckt über den bestehenden Haushaltsansatz", "5.000 €"],
        ["**Summe**", "**25.400 €**"],
    ]
    assert "50.800" not in text


def test_budget_document_html_has_the_reconciled_table_and_chart(
    renderer: DocumentRenderer, sample: Process
) -> None:
    """The HTML Haushaltsansatz shows plan / committed / spent and the bar chart."""
    html = _doc(renderer, sample, "haushaltsansatz", fmt="html")
    assert "Haushalt: Plan, Beschluss und Ist" in html
    assert "<th>Nach Deckung</th>" in html
    assert html.count("<svg") == 1
    assert "50.800" not in html


def test_budget_lines_english(renderer: DocumentRenderer, sample: Process, tables: Any) -> None:
    """English money: €15,400 and so on."""
    table = tables(_doc(renderer, sample, "haushaltsansatz", lang="en"))[1]
    assert [row[-1] for row in table[1:-1]] == ["€15,400", "€5,000", "€5,000"]


def test_cents_where_needed(renderer: DocumentRenderer, sample: Process) -> None:
    """The annual report's actual cost 14.980,50 € keeps its cents."""
    text = _doc(renderer, sample, "jahresbericht")
    assert "| 14.980,50 € |" in text
    assert "| 15.400 € |" in text


def test_dates_german(renderer: DocumentRenderer, sample: Process) -> None:
    """Dates print as 08.11.2017-style and 8. November 2017-style."""
    minutes = renderer.render_event(sample, 0).text
    assert "| Datum | 04.03.2025 |" in minutes
    invitation = renderer.render_event(sample, 0, "invitation").text
    assert "Sie findet am 4. März 2025 statt." in invitation
    assert "| Datum | 04.03.2025 |" in invitation


def test_goal_catalogue_is_a_hierarchy(
    renderer: DocumentRenderer, sample: Process, tables: Any
) -> None:
    """The Zielkatalog: id, level, goal, parent, priority, targets, deadline, findings."""
    table = tables(_doc(renderer, sample, "zielkatalog"))[1]
    assert table[0] == [
        "Kennung", "Ebene", "Ziel", "Übergeordnetes Ziel", "Priorität", "Zielwerte", "Frist",
        "Aufgegriffene Befunde",
    ]  # fmt: skip
    assert table[1] == [
        "L1", "Leitziel", "Erreichen einer größtmöglichen Partizipation", "–", "A", "–", "–", "–",
    ]  # fmt: skip
    assert table[-1] == [
        "H4", "Handlungsziel", "Die Anlaufstelle ist wöchentlich geöffnet und wird genutzt",
        "W3", "A", "Kontakte der Anlaufstelle je Woche: 0 → 30 (31.12.2026)", "31.12.2026", "B1",
    ]  # fmt: skip


def test_measure_plan_columns(renderer: DocumentRenderer, sample: Process, tables: Any) -> None:
    """Maßnahmenplan: the plan's measures (items) with goals, lead, period, cost, state; a sum."""
    table = tables(_doc(renderer, sample, "massnahmenplan"))[1]
    assert table[0] == [
        "Maßnahme", "Ziele", "Verantwortlich", "Zeitraum", "Geplante Kosten", "Zustand",
    ]  # fmt: skip
    assert table[1][:2] == ["Anlaufstelle: Anlaufstelle im Quartierstreff", "H4"]
    assert table[1][3] == "01.01.2026 – 31.12.2026"
    assert table[-1][4] == "**25.400 €**"


def test_profile_reference_values(renderer: DocumentRenderer, sample: Process, tables: Any) -> None:
    """Sozialraumprofil: indicator, value, city reference and deviation."""
    table = tables(_doc(renderer, sample, "sozialraumprofil"))[1]
    assert table[1] == [
        "Demografie", "Anteil 65 Jahre und älter", "27,4 %", "23,1 %", "+4,3 Prozentpunkte",
        "Einwohnermeldeamt",
    ]  # fmt: skip
    assert table[4][2:4] == ["640 Haushalte", "–"]


def test_annual_report_is_standardised(
    renderer: DocumentRenderer, sample: Process, tables: Any
) -> None:
    """The Jahresbericht has fixed key figures and a fixed project table."""
    found = tables(_doc(renderer, sample, "jahresbericht"))
    figures = {row[0]: row[1] for row in found[1][1:]}
    assert figures["Ziele erreicht"] == "1 / 2"
    assert figures["Kosten (Plan) gesamt"] == "17.900 €"
    assert figures["Veranstaltungen im Berichtsjahr"] == "2"
    assert figures["Teilnehmende an Veranstaltungen"] == "80"
    assert found[2][0][:4] == ["Projekt", "Ziel (geplant)", "Ergebnis", "Zielerreichung"]
    assert found[2][1][7] == "-419,50 €"


def test_minutes_with_vote(renderer: DocumentRenderer, sample: Process, tables: Any) -> None:
    """The minutes of the first conference show the rejected vote: 4 Ja, 5 Nein – abgelehnt."""
    index = next(i for i, e in enumerate(sample.held_events) if e.event == "sozialraumkonferenz")
    text = renderer.render_event(sample, index).text
    assert "## Diskussionsverlauf" in text
    assert "**Abstimmungsergebnis:** 4 Ja, 5 Nein – abgelehnt" in text
    assert ["Ja", "Nein", "Enthaltung", "Ergebnis"] in [t[0] for t in tables(text)]
    english = renderer.render_event(sample, index, lang="en").text
    assert "**Result:** 4 yes, 5 no – rejected" in english


def test_outcomes_in_process_report(renderer: DocumentRenderer, sample: Process) -> None:
    """The process report names every outcome: unanimous, majority, rejected."""
    text = renderer.render_process(sample).text
    rejected = (
        "| Beschluss des Zielkatalogs | Lokale Verantwortungsgemeinschaft | 4 | 5 | 0 | abgelehnt |"
    )
    assert rejected in text
    assert "| 13 | 0 | 1 | einstimmig angenommen |" in text
    assert "mehrheitlich angenommen" in text
    assert "| 2 | 2. Sozialraum analysieren |" in text  # cycle 2 in the timeline


def test_escaping(workflow: Any, renderer: DocumentRenderer, tables: Any, html_ok: Any) -> None:
    """User text with <script> and | is escaped in HTML and in Markdown (also rendered)."""
    from sozialraumprozess.scenario.sample import run_sample

    process = run_sample(workflow, until="analysieren")
    process.submit(
        "sozialraumprofil",
        {
            "stichtag": "2024-12-31",
            "indikatoren": [
                {"name": "<script>alert(1)</script> a|b", "wert": 1},
                {"name": "x", "wert": 2},
                {"name": "y", "wert": 3},
            ],
        },
        by="Anna Berger",
    )
    html = renderer.render_artifact(process, "sozialraumprofil", fmt="html").text
    html_ok(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; a|b" in html
    md = renderer.render_artifact(process, "sozialraumprofil").text
    assert "<script>" not in markdown_html(md)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; a|b" in markdown_html(md)
    assert len(tables(md)[1][1]) == 6


def test_write_all(renderer: DocumentRenderer, sample: Process, tmp_path: Path) -> None:
    """write_all writes stable, readable names, including both formats; twice gives the same."""
    metas = renderer.write_all(sample, tmp_path / "a", formats=("md", "html"))
    renderer.write_all(sample, tmp_path / "b", formats=("md", "html"))
    names = sorted(str(p.relative_to(tmp_path / "a")) for p in (tmp_path / "a").rglob("*.*"))
    assert names == sorted(m.path for m in metas)
    assert "zyklus-1/04-ziele_festlegen/zielkatalog-v1.md" in names
    assert "zyklus-1/01-identifizieren/sozialraumabgrenzung-v2.html" in names
    assert "zyklus-2/02-analysieren/sozialraumprofil-v1.md" not in names  # confirmed, not new
    assert (
        "zyklus-1/04-ziele_festlegen/veranstaltungen/2025-09-10-sozialraumkonferenz-protokoll.md"
        in names
    )
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_earlier_cycles_are_kept(workflow: Any, renderer: DocumentRenderer) -> None:
    """In cycle 2 the documents of cycle 1 are still planned, next to the new ones."""
    from sozialraumprozess.scenario.sample import CYCLE_TWO_STEPS, run_sample

    process = run_sample(workflow)
    for step in CYCLE_TWO_STEPS:
        step.run(process)
    stems = [s.stem for s in plan_documents(process)]
    assert "zyklus-1/02-analysieren/analysebericht-v1" in stems
    assert "zyklus-2/02-analysieren/analysebericht-v2" in stems
    assert renderer.render_artifact(process, "analysebericht", 1).meta.cycle == 1


def test_generated_time_is_injected(renderer: DocumentRenderer, sample: Process) -> None:
    """The footer shows the clock's time."""
    assert "Erstellt am 01.12.2026, 09:30 UTC" in renderer.render_process(sample).text
    assert renderer.render_process(sample).meta.generated_at == GENERATED
