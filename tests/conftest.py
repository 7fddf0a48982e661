"""Shared fixtures: the bundled workflow's text and helpers to load variants of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sozialraumprozess.definition.loader import bundled_workflow_path

SIX_PHASE = "generationengerechte-sozialraumentwicklung"


@pytest.fixture(scope="session")
def six_phase_path() -> Path:
    """Path of the bundled six-phase workflow file."""
    return bundled_workflow_path(SIX_PHASE)


@pytest.fixture(scope="session")
def six_phase_text(six_phase_path: Path) -> str:
    """Text of the bundled six-phase workflow file."""
    return six_phase_path.read_text("utf-8")


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write YAML text to ``tmp_path/<name>`` and return the path."""

    def write(text: str, name: str = "workflow.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, "utf-8")
        return path

    return write
