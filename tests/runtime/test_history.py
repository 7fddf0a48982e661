"""Replay, plain-data round trip, pinning, deadlines, clocks and the shared machine."""

from __future__ import annotations

import ast
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import attrs
import pytest

import sozialraumprozess
from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import DefinitionMismatch, ReplayError, TransitionNotAvailable
from sozialraumprozess.runtime import _machine
from sozialraumprozess.runtime.clock import FixedClock, SystemClock
from sozialraumprozess.runtime.deadlines import add_duration, add_months
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.serialize import PROCESS_FORMAT
from sozialraumprozess.scenario.sample import run_sample


def test_replay_gives_identical_state(workflow: Workflow) -> None:
    process = run_sample(workflow)
    again = Process.replay(workflow, process.log)
    assert again.state == process.state
    assert again.blockers() == process.blockers()


def test_round_trip_through_json(workflow: Workflow) -> None:
    process = run_sample(workflow)
    text = json.dumps(process.to_dict(), ensure_ascii=False)
    data = json.loads(text)
    assert data["format"] == PROCESS_FORMAT == "sozialraumprozess-process/1"
    assert data["workflow"] == {
        "id": workflow.id,
        "version": workflow.version,
        "content_hash": workflow.content_hash,
    }
    assert data["events"][0]["time"] == "2025-01-13T08:00:00Z"
    assert data["events"][0]["actor"] == {"role": "kommune", "participant": None}
    loaded = Process.from_dict(data, workflow)
    assert loaded.log == process.log
    assert loaded.state == process.state
    assert loaded.to_dict() == data


def test_pinned_definition_mismatch_names_both(workflow: Workflow) -> None:
    data = run_sample(workflow, until="analysieren").to_dict()
    changed = workflow.to_dict()
    changed["version"] = "9.9"
    other = load_workflow(changed)
    with pytest.raises(DefinitionMismatch) as info:
        Process.from_dict(data, other)
    error = info.value
    assert error.expected == (workflow.id, workflow.version, workflow.content_hash)
    assert error.actual == (other.id, "9.9", other.content_hash)
    assert str(error).startswith(
        f"Der Prozess ist an den Workflow {workflow.id} {workflow.version} "
        f"({workflow.content_hash}) gebunden, "
        f"übergeben wurde {other.id} 9.9 ({other.content_hash})."
    )
    process = run_sample(workflow, until="analysieren")
    with pytest.raises(DefinitionMismatch):
        Process.replay(other, process.log)


def test_bad_stored_data_raises_replay_error(workflow: Workflow) -> None:
    data = run_sample(workflow, until="analysieren").to_dict()
    with pytest.raises(ReplayError) as info:
        Process.from_dict({**data, "format": "sozialraumprozess-process/9"}, workflow)
    assert info.value.message("en") == (
        "unknown process format 'sozialraumprozess-process/9'; "
        "expected 'sozialraumprozess-process/1'"
    )
    gap = {**data, "events": [data["events"][0], data["events"][2]]}
    with pytest.raises(ReplayError) as info:
        Process.from_dict(gap, workflow)
    assert str(info.value) == "Ereignis 3: Sequenznummer 3 erwartet 2"
    jump = json.loads(json.dumps(data))
    advance = next(e for e in jump["events"] if e["type"] == "phase_advanced")
    advance["payload"]["to"] = "umsetzung_sichern"
    with pytest.raises(ReplayError) as info:
        Process.from_dict(jump, workflow)
    assert info.value.seq == advance["seq"]
    broken = json.loads(json.dumps(data))
    broken["events"][1]["time"] = 5
    with pytest.raises(ReplayError):
        Process.from_dict(broken, workflow)


def test_add_months_clamps_the_day() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2025, 3, 15), -3) == date(2024, 12, 15)
    assert add_duration(date(2025, 8, 31), "P1Y6M") == date(2027, 2, 28)
    assert add_duration(date(2025, 1, 1), "P2W3D") == date(2025, 1, 18)


def test_deadline_and_overdue(workflow: Workflow) -> None:
    clock = FixedClock(datetime(2025, 11, 30, 23, 30, tzinfo=UTC))
    process = Process.start(workflow, sozialraum="Ost", by="kommune", clock=clock)
    assert process.deadline() == date(2026, 2, 28)  # P3M from 30 November
    assert not process.overdue()
    assert not process.overdue(date(2026, 2, 28))
    assert process.overdue(date(2026, 3, 1))
    clock.set(datetime(2026, 3, 1, 0, 30, tzinfo=UTC))
    assert process.overdue()
    assert process.visits[0].entered_at == datetime(2025, 11, 30, 23, 30, tzinfo=UTC)


def test_clocks() -> None:
    clock = FixedClock(datetime(2025, 1, 1, 12, tzinfo=UTC), step=timedelta(minutes=5))
    assert [clock.now().minute for _ in range(3)] == [0, 5, 10]
    assert clock.peek().minute == 15
    with pytest.raises(ValueError, match="naive datetime"):
        FixedClock(datetime(2025, 1, 1))
    assert SystemClock().now().tzinfo is not None


def test_events_are_immutable(workflow: Workflow) -> None:
    event = run_sample(workflow, until="analysieren").log[0]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.seq = 9  # type: ignore[misc]


def test_one_machine_per_workflow_shared_by_all_processes(workflow: Workflow) -> None:
    first = Process.start(workflow, sozialraum="A", by="kommune")
    second = Process.start(workflow, sozialraum="B", by="kommune")
    assert first._machine is second._machine is _machine.phase_machine(workflow)
    machine = first._machine._machine
    assert machine.models == []
    assert machine.auto_transitions is False
    assert set(machine.events) == {
        "advance",
        "via:massnahmen_nachsteuern",
        "via:ziele_ueberarbeiten",
        "via:abgrenzung_aendern",
    }
    with pytest.raises(TransitionNotAvailable) as info:
        first._machine.fire("umsetzung_sichern", "via:ziele_ueberarbeiten")
    assert info.value.available == ("advance", "massnahmen_nachsteuern")


def test_only_the_machine_module_imports_transitions() -> None:
    root = Path(sozialraumprozess.__file__).parent
    importers = []
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "transitions" or n.startswith("transitions.") for n in names):
                importers.append(path.relative_to(root).as_posix())
    assert importers == ["runtime/_machine.py"]
