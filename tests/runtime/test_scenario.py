"""The six-phase workflow end to end with the sample data, blockers checked at each step."""

from __future__ import annotations

import pytest

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import TransitionBlocked
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario.sample import (
    CYCLE_TWO_STEPS,
    SCENARIO,
    run_sample,
    start_sample,
)


def _messages(process: Process) -> list[str]:
    return [b.message("de") for b in process.blockers()]


EXPECTED_ENTRY_BLOCKERS = {
    "identifizieren": [
        "Beschluss 'Politischer Auftrag zur Sozialraumentwicklung' fehlt",
        "Artefakt 'Auftrag / Projektsteckbrief' fehlt",
        "Artefakt 'Sozialraumabgrenzung' fehlt",
        "Artefakt 'Sozialraumabgrenzung' ist nicht freigegeben (Freigabe durch Kommune)",
        "Artefakt 'Akteursliste / Netzwerkkarte' fehlt",
        "Veranstaltung 'Multiplikatorenveranstaltung' nicht abgehalten",
    ],
    "analysieren": [
        "Artefakt 'Sozialraumprofil' fehlt",
        "Artefakt 'Analysebericht' fehlt",
        "Artefakt 'Analysebericht' ist nicht freigegeben (Freigabe durch Kommune)",
        "Für Zyklus 1 fehlen noch Werte: SGB-II-Quote, Anteil barrierearmer Wohnungen, "
        "Bürgerschaftlich Engagierte, ZWAR-Gruppen, Aktive Nachbarschaftsstifter:innen.",
        "Mindestens eine qualitative Methode (Begehung, Befragung, Beratungsdaten …) "
        "(nicht prüfbar: 'analysebericht' fehlt)",
    ],
    "visionen_entwickeln": [
        "Veranstaltung 'Gründungsveranstaltung' nicht abgehalten",
        "Veranstaltung 'Weiterführende Veranstaltung, Workshop oder Arbeitsgruppe' "
        "nicht abgehalten",
        "Artefakt 'Zusammensetzung der Verantwortungsgemeinschaft' fehlt",
        "Artefakt 'Workshop- / Visionsdokumentation' fehlt",
        "Artefakt 'Leitbild / Vision' fehlt",
        "Artefakt 'Leitbild / Vision' ist nicht freigegeben "
        "(Freigabe durch Lokale Verantwortungsgemeinschaft)",
    ],
    "ziele_festlegen": [
        "Artefakt 'Zielkatalog' fehlt",
        "Artefakt 'Zielkatalog' ist nicht freigegeben "
        "(Freigabe durch Lokale Verantwortungsgemeinschaft)",
        "Veranstaltung 'Sozialraumkonferenz' nicht abgehalten",
        "Beschluss 'Beschluss des Zielkatalogs' fehlt",
        "Mindestens drei Ziele (nicht prüfbar: 'zielkatalog' fehlt)",
    ],
    "massnahmen_planen": [
        "Artefakt 'Maßnahmenplan' fehlt",
        "Artefakt 'Maßnahmenplan' ist nicht freigegeben "
        "(Freigabe durch Lokale Verantwortungsgemeinschaft)",
        "Beschluss 'Beschluss des Maßnahmenplans' fehlt",
        "Artefakt 'Kooperationsvereinbarungen' fehlt",
        "Mindestens eine Kooperationsvereinbarung ist unterzeichnet "
        "(nicht prüfbar: 'kooperationsvereinbarung' fehlt)",
        "Artefakt 'Haushaltsansatz / Budgetplan' fehlt",
        "Beschluss 'Haushaltsansatz einstellen' fehlt",
    ],
    "umsetzung_sichern": [
        "Veranstaltung 'Sozialraumkonferenz': 0 von 2 abgehalten",
        "Artefakt 'Maßnahmen-Statusbericht' fehlt",
        "Artefakt 'Jahresbericht' fehlt",
        "Artefakt 'Jahresbericht' ist nicht freigegeben "
        "(Freigabe durch Lokale Verantwortungsgemeinschaft)",
        "Beschluss 'Beschluss zum Jahresbericht' fehlt",
    ],
}

# Blockers that a step makes appear (the scenario's deliberate detours).
APPEARING = {
    ("identifizieren", 8): [
        "Artefakt 'Sozialraumabgrenzung': Pflichtfeld 'einwohnerzahl' ist leer"
    ],
    ("ziele_festlegen", 4): ["Beschluss 'Beschluss des Zielkatalogs' nicht gefasst: 4 Ja, 5 Nein"],
    ("umsetzung_sichern", 1): ["Veranstaltung 'Sozialraumkonferenz': 1 von 2 abgehalten"],
}


