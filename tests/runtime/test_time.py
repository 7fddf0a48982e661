"""Format v2 time: effective dates, dates people type, durations, planned events,
minimum durations (``wait``), and decisions as councils take them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sozialraumprozess.definition.dates import (
    DateFormatProblem,
    ImpossibleDateProblem,
    add_duration,
    duration_parts,
    parse_date,
    subtract_duration,
)
from sozialraumprozess.errors import CommandRejected, InvalidData, TransitionBlocked, WorkflowError
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.serialize import event_from_dict, event_to_dict
from sozialraumprozess.runtime.state import fold
from sozialraumprozess.testing import workflow_from_string

V2 = """\
format: sozialraumprozess/v2
id: rat
version: "1"
title: Rat
roles:
  verwaltung:
    title: Verwaltung
  ausschuss:
    title: Jugendhilfeausschuss
    seats: 17
  kreistag:
    title: Kreistag
events:
  sitzung:
    title: Ausschusssitzung
    organizer: verwaltung
    notice: 7 Tage
  auslegung:
    title: Öffentliche Auslegung
    organizer: verwaltung
artifacts:
  plan:
    title: Sozialplan
    owner: verwaltung
    fields:
      text: {type: text}
decisions:
  kenntnisnahme:
    title: Kenntnisnahme des Berichts
    body: ausschuss
    rule: taking_note
  empfehlung:
    title: Beschlussempfehlung
    body: ausschuss
    quorum_share: 50 %
    adopts: plan
  beschluss:
    title: Kreistagsbeschluss
    body: kreistag
    after: [empfehlung]
    adopts: plan
  zuschuss:
    title: Verfügungsfonds
    body: ausschuss
    amount: true
phases:
  - id: entwurf
    title: Entwurf
    responsible: verwaltung
    artifacts: [plan]
    events: [auslegung]
    decisions: [kenntnisnahme, zuschuss]
    exit:
      - wait: 1 Monat
        since: auslegung
  - id: beratung
    title: Beratung
    responsible: verwaltung
    events: [sitzung]
    exit:
      - decision: empfehlung
      - decision: beschluss
  - id: ende
    title: Ende
    responsible: verwaltung
