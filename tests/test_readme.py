"""The README's examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

from sozialraumprozess.testing import workflow_from_string

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def test_python_blocks_run() -> None:
    """Every Python block of the README executes without error."""
    found = blocks("python")
    assert found
    for block in found:
        exec(compile(block, "README.md", "exec"), {})  # noqa: S102 - our own README


def test_yaml_workflow_block_is_a_valid_workflow() -> None:
    """The workflow excerpt in the README is a complete, valid workflow."""
    (block,) = [b for b in blocks("yaml") if "format: sozialraumprozess/v1" in b]
    workflow = workflow_from_string(block, "README.md")
    assert workflow.phases[0].id == "ziele_festlegen"


def test_quick_start_has_exactly_two_commands() -> None:
    """One command runs the main job (the demo, tested in tests/cli), one runs the tests."""
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = blocks("sh")
    in_section = [c.strip() for c in commands if c.strip() in section]
    assert in_section[1] == "python3 -m pip install -e '.[dev]' && python3 -m pytest"
    assert in_section[0] == "python3 -m pip install . && sozialraum demo ./demo"
    assert len(in_section) == 2
