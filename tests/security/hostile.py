"""Helpers for the hostile-input tests: bundled scenarios with hostile names.

:func:`hostile_scenario` rewrites a bundled scenario so that the Sozialraum's
name and description, every participant's name (wherever the scenario uses it)
and the free texts (event notes, decision texts) carry hostile text; steps that
check expected texts are dropped (they quote the original names).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sozialraumprozess.definition.issues import IssueCollector
from sozialraumprozess.definition.yamlio import read_yaml
from sozialraumprozess.scenario import bundled_scenario_path, run_scenario
from sozialraumprozess.scenario.runner import ScenarioRun

_FREE_TEXT = ("notes", "text", "note")


def _replace(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [_replace(item, names) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, names) for key, item in value.items()}
    return value


def hostile_scenario(name: str, text: str, folder: Path) -> Path:
    """A copy of bundled scenario ``name`` with ``text`` in names and free texts."""
    path = bundled_scenario_path(name)
    document = read_yaml(path.read_bytes(), str(path), IssueCollector(str(path)))
    assert document is not None
    data = document.data
    names: dict[str, str] = {}
    # Item keys (format v2) are ids people type, refused with control characters: a
    # participant whose name is also an item key keeps it.
    keys = {step.get("key") for step in data["steps"] if isinstance(step.get("key"), str)}
    for index, step in enumerate(data["steps"]):
        person = step.get("set_participant")
        if isinstance(person, str) and person not in keys:
            names.setdefault(person, f"{person} {index} {text}")
    data["steps"] = [
        _replace({k: v for k, v in step.items() if k not in ("expect", "error")}, names)
        for step in data["steps"]
        if "expect" not in step and "error" not in step
    ]
    for step in data["steps"]:
        for key in _FREE_TEXT:
            if isinstance(step.get(key), str):
                step[key] = f"{step[key]} {text}"
    room = data["sozialraum"]
    room["name"] = f"{room['name']} {text}"
    room["description"] = f"{room.get('description', '')} {text}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.scenario.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def run_hostile(name: str, text: str, folder: Path) -> ScenarioRun:
    """Run :func:`hostile_scenario`; every step must pass."""
    run = run_scenario(hostile_scenario(name, text, folder))
    failed = [result for result in run.results if not result.ok]
    assert not failed, failed[0]
    return run
