"""Templates show what authors wrote (issue 14 §2): every bundled template renders
every field it does not place itself under "Weitere Angaben"; lists stay lists."""

from __future__ import annotations

from importlib.resources import files

import pytest

from sozialraumprozess import DocumentRenderer
from sozialraumprozess.documents.expected import GENERIC, bundled_templates, placed_fields
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario import run_scenario
from sozialraumprozess.testing import workflow_from_string

SPECIFIC = [stem for stem, source in bundled_templates().items() if placed_fields(source)]


def test_the_specific_templates_are_known() -> None:
    assert "ergebnisprotokoll" in SPECIFIC
    assert "zielkatalog" in SPECIFIC
    assert not set(GENERIC) & set(SPECIFIC)


@pytest.mark.parametrize("stem", SPECIFIC)
def test_each_specific_template_ends_with_the_generic_section(stem: str) -> None:
    """Markdown and HTML place the same fields and hand the rest to ``m.weitere``."""
    folder = files("sozialraumprozess") / "templates"
    markdown = (folder / f"{stem}.md.j2").read_text("utf-8")
    html = (folder / f"{stem}.html.j2").read_text("utf-8")
    assert placed_fields(markdown) == placed_fields(html)
    for source in (markdown, html):
        assert "m.weitere(data, artifact.fields, placed)" in source


WORKFLOW = """
format: sozialraumprozess/v2
id: eigene-felder
version: "1"
title: Eigene Felder
roles:
  amt: {title: Amt}
events:
  sitzung: {title: Sitzung, organizer: amt, protocol: protokoll}
artifacts:
  protokoll:
    title: Protokoll
    owner: amt
    fields:
      datum: {type: date, title: Datum}
      tagesordnung:
        type: list
        title: Tagesordnung
        items: {type: object, fields: {titel: {type: text, title: Titel}}}
      leitfragen: {type: list, title: Leitfragen, items: {type: text}}
      stimmung: {type: text, title: Stimmung im Raum}
      gruppen:
        type: list
        title: Arbeitsgruppen
        items:
          type: object
          fields:
            thema: {type: text, title: Thema}
            ergebnisse: {type: list, title: Ergebnisse, items: {type: text}}
  ziele:
    title: Ziele
    owner: amt
    template: zielkatalog.md.j2
    fields:
      ziele:
        type: list
        title: Ziele
        items:
          type: object
          fields:
            prioritaet: {type: integer, title: Priorität}
            titel: {type: text, title: Titel}
            ebene: {type: text, title: Ebene}
            handlungsfeld: {type: text, title: Handlungsfeld}
            indikator: {type: text, title: Indikator}
            zielwert: {type: text, title: Zielwert}
            frist: {type: date, title: Frist}
            status: {type: text, title: Status}
            zustaendig: {type: text, title: Zuständig}
      programmjahr: {type: integer, min: 2000, max: 2100, title: Programmjahr}
phases:
  - id: eins
    title: Eins
    responsible: amt
    events: [sitzung]
    artifacts: [protokoll, ziele]
"""


def _process() -> Process:
    process = Process.start(workflow_from_string(WORKFLOW, "w.yaml"), sozialraum="S", by="amt")
    process.submit(
        "protokoll",
        {
            "datum": "2025-01-10",
            "tagesordnung": [{"titel": "Begrüßung"}],
            "leitfragen": ["Wer fehlt?", "Was ist wichtig?"],
            "stimmung": "konzentriert",
            "gruppen": [{"thema": "Wohnen", "ergebnisse": ["Mehr Bänke", "Ein Treffpunkt"]}],
        },
        by="amt",
    )
    process.record_event("sitzung", date="2025-01-10", protocol=1, by="amt")
    process.submit(
        "ziele", {"ziele": [{"prioritaet": 1, "titel": "Treffpunkt"}], "programmjahr": 2027},
        by="amt",
    )  # fmt: skip
    return process


def test_the_minutes_show_the_authors_own_fields_with_lists_as_lists() -> None:
    process = _process()
    text = DocumentRenderer(process.workflow).render_event(process, 0).text
    further = text.split("## Weitere Angaben", 1)[1]
    assert "| Stimmung im Raum | konzentriert |" in further
    assert "**Leitfragen**\n\n- Wer fehlt?\n- Was ist wichtig?" in further
    assert "### Arbeitsgruppen" in further
    assert "#### Wohnen" in further
    assert "- Mehr Bänke\n- Ein Treffpunkt" in further
    assert "Mehr Bänke, Ein Treffpunkt" not in text
    assert "Begrüßung" in text.split("## Weitere Angaben", 1)[0]  # placed, not repeated
    assert "Begrüßung" not in further
    english = DocumentRenderer(process.workflow).render_event(process, 0, lang="en").text
    assert "## Further details" in english
    html = DocumentRenderer(process.workflow).render_event(process, 0, fmt="html").text
    assert "<h2>Weitere Angaben</h2>" in html
    assert "<li>Wer fehlt?</li>" in html


