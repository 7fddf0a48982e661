"""Human descriptions of definition parts: criteria, durations (German and English)."""

from __future__ import annotations

from sozialraumprozess.definition.dates import duration_parts
from sozialraumprozess.definition.kinds import gate_kind
from sozialraumprozess.definition.model import Criterion, Workflow
from sozialraumprozess.i18n import Lang, check_lang

__all__ = ["describe_criterion", "describe_duration", "parse_duration"]


def parse_duration(text: str) -> tuple[int, int, int, int]:
    """``P1Y6M`` (or ``1 Jahr 6 Monate``) → ``(years, months, weeks, days)`` = ``(1, 6, 0, 0)``.

    Raises:
        ValueError: ``text`` is neither a date-only ISO 8601 duration nor a German one.
    """
    return duration_parts(text)


_UNITS = {
    "de": (("Jahr", "Jahre"), ("Monat", "Monate"), ("Woche", "Wochen"), ("Tag", "Tage")),
    "en": (("year", "years"), ("month", "months"), ("week", "weeks"), ("day", "days")),
}


def describe_duration(text: str, lang: Lang = "de") -> str:
    """``P2M`` → ``2 Monate`` / ``2 months``; ``P1Y6M`` → ``1 Jahr 6 Monate``."""
    parts = []
    for amount, (one, many) in zip(
        parse_duration(text), _UNITS["en" if lang == "en" else "de"], strict=True
    ):
        if amount:
            parts.append(f"{amount} {one if amount == 1 else many}")
    return " ".join(parts)


def describe_criterion(workflow: Workflow, criterion: Criterion, lang: Lang = "de") -> str:
    """One line saying what the criterion demands, e.g. ``Freigabe: Zielkatalog (durch …)``.

    The criterion's gate kind words it (:meth:`GateKind.description
    <sozialraumprozess.definition.kinds.GateKind.description>`).
    """
    return gate_kind(criterion.kind).description(workflow, criterion).text(check_lang(lang))
