"""The decision rules at their boundaries: two thirds, unanimity, consensus with quorum."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import pytest

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.decisions import compute_result, vote_summary
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import DecisionResult


def _result(
    workflow: Workflow,
    rule: str,
    quorum: int | None = None,
    *,
    yes: int | None = None,
    no: int | None = None,
    abstain: int | None = None,
    consensus: bool | None = None,
    present: int | None = None,
) -> DecisionResult:
    spec = attrs.evolve(workflow.decision("auftragsbeschluss"), rule=rule, quorum=quorum)
    return compute_result(
        spec, yes=yes, no=no, abstain=abstain, consensus=consensus, present=present
    )


@pytest.mark.parametrize(
    ("yes", "no", "abstain", "passed", "de", "en"),
    [
        (2, 1, 0, True, "angenommen: 2 Ja, 1 Nein", "passed: 2 yes, 1 no"),  # exactly 2/3
        (6, 3, 0, True, "angenommen: 6 Ja, 3 Nein", "passed: 6 yes, 3 no"),  # exactly 2/3
        (5, 3, 0, False, "5 Ja, 3 Nein", "5 yes, 3 no"),  # one short of 2/3 of 8 (6)
        (1, 1, 0, False, "1 Ja, 1 Nein", "1 yes, 1 no"),
        # abstentions do not count against: 2 of 3 cast votes, 2/3 of yes + no
        (
            2,
            1,
            5,
            True,
            "angenommen: 2 Ja, 1 Nein, 5 Enthaltungen",
            "passed: 2 yes, 1 no, 5 abstentions",
        ),
        (4, 3, 1, False, "4 Ja, 3 Nein, 1 Enthaltung", "4 yes, 3 no, 1 abstention"),
        (0, 0, 3, False, "0 Ja, 0 Nein, 3 Enthaltungen", "0 yes, 0 no, 3 abstentions"),
    ],
)
def test_two_thirds(
    workflow: Workflow, yes: int, no: int, abstain: int, passed: bool, de: str, en: str
) -> None:
    result = _result(workflow, "two_thirds", yes=yes, no=no, abstain=abstain)
    assert result.passed is passed
    assert result.code == ("passed" if passed else "rejected")
    assert (result.message("de"), result.message("en")) == (de, en)
    assert (result.message_de, result.message_en) == (de, en)


@pytest.mark.parametrize(
    ("yes", "no", "abstain", "passed"),
    [(5, 0, 0, True), (5, 0, 3, True), (5, 1, 0, False), (0, 0, 4, False), (1, 0, 0, True)],
)
def test_unanimous(workflow: Workflow, yes: int, no: int, abstain: int, passed: bool) -> None:
    result = _result(workflow, "unanimous", yes=yes, no=no, abstain=abstain)
    assert result.passed is passed
    assert result.code == ("passed" if passed else "rejected")


def test_vote_quorum_counts_abstentions(workflow: Workflow) -> None:
    short = _result(workflow, "unanimous", 5, yes=3, no=0, abstain=1)
    assert (short.passed, short.code) == (False, "no-quorum")
    assert short.message("de") == "Quorum von 5 nicht erreicht (4 Stimmen)"
    assert short.message("en") == "quorum of 5 not reached (4 votes)"
    assert _result(workflow, "unanimous", 5, yes=4, no=0, abstain=1).passed


def test_consensus_with_quorum(workflow: Workflow) -> None:
    reached = _result(workflow, "consensus", 8, consensus=True, present=8)
    assert (reached.passed, reached.code, reached.message("de"), reached.message("en")) == (
        True,
        "passed",
        "im Konsens angenommen",
        "passed by consensus",
    )
    short = _result(workflow, "consensus", 8, consensus=True, present=7)
    assert (short.passed, short.code) == (False, "no-quorum")
    assert short.message("de") == "Quorum von 8 nicht erreicht (7 Anwesende)"
    assert short.message("en") == "quorum of 8 not reached (7 present)"
    unknown = _result(workflow, "consensus", 8, consensus=True, present=None)
    assert unknown.message("en") == "quorum of 8 not reached (0 present)"


def test_failed_consensus(workflow: Workflow) -> None:
    failed = _result(workflow, "consensus", 3, consensus=False, present=10)
    assert (failed.passed, failed.code, failed.message("de"), failed.message("en")) == (
        False,
        "no-consensus",
        "kein Konsens",
        "no consensus",
    )
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        failed.message("fr")


def test_vote_summary_in_both_languages() -> None:
    assert vote_summary(4, 5, 0) == "4 Ja, 5 Nein"
    assert vote_summary(4, 5, 1, "en") == "4 yes, 5 no, 1 abstention"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        vote_summary(1, 0, 0, "fr")


def _process(workflow: Workflow, rule: str, quorum: int | None) -> Process:
    decisions = tuple(
        attrs.evolve(d, rule=rule, quorum=quorum) if d.id == "auftragsbeschluss" else d
        for d in workflow.decisions
    )
    changed = attrs.evolve(workflow, decisions=decisions)
    clock = FixedClock(datetime(2025, 1, 13, tzinfo=UTC))
    return Process.start(changed, sozialraum="Testquartier", by="kommune", clock=clock)


@pytest.mark.parametrize(
    ("rule", "quorum", "votes", "passed"),
    [
        ("two_thirds", None, {"yes": 2, "no": 1}, True),
        ("two_thirds", None, {"yes": 5, "no": 3}, False),
        ("unanimous", None, {"yes": 7, "no": 0, "abstain": 2}, True),
        ("unanimous", None, {"yes": 7, "no": 1}, False),
        ("consensus", 5, {"consensus": True, "present": 5}, True),
        ("consensus", 5, {"consensus": True, "present": 4}, False),
        ("consensus", None, {"consensus": False}, False),
    ],
)
def test_rules_decide_the_gate(
    workflow: Workflow, rule: str, quorum: int | None, votes: dict[str, object], passed: bool
) -> None:
    process = _process(workflow, rule, quorum)
    record = process.record_decision("auftragsbeschluss", date="2025-01-13", by="rat", **votes)  # type: ignore[arg-type]
    assert record.result.passed is passed
    codes = {b.code for b in process.blockers() if b.kind == "decision"}
    assert codes == (set() if passed else {record.result.code})
    assert Process.replay(process.workflow, process.log).state == process.state
