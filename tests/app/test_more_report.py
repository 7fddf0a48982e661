"""Report data and page details: money fields at the top level and in lists of objects
(missing amounts left out of the sums), and links to documents written only as
Markdown, or not at all."""

from __future__ import annotations

import re
from pathlib import Path

from sozialraumprozess import load_workflow
from sozialraumprozess.app.report import budget_tables, render_report, write_documents
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario.sample import run_sample
from sozialraumprozess.testing import workflow_from_string

from ..definition.conftest import variant

SIX = "generationengerechte-sozialraumentwicklung"

MONEY = variant(
    "      ziele: {type: list, min_items: 1, items: {type: text}}\n",
    "      ziele: {type: list, min_items: 1, items: {type: text}}\n"
    "      budget: {type: money, title: {de: Gesamtbudget, en: Total budget}}\n"
    "      posten:\n"
    "        type: list\n"
    "        items:\n"
    "          type: object\n"
    "          fields:\n"
    "            bezeichnung: {type: text}\n"
    "            betrag: {type: money}\n",
)


def test_money_fields_at_the_top_and_in_a_list_of_objects() -> None:
    process = Process.start(workflow_from_string(MONEY, "w.yaml"), sozialraum="N", by="kommune")
    data = {
        "ziele": ["a"],
        "budget": 1500.5,
        "posten": [{"bezeichnung": "Miete", "betrag": 1000}, {"bezeichnung": "Druck"}],
    }
    process.submit("zielkatalog", data, by="vg")
    (english,) = budget_tables(process, "en")
    assert english["scalars"] == [("Total budget", 1500.5)]
    assert english["tables"] == [
        {
            "title": "posten",
            "label": "bezeichnung",
            "columns": ["betrag"],
            "rows": [("Miete", [1000]), ("Druck", [None])],
            "sums": [1000],
        }
    ]
    assert (english["id"], english["version"], english["approved"]) == ("zielkatalog", 1, False)
    assert budget_tables(process, "de")[0]["scalars"] == [("Gesamtbudget", 1500.5)]


def test_an_artifact_without_money_figures_is_left_out() -> None:
    process = Process.start(workflow_from_string(MONEY, "w.yaml"), sozialraum="N", by="kommune")
    process.submit("zielkatalog", {"ziele": ["a"], "posten": []}, by="vg")
    assert budget_tables(process, "de") == []


def test_the_report_links_markdown_documents_and_skips_missing_ones(tmp_path: Path) -> None:
    process = run_sample(load_workflow(SIX))
    documents = tmp_path / "documents"
    metas, failures = write_documents(process, documents, formats=("md",), lang="de")
    assert failures == []
    assert len(metas) == 46  # 36, a second goal catalogue, five measures, the Wirkungskette,
    # the Zukunftswerkstatt's invitation and minutes, the Beteiligungsdokumentation
    gone = documents / "zyklus-1" / "01-identifizieren" / "auftrag-v1.md"
    gone.unlink()
    page = render_report(process, tmp_path / "bericht.html", documents_dir=documents)
    links = re.findall(r'href="(documents/[^"]+)"', page.read_text("utf-8"))
    assert links
    assert all(link.endswith(".md") for link in links)
    assert "documents/zyklus-1/01-identifizieren/sozialraumabgrenzung-v1.md" in links
    assert "documents/zyklus-1/01-identifizieren/auftrag-v1.md" not in links
    for link in links:
        assert (tmp_path / link).is_file()


def test_the_report_without_documents_has_no_document_links(tmp_path: Path) -> None:
    process = run_sample(load_workflow(SIX))
    page = render_report(process, tmp_path / "bericht.html", documents_dir=tmp_path / "fehlt")
    assert re.findall(r'href="(documents/[^"]+)"', page.read_text("utf-8")) == []


def test_the_beteiligungsdokumentation_names_the_goals_that_took_contributions_up(
    tmp_path: Path,
) -> None:
    """A contribution taken up by a goal shows the goal's id and title, in both languages."""
    process = run_sample(load_workflow(SIX))
    for lang, kind in (("de", "Ziel"), ("en", "goal")):
        _, failures = write_documents(process, tmp_path / lang, formats=("md",), lang=lang)
        assert failures == []
        (page,) = (tmp_path / lang).rglob("beteiligungsdokumentation*.md")
        text = page.read_text("utf-8")
        assert f"{kind} W3 (Einrichtung einer Anlaufstelle für Bürgerinnen und Bürger)" in text
        assert f"{kind} H3 (Das Angebot Nachbarschaftsstifter ist etabliert)" in text
