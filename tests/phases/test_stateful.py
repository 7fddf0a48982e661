"""Hypothesis: random commands on the format-v2 test workflow (strand work, skips,
automatic and conditional moves, renewing loops back); live state == replayed state
after each, and a refused command changes nothing."""

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

from .conftest import WORKFLOW

pytestmark = pytest.mark.slow  # a hypothesis state machine: not in the quick suite

ROLES = [role.id for role in WORKFLOW.roles]
DATA: dict[str, list[dict[str, Any]]] = {
    "bestand": [{"text": "Bestand"}, {}],
    "teilplan_kita": [{"plaetze": 40}, {}],
    "teilplan_hze": [{"faelle": 5}, {"faelle": 50}, {}],
    "foerderantrag": [{"betrag": 1000}, {"betrag": "viel"}],
}
actors = st.sampled_from(ROLES)


class V2Machine(RuleBasedStateMachine):
    """Drives one process of the v2 test workflow with random commands."""

    def __init__(self) -> None:
        super().__init__()
        clock = FixedClock(datetime(2025, 3, 3, tzinfo=UTC), step=timedelta(hours=5))
        self.process = Process.start(WORKFLOW, sozialraum="Nord", by="jugendamt", clock=clock)

    def attempt(self, command: Any) -> None:
        log = self.process.log
        state = copy.deepcopy(self.process.state)
        try:
            command()
        except SozialraumprozessError:
            assert self.process.log == log
            assert self.process.state == state
        else:
            assert len(self.process.log) == len(log) + 1

    @rule(artifact=st.sampled_from(sorted(DATA)), by=actors, which=st.integers(0, 2))
    def submit(self, artifact: str, by: str, which: int) -> None:
        data = DATA[artifact][which % len(DATA[artifact])]
        self.attempt(lambda: self.process.submit(artifact, data, by=by))

    @rule(by=actors)
    def approve(self, by: str) -> None:
        self.attempt(lambda: self.process.approve("teilplan_kita", by=by))

    @rule(artifact=st.sampled_from(sorted(DATA)), by=actors)
    def confirm(self, artifact: str, by: str) -> None:
        self.attempt(lambda: self.process.confirm(artifact, by=by))

    @rule(held=st.sampled_from(["fachrunde", "anhoerung"]), by=actors)
    def record_event(self, held: str, by: str) -> None:
        self.attempt(lambda: self.process.record_event(held, date="2025-02-01", by=by))

    @rule(decision=st.sampled_from(["planbeschluss", "anhoerung_verlangt"]), by=actors)
    def record_decision(self, decision: str, by: str) -> None:
        self.attempt(
            lambda: self.process.record_decision(decision, date="2025-02-01", yes=5, no=1, by=by)
        )

    @rule(by=actors)
    def advance(self, by: str) -> None:
        self.attempt(lambda: self.process.advance(by=by))

    @rule(by=actors, reason=st.sampled_from(["nicht beantragt", "", None]))
    def skip(self, by: str, reason: str | None) -> None:
        self.attempt(lambda: self.process.skip(by=by, reason=reason))  # type: ignore[arg-type]

    @rule(
        transition=st.sampled_from([t.id for t in WORKFLOW.transitions]),
        by=actors,
        reason=st.sampled_from(["neues Jahr", None]),
    )
    def take_transition(self, transition: str, by: str, reason: str | None) -> None:
        self.attempt(lambda: self.process.take_transition(transition, by=by, reason=reason))

    @rule(leave=st.sampled_from(["advance", "skip", "back", "stay"]), few=st.booleans())
    def work_the_phase(self, leave: str, few: bool) -> None:
        """The right roles do what the current phase needs (makes progress)."""
        p = self.process
        steps: dict[str, list[Any]] = {
            "bestand": [lambda: p.submit("bestand", {"text": "x"}, by="jugendamt")],
            "teilplaene": [
                lambda: p.submit("teilplan_hze", {"faelle": 5 if few else 50}, by="hze"),
                lambda: p.submit("teilplan_kita", {"plaetze": 4}, by="kita"),
                lambda: p.approve("teilplan_kita", by="jugendamt"),
                lambda: p.record_event("fachrunde", date="2025-02-01", by="kita"),
            ],
            "anhoerung": [lambda: p.record_event("anhoerung", date="2025-02-01", by="ausschuss")],
            "beschluss": [
                lambda: p.submit("foerderantrag", {"betrag": 3}, by="jugendamt"),
                lambda: p.record_decision(
                    "planbeschluss", date="2025-02-01", yes=4, no=0, by="ausschuss"
                ),
            ],
        }
        for step in steps[p.phase]:
            self.attempt(step)
        responsible = WORKFLOW.phase(p.phase).responsible
        if leave == "advance":
            self.attempt(lambda: p.advance(by=responsible))
        elif leave == "skip":
            self.attempt(lambda: p.skip(by=responsible, reason="nicht beantragt"))
        elif leave == "back":
            self.attempt(lambda: p.take_transition("naechstes_jahr", by="ausschuss", reason="neu"))

    def teardown(self) -> None:
        event(f"ended in {self.process.phase}")
        kinds = {e.type for e in self.process.log}
        event("skipped" if "phase_skipped" in kinds else "never skipped")
        event("renewed" if self.process.state.renewed else "nothing renewed")

    @invariant()
    def replay_equals_live(self) -> None:
        replayed = Process.replay(WORKFLOW, self.process.log)
        assert replayed.state == self.process.state
        assert replayed.blockers() == self.process.blockers()
        assert replayed.strands() == self.process.strands()
        assert replayed.route() == self.process.route()
        assert Process.from_dict(self.process.to_dict(), WORKFLOW).state == self.process.state


V2Machine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestV2Machine = V2Machine.TestCase
