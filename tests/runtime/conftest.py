"""Fixtures for runtime tests: the six-phase workflow, clocks, started processes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process

SIX_PHASE = "generationengerechte-sozialraumentwicklung"


@pytest.fixture(scope="session")
def workflow() -> Workflow:
    """The bundled six-phase workflow."""
    return load_workflow(SIX_PHASE)


@pytest.fixture
def clock() -> FixedClock:
    """A clock at 2025-01-13 08:00 UTC stepping one hour per call."""
    return FixedClock(datetime(2025, 1, 13, 8, 0, tzinfo=UTC), step=timedelta(hours=1))


@pytest.fixture
def process(workflow: Workflow, clock: FixedClock) -> Process:
    """A freshly started process in phase ``identifizieren``."""
    return Process.start(
        workflow,
        sozialraum="Schwerte-Ost",
        description="Testquartier",
        data={"einwohnerzahl": 6180},
        by="kommune",
        clock=clock,
    )
