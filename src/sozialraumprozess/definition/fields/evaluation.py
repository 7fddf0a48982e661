"""Field type ``evaluation`` (format v2): a measure's evaluation at the cycle's end.

One record ``{decision, reasons, date, indicators}``: ``decision`` is
``fortsetzen`` (continue), ``anpassen`` (adapt) or ``beenden`` (stop); ``reasons``
says why; ``indicators`` lists the indicator movement observed
(``[{indicator, change, note}]``, ``change`` in the indicator's unit, signed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sozialraumprozess.definition.fields._base import Reference, TitleOf, is_mapping
from sozialraumprozess.definition.fields._format import EMPTY, format_number
from sozialraumprozess.definition.fields._records import RecordType, label_of
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.i18n import Lang, msg

__all__ = ["DECISIONS", "EvaluationType"]

#: The decisions an evaluation takes on a measure.
DECISIONS = ("fortsetzen", "anpassen", "beenden")


class EvaluationType(RecordType):
    """``type: evaluation``: ``{decision, reasons, date, indicators}``."""

    name = "evaluation"

    def record(self) -> tuple[FieldSpec, ...]:
        labels = (
            label_of(msg("chain.decision-fortsetzen")),
            label_of(msg("chain.decision-anpassen")),
            label_of(msg("chain.decision-beenden")),
        )
        movement = FieldSpec(
            "object",
            "movement",
            fields=(
                FieldSpec(
                    "text", "indicator", title=label_of(msg("chain.key-indicator")), required=True
                ),
                FieldSpec("number", "change", title=label_of(msg("chain.key-change"))),
                FieldSpec("text", "note", title=label_of(msg("chain.key-note"))),
            ),
        )
        return (
            FieldSpec(
                "choice",
                "decision",
                title=label_of(msg("chain.key-decision")),
                required=True,
                choices=DECISIONS,
                choice_labels=labels,
            ),
            FieldSpec("text", "reasons", title=label_of(msg("chain.key-reasons")), required=True),
            FieldSpec("date", "date", title=label_of(msg("chain.key-date"))),
            FieldSpec(
                "list",
                "indicators",
                title=label_of(msg("chain.key-movement")),
                items=movement,
            ),
        )

    def can_refer(self, spec: FieldSpec) -> bool:
        return True

    def display(
        self,
        value: Any,
        lang: Lang = "de",
        spec: FieldSpec | None = None,
        title_of: TitleOf | None = None,
    ) -> str:
        """Like :meth:`format`, the indicator movement as *Kontakte der Anlaufstelle
        +35* (each indicator by its label where the run names it)."""
        if not is_mapping(value) or not isinstance(value.get("indicators"), list):
            return self.format(value, lang, spec)
        text = self.format({**value, "indicators": []}, lang, spec)
        moved = [_moved(e, lang, title_of) for e in value["indicators"] if is_mapping(e)]
        if not moved:
            return text
        head = f"{msg('chain.key-movement').text(lang)}: {', '.join(moved)}"
        return head if text == EMPTY else f"{text}; {head}"

    def references(self, spec: FieldSpec, value: Any, path: str) -> list[Reference]:
        """The indicators observed, as references of kind ``indicator``."""
        return indicator_refs(value, path)


def _moved(entry: Mapping[str, Any], lang: Lang, title_of: TitleOf | None) -> str:
    """``Label +35 (note)`` of one observed indicator movement."""
    ident = entry.get("indicator")
    name = str(ident)
    if isinstance(ident, str) and title_of is not None:
        name = title_of("indicator", ident) or ident
    change = entry.get("change")
    if isinstance(change, int | float) and not isinstance(change, bool):
        name += f" {'+' if change > 0 else ''}{format_number(change, lang)}"
    note = entry.get("note")
    return f"{name} ({note})" if isinstance(note, str) and note.strip() else name


def indicator_refs(value: Any, path: str) -> list[Reference]:
    """``indicators[i].indicator`` of a record, as references of kind ``indicator``."""
    if not isinstance(value, dict) or not isinstance(value.get("indicators"), list):
        return []
    return [
        Reference(f"{path}.indicators[{index}].indicator", "indicator", entry["indicator"])
        for index, entry in enumerate(value["indicators"])
        if isinstance(entry, dict) and isinstance(entry.get("indicator"), str)
    ]
