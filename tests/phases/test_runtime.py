"""Strands, optional phases, conditional and automatic transitions, renewals at run time:
the gates, the commands, the events they append, replay, blockers in both languages."""

from __future__ import annotations

import pytest
from tests.runtime.test_fold import _eager_fold, _records

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import (
    CommandRejected,
    PermissionDenied,
    ReplayError,
    TransitionBlocked,
)
from sozialraumprozess.runtime.events import PhaseSkipped, TransitionTaken
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import ProcessEvent
from sozialraumprozess.runtime.state import fold

from .conftest import WORKFLOW, started, strands_done


class TestStrands:
    def test_each_strand_blocks_with_its_name_and_owner_in_both_languages(self) -> None:
        process = started()
        blockers = process.blockers()
        assert [(b.strand, b.role, b.code) for b in blockers] == [
            ("kita", "jugendamt", "not-approved"),
            ("kita", "kita", "not-held"),  # no organizer: the strand's responsible role
            ("hze", "hze", "check-error"),
        ]
        assert blockers[1].message("de") == (
            "Strang Teilplan Kita (Fachberatung Kita): Veranstaltung 'Fachrunde Kita' "
            "nicht abgehalten"
        )
        assert blockers[1].message("en") == (
            "Strand Teilplan Kita (Fachberatung Kita): Event 'Fachrunde Kita' not held"
        )
        assert blockers[1].to_dict("en")["strand"] == "kita"

    def test_strands_are_worked_in_any_order_and_done_when_their_criteria_hold(self) -> None:
        process = started()
        process.submit("teilplan_hze", {"faelle": 20}, by="hze")
        states = {s.id: s for s in process.strands()}
        assert states["hze"].done
        assert not states["kita"].done
        assert all(b.strand == "kita" for b in process.blockers())
        process.record_event("fachrunde", date="2025-01-20", by="kita")
        process.submit("teilplan_kita", {"plaetze": 40}, by="kita")
        process.approve("teilplan_kita", by="jugendamt")
        assert all(s.done for s in process.strands())
        assert process.blockers() == ()
        # a newer incomplete version opens the strand again (no "done" event)
        process.submit("teilplan_hze", {}, by="hze")
        assert [s.id for s in process.strands() if not s.done] == ["hze"]

    def test_only_required_strands_close_the_phase(self) -> None:
        from sozialraumprozess.testing import workflow_from_string

        from .conftest import variant

        text = variant("    requires: [kita, hze]\n", "    requires: [hze]\n")
        workflow = workflow_from_string(text)
        process = Process.start(workflow, sozialraum="Nord", by="jugendamt")
        process.submit("bestand", {"text": "x"}, by="jugendamt")
        process.advance(by="jugendamt")
        process.submit("teilplan_hze", {"faelle": 3}, by="hze")
        kita = next(s for s in process.strands() if s.id == "kita")
        assert not kita.required
        assert not kita.done
        assert process.blockers() == ()

    def test_strand_items_belong_to_the_phase_and_their_strand_roles(self) -> None:
        process = started()
        with pytest.raises(PermissionDenied) as info:
            process.record_event("fachrunde", date="2025-01-20", by="jugendamt")
        assert info.value.allowed == ("kita",)
        assert process.allowed("record_event", "fachrunde") == ("kita",)
        with pytest.raises(CommandRejected):
            process.submit("foerderantrag", {"betrag": 1}, by="jugendamt")


