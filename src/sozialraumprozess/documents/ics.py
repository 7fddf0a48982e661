"""iCalendar files (RFC 5545) for planned events (format v2), with the ``icalendar`` library.

One ``.ics`` per planned event: a calendar holding one ``VEVENT`` whose ``UID``
stays the same for the plan's whole life, so a calendar that imported it updates
the entry instead of adding a second one:

* planned: ``STATUS:CONFIRMED``, ``SEQUENCE:0``;
* each rescheduling raises ``SEQUENCE`` by one (new date, time, place);
* cancelled: ``STATUS:CANCELLED``, ``SEQUENCE`` raised once more;
* held: as last planned (the entry stays in the calendar).

``DTSTAMP`` is the time of the log event that last changed the plan, so the file
depends only on the log. Times are local time in Europe/Berlin (with its
``VTIMEZONE``); an event without a start time is an all-day event, an event with
``until`` lasts to the end of that day. The file name stays the same across
reschedulings (the first planned date): ``…/veranstaltungen/2026-03-04-fachtag.ics``.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from attrs import frozen

from sozialraumprozess.i18n import Lang
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import PlannedEvent

__all__ = ["TIMEZONE", "CalendarFile", "calendar_files", "event_calendar"]

#: The time zone of planned events' times.
TIMEZONE = "Europe/Berlin"
_PRODID = "-//sozialraumprozess//Veranstaltungsplanung//DE"
_CHANGES = frozenset({"event_rescheduled", "event_cancelled"})


@frozen
class CalendarFile:
    """One ``.ics`` file.

    Attributes:
        path: Relative file name (``zyklus-1/…/veranstaltungen/2026-03-04-fachtag.ics``).
        data: The iCalendar text (UTF-8, CRLF line ends).
        index: The plan's position in :attr:`Process.planned_events`.
        uid: The event's ``UID``.
        sequence: Its ``SEQUENCE``.
        status: ``CONFIRMED`` or ``CANCELLED``.
    """

    path: str
    data: bytes
    index: int
    uid: str
    sequence: int
    status: str


def _run_key(process: Process) -> str:
    """A short key of the run, stable over its life (its start and subject)."""
    first = process.log[0]
    seed = f"{first.time.isoformat()}|{process.workflow.id}|{process.sozialraum.name}"
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]


def _stamp(process: Process, plan: PlannedEvent) -> datetime:
    """When the plan last changed: its planning, rescheduling or cancellation."""
    moment = None
    for entry in process.log:
        if entry.seq < plan.seq:
            continue
        if entry.seq == plan.seq:
            moment = entry.time
        elif entry.type == "event_planned" and entry.payload.get("event") == plan.event:
            break  # the next plan of the same event type: changes from here are its own
        elif entry.type in _CHANGES and entry.payload.get("event") == plan.event:
            moment = entry.time
    assert moment is not None  # noqa: S101 - a plan has its planning event
    return moment


def event_calendar(process: Process, index: int, lang: Lang = "de") -> CalendarFile:
    """The ``.ics`` of planned event ``index`` (position in :attr:`Process.planned_events`).

    Raises:
        IndexError: there is no such planned event.
    """
    from icalendar import Calendar, Event

    plans = process.planned_events
    plan = plans[index]
    index %= len(plans)
    kind = process.workflow.event(plan.event)
    zone = ZoneInfo(TIMEZONE)
    sequence = len(plan.previous) + (1 if plan.status == "cancelled" else 0)
    status = "CANCELLED" if plan.status == "cancelled" else "CONFIRMED"
    uid = f"{_run_key(process)}-{plan.seq}-{plan.event}@sozialraumprozess"

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _stamp(process, plan))
    event.add("sequence", sequence)
    event.add("status", status)
    event.add("summary", f"{kind.title.get(lang)} – {process.sozialraum.name}")
    day = date.fromisoformat(plan.date)
    last = date.fromisoformat(plan.until) if plan.until else None
    if plan.time:
        hours, minutes = (int(part) for part in plan.time.split(":")[:2])
        event.add("dtstart", datetime.combine(day, time(hours, minutes), zone))
        if last is not None:
            event.add("dtend", datetime.combine(last + timedelta(days=1), time(0, 0), zone))
    else:
        event.add("dtstart", day)
        event.add("dtend", (last or day) + timedelta(days=1))
    if plan.place:
        event.add("location", plan.place)
    lines = [f"{n}. {item}" for n, item in enumerate(plan.agenda, 1)]
    if plan.note:
        lines += ["", plan.note] if lines else [plan.note]
    if plan.status == "cancelled" and plan.reason:
        lines = [plan.reason, *([""] if lines else []), *lines]
    if lines:
        event.add("description", "\n".join(lines))

    calendar = Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    if plan.time:
        calendar.add_missing_timezones()
    number = process.workflow.phase_index(plan.phase) + 1
    first = plan.previous[0] if plan.previous else plan.date
    path = f"zyklus-{plan.cycle}/{number:02d}-{plan.phase}/veranstaltungen/{first}-{plan.event}.ics"
    return CalendarFile(path, calendar.to_ical(), index, uid, sequence, status)


def calendar_files(process: Process, lang: Lang = "de") -> tuple[CalendarFile, ...]:
    """The ``.ics`` of every planned event of ``process`` (held and cancelled ones too)."""
    files: list[CalendarFile] = []
    used: set[str] = set()
    for index in range(len(process.planned_events)):
        found = event_calendar(process, index, lang)
        if found.path in used:  # two plans of one event type from the same day
            stem = found.path[: -len(".ics")]
            found = CalendarFile(
                f"{stem}-{process.planned_events[index].seq}.ics",
                found.data,
                found.index,
                found.uid,
                found.sequence,
                found.status,
            )
        used.add(found.path)
        files.append(found)
    return tuple(files)
