"""The history's wording of decisions by consensus and of transitions with and without
a reason, in both languages; a service refuses a retry limit below one."""

from __future__ import annotations

from pathlib import Path

import pytest

from sozialraumprozess.app import Service
from sozialraumprozess.app.history import history_rows
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.storage import FolderStore
from sozialraumprozess.testing import workflow_from_string

from ..definition.conftest import MINI

CONSENSUS = MINI.replace("    body: vg\n", "    body: vg\n    rule: consensus\n") + (
    "transitions:\n"
    "  - id: zurueck\n    title: Zurück\n    from: ziele\n    to: analysieren\n"
    "    allowed: [vg]\n"
    "  - id: abkuerzung\n    title: Abkürzung\n    from: analysieren\n    to: ziele\n"
    "    allowed: [kommune]\n"
)


@pytest.fixture
def process() -> Process:
    """A mini process: a shortcut, a failed and a reached consensus, a way back."""
    found = Process.start(
        workflow_from_string(CONSENSUS, "w.yaml"), sozialraum="Nord", by="kommune"
    )
    found.take_transition("abkuerzung", by="kommune")
    found.record_decision("zielbeschluss", date="2025-02-01", consensus=False, by="vg")
    found.record_decision("zielbeschluss", date="2025-02-02", consensus=True, by="vg")
    found.take_transition("zurueck", by="vg", reason="Neu ansetzen")
    return found


def test_consensus_and_transitions_in_english(process: Process) -> None:
    assert [(r["type"], r["what"]) for r in history_rows(process, "en")][1:] == [
        ("transition_taken", "transition abkuerzung: Analyse → Ziele"),
        ("decision_recorded", "decision: Beschluss (2025-02-01, no consensus)"),
        ("decision_recorded", "decision: Beschluss (2025-02-02, consensus)"),
        ("transition_taken", "transition zurueck: Ziele → Analyse – Neu ansetzen"),
    ]


def test_consensus_and_transitions_in_german(process: Process) -> None:
    assert [r["what"] for r in history_rows(process, "de")][1:] == [
        "Übergang abkuerzung: Analyse → Ziele",
        "Beschluss: Beschluss (2025-02-01, kein Konsens)",
        "Beschluss: Beschluss (2025-02-02, Konsens)",
        "Übergang zurueck: Ziele → Analyse – Neu ansetzen",
    ]


def test_a_service_needs_at_least_one_attempt(tmp_path: Path) -> None:
    store = FolderStore(tmp_path / "s", create=True)
    with pytest.raises(ValueError, match="attempts must be at least 1"):
        Service(store, attempts=0)
    assert Service(store, attempts=1).attempts == 1