class TestOptionalPhase:
    def _in_hearing(self) -> Process:
        process = started()
        strands_done(process)
        process.advance(by="jugendamt")
        assert process.phase == "anhoerung"
        return process

    def test_skip_records_the_reason_and_moves_on_without_the_gate(self) -> None:
        process = self._in_hearing()
        assert process.blockers()  # the hearing was not held
        visit = process.skip(by="ausschuss", reason="Keine Anhörung beantragt")
        assert (visit.phase, visit.via, visit.reason) == (
            "beschluss",
            "skip",
            "Keine Anhörung beantragt",
        )
        last = process.log[-1]
        assert last.event == PhaseSkipped("anhoerung", "beschluss", "Keine Anhörung beantragt")
        assert last.actor.role == "ausschuss"
        assert Process.replay(WORKFLOW, process.log).state == process.state

    def test_skip_is_refused_without_reason_by_others_and_in_other_phases(self) -> None:
        process = self._in_hearing()
        log = process.log
        with pytest.raises(CommandRejected) as info:
            process.skip(by="ausschuss", reason="  ")
        assert info.value.message("de") == (
            "Überspringen von Anhörung im Ausschuss braucht einen Grund (--reason)"
        )
        assert info.value.message("en") == (
            "skipping Anhörung im Ausschuss needs a reason (--reason)"
        )
        with pytest.raises(PermissionDenied):
            process.skip(by="jugendamt", reason="x")
        assert process.log == log
        other = started()
        with pytest.raises(CommandRejected) as info:
            other.skip(by="jugendamt", reason="x")
        assert info.value.message("en") == "phase Teilpläne is not optional and cannot be skipped"

    def test_a_log_skipping_a_phase_that_is_not_optional_does_not_replay(self) -> None:
        process = started()
        bad = ProcessEvent(
            process.state.seq + 1,
            process.log[-1].time,
            process.log[-1].actor,
            PhaseSkipped("teilplaene", "anhoerung", "x"),
        )
        with pytest.raises(ReplayError) as info:
            Process.replay(WORKFLOW, (*process.log, bad))
        assert "teilplaene" in info.value.message("en")


class TestConditionalTransitions:
    def test_advance_takes_the_auto_transition_when_its_condition_holds(self) -> None:
        process = started()
        strands_done(process, faelle=5)
        assert process.route() == "beschluss"
        visit = process.advance(by="jugendamt")
        assert (visit.phase, visit.via) == ("beschluss", "ohne_anhoerung")
        assert process.log[-1].event == TransitionTaken(
            "ohne_anhoerung", "teilplaene", "beschluss", None
        )
        assert Process.replay(WORKFLOW, process.log).state == process.state

    def test_advance_follows_next_while_the_condition_does_not_hold(self) -> None:
        process = started()
        strands_done(process, faelle=50)
        assert process.route() == "anhoerung"
        assert process.advance(by="jugendamt").phase == "anhoerung"

    def test_a_conditional_transition_is_refused_with_the_condition_as_reason(self) -> None:
        process = started()
        strands_done(process, faelle=50)
        assert not process.offered("ohne_anhoerung")
        with pytest.raises(TransitionBlocked) as info:
            process.take_transition("ohne_anhoerung", by="jugendamt")
        (blocker,) = info.value.blockers
        assert blocker.code == "condition-unmet"
        assert blocker.message("en") == (
            "the condition of ohne_anhoerung does not hold: artifacts.teilplan_hze.faelle is "
            "defined and artifacts.teilplan_hze.faelle < 10"
        )
        assert blocker.message("de").startswith("Bedingung von ohne_anhoerung gilt nicht: ")
        process.submit("teilplan_hze", {"faelle": 4}, by="hze")
        assert process.offered("ohne_anhoerung")
        assert process.take_transition("ohne_anhoerung", by="jugendamt").phase == "beschluss"

    def test_advance_with_an_auto_route_still_needs_the_phase_gate(self) -> None:
        process = started()
        process.submit("teilplan_hze", {"faelle": 5}, by="hze")
        with pytest.raises(TransitionBlocked) as info:
            process.advance(by="jugendamt")
        assert info.value.target == "beschluss"
        assert {b.strand for b in info.value.blockers} == {"kita"}
        assert not process.can_advance()


