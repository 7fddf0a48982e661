"""The web pages' own words, German and English.

Everything about a run (phases, blockers, open items, history, documents) is
worded by the library in the language asked for; only the labels of this
service's pages and its own refusals live here.
"""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    "title": {"de": "Sozialraumprozesse", "en": "Sozialraum processes"},
    "runs": {"de": "Prozesse", "en": "Processes"},
    "no-runs": {"de": "Noch keine Prozesse.", "en": "No processes yet."},
    "start": {"de": "Neuen Prozess beginnen", "en": "Start a new process"},
    "run-id": {"de": "Kennung", "en": "Id"},
    "workflow": {"de": "Ablauf", "en": "Workflow"},
    "sozialraum": {"de": "Sozialraum", "en": "Sozialraum"},
    "description": {"de": "Beschreibung", "en": "Description"},
    "phase": {"de": "Phase", "en": "Phase"},
    "cycle": {"de": "Zyklus", "en": "Cycle"},
    "deadline": {"de": "Frist", "en": "Deadline"},
    "overdue": {"de": "überfällig", "en": "overdue"},
    "blockers": {"de": "Was noch fehlt", "en": "What is missing"},
    "no-blockers": {
        "de": "Nichts fehlt: die Phase kann abgeschlossen werden.",
        "en": "Nothing is missing: the phase can be completed.",
    },
    "owner": {"de": "Zuständig", "en": "Owner"},
    "open": {"de": "Offene Punkte", "en": "Open items"},
    "participants": {"de": "Beteiligte", "en": "Participants"},
    "roles": {"de": "Rollen", "en": "Roles"},
    "history": {"de": "Verlauf", "en": "History"},
    "who": {"de": "Wer", "en": "Who"},
    "what": {"de": "Was", "en": "What"},
    "when": {"de": "Wann", "en": "When"},
    "documents": {"de": "Dokumente", "en": "Documents"},
    "report": {"de": "Prozessbericht", "en": "Process report"},
    "commands": {"de": "Handeln", "en": "Act"},
    "send": {"de": "Ausführen", "en": "Run"},
    "artifact": {"de": "Artefakt", "en": "Artifact"},
    "data": {"de": "Daten (JSON)", "en": "Data (JSON)"},
    "note": {"de": "Notiz", "en": "Note"},
    "event": {"de": "Veranstaltung", "en": "Event"},
    "decision": {"de": "Beschluss", "en": "Decision"},
    "date": {"de": "Datum", "en": "Date"},
    "count": {"de": "Teilnehmende", "en": "Participants"},
    "notes": {"de": "Notizen", "en": "Notes"},
    "yes": {"de": "Ja", "en": "Yes"},
    "no": {"de": "Nein", "en": "No"},
    "abstain": {"de": "Enthaltung", "en": "Abstain"},
    "text": {"de": "Wortlaut", "en": "Text"},
    "transition": {"de": "Übergang", "en": "Transition"},
    "reason": {"de": "Begründung", "en": "Reason"},
    "name": {"de": "Name", "en": "Name"},
    "kind": {"de": "Art", "en": "Kind"},
    "contact": {"de": "Kontakt", "en": "Contact"},
    "submit": {"de": "Einreichen", "en": "Submit"},
    "approve": {"de": "Freigeben", "en": "Approve"},
    "confirm": {"de": "Bestätigen", "en": "Confirm"},
    "record-event": {"de": "Veranstaltung erfassen", "en": "Record an event"},
    "decide": {"de": "Beschluss erfassen", "en": "Record a decision"},
    "advance": {"de": "Nächste Phase", "en": "Next phase"},
    "take-transition": {"de": "Übergang nehmen", "en": "Take a transition"},
    "set-participant": {"de": "Beteiligte eintragen", "en": "Add a participant"},
    "done": {"de": "Erledigt", "en": "Done"},
    "refused": {"de": "Abgelehnt", "en": "Refused"},
    "login": {"de": "Anmelden", "en": "Log in"},
    "logout": {"de": "Abmelden", "en": "Log out"},
    "token": {"de": "Zugangsschlüssel", "en": "Access token"},
    "acting-as": {"de": "Angemeldet als {who}", "en": "Logged in as {who}"},
    "back": {"de": "Zur Übersicht", "en": "To the overview"},
    # the service's own refusals (the library words everything else)
    "not-authenticated": {
        "de": "Nicht angemeldet: ein gültiger Zugangsschlüssel fehlt "
        "(Kopfzeile 'Authorization: Bearer …').",
        "en": "Not logged in: a valid access token is missing (header 'Authorization: Bearer …').",
    },
    "bad-json": {
        "de": "Die Daten sind kein JSON-Objekt: {reason}",
        "en": "The data is not a JSON object: {reason}",
    },
    "bad-request": {
        "de": "Die Anfrage ist unvollständig oder falsch: {problems}",
        "en": "The request is incomplete or wrong: {problems}",
    },
    "unknown-workflow": {
        "de": "Unbekannter Ablauf '{workflow}'. Bekannt: {known}",
        "en": "Unknown workflow '{workflow}'. Known: {known}",
    },
    "unknown-document": {
        "de": "Kein Dokument '{path}' in diesem Prozess.",
        "en": "No document '{path}' in this process.",
    },
}


def text(key: str, lang: str, **params: Any) -> str:
    """The text ``key`` in ``lang`` (German if ``lang`` has none), filled with ``params``."""
    words = TEXTS[key]
    return words.get(lang, words["de"]).format(**params)


def words(lang: str) -> dict[str, str]:
    """Every text in ``lang``, for the templates (``t.phase`` …)."""
    return {key: texts.get(lang, texts["de"]) for key, texts in TEXTS.items()}
