"""A revised six-phase workflow for migration tests: a new required artifact in phase 3,
phase 2 renamed (declared with ``renamed_from``), and a stricter vote rule for the goals."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from sozialraumprozess.definition.loader import bundled_workflow_path, load_workflow
from sozialraumprozess.definition.model import Workflow

SIX_PHASE = "generationengerechte-sozialraumentwicklung"


def six_phase_data() -> dict[str, Any]:
    """The bundled six-phase workflow as file data."""
    with open(bundled_workflow_path(SIX_PHASE), encoding="utf-8") as stream:
        data: dict[str, Any] = yaml.safe_load(stream)
    return data


def rename_phase(data: dict[str, Any], old: str, new: str, *, declare: bool = True) -> None:
    """Rename phase ``old`` to ``new`` everywhere in ``data`` (with ``renamed_from``)."""
    for phase in data["phases"]:
        if phase["id"] == old:
            phase["id"] = new
            if declare:
                phase["renamed_from"] = old
        if phase.get("next") == old:
            phase["next"] = new
    for transition in data.get("transitions", []):
        for key in ("from", "to"):
            if transition[key] == old:
                transition[key] = new


def revised_data() -> dict[str, Any]:
    """Version 2.0: new required artifact in phase 3, phase 2 renamed, two-thirds goals."""
    data = copy.deepcopy(six_phase_data())
    data["format"] = "sozialraumprozess/v2"
    data["version"] = "3.0"
    rename_phase(data, "analysieren", "sozialraum_analysieren")
    phase = data["phases"][2]
    data["artifacts"]["beteiligungsbericht"] = {
        "title": "Beteiligungsbericht",
        "owner": phase["responsible"],
        "fields": {"erreichte_gruppen": {"type": "text", "required": True}},
    }
    phase.setdefault("artifacts", []).append("beteiligungsbericht")
    phase.setdefault("exit", []).append({"artifact": "beteiligungsbericht"})
    data["decisions"]["zielbeschluss"]["rule"] = "two_thirds"
    return data


def revised() -> Workflow:
    """:func:`revised_data`, loaded."""
    return load_workflow(revised_data())
