"""The fixed texts of the bundled templates, as catalog messages (codes ``doc.…``).

Texts with placeholders (``invitation_when``: "Sie findet am {day} statt.") keep
them literally; a template fills them with ``replace``.

One template serves every language: it prints ``{{ t.agenda }}`` and the
renderer passes :func:`texts` of the requested language as ``t`` (the message
``doc.agenda`` worded from the catalogs). Field titles
come from the workflow (``Label.get(lang)``); choice values (``handlungsziel``)
are shown through :func:`choice_label`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from sozialraumprozess.i18n import Lang, Message, msg

__all__ = ["TEXTS", "choice_label", "is_year", "outcome_label", "texts", "via_label"]

#: The fixed texts of the templates: ``key`` (as in ``t.key``) → message.
TEXTS: dict[str, Message] = {
    "abstain": msg("doc.abstain"),
    "agenda": msg("doc.agenda"),
    "agenda_follows": msg("doc.agenda-follows"),
    "agenda_item": msg("doc.agenda-item"),
    "annual_report": msg("doc.annual-report"),
    "approval": msg("doc.approval"),
    "approved": msg("doc.approved"),
    "approved_column": msg("doc.approved-column"),
    "approved_by": msg("doc.approved-by"),
    "artifact": msg("doc.artifact"),
    "item": msg("doc.item"),
    "item_state": msg("doc.item-state"),
    "attendance": msg("doc.attendance"),
    "body": msg("doc.body"),
    "criterion": msg("doc.criterion"),
    "cycle": msg("doc.cycle"),
    "date": msg("doc.date"),
    "decision": msg("doc.decision"),
    "decisions": msg("doc.decisions"),
    "description": msg("doc.description"),
    "discussion": msg("doc.discussion"),
    "documents": msg("doc.documents"),
    "entered": msg("doc.entered"),
    "event": msg("doc.event"),
    "events": msg("doc.events"),
    "exit_criteria": msg("doc.exit-criteria"),
    "field": msg("doc.field"),
    "five_year_goals": msg("doc.five-year-goals"),
    "public": msg("doc.public"),
    "internal": msg("doc.internal"),
    "footer_generated": msg("doc.footer-generated"),
    "footer_state": msg("doc.footer-state"),
    "footer_template": msg("doc.footer-template"),
    "goal": msg("doc.goal"),
    "invitation": msg("doc.invitation"),
    "invitation_text": msg("doc.invitation-text"),
    "left": msg("doc.left"),
    "met": msg("doc.met"),
    "minutes": msg("doc.minutes"),
    "minute_taker": msg("doc.minute-taker"),
    "chair": msg("doc.chair"),
    "no": msg("doc.no"),
    "no_decisions": msg("doc.no-decisions"),
    "what": msg("doc.what"),
    "who": msg("doc.who"),
    "until": msg("doc.until"),
    "period": msg("doc.period"),
    "deviation": msg("doc.deviation"),
    "key_figures": msg("doc.key-figures"),
    "projects": msg("doc.projects"),
    "goals_achieved": msg("doc.goals-achieved"),
    "costs_plan": msg("doc.costs-plan"),
    "costs_actual": msg("doc.costs-actual"),
    "events_year": msg("doc.events-year"),
    "participants_year": msg("doc.participants-year"),
    "count": msg("doc.count"),
    "via": msg("doc.via"),
    "strands": msg("doc.strands"),
    "strand": msg("doc.strand"),
    "strand_state": msg("doc.strand-state"),
    "strand_responsible": msg("doc.strand-responsible"),
    "strand_done": msg("doc.strand-done"),
    "strand_open": msg("doc.strand-open"),
    "strand_optional": msg("doc.strand-optional"),
    "after_skip": msg("doc.after-skip"),
    "current": msg("doc.current"),
    "none": msg("doc.none"),
    "not_met": msg("doc.not-met"),
    "organizer": msg("doc.organizer"),
    "outcome": msg("doc.outcome"),
    "participants": msg("doc.participants"),
    "participants_count": msg("doc.participants-count"),
    "phase": msg("doc.phase"),
    "phase_report": msg("doc.phase-report"),
    "phases": msg("doc.phases"),
    "place": msg("doc.place"),
    "time": msg("doc.time-start"),
    "sender": msg("doc.time-sender"),
    "invited": msg("doc.time-invited"),
    "amount": msg("doc.time-amount"),
    "process_report": msg("doc.process-report"),
    "reference": msg("doc.reference"),
    "result": msg("doc.result"),
    "roles": msg("doc.roles"),
    "rsvp": msg("doc.rsvp"),
    "salutation": msg("doc.salutation"),
    "sozialraum": msg("doc.sozialraum"),
    "state": msg("doc.state"),
    "status": msg("doc.status"),
    "submitted_by": msg("doc.submitted-by"),
    "sum": msg("doc.sum"),
    "tasks": msg("doc.tasks"),
    "timeline": msg("doc.timeline"),
    "title": msg("doc.title"),
    "value": msg("doc.value"),
    "version": msg("doc.version"),
    "vote": msg("doc.vote"),
    "workflow": msg("doc.workflow"),
    "yes": msg("doc.yes"),
    # invitations as offices send them, lists, further fields (doc-german)
    "invitation_lead": msg("doc.invitation-lead"),
    "invitation_when": msg("doc.invitation-when", day="{day}"),
    "invitation_when_time": msg(
        "doc.invitation-when-time", day="{day}", start="{start}", end="{end}"
    ),
    "invitation_when_start": msg("doc.invitation-when-start", day="{day}", start="{start}"),
    "invitation_when_span": msg("doc.invitation-when-span", day="{day}", last="{last}"),
    "invitation_where": msg("doc.invitation-where"),
    "invitation_reply": msg("doc.invitation-reply"),
    "invitation_reply_by": msg("doc.invitation-reply-by", day="{day}"),
    "invitation_closing": msg("doc.invitation-closing"),
    "invitation_contact": msg("doc.invitation-contact", contact="{contact}"),
    "invitation_note": msg("doc.invitation-note"),
    "time_range": msg("doc.time-range", start="{start}", end="{end}"),
    "time_from": msg("doc.time-from", start="{start}"),
    "clock": msg("doc.clock"),
    "reply_by": msg("doc.reply-by"),
    "contact": msg("doc.contact"),
    "further_fields": msg("doc.further-fields"),
    "percentage_points": msg("doc.percentage-points"),
    "recorded_by": msg("doc.recorded-by"),
}

#: How a phase was entered (``PhaseVisit.via``), as people read it.
VIAS: dict[str, Message] = {
    "start": msg("doc.via-start"),
    "advance": msg("doc.via-advance"),
    "transition": msg("doc.via-transition"),
    "skip": msg("doc.via-skip"),
    "cycle": msg("doc.via-cycle"),
    "migration": msg("doc.via-migration"),
}

#: Display names of the choice values used in the bundled workflows.
CHOICES: dict[str, Message] = {
    "administrativ": msg("doc.choice-administrativ"),
    "lebensweltlich": msg("doc.choice-lebensweltlich"),
    "schulbezirk": msg("doc.choice-schulbezirk"),
    "wohnquartier": msg("doc.choice-wohnquartier"),
    "demografie": msg("doc.choice-demografie"),
    "soziooekonomie": msg("doc.choice-soziooekonomie"),
    "bildung": msg("doc.choice-bildung"),
    "wohnen": msg("doc.choice-wohnen"),
    "infrastruktur": msg("doc.choice-infrastruktur"),
    "leitziel": msg("doc.choice-leitziel"),
    "mittlerziel": msg("doc.choice-mittlerziel"),
    "handlungsziel": msg("doc.choice-handlungsziel"),
    "offen": msg("doc.choice-offen"),
    "begonnen": msg("doc.choice-begonnen"),
    "erreicht": msg("doc.choice-erreicht"),
    "teilweise": msg("doc.choice-teilweise"),
    "nicht_erreicht": msg("doc.choice-nicht-erreicht"),
    "geplant": msg("doc.choice-geplant"),
    "laufend": msg("doc.choice-laufend"),
    "abgeschlossen": msg("doc.choice-abgeschlossen"),
    "gestoppt": msg("doc.choice-gestoppt"),
    "sozialraumbudget": msg("doc.choice-sozialraumbudget"),
    "haushaltsansatz": msg("doc.choice-haushaltsansatz"),
    "verfuegungsfonds": msg("doc.choice-verfuegungsfonds"),
    "drittmittel": msg("doc.choice-drittmittel"),
    "eigenleistung": msg("doc.choice-eigenleistung"),
    "gruen": msg("doc.choice-gruen"),
    "gelb": msg("doc.choice-gelb"),
    "rot": msg("doc.choice-rot"),
    "fortsetzen": msg("doc.choice-fortsetzen"),
    "anpassen": msg("doc.choice-anpassen"),
    "beenden": msg("doc.choice-beenden"),
    "oeffentlichkeitsarbeit": msg("doc.choice-oeffentlichkeitsarbeit"),
    "qualifizierungen": msg("doc.choice-qualifizierungen"),
    "kleinere_projekte": msg("doc.choice-kleinere-projekte"),
    "initiativen": msg("doc.choice-initiativen"),
    "stadtteilbegehung": msg("doc.choice-stadtteilbegehung"),
    "aktivierende_befragung": msg("doc.choice-aktivierende-befragung"),
    "nadelmethode": msg("doc.choice-nadelmethode"),
    "beratungsdaten": msg("doc.choice-beratungsdaten"),
    "experteninterviews": msg("doc.choice-experteninterviews"),
    # choice values of the bundled format-v2 workflows without labels of their own
    "halbjaehrlich": msg("doc.choice-halbjaehrlich"),
    "jaehrlich": msg("doc.choice-jaehrlich"),
    "erziehungsberatung": msg("doc.choice-erziehungsberatung"),
    "schuldnerberatung": msg("doc.choice-schuldnerberatung"),
    "schwangerschaftsberatung": msg("doc.choice-schwangerschaftsberatung"),
    "suchtberatung": msg("doc.choice-suchtberatung"),
    "ehe_familien_lebensberatung": msg("doc.choice-ehe-familien-lebensberatung"),
    "integrierte_beratung": msg("doc.choice-integrierte-beratung"),
    "verein": msg("doc.choice-verein"),
    "buergerschaft": msg("doc.choice-buergerschaft"),
    "verband": msg("doc.choice-verband"),
    "kommune": msg("doc.choice-kommune"),
    "wohnungswirtschaft": msg("doc.choice-wohnungswirtschaft"),
    "gewerbe": msg("doc.choice-gewerbe"),
    "soziale_dienste": msg("doc.choice-soziale-dienste"),
    "initiative": msg("doc.choice-initiative"),
    "lebensmittelhandel": msg("doc.choice-lebensmittelhandel"),
    "bank": msg("doc.choice-bank"),
    "schule": msg("doc.choice-schule"),
    "kita": msg("doc.choice-kita"),
    "kirchengemeinde": msg("doc.choice-kirchengemeinde"),
}

#: Outcome of a decision by result code.
OUTCOMES: dict[str, Message] = {
    "unanimous": msg("doc.outcome-unanimous"),
    "majority": msg("doc.outcome-majority"),
    "rejected": msg("doc.outcome-rejected"),
    "consensus": msg("doc.outcome-consensus"),
    "no-consensus": msg("doc.outcome-no-consensus"),
    "no-quorum": msg("doc.outcome-no-quorum"),
    "noted": msg("doc.outcome-noted"),  # taking note (Kenntnisnahme, format v2)
}


def via_label(via: str, lang: Lang = "de", transitions: Mapping[str, Any] | None = None) -> str:
    """How a phase was entered, as people read it: ``advance`` → *nach Abschluss der
    vorigen Phase*; a transition id → the transition's title (``transitions``:
    id → :class:`~sozialraumprozess.definition.model.Label` or ``None``)."""
    message = VIAS.get(via)
    if message is not None:
        return message.text(lang)
    label = (transitions or {}).get(via)
    if label is not None:
        return str(label.get(lang))
    return msg("doc.via-transition").text(lang)


def is_year(spec: Any) -> bool:
    """True for an integer field that holds a year: bounded to four digits
    (``min >= 1000``, ``max <= 9999``) or named ``…jahr``/``…year``.

    Years print without a thousands separator (``2007``, never ``2.007``).
    """
    if getattr(spec, "type", None) != "integer":
        return False
    low, high = getattr(spec, "min", None), getattr(spec, "max", None)
    if low is not None and high is not None and low >= 1000 and high <= 9999:
        return True
    name = str(getattr(spec, "name", "")).lower()
    return name.endswith(("jahr", "year"))


@lru_cache(maxsize=8)
def texts(lang: Lang = "de") -> MappingProxyType[str, str]:
    """The fixed texts in ``lang`` as a read-only mapping (``t`` in templates).

    Worded from the catalogs once per language (templates read ``t`` often).

    Raises:
        ValueError: ``lang`` has no catalog.
    """
    return MappingProxyType({key: message.text(lang) for key, message in TEXTS.items()})


def choice_label(value: str, lang: Lang = "de") -> str:
    """Display name of a choice value; unknown values with ``_`` shown as words."""
    message = CHOICES.get(value)
    if message is not None:
        return message.text(lang)
    return value.replace("_", " ")


def outcome_label(result_code: str, yes: Any, no: Any, lang: Lang = "de") -> str:
    """``einstimmig angenommen``, ``mehrheitlich angenommen``, ``abgelehnt`` …

    Args:
        result_code: ``DecisionResult.code`` (``passed``, ``rejected``, …).
        yes: Yes votes (``None`` for consensus decisions).
        no: No votes.
        lang: ``de`` or ``en``.
    """
    if result_code == "noted":
        return OUTCOMES["noted"].text(lang)
    if result_code == "passed":
        if yes is None:
            key = "consensus"
        elif not no:
            key = "unanimous"
        else:
            key = "majority"
    else:
        key = result_code if result_code in OUTCOMES else "rejected"
    return OUTCOMES[key].text(lang)
