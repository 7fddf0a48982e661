"""Computing a decision's result from its rule, its quorum and the votes."""

from __future__ import annotations

from functools import lru_cache

from sozialraumprozess.definition.model import DecisionType
from sozialraumprozess.runtime.records import DecisionResult

__all__ = ["compute_result", "vote_summary"]


def vote_summary(yes: int, no: int, abstain: int, lang: str = "de") -> str:
    """``4 Ja, 5 Nein`` (plus ``, 1 Enthaltung(en)`` when there are abstentions)."""
    if lang == "en":
        text = f"{yes} yes, {no} no"
        if abstain:
            text += f", {abstain} abstention{'' if abstain == 1 else 's'}"
        return text
    text = f"{yes} Ja, {no} Nein"
    if abstain:
        text += f", {abstain} Enthaltung{'' if abstain == 1 else 'en'}"
    return text


def compute_result(
    decision: DecisionType,
    *,
    yes: int | None,
    no: int | None,
    abstain: int | None,
    consensus: bool | None,
    present: int | None,
) -> DecisionResult:
    """The outcome of a decision under its rule and quorum.

    * ``majority``: more yes than no votes;
    * ``two_thirds``: yes votes are at least two thirds of yes + no (and at least one);
    * ``unanimous``: at least one yes and no no votes (abstentions allowed);
    * ``consensus``: recorded as reached or not, without votes.

    The quorum counts votes cast (yes + no + abstain) or, for consensus, members
    present. The caller has validated that the right inputs are given.

    Results are immutable values that depend only on the rule, the quorum and the
    votes; equal inputs get the same (cached) :class:`DecisionResult` object.
    """
    try:
        return _cached_result(decision.rule, decision.quorum, yes, no, abstain, consensus, present)
    except TypeError:  # unhashable votes from a bad log: compute (and fail) uncached
        return _result(decision.rule, decision.quorum, yes, no, abstain, consensus, present)


def _result(
    rule: str,
    quorum: int | None,
    yes: int | None,
    no: int | None,
    abstain: int | None,
    consensus: bool | None,
    present: int | None,
) -> DecisionResult:
    if rule == "consensus":
        count = present or 0
        if quorum is not None and count < quorum:
            return _no_quorum(quorum, count, "Anwesende", "present")
        if consensus:
            return DecisionResult(True, "passed", "im Konsens angenommen", "passed by consensus")
        return DecisionResult(False, "no-consensus", "kein Konsens", "no consensus")
    y, n, a = yes or 0, no or 0, abstain or 0
    cast = y + n + a
    if quorum is not None and cast < quorum:
        return _no_quorum(quorum, cast, "Stimmen", "votes")
    if rule == "majority":
        passed = y > n
    elif rule == "two_thirds":
        passed = y > 0 and 3 * y >= 2 * (y + n)
    else:  # unanimous
        passed = y > 0 and n == 0
    de, en = vote_summary(y, n, a, "de"), vote_summary(y, n, a, "en")
    if passed:
        return DecisionResult(True, "passed", f"angenommen: {de}", f"passed: {en}")
    return DecisionResult(False, "rejected", de, en)


_cached_result = lru_cache(maxsize=4096, typed=True)(_result)


def _no_quorum(quorum: int, count: int, noun_de: str, noun_en: str) -> DecisionResult:
    return DecisionResult(
        False,
        "no-quorum",
        f"Quorum von {quorum} nicht erreicht ({count} {noun_de})",
        f"quorum of {quorum} not reached ({count} {noun_en})",
    )
