"""Commands with bad input are refused with every problem named (path, code, both
languages) and nothing is added to the log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import CommandRejected, InvalidData
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.testing import workflow_from_string

from ..definition.conftest import MINI

CONSENSUS = MINI.replace("    body: vg\n", "    body: vg\n    rule: consensus\n")


def refused(process: Process, command: Callable[[], Any]) -> list[tuple[str, str, str, str]]:
    """``(path, code, English, German)`` of each problem; checks that the log is unchanged."""
    before = tuple(process.log)
    with pytest.raises(InvalidData) as info:
        command()
    assert tuple(process.log) == before
    return [(p.path, p.code, p.message("en"), p.message("de")) for p in info.value.problems]


def problems_of_start(workflow: Workflow, **kwargs: Any) -> list[tuple[str, str, str, str]]:
    with pytest.raises(InvalidData) as info:
        Process.start(workflow, by="kommune", **kwargs)
    return [(p.path, p.code, p.message("en"), p.message("de")) for p in info.value.problems]


class TestStart:
    def test_name_description_and_data_of_the_wrong_kind(self, workflow: Workflow) -> None:
        found = problems_of_start(workflow, sozialraum=" ", description=3, data=[1])
        assert found == [
            (
                "name",
                "required",
                "name: expected text, got ' '",
                "name: Text erwartet, erhalten: ' '",
            ),
            (
                "description",
                "type",
                "description: expected text, got 3",
                "description: Text erwartet, erhalten: 3",
            ),
            ("data", "type", "data: expected an object (mapping)", "data: Objekt erwartet"),
        ]

    def test_data_that_is_not_plain_json(self, workflow: Workflow) -> None:
        data = {"a": float("nan"), 1: "x", "b": [1.5, {2}], "c": {"d": float("inf")}}
        found = problems_of_start(workflow, sozialraum="Nord", data=data)
        assert [(path, code, en) for path, code, en, _de in found] == [
            ("data.a", "json", "data.a: not finite: nan"),
            ("data", "json", "data: key must be text: 1"),
            (
                "data.b[1]",
                "json",
                "data.b[1]: not a JSON value (text, number, boolean, list, object): set",
            ),
            ("data.c.d", "json", "data.c.d: not finite: inf"),
        ]
        assert found[1][3] == "data: Schlüssel muss Text sein: 1"
        assert found[0][3] == "data.a: Keine endliche Zahl: nan"


class TestParticipants:
    def test_active_must_be_a_boolean(self, process: Process) -> None:
        found = refused(
            process,
            lambda: process.set_participant("Anna", ["kommune"], active="ja", by="kommune"),
        )
        assert found == [
            ("active", "type", "active: expected a boolean", "active: Wahrheitswert erwartet")
        ]

    def test_unknown_role_kind_and_contact(self, process: Process) -> None:
        found = refused(
            process,
            lambda: process.set_participant(
                "Anna",
                ["xyzxyz"],
                kind="firma",
                contact=5,
                by="kommune",
            ),
        )
        assert [(path, code, en) for path, code, en, _de in found] == [
            ("roles[0]", "unknown-role", "roles[0]: Unknown role 'xyzxyz'."),
            ("kind", "choice", "kind: expected 'person' or 'organisation', got 'firma'"),
            ("contact", "type", "contact: expected text, got 5"),
        ]
        assert found[0][3] == "roles[0]: Unbekannte Rolle 'xyzxyz'."

    def test_a_role_id_as_name_and_roles_as_text(self, process: Process) -> None:
        found = refused(
            process,
            lambda: process.set_participant("kommune", "kommune", by="kommune"),
        )
        assert [(path, code) for path, code, _en, _de in found] == [
            ("name", "role-name"),
            ("roles", "type"),
        ]
        assert found[0][2] == "name: 'kommune' is a role id; participants need a name of their own"
        assert found[1][3] == "roles: Liste von Rollen-IDs erwartet"


def test_a_note_that_is_not_text(process: Process) -> None:
    found = refused(process, lambda: process.submit("auftrag", {}, by="kommune", note=3))
    assert ("note", "type", "note: expected text (the note)", "note: Text erwartet") in found


@pytest.fixture
def mini() -> Process:
    """The mini workflow with a consensus decision, in phase 'ziele', the goals approved."""
    process = Process.start(workflow_from_string(CONSENSUS, "w.yaml"), sozialraum="N", by="kommune")
    process.submit("zielkatalog", {"ziele": ["a"]}, by="vg")
    process.approve("zielkatalog", by="vg")
    process.advance(by="kommune")
    return process


def test_an_event_without_protocol_artifact_and_bad_figures(mini: Process) -> None:
    found = refused(
        mini,
        lambda: mini.record_event(
            "konferenz",
            date="2025-02-30",
            participants=-1,
            notes=["x"],
            protocol=1,
            by="vg",
        ),
    )
    assert [(path, code, en) for path, code, en, _de in found] == [
        (
            "date",
            "date-impossible",
            "date: No such day: '2025-02-30' (month 1–12, a day the month has)",
        ),
        ("participants", "type", "participants: expected an integer ≥ 0, got -1"),
        ("notes", "type", "notes: expected text, got ['x']"),
        ("protocol", "not-allowed", "protocol: this event type has no protocol artifact"),
    ]
    assert found[3][3] == "protocol: Diese Veranstaltung hat kein Protokoll-Artefakt"


def test_votes_under_the_consensus_rule(mini: Process) -> None:
    found = refused(
        mini,
        lambda: mini.record_decision("zielbeschluss", date="2025-02-01", yes=3, no=0, by="vg"),
    )
    assert [(path, code, en) for path, code, en, _de in found] == [
        ("yes", "not-allowed", "yes: must not be given under the rule 'consensus'"),
        ("no", "not-allowed", "no: must not be given under the rule 'consensus'"),
        ("consensus", "required", "consensus: state whether consensus was reached (true/false)"),
    ]
    assert found[0][3] == "yes: Bei der Regel 'consensus' nicht anzugeben"


def test_approving_twice_is_refused() -> None:
    process = Process.start(workflow_from_string(CONSENSUS, "w.yaml"), sozialraum="N", by="kommune")
    process.submit("zielkatalog", {"ziele": ["a"]}, by="vg")
    process.approve("zielkatalog", by="vg")
    before = tuple(process.log)
    with pytest.raises(CommandRejected) as info:
        process.approve("zielkatalog", by="vg")
    assert info.value.code == "already-approved"
    assert info.value.message("en") == "version 1 of 'Zielkatalog' is already approved"
    assert info.value.message("de") == "Version 1 von 'Zielkatalog' ist bereits freigegeben"
    assert tuple(process.log) == before
