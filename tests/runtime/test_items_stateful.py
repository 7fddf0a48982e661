"""Hypothesis: random item commands (format v2); live state == replayed state after each.

Drives the quality reflection (bundled workflow 000: one *Visitationsbericht* per
*Treffpunkt*) from the start of its visiting phase with random ``create_item``,
``change_item`` and ``move_item`` commands — valid and invalid keys, data, states
and actors — mixed with held events, advancing and the transition back. A refused
command leaves log and state untouched; after every step the state rebuilt from
the log (and from its JSON form) equals the live one, blockers included.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from sozialraumprozess.errors import SozialraumprozessError
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario import load_scenario
from sozialraumprozess.scenario.runner import apply_step

pytestmark = pytest.mark.slow  # a hypothesis state machine: not in the quick suite

SCENARIO = load_scenario("qualitaetsreflexion-soziale-treffpunkte")
FIRST_ITEM = next(i for i, s in enumerate(SCENARIO.steps) if s.command == "create_item")
PREFIX = [s for s in SCENARIO.steps[:FIRST_ITEM] if s.command is not None and s.error is None]

ITEM = "visitationsbericht"
KEYS = ["Treffpunkt Nord", "Treffpunkt Süd", "Treffpunkt Mitte", "Treffpunkt Land"]
keys = st.one_of(st.sampled_from(KEYS), st.sampled_from(["Treffpunkt Nrd", " Nord", "", "x\n"]))
states = st.sampled_from(["geplant", "besucht", "rueckgemeldet", "erledigt"])
actors = st.sampled_from(
    ["visitationsteam", "begleitung", "ministerium", "Treffpunkt Nord", "niemand"]
)
data = st.one_of(
    st.just({"datum": "2017-05-10", "art": "vor_ort"}),
    st.just({"datum": "2017-05-10", "team": ["Team Süd"]}),
    st.just({"art": "irgendwie"}),
    st.just({"datum": "2017-02-30"}),
    st.just({"unbekannt": 1}),
)


class ItemMachine(RuleBasedStateMachine):
    """Drives one process of the quality reflection with random item commands."""

    def __init__(self) -> None:
        super().__init__()
        from sozialraumprozess.definition.loader import load_workflow

        clock = FixedClock(datetime(2016, 11, 14, tzinfo=UTC), step=timedelta(days=1))
        self.workflow = load_workflow(SCENARIO.workflow)
        self.process = Process.start(
            self.workflow,
            sozialraum="Treffpunkte",
            by=SCENARIO.started_by,
            clock=clock,
        )
        for step in PREFIX:
            apply_step(self.process, step)
        self.refused = 0

    def attempt(self, command: Any) -> None:
        log = self.process.log
        state = copy.deepcopy(self.process.state)
        try:
            command()
        except SozialraumprozessError:
            self.refused += 1
            assert self.process.log == log
            assert self.process.state == state
        else:
            assert len(self.process.log) == len(log) + 1
            assert self.process.log[:-1] == log

    @rule(key=keys, body=st.one_of(st.none(), data), by=actors)
    def create_item(self, key: str, body: dict[str, Any] | None, by: str) -> None:
        self.attempt(lambda: self.process.create_item(ITEM, key=key, data=body, by=by))

    @rule(key=keys, body=data, by=actors)
    def change_item(self, key: str, body: dict[str, Any], by: str) -> None:
        self.attempt(lambda: self.process.change_item(ITEM, key=key, data=body, by=by))

    @rule(key=keys, to=states, by=actors, note=st.one_of(st.none(), st.just("erledigt")))
    def move_item(self, key: str, to: str, by: str, note: str | None) -> None:
        self.attempt(lambda: self.process.move_item(ITEM, key=key, to=to, by=by, note=note))

    @rule(key=st.sampled_from(KEYS))
    def progress(self, key: str) -> None:
        """Create the item, or move it one state on (makes progress through the gate)."""
        found = self.process.item(ITEM, key)
        if found is None:
            body = {"datum": "2017-05-10"}
            self.attempt(
                lambda: self.process.create_item(ITEM, key=key, data=body, by="visitationsteam")
            )
            return
        lifecycle = self.workflow.artifact(ITEM).items
        assert lifecycle is not None
        for to in lifecycle.allowed_moves(found.state):
            self.attempt(
                lambda to=to: self.process.move_item(ITEM, key=key, to=to, by="visitationsteam")
            )

    @rule(by=actors)
    def hold_visitation(self, by: str) -> None:
        self.attempt(
            lambda: self.process.record_event(
                "kollegiale_visitation", date="2017-05-10", participants=8, by=by
            )
        )

    @rule(by=st.sampled_from(["begleitung", "ministerium"]))
    def advance(self, by: str) -> None:
        self.attempt(lambda: self.process.advance(by=by))

    @rule()
    def visit_again(self) -> None:
        self.attempt(
            lambda: self.process.take_transition(
                "visitation_nachholen", by="begleitung", reason="Ausgefallen"
            )
        )

    def teardown(self) -> None:
        items = self.process.items(ITEM)
        event(f"{len(items)} items")
        event("some item done" if any(i.state == "rueckgemeldet" for i in items) else "none done")
        event(f"phase {self.process.phase}")

    @invariant()
    def replay_equals_live(self) -> None:
        replayed = Process.replay(self.workflow, self.process.log)
        assert replayed.state == self.process.state
        assert replayed.blockers() == self.process.blockers()
        assert Process.from_dict(self.process.to_dict(), self.workflow).state == self.process.state


ItemMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestItemMachine = ItemMachine.TestCase
