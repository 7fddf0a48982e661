"""Planning an event produces its invitation (format v2): time, place, sender, agenda."""

from __future__ import annotations

from datetime import UTC, datetime

from sozialraumprozess.documents import DocumentRenderer
from sozialraumprozess.documents.plan import plan_documents
from sozialraumprozess.errors import InvalidData
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.testing import workflow_from_string

from ..runtime.test_time import V2


def _process() -> Process:
    clock = FixedClock(datetime(2025, 6, 2, 9, tzinfo=UTC))
    process = Process.start(
        workflow_from_string(V2, "rat.yaml"), sozialraum="Kreis", by="verwaltung", clock=clock
    )
    process.plan_event(
        "auslegung",
        on="01.07.2025",
        until="31.07.2025",
        time="09:00",
        place="Kreishaus, Foyer",
        agenda=["Entwurf des Sozialplans"],
        invited=["ausschuss", "kreistag"],
        by="verwaltung",
    )
    return process


def test_an_open_plan_has_an_invitation_with_its_facts() -> None:
    process = _process()
    (spec,) = [s for s in plan_documents(process) if s.kind == "planned_invitation"]
    assert spec.stem == "zyklus-1/01-entwurf/veranstaltungen/2025-07-01-auslegung-einladung"
    renderer = DocumentRenderer(process.workflow)
    text = renderer.render(process, spec, fmt="md").text
    assert "| Datum | 01.07.2025 – 31.07.2025 |" in text
    assert "| Uhrzeit | ab 09:00 Uhr |" in text
    assert "| Ort | Kreishaus, Foyer |" in text
    assert "Verwaltung  \n2. Juni 2025" in text  # sender (role title, not its id) and date
    assert "verwaltung" not in text.split("\n---\n")[0]
    assert "Sie findet vom 1. Juli 2025 bis zum 31. Juli 2025 statt." in text
    assert "| Eingeladen | Jugendhilfeausschuss, Kreistag |" in text
    assert "1. Entwurf des Sozialplans" in text
    assert "Mit freundlichen Grüßen" in text
    html = renderer.render(process, spec, fmt="html", lang="en").text
    assert "Kreishaus, Foyer" in html
    assert "Kind regards" in html


def test_holding_the_event_moves_the_facts_to_the_held_invitation() -> None:
    process = _process()
    process.clock.set(datetime(2025, 8, 1, 9, tzinfo=UTC))  # type: ignore[attr-defined]
    process.record_event("auslegung", date="2025-07-01", until="2025-07-31", by="verwaltung")
    specs = plan_documents(process)
    assert not [s for s in specs if s.kind == "planned_invitation"]
    (spec,) = [s for s in specs if s.kind == "invitation"]
    text = DocumentRenderer(process.workflow).render(process, spec, fmt="md").text
    assert "| Ort | Kreishaus, Foyer |" in text
    assert "| Uhrzeit | ab 09:00 Uhr |" in text


def _meeting(**extra: object) -> Process:
    clock = FixedClock(datetime(2025, 6, 2, 9, tzinfo=UTC))
    process = Process.start(
        workflow_from_string(V2, "rat.yaml"), sozialraum="Kreis", by="verwaltung", clock=clock
    )
    process.set_participant(
        "Frau Beispiel",
        roles=["verwaltung"],
        contact="sozialplanung@kreis.example",
        by="verwaltung",
    )
    process.plan_event(
        "auslegung",
        on="2025-07-01",
        time="17:00",
        place="Kreishaus, Saal 2",
        by="Frau Beispiel",
        **extra,  # type: ignore[arg-type]
    )
    return process


