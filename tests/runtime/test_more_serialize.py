"""Reading stored events and process data: each malformed part is named (with its JSON
path for events), a time with an offset is read as the same moment in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import ReplayError
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.serialize import EventDecoder, event_from_dict, event_to_dict


@pytest.fixture
def stored(process: Process) -> dict[str, Any]:
    """The start event of a fresh process, as stored."""
    return event_to_dict(process.log[0])


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"actor": "kommune"}, "expected an object @ $.actor, got str"),
        (
            {"actor": {"role": "kommune", "participant": 3}},
            "expected text or null @ $.actor.participant, got 3",
        ),
    ],
)
def test_a_malformed_actor_is_named_at_its_path(
    stored: dict[str, Any], change: dict[str, Any], problem: str
) -> None:
    damaged = {**stored, **change}
    with pytest.raises(ReplayError) as info:
        event_from_dict(damaged)
    assert info.value.message("en") == f"Event 1: event cannot be read: {problem}"
    with pytest.raises(ValueError, match=problem.replace("$", r"\$")):
        EventDecoder().decode(damaged)


def test_an_event_that_is_not_an_object(stored: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"expected an object @ \$, got list"):
        EventDecoder().decode([stored])


def test_a_time_with_an_offset_is_the_same_moment_in_utc(stored: dict[str, Any]) -> None:
    moved = {**stored, "time": "2025-01-13T09:00:00+01:00"}
    expected = datetime(2025, 1, 13, 8, 0, tzinfo=UTC)
    assert event_from_dict(moved).time == expected
    assert EventDecoder().decode(moved).time == expected
    assert event_to_dict(event_from_dict(moved))["time"] == "2025-01-13T08:00:00Z"


@pytest.mark.parametrize("drop", ["workflow", "events"])
def test_process_data_without_workflow_or_events(
    process: Process, workflow: Workflow, drop: str
) -> None:
    data = {k: v for k, v in process.to_dict().items() if k != drop}
    with pytest.raises(ReplayError) as info:
        Process.from_dict(data, workflow)
    assert info.value.message("en") == (
        "process data needs 'workflow' (object) and 'events' (list)"
    )
    assert info.value.message("de") == (
        "Prozessdaten brauchen 'workflow' (Objekt) und 'events' (Liste)"
    )


def test_process_data_with_events_not_a_list(process: Process, workflow: Workflow) -> None:
    with pytest.raises(ReplayError, match=r"'events' \(Liste\)"):
        Process.from_dict({**process.to_dict(), "events": {}}, workflow)
