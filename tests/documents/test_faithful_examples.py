"""The bundled examples stay faithful to their seeds (issue 14 §6): what the source says
is there, what a workflow adds is marked as an addition, and the scenarios' dates do
not contradict each other."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sozialraumprozess import DocumentRenderer, load_workflow
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario import bundled_scenarios, run_scenario

_DOCS: dict[str, Path] = {}


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``documents(name)``: the folder with every German Markdown document of a
    bundled scenario (rendered once per module)."""

    def render(name: str) -> Path:
        if name not in _DOCS:
            run = run_scenario(name)
            folder = tmp_path_factory.mktemp(name)
            DocumentRenderer(run.process.workflow).write_all(
                run.process, folder, formats=("md",), lang="de"
            )
            _DOCS[name] = folder
        return _DOCS[name]

    yield render
    _DOCS.clear()


def _one(folder: Path, pattern: str) -> str:
    found = sorted(folder.rglob(pattern))
    assert len(found) == 1, [str(p.relative_to(folder)) for p in found]
    return found[0].read_text("utf-8")


# --------------------------------------------------------------------------- 000


def test_quality_reflection_has_one_full_report_per_meeting_point(documents: Any) -> None:
    folder = documents("qualitaetsreflexion-soziale-treffpunkte")
    reports = sorted((p for p in folder.rglob("visitationsbericht/*.md")), key=lambda p: p.name)
    assert [p.stem for p in reports] == [
        "treffpunkt-land",
        "treffpunkt-mitte",
        "treffpunkt-nord",
        "treffpunkt-sued",
    ]
    for report in reports:
        text = report.read_text("utf-8")
        rows = re.findall(r"^\| (Wie|Welche|Mit welchen)[^|]*\| [^|–]+\|", text, re.M)
        assert rows, f"{report.name} records no observation"


def test_quality_reflection_marks_its_additions() -> None:
    wf = load_workflow("qualitaetsreflexion-soziale-treffpunkte")
    assert "Ergänzung" in (wf.role("begleitung").description or {}).get("de")
    decision = wf.decision("auswertung_angenommen").description
    assert decision is not None
    assert decision.get("de").startswith("Ergänzung des Workflows")
    assert "Externe Begleitung" in wf.description.get("de")  # type: ignore[union-attr]


# --------------------------------------------------------------------------- 001


def test_annual_review_committee_takes_note_without_a_vote() -> None:
    run = run_scenario("sozialraumprojekte-jahresbilanz").process
    assert run.workflow.decision("jahresbilanz_beschluss").rule == "taking_note"
    record = run.decisions[0]
    assert (record.yes, record.no, record.abstain) == (None, None, None)
    minutes = run.versions("niederschrift")[0].data
    assert "beschluss" not in minutes  # empty in the source
    assert "abstimmungsergebnis" not in minutes


def test_annual_review_table_report_is_the_meetings_outcome() -> None:
    run = run_scenario("sozialraumprojekte-jahresbilanz").process
    meeting = next(e for e in run.held_events if e.event == "ausschusssitzung")
    reports = run.versions("jahresbericht")
    assert reports
    assert all(r.submitted_at.date() > _day(meeting.date) for r in reports)
    assert all(r.cycle == 2 for r in reports)


def test_annual_review_niederschrift_renders_proposal_beside_its_answer(documents: Any) -> None:
    text = _one(documents("sozialraumprojekte-jahresbilanz"), "*ausschusssitzung-protokoll.md")
    assert text.startswith("# Niederschrift (Auszug): ")
    assert "## Diskussionsverlauf" in text
    proposal = "- **KTA Zimmermann:** In allen Projekten gezielt die Themenbereiche Trennung"
    answer = "    - *Landrat Nahrstedt und Fachdienstleiter Zenker-Burns:* Themensetzung"
    assert proposal in text
    assert text.index(answer) > text.index(proposal)
    assert "zur Kenntnis genommen" in text
    assert "einstimmig" not in text
    assert "13" not in text.split("## Beschluss")[1]


# --------------------------------------------------------------------------- 002


def test_social_planning_marks_its_reading_of_medium_term() -> None:
    wf = load_workflow("integrierte-sozialplanung-beratung")
    description = wf.artifact("bedarfsanalyse").description
    assert description is not None
    assert "Lesart dieses Workflows" in description.get("de")
    messages = [c.message.get("de") for c in wf.phase("bedarf").exit if c.message]
    assert any("Lesart dieses Workflows mindestens drei Jahre" in m for m in messages)