def test_an_invitation_as_an_office_sends_it() -> None:
    """Sender with contact, start and end, reply deadline, agenda placeholder, closing."""
    process = _meeting(end="19:30", reply_by="20.06.2025")
    (spec,) = [s for s in plan_documents(process) if s.kind == "planned_invitation"]
    renderer = DocumentRenderer(process.workflow)
    text = renderer.render(process, spec, fmt="md").text
    assert "Frau Beispiel  \nVerwaltung  \nsozialplanung@kreis.example  \n2. Juni 2025" in text
    assert "Sie findet am 1. Juli 2025 von 17:00 bis 19:30 Uhr statt." in text
    assert "| Uhrzeit | 17:00 bis 19:30 Uhr |" in text
    assert "| Rückmeldung bis | 20.06.2025 |" in text
    assert "Wir bitten um Rückmeldung bis zum 20. Juni 2025, ob Sie teilnehmen." in text
    assert "Die Tagesordnung folgt." in text
    assert "Für Rückfragen erreichen Sie uns unter sozialplanung@kreis.example." in text
    assert text.index("Mit freundlichen Grüßen") < text.rindex("Frau Beispiel")
    english = renderer.render(process, spec, fmt="md", lang="en").text
    assert "It takes place on 1 July 2025 from 17:00 to 19:30." in english
    assert "Please let us know by 20 June 2025 whether you will attend." in english
    html = renderer.render(process, spec, fmt="html").text
    assert "17:00 bis 19:30 Uhr" in html
    assert "Mit freundlichen Grüßen" in html


def test_end_and_reply_deadline_are_checked_with_positions() -> None:
    """An end before the start, or a reply deadline after the event, is refused by field."""
    for extra, field, code in (
        ({"end": "16:00"}, "end", "before-start"),
        ({"end": "7 Uhr"}, "end", "time"),
        ({"reply_by": "2025-07-02"}, "reply_by", "after-event"),
    ):
        try:
            _meeting(**extra)
        except InvalidData as error:
            (problem,) = error.problems
            assert (problem.path, problem.code) == (field, code)
            assert problem.message_de
            assert problem.message_en
            assert str(next(iter(extra.values()))) in problem.message_de + problem.message_en
        else:  # pragma: no cover - the test fails
            raise AssertionError(extra)


def test_end_and_reply_deadline_survive_the_log_and_old_plans_read_unchanged() -> None:
    """Written only when given: a plan without them serializes as before."""
    from sozialraumprozess.runtime.events import EventPlanned

    old = EventPlanned("auslegung", "2025-07-01", "17:00")
    assert "end" not in old.to_payload()
    assert "reply_by" not in old.to_payload()
    new = EventPlanned("auslegung", "2025-07-01", "17:00", end="19:30", reply_by="2025-06-20")
    assert EventPlanned.from_payload(new.to_payload()) == new
    process = _meeting(end="19:30", reply_by="2025-06-20")
    (plan,) = process.planned_events
    assert (plan.end, plan.reply_by) == ("19:30", "2025-06-20")


def test_taking_note_and_amounts_in_the_phase_report() -> None:
    """A Kenntnisnahme reads "zur Kenntnis genommen" (never "abgelehnt"); a grant
    shows its amount in German money format."""
    process = _process()
    process.record_decision("kenntnisnahme", date="2025-06-02", by="ausschuss")
    process.record_decision(
        "zuschuss", date="2025-06-02", yes=9, no=0, amount=1500.5, by="ausschuss"
    )
    process.record_event("auslegung", date="2025-05-01", by="verwaltung")
    process.clock.set(datetime(2025, 6, 3, 9, tzinfo=UTC))  # type: ignore[attr-defined]
    process.advance(by="verwaltung")
    (spec,) = [s for s in plan_documents(process) if s.kind == "phase_report"]
    renderer = DocumentRenderer(process.workflow)
    text = renderer.render(process, spec, fmt="md").text
    assert "zur Kenntnis genommen" in text
    assert "abgelehnt" not in text
    assert "**Betrag:** 1.500,50 €" in text
    html = renderer.render(process, spec, fmt="html", lang="en").text
    assert "noted" in html
    assert "€1,500.50" in html