def test_scenario_runs_one_full_cycle_with_blockers_at_each_step(workflow: Workflow) -> None:
    process = start_sample(workflow)
    assert [s.phase for s in SCENARIO] == [p.id for p in workflow.phases]
    for script in SCENARIO:
        assert process.phase == script.phase
        assert process.cycle == 1
        assert _messages(process) == EXPECTED_ENTRY_BLOCKERS[script.phase]
        *work, leave = script.steps
        for index, step in enumerate(work):
            before = _messages(process)
            length = len(process.log)
            step.run(process)
            assert len(process.log) == length + 1
            after = _messages(process)
            appeared = [m for m in after if m not in before]
            assert appeared == APPEARING.get((script.phase, index), []), (script.phase, index)
        assert process.blockers() == ()
        assert leave.command == "advance"
        leave.run(process)
    assert (process.phase, process.cycle) == ("analysieren", 2)
    assert len(process.log) == 1 + sum(len(s.steps) for s in SCENARIO)


def test_scenario_cycle_two_marks_analysis_artifacts_out_of_date(workflow: Workflow) -> None:
    process = run_sample(workflow)
    assert [(b.kind, b.code, b.message("de")) for b in process.blockers()] == [
        ("artifact", "stale", "Artefakt 'Sozialraumprofil' aus Zyklus 1 — neu zu bestätigen"),
        ("artifact", "stale", "Artefakt 'Analysebericht' aus Zyklus 1 — neu zu bestätigen"),
        ("approval", "stale", "Freigabe von 'Analysebericht' aus Zyklus 1 — neu zu bestätigen"),
        (
            "indicator_snapshot",
            "no-snapshot",
            "Für Zyklus 2 fehlen noch Werte: SGB-II-Quote, Anteil barrierearmer Wohnungen, "
            "Bürgerschaftlich Engagierte, ZWAR-Gruppen, Aktive Nachbarschaftsstifter:innen.",
        ),
        (
            "check",
            "check-error",
            "Mindestens eine qualitative Methode (Begehung, Befragung, Beratungsdaten …) "
            "(nicht prüfbar: 'analysebericht' fehlt)",
        ),
    ]
    assert process.blockers()[0].message("en") == (
        "Artifact 'Sozialraumprofil' from cycle 1 — to be confirmed again"
    )
    with pytest.raises(TransitionBlocked) as info:
        process.advance(by="kommune")
    assert info.value.blockers == process.blockers()
    for step in CYCLE_TWO_STEPS:
        step.run(process)
    assert process.blockers() == ()
    profile = process.latest("sozialraumprofil")
    assert profile is not None
    assert (profile.version, profile.cycle, profile.confirmed_cycles) == (1, 1, (2,))
    assert [v.cycle for v in process.versions("analysebericht")] == [1, 2]
    # Earlier cycles stay readable, and phase 1 artifacts were not passed again.
    assert process.latest("auftrag") is not None
    assert process.state.is_current(process.latest("auftrag"), workflow)  # type: ignore[arg-type]
    process.advance(by="kommune")
    assert (process.phase, process.cycle) == ("visionen_entwickeln", 2)
    assert "Artefakt 'Leitbild / Vision' aus Zyklus 1 — neu zu bestätigen" in _messages(process)


def test_scenario_budget_and_goal_figures(workflow: Workflow) -> None:
    process = run_sample(workflow)
    budget = process.latest("haushaltsansatz")
    assert budget is not None
    positions = [(p["bezeichnung"], p["betrag"]) for p in budget.data["positionen"]]
    assert positions == [
        ("Personal- und Sachkosten des freien Trägers", 15400.0),
        ("Sozialraumbudget", 10000.0),
        ("Räumliche Planung und Entwicklung", 20400.0),
        ("Sozialraumbudget", 5000.0),
    ]
    assert budget.data["positionen"][2]["produkt"] == "Produkt 61"
    goals = process.latest("zielkatalog")
    assert goals is not None
    assert len(goals.data["ziele"]) >= 3
    assert all(1 <= g["prioritaet"] <= 5 for g in goals.data["ziele"])
    votes = [(d.decision, d.yes, d.no, d.result.passed) for d in process.decisions]
    assert ("zielbeschluss", 4, 5, False) in votes
    assert ("zielbeschluss", 11, 2, True) in votes
    held = [h.event for h in process.held_events]
    seed_order = ["multiplikatorenveranstaltung", "gruendungsveranstaltung", "workshop",
                  "sozialraumkonferenz"]  # fmt: skip
    first_held = sorted(seed_order, key=held.index)
    assert first_held == seed_order, "the seed's events, in the seed's order"
    assert held == [
        "multiplikatorenveranstaltung",
        "stadtteilbegehung",
        "gruendungsveranstaltung",
        "workshop",
        "sozialraumkonferenz",
        "sozialraumkonferenz",
        "sozialraumkonferenz",
    ]
    assert all(h.protocol is not None for h in process.held_events)


def test_run_sample_stops_at_phase(workflow: Workflow) -> None:
    process = run_sample(workflow, until="ziele_festlegen")
    assert (process.phase, process.cycle) == ("ziele_festlegen", 1)
    assert process.latest("zielkatalog") is None
