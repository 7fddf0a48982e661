"""Logs that cannot have been written by the library are refused on replay, naming the
event: a log that does not begin with the start, a second start, an approval of a
version that does not exist."""

from __future__ import annotations

import attrs
import pytest

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import ReplayError
from sozialraumprozess.runtime.events import ArtifactApproved
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import ProcessEvent


def refusal(workflow: Workflow, events: list[ProcessEvent]) -> tuple[str, str]:
    with pytest.raises(ReplayError) as info:
        Process.replay(workflow, events)
    return info.value.message("en"), info.value.message("de")


def test_a_log_must_begin_with_the_start(process: Process, workflow: Workflow) -> None:
    process.set_participant("Anna Berger", ["kommune"], by="kommune")
    assert refusal(workflow, [attrs.evolve(process.log[1], seq=1)]) == (
        "Event 1: first event must be the start",
        "Ereignis 1: Erstes Ereignis muss der Start sein",
    )


def test_a_process_starts_once(process: Process, workflow: Workflow) -> None:
    start = process.log[0]
    assert refusal(workflow, [start, attrs.evolve(start, seq=2)]) == (
        "Event 2: process already started",
        "Ereignis 2: Prozess ist bereits gestartet",
    )


def test_only_the_newest_version_can_be_approved(process: Process, workflow: Workflow) -> None:
    start = process.log[0]
    approval = ProcessEvent(2, start.time, start.actor, ArtifactApproved("auftrag", 1))
    assert refusal(workflow, [start, approval]) == (
        "Event 2: version 1 of 'auftrag' is not the latest",
        "Ereignis 2: Version 1 von 'auftrag' ist nicht die neueste",
    )
