"""A log whose steering events do not fit the run is refused at replay, with the
event's number: a reach for a holding that is not there, a contribution recorded
twice, the weighing of an unknown contribution, an outcome that does not exist, a
value for an indicator the workflow does not declare."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.errors import ReplayError
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import ProcessEvent
from sozialraumprozess.scenario.sample import run_sample, sample_clock

WORKFLOW = load_workflow("generationengerechte-sozialraumentwicklung")
LOG = run_sample(WORKFLOW).log


def _first(kind: str) -> int:
    return next(i for i, e in enumerate(LOG) if e.type == kind)


def _changed(kind: str, change: Callable[[Any], Any]) -> tuple[list[ProcessEvent], int]:
    index = _first(kind)
    log = list(LOG)
    log[index] = attrs.evolve(log[index], event=change(log[index].event))
    return log, log[index].seq


def _duplicated(kind: str) -> tuple[list[ProcessEvent], int]:
    index = _first(kind)
    log = list(LOG[: index + 1])
    log.append(attrs.evolve(LOG[index], seq=index + 2))
    return log, index + 2


CASES = {
    "reach for no holding": lambda: _changed("reach_recorded", lambda e: attrs.evolve(e, held=1)),
    "contribution twice": lambda: _duplicated("contribution_recorded"),
    "unknown contribution weighed": lambda: _changed(
        "contribution_weighed", lambda e: attrs.evolve(e, id="ZW-99")
    ),
    "unknown outcome": lambda: _changed(
        "contribution_weighed", lambda e: attrs.evolve(e, outcome="vertagt")
    ),
    "undeclared indicator": lambda: _changed(
        "indicator_values_recorded", lambda e: attrs.evolve(e, values={"kita_quote": 3.0})
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_steering_event_that_does_not_fit_is_refused_at_replay(case: str) -> None:
    log, seq = CASES[case]()
    with pytest.raises(ReplayError) as info:
        Process.replay(WORKFLOW, log, clock=sample_clock())
    assert info.value.seq == seq
    assert info.value.message("de").startswith(f"Ereignis {seq}: ")
    assert info.value.message("en").startswith(f"Event {seq}: ")


def test_the_untouched_log_replays() -> None:
    assert Process.replay(WORKFLOW, LOG, clock=sample_clock()).state == run_sample(WORKFLOW).state