def test_a_named_bundled_template_shows_the_undeclared_field_and_the_year_plain() -> None:
    process = _process()
    text = DocumentRenderer(process.workflow).render_artifact(process, "ziele").text
    assert "| Programmjahr | 2027 |" in text
    assert "2.027" not in text


def test_the_niederschrift_of_the_committee_renders_discussion_and_suggestions() -> None:
    """The Lüneburg Niederschrift: discussion and four suggestions in its minutes."""
    run = run_scenario("sozialraumprojekte-jahresbilanz")
    renderer = DocumentRenderer(run.process.workflow)
    text = renderer.render_event(run.process, 0).text
    assert "Diskussionsverlauf" in text
    suggestions = text.split("## Anregungen", 1)[1].split("## Beschluss", 1)[0]
    assert suggestions.count("\n- **") == 4  # four suggestions, each its own list item
    assert "- **KTA Zimmermann:** In allen Projekten gezielt" in suggestions
    assert "    - *Landrat Nahrstedt und Fachdienstleiter Zenker-Burns:*" in suggestions
    assert "Tag der Projekte" in text


def test_sub_fields_a_template_has_no_column_for_follow_as_their_own_table() -> None:
    """The Zielkatalog shows eight columns of each goal; a ninth sub-field the author
    added follows under "Weitere Angaben" beside each goal's title, in both formats;
    without a value in any goal there is no such section."""
    process = _process()
    renderer = DocumentRenderer(process.workflow)
    assert "Zuständig" not in renderer.render_artifact(process, "ziele").text
    goals = [
        {"prioritaet": 1, "titel": "Treffpunkt", "zustaendig": "Quartiersbüro"},
        {"prioritaet": 2, "titel": "Bänke"},
    ]
    process.submit("ziele", {"ziele": goals}, by="amt")
    text = renderer.render_artifact(process, "ziele").text
    placed, further = text.split("## Weitere Angaben", 1)
    assert "Quartiersbüro" not in placed
    assert "### Ziele" in further
    assert "| Titel | Zuständig |" in further
    assert "| Treffpunkt | Quartiersbüro |" in further
    assert "| Bänke | – |" in further
    html = renderer.render_artifact(process, "ziele", fmt="html").text
    assert "<td>Quartiersbüro</td>" in html.split("<h2>Weitere Angaben</h2>", 1)[1]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_reference_to_a_budget_line_is_shown_by_the_lines_title(lang: str) -> None:
    """The six-phase Jahresbericht's projects cite their budget line, a sub-field the
    template has no column for: it follows under "Weitere Angaben", named by the
    line's title in its year as the Haushaltsansatz declares it, not by its id."""
    from sozialraumprozess.runtime.references import known_titles

    process = run_scenario("generationengerechte-sozialraumentwicklung").process
    titles = known_titles(process.state, process.workflow, "budget-line")
    assert titles["traeger (2026)"] == "Personal- und Sachkosten des freien Trägers (2026)"
    text = DocumentRenderer(process.workflow).render_artifact(process, "jahresbericht", lang=lang)
    further = text.text.split("## Weitere Angaben" if lang == "de" else "## Further details")[1]
    assert "| Anlaufstelle | Personal- und Sachkosten des freien Trägers (2026) |" in further
    assert "traeger (2026)" not in text.text


_GOALS = {"de": "| Dient den Zielen | H4 |", "en": "| Serves the goals | H4 |"}

_MOVEMENT = {
    "de": "Entwicklung der Indikatoren: Kontakte der Anlaufstelle je Woche +35",
    "en": "Indicator movement observed: Weekly contacts of the drop-in point +35",
}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_measures_document_shows_its_goals_and_its_evaluation(lang: str) -> None:
    """The item document of a measure: the goals it serves (a reference list, read
    from the view's read-only copy) and the evaluation's indicator movement by the
    indicator's label, never as data."""
    process = run_scenario("generationengerechte-sozialraumentwicklung").process
    docs = DocumentRenderer(process.workflow).render_all(process, formats=("md",), lang=lang)
    (measure,) = [d for d in docs if d.meta.path.endswith("massnahme/anlaufstelle.md")]
    assert _GOALS[lang] in measure.text  # the workflow's own label
    assert _MOVEMENT[lang] in measure.text
    assert "kontakte_anlaufstelle" not in measure.text
