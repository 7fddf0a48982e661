"""Helpers for the run commands: the installed console script, sample data, store bytes."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from sozialraumprozess.scenario import bundled_scenario_path, load_scenario

SIX = "generationengerechte-sozialraumentwicklung"
EXE = shutil.which("sozialraum")

Runner = Callable[..., subprocess.CompletedProcess[str]]


def sozialraum(
    *args: str, input: str | None = None, env: Mapping[str, str] | None = None, cwd: Any = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``sozialraum`` console script in a subprocess."""
    assert EXE is not None, "the console script 'sozialraum' is not installed (pip install -e .)"
    full = {k: v for k, v in os.environ.items() if not k.startswith("SOZIALRAUM_")}
    full.update(env or {})
    return subprocess.run(
        [EXE, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        input=input,
        env=full,
        cwd=cwd,
    )


@pytest.fixture(scope="session")
def sample_data() -> dict[str, dict[str, Any]]:
    """The last data submitted for each artifact in the bundled six-phase scenario."""
    scenario = load_scenario(bundled_scenario_path(SIX))
    found: dict[str, dict[str, Any]] = {}
    for step in scenario.steps:
        if step.command == "submit":
            found[str(step.subject)] = dict(step.args["data"])
    return found


@pytest.fixture
def data_file(tmp_path: Path, sample_data: dict[str, dict[str, Any]]) -> Callable[[str], Path]:
    """Write the sample data of an artifact as a YAML file; returns its path."""

    def write(artifact: str) -> Path:
        path = tmp_path / f"{artifact}.yaml"
        path.write_text(yaml.safe_dump(sample_data[artifact], allow_unicode=True), "utf-8")
        return path

    return write


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A folder store with one fresh six-phase run 'schwerte-ost'."""
    root = tmp_path / "store"
    result = sozialraum("init", str(root), "--workflow", SIX, "--sozialraum", "Schwerte-Ost")
    assert result.returncode == 0, result.stderr
    return root


def log_bytes(root: Path, run_id: str = "schwerte-ost") -> bytes:
    """The run's events.jsonl, to prove that a refused command stored nothing."""
    return (root / "runs" / run_id / "events.jsonl").read_bytes()


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``sozialraum demo`` run once per session (six-phase workflow)."""
    root = tmp_path_factory.mktemp("demo") / "demo"
    result = sozialraum("demo", str(root))
    assert result.returncode == 0, result.stderr
    return root
