"""iCalendar files for planned events: parsed back with the icalendar library."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from sozialraumprozess import calendar_files, event_calendar
from sozialraumprozess.app.report import write_documents
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.testing import workflow_from_string

from ..runtime.test_time import V2

BERLIN = ZoneInfo("Europe/Berlin")


def _process() -> Process:
    clock = FixedClock(datetime(2025, 6, 2, 9, tzinfo=UTC))
    return Process.start(
        workflow_from_string(V2, "rat.yaml"), sozialraum="Kreis", by="verwaltung", clock=clock
    )


def _event(data: bytes) -> object:
    calendar = Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0"
    assert str(calendar["PRODID"]).startswith("-//sozialraumprozess//")
    (event,) = calendar.walk("VEVENT")
    return event


def test_plan_reschedule_cancel_update_one_calendar_entry() -> None:
    """One UID for the plan's life; SEQUENCE rises on each change; cancelled at the end."""
    process = _process()
    process.plan_event(
        "sitzung",
        on="20.06.2025",
        time="17:00",
        place="Kreishaus, Saal 2",
        agenda=["Sozialplan", "Verschiedenes"],
        invited=["ausschuss"],
        by="verwaltung",
    )
    planned = event_calendar(process, 0)
    event = _event(planned.data)
    assert (planned.sequence, planned.status) == (0, "CONFIRMED")
    assert event["UID"] == planned.uid
    assert planned.uid.endswith("-sitzung@sozialraumprozess")
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART") == datetime(2025, 6, 20, 17, 0, tzinfo=BERLIN)
    assert event["SUMMARY"] == "Ausschusssitzung – Kreis"
    assert event["LOCATION"] == "Kreishaus, Saal 2"
    assert event["DESCRIPTION"] == "1. Sozialplan\n2. Verschiedenes"
    assert event.decoded("DTSTAMP") == datetime(2025, 6, 2, 9, tzinfo=UTC)
    assert planned.path == "zyklus-1/01-entwurf/veranstaltungen/2025-06-20-sitzung.ics"
    assert b"BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin" in planned.data

    process.clock.set(datetime(2025, 6, 5, 10, tzinfo=UTC))  # type: ignore[attr-defined]
    process.reschedule_event("sitzung", on="2025-06-27", reason="Raum", by="verwaltung")
    moved = event_calendar(process, 0)
    event = _event(moved.data)
    assert (moved.uid, moved.sequence, moved.path) == (planned.uid, 1, planned.path)
    assert event.decoded("DTSTART") == datetime(2025, 6, 27, 17, 0, tzinfo=BERLIN)
    assert event["LOCATION"] == "Kreishaus, Saal 2"  # kept from the plan
    assert event.decoded("DTSTAMP") == datetime(2025, 6, 5, 10, tzinfo=UTC)

    process.clock.set(datetime(2025, 6, 6, 8, tzinfo=UTC))  # type: ignore[attr-defined]
    process.cancel_event("sitzung", reason="Krankheit", by="verwaltung")
    cancelled = event_calendar(process, 0)
    event = _event(cancelled.data)
    assert (cancelled.uid, cancelled.sequence, cancelled.status) == (planned.uid, 2, "CANCELLED")
    assert event["STATUS"] == "CANCELLED"
    assert str(event["DESCRIPTION"]).startswith("Krankheit\n")
    assert event_calendar(process, 0, "en").data.startswith(b"BEGIN:VCALENDAR")


def test_an_all_day_period_and_the_next_plan_of_the_same_event() -> None:
    process = _process()
    process.plan_event("auslegung", on="2025-06-02", until="2025-07-02", by="verwaltung")
    period = _event(event_calendar(process, 0).data)
    assert period.decoded("DTSTART") == date(2025, 6, 2)
    assert period.decoded("DTEND") == date(2025, 7, 3)  # exclusive: the whole last day
    assert "LOCATION" not in period
    assert "DESCRIPTION" not in period
    process.cancel_event("auslegung", by="verwaltung")
    process.plan_event("auslegung", on="2025-06-02", time="10:00", by="verwaltung")
    first, second = calendar_files(process)
    assert first.uid != second.uid
    assert first.status == "CANCELLED"
    assert second.sequence == 0
    assert first.path != second.path  # same day, same event type: told apart by the plan
    assert _event(second.data).decoded("DTSTART") == datetime(2025, 6, 2, 10, tzinfo=BERLIN)
    with pytest.raises(IndexError):
        event_calendar(process, 5)


def test_render_writes_one_ics_per_planned_event(tmp_path: Path) -> None:
    process = _process()
    process.plan_event("sitzung", on="2025-06-20", time="09:30", by="verwaltung")
    process.plan_event("auslegung", on="2025-06-03", by="verwaltung")
    metas, failures = write_documents(process, tmp_path, formats=("md",), lang="de")
    assert failures == []
    calendars = [m for m in metas if m.kind == "calendar"]
    assert [m.format for m in calendars] == ["ics", "ics"]
    for meta in calendars:
        event = _event((tmp_path / meta.path).read_bytes())
        start = event.decoded("DTSTART")
        assert start in (datetime(2025, 6, 20, 9, 30, tzinfo=BERLIN), date(2025, 6, 3))
    again, _ = write_documents(
        process, tmp_path / "ohne", formats=("md",), lang="de", calendars=False
    )
    assert not [m for m in again if m.kind == "calendar"]
