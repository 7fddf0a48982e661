"""Planning an event produces its invitation (format v2): time, place, sender, agenda."""

from __future__ import annotations

from datetime import UTC, datetime

from sozialraumprozess.documents import DocumentRenderer
from sozialraumprozess.documents.plan import plan_documents
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
    assert "| Beginn | 09:00 |" in text
    assert "| Ort | Kreishaus, Foyer |" in text
    assert "| Einladung von | verwaltung, 02.06.2025 |" in text
    assert "| Eingeladen | Jugendhilfeausschuss, Kreistag |" in text
    assert "1. Entwurf des Sozialplans" in text
    html = renderer.render(process, spec, fmt="html", lang="en").text
    assert "Kreishaus, Foyer" in html
    assert "Invitation from" in html


def test_holding_the_event_moves_the_facts_to_the_held_invitation() -> None:
    process = _process()
    process.clock.set(datetime(2025, 8, 1, 9, tzinfo=UTC))  # type: ignore[attr-defined]
    process.record_event("auslegung", date="2025-07-01", until="2025-07-31", by="verwaltung")
    specs = plan_documents(process)
    assert not [s for s in specs if s.kind == "planned_invitation"]
    (spec,) = [s for s in specs if s.kind == "invitation"]
    text = DocumentRenderer(process.workflow).render(process, spec, fmt="md").text
    assert "| Ort | Kreishaus, Foyer |" in text
    assert "| Beginn | 09:00 |" in text


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
    assert "taken note of" in html
    assert "€1,500.50" in html
