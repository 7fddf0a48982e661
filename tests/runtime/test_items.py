"""Items (format v2) at run time: the commands, their refusals, the gates, replay.

Items are created, changed and moved by commands that append one typed event
each; a refused command changes nothing. The item gates block with messages in
German and English that name the missing items and the role that can act.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import (
    CommandRejected,
    InvalidData,
    PermissionDenied,
    ReplayError,
    SozialraumprozessError,
)
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.events import ItemCreated, ItemMoved
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import Actor, ProcessEvent
from sozialraumprozess.testing import workflow_from_string

TEXT = """\
format: sozialraumprozess/v2
id: items-demo
version: "1"
title: Items demo
roles:
  kommune: {title: Kommune}
  team: {title: Visitationsteam}
  begleitung: {title: Begleitung}
artifacts:
  treffpunkte:
    title: Treffpunkte
    owner: kommune
    fields:
      orte: {type: list, items: {type: text}}
  bericht:
    title: Visitationsbericht
    owner: team
    items:
      states:
        geplant: {title: {de: Geplant, en: Planned}}
        besucht: {title: {de: Besucht, en: Visited}}
        abgeschlossen: {title: {de: Abgeschlossen, en: Done}}
      moved_by: [team, begleitung]
    fields:
      datum: {type: date, earliest: "2025-01-01", latest: "31.12.2025"}
      art: {type: choice, choices: {vor_ort: {de: Vor Ort, en: On site}, online: Online}}
phases:
  - id: planen
    title: Planen
    responsible: kommune
    artifacts: [treffpunkte, bericht]
    exit:
      - items_per_entry: bericht
        entries: treffpunkte.orte
        state: abgeschlossen
      - items: bericht
        min: 2
        state: besucht
      - all_items: bericht
        state: besucht
  - id: ende
    title: Ende
    responsible: kommune
    next: planen
