"""A small format-v2 workflow with indicators, shared by the indicator tests."""

from __future__ import annotations

import copy
from typing import Any

from sozialraumprozess.definition import load_workflow
from sozialraumprozess.definition.model import Workflow

DATA: dict[str, Any] = {
    "format": "sozialraumprozess/v2",
    "id": "monitoring-test",
    "version": "1.0",
    "title": "Monitoring",
    "roles": {
        "kommune": {"title": "Kommune"},
        "statistik": {"title": "Statistikstelle"},
    },
    "artifacts": {"profil": {"title": "Profil", "owner": "kommune"}},
    "indicators": {
        "sgb2_quote": {
            "label": {"de": "SGB-II-Quote", "en": "SGB II rate"},
            "unit": "%",
            "source": "Kommunalstatistik",
            "direction": "higher-is-worse",
            "reference": 9.1,
            "reference_label": {"de": "Stadtdurchschnitt", "en": "city average"},
            "recorded_by": "statistik",
        },
        "engagierte": {
            "label": "Engagierte Ehrenamtliche",
            "unit": "Personen",
            "direction": "higher-is-better",
        },
    },
    "phases": [
        {
            "id": "analysieren",
            "title": "Analysieren",
            "responsible": "kommune",
            "artifacts": ["profil"],
            "exit": [{"indicator_snapshot": "all"}],
        },
        {"id": "umsetzen", "title": "Umsetzen", "responsible": "kommune", "next": "analysieren"},
    ],
}


def workflow(**changes: Any) -> Workflow:
    """The workflow, with top-level keys replaced by ``changes``."""
    data = copy.deepcopy(DATA)
    data.update(changes)
    return load_workflow(data)
