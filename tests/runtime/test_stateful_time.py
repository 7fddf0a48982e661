"""Random commands on a format v2 workflow with time rules: the log replays to the live state.

Planned, rescheduled, cancelled and held events, dated commands, the ``wait`` gate,
taking note, quorum shares, the Beratungsfolge and adopted versions.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from sozialraumprozess.errors import SozialraumprozessError
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.testing import workflow_from_string

from .test_time import V2

pytestmark = pytest.mark.slow  # a hypothesis state machine: not in the quick suite

WORKFLOW = workflow_from_string(V2, "rat.yaml")
ROLES = [role.id for role in WORKFLOW.roles]
EVENTS = [e.id for e in WORKFLOW.events]
DECISIONS = [d.id for d in WORKFLOW.decisions]
days = st.sampled_from(["2025-06-01", "05.06.2025", "2025-06-20", "2025-08-01", "2025-13-01"])
maybe_days = st.one_of(st.none(), days)


class TimeMachine(RuleBasedStateMachine):
    """Drives one v2 process with random commands while the clock moves on."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(datetime(2025, 6, 1, 9, tzinfo=UTC), step=timedelta(hours=5))
        self.process = Process.start(
            WORKFLOW, sozialraum="Kreis", by="verwaltung", clock=self.clock, date="2025-06-01"
        )

    def attempt(self, command: object) -> None:
        log = self.process.log
        state = copy.deepcopy(self.process.state)
        try:
            command()  # type: ignore[operator]
        except SozialraumprozessError:
            assert self.process.log == log
            assert self.process.state == state
        else:
            assert self.process.log[:-1] == log

    @rule(by=st.sampled_from(ROLES), day=maybe_days, text=st.sampled_from(["a", "b"]))
    def submit(self, by: str, day: str | None, text: str) -> None:
        self.attempt(lambda: self.process.submit("plan", {"text": text}, by=by, date=day))

    @rule(event=st.sampled_from(EVENTS), day=days, until=maybe_days)
    def hold(self, event: str, day: str, until: str | None) -> None:
        self.attempt(
            lambda: self.process.record_event(event, date=day, until=until, by="verwaltung")
        )

    @rule(event=st.sampled_from(EVENTS), on=days, until=maybe_days)
    def plan(self, event: str, on: str, until: str | None) -> None:
        self.attempt(
            lambda: self.process.plan_event(
                event, on=on, until=until, time="17:00", place="Kreishaus", by="verwaltung"
            )
        )

    @rule(event=st.sampled_from(EVENTS), on=days)
    def reschedule(self, event: str, on: str) -> None:
        self.attempt(lambda: self.process.reschedule_event(event, on=on, by="verwaltung"))

    @rule(event=st.sampled_from(EVENTS))
    def cancel(self, event: str) -> None:
        self.attempt(lambda: self.process.cancel_event(event, by="verwaltung"))

    @rule(
        decision=st.sampled_from(DECISIONS),
        day=days,
        yes=st.one_of(st.none(), st.integers(0, 12)),
        amount=st.one_of(st.none(), st.sampled_from([250.0, 0.125])),
    )
    def decide(self, decision: str, day: str, yes: int | None, amount: float | None) -> None:
        body = WORKFLOW.decision(decision).body
        no = None if yes is None else 1
        self.attempt(
            lambda: self.process.record_decision(
                decision, date=day, yes=yes, no=no, amount=amount, by=body
            )
        )

    @rule(day=maybe_days)
    def advance(self, day: str | None) -> None:
        self.attempt(lambda: self.process.advance(by="verwaltung", date=day))

    @rule(days_later=st.integers(1, 40))
    def time_passes(self, days_later: int) -> None:
        self.clock.advance(timedelta(days=days_later))

    @invariant()
    def replay_equals_live(self) -> None:
        replayed = Process.replay(WORKFLOW, self.process.log, clock=self.clock)
        assert replayed.state == self.process.state
        assert replayed.blockers() == self.process.blockers()
        data = self.process.to_dict()
        assert Process.from_dict(data, WORKFLOW, clock=self.clock).state == self.process.state


TimeMachine.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestTimeMachine = TimeMachine.TestCase
