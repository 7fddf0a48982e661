"""Typed events: stored form unchanged, strict reading with positions, upcasting old versions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest
from attrs import field, frozen

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import InvalidData, ReplayError
from sozialraumprozess.runtime import events
from sozialraumprozess.runtime._fold import HANDLERS, handles
from sozialraumprozess.runtime.events import (
    EVENT_TYPES,
    Event,
    ParticipantSet,
    Payload,
    register,
)
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import Participant, ProcessEvent
from sozialraumprozess.runtime.serialize import event_from_dict, event_to_dict
from sozialraumprozess.runtime.state import ProcessState
from sozialraumprozess.scenario.sample import run_sample
from sozialraumprozess.storage.codec import encode_events, parse_log

FIXTURE_LOG = (
    Path(__file__).parent.parent
    / "storage"
    / "fixtures"
    / "folder-v1"
    / "runs"
    / "schwerte-ost"
    / "events.jsonl"
)


def test_every_stored_payload_round_trips_through_its_class(workflow: Workflow) -> None:
    process = run_sample(workflow)
    for entry in process.log:
        stored = event_to_dict(entry)
        assert "type_version" not in stored  # every event class is at version 1
        again = event_from_dict(json.loads(json.dumps(stored)))
        assert again == entry
        assert again.payload == entry.payload == stored["payload"]
        assert type(again.event).from_payload(again.payload) == entry.event


def test_stored_times_are_utc() -> None:
    contents = parse_log(FIXTURE_LOG.read_bytes(), "events.jsonl")
    assert contents.events[0].time == datetime(2025, 1, 13, 8, 0, tzinfo=UTC)
    assert contents.events[0].time.tzinfo is UTC
    assert encode_events(contents.events) == FIXTURE_LOG.read_bytes()


BAD_PAYLOADS = [
    ("participant_set", {"name": "A"}, "required field missing @ $.payload.roles"),
    (
        "participant_set",
        {"name": "A", "roles": ["kommune"], "colour": "red"},
        "extra fields found @ $.payload: colour",
    ),
    (
        "participant_set",
        {"name": "A", "roles": ["kommune", 7]},
        "expected list @ $.payload.roles, got ['kommune', 7]",
    ),
    (
        "artifact_submitted",
        {"artifact": "x", "data": []},
        "expected object @ $.payload.data, got []",
    ),
    (
        "artifact_approved",
        {"artifact": "x", "version": "1"},
        "expected integer @ $.payload.version",
    ),
    (
        "event_held",
        {"event": "x", "date": "2025-01-01", "protocol": True},
        "expected integer or null",
    ),
    ("decision_recorded", {"decision": "x", "date": 5}, "expected text @ $.payload.date, got 5"),
    ("phase_advanced", {"from": "a"}, "required field missing @ $.payload.to"),
    ("transition_taken", {"transition": "t", "from": "a", "to": "b", "x": 1}, "extra fields"),
    (
        "process_started",
        {"workflow": {"id": "w", "version": 1, "content_hash": "h"}, "sozialraum": {"name": "S"}},
        "expected text @ $.payload.workflow.version, got 1",
    ),
    (
        "process_started",
        {"workflow": {"id": "w", "version": "1", "content_hash": "h"}, "sozialraum": {}},
        "required field missing @ $.payload.sozialraum.name",
    ),
]


@pytest.mark.parametrize(("kind", "payload", "problem"), BAD_PAYLOADS)
def test_a_payload_that_does_not_fit_its_class_is_named(
    kind: str, payload: dict[str, Any], problem: str
) -> None:
    data = {
        "seq": 4,
        "time": "2025-01-13T08:00:00Z",
        "actor": {"role": "kommune", "participant": None},
        "type": kind,
        "payload": payload,
    }
    with pytest.raises(ReplayError) as info:
        event_from_dict(data)
    assert info.value.seq == 4
    assert info.value.message("en").startswith("Event 4: event cannot be read: ")
    assert problem in info.value.message("en")
    assert info.value.message("de").startswith("Ereignis 4: Ereignis nicht lesbar: ")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"type": "party_held"}, "unknown event type 'party_held' @ $.type"),
        ({"seq": "4"}, "expected an integer @ $.seq, got '4'"),
        ({"time": "gestern"}, "@ $.time"),
        (
            {"actor": {"role": "kommune", "participant": None, "x": 1}},
            "extra fields found @ $.actor",
        ),
        ({"actor": {"participant": None}}, "required field missing @ $.actor.role"),
        ({"extra": 1}, "extra fields found @ $: extra"),
        ({"type_version": 2}, "version 2 of 'participant_set' is not one this library reads"),
        ({"payload": []}, "expected an object @ $.payload, got list"),
    ],
)
def test_a_damaged_envelope_is_named(change: dict[str, Any], problem: str) -> None:
    data = {
        "seq": 4,
        "time": "2025-01-13T08:00:00Z",
        "actor": {"role": "kommune", "participant": None},
        "type": "participant_set",
        "payload": {"name": "A", "roles": ["kommune"]},
        **change,
    }
    with pytest.raises(ReplayError) as info:
        event_from_dict(data)
    assert problem in info.value.message("en")


def test_event_messages_exist_in_every_catalog_language_and_no_other() -> None:
    error = ReplayError(3, events_message())
    assert error.message("de") == "Ereignis 3: Prozess ist bereits gestartet"
    assert error.message("en") == "Event 3: process already started"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        error.message("fr")


def events_message() -> Any:
    from sozialraumprozess.i18n import msg

    return msg("runtime.replay.already-started")


# --------------------------------------------------------------------------- upcasting


@frozen
class ParticipantSetV2(Event):
    """Version 2 of ``participant_set``: the contact became a list of contacts."""

    TYPE: ClassVar[str] = "participant_set"
    VERSION: ClassVar[int] = 2

    name: str
    roles: tuple[str, ...]
    contacts: tuple[str, ...]

    @staticmethod
    def _from_v1(payload: Payload) -> Payload:
        contact = payload.get("contact")
        new = {k: v for k, v in payload.items() if k not in ("contact", "kind", "active")}
        return {**new, "contacts": [] if contact is None else [contact]}

    UPCASTERS: ClassVar = {1: _from_v1}

    def to_payload(self) -> Payload:
        return {"name": self.name, "roles": list(self.roles), "contacts": list(self.contacts)}

    @classmethod
    def from_payload(cls, payload: Payload) -> ParticipantSetV2:
        return cls(payload["name"], tuple(payload["roles"]), tuple(payload["contacts"]))


@pytest.fixture
def version_two() -> Iterator[None]:
    """``participant_set`` at version 2 while the test runs (a handler for it too)."""
    saved = EVENT_TYPES.pop("participant_set")
    register(ParticipantSetV2)

    @handles(ParticipantSetV2)
    def _set(state: ProcessState, entry: ProcessEvent, event: ParticipantSetV2, _: Any) -> None:
        contact = event.contacts[0] if event.contacts else None
        state.participants[event.name] = Participant(event.name, event.roles, "person", contact)

    try:
        yield
    finally:
        EVENT_TYPES["participant_set"] = saved
        del HANDLERS[ParticipantSetV2]


def test_a_stored_version_one_line_is_upcast(version_two: None, workflow: Workflow) -> None:
    line = FIXTURE_LOG.read_bytes().split(b"\n")[1]  # seq 2, written as version 1
    stored = json.loads(line)
    assert "type_version" not in stored
    assert stored["payload"]["contact"] == "sozialraumkoordination@example.org"
    entry = event_from_dict(stored)
    assert entry.event == ParticipantSetV2(
        "Anna Berger", ("sozialraumkoordination",), ("sozialraumkoordination@example.org",)
    )
    # written back, the line says its version; read again, nothing is upcast twice
    again = event_to_dict(entry)
    assert again["type_version"] == 2
    assert again["payload"]["contacts"] == ["sozialraumkoordination@example.org"]
    assert event_from_dict(again) == entry
    # the whole log, read from its bytes, upcasts every participant line and replays
    contents = parse_log(FIXTURE_LOG.read_bytes(), str(FIXTURE_LOG))
    stored_types = [json.loads(x)["type"] for x in FIXTURE_LOG.read_bytes().splitlines()]
    upcast = [isinstance(e.event, ParticipantSetV2) for e in contents.events]
    assert upcast == [t == "participant_set" for t in stored_types]
    assert sum(upcast) == 7
    assert Process.replay(_fixture_workflow(), contents.events).participants[0].contact == (
        "sozialraumkoordination@example.org"
    )


def _fixture_workflow() -> Workflow:
    from sozialraumprozess.definition.loader import load_workflow

    return load_workflow(FIXTURE_LOG.parents[3] / "workflow-v1.yaml")


def test_registering_needs_a_free_type_and_every_upcaster() -> None:
    @frozen
    class Twice(Event):
        TYPE: ClassVar[str] = "participant_set"

    with pytest.raises(ValueError, match="registered twice"):
        register(Twice)

    @frozen
    class Gap(Event):
        TYPE: ClassVar[str] = "gap_event"
        VERSION: ClassVar[int] = 3
        UPCASTERS: ClassVar = {1: lambda p: p}

    with pytest.raises(ValueError, match=r"lacks upcasters from versions \[2\]"):
        register(Gap)
    assert "gap_event" not in EVENT_TYPES


def test_role_tuples_are_shared_between_participants() -> None:
    first = ParticipantSet.from_payload({"name": "a", "roles": ["kommune", "traeger"]})
    second = ParticipantSet.from_payload({"name": "b", "roles": ["kommune", "traeger"]})
    assert first.participant.roles is second.participant.roles
    assert events._roles(["x"]) == ("x",)


def test_dates_may_be_dates(process: Process, workflow: Workflow) -> None:
    held = process.record_event(
        "multiplikatorenveranstaltung", date=date(2025, 1, 13), by="kommune"
    )
    assert held.date == "2025-01-13"
    assert process.log[-1].payload["date"] == "2025-01-13"
    decided = process.record_decision(
        "auftragsbeschluss", date=date(2025, 1, 13), yes=9, no=1, by="rat"
    )
    assert decided.date == "2025-01-13"
    with pytest.raises(InvalidData) as info:
        process.record_event(
            "multiplikatorenveranstaltung", date=datetime(2025, 1, 13, tzinfo=UTC), by="kommune"
        )
    assert info.value.paths == ("date",)
    assert (
        "expected a date YYYY-MM-DD or DD.MM.YYYY, got datetime.datetime(2025, 1, 13"
        in info.value.message("en")
    )
    assert len(process.log) == 3


def _stored_logs() -> list[dict[str, Any]]:
    """One stored entry per event type of the bundled scenarios' logs."""
    from sozialraumprozess.scenario import bundled_scenarios, run_scenario

    found: dict[str, dict[str, Any]] = {}
    for name in bundled_scenarios():
        for entry in run_scenario(name).process.log:
            found.setdefault(entry.type, event_to_dict(entry))
    return list(found.values())


