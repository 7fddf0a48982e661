"""The fixed texts of the bundled templates, in German and English.

One template serves both languages: it prints ``{{ t.agenda }}`` and the
renderer passes :func:`texts` of the requested language as ``t``. Field titles
come from the workflow (``Label.get(lang)``); choice values (``handlungsziel``)
are shown through :func:`choice_label`.
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType
from typing import Any

__all__ = ["TEXTS", "choice_label", "outcome_label", "texts"]

#: ``key: (German, English)``.
TEXTS: dict[str, tuple[str, str]] = {
    "abstain": ("Enthaltung", "Abstain"),
    "agenda": ("Tagesordnung", "Agenda"),
    "agenda_follows": ("Die Tagesordnung folgt.", "The agenda will follow."),
    "agenda_item": ("TOP", "Item"),
    "annual_report": ("Jahresbericht", "Annual report"),
    "approval": ("Freigabe", "Approval"),
    "approved": ("freigegeben", "approved"),
    "approved_by": ("Freigegeben von", "Approved by"),
    "artifact": ("Dokument", "Document"),
    "attendance": ("Anwesenheit", "Attendance"),
    "body": ("Gremium", "Body"),
    "criterion": ("Kriterium", "Criterion"),
    "cycle": ("Zyklus", "Cycle"),
    "date": ("Datum", "Date"),
    "decision": ("Beschluss", "Resolution"),
    "decisions": ("Beschlüsse", "Resolutions"),
    "description": ("Beschreibung", "Description"),
    "discussion": ("Diskussionsverlauf", "Discussion"),
    "documents": ("Dokumente", "Documents"),
    "entered": ("Beginn", "Entered"),
    "event": ("Veranstaltung", "Event"),
    "events": ("Veranstaltungen", "Events"),
    "exit_criteria": ("Abschlusskriterien", "Exit criteria"),
    "field": ("Feld", "Field"),
    "five_year_goals": ("Entwicklung in 5 Jahren", "Development in 5 years"),
    "footer_generated": ("Erstellt am", "Generated on"),
    "footer_state": ("Prozessstand: Ereignis", "Process state: event"),
    "footer_template": ("Vorlage", "Template"),
    "goal": ("Ziel", "Goal"),
    "invitation": ("Einladung", "Invitation"),
    "invitation_text": (
        "hiermit laden wir Sie herzlich ein zur",
        "you are cordially invited to the",
    ),
    "left": ("Ende", "Left"),
    "met": ("erfüllt", "met"),
    "minutes": ("Ergebnisprotokoll", "Minutes"),
    "minute_taker": ("Protokoll", "Minutes taken by"),
    "chair": ("Leitung", "Chair"),
    "no": ("Nein", "No"),
    "no_decisions": ("Keine Beschlüsse.", "No resolutions."),
    "what": ("Was", "What"),
    "who": ("Wer", "Who"),
    "until": ("Bis", "By"),
    "period": ("Zeitraum", "Period"),
    "deviation": ("Abweichung", "Deviation"),
    "key_figures": ("Kennzahlen", "Key figures"),
    "projects": ("Projekte", "Projects"),
    "goals_achieved": ("Ziele erreicht", "Goals achieved"),
    "costs_plan": ("Kosten (Plan) gesamt", "Costs (planned), total"),
    "costs_actual": ("Kosten (Ist) gesamt", "Costs (actual), total"),
    "events_year": ("Veranstaltungen im Berichtsjahr", "Events in the reporting year"),
    "participants_year": ("Teilnehmende an Veranstaltungen", "Participants in events"),
    "count": ("Anzahl", "Number"),
    "via": ("über", "via"),
    "current": ("laufend", "current"),
    "none": ("keine", "none"),
    "not_met": ("offen", "open"),
    "organizer": ("Veranstalter", "Organiser"),
    "outcome": ("Ergebnis", "Outcome"),
    "participants": ("Beteiligte", "Participants"),
    "participants_count": ("Teilnehmende", "Participants"),
    "phase": ("Phase", "Phase"),
    "phase_report": ("Phasenabschlussbericht", "Phase completion report"),
    "phases": ("Phasen", "Phases"),
    "place": ("Ort", "Place"),
    "process_report": ("Prozessbericht", "Process report"),
    "reference": ("Referenzwert", "Reference value"),
    "result": ("Ergebnis", "Result"),
    "roles": ("Rollen", "Roles"),
    "rsvp": (
        "Wir bitten um Rückmeldung, ob Sie teilnehmen.",
        "Please let us know whether you will attend.",
    ),
    "salutation": ("Sehr geehrte Damen und Herren,", "Dear Sir or Madam,"),
    "sozialraum": ("Sozialraum", "Social space"),
    "state": ("Stand", "State"),
    "status": ("Status", "Status"),
    "submitted_by": ("Eingereicht von", "Submitted by"),
    "sum": ("Summe", "Total"),
    "tasks": ("Aufgaben", "Tasks"),
    "timeline": ("Verlauf", "Timeline"),
    "title": ("Titel", "Title"),
    "value": ("Wert", "Value"),
    "version": ("Version", "Version"),
    "vote": ("Abstimmungsergebnis", "Vote"),
    "workflow": ("Verfahren", "Workflow"),
    "yes": ("Ja", "Yes"),
}

#: Display names of the choice values used in the bundled workflow.
CHOICES: dict[str, tuple[str, str]] = {
    "administrativ": ("administrativ", "administrative"),
    "lebensweltlich": ("lebensweltlich", "lived environment"),
    "schulbezirk": ("Schulbezirk", "school district"),
    "wohnquartier": ("Wohnquartier", "residential quarter"),
    "demografie": ("Demografie", "Demography"),
    "soziooekonomie": ("Sozioökonomie", "Socio-economics"),
    "bildung": ("Bildung", "Education"),
    "wohnen": ("Wohnen", "Housing"),
    "infrastruktur": ("Infrastruktur", "Infrastructure"),
    "leitziel": ("Leitziel", "Guiding goal"),
    "mittlerziel": ("Mittlerziel", "Strategic goal"),
    "handlungsziel": ("Handlungsziel", "Operational goal"),
    "offen": ("offen", "open"),
    "begonnen": ("begonnen", "started"),
    "erreicht": ("erreicht", "achieved"),
    "teilweise": ("teilweise", "partly"),
    "nicht_erreicht": ("nicht erreicht", "not achieved"),
    "geplant": ("geplant", "planned"),
    "laufend": ("laufend", "running"),
    "abgeschlossen": ("abgeschlossen", "completed"),
    "gestoppt": ("gestoppt", "stopped"),
    "sozialraumbudget": ("Sozialraumbudget", "Social-space budget"),
    "haushaltsansatz": ("Haushaltsansatz", "Budget appropriation"),
    "verfuegungsfonds": ("Verfügungsfonds", "Neighbourhood fund"),
    "drittmittel": ("Drittmittel", "Third-party funds"),
    "eigenleistung": ("Eigenleistung", "In-kind contribution"),
    "gruen": ("grün", "green"),
    "gelb": ("gelb", "amber"),
    "rot": ("rot", "red"),
    "fortsetzen": ("fortsetzen", "continue"),
    "anpassen": ("anpassen", "adapt"),
    "beenden": ("beenden", "stop"),
    "oeffentlichkeitsarbeit": ("Öffentlichkeitsarbeit", "Public relations"),
    "qualifizierungen": ("Qualifizierungen", "Training"),
    "kleinere_projekte": ("kleinere Projekte", "small projects"),
    "initiativen": ("Initiativen", "initiatives"),
    "stadtteilbegehung": ("Stadtteilbegehung", "Neighbourhood walk"),
    "aktivierende_befragung": ("Aktivierende Befragung", "Activating survey"),
    "nadelmethode": ("Nadelmethode", "Pin-map method"),
    "beratungsdaten": ("Beratungsdaten", "Counselling data"),
    "experteninterviews": ("Experteninterviews", "Expert interviews"),
}

#: Outcome of a decision by result code: ``(German, English)``.
OUTCOMES: dict[str, tuple[str, str]] = {
    "unanimous": ("einstimmig angenommen", "carried unanimously"),
    "majority": ("mehrheitlich angenommen", "carried by majority"),
    "rejected": ("abgelehnt", "rejected"),
    "consensus": ("im Konsens angenommen", "carried by consensus"),
    "no-consensus": ("kein Konsens", "no consensus"),
    "no-quorum": ("nicht beschlussfähig (Quorum nicht erreicht)", "no quorum"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


@lru_cache(maxsize=4)
def texts(lang: str = "de") -> MappingProxyType[str, str]:
    """The fixed texts in ``lang`` as a read-only mapping (``t`` in templates)."""
    return MappingProxyType({key: _pick(pair, lang) for key, pair in TEXTS.items()})


def choice_label(value: str, lang: str = "de") -> str:
    """Display name of a choice value; unknown values with ``_`` shown as words."""
    pair = CHOICES.get(value)
    if pair is not None:
        return _pick(pair, lang)
    return value.replace("_", " ")


def outcome_label(result_code: str, yes: Any, no: Any, lang: str = "de") -> str:
    """``einstimmig angenommen``, ``mehrheitlich angenommen``, ``abgelehnt`` …

    Args:
        result_code: ``DecisionResult.code`` (``passed``, ``rejected``, …).
        yes: Yes votes (``None`` for consensus decisions).
        no: No votes.
        lang: ``de`` or ``en``.
    """
    if result_code == "passed":
        if yes is None:
            key = "consensus"
        elif not no:
            key = "unanimous"
        else:
            key = "majority"
    else:
        key = result_code if result_code in OUTCOMES else "rejected"
    return _pick(OUTCOMES[key], lang)
