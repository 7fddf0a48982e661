"""Computing a decision's result from its rule, its quorum and the votes."""

from __future__ import annotations

import math
from decimal import Decimal
from functools import lru_cache

from sozialraumprozess.definition.model import DecisionType
from sozialraumprozess.i18n import Lang, Message, msg, plural
from sozialraumprozess.runtime.records import DecisionResult

__all__ = ["compute_result", "required_quorum", "vote_summary", "votes"]


def required_quorum(decision: DecisionType, seats: int | None) -> int | None:
    """The quorum as a number: ``quorum``, or ``quorum_share`` of ``seats`` rounded up.

    With both, the larger one counts. A share without seats counts as no share.
    """
    quorum = decision.quorum
    share = decision.quorum_share
    if share is None or not seats:
        return quorum
    percent = Decimal(share.rstrip("%").strip().replace(",", "."))
    needed = math.ceil(percent * seats / 100)
    return needed if quorum is None else max(quorum, needed)


def votes(yes: int, no: int, abstain: int) -> Message:
    """``4 Ja, 5 Nein`` (plus ``, 1 Enthaltung`` / ``, 2 Enthaltungen`` when there are any)."""
    if abstain:
        return msg(
            "runtime.votes-abstain", yes=yes, no=no, abstain=plural("runtime.abstentions", abstain)
        )
    return msg("runtime.votes", yes=yes, no=no)


def vote_summary(yes: int, no: int, abstain: int, lang: Lang = "de") -> str:
    """:func:`votes` worded in ``lang``.

    Raises:
        ValueError: ``lang`` has no catalog.
    """
    return votes(yes, no, abstain).text(lang)


def compute_result(
    decision: DecisionType,
    *,
    yes: int | None,
    no: int | None,
    abstain: int | None,
    consensus: bool | None,
    present: int | None,
    seats: int | None = None,
) -> DecisionResult:
    """The outcome of a decision under its rule and quorum.

    * ``majority``: more yes than no votes;
    * ``two_thirds``: yes votes are at least two thirds of yes + no (and at least one);
    * ``unanimous``: at least one yes and no no votes (abstentions allowed);
    * ``consensus``: recorded as reached or not, without votes;
    * ``taking_note`` (Kenntnisnahme): the body took note, without a vote (``noted``).

    ``seats`` (the body's members) turns a ``quorum_share`` into a number
    (:func:`required_quorum`). The quorum counts votes cast (yes + no + abstain)
    or, for consensus and taking note, members present. The caller has validated
    that the right inputs are given.

    Results are immutable values that depend only on the rule, the quorum and the
    votes; equal inputs get the same (cached) :class:`DecisionResult` object.
    """
    quorum = decision.quorum if decision.quorum_share is None else required_quorum(decision, seats)
    try:
        return _cached_result(decision.rule, quorum, yes, no, abstain, consensus, present)
    except TypeError:  # unhashable votes from a bad log: compute (and fail) uncached
        return _result(decision.rule, quorum, yes, no, abstain, consensus, present)


def _result(
    rule: str,
    quorum: int | None,
    yes: int | None,
    no: int | None,
    abstain: int | None,
    consensus: bool | None,
    present: int | None,
) -> DecisionResult:
    if rule == "taking_note":
        count = present or 0
        if quorum is not None and count < quorum:
            return DecisionResult(
                False, "no-quorum", msg("runtime.no-quorum-present", quorum=quorum, counted=count)
            )
        return DecisionResult(True, "noted", msg("time.noted"))
    if rule == "consensus":
        count = present or 0
        if quorum is not None and count < quorum:
            return DecisionResult(
                False, "no-quorum", msg("runtime.no-quorum-present", quorum=quorum, counted=count)
            )
        if consensus:
            return DecisionResult(True, "passed", msg("runtime.passed-consensus"))
        return DecisionResult(False, "no-consensus", msg("runtime.no-consensus"))
    y, n, a = yes or 0, no or 0, abstain or 0
    cast = y + n + a
    if quorum is not None and cast < quorum:
        return DecisionResult(
            False, "no-quorum", msg("runtime.no-quorum-votes", quorum=quorum, counted=cast)
        )
    if rule == "majority":
        passed = y > n
    elif rule == "two_thirds":
        passed = y > 0 and 3 * y >= 2 * (y + n)
    else:  # unanimous
        passed = y > 0 and n == 0
    summary = votes(y, n, a)
    if passed:
        return DecisionResult(True, "passed", msg("runtime.passed", votes=summary))
    return DecisionResult(False, "rejected", summary)


_cached_result = lru_cache(maxsize=4096, typed=True)(_result)
