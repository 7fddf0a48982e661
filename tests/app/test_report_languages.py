"""The report per language (issue 14 §5): ``bericht.en.html`` beside ``bericht.html``,
phase titles in the report's language, long phase titles wrapped in the diagram."""

from __future__ import annotations

import re
from pathlib import Path

from sozialraumprozess import load_workflow
from sozialraumprozess.app import Service
from sozialraumprozess.app.report import report_name
from sozialraumprozess.app.svg import workflow_svg, wrap
from sozialraumprozess.definition.loader import bundled_workflow_path
from sozialraumprozess.scenario.sample import sample_clock, start_sample
from sozialraumprozess.storage import FolderStore
from sozialraumprozess.storage.session import create_run

from ..definition.conftest import variant

SIX = "generationengerechte-sozialraumentwicklung"


def test_report_names_per_language() -> None:
    assert report_name("de") == "bericht.html"
    assert report_name("en") == "bericht.en.html"
    assert report_name("de", public=True) == "bericht-oeffentlich.html"
    assert report_name("en", public=True) == "bericht-oeffentlich.en.html"


#: The bundled workflow with phase 2's title in German only (the others keep their English).
ENGLISH_TITLES = variant(
    "    title: {de: Sozialraum analysieren, en: Analyse the Sozialraum}\n",
    "    title: Sozialraum analysieren\n",
    bundled_workflow_path(SIX).read_text("utf-8"),
)


def test_the_english_report_stands_beside_the_german_one(tmp_path: Path) -> None:
    """``bericht.en.html`` beside ``bericht.html``; phase titles in English where the
    workflow gives them, else the German title."""
    own = tmp_path / "w.yaml"
    own.write_text(ENGLISH_TITLES, "utf-8")
    workflow = load_workflow(str(own))
    process = start_sample(workflow)
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
    assert "1. Identify the Sozialraum" in text
    assert "Sozialraum analysieren" in text  # no English title given: the German one
    assert "1. Sozialraum identifizieren" in german.read_text("utf-8")
    assert "Identify the Sozialraum" not in german.read_text("utf-8")


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
