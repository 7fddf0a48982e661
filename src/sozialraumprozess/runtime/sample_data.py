"""The data of the sample run (fictitious Sozialraum "Schwerte-Ost", see :mod:`.sample`).

Plain dicts and lists only, so the CLI demo and documents can reuse them as they are.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CYCLE_TWO", "PHASES", "SOZIALRAUM"]

KOORDINATION = "Anna Berger"
VG = "Verantwortungsgemeinschaft Schwerte-Ost"
RAT = "Ausschuss für Soziales und Generationen"

SOZIALRAUM: dict[str, Any] = {
    "name": "Schwerte-Ost (Beispiel)",
    "description": (
        "Fiktiver Beispiel-Sozialraum: Wohnquartier östlich der Innenstadt mit "
        "Geschosswohnungsbau der 1960er Jahre, Einfamilienhäusern und einem "
        "wachsenden Anteil älterer Menschen."
    ),
    "data": {"flaeche_km2": 2.4, "einwohnerzahl": 6180, "stichtag": "2024-12-31"},
}

_PARTICIPANTS: list[dict[str, Any]] = [
    {"name": KOORDINATION, "roles": ["sozialraumkoordination"], "kind": "person",
     "contact": "sozialraumkoordination@example.org"},
    {"name": "Fachbereich Jugend, Familie und Soziales", "roles": ["kommune"]},
    {"name": RAT, "roles": ["rat"]},
    {"name": "Freier Träger Nachbarschaftshilfe e.V.", "roles": ["freier_traeger"]},
    {"name": "Jugendhilfedienst Team Ost", "roles": ["jugendhilfedienst"]},
    {"name": "ZWAR-Zentralstelle NRW", "roles": ["zwar_zentralstelle"]},
]


def _p(name: str, **extra: Any) -> dict[str, Any]:
    return {"command": "set_participant", "by": "kommune", "subject": name, "args": extra}


def _protocol(
    datum: str, ort: str, teilnehmende: int, tops: list[tuple[str, str]]
) -> dict[str, Any]:
    return {
        "command": "submit", "by": KOORDINATION, "subject": "protokoll",
        "args": {"data": {
            "datum": datum, "ort": ort, "leitung": "Anna Berger",
            "protokollfuehrung": "Jonas Krämer", "teilnehmende": teilnehmende,
            "tagesordnung": [{"titel": t, "ergebnis": e} for t, e in tops],
        }},
    }


def _event(event: str, by: str, datum: str, count: int, notes: str) -> dict[str, Any]:
    return {"command": "record_event", "by": by, "subject": event,
            "args": {"date": datum, "participants": count, "notes": notes, "protocol": "latest"}}


_ABGRENZUNG = {
    "name": "Schwerte-Ost",
    "beschreibung": "Zwischen Bahnlinie im Westen, Ruhr im Süden und Stadtgrenze im Osten.",
    "planungsraeume": ["Statistischer Bezirk 31", "Statistischer Bezirk 32"],
    "stichtag": "2024-12-31",
    "flaeche_km2": 2.4,
    "kriterien": ["administrativ", "lebensweltlich"],
    "begruendung": "Gemeinsame Schul- und Versorgungswege; hoher Anteil Älterer.",
}

PHASE_1: list[dict[str, Any]] = [
    *(_p(p["name"], **{k: v for k, v in p.items() if k != "name"}) for p in _PARTICIPANTS),
    {"command": "record_decision", "by": RAT, "subject": "auftragsbeschluss",
     "args": {"date": "2025-01-28", "yes": 31, "no": 4, "abstain": 2,
              "text": "Der Rat beauftragt die Verwaltung, im Sozialraum Schwerte-Ost eine "
                      "generationengerechte Sozialraumentwicklung aufzubauen."}},
    {"command": "submit", "by": "kommune", "subject": "auftrag", "args": {"data": {
        "titel": "Generationengerechte Sozialraumentwicklung Schwerte-Ost",
        "auftraggeber": "Rat der Stadt",
        "beschluss_referenz": "Vorlage 12/2025 vom 28.01.2025",
        "koordination": "Sozialraumkoordination (Begleitung des demographischen Wandels)",
        "laufzeit_bis": "2027-12-31",
        "stellenanteile": [
            {"organisation": "Jugendhilfedienst", "funktion": "präventive Sozialraumarbeit",
             "prozent": 10},
            {"organisation": "Freier Träger", "funktion": "TRIAS", "prozent": 20},
        ],
        "ziele_kurz": "Größtmögliche Partizipation und Unabhängigkeit; Prävention vor "
                      "kostenintensiver Intervention.",
    }}},
    {"command": "submit", "by": KOORDINATION, "subject": "sozialraumabgrenzung",
     "args": {"data": dict(_ABGRENZUNG)},
     "note": "Entwurf ohne Einwohnerzahl: das Gate meldet das leere Pflichtfeld."},
    {"command": "submit", "by": KOORDINATION, "subject": "sozialraumabgrenzung",
     "args": {"data": {**_ABGRENZUNG, "einwohnerzahl": 6180}}},
    {"command": "approve", "by": "kommune", "subject": "sozialraumabgrenzung"},
    {"command": "submit", "by": KOORDINATION, "subject": "akteursliste", "args": {"data": {
        "akteure": [
            {"name": "Quartiersverein Schwerte-Ost e.V.", "kategorie": "verein",
             "eingeladen": True},
            {"name": "Wohnungsgenossenschaft Ruhrblick eG", "kategorie": "wohnungswirtschaft",
             "eingeladen": True},
            {"name": "Ev. Kirchengemeinde Ost", "kategorie": "kirchengemeinde", "eingeladen": True},
            {"name": "Grundschule am Park", "kategorie": "schule", "eingeladen": True},
            {"name": "Sparkasse, Filiale Ost", "kategorie": "bank", "eingeladen": False},
        ],
    }}},
    _protocol("2025-03-04", "Bürgerhaus Ost", 27, [
        ("Vorstellung des Modellprojekts und der Arbeitsform TRIAS", "zur Kenntnis genommen"),
        ("Gewinnung von Partnern", "12 Institutionen sagen Mitarbeit zu"),
    ]),
    _event("multiplikatorenveranstaltung", "kommune", "2025-03-04", 27,
           "Institutionen, Vereine und Verbände informiert und als Partner gewonnen."),
    {"command": "advance", "by": "kommune"},
]

PHASE_2: list[dict[str, Any]] = [
    {"command": "submit", "by": KOORDINATION, "subject": "sozialraumprofil", "args": {"data": {
        "stichtag": "2024-12-31",
        "indikatoren": [
            {"bereich": "demografie", "name": "Anteil 65 Jahre und älter", "wert": 27.4,
             "einheit": "%", "referenzwert": 23.1, "quelle": "Einwohnermeldeamt"},
            {"bereich": "demografie", "name": "Anteil unter 18 Jahren", "wert": 15.2,
             "einheit": "%", "referenzwert": 16.8, "quelle": "Einwohnermeldeamt"},
            {"bereich": "soziooekonomie", "name": "SGB-II-Quote", "wert": 11.9, "einheit": "%",
             "referenzwert": 8.7, "quelle": "Bundesagentur für Arbeit"},
            {"bereich": "wohnen", "name": "Einpersonenhaushalte 65+", "wert": 640,
             "einheit": "Haushalte", "quelle": "Sozialplanung"},
        ],
    }}},
    _protocol("2025-04-15", "Treffpunkt am Markt", 14, [
        ("Stadtteilbegehung mit Seniorinnen und Senioren", "Barrieren an drei Querungen"),
    ]),
    _event("workshop", KOORDINATION, "2025-04-15", 14, "Strukturierte Stadtteilbegehung."),
    {"command": "submit", "by": KOORDINATION, "subject": "analysebericht", "args": {"data": {
        "zusammenfassung": "Überdurchschnittlich viele Ältere, wenig barrierefreie Wege, "
                           "aktive Vereine und Kirchengemeinde als Ressource.",
        "qualitative_methoden": ["stadtteilbegehung", "aktivierende_befragung"],
        "staerken": ["Aktives Vereinsleben", "Engagierte Kirchengemeinde"],
        "bedarfe": ["Anlaufstelle im Quartier", "Altersgerechte Wohnangebote",
                    "Barrierefreie Wege"],
        "zielgruppen": ["Ältere Alleinlebende", "Familien mit kleinen Kindern"],
        "empfehlungen": ["Anlaufstelle einrichten", "ZWAR-Gruppe gründen"],
        "rueckmeldung_an_akteure": "2025-05-06",
    }}},
    {"command": "approve", "by": "kommune", "subject": "analysebericht"},
    {"command": "advance", "by": "kommune"},
]

PHASE_3: list[dict[str, Any]] = [
    _protocol("2025-06-12", "Aula der Grundschule am Park", 118, [
        ("Begrüßung und Ergebnisse der Analyse", "vorgestellt"),
        ("Kleingruppen zu Leitfragen", "Sieben Themen gesammelt"),
    ]),
    _event("gruendungsveranstaltung", "kommune", "2025-06-12", 118,
           "Einladung an alle Haushalte; Kleingruppen zu Leitfragen."),
    _protocol("2025-07-03", "Bürgerhaus Ost", 32, [("Zukunftswerkstatt", "Visionen gesammelt")]),
    _event("workshop", KOORDINATION, "2025-07-03", 32,
           "Zukunftswerkstatt: Kritik, Fantasie, Umsetzung."),
    {"command": "submit", "by": KOORDINATION, "subject": "mitgliederliste", "args": {"data": {
        "mitglieder": [
            {"name": "Quartiersverein Schwerte-Ost e.V.", "gruppe": "Vereine"},
            {"name": "Wohnungsgenossenschaft Ruhrblick eG", "gruppe": "Wohnungswirtschaft"},
            {"name": "Ev. Kirchengemeinde Ost", "gruppe": "Kirchengemeinden"},
            {"name": "Stadt (Sozialplanung)", "gruppe": "Kommune"},
            {"name": "Bewohnerinnen und Bewohner (4 Personen)", "gruppe": "Bürgerinnen und Bürger"},
        ],
        "luecken": "Lebensmittelhandel, Kindergärten",
    }}},
    {"command": "submit", "by": KOORDINATION, "subject": "workshopdokumentation", "args": {"data": {
        "methode": "Zukunftswerkstatt", "teilnehmende": 32,
        "kritik": ["Keine Anlaufstelle", "Wenige Begegnungsorte"],
        "visionen": ["Ein Quartier, in dem man alt werden kann", "Nachbarn helfen Nachbarn"],
        "umsetzungsideen": ["Nachbarschaftsstifter ausbilden", "Quartierstreff"],
    }}},
    {"command": "set_participant", "by": "kommune", "subject": VG,
     "args": {"roles": ["verantwortungsgemeinschaft"]}},
    {"command": "submit", "by": VG, "subject": "leitbild", "args": {"data": {
        "text": "Schwerte-Ost ist ein Quartier für alle Generationen, in dem Menschen "
                "selbstbestimmt leben und füreinander da sind.",
        "handlungsfelder": ["Wohnen", "Nachbarschaft", "Begegnung", "Versorgung"],
    }}},
    {"command": "approve", "by": VG, "subject": "leitbild"},
    {"command": "advance", "by": "kommune"},
]

_ZIELE = [
    ("Einrichtung einer Anlaufstelle für Bürgerinnen und Bürger", "handlungsziel", "Versorgung", 1),
    ("Aufbau einer tragenden sozialen Infrastruktur", "leitziel", "Nachbarschaft", 2),
    ("Vorhalten von altersgerechten Wohnangeboten", "mittlerziel", "Wohnen", 2),
    ("Bereitstellung bedarfsgerechter Dienstleistungen", "mittlerziel", "Versorgung", 3),
    ("Gründung einer ZWAR-Gruppe", "handlungsziel", "Begegnung", 4),
]

PHASE_4: list[dict[str, Any]] = [
    {"command": "submit", "by": VG, "subject": "zielkatalog", "args": {"data": {"ziele": [
        {"titel": t, "ebene": e, "handlungsfeld": h, "prioritaet": p, "status": "offen",
         "frist": "2026-12-31"} for t, e, h, p in _ZIELE
    ]}}},
    {"command": "approve", "by": VG, "subject": "zielkatalog"},
    _protocol("2025-09-10", "Bürgerhaus Ost", 41,
              [("Zielkatalog", "Erste Abstimmung ohne Mehrheit")]),
    _event("sozialraumkonferenz", VG, "2025-09-10", 41, "1. Sozialraumkonferenz."),
    {"command": "record_decision", "by": VG, "subject": "zielbeschluss",
     "args": {"date": "2025-09-10", "yes": 4, "no": 5, "text": "Zielkatalog (Entwurf 1)"},
     "note": "Erste Abstimmung scheitert: das Gate meldet 4 Ja, 5 Nein."},
    {"command": "record_decision", "by": VG, "subject": "zielbeschluss",
     "args": {"date": "2025-09-24", "yes": 11, "no": 2, "abstain": 1,
              "text": "Der Zielkatalog wird mit den Prioritäten 1 bis 4 beschlossen."}},
    {"command": "advance", "by": VG},
]

_MASSNAHMEN = [
    ("Anlaufstelle im Quartierstreff", "Einrichtung einer Anlaufstelle", "Freier Träger",
     15400.0, "haushaltsansatz"),
    ("Qualifizierung Nachbarschaftsstifter", "Aufbau einer tragenden sozialen Infrastruktur",
     "Sozialraumkoordination", 4000.0, "sozialraumbudget"),
    ("Gründung einer ZWAR-Gruppe", "Gründung einer ZWAR-Gruppe", "ZWAR-Zentralstelle",
     2500.0, "sozialraumbudget"),
    ("Öffentlichkeitsarbeit und Quartierszeitung", "Aufbau einer tragenden sozialen Infrastruktur",
     "Sozialraumkoordination", 3500.0, "sozialraumbudget"),
]

PHASE_5: list[dict[str, Any]] = [
    {"command": "submit", "by": KOORDINATION, "subject": "massnahmenplan", "args": {"data": {
        "massnahmen": [
            {"titel": t, "ziel": z, "verantwortlich": v, "beginn": "2026-01-01",
             "ende": "2026-12-31", "kosten": k, "finanzierung": f, "status": "geplant"}
            for t, z, v, k, f in _MASSNAHMEN
        ],
    }}},
    {"command": "approve", "by": VG, "subject": "massnahmenplan"},
    {"command": "record_decision", "by": VG, "subject": "massnahmenbeschluss",
     "args": {"date": "2025-10-22", "yes": 13, "no": 0, "abstain": 1,
              "text": "Der Maßnahmenplan 2026 wird beschlossen."}},
    {"command": "submit", "by": "kommune", "subject": "kooperationsvereinbarung", "args": {"data": {
        "vereinbarungen": [
            {"partner": ["ZWAR-Zentralstelle", "Stadt Schwerte"],
             "gegenstand": "Gründung und Begleitung von ZWAR-Gruppen", "unterzeichnet": True,
             "datum": "2025-11-03"},
            {"partner": ["Freier Träger", "Stadt Schwerte"],
             "gegenstand": "Umsetzung von TRIAS (20 % Stellenanteil)", "unterzeichnet": True,
             "datum": "2025-11-05"},
        ],
    }}},
    {"command": "submit", "by": "kommune", "subject": "haushaltsansatz", "args": {"data": {
        "haushaltsjahr": 2026,
        "positionen": [
            {"bezeichnung": "Personal- und Sachkosten des freien Trägers", "betrag": 15400.0},
            {"bezeichnung": "Sozialraumbudget", "betrag": 10000.0},
            {"bezeichnung": "Räumliche Planung und Entwicklung", "betrag": 20400.0,
             "produkt": "Produkt 61"},
            {"bezeichnung": "Sozialraumbudget", "betrag": 5000.0,
             "deckung": "gedeckt über den bestehenden Haushaltsansatz"},
        ],
        "verwendung_sozialraumbudget": ["oeffentlichkeitsarbeit", "qualifizierungen",
                                        "kleinere_projekte", "initiativen"],
    }}},
    {"command": "record_decision", "by": RAT, "subject": "haushaltsbeschluss",
     "args": {"date": "2025-12-11", "yes": 29, "no": 6, "abstain": 3,
              "text": "Der Haushaltsansatz 2026 wird eingestellt."}},
    {"command": "advance", "by": VG},
]

PHASE_6: list[dict[str, Any]] = [
    _protocol("2026-03-18", "Quartierstreff", 36, [("Start der Anlaufstelle", "eröffnet")]),
    _event("sozialraumkonferenz", VG, "2026-03-18", 36, "Frühjahrskonferenz."),
    {"command": "submit", "by": KOORDINATION, "subject": "statusbericht", "args": {"data": {
        "stichtag": "2026-09-30",
        "massnahmen": [
            {"titel": "Anlaufstelle im Quartierstreff", "ampel": "gruen", "fortschritt": 80},
            {"titel": "Qualifizierung Nachbarschaftsstifter", "ampel": "gruen", "fortschritt": 100},
            {"titel": "Gründung einer ZWAR-Gruppe", "ampel": "gelb", "fortschritt": 50,
             "abweichungen": "Gründungsveranstaltung auf Oktober verschoben"},
        ],
    }}},
    _protocol("2026-10-07", "Quartierstreff", 44, [("Statusbericht", "beraten")]),
    _event("sozialraumkonferenz", VG, "2026-10-07", 44, "Herbstkonferenz."),
    {"command": "submit", "by": KOORDINATION, "subject": "jahresbericht", "args": {"data": {
        "berichtsjahr": 2026,
        "erkenntnis": "Die Anlaufstelle wird angenommen; Ältere nutzen sie am meisten.",
        "konsequenzen": "Öffnungszeiten ausweiten, ZWAR-Gründung nachholen.",
        "projekte": [
            {"projekt": "Anlaufstelle", "ziel": "Anlaufstelle einrichten",
             "ergebnis": "Eröffnet, 35 Kontakte pro Woche", "zielerreichung": "erreicht",
             "kosten_plan": 15400.0, "kosten_ist": 14980.5, "empfehlung": "fortsetzen"},
            {"projekt": "ZWAR-Gruppe", "ziel": "Gruppe gründen", "ergebnis": "Vorbereitet",
             "zielerreichung": "teilweise", "kosten_plan": 2500.0, "kosten_ist": 900.0,
             "empfehlung": "anpassen"},
        ],
        "fuenfjahresziele": {"verantwortungsgemeinschaft": True, "zwar_netzwerk": False,
                             "nachbarschaftsstifter": True},
    }}},
    {"command": "approve", "by": VG, "subject": "jahresbericht"},
    {"command": "record_decision", "by": RAT, "subject": "jahresbeschluss",
     "args": {"date": "2026-11-26", "yes": 33, "no": 0, "abstain": 2,
              "text": "Der Jahresbericht wird zur Kenntnis genommen; Fortschreibung beschlossen."}},
    {"command": "advance", "by": VG},
]

#: Phase id and steps, in the order of the first cycle.
PHASES: list[tuple[str, list[dict[str, Any]]]] = [
    ("identifizieren", PHASE_1),
    ("analysieren", PHASE_2),
    ("visionen_entwickeln", PHASE_3),
    ("ziele_festlegen", PHASE_4),
    ("massnahmen_planen", PHASE_5),
    ("umsetzung_sichern", PHASE_6),
]

#: Cycle 2, analysis: the profile is confirmed, the report renewed and approved.
CYCLE_TWO: list[dict[str, Any]] = [
    {"command": "confirm", "by": KOORDINATION, "subject": "sozialraumprofil"},
    {"command": "submit", "by": KOORDINATION, "subject": "analysebericht", "args": {"data": {
        "zusammenfassung": "Fortschreibung 2027: Anlaufstelle wirkt, Wohnangebote fehlen weiter.",
        "qualitative_methoden": ["beratungsdaten"],
        "staerken": ["Anlaufstelle", "Nachbarschaftsstifter"],
        "bedarfe": ["Altersgerechte Wohnangebote"],
    }}},
    {"command": "approve", "by": "kommune", "subject": "analysebericht"},
]
