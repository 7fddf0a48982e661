"""Load errors of the format-v2 phase keys: positioned, all at once, with did-you-mean,
German and English; and each key refused in a ``sozialraumprozess/v1`` file."""

from __future__ import annotations

from sozialraumprozess.errors import Issue

from .conftest import TEXT, WORKFLOW, issues_of, variant


def described(found: list[Issue]) -> list[tuple[int | None, int | None, str, str, str, str]]:
    return [(i.line, i.column, i.path, i.code, i.message("en"), i.message("de")) for i in found]


def test_the_test_workflow_loads_and_round_trips() -> None:
    """Strands, requires, optional, when, auto and renew survive to_dict → load."""
    from sozialraumprozess.definition.loader import load_workflow

    assert load_workflow(WORKFLOW.to_dict()) == WORKFLOW
    phase = WORKFLOW.phase("teilplaene")
    assert [s.id for s in phase.strands] == ["kita", "hze"]
    assert phase.all_artifacts == ("teilplan_kita", "teilplan_hze")
    assert WORKFLOW.phase("anhoerung").optional
    assert WORKFLOW.transition("naechstes_jahr").renew == ("teilplan_kita", "foerderantrag")
    auto = WORKFLOW.transition("ohne_anhoerung")
    assert auto.auto
    assert auto.when is not None


def test_renew_all_is_read() -> None:
    from sozialraumprozess.testing import workflow_from_string

    text = variant("    renew: [teilplan_kita, foerderantrag]\n", "    renew: all\n")
    loaded = workflow_from_string(text)
    assert loaded.transition("naechstes_jahr").renew == "all"
    assert loaded.to_dict()["transitions"][1]["renew"] == "all"


def test_every_mistake_at_once_with_position_and_suggestion() -> None:
    text = variant("    requires: [kita, hze]\n", "    requires: [kita, hzee]\n")
    text = variant("        responsible: hze\n", "        responsible: hzee\n", text)
    text = variant(
        "    renew: [teilplan_kita, foerderantrag]\n",
        "    renew: [teilplan_kita, foerderantrg]\n",
        text,
    )
    text = variant(
        "    auto: true\n",
        "    auto: true\n  - id: vor\n    from: bestand\n    to: beschluss\n"
        "    allowed: [jugendamt]\n    auto: true\n    renew: all\n",
        text,
    )
    text = variant(
        '    when: "artifacts.teilplan_hze.faelle is defined and artifacts.teilplan_hze.faelle'
        ' < 10"\n',
        '    when: "artifacts.teilplan_hz.faelle < 10"\n',
        text,
    )
    found = issues_of(text)
    assert described(found) == [
        (
            48,
            22,
            "phases[1].strands.hze.responsible",
            "unknown-reference",
            "unknown role 'hzee'",
            "Unbekannte Rolle 'hzee'",
        ),
        (
            53,
            22,
            "phases[1].requires[1]",
            "unknown-reference",
            "unknown strand 'hzee' in phase 'teilplaene'",
            "Unbekannter Strang 'hzee' in Phase 'teilplaene'",
        ),
        (
            73,
            11,
            "transitions[0].when",
            "bad-expression",
            "expression refers to unknown artifacts.teilplan_hz",
            "Ausdruck verweist auf unbekannte(s) artifacts.teilplan_hz",
        ),
        (
            79,
            5,
            "transitions[1].auto",
            "auto-without-when",
            "'auto: true' needs a condition 'when'",
            "'auto: true' braucht eine Bedingung 'when'",
        ),
        (
            80,
            5,
            "transitions[1].renew",
            "renew-not-backward",
            "'renew' applies only to transitions back; 'bestand' → 'beschluss' goes forward",
            "'renew' gilt nur für Übergänge zurück; 'bestand' → 'beschluss' geht vorwärts",
        ),
        (
            85,
            28,
            "transitions[2].renew[1]",
            "unknown-reference",
            "'foerderantrg' is neither an artifact nor an event nor a decision",
            "'foerderantrg' ist weder ein Dokument noch eine Veranstaltung noch ein Beschluss",
        ),
    ]
    hints = [i.hint("en") for i in found]
    assert hints[0] == "Did you mean 'hze'?"
    assert hints[1] == "Did you mean 'hze'?"
    assert hints[2] == "Did you mean 'teilplan_hze'?"
    assert hints[5] == "Did you mean 'foerderantrag'?"
    assert found[3].hint("de") == "Geben Sie mit 'when' an, wann 'advance' diesen Übergang nimmt."