STORED = _stored_logs()


@pytest.mark.parametrize("stored", STORED, ids=[s["type"] for s in STORED])
def test_every_field_of_every_event_type_is_checked_when_read(stored: dict[str, Any]) -> None:
    """Each field of a stored payload given a value of no field's type (a list of a list),
    and an unknown field added: the line is refused with its number, never read."""
    assert event_from_dict(json.loads(json.dumps(stored))).type == stored["type"]
    for key in stored["payload"]:
        damaged = {**stored, "payload": {**stored["payload"], key: [[]]}}
        with pytest.raises(ReplayError) as info:
            event_from_dict(damaged)
        assert info.value.seq == stored["seq"], key
        assert info.value.message("en").startswith(f"Event {stored['seq']}: event cannot be read")
    extra = {**stored, "payload": {**stored["payload"], "unbekannt": 1}}
    with pytest.raises(ReplayError):
        event_from_dict(extra)


# --------------------------------------------------------------------------- declared payloads


def test_a_payload_is_declared_by_the_fields_alone() -> None:
    """``register`` makes SHAPE, reader and writer of a class that declares only fields:
    keys by name or ``stored(key=…)``, absent-when-None keys first or last."""

    @frozen
    class Declared(Event):
        TYPE: ClassVar[str] = "declared_test_event"

        name: str
        source: str = field(metadata=events.stored(key="from"))
        count: int | None = None
        tags: tuple[str, ...] = ()
        late: str | None = field(default=None, metadata=events.stored(omit_none=True))
        early: str | None = field(default=None, metadata=events.stored(omit_none=True, first=True))

    register(Declared)
    try:
        shape = Declared.SHAPE
        assert shape == (
            ("name", (str,), True),
            ("from", (str,), True),
            ("count", (int, type(None)), False),
            ("tags", (list,), False),
            ("late", (str, type(None)), False),
            ("early", (str, type(None)), False),
        )
        plain = Declared("n", "a")
        assert json.dumps(plain.to_payload()) == (
            '{"name": "n", "from": "a", "count": null, "tags": []}'
        )
        full = Declared("n", "a", 2, ("x",), "l", "e")
        assert list(full.to_payload()) == ["early", "name", "from", "count", "tags", "late"]
        assert Declared.from_payload(full.to_payload()) == full
        assert Declared.from_payload({"name": "n", "from": "a"}) == plain
        with pytest.raises(events.EventDataError) as info:
            Declared.from_payload({"name": "n", "source": "a", "tags": ["x", 1]})
        assert info.value.problems == [
            "required field missing @ $.payload.from",
            "expected list @ $.payload.tags, got ['x', 1]",
            "extra fields found @ $.payload: source",
        ]
    finally:
        del EVENT_TYPES["declared_test_event"]


def test_a_field_of_a_type_without_a_payload_kind_is_refused_when_registered() -> None:
    @frozen
    class Undeclared(Event):
        TYPE: ClassVar[str] = "undeclared_test_event"

        when: datetime

    with pytest.raises(TypeError, match=r"Undeclared\.when: no payload kind for 'datetime'"):
        register(Undeclared)
    assert "undeclared_test_event" not in EVENT_TYPES
