"""Commands: exact error data and messages; refused commands change nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import (
    CommandRejected,
    FieldProblem,
    InvalidData,
    PermissionDenied,
    ProcessError,
    TransitionBlocked,
    TransitionNotAvailable,
    UnknownNameError,
)
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario.sample import run_sample


def unchanged(process: Process, command: Callable[[], Any], error: type[Exception]) -> Any:
    """Run a command expected to fail; assert the log and the state did not change."""
    log, state = process.log, copy.deepcopy(process.state)
    with pytest.raises(error) as info:
        command()
    assert process.log == log
    assert process.state == state
    return info.value


def test_invalid_artifact_data_names_every_field_by_path(process: Process) -> None:
    process.record_decision("auftragsbeschluss", date="2025-01-13", yes=3, no=1, by="rat")
    data = {
        "titel": "Auftrag",
        "auftraggeber": 7,
        "laufzeit_bis": "Ende 2027",
        "stellenanteile": [
            {"organisation": "Jugendhilfedienst", "prozent": 10},
            {"organisation": "Freier Träger", "prozent": 120},
            {"organisaton": "x", "prozent": "zwanzig"},
        ],
        "ziele": "kurz",
    }
    error = unchanged(process, lambda: process.submit("auftrag", data, by="kommune"), InvalidData)
    assert (error.kind, error.subject) == ("artifact", "auftrag")
    assert error.problems == (
        FieldProblem("auftraggeber", "type", "Text erwartet, erhalten: 7", "expected text, got 7"),
        FieldProblem(
            "laufzeit_bis",
            "date",
            'Datum (JJJJ-MM-TT) erwartet, erhalten: "Ende 2027"',
            'expected a date (YYYY-MM-DD), got "Ende 2027"',
        ),
        FieldProblem(
            "stellenanteile[1].prozent",
            "max",
            "Wert 120 ist größer als das Maximum 100",
            "value 120 is greater than the maximum 100",
        ),
        FieldProblem(
            "stellenanteile[2].organisaton",
            "unknown-field",
            "Unbekanntes Feld 'organisaton'. Meinten Sie 'organisation'?",
            "Unknown field 'organisaton'. Did you mean 'organisation'?",
        ),
        FieldProblem(
            "stellenanteile[2].prozent",
            "type",
            'Zahl erwartet, erhalten: "zwanzig"',
            'expected a number, got "zwanzig"',
        ),
        FieldProblem(
            "ziele",
            "unknown-field",
            "Unbekanntes Feld 'ziele'. Meinten Sie 'ziele_kurz'?",
            "Unknown field 'ziele'. Did you mean 'ziele_kurz'?",
        ),
    )
    assert str(error).splitlines()[:2] == [
        "Ungültige Daten für Artefakt 'auftrag':",
        "  - auftraggeber: Text erwartet, erhalten: 7",
    ]
    assert error.message("en").splitlines()[0] == "Invalid data for artifact 'auftrag':"


def test_goal_priority_path_and_choice_hint(workflow: Workflow) -> None:
    process = run_sample(workflow, until="ziele_festlegen")
    ziele = [
        {"id": "L1", "level": "leitziel", "title": "A", "priority": "A"},
        {"id": "W1", "level": "wirkungziel", "title": "B", "priority": "A", "parent": "L1"},
        {"id": "W2", "level": "wirkungsziel", "titel": "C", "priority": "D", "parent": "L1"},
    ]
    error = unchanged(
        process,
        lambda: process.submit("zielkatalog", {"ziele": ziele}, by="verantwortungsgemeinschaft"),
        InvalidData,
    )
    assert error.paths == ("ziele[1].level", "ziele[2].titel", "ziele[2].priority")
    assert error.problems[0].message_de == (
        "'wirkungziel' ist keine erlaubte Auswahl (erlaubt: leitziel, wirkungsziel, "
        "handlungsziel). Meinten Sie 'wirkungsziel'?"
    )
    assert "Meinten Sie 'title'?" in error.problems[1].message_de
    assert error.problems[2].message("en").startswith("ziele[2].priority: 'D' is not")


def test_money_must_be_euros_with_cents(workflow: Workflow) -> None:
    process = run_sample(workflow, until="massnahmen_planen")
    line = {"id": "x", "year": 2026, "title": "X", "amount": 10.005}
    data = {"haushaltsjahr": 2026, "haushaltslinien": [line]}
    error = unchanged(
        process, lambda: process.submit("haushaltsansatz", data, by="kommune"), InvalidData
    )
    assert error.problems == (
        FieldProblem(
            "haushaltslinien[0].amount",
            "cents",
            "Geldbetrag 10.005 hat mehr als zwei Nachkommastellen (Cent)",
            "amount 10.005 has more than two decimals (cents)",
        ),
    )


def test_incomplete_draft_is_accepted_and_the_gate_names_the_field(process: Process) -> None:
    process.submit(
        "sozialraumabgrenzung",
        {"name": "Ost", "beschreibung": "", "planungsraeume": []},
        by="sozialraumkoordination",
    )
    gaps = [
        (b.code, b.path, b.message("de"), b.message("en"))
        for b in process.blockers()
        if b.kind == "artifact" and b.target == "sozialraumabgrenzung"
    ]
    assert gaps == [
        (
            "incomplete",
            "beschreibung",
            "Artefakt 'Sozialraumabgrenzung': Pflichtfeld 'beschreibung' ist leer",
            "Artifact 'Boundaries of the Sozialraum': required field 'beschreibung' is empty",
        ),
        (
            "incomplete",
            "planungsraeume",
            "Artefakt 'Sozialraumabgrenzung': 'planungsraeume' braucht mindestens 1 Einträge "
            "(0 vorhanden)",
            "Artifact 'Boundaries of the Sozialraum': 'planungsraeume' needs at least 1 items "
            "(0 given)",
        ),
        (
            "incomplete",
            "einwohnerzahl",
            "Artefakt 'Sozialraumabgrenzung': Pflichtfeld 'einwohnerzahl' ist leer",
            "Artifact 'Boundaries of the Sozialraum': required field 'einwohnerzahl' is empty",
        ),
    ]


def test_permission_denied_message_names_role_command_and_who_may(process: Process) -> None:
    error = unchanged(
        process,
        lambda: process.submit("sozialraumabgrenzung", {}, by="bewohnerschaft"),
        PermissionDenied,
    )
    assert str(error) == (
        "Nicht erlaubt: Rolle 'bewohnerschaft' darf 'submit sozialraumabgrenzung' nicht "
        "ausführen. Erlaubt für: 'sozialraumkoordination'."
    )
    assert error.message("en") == (
        "Not permitted: role 'bewohnerschaft' may not run 'submit sozialraumabgrenzung'. "
        "Allowed: 'sozialraumkoordination'."
    )
    assert isinstance(error, ProcessError)


def test_participants_act_in_their_roles(process: Process) -> None:
    process.set_participant(
        "Anna Berger", ["sozialraumkoordination", "bewohnerschaft"], kind="person", by="kommune"
    )
    version = process.submit("akteursliste", {"akteure": [{"name": "Verein"}]}, by="Anna Berger")
    assert version.submitted_by.label() == "Anna Berger (sozialraumkoordination)"
    error = unchanged(
        process, lambda: process.submit("auftrag", {}, by="Anna Berger"), PermissionDenied
    )
    assert str(error) == (
        "Nicht erlaubt: 'Anna Berger' (Rollen: sozialraumkoordination, bewohnerschaft) darf "
        "'submit auftrag' nicht ausführen. Erlaubt für: 'kommune'."
    )
    process.set_participant("Anna Berger", ["sozialraumkoordination"], active=False, by="kommune")
    unchanged(
        process,
        lambda: process.submit("akteursliste", {"akteure": []}, by="Anna Berger"),
        PermissionDenied,
    )


def test_unknown_actor_and_bad_participant(process: Process) -> None:
    error = unchanged(process, lambda: process.advance(by="komune"), UnknownNameError)
    assert error.message("de") == "Weder Rolle noch Beteiligte(r): 'komune'. Meinten Sie 'kommune'?"
    bad = unchanged(
        process,
        lambda: process.set_participant("rat", ["ratt"], kind="verein", by="kommune"),
        InvalidData,
    )
    assert [(p.path, p.code) for p in bad.problems] == [
        ("name", "role-name"),
        ("roles[0]", "unknown-role"),
        ("kind", "choice"),
    ]
    assert bad.problems[1].message_de == "Unbekannte Rolle 'ratt'. Meinten Sie 'rat'?"


def test_advance_blocked_carries_and_prints_every_blocker(process: Process) -> None:
    error = unchanged(process, lambda: process.advance(by="kommune"), TransitionBlocked)
    assert error.blockers == process.blockers()
    assert (error.phase, error.target) == ("identifizieren", "analysieren")
    assert len(error.blockers) == 6
    lines = str(error).splitlines()
    assert lines[0] == (
        "Phase 'identifizieren' kann nicht nach 'analysieren' verlassen werden: "
        "6 Abschlusskriterien nicht erfüllt:"
    )
    assert lines[1] == "  - Beschluss 'Politischer Auftrag zur Sozialraumentwicklung' fehlt"
    assert error.message("en").splitlines()[0] == (
        "Cannot leave phase 'identifizieren' for 'analysieren': 6 exit criteria not met:"
    )
    assert error.blockers[0].to_dict("en") == {
        "kind": "decision",
        "target": "auftragsbeschluss",
        "role": "rat",
        "code": "not-taken",
        "path": None,
        # The bundled workflow has German titles only; English text falls back to them.
        "message": "Decision 'Political mandate for social-space development' has not been taken",
    }


def test_decision_results_and_quorum(workflow: Workflow) -> None:
    process = run_sample(workflow, until="ziele_festlegen")
    by = "verantwortungsgemeinschaft"
    few = process.record_decision("zielbeschluss", date="2025-07-10", yes=3, no=0, by=by)
    assert (few.result.passed, few.result.code) == (False, "no-quorum")
    assert (
        "Beschluss 'Beschluss des Zielkatalogs' nicht gefasst: "
        "Quorum von 5 nicht erreicht (3 Stimmen)"
    ) in [b.message("de") for b in process.blockers()]
    tie = process.record_decision("zielbeschluss", date="2025-07-10", yes=4, no=4, abstain=1, by=by)
    assert (tie.result.passed, tie.result.message("de")) == (False, "4 Ja, 4 Nein, 1 Enthaltung")
    assert tie.result.message("en") == "4 yes, 4 no, 1 abstention"
    won = process.record_decision("zielbeschluss", date="2025-07-10", yes=5, no=4, by=by)
    assert (won.result.passed, won.result.message("de")) == (True, "angenommen: 5 Ja, 4 Nein")
    bad = unchanged(
        process,
        lambda: process.record_decision(
            "zielbeschluss", date="2025-9-1", yes=-1, no=None, consensus=True, by=by
        ),
        InvalidData,
    )
    assert [p.path for p in bad.problems] == ["date", "yes", "no", "consensus"]


def test_rules_of_the_process(workflow: Workflow, process: Process) -> None:
    not_here = unchanged(
        process,
        lambda: process.submit("zielkatalog", {}, by="verantwortungsgemeinschaft"),
        CommandRejected,
    )
    assert (not_here.code, str(not_here)) == (
        "not-in-phase",
        "Artefakt 'Zielkatalog' gehört nicht zur Phase 'Sozialraum identifizieren'",
    )
    nothing = unchanged(
        process, lambda: process.approve("sozialraumabgrenzung", by="kommune"), CommandRejected
    )
    assert nothing.code == "no-version"
    no_approval = unchanged(
        process, lambda: process.approve("auftrag", by="kommune"), CommandRejected
    )
    assert no_approval.code == "no-approval"
    wrong_move = unchanged(
        process,
        lambda: process.take_transition("abgrenzung_aendern", by="kommune", reason="x"),
        TransitionNotAvailable,
    )
    assert str(wrong_move) == (
        "'abgrenzung_aendern' ist aus Phase 'identifizieren' nicht möglich. Möglich: 'advance'."
    )
    analysis = run_sample(workflow, until="analysieren")
    no_reason = unchanged(
        analysis,
        lambda: analysis.take_transition("abgrenzung_aendern", by="kommune"),
        CommandRejected,
    )
    assert no_reason.message("en") == (
        "transition 'abgrenzung_aendern' goes back; a reason is required"
    )
    visit = analysis.take_transition(
        "abgrenzung_aendern", by="kommune", reason="Neubaugebiet kommt hinzu"
    )
    assert (visit.phase, visit.cycle, visit.via, visit.reason) == (
        "identifizieren",
        1,
        "abgrenzung_aendern",
        "Neubaugebiet kommt hinzu",
    )
    # A new visit: the Multiplikatorenveranstaltung of the first visit no longer counts,
    # the artifacts of this cycle still do.
    assert [b.code for b in analysis.blockers()] == ["not-taken", "not-held"]