def test_optional_final_phase_renew_without_cycle_edge_requires_without_strands() -> None:
    text = TEXT.replace(
        "      - decision: planbeschluss\n",
        "      - decision: planbeschluss\n    optional: true\n    renew: all\n    requires: [x]\n",
    )
    assert [(i.line, i.column, i.path, i.code) for i in issues_of(text)] == [
        (68, 5, "phases[3].optional", "optional-final-phase"),
        (69, 5, "phases[3].renew", "renew-not-backward"),
        (70, 5, "phases[3].requires", "requires-without-strands"),
    ]
    assert issues_of(text, "en")[0].hint("en") == "Remove 'optional' or give the phase a 'next'."


def test_an_artifact_in_two_strands() -> None:
    text = variant(
        "        artifacts: [teilplan_hze]\n", "        artifacts: [teilplan_hze, teilplan_kita]\n"
    )
    assert described(issues_of(text)) == [
        (
            49,
            35,
            "phases[1].strands.hze.artifacts[1]",
            "listed-twice",
            "'teilplan_kita' is listed in 'kita' of this phase already; not again in strand 'hze'",
            "'teilplan_kita' steht schon in 'kita' dieser Phase; in Strang 'hze' nicht noch einmal",
        )
    ]


def test_a_strand_needs_exit_criteria_and_unknown_keys_get_a_suggestion() -> None:
    text = variant(
        "        exit:\n          - check:", "        exit: []\n        ex:\n          - check:"
    )
    assert [(i.line, i.path, i.code, i.hint("en")) for i in issues_of(text, "en")] == [
        (50, "phases[1].strands.hze.exit", "too-few-items", None),
        (51, "phases[1].strands.hze.ex", "unknown-key", "Did you mean 'exit'?"),
    ]


def test_strand_criteria_are_checked_like_phase_criteria() -> None:
    text = variant("          - event: fachrunde\n", "          - event: fachrunda\n")
    ((line, path, code, hint),) = [
        (i.line, i.path, i.code, i.hint("en")) for i in issues_of(text, "en")
    ]
    assert (line, path, code, hint) == (
        45,
        "phases[1].strands.kita.exit[1].event",
        "unknown-reference",
        "Did you mean 'fachrunde'?",
    )


def test_every_v2_key_is_refused_in_a_v1_file() -> None:
    text = TEXT.replace("format: sozialraumprozess/v2", "format: sozialraumprozess/v1")
    found = issues_of(text, "en")
    assert [(i.line, i.column, i.path, i.code) for i in found] == [
        (37, 5, "phases[1].strands", "needs-newer-format"),
        (53, 5, "phases[1].requires", "needs-newer-format"),
        (57, 5, "phases[2].optional", "needs-newer-format"),
        (73, 5, "transitions[0].when", "needs-newer-format"),
        (74, 5, "transitions[0].auto", "needs-newer-format"),
        (79, 5, "transitions[1].renew", "needs-newer-format"),
    ]
    assert found[0].message("en") == (
        "`strands` exists only in format sozialraumprozess/v2; the file declares "
        "sozialraumprozess/v1"
    )


def test_renew_on_the_cycle_edge_is_accepted() -> None:
    from sozialraumprozess.testing import workflow_from_string

    text = TEXT.replace(
        "      - decision: planbeschluss\n",
        "      - decision: planbeschluss\n    next: teilplaene\n    renew: all\n",
    )
    loaded = workflow_from_string(text)
    assert loaded.is_cyclic
    assert loaded.phase("beschluss").renew == "all"