"""


def clock_at(day: str) -> FixedClock:
    return FixedClock(datetime.fromisoformat(day).replace(hour=9, tzinfo=UTC))


@pytest.fixture
def process() -> Process:
    workflow = workflow_from_string(V2, "rat.yaml")
    return Process.start(
        workflow, sozialraum="Kreis", by="verwaltung", clock=clock_at("2025-06-02")
    )


class TestDates:
    def test_iso_and_german_forms(self) -> None:
        assert parse_date("2025-03-04") == parse_date("04.03.2025") == date(2025, 3, 4)
        assert parse_date("4.3.2025") == date(2025, 3, 4)

    def test_impossible_is_told_apart_from_wrongly_written(self) -> None:
        with pytest.raises(ImpossibleDateProblem):
            parse_date("2025-13-01")
        with pytest.raises(ImpossibleDateProblem):
            parse_date("31.02.2025")
        with pytest.raises(DateFormatProblem):
            parse_date("03/04/2025")
        with pytest.raises(DateFormatProblem):
            parse_date("morgen")

    def test_durations_iso_and_german(self) -> None:
        assert duration_parts("P1Y6M") == duration_parts("1 Jahr 6 Monate") == (1, 6, 0, 0)
        assert duration_parts("6 Wochen") == (0, 0, 6, 0)
        assert duration_parts("10 Tage") == duration_parts("P10D")
        assert add_duration(date(2025, 1, 31), "1 Monat") == date(2025, 2, 28)
        assert subtract_duration(date(2025, 6, 1), "6 Wochen") == date(2025, 4, 20)
        with pytest.raises(ValueError, match="not a duration"):
            duration_parts("zwei Monate")


class TestEffectiveDates:
    def test_last_months_work_gets_last_months_dates(self) -> None:
        workflow = workflow_from_string(V2, "rat.yaml")
        process = Process.start(
            workflow,
            sozialraum="K",
            by="verwaltung",
            clock=clock_at("2025-06-02"),
            date="2025-05-01",
        )
        with pytest.raises(InvalidData) as info:
            process.submit("plan", {"text": "x"}, by="verwaltung", date="2025-04-30")
        assert [p.code for p in info.value.problems] == ["before-phase"]
        process.submit("plan", {"text": "x"}, by="verwaltung", date="12.05.2025")
        version = process.latest("plan")
        assert version is not None
        assert version.submitted_at.date() == date(2025, 5, 12)
        entry = process.log[-1]
        assert (entry.date, entry.time.date()) == (date(2025, 5, 12), date(2025, 6, 2))
        assert event_to_dict(entry)["date"] == "2025-05-12"
        assert event_from_dict(event_to_dict(entry)) == entry
        assert fold(process.log, process.workflow) == process.state

    def test_phase_entry_and_deadline_follow_the_effective_date(self) -> None:
        workflow = workflow_from_string(
            V2.replace("    title: Entwurf\n", "    title: Entwurf\n    duration: 2 Monate\n"),
            "rat.yaml",
        )
        process = Process.start(
            workflow,
            sozialraum="K",
            by="verwaltung",
            clock=clock_at("2025-06-02"),
            date="2025-04-01",
        )
        assert process.visits[0].entered_at.date() == date(2025, 4, 1)
        assert process.deadline() == date(2025, 6, 1)

    def test_a_future_or_malformed_effective_date_is_refused(self, process: Process) -> None:
        before = process.log
        with pytest.raises(InvalidData) as info:
            process.submit("plan", {"text": "x"}, by="verwaltung", date="2025-06-03")
        assert [p.code for p in info.value.problems] == ["future"]
        assert "in der Zukunft" in info.value.problems[0].message("de")
        with pytest.raises(InvalidData) as info:
            process.submit("plan", {"text": "x"}, by="verwaltung", date="2025-13-01")
        assert [p.code for p in info.value.problems] == ["date-impossible"]
        with pytest.raises(InvalidData) as info:
            process.submit("plan", {"text": "x"}, by="verwaltung", date="1.Mai")
        assert [p.code for p in info.value.problems] == ["date"]
        assert process.log == before

    def test_held_events_and_decisions_in_the_future_are_refused(self, process: Process) -> None:
        with pytest.raises(InvalidData) as info:
            process.record_event("auslegung", date="2025-07-01", by="verwaltung")
        assert info.value.problems[0].message("en").startswith("date: date 2025-07-01 lies in")
        with pytest.raises(InvalidData):
            process.record_decision("kenntnisnahme", date="2025-06-03", by="ausschuss")


class TestPlannedEvents:
    def test_plan_reschedule_hold(self, process: Process) -> None:
        plan = process.plan_event(
            "sitzung",
            on="20.06.2025",
            time="17:00",
            place="Kreishaus, Saal 2",
            agenda=["Sozialplan", "Verschiedenes"],
            invited=["ausschuss"],
            by="verwaltung",
        )
        assert (plan.date, plan.time, plan.status, plan.planned_on) == (
            "2025-06-20",
            "17:00",
            "planned",
            date(2025, 6, 2),
        )
        with pytest.raises(CommandRejected) as info:
            process.plan_event("sitzung", on="2025-06-30", by="verwaltung")
        assert info.value.code == "already-planned"
        moved = process.reschedule_event("sitzung", on="2025-06-27", reason="Raum", by="verwaltung")
        assert (moved.date, moved.previous, moved.place) == (
            "2025-06-27",
            ("2025-06-20",),
            "Kreishaus, Saal 2",
        )
        assert fold(process.log, process.workflow) == process.state

    def test_the_notice_period_refuses_a_short_invitation(self, process: Process) -> None:
        with pytest.raises(CommandRejected) as info:
            process.plan_event("sitzung", on="2025-06-05", by="verwaltung")
        assert info.value.code == "notice-period"
        assert "frühestens 2025-06-09" in info.value.message("de")
        assert "2025-06-09 at the earliest" in info.value.message("en")

    def test_cancel_and_bad_input(self, process: Process) -> None:
        with pytest.raises(CommandRejected) as info:
            process.cancel_event("sitzung", by="verwaltung")
        assert info.value.code == "not-planned"
        with pytest.raises(InvalidData) as bad:
            process.plan_event(
                "sitzung", on="2025-05-01", time="25:00", invited=["ausschus"], by="verwaltung"
            )
        assert [p.code for p in bad.value.problems] == ["past", "time", "unknown-role"]
        assert bad.value.problems[2].message("de").endswith("Meinten Sie 'ausschuss'?")
        process.plan_event("sitzung", on="2025-07-01", by="verwaltung")
        cancelled = process.cancel_event("sitzung", reason="Krankheit", by="verwaltung")
        assert cancelled.status == "cancelled"
        assert fold(process.log, process.workflow) == process.state

    def test_a_period_and_holding_closes_the_plan(self, process: Process) -> None:
        process.plan_event("auslegung", on="2025-06-02", until="2025-07-02", by="verwaltung")
        held = process.record_event(
            "auslegung", date="2025-06-02", until="2025-06-02", by="verwaltung"
        )
        assert held.plan == process.planned_events[0].seq
        assert process.planned_events[0].status == "held"


class TestWait:
    def test_minimum_duration_since_an_event(self, process: Process) -> None:
        (blocker,) = process.blockers()
        assert (blocker.kind, blocker.code) == ("wait", "not-started")
        process.record_event("auslegung", date="2025-05-20", by="verwaltung")
        (blocker,) = process.blockers()
        assert blocker.code == "waiting"
        assert (
            blocker.message("de")
            == "Mindestdauer 1 Monat seit 2025-05-20 läuft noch bis 2025-06-20"
        )
        assert blocker.message("en") == (
            "minimum duration 1 Monat since 2025-05-20 runs until 2025-06-20"
        )
        with pytest.raises(TransitionBlocked):
            process.advance(by="verwaltung")
        assert process.clock.peek().date() == date(2025, 6, 2)  # type: ignore[attr-defined]
        process.clock.set(datetime(2025, 6, 20, 9, tzinfo=UTC))  # type: ignore[attr-defined]
        assert process.blockers() == ()
        process.advance(by="verwaltung")


class TestDecisions:
    def test_taking_note_passes_without_votes(self, process: Process) -> None:
        record = process.record_decision("kenntnisnahme", date="2025-06-02", by="ausschuss")
        assert (record.result.passed, record.result.code) == (True, "noted")
        assert record.result.message("de") == "zur Kenntnis genommen"
        with pytest.raises(InvalidData):
            process.record_decision("kenntnisnahme", date="2025-06-02", yes=3, no=1, by="ausschuss")

    def test_a_decision_outside_its_phases_is_refused(self, process: Process) -> None:
        before = process.log
        with pytest.raises(CommandRejected) as info:
            process.record_decision("empfehlung", date="2025-06-02", yes=9, no=0, by="ausschuss")
        assert info.value.code == "not-in-phase"
        assert info.value.message("de") == (
            "Beschluss 'Beschlussempfehlung' gehört nicht zur Phase 'Entwurf'"
        )
        assert process.log == before

    def test_amounts(self, process: Process) -> None:
        with pytest.raises(InvalidData) as info:
            process.record_decision("zuschuss", date="2025-06-02", yes=9, no=0, by="ausschuss")
        assert [p.code for p in info.value.problems] == ["required"]
        record = process.record_decision(
            "zuschuss", date="2025-06-02", yes=9, no=0, amount=1500.5, by="ausschuss"
        )
        assert record.amount == 1500.5
        with pytest.raises(InvalidData) as info:
            process.record_decision("kenntnisnahme", date="2025-06-02", amount=3, by="ausschuss")
        assert [p.code for p in info.value.problems] == ["not-allowed"]

    def test_quorum_share_order_and_adopted_version(self, process: Process) -> None:
        process.submit("plan", {"text": "v1"}, by="verwaltung")
        process.record_event("auslegung", date="2025-05-01", by="verwaltung")
        process.advance(by="verwaltung")
        with pytest.raises(CommandRejected) as info:
            process.record_decision("beschluss", date="2025-06-02", yes=30, no=2, by="kreistag")
        assert info.value.code == "after"
        low = process.record_decision("empfehlung", date="2025-06-02", yes=5, no=1, by="ausschuss")
        assert low.result.code == "no-quorum"  # 50 % of 17 seats: 9 votes needed
        ok = process.record_decision("empfehlung", date="2025-06-02", yes=8, no=1, by="ausschuss")
        assert (ok.result.passed, ok.adopted) == (True, 1)
        process.record_decision("beschluss", date="2025-06-02", yes=30, no=2, by="kreistag")
        assert process.blockers() == ()
        assert fold(process.log, process.workflow) == process.state


class TestLoadErrors:
    def test_v2_keys_in_a_v1_file(self) -> None:
        text = V2.replace("format: sozialraumprozess/v2", "format: sozialraumprozess/v1")
        with pytest.raises(WorkflowError) as info:
            workflow_from_string(text, "rat.yaml")
        found = {(i.path, i.code) for i in info.value.issues}
        assert {
            ("roles.ausschuss.seats", "needs-newer-format"),
            ("events.sitzung.notice", "needs-newer-format"),
            ("decisions.kenntnisnahme.rule", "needs-newer-format"),
            ("decisions.empfehlung.quorum_share", "needs-newer-format"),
            ("decisions.beschluss.after", "needs-newer-format"),
            ("decisions.zuschuss.amount", "needs-newer-format"),
            ("phases[0].decisions", "needs-newer-format"),
            ("phases[0].exit[0].wait", "needs-newer-format"),
        } <= found

    def test_positioned_errors_with_suggestions(self) -> None:
        text = (
            V2.replace("after: [empfehlung]", "after: [empfehlng]")
            .replace("since: auslegung", "since: auslegnug")
            .replace("    notice: 7 Tage", "    notice: sieben Tage")
            .replace("    seats: 17\n", "")
        )
        with pytest.raises(WorkflowError) as info:
            workflow_from_string(text, "rat.yaml")
        found = {(i.path, i.code, i.line): i for i in info.value.issues}
        paths = {(p, c) for p, c, _ in found}
        assert ("decisions.beschluss.after[0]", "unknown-reference") in paths
        assert ("phases[0].exit[0].since", "unknown-since") in paths
        assert ("events.sitzung.notice", "bad-duration") in paths
        assert ("decisions.empfehlung.quorum_share", "share-without-seats") in paths
        hints = {i.path: i.hint("de") for i in info.value.issues}
        assert hints["decisions.beschluss.after[0]"] == "Meinten Sie 'empfehlung'?"
        assert hints["phases[0].exit[0].since"] == "Meinten Sie 'auslegung'?"
        assert all(i.line > 0 for i in info.value.issues)


class TestCheckContext:
    def test_dates_are_dates_in_v2(self) -> None:
        text = V2.replace(
            "      - wait: 1 Monat\n        since: auslegung\n",
            '      - check: "(process.planned.sitzung.date'
            ' - events.auslegung[-1].date).days >= 14"\n'
            "        message: Sitzung mindestens zwei Wochen nach der Auslegung\n",
        )
        process = Process.start(
            workflow_from_string(text, "rat.yaml"),
            sozialraum="K",
            by="verwaltung",
            clock=clock_at("2025-06-02"),
        )
        process.record_event("auslegung", date="2025-06-01", by="verwaltung")
        process.plan_event("sitzung", on="2025-06-10", by="verwaltung")
        (blocker,) = process.blockers()
        assert blocker.code == "check-failed"
        process.reschedule_event("sitzung", on="2025-06-16", by="verwaltung")
        assert process.blockers() == ()

    def test_unknown_attributes_are_load_errors_with_a_suggestion(self) -> None:
        text = V2.replace(
            "      - wait: 1 Monat\n        since: auslegung\n",
            '      - check: "process.today > process.entered and decisions.kenntnisnahme.passd"\n'
            "        message: x\n"
            '      - check: "artifacts.plan.txt and (events.auslegung | last).util"\n'
            "        message: y\n",
        )
        with pytest.raises(WorkflowError) as info:
            workflow_from_string(text, "rat.yaml")
        found = [(i.path, i.code, i.message("en"), i.hint("de")) for i in info.value.issues]
        assert [(path, code) for path, code, _, _ in found] == [
            ("phases[0].exit[0].check", "bad-expression"),
            ("phases[0].exit[0].check", "bad-expression"),
            ("phases[0].exit[1].check", "bad-expression"),
            ("phases[0].exit[1].check", "bad-expression"),
        ]
        assert "the check context's 'process' has no 'today'" in found[0][2]
        assert found[1][3] == "Meinten Sie 'passed'?"
        assert found[2][3] == "Meinten Sie 'text'?"
        assert found[3][3] == "Meinten Sie 'until'?"

    def test_v1_keeps_text_dates_and_its_attributes(self) -> None:
        text = (
            V2.replace("format: sozialraumprozess/v2", "format: sozialraumprozess/v1")
            .replace("    seats: 17\n", "")
            .replace("    notice: 7 Tage\n", "")
            .replace("    rule: taking_note\n", "")
            .replace("    quorum_share: 50 %\n    adopts: plan\n", "")
            .replace("    after: [empfehlung]\n    adopts: plan\n", "")
            .replace("    amount: true\n", "")
            .replace("    decisions: [kenntnisnahme, zuschuss]\n", "")
            .replace(
                "      - wait: 1 Monat\n        since: auslegung\n",
                "      - check: \"events.auslegung[0].date[:4] == '2025' and process.entered\"\n"
                "        message: x\n",
            )
        )
        with pytest.raises(WorkflowError) as info:
            workflow_from_string(text, "rat.yaml")
        (issue,) = info.value.issues
        assert "has no 'entered'" in issue.message("en")
        workflow = workflow_from_string(text.replace(" and process.entered", ""), "rat.yaml")
        process = Process.start(
            workflow, sozialraum="K", by="verwaltung", clock=clock_at("2025-06-02")
        )
        process.record_event("auslegung", date="2025-06-01", by="verwaltung")
        assert process.blockers() == ()


class TestDeadlines:
    def test_fixed_and_relative_to_a_planned_event(self) -> None:
        text = V2.replace(
            "    decisions: [kenntnisnahme, zuschuss]\n",
            "    decisions: [kenntnisnahme, zuschuss]\n"
            "    deadlines:\n"
            "      - {title: Antrag beim Land, date: 31.07.2025, owner: verwaltung}\n"
            "      - {title: Vorlage versenden, before: sitzung, by: 6 Wochen}\n",
        )
        process = Process.start(
            workflow_from_string(text, "rat.yaml"),
            sozialraum="K",
            by="verwaltung",
            clock=clock_at("2025-06-02"),
        )
        assert [(d.title.get(), day) for d, day in process.deadlines()] == [
            ("Antrag beim Land", date(2025, 7, 31)),
            ("Vorlage versenden", None),
        ]
        process.plan_event("sitzung", on="15.09.2025", by="verwaltung")
        assert process.deadlines()[1][1] == date(2025, 8, 4)

    def test_bad_deadlines_are_load_errors(self) -> None:
        text = V2.replace(
            "    decisions: [kenntnisnahme, zuschuss]\n",
            "    decisions: [kenntnisnahme, zuschuss]\n"
            "    deadlines:\n"
            "      - {title: A, date: 31.02.2025}\n"
            "      - {title: B, before: sitzng}\n"
            "      - {title: C, date: morgen}\n",
        )
        with pytest.raises(WorkflowError) as info:
            workflow_from_string(text, "rat.yaml")
        found = [(i.path, i.code) for i in info.value.issues]
        assert ("phases[0].deadlines[0].date", "date-impossible") in found
        assert ("phases[0].deadlines[1].before", "unknown-reference") in found
        assert ("phases[0].deadlines[1]", "bad-deadline") in found
        assert ("phases[0].deadlines[2].date", "bad-date") in found
        hints = {i.path: i.hint("de") for i in info.value.issues}
        assert hints["phases[0].deadlines[1].before"] == "Meinten Sie 'sitzung'?"


def test_a_newer_version_of_the_adopted_artifact_asks_for_a_new_decision() -> None:
    text = V2.replace(
        "    events: [sitzung]\n", "    events: [sitzung]\n    artifacts: [plan]\n"
    ).replace("      - wait: 1 Monat\n        since: auslegung\n", "      - artifact: plan\n")
    process = Process.start(
        workflow_from_string(text, "rat.yaml"),
        sozialraum="K",
        by="verwaltung",
        clock=clock_at("2025-06-02"),
    )
    process.submit("plan", {"text": "v1"}, by="verwaltung")
    process.advance(by="verwaltung")
    process.record_decision("empfehlung", date="2025-06-02", yes=9, no=0, by="ausschuss")
    process.record_decision("beschluss", date="2025-06-02", yes=30, no=2, by="kreistag")
    assert process.blockers() == ()
    process.submit("plan", {"text": "v2"}, by="verwaltung")
    found = [(b.target, b.code, b.role) for b in process.blockers()]
    assert found == [("empfehlung", "outdated", "ausschuss"), ("beschluss", "outdated", "kreistag")]
    assert process.blockers()[0].message("de") == (
        "Beschluss 'Beschlussempfehlung' gilt Fassung 1 von 'Sozialplan'; "
        "inzwischen gibt es Fassung 2: neu beschließen"
    )
    assert process.blockers()[0].message("en") == (
        "decision 'Beschlussempfehlung' adopted version 1 of 'Sozialplan'; "
        "version 2 exists now: decide again"
    )
    again = process.record_decision("empfehlung", date="2025-06-02", yes=9, no=0, by="ausschuss")
    assert again.adopted == 2
    assert [b.target for b in process.blockers()] == ["beschluss"]


def test_a_retried_plan_with_its_key_is_applied_once(process: Process, tmp_path: Path) -> None:
    """`plan_event` takes an idempotency key like every command: a retry is recognised."""
    from sozialraumprozess.app import Service
    from sozialraumprozess.storage import FolderStore
    from sozialraumprozess.storage.session import create_run

    service = Service(FolderStore(tmp_path / "store"), clock=clock_at("2025-06-03"))
    try:
        create_run(service.store, "kreis", process)
        service.store.put_definition(process.workflow)
        first = service.plan_event(
            "kreis", "sitzung", on="20.06.2025", by="verwaltung", idempotency_key="plan-1"
        )
        again = service.plan_event(
            "kreis", "sitzung", on="20.06.2025", by="verwaltung", idempotency_key="plan-1"
        )
        assert (first.repeated, again.repeated, again.seq) == (False, True, first.seq)
        log = service.load("kreis").process.log
        assert [e.type for e in log].count("event_planned") == 1
    finally:
        service.close()