"""


@pytest.fixture(scope="module")
def workflow() -> Workflow:
    return workflow_from_string(TEXT)


def started(workflow: Workflow) -> Process:
    clock = FixedClock(datetime(2025, 3, 1, tzinfo=UTC), step=timedelta(hours=1))
    return Process.start(workflow, sozialraum="Nord", by="kommune", clock=clock)


def blockers(process: Process, lang: str = "de") -> list[tuple[str, str | None, str, str]]:
    return [(b.kind, b.role, b.code, b.message(lang)) for b in process.blockers()]  # type: ignore[arg-type]


def test_create_change_move(workflow: Workflow) -> None:
    process = started(workflow)
    item = process.create_item("bericht", key="Café Mitte", data={"art": "online"}, by="team")
    assert (item.key, item.state, item.version, item.data) == (
        "Café Mitte",
        "geplant",
        1,
        {"art": "online"},
    )
    assert item.created_by == Actor("team")
    changed = process.change_item(
        "bericht", key="Café Mitte", data={"datum": "2025-05-02"}, by="team"
    )
    assert (changed.version, changed.data, changed.state) == (2, {"datum": "2025-05-02"}, "geplant")
    moved = process.move_item("bericht", key="Café Mitte", to="besucht", by="begleitung", note="ok")
    assert (moved.state, moved.moves, moved.version) == ("besucht", 1, 2)
    assert [e.type for e in process.log[-3:]] == ["item_created", "item_changed", "item_moved"]
    assert process.log[-1].payload == {
        "artifact": "bericht",
        "key": "Café Mitte",
        "from": "geplant",
        "to": "besucht",
        "note": "ok",
    }
    assert process.items("bericht") == (process.item("bericht", "Café Mitte"),)
    assert process.item("bericht", "nirgends") is None


def refused(process: Process, call: Any, error: type[SozialraumprozessError]) -> str:
    before = process.log
    with pytest.raises(error) as info:
        call()
    assert process.log == before
    return info.value.message("en")


def test_refusals_change_nothing(workflow: Workflow) -> None:
    p = started(workflow)
    p.create_item("bericht", key="Nord", by="team")
    cases: list[tuple[Any, type[SozialraumprozessError], str]] = [
        (lambda: p.create_item("bericht", key="Nord", by="team"), CommandRejected, "exists"),
        (lambda: p.create_item("bericht", key=" Nord", by="team"), InvalidData, "key ' Nord'"),
        (lambda: p.create_item("bericht", key="", by="team"), InvalidData, "key ''"),
        (lambda: p.create_item("bericht", key="a\nb", by="team"), InvalidData, "control"),
        (lambda: p.create_item("bericht", key="x" * 201, by="team"), InvalidData, "200"),
        (
            lambda: p.create_item("bericht", key="Süd", data={"datum": "2024-12-31"}, by="team"),
            InvalidData,
            "datum: 2024-12-31 is before the earliest allowed day 01/01/2025",
        ),
        (
            lambda: p.create_item("bericht", key="Süd", data={"datum": "2026-01-01"}, by="team"),
            InvalidData,
            "is after the latest allowed day 31/12/2025",
        ),
        (
            lambda: p.create_item("bericht", key="Süd", data={"art": "vorort"}, by="team"),
            InvalidData,
            "Did you mean 'vor_ort'?",
        ),
        (lambda: p.create_item("bericht", key="Süd", by="kommune"), PermissionDenied, "kommune"),
        (lambda: p.create_item("treffpunkte", key="S", by="kommune"), CommandRejected, "no items"),
        (lambda: p.submit("bericht", {}, by="team"), CommandRejected, "create an item"),
        (lambda: p.change_item("bericht", key="Nrd", data={}, by="team"), CommandRejected,
         "Did you mean 'Nord'?"),
        (lambda: p.move_item("bericht", key="Nord", to="besuch", by="team"), InvalidData,
         "Did you mean 'besucht'?"),
        (lambda: p.move_item("bericht", key="Nord", to="abgeschlossen", by="team"),
         CommandRejected, "cannot move from 'Planned' to 'Done'; allowed: Visited"),
        (lambda: p.move_item("bericht", key="Nord", to="besucht", by="kommune"),
         PermissionDenied, "'team' or 'begleitung'"),
        (lambda: p.move_item("bericht", key="Nord", to="besucht", by="team", note=3),
         InvalidData, "note"),
    ]  # fmt: skip
    for call, error, text in cases:
        assert text in refused(p, call, error)


def test_item_commands_belong_to_the_phase(workflow: Workflow) -> None:
    p = started(workflow)
    p.submit("treffpunkte", {"orte": ["Nord"]}, by="kommune")
    p.create_item("bericht", key="Nord", by="team")
    p.create_item("bericht", key="Süd", by="team")
    for key in ("Nord", "Süd"):
        p.move_item("bericht", key=key, to="besucht", by="team")
    p.move_item("bericht", key="Nord", to="abgeschlossen", by="team")
    p.advance(by="kommune")
    before = p.log
    for call in (
        lambda: p.create_item("bericht", key="West", by="team"),
        lambda: p.change_item("bericht", key="Nord", data={}, by="team"),
        lambda: p.move_item("bericht", key="Süd", to="abgeschlossen", by="team"),
    ):
        with pytest.raises(CommandRejected) as info:
            call()
        assert info.value.code == "not-in-phase"
        assert "'Ende'" in info.value.message("en")
    assert p.log == before


def test_gates_name_the_missing_items_and_who_can_act(workflow: Workflow) -> None:
    p = started(workflow)
    assert blockers(p) == [
        ("items_per_entry", "kommune", "no-entries",
         "'Visitationsbericht' braucht die Einträge aus 'Treffpunkte', das noch fehlt oder "
         "keine hat"),
        ("items", "team", "too-few-items",
         "Zu wenige Einträge 'Visitationsbericht' im Zustand 'Besucht' oder weiter: 0 von "
         "mindestens 2"),
        ("all_items", "team", "no-items", "Noch kein Eintrag 'Visitationsbericht'"),
    ]  # fmt: skip
    p.submit("treffpunkte", {"orte": ["Nord", "Süd", "Nord", ""]}, by="kommune")
    p.create_item("bericht", key="Nord", by="team")
    assert blockers(p, "en") == [
        ("items_per_entry", "team", "items-missing",
         "'Visitationsbericht' missing for 1 of 2: Süd"),
        ("items_per_entry", "team", "items-not-in-state",
         "'Visitationsbericht' not yet in state 'Done' (1): Nord"),
        ("items", "team", "too-few-items",
         "too few items 'Visitationsbericht' in state 'Visited' or beyond: 0 of at least 2"),
        ("all_items", "team", "items-not-in-state",
         "'Visitationsbericht' not yet in state 'Visited' (1): Nord"),
    ]  # fmt: skip
    p.create_item("bericht", key="Süd", by="team")
    p.create_item("bericht", key="Extra", by="team")
    for key in ("Nord", "Süd", "Extra"):
        p.move_item("bericht", key=key, to="besucht", by="team")
    assert blockers(p) == [
        ("items_per_entry", "team", "items-not-in-state",
         "'Visitationsbericht' noch nicht im Zustand 'Abgeschlossen' (2): Nord, Süd"),
    ]  # fmt: skip
    for key in ("Nord", "Süd"):
        p.move_item("bericht", key=key, to="abgeschlossen", by="begleitung")
    assert blockers(p) == []
    p.advance(by="kommune")


def test_items_count_per_cycle_like_versions(workflow: Workflow) -> None:
    """Items created, changed or moved in an earlier cycle do not count once the new
    cycle has entered the phase producing them; changing one makes it count again."""
    p = started(workflow)
    p.submit("treffpunkte", {"orte": ["Nord"]}, by="kommune")
    for key in ("Nord", "Süd"):
        p.create_item("bericht", key=key, by="team")
        p.move_item("bericht", key=key, to="besucht", by="team")
    p.move_item("bericht", key="Nord", to="abgeschlossen", by="team")
    p.advance(by="kommune")
    p.advance(by="kommune")
    assert p.cycle == 2
    codes = [b.code for b in p.blockers()]
    assert codes == ["no-entries", "too-few-items", "no-items"]
    p.submit("treffpunkte", {"orte": ["Nord"]}, by="kommune")
    p.change_item("bericht", key="Nord", data={}, by="team")
    assert [b.code for b in p.blockers()] == ["too-few-items"]
    assert p.item("bericht", "Nord").current_cycle == 2  # type: ignore[union-attr]


def test_replay_and_json_give_the_same_state(workflow: Workflow) -> None:
    p = started(workflow)
    p.submit("treffpunkte", {"orte": ["Nord"]}, by="kommune")
    p.create_item("bericht", key="Nord", data={"art": "vor_ort"}, by="team")
    p.change_item("bericht", key="Nord", data={"art": "online"}, by="team")
    p.move_item("bericht", key="Nord", to="besucht", by="team")
    assert Process.replay(workflow, p.log).state == p.state
    assert Process.from_dict(p.to_dict(), workflow).state == p.state
    assert Process.replay(workflow, p.log[:4]).state != p.state


def _entry(seq: int, event: Any) -> ProcessEvent:
    return ProcessEvent(seq, datetime(2025, 3, 1, tzinfo=UTC), Actor("team"), event)


@pytest.mark.parametrize(
    ("event", "text"),
    [
        (ItemCreated("treffpunkte", "Nord", {}), "has no items"),
        (ItemCreated("bericht", "Nord", {}), "exists already"),
        (ItemMoved("bericht", "Süd", "geplant", "besucht"), "does not exist"),
        (ItemMoved("bericht", "Nord", "besucht", "abgeschlossen"), "it is in 'geplant'"),
        (ItemMoved("bericht", "Nord", "geplant", "abgeschlossen"), "cannot move"),
    ],
)
def test_a_log_that_does_not_fit_is_refused_on_replay(
    workflow: Workflow, event: Any, text: str
) -> None:
    p = started(workflow)
    p.create_item("bericht", key="Nord", by="team")
    with pytest.raises(ReplayError) as info:
        Process.replay(workflow, (*p.log, _entry(len(p.log) + 1, event)))
    assert text in info.value.message("en")
    assert info.value.seq == len(p.log) + 1


ROLES = ("kommune", "team", "begleitung")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("command", "allowed"),
    [("create_item", {"team"}), ("change_item", {"team"}), ("move_item", {"team", "begleitung"})],
)
def test_permission_matrix_of_the_item_commands(
    workflow: Workflow, command: str, allowed: set[str], role: str
) -> None:
    p = started(workflow)
    p.create_item("bericht", key="Nord", by="team")
    assert set(p.allowed(command, "bericht")) == allowed
    arguments = {
        "create_item": {"key": "Süd"},
        "change_item": {"key": "Nord", "data": {}},
        "move_item": {"key": "Nord", "to": "besucht"},
    }[command]
    before = p.log
    if role in allowed:
        getattr(p, command)("bericht", by=role, **arguments)
        assert p.log[-1].actor.role == role
        return
    with pytest.raises(PermissionDenied) as info:
        getattr(p, command)("bericht", by=role, **arguments)
    error = info.value
    assert (error.actor, error.command, error.subject) == (role, command, "bericht")
    assert set(error.allowed) == allowed
    assert p.log == before


def test_an_item_that_counts_must_be_complete() -> None:
    """Items in the state a gate asks for block while a required field is empty."""
    workflow = workflow_from_string(
        TEXT.replace("datum: {type: date, earliest", "datum: {type: date, required: true, earliest")
    )
    p = started(workflow)
    p.submit("treffpunkte", {"orte": ["Nord"]}, by="kommune")
    p.create_item("bericht", key="Nord", by="team")
    p.create_item("bericht", key="Süd", data={"datum": "2025-04-01"}, by="team")
    incomplete = [
        (b.kind, b.role, b.path, b.message("en"))
        for b in p.blockers()
        if b.code == "item-incomplete"
    ]
    assert incomplete == [
        ("items_per_entry", "team", "datum",
         "'Visitationsbericht' 'Nord' is incomplete: required field 'datum' is empty"),
        ("all_items", "team", "datum",
         "'Visitationsbericht' 'Nord' is incomplete: required field 'datum' is empty"),
    ]  # fmt: skip
    for key in ("Nord", "Süd"):
        p.move_item("bericht", key=key, to="besucht", by="team")
    assert [b.kind for b in p.blockers() if b.code == "item-incomplete"] == [
        "items_per_entry",
        "items",
        "all_items",
    ]
    p.change_item("bericht", key="Nord", data={"datum": "2025-04-02"}, by="team")
    assert [b.code for b in p.blockers()] == ["items-not-in-state"]
