"""Fixtures for the format-v2 phase constructs: a workflow with strands, an optional
phase, a conditional automatic transition and a transition back that renews."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import Issue, WorkflowError
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.testing import workflow_from_string

PATH = Path(__file__).with_name("teilplaene.yaml")
TEXT = PATH.read_text("utf-8")
WORKFLOW = load_workflow(PATH)


def variant(old: str, new: str, text: str = TEXT) -> str:
    """``TEXT`` with exactly one occurrence of ``old`` replaced by ``new``."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def issues_of(text: str, lang: str = "de") -> list[Issue]:
    """The issues of loading ``text`` (named ``w.yaml``); fails if it loads."""
    with pytest.raises(WorkflowError) as info:
        workflow_from_string(text, "w.yaml", lang=lang)
    return list(info.value.issues)


def clock() -> FixedClock:
    """2025-03-03 08:00 UTC, one hour per call (after the dates the tests record)."""
    return FixedClock(datetime(2025, 3, 3, 8, 0, tzinfo=UTC), step=timedelta(hours=1))


def started(workflow: Workflow = WORKFLOW) -> Process:
    """A process in the strands phase (the inventory submitted, advanced)."""
    process = Process.start(workflow, sozialraum="Nord", by="jugendamt", clock=clock())
    process.submit("bestand", {"text": "Bestand"}, by="jugendamt")
    process.advance(by="jugendamt")
    return process


def strands_done(process: Process, faelle: int = 20) -> None:
    """Work both strands of the phase ``teilplaene`` to done."""
    process.submit("teilplan_hze", {"faelle": faelle}, by="hze")
    process.submit("teilplan_kita", {"plaetze": 40}, by="kita")
    process.approve("teilplan_kita", by="jugendamt")
    process.record_event("fachrunde", date="2025-01-20", by="kita")


@pytest.fixture
def workflow() -> Workflow:
    """The format-v2 test workflow."""
    return WORKFLOW
