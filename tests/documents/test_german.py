"""Documents a German office can hand out: no raw ids, years without separators,
invitations whose sentences read right for every bundled event type (issue 14 §1)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest

from sozialraumprozess import DocumentRenderer, load_workflow
from sozialraumprozess.definition.model import FieldSpec, Workflow
from sozialraumprozess.documents.provenance import Document
from sozialraumprozess.documents.strings import choice_label
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario import bundled_scenarios, run_scenario


@cache
def _documents(name: str, lang: str) -> tuple[Workflow, tuple[Document, ...]]:
    run = run_scenario(name)
    renderer = DocumentRenderer(run.process.workflow)
    docs = renderer.render_all(run.process, formats=("md", "html"), lang=lang)
    return run.process.workflow, docs


def _body(document: Document) -> str:
    """The document without its provenance footer (which names the workflow id on purpose)."""
    if document.meta.format == "md":
        return document.text.rsplit("\n---\n", 1)[0]
    # inline SVG (charts, diagrams) holds drawing words such as text-anchor "start"
    return re.sub(r"<svg.*?</svg>", "", document.text.split("<footer", 1)[0], flags=re.S)


def _walk(fields: tuple[FieldSpec, ...]) -> list[FieldSpec]:
    found: list[FieldSpec] = []
    for spec in fields:
        found.append(spec)
        if spec.items is not None:
            found.extend(_walk((spec.items,)))
        found.extend(_walk(spec.fields))
    return found


def _labels(workflow: Workflow, lang: str) -> str:
    """Every text the workflow gives people: ids that are words of these are no raw ids."""
    texts = [workflow.title.get(lang)]
    for group in (workflow.roles, workflow.phases, workflow.events, workflow.artifacts):
        for thing in group:
            texts.append(thing.title.get(lang))
            if thing.description is not None:
                texts.append(thing.description.get(lang))
    return " ".join(texts)


def _ids(workflow: Workflow, lang: str) -> set[str]:
    """The ids of the definition a reader must never see: roles, phases, events,
    artifacts, decisions, transitions, choice values and how a phase was entered."""
    ids = {r.id for r in workflow.roles} | {p.id for p in workflow.phases}
    ids |= {e.id for e in workflow.events} | {a.id for a in workflow.artifacts}
    ids |= {d.id for d in workflow.decisions} | {t.id for t in workflow.transitions}
    ids |= {"start", "advance", "skip"}
    shown: dict[str, str] = {}
    for artifact in workflow.artifacts:
        for spec in _walk(artifact.fields):
            labels = spec.choice_labels or (None,) * len(spec.choices)
            for value, label in zip(spec.choices, labels, strict=True):
                ids.add(value)
                shown[value] = label.get(lang) if label is not None else choice_label(value, lang)
    words = set(re.findall(r"\w+", _labels(workflow, lang)))
    return {
        i
        for i in ids
        if len(i) > 2 and i not in words and shown.get(i) != i  # "administrativ" is its label
    }


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("name", bundled_scenarios())
def test_no_bare_id_in_any_document(name: str, lang: str) -> None:
    """Handouts show labels: no role, phase, event, artifact, decision or choice id."""
    workflow, docs = _documents(name, lang)
    ids = sorted(_ids(workflow, lang), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w./-])(" + "|".join(map(re.escape, ids)) + r")(?![\w/-])")
    found = [
        (d.meta.path, m.group(1), _body(d)[max(0, m.start() - 40) : m.end() + 40])
        for d in docs
        for m in pattern.finditer(_body(d))
    ]
    assert not found


#: What Python's repr of data looks like (a value shown without its field type's format).
_REPR = re.compile(r"mappingproxy\(|\{'|\['|\('|\bNone\b|\bTrue\b|\bFalse\b")


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("name", bundled_scenarios())
def test_no_python_repr_in_any_document(name: str, lang: str) -> None:
    """Every value is shown as its field type formats it: no dict, tuple, None or
    True of Python (a document view's read-only copies reached a type's format as
    ``mappingproxy({...})`` once)."""
    _, docs = _documents(name, lang)
    found = [
        (d.meta.path, _body(d)[max(0, m.start() - 60) : m.end() + 60])
        for d in docs
        for m in _REPR.finditer(_body(d))
    ]
    assert not found


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("name", bundled_scenarios())
def test_no_bare_id_in_the_report(name: str, lang: str, tmp_path: Path) -> None:
    """The process report (bericht.html) too: labels only, phase entries worded."""
    from sozialraumprozess.app.report import report_html

    run = run_scenario(name)
    page = report_html(run.process, tmp_path / "bericht.html", lang=lang)
    body = re.sub(r"<svg.*?</svg>|<a [^>]*>|data-phase=\"[^\"]*\"", "", page, flags=re.S)
    body = re.sub(r'class="[^"]*"', "", body)
    ids = sorted(_ids(run.process.workflow, lang), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w./-])(" + "|".join(map(re.escape, ids)) + r")(?![\w/-])")
    found = [
        (m.group(1), body[max(0, m.start() - 60) : m.end() + 40]) for m in pattern.finditer(body)
    ]
    assert not found


#: A year printed with a thousands separator (``2.007``, ``2,019``), not followed by a unit.
_GROUPED_YEAR = re.compile(r"(?<![\d.,])(?:1[.,]9\d\d|2[.,]0\d\d)(?![\d.,]*\s*(?:€|%|\w))")


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("name", bundled_scenarios())
def test_no_year_with_a_separator(name: str, lang: str) -> None:
    """``Berichtsjahr 2007``, ``Planungszeitraum von 2019``: never ``2.007``."""
    _, docs = _documents(name, lang)
    found = [(d.meta.path, m.group(0)) for d in docs for m in _GROUPED_YEAR.finditer(_body(d))]
    assert not found


def test_the_grouped_year_pattern_finds_what_it_must() -> None:
    """The check above can fail: it sees ``2.007`` and ``2,019`` but not money or counts."""
    assert _GROUPED_YEAR.search("| Berichtsjahr | 2.007 |")
    assert _GROUPED_YEAR.search("Programmjahr 2,027.")
    assert not _GROUPED_YEAR.search("| 2.019 € |")
    assert not _GROUPED_YEAR.search("| 2007 |")
    assert not _GROUPED_YEAR.search("| 12.019 |")


#: Every bundled event type: its bold title, the date sentence in German and English.
INVITATIONS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("fachtag-sozialraumorientierung", "fachtag"): (
        "Fachtag", "Sie findet am 20. Mai 2015 um 09:30 Uhr statt.",
        "It takes place on 20 May 2015 at 09:30."),
    ("fachtag-sozialraumorientierung", "folgefachtag"): (
        "Folgefachtag", "Sie findet am 26. August 2015 statt.",
        "It takes place on 26 August 2015."),
    ("generationengerechte-sozialraumentwicklung", "multiplikatorenveranstaltung"): (
        "Multiplikatorenveranstaltung", "Sie findet am 4. März 2025 statt.",
        "It takes place on 4 March 2025."),
    ("generationengerechte-sozialraumentwicklung", "stadtteilbegehung"): (
        "Stadtteilbegehung", "Sie findet am 15. April 2025 statt.",
        "It takes place on 15 April 2025."),
    ("generationengerechte-sozialraumentwicklung", "gruendungsveranstaltung"): (
        "Gründungsveranstaltung", "Sie findet am 12. Juni 2025 statt.",
        "It takes place on 12 June 2025."),
    ("generationengerechte-sozialraumentwicklung", "workshop"): (
        "Weiterführende Veranstaltung, Workshop oder Arbeitsgruppe",
        "Sie findet am 17. Juli 2025 statt.", "It takes place on 17 July 2025."),
    ("generationengerechte-sozialraumentwicklung", "zukunftswerkstatt"): (
        "Zukunftswerkstatt", "Sie findet am 3. Juli 2025 statt.", "It takes place on 3 July 2025."),
    ("generationengerechte-sozialraumentwicklung", "sozialraumkonferenz"): (
        "Sozialraumkonferenz", "Sie findet am 10. September 2025 statt.",
        "It takes place on 10 September 2025."),
    ("integrierte-sozialplanung-beratung", "netzwerktreffen"): (
        "Netzwerktreffen", "Sie findet am 9. Mai 2018 statt.", "It takes place on 9 May 2018."),
    ("integrierte-sozialplanung-beratung", "planungskonferenz"): (
        "Planungskonferenz mit den freien Trägern", "Sie findet am 10. Oktober 2018 statt.",
        "It takes place on 10 October 2018."),
    ("qualitaetsreflexion-soziale-treffpunkte", "planungsworkshop"): (
        "Planungsworkshop", "Sie findet am 29. November 2016 statt.",
        "It takes place on 29 November 2016."),
    ("qualitaetsreflexion-soziale-treffpunkte", "kollegiale_visitation"): (
        "Kollegiale Visitation", "Sie findet am 10. Mai 2017 statt.",
        "It takes place on 10 May 2017."),
    ("qualitaetsreflexion-soziale-treffpunkte", "abschlussworkshop"): (
        "Abschlussworkshop", "Sie findet am 20. September 2017 statt.",
        "It takes place on 20 September 2017."),
    ("qualitaetsreflexion-soziale-treffpunkte", "austauschtreffen"): (
        "Kollegialer Austausch der Koordinatoren", "Sie findet am 18. Oktober 2017 statt.",
        "It takes place on 18 October 2017."),
    ("sozialraumprojekte-jahresbilanz", "ausschusssitzung"): (
        "Ausschusssitzung", "Sie findet am 17. September 2007 um 15:00 Uhr statt.",
        "It takes place on 17 September 2007 at 15:00."),
    ("sozialraumprojekte-jahresbilanz", "fachtag"): (
        "Fachtag der Projekte", "Sie findet am 29. November 2007 statt.",
        "It takes place on 29 November 2007."),
}  # fmt: skip

#: The bold title of every bundled event type in English (each workflow gives one).
ENGLISH_TITLES: dict[tuple[str, str], str] = {
    ("generationengerechte-sozialraumentwicklung", "multiplikatorenveranstaltung"): (
        "Multiplier event"),
    ("generationengerechte-sozialraumentwicklung", "stadtteilbegehung"): "Neighbourhood walk",
    ("generationengerechte-sozialraumentwicklung", "gruendungsveranstaltung"): "Founding event",
    ("generationengerechte-sozialraumentwicklung", "workshop"): (
        "Follow-up event, workshop or working group"),
    ("generationengerechte-sozialraumentwicklung", "zukunftswerkstatt"): "Future workshop",
    ("generationengerechte-sozialraumentwicklung", "sozialraumkonferenz"): (
        "Social-space conference"),
    ("fachtag-sozialraumorientierung", "fachtag"): "Expert day",
    ("fachtag-sozialraumorientierung", "folgefachtag"): "Follow-up expert day",
    ("integrierte-sozialplanung-beratung", "netzwerktreffen"): "Network meeting",
    ("integrierte-sozialplanung-beratung", "planungskonferenz"):
        "Planning conference with the independent providers",
    ("qualitaetsreflexion-soziale-treffpunkte", "planungsworkshop"): "Planning workshop",
    ("qualitaetsreflexion-soziale-treffpunkte", "kollegiale_visitation"): "Peer visit",
    ("qualitaetsreflexion-soziale-treffpunkte", "abschlussworkshop"): "Closing workshop",
    ("qualitaetsreflexion-soziale-treffpunkte", "austauschtreffen"): (
        "Peer exchange of the coordinators"),
    ("sozialraumprojekte-jahresbilanz", "ausschusssitzung"): "Committee meeting",
    ("sozialraumprojekte-jahresbilanz", "fachtag"): "Expert day of the projects",
}  # fmt: skip

#: Lead, reply request and closing of every invitation.
FIXED = {
    "de": (
        "Sehr geehrte Damen und Herren,",
        "hiermit laden wir Sie herzlich zu folgender Veranstaltung ein:",
        "Wir bitten um Rückmeldung",
        "Mit freundlichen Grüßen",
    ),
    "en": (
        "Dear Sir or Madam,",
        "We cordially invite you to the following event:",
        "Please let us know",
        "Kind regards",
    ),
}


def _first_invitations(name: str, lang: str) -> dict[str, str]:
    _, docs = _documents(name, lang)
    found: dict[str, str] = {}
    for doc in docs:
        if doc.meta.kind in ("invitation", "planned_invitation") and doc.meta.format == "md":
            found.setdefault(doc.meta.subject, doc.text)
    return found


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_invitation_sentence_of_every_bundled_event_type(lang: str) -> None:
    """The title stands alone in bold after a lead that needs no article ("zu folgender
    Veranstaltung"), so "zur Abschlussworkshop" cannot happen; the date sentence is exact."""
    for name in bundled_scenarios():
        for event, text in _first_invitations(name, lang).items():
            title, german, english = INVITATIONS[(name, event)]
            if lang == "en":
                title = ENGLISH_TITLES[(name, event)]
            sentences = [line for line in text.splitlines() if line.strip()]
            lead = FIXED[lang][1]
            assert sentences[sentences.index(lead) + 1] == f"**{title}**"
            assert (german if lang == "de" else english) in sentences
            for phrase in FIXED[lang]:
                assert any(line.startswith(phrase) for line in sentences), (name, event, phrase)
            assert " zur **" not in text
            assert " zum **" not in text


def test_the_table_covers_every_event_type_of_every_bundled_workflow() -> None:
    """An event type the scenarios never hold gets its invitation from a plan here."""
    covered = set(INVITATIONS)
    for name in bundled_scenarios():
        workflow = load_workflow(name)
        missing = [e for e in workflow.events if (name, e.id) not in covered]
        for event in missing:
            text = _planned_invitation(workflow, event.id)
            assert f"**{event.title.get('de')}**" in text
            assert "Sie findet am 1. Dezember 2030 statt." in text


def _planned_invitation(workflow: Workflow, event: str) -> str:
    clock = FixedClock(datetime(2030, 1, 2, 9, tzinfo=UTC))
    starter = workflow.phases[0].responsible
    process = Process.start(workflow, sozialraum="Beispiel", by=starter, clock=clock)
    organizer = workflow.event(event).organizer or starter
    process.plan_event(event, on="2030-12-01", by=organizer)
    renderer = DocumentRenderer(workflow)
    (spec,) = [s for s in renderer_specs(process) if s.kind == "planned_invitation"]
    return renderer.render(process, spec).text


def renderer_specs(process: Process) -> tuple[object, ...]:
    from sozialraumprozess.documents.plan import plan_documents

    return plan_documents(process)