class TestRenewal:
    def _after_loop_back(self, workflow: Workflow = WORKFLOW) -> Process:
        process = started(workflow)
        strands_done(process, faelle=5)
        process.advance(by="jugendamt")
        process.submit("foerderantrag", {"betrag": 1000}, by="jugendamt")
        process.record_decision("planbeschluss", date="2025-02-01", yes=9, no=1, by="ausschuss")
        assert process.blockers() == ()
        process.take_transition("naechstes_jahr", by="ausschuss", reason="Haushaltsjahr 2026")
        return process

    def test_renewed_artifacts_no_longer_satisfy_the_gate(self) -> None:
        process = self._after_loop_back()
        assert process.phase == "teilplaene"
        assert process.cycle == 1
        kita = next(s for s in process.strands() if s.id == "kita")
        assert [(b.code, b.role) for b in kita.blockers] == [
            ("renew", "jugendamt"),  # the approval: a new version must be submitted
            ("not-held", "kita"),  # events count per visit anyway
        ]
        assert kita.blockers[0].message("de") == (
            "Strang Teilplan Kita (Fachberatung Kita): Teilplan Kita: Version 1 stammt von "
            "vor dem Rücksprung — neu einzureichen"
        )
        assert (
            kita.blockers[0]
            .message("en")
            .endswith("Teilplan Kita: version 1 predates the move back — submit it again")
        )
        hze = next(s for s in process.strands() if s.id == "hze")
        assert hze.done  # not named in `renew`: last round's version still counts

    def test_a_new_version_renews_and_a_confirmation_does_not(self) -> None:
        process = self._after_loop_back()
        with pytest.raises(CommandRejected):
            process.confirm("teilplan_kita", by="jugendamt")
        strands_done(process, faelle=5)
        process.advance(by="jugendamt")
        assert [b.code for b in process.blockers()] == ["renew", "not-taken"]
        process.submit("foerderantrag", {"betrag": 1200}, by="jugendamt")
        assert [b.code for b in process.blockers()] == ["not-taken"]
        replayed = Process.replay(WORKFLOW, process.log)
        assert replayed.state == process.state
        assert replayed.blockers() == process.blockers()

    def test_renew_all_renews_the_target_phase(self) -> None:
        from sozialraumprozess.testing import workflow_from_string

        from .conftest import variant

        workflow = workflow_from_string(
            variant("    renew: [teilplan_kita, foerderantrag]\n", "    renew: all\n")
        )
        process = self._after_loop_back(workflow)
        assert set(process.state.renewed) == {
            ("artifact", "teilplan_kita"),
            ("artifact", "teilplan_hze"),
            ("event", "fachrunde"),
        }

    def test_check_context_drops_what_was_renewed(self) -> None:
        from sozialraumprozess.definition.kinds.check import check_context, current_data
        from sozialraumprozess.runtime._plan import workflow_plan

        process = self._after_loop_back()
        plan = workflow_plan(WORKFLOW)
        artifacts = current_data(plan, process.state)
        assert "teilplan_kita" not in artifacts
        assert "teilplan_hze" in artifacts
        assert "fachrunde" in check_context(process.state, artifacts)["events"]


def _v2_log() -> tuple[ProcessEvent, ...]:
    """Every v2 move: an automatic transition, a skip, a renewing loop back."""
    process = started()
    strands_done(process, faelle=5)
    process.advance(by="jugendamt")
    process.take_transition("naechstes_jahr", by="ausschuss", reason="neu")
    strands_done(process, faelle=50)
    process.advance(by="jugendamt")
    process.skip(by="ausschuss", reason="nicht beantragt")
    return process.log


V2_LOG = _v2_log()


def test_the_v2_log_has_the_v2_events() -> None:
    assert {"phase_skipped", "transition_taken"} <= {e.type for e in V2_LOG}


@pytest.mark.parametrize("length", range(1, len(V2_LOG) + 1))
def test_every_prefix_of_a_v2_log_gives_the_eager_records(length: int) -> None:
    events = V2_LOG[:length]
    state = fold(events, WORKFLOW)
    assert _records(state) == _eager_fold(events, WORKFLOW)
    assert state == Process.replay(WORKFLOW, events).state


def test_a_final_phase_left_only_by_auto_transitions_refuses_advance_with_the_condition() -> None:
    from sozialraumprozess.testing import workflow_from_string

    text = (
        "format: sozialraumprozess/v2\nid: schleife\nversion: '1'\ntitle: Schleife\n"
        "roles: {amt: {title: Amt}}\n"
        "artifacts: {antrag: {title: Antrag, owner: amt, fields: {n: {type: integer}}}}\n"
        "phases:\n"
        "  - {id: a, title: A, responsible: amt, artifacts: [antrag]}\n"
        "  - {id: b, title: B, responsible: amt}\n"
        "transitions:\n"
        "  - {id: zurueck, from: b, to: a, allowed: [amt], auto: true,\n"
        '     when: "artifacts.antrag.n == 2"}\n'
    )
    workflow = workflow_from_string(text)
    process = Process.start(workflow, sozialraum="X", by="amt")
    process.submit("antrag", {"n": 1}, by="amt")
    process.advance(by="amt")
    with pytest.raises(TransitionBlocked) as info:
        process.advance(by="amt")
    assert [b.code for b in info.value.blockers] == ["condition-unmet"]
    from sozialraumprozess.storage.summary import status_facts

    facts = status_facts(process)
    assert facts["phase"]["final"] is False  # an `auto` transition may still lead on
    assert facts["advance_by"] == ["amt"]
    assert process.route() is None
    assert not process.can_advance()
    with pytest.raises(TransitionBlocked):
        process.take_transition("zurueck", by="amt", reason="nochmal")
