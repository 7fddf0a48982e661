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


#: The measures of the sample and the Handlungsziele they serve, in order.
_GOALS = (
    "H1 „Eine lokale Verantwortungsgemeinschaft begleitet und befördert die Sozialraumentwicklung“",
    "H2 „Der Sozialraum verfügt über ein ZWAR-Netzwerk“",
    "H3 „Das Angebot Nachbarschaftsstifter ist etabliert“",
    "H4 „Die Anlaufstelle ist wöchentlich geöffnet und wird genutzt“",
)
_MEASURES = (
    "Anlaufstelle",
    "Nachbarschaftsstifter",
    "ZWAR-Gruppen",
    "Öffentlichkeitsarbeit",
    "Präventive Jugendhilfe",
)


def _without_measure(n: int) -> str:
    return f"Handlungsziele ohne Maßnahme in 'Maßnahme' ({n}): " + ", ".join(_GOALS[:n])


def _not_evaluated(n: int) -> str:
    return f"'Maßnahme' noch nicht im Zustand 'Evaluiert' ({n}): " + ", ".join(_MEASURES[-n:])


_NO_VALUES = (
    "Für Zyklus {cycle} fehlen noch Werte: SGB-II-Quote, Anteil barrierearmer Wohnungen, "
    "Bürgerschaftlich Engagierte, ZWAR-Gruppen, Aktive Nachbarschaftsstifter:innen, "
    "Verantwortungsgemeinschaft gebildet (1 = ja), Kontakte der Anlaufstelle je Woche."
)

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
        _NO_VALUES.format(cycle=1),
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
        "Befunde der Priorität A, die kein Ziel in 'Zielkatalog' aufgreift und die nicht "
        "begründet zurückgestellt sind (3): B1 „Es gibt keine Anlaufstelle für Bürgerinnen "
        "und Bürger im Quartier“, B2 „Viele Ältere leben allein und ohne tragendes Netz“, "
        "B3 „Barrieren an drei Querungen auf dem Weg zum Markt“",
        "4 Beiträge aus 'Zukunftswerkstatt' noch nicht abgewogen: ZW-1, ZW-2, ZW-3, ZW-4",
    ],
    "massnahmen_planen": [
        "Zu wenige Einträge 'Maßnahme': 0 von mindestens 1",
        _without_measure(4),
        "Artefakt 'Maßnahmenplan' fehlt",
        "Artefakt 'Maßnahmenplan' ist nicht freigegeben "
        "(Freigabe durch Lokale Verantwortungsgemeinschaft)",
        "Beschluss 'Beschluss des Maßnahmenplans' fehlt",
        "Artefakt 'Kooperationsvereinbarungen' fehlt",
        "Mindestens eine Kooperationsvereinbarung ist unterzeichnet "
        "(nicht prüfbar: 'kooperationsvereinbarung' fehlt)",
        "Artefakt 'Haushaltsansatz / Budgetplan' fehlt",
        "Beschluss 'Haushaltsansatz einstellen' fehlt",
        "Keine Rückmeldung an die Teilnehmenden von 'Zukunftswerkstatt' zu 4 Beiträgen: "
        "ZW-1, ZW-2, ZW-3, ZW-4",
    ],
    "umsetzung_sichern": [
        "Veranstaltung 'Sozialraumkonferenz': 0 von 2 abgehalten",
        _not_evaluated(5),
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
    ("ziele_festlegen", 0): [
        "Befunde der Priorität A, die kein Ziel in 'Zielkatalog' aufgreift und die nicht "
        "begründet zurückgestellt sind (1): B3 „Barrieren an drei Querungen auf dem Weg zum Markt“"
    ],
    ("ziele_festlegen", 5): ["Beschluss 'Beschluss des Zielkatalogs' nicht gefasst: 4 Ja, 5 Nein"],
    ("massnahmen_planen", 1): [_without_measure(3)],  # step 0: the Haushaltsansatz
    ("massnahmen_planen", 2): [_without_measure(2)],
    ("massnahmen_planen", 3): [_without_measure(1)],
    # weighing the Zukunftswerkstatt's contributions one by one shortens the list
    ("ziele_festlegen", 7): [
        "3 Beiträge aus 'Zukunftswerkstatt' noch nicht abgewogen: ZW-2, ZW-3, ZW-4"
    ],
    ("ziele_festlegen", 8): ["2 Beiträge aus 'Zukunftswerkstatt' noch nicht abgewogen: ZW-3, ZW-4"],
    ("ziele_festlegen", 9): ["Beitrag aus 'Zukunftswerkstatt' noch nicht abgewogen: ZW-4"],
    ("umsetzung_sichern", 1): ["Veranstaltung 'Sozialraumkonferenz': 1 von 2 abgehalten"],
    ("umsetzung_sichern", 11): [_not_evaluated(4)],
    ("umsetzung_sichern", 13): [_not_evaluated(3)],
    ("umsetzung_sichern", 14): [_not_evaluated(2)],
    ("umsetzung_sichern", 16): [_not_evaluated(1)],
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
            # evaluate_measure records the evaluation and the move: two events
            assert len(process.log) == length + (2 if step.command == "evaluate_measure" else 1)
            after = _messages(process)
            appeared = [m for m in after if m not in before]
            assert appeared == APPEARING.get((script.phase, index), []), (script.phase, index)
        assert process.blockers() == ()
        assert leave.command == "advance"
        leave.run(process)
    assert (process.phase, process.cycle) == ("analysieren", 2)
    steps = [step for script in SCENARIO for step in script.steps]
    assert len(process.log) == 1 + len(steps) + sum(
        step.command == "evaluate_measure" for step in steps
    )


def test_scenario_cycle_two_marks_analysis_artifacts_out_of_date(workflow: Workflow) -> None:
    process = run_sample(workflow)
    assert [(b.kind, b.code, b.message("de")) for b in process.blockers()] == [
        ("artifact", "stale", "Artefakt 'Sozialraumprofil' aus Zyklus 1 — neu zu bestätigen"),
        ("artifact", "stale", "Artefakt 'Analysebericht' aus Zyklus 1 — neu zu bestätigen"),
        ("approval", "stale", "Freigabe von 'Analysebericht' aus Zyklus 1 — neu zu bestätigen"),
        ("indicator_snapshot", "no-snapshot", _NO_VALUES.format(cycle=2)),
        (
            "check",
            "check-error",
            "Mindestens eine qualitative Methode (Begehung, Befragung, Beratungsdaten …) "
            "(nicht prüfbar: 'analysebericht' fehlt)",
        ),
    ]
    assert process.blockers()[0].message("en") == (
        "Artifact 'Social-space profile' from cycle 1 — to be confirmed again"
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
    lines = [
        (line["id"], line["title"], line["amount"], line.get("covered", False))
        for line in budget.data["haushaltslinien"]
    ]
    assert lines == [  # the seed's 15.400 + 10.000 = 20.400 (Produkt 61) + 5.000 (covered)
        ("traeger", "Personal- und Sachkosten des freien Trägers", 15400.0, False),
        ("sozialraumbudget_neu", "Sozialraumbudget", 5000.0, False),
        ("sozialraumbudget_bestand", "Sozialraumbudget", 5000.0, True),
    ]
    assert budget.data["haushaltslinien"][0]["product"].startswith("Produkt 61")
    goals = process.latest("zielkatalog")
    assert goals is not None
    assert len(goals.data["ziele"]) >= 3
    assert all(g["priority"] in ("A", "B", "C") for g in goals.data["ziele"])
    titles = [g["title"] for g in goals.data["ziele"]]  # the seed's goals
    assert "Erreichen einer größtmöglichen Partizipation" in titles
    assert "Aufbau einer tragenden sozialen Infrastruktur" in titles
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
        "zukunftswerkstatt",
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
