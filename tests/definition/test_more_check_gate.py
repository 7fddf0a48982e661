"""Check criteria at their edges: an expression that fails when run blocks the gate
with the reason, checks that read the process share one context and each decide,
and an unknown name far from every known one is reported without a suggestion."""

from __future__ import annotations

from sozialraumprozess.runtime.process import Process
from sozialraumprozess.testing import workflow_from_string

from .conftest import issues_of, variant

CHECK = (
    '      - check: "artifacts.zielkatalog.ziele | length >= 3"\n'
    "        message: Mindestens drei Ziele\n"
)


def with_checks(lines: str) -> str:
    return variant(CHECK, lines)


def test_a_failing_expression_and_checks_on_the_process() -> None:
    text = with_checks(
        "      - check: \"artifacts.zielkatalog.ziele | length > 'drei'\"\n"
        "        message: Drei Ziele\n"
        '      - check: "process.cycle >= 1"\n'
        "        message: Erster Zyklus\n"
        '      - check: "process.cycle > 1"\n'
        "        message: Zweiter Zyklus\n"
    )
    process = Process.start(workflow_from_string(text, "w.yaml"), sozialraum="N", by="kommune")
    process.submit("zielkatalog", {"ziele": ["a"]}, by="vg")
    process.advance(by="kommune")
    checks = [b for b in process.blockers() if b.kind == "check"]
    assert [(b.code, b.message("en"), b.message("de")) for b in checks] == [
        (
            "check-error",
            "Drei Ziele (cannot be checked: "
            "'>' not supported between instances of 'int' and 'str')",
            "Drei Ziele (nicht prüfbar: '>' not supported between instances of 'int' and 'str')",
        ),
        ("check-failed", "Zweiter Zyklus", "Zweiter Zyklus"),
    ]
    assert not process.can_advance()


def test_an_unknown_artifact_unlike_any_known_one_gets_no_suggestion() -> None:
    (issue,) = issues_of(
        with_checks('      - check: "artifacts.qqqqqqqqqqqq.x > 1"\n        message: M\n')
    )
    assert (issue.line, issue.path, issue.code) == (38, "phases[1].exit[3].check", "bad-expression")
    assert issue.message("en") == "expression refers to unknown artifacts.qqqqqqqqqqqq"
    assert issue.hint("en") is None
