"""The report per language (issue 14 §5): ``bericht.en.html`` beside ``bericht.html``,
phase titles in the report's language, long phase titles wrapped in the diagram."""

from __future__ import annotations

import re
from pathlib import Path

from sozialraumprozess import load_workflow
from sozialraumprozess.app import Service
from sozialraumprozess.app.report import report_name
from sozialraumprozess.app.svg import workflow_svg, wrap
from sozialraumprozess.scenario.sample import SCENARIO, sample_clock, start_sample
from sozialraumprozess.storage import FolderStore
from sozialraumprozess.storage.session import create_run

SIX = "generationengerechte-sozialraumentwicklung"


def test_report_names_per_language() -> None:
    assert report_name("de") == "bericht.html"
    assert report_name("en") == "bericht.en.html"
    assert report_name("de", public=True) == "bericht-oeffentlich.html"
    assert report_name("en", public=True) == "bericht-oeffentlich.en.html"


def test_the_english_report_stands_beside_the_german_one(tmp_path: Path) -> None:
    process = start_sample(load_workflow(SIX))
    for step in SCENARIO[0].steps:
        step.run(process)
    store = FolderStore(tmp_path / "store")
    create_run(store, "ost", process)
    app = Service(store, clock=sample_clock())
    try:
        german = app.render_report("ost", lang="de")
        english = app.render_report("ost", lang="en")
    finally:
        app.close()
    assert (german.name, english.name) == ("bericht.html", "bericht.en.html")
    assert german.parent == english.parent
    text = english.read_text("utf-8")
    assert '<html lang="en">' in text
    titles = [p.title.get("en") for p in load_workflow(SIX).phases]
    assert all(title in text for title in titles)
    assert "Sozialraum identifizieren" in german.read_text("utf-8")
    assert "Sozialraum identifizieren" not in titles  # the workflow gives English titles


def test_long_phase_titles_wrap_and_are_never_cut() -> None:
    """ "5. Entwicklung von Maßnahmen und konkreter Maßnahmenplanung" stays whole."""
    workflow = load_workflow(SIX)
    svg = workflow_svg(workflow, lang="de")
    boxes = re.findall(r'<g class="phase[^"]*".*?</g>', svg, flags=re.S)
    assert len(boxes) == len(workflow.phases)
    for number, (phase, box) in enumerate(zip(workflow.phases, boxes, strict=True), 1):
        shown = " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", box))
        assert shown == f"{number}. {phase.title.get('de')}"
        assert "…" not in box
    assert max(len(line) for p in workflow.phases for line in wrap(p.title.get("de"))) <= 40


def test_wrap_breaks_at_spaces_and_keeps_long_words() -> None:
    assert wrap("Entwicklung von Maßnahmen und konkreter Maßnahmenplanung", 30) == [
        "Entwicklung von Maßnahmen und",
        "konkreter Maßnahmenplanung",
    ]
    assert wrap("Sozialraumentwicklungsplanungsprozess", 10) == [
        "Sozialraumentwicklungsplanungsprozess"
    ]
    assert wrap("") == [""]