def test_social_planning_network_meeting_minutes_render_questions_and_results(
    documents: Any,
) -> None:
    text = _one(documents("integrierte-sozialplanung-beratung"), "*netzwerktreffen-protokoll.md")
    assert "| Ort | Halberstädter Rathaus |" in text
    assert "| 1 | Impulsreferate | Der Landkreis Harz hat sich" in text
    for question in (
        "Wer ist in die Sozialplanung mit einzubeziehen",
        "Was ist mir persönlich im Planungsprozess wichtig?",
        "Was sind meine konkreten Aufgaben im Sozialplanungsprozess?",
    ):
        row = next(line for line in text.splitlines() if question in line)
        assert not row.rstrip().endswith("| – |"), row  # a result beside the question


# --------------------------------------------------------------------------- 003


def test_expert_day_is_one_event_with_programme_items(documents: Any) -> None:
    wf = load_workflow("fachtag-sozialraumorientierung")
    assert [e.id for e in wf.events] == ["fachtag", "folgefachtag"]
    run = run_scenario("fachtag-sozialraumorientierung").process
    programme = run.versions("programm")[-1].data["programmpunkte"]
    assert [p["format"] for p in programme] == [
        "vortrag",
        "vier_ecken",
        "praxisberichte",
        "world_cafe",
    ]
    invitation = _one(documents("fachtag-sozialraumorientierung"), "*-fachtag-einladung.md")
    assert "1. Fachvortrag (Prof. Dr. Isolde Heintze, Hochschule Mittweida)" in invitation
    assert "4. World Café" in invitation


def test_expert_day_ends_in_recommendations(documents: Any) -> None:
    wf = load_workflow("fachtag-sozialraumorientierung")
    last = wf.phases[-1]
    gate = {(c.kind, c.target) for c in last.exit}
    assert ("artifact", "handlungsempfehlungen") in gate
    assert ("approval", "handlungsempfehlungen") in gate
    text = _one(documents("fachtag-sozialraumorientierung"), "handlungsempfehlungen-v1.md")
    assert "Einen breiten Dialog über den Begriff und das Fachkonzept" in text


# --------------------------------------------------------------------------- 004


def test_six_phase_workflow_keeps_the_seed() -> None:
    wf = load_workflow("generationengerechte-sozialraumentwicklung")
    assert "bewohnerschaft" in wf.phase("ziele_festlegen").involved
    text = wf.to_dict().__repr__()
    assert "Standardisierung der präventiven Jugendhilfedienstarbeit" in text


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: Artifacts that record what happened (minutes, signed agreements, reports as of a
#: Stichtag): a version must not be older than a date it records. Plans (a programme,
#: a Zielkatalog's deadlines) may name later days.
_RECORDS = {
    "protokoll",
    "niederschrift",
    "fachtag_dokumentation",
    "folgedokumentation",
    "kooperationsvereinbarung",
    "statusbericht",
    "bestandsaufnahme",
    "analysebericht",
}


def _dates(value: Any) -> Iterator[dt.date]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _dates(item)
    elif isinstance(value, list):
        for item in value:
            yield from _dates(item)
    elif isinstance(value, str) and _DATE.match(value):
        yield dt.date.fromisoformat(value)


def _day(value: dt.date | str) -> dt.date:
    """A held event's day (format v1 workflows keep it as ISO text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _contradictions(process: Process) -> list[str]:
    found = []
    for artifact in process.workflow.artifacts:
        if artifact.id not in _RECORDS:
            continue
        for version in process.versions(artifact.id):
            day = version.submitted_at.date()
            later = [d for d in _dates(version.data) if d > day]
            if later:
                found.append(f"{artifact.id} v{version.version} of {day} records {max(later)}")
    for held in process.held_events:
        kind = process.workflow.event(held.event).protocol
        if held.protocol is not None and kind is not None:
            version = process.versions(kind)[held.protocol - 1]
            if version.submitted_at.date() < _day(held.date):
                found.append(f"minutes {kind} v{held.protocol} before {held.event} {held.date}")
    return found


@pytest.mark.parametrize("name", bundled_scenarios())
def test_scenario_dates_are_in_order(name: str) -> None:
    """Minutes are not older than their meeting, an agreement not older than its
    signatures, a report not older than its Stichtag."""
    assert _contradictions(run_scenario(name).process) == []


def test_the_date_check_finds_minutes_dated_before_their_meeting(tmp_path: Path) -> None:
    from sozialraumprozess.scenario import load_scenario
    from sozialraumprozess.scenario.loader import bundled_scenario_path

    text = bundled_scenario_path("qualitaetsreflexion-soziale-treffpunkte").read_text("utf-8")
    text = text.replace('    date: "2016-11-29"\n    data:\n', "    data:\n", 1)
    path = tmp_path / "undated.scenario.yaml"
    path.write_text(text, "utf-8")
    process = run_scenario(load_scenario(path)).process
    assert _contradictions(process) == [
        "protokoll v1 of 2016-11-19 records 2016-11-29",
        "minutes protokoll v1 before planungsworkshop 2016-11-29",
    ]
