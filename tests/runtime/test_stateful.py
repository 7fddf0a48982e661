"""Hypothesis: random valid and invalid commands; live state == replayed state after each.

Commands draw their actor from every role (so most permission checks fail and some
pass), their data from the sample run (valid) or from broken variants of it
(invalid). Every refused command must leave the log and the state untouched; after
every step the state rebuilt from the log (and from its JSON form) equals the live one.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import SozialraumprozessError
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario.sample import SCENARIO, start_sample

from .revisions import revised

pytestmark = pytest.mark.slow  # a hypothesis state machine: not in the quick suite

WORKFLOW = load_workflow("generationengerechte-sozialraumentwicklung")
ROLES = [role.id for role in WORKFLOW.roles]
ARTIFACTS = [a.id for a in WORKFLOW.artifacts]
EVENTS = [e.id for e in WORKFLOW.events]
DECISIONS = [d.id for d in WORKFLOW.decisions]
TRANSITIONS = [t.id for t in WORKFLOW.transitions]
CONTRIBUTIONS = ["ZW-1", "ZW-2", "ZW-5", "kein,gültiger Schlüssel"]

REVISED = revised()


class _Known(dict[Any, Workflow]):
    def get(self, ref: Any, default: Any = None) -> Workflow | None:  # type: ignore[override]
        return super().get(ref.content_hash, default)


#: Every definition a log of this machine can name, by content hash.
KNOWN = _Known({w.content_hash: w for w in (WORKFLOW, REVISED)})

SAMPLE_DATA: dict[str, dict[str, Any]] = {}
#: Data for the item artifacts (measures), which are created as items, never submitted.
ITEM_DATA: dict[str, Any] = {"titel": "Eintrag", "ziele": ["H1"]}
for _script in SCENARIO:
    for _step in _script.steps:
        if _step.command == "submit" and _step.subject:
            SAMPLE_DATA[_step.subject] = _step.args["data"]

# Authorised actors are likely: each role list puts the right one first sometimes.
actors = st.one_of(st.sampled_from(ROLES), st.sampled_from(["kommune", "Anna Berger", "niemand"]))
dates = st.one_of(st.just("2025-05-01"), st.sampled_from(["2025-13-01", "heute", ""]))
# Effective dates (``date=`` of every command): none, today-ish, German form, future, bad.
effective = st.one_of(
    st.none(), st.sampled_from(["2025-01-13", "14.01.2025", "2031-01-01", "2025-13-01", "x"])
)
planned_days = st.sampled_from(["2025-03-01", "01.04.2025", "2024-01-01", "2025-02-30"])


def broken(data: dict[str, Any], how: int) -> dict[str, Any]:
    bad = copy.deepcopy(data)
    key = sorted(bad)[how % len(bad)]
    bad[key] = {"unerwartet": True} if how % 2 else 12345
    return bad


class ProcessMachine(RuleBasedStateMachine):
    """Drives one process with random commands."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(datetime(2025, 1, 13, tzinfo=UTC), step=timedelta(hours=7))
        self.process = start_sample(WORKFLOW, clock=self.clock)
        self.process.set_participant(
            "Anna Berger", ["sozialraumkoordination"], kind="person", by="kommune"
        )
        self.refused = 0

    def attempt(self, command: Any, events: int = 1) -> None:
        """Run ``command``: refused with nothing changed, or ``events`` events appended."""
        log = self.process.log
        state = copy.deepcopy(self.process.state)
        try:
            command()
        except SozialraumprozessError:
            self.refused += 1
            assert self.process.log == log
            assert self.process.state == state
        else:
            assert len(self.process.log) == len(log) + events
            assert self.process.log[: len(log)] == log

    @rule(
        artifact=st.sampled_from(ARTIFACTS), by=actors, valid=st.booleans(), how=st.integers(0, 9)
    )
    def submit(self, artifact: str, by: str, valid: bool, how: int) -> None:
        sample = SAMPLE_DATA.get(artifact, ITEM_DATA)  # an item artifact: refused
        data = sample if valid else broken(sample, how)
        self.attempt(lambda: self.process.submit(artifact, data, by=by))

    @rule(artifact=st.sampled_from(ARTIFACTS), by=actors, day=effective)
    def submit_dated(self, artifact: str, by: str, day: str | None) -> None:
        data = SAMPLE_DATA.get(artifact, ITEM_DATA)
        self.attempt(lambda: self.process.submit(artifact, data, by=by, date=day))

    @rule(
        event=st.sampled_from(EVENTS),
        by=actors,
        on=planned_days,
        time=st.sampled_from([None, "18:00", "25:00"]),
        until=st.sampled_from([None, "2025-04-30"]),
    )
    def plan_event(self, event: str, by: str, on: str, time: str | None, until: str | None) -> None:
        self.attempt(
            lambda: self.process.plan_event(
                event, on=on, time=time, until=until, place="Rathaus", agenda=["TOP 1"], by=by
            )
        )

    @rule(event=st.sampled_from(EVENTS), by=actors, on=planned_days)
    def reschedule_event(self, event: str, by: str, on: str) -> None:
        self.attempt(lambda: self.process.reschedule_event(event, on=on, reason="Raum", by=by))

    @rule(event=st.sampled_from(EVENTS), by=actors)
    def cancel_event(self, event: str, by: str) -> None:
        self.attempt(lambda: self.process.cancel_event(event, reason="krank", by=by))

    @rule(artifact=st.sampled_from(ARTIFACTS), by=actors)
    def approve(self, artifact: str, by: str) -> None:
        self.attempt(lambda: self.process.approve(artifact, by=by))

    @rule(artifact=st.sampled_from(ARTIFACTS), by=actors)
    def confirm(self, artifact: str, by: str) -> None:
        self.attempt(lambda: self.process.confirm(artifact, by=by))

    @rule(
        event=st.sampled_from(EVENTS),
        by=actors,
        day=dates,
        count=st.one_of(st.none(), st.integers(-2, 200)),
        protocol=st.one_of(st.none(), st.integers(0, 3)),
    )
    def record_event(
        self, event: str, by: str, day: str, count: int | None, protocol: int | None
    ) -> None:
        self.attempt(
            lambda: self.process.record_event(
                event, date=day, participants=count, protocol=protocol, by=by
            )
        )

    @rule(
        decision=st.sampled_from(DECISIONS),
        by=actors,
        day=dates,
        yes=st.integers(-1, 20),
        no=st.integers(0, 20),
        abstain=st.one_of(st.none(), st.integers(0, 5)),
    )
    def record_decision(
        self, decision: str, by: str, day: str, yes: int, no: int, abstain: int | None
    ) -> None:
        self.attempt(
            lambda: self.process.record_decision(
                decision, date=day, yes=yes, no=no, abstain=abstain, by=by
            )
        )

    @rule(by=actors, day=effective)
    def advance(self, by: str, day: str | None) -> None:
        self.attempt(lambda: self.process.advance(by=by, date=day))

    @rule(
        transition=st.sampled_from(TRANSITIONS),
        by=actors,
        reason=st.one_of(st.none(), st.just("Neue Lage")),
    )
    def take_transition(self, transition: str, by: str, reason: str | None) -> None:
        self.attempt(lambda: self.process.take_transition(transition, by=by, reason=reason))

    @rule(
        name=st.sampled_from(["Anna Berger", "Quartiersverein", "rat"]),
        roles=st.lists(st.sampled_from([*ROLES, "unbekannt"]), min_size=0, max_size=3),
        active=st.booleans(),
        by=actors,
    )
    def set_participant(self, name: str, roles: list[str], active: bool, by: str) -> None:
        self.attempt(lambda: self.process.set_participant(name, roles, active=active, by=by))

    @rule(by=actors, mapped=st.booleans())
    def migrate(self, by: str, mapped: bool) -> None:
        """Move to the revised workflow (renamed phase 2, new artifact, stricter rule)."""
        target = REVISED if self.process.workflow is WORKFLOW else WORKFLOW
        mapping = {"sozialraum_analysieren": "analysieren"} if target is WORKFLOW and mapped else {}
        self.attempt(
            lambda: self.process.migrate(target, mapping=mapping, reason="Fortschreibung", by=by)
        )

    @rule(leave=st.booleans())
    def play_sample_phase(self, leave: bool) -> None:
        """Run the sample's steps of the current phase (makes progress), maybe leaving it."""
        for script in SCENARIO:
            if script.phase == self.process.phase:
                steps = script.steps if leave else script.steps[:-1]
                for step in steps:
                    # evaluate_measure records the evaluation and the move: two events
                    count = 2 if step.command == "evaluate_measure" else 1
                    self.attempt(lambda step=step: step.run(self.process), count)
                return

    # participation (issue 12 §6): valid and invalid groups, ids, outcomes, links
    @rule(
        event=st.sampled_from(EVENTS),
        by=actors,
        counts=st.sampled_from([{"kinder": 4, "aeltere": 9}, {"kindr": 1}, {}, {"familien": -1}]),
    )
    def record_reach(self, event: str, by: str, counts: dict[str, int]) -> None:
        self.attempt(lambda: self.process.record_reach(event, counts=counts, by=by))

    @rule(
        event=st.sampled_from(EVENTS),
        by=actors,
        contribution=st.sampled_from(CONTRIBUTIONS),
        group=st.sampled_from([None, "kinder", "senioren"]),
    )
    def record_contribution(
        self, event: str, by: str, contribution: str, group: str | None
    ) -> None:
        self.attempt(
            lambda: self.process.record_contribution(
                event, contribution=contribution, text="Ein Treff", group=group, by=by
            )
        )

    @rule(
        contribution=st.sampled_from(CONTRIBUTIONS),
        by=actors,
        outcome=st.sampled_from(["adopted", "partly_adopted", "not_adopted", "vertagt"]),
        reason=st.sampled_from([None, "Kein Budget"]),
        links=st.sampled_from([None, {"goal": ["HZ-1"]}, {"gaol": ["x"]}]),
    )
    def weigh_contribution(
        self,
        contribution: str,
        by: str,
        outcome: str,
        reason: str | None,
        links: dict[str, list[str]] | None,
    ) -> None:
        self.attempt(
            lambda: self.process.weigh_contribution(
                contribution, outcome=outcome, reason=reason, links=links, by=by
            )
        )

    @rule(event=st.sampled_from(EVENTS), by=actors, day=effective)
    def record_feedback(self, event: str, by: str, day: str | None) -> None:
        self.attempt(lambda: self.process.record_feedback(event, how="Aushang", by=by, date=day))

    def teardown(self) -> None:
        workflow = self.process.workflow
        event(f"reached phase {workflow.phase_index(self.process.phase) + 1}")
        migrated = sum(e.type == "workflow_migrated" for e in self.process.log)
        event(f"migrated {min(migrated, 2)} times")
        event(f"cycle {self.process.cycle}")
        event("some commands refused" if self.refused else "no command refused")

    @invariant()
    def replay_equals_live(self) -> None:
        current = self.process.workflow
        replayed = Process.replay(current, self.process.log, definitions=KNOWN.get)
        assert replayed.state == self.process.state
        assert replayed.blockers() == self.process.blockers()
        again = Process.from_dict(self.process.to_dict(), current, definitions=KNOWN.get)
        assert again.state == self.process.state


ProcessMachine.TestCase.settings = settings(
    max_examples=75,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestProcessMachine = ProcessMachine.TestCase
