"""Indicators (Sozialraummonitoring): declaration, recording, gate, snapshots, comparison."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings, strategies as st
from tests.steering.indicator_workflow import DATA, workflow

from sozialraumprozess.definition import load_workflow
from sozialraumprozess.definition.model import Label
from sozialraumprozess.errors import InvalidData, PermissionDenied, WorkflowError
from sozialraumprozess.runtime import FixedClock, Process
from sozialraumprozess.runtime.permissions import allowed_roles
from sozialraumprozess.runtime.serialize import event_from_dict, event_to_dict
from sozialraumprozess.runtime.state import fold
from sozialraumprozess.steering.indicators import (
    Target,
    compare_runs,
    comparison_chart,
    indicator_chart,
    monitoring,
)

WORKFLOW = workflow()


def _process(name: str = "Schwerte-Ost") -> Process:
    clock = FixedClock(dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.UTC))
    return Process.start(WORKFLOW, sozialraum=name, by="kommune", clock=clock)


def _issues(data: dict[str, object]) -> list[tuple[str, str, str, str]]:
    with pytest.raises(WorkflowError) as caught:
        load_workflow(data)
    return [(i.path, i.code, i.message("de"), i.message("en")) for i in caught.value.issues]


# ------------------------------------------------------------------ declaration


def test_declaration_is_read_with_labels_direction_and_reference() -> None:
    quote = WORKFLOW.indicator("sgb2_quote")
    assert quote.label.get("en") == "SGB II rate"
    assert quote.direction == "higher-is-worse"
    assert quote.reference == 9.1
    assert quote.reference_label is not None
    assert quote.reference_label.get("de") == "Stadtdurchschnitt"
    assert WORKFLOW.indicator("engagierte").unit == Label(de="Personen")
    assert load_workflow(WORKFLOW.to_dict()) == WORKFLOW


def test_a_unit_in_both_languages_is_shown_in_the_readers() -> None:
    """``unit: {de: Personen, en: people}`` reads per language, ``unit_singular`` after
    the number 1; ``unit: ""`` (a count without a unit) still loads, as it did when
    units were plain text."""
    from sozialraumprozess.steering.indicators import monitoring_to_dict

    indicators = json.loads(json.dumps(DATA["indicators"]))
    indicators["engagierte"]["unit"] = {"de": "Personen", "en": "people"}
    indicators["sgb2_quote"]["unit"] = ""
    both = workflow(indicators=indicators)
    assert both.indicator("sgb2_quote").unit == Label(de="")
    process = Process.start(both, sozialraum="Nord", by="kommune")
    process.record_indicators("31.12.2025", {"engagierte": 24}, by="kommune")
    process.record_indicators("31.12.2025", {"sgb2_quote": 11.5}, by="statistik")
    rows = {
        lang: {
            r["id"]: r for r in monitoring_to_dict(monitoring(both, process.state), lang)["rows"]
        }
        for lang in ("de", "en")
    }
    assert (rows["de"]["engagierte"]["unit"], rows["de"]["engagierte"]["value_text"]) == (
        "Personen",
        "24 Personen",
    )
    assert (rows["en"]["engagierte"]["unit"], rows["en"]["engagierte"]["value_text"]) == (
        "people",
        "24 people",
    )
    assert rows["en"]["sgb2_quote"]["value_text"] == "11.5"
    indicators["engagierte"]["unit_singular"] = {"de": "Person", "en": "person"}
    singular = workflow(indicators=indicators)
    one = Process.start(singular, sozialraum="Süd", by="kommune")
    one.record_indicators("31.12.2025", {"engagierte": 1}, by="kommune")
    texts = {
        lang: {
            r["id"]: r["value_text"]
            for r in monitoring_to_dict(monitoring(singular, one.state), lang)["rows"]
        }
        for lang in ("de", "en")
    }
    assert texts["de"]["engagierte"] == "1 Person"
    assert texts["en"]["engagierte"] == "1 person"
    one.record_indicators("01.01.2026", {"engagierte": 2}, by="kommune")
    again = monitoring_to_dict(monitoring(singular, one.state), "de")["rows"]
    assert [r["value_text"] for r in again if r["id"] == "engagierte"] == ["2 Personen"]
    assert rows["de"]["sgb2_quote"]["value_text"] == "11,5"
    indicators["engagierte"]["unit"] = {"de": ""}
    problems = _issues({**DATA, "indicators": indicators})
    assert problems == [
        ("indicators.engagierte.unit.de", "empty-text", "Text darf nicht leer sein",
         "text must not be empty"),
    ]  # fmt: skip
    indicators["engagierte"]["unit"] = 5
    (problem,) = _issues({**DATA, "indicators": indicators})
    assert problem[:2] == ("indicators.engagierte.unit", "wrong-type")
    assert problem[3].startswith("expected text or {de: …, en: …}, found integer 5")


def test_unknown_indicator_lookup_suggests_the_closest() -> None:
    with pytest.raises(KeyError) as caught:
        WORKFLOW.indicator("sgb2_qoute")
    assert "sgb2_quote" in str(caught.value)


def test_indicators_need_format_v2_with_position() -> None:
    text = json.dumps({**DATA, "format": "sozialraumprozess/v1"}, indent=1)
    with pytest.raises(WorkflowError) as caught:
        load_workflow(_yaml_file(text))
    issue = next(i for i in caught.value.issues if i.path.startswith("indicators"))
    assert issue.line is not None
    assert "v2" in issue.message("en")


def _yaml_file(text: str) -> object:
    import io

    return io.StringIO(text)


def test_bad_direction_is_refused_with_its_path() -> None:
    indicators = json.loads(json.dumps(DATA["indicators"]))
    indicators["engagierte"]["direction"] = "up"
    issues = _issues({**DATA, "indicators": indicators})
    assert [i[0] for i in issues] == ["indicators.engagierte.direction"]


def test_unknown_recording_role_gets_did_you_mean() -> None:
    indicators = json.loads(json.dumps(DATA["indicators"]))
    indicators["sgb2_quote"]["recorded_by"] = "statistk"
    ((path, code, de, en),) = _issues({**DATA, "indicators": indicators})
    assert (path, code) == ("indicators.sgb2_quote.recorded_by", "unknown-reference")
    assert "statistk" in de
    assert "statistk" in en


def test_gate_naming_an_undeclared_indicator_is_refused() -> None:
    phases = json.loads(json.dumps(DATA["phases"]))
    phases[0]["exit"] = [{"indicator_snapshot": "sgb2_qoute"}]
    ((path, code, _de, en),) = _issues({**DATA, "phases": phases})
    assert (path, code) == ("phases[0].exit[0].indicator_snapshot", "unknown-reference")
    assert "sgb2_qoute" in en


def test_gate_all_without_indicators_is_refused() -> None:
    data = {k: v for k, v in DATA.items() if k != "indicators"}
    ((path, code, de, en),) = _issues(data)
    assert (path, code) == ("phases[0].exit[0].indicator_snapshot", "no-indicators")
    assert "indicators:" in de
    assert "declares none" in en


# ------------------------------------------------------------------ recording


def test_undeclared_indicator_is_a_positioned_bilingual_error_that_changes_nothing() -> None:
    process = _process()
    before = (process.state.seq, len(process.log))
    with pytest.raises(InvalidData) as caught:
        process.record_indicators(
            "31.12.2025", {"sgb2_qoute": 12.5, "sgb2_quote": 11.0}, by="statistik"
        )
    error = caught.value
    assert error.paths == ("values.sgb2_qoute",)
    assert "Meinten Sie 'sgb2_quote'?" in error.message("de")
    assert "Did you mean 'sgb2_quote'?" in error.message("en")
    assert (process.state.seq, len(process.log)) == before
    assert process.state.indicator_entries == ()


def test_undeclared_without_a_close_name_lists_the_declared() -> None:
    process = _process()
    with pytest.raises(InvalidData) as caught:
        process.record_indicators("2025-12-31", {"xyz": 1}, by="kommune")
    assert "declared: sgb2_quote, engagierte" in caught.value.message("en")


@pytest.mark.parametrize(
    ("stichtag", "values", "path", "code"),
    [
        ("31.13.2025", {"engagierte": 3}, "stichtag", "date"),
        ("gestern", {"engagierte": 3}, "stichtag", "date"),
        ("2025-12-31", {}, "values", "required"),
        ("2025-12-31", ["engagierte"], "values", "required"),
        ("2025-12-31", {"engagierte": "viele"}, "values.engagierte", "type"),
        ("2025-12-31", {"engagierte": True}, "values.engagierte", "type"),
        ("2025-12-31", {"engagierte": float("nan")}, "values.engagierte", "type"),
    ],
)
def test_bad_recordings_name_their_path(
    stichtag: str, values: object, path: str, code: str
) -> None:
    process = _process()
    with pytest.raises(InvalidData) as caught:
        process.record_indicators(stichtag, values, by="kommune")  # type: ignore[arg-type]
    (problem,) = caught.value.problems
    assert (problem.path, problem.code) == (path, code)
    assert problem.message("de") != problem.message("en")
    assert process.state.seq == 1


def test_values_written_as_german_numbers_are_read() -> None:
    process = _process()
    record = process.record_indicators("31.12.2025", {"sgb2_quote": "12,5"}, by="statistik")
    assert record.values == {"sgb2_quote": 12.5}
    assert record.stichtag == "2025-12-31"


def test_only_the_recording_role_may_record_its_indicator() -> None:
    process = _process()
    with pytest.raises(PermissionDenied) as caught:
        process.record_indicators("2025-12-31", {"sgb2_quote": 12.0}, by="kommune")
    assert "statistik" in caught.value.message("en")
    assert process.state.seq == 1


@pytest.mark.parametrize("role", ["kommune", "statistik"])
@pytest.mark.parametrize("indicator", ["sgb2_quote", "engagierte"])
def test_role_by_command_matrix(role: str, indicator: str) -> None:
    expected = {"sgb2_quote": "statistik", "engagierte": "kommune"}[indicator]
    assert allowed_roles(WORKFLOW, "analysieren", "record_indicators", indicator) == (expected,)
    process = _process()
    if role == expected:
        process.record_indicators("2025-12-31", {indicator: 1}, by=role)
        assert process.state.seq == 2
    else:
        with pytest.raises(PermissionDenied):
            process.record_indicators("2025-12-31", {indicator: 1}, by=role)
        assert process.state.seq == 1
    sozialraum_roles = allowed_roles(WORKFLOW, "umsetzen", "record_sozialraum")
    assert sozialraum_roles == ("kommune",)


# ------------------------------------------------------------------ gate and cycles


def _two_cycles() -> Process:
    process = _process()
    assert [b.code for b in process.blockers()] == ["no-snapshot"]
    process.record_indicators(
        "31.12.2024", {"sgb2_quote": 12.5}, by="statistik", source="Statistik 2024"
    )
    process.record_indicators("31.12.2024", {"engagierte": 30}, by="kommune")
    assert not process.blockers()
    process.advance(by="kommune")
    process.advance(by="kommune")  # cycle 2: back in the analysis
    assert process.state.cycle == 2
    (blocker,) = process.blockers()
    assert "Zyklus 2" in blocker.message("de")
    assert "SGB-II-Quote, Engagierte Ehrenamtliche" in blocker.message("de")
    assert blocker.role == "statistik"
    process.record_indicators("31.12.2025", {"sgb2_quote": 11.0}, by="statistik")
    process.record_indicators("31.12.2025", {"engagierte": 24}, by="kommune")
    assert not process.blockers()
    return process


def test_each_cycle_needs_its_own_snapshot_and_cycle_2_shows_the_change() -> None:
    process = _two_cycles()
    seen = monitoring(process.workflow, process.state)
    assert [s.cycle for s in seen.snapshots] == [1, 2]
    quote, volunteers = seen.rows
    assert (quote.value, quote.previous, quote.cycle) == (11.0, 12.5, 2)
    assert quote.change == pytest.approx(-1.5)
    assert quote.change_trend == "better"  # higher is worse, and it fell
    assert quote.difference == pytest.approx(1.9)
    assert quote.reference_trend == "worse"  # still above the city average
    assert (volunteers.change, volunteers.change_trend) == (-6, "worse")
    assert volunteers.reference is None
    assert volunteers.reference_trend is None


def test_log_replays_and_round_trips_through_the_codec() -> None:
    process = _two_cycles()
    stored = [event_from_dict(json.loads(json.dumps(event_to_dict(e)))) for e in process.log]
    assert stored == list(process.log)
    assert fold(stored, WORKFLOW) == process.state
    replayed = Process.replay(WORKFLOW, stored)
    assert replayed.state.indicator_entries == process.state.indicator_entries


def test_replay_refuses_a_value_for_an_undeclared_indicator() -> None:
    from sozialraumprozess.errors import ReplayError

    process = _two_cycles()
    data = [event_to_dict(e) for e in process.log]
    data[1]["payload"]["values"] = {"gibt_es_nicht": 1}
    with pytest.raises(ReplayError) as caught:
        fold([event_from_dict(d) for d in data], WORKFLOW)
    assert "gibt_es_nicht" in caught.value.message("en")


def test_stored_values_must_be_numbers() -> None:
    from sozialraumprozess.runtime.events import EventDataError, IndicatorValuesRecorded

    with pytest.raises(EventDataError, match=r"\$\.payload\.values"):
        IndicatorValuesRecorded.from_payload({"stichtag": "2025-12-31", "values": {"a": "1"}})
    with pytest.raises(EventDataError, match="stichtag"):
        IndicatorValuesRecorded.from_payload({"values": {"a": 1}})


_RECORDING = st.tuples(
    st.sampled_from(["sgb2_quote", "engagierte", "sgb2_qoute", "xyz"]),
    st.one_of(st.integers(-5, 100), st.floats(-5, 100, allow_nan=False), st.text(max_size=3)),
    st.sampled_from(["statistik", "kommune"]),
    st.sampled_from(["2024-12-31", "31.12.2025", "2025-02-30"]),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_RECORDING, max_size=8), st.booleans())
def test_any_sequence_of_recordings_replays_to_the_same_state(
    recordings: list[tuple[str, object, str, str]], advance: bool
) -> None:
    process = _process()
    for indicator, value, role, day in recordings:
        seq = process.state.seq
        try:
            process.record_indicators(day, {indicator: value}, by=role)
        except (InvalidData, PermissionDenied):
            assert process.state.seq == seq  # refused: nothing recorded
        if advance and not process.blockers():
            process.advance(by="kommune")
    assert fold(process.log, WORKFLOW) == process.state
    for record in process.state.indicator_entries:
        assert set(record.values) <= {"sgb2_quote", "engagierte"}


# ------------------------------------------------------------------ charts and comparison


def test_indicator_chart_shows_series_target_and_reference() -> None:
    process = _two_cycles()
    svg = indicator_chart(
        WORKFLOW,
        process.state,
        "sgb2_quote",
        lang="en",
        target=Target(8.0, dt.date(2029, 12, 31)),
    )
    for text in ("SGB II rate", "Schwerte-Ost", "Target value", "city average", "12/31/29"):
        assert text in svg
    german = indicator_chart(WORKFLOW, process.state, "engagierte")
    assert "Engagierte Ehrenamtliche" in german
    assert "Referenzwert" not in german  # no reference declared: no reference line


def test_compare_runs_side_by_side() -> None:
    first = _two_cycles()
    second = _process("Holzen")
    second.record_indicators("31.12.2025", {"sgb2_quote": 7.5}, by="statistik")
    third = _process("Ergste")
    runs = [
        ("Schwerte-Ost", WORKFLOW, first.state),
        ("Holzen", WORKFLOW, second.state),
        ("Ergste", WORKFLOW, third.state),
    ]
    table = compare_runs(runs)
    assert table.names == ("Schwerte-Ost", "Holzen", "Ergste")
    quote = table.rows[0]
    assert quote.indicator.id == "sgb2_quote"
    assert quote.values == ((11.0, "2025-12-31"), (7.5, "2025-12-31"), None)
    assert quote.trends == ("worse", "better", None)
    svg = comparison_chart(runs, "sgb2_quote")
    assert "Holzen" in svg
    assert "Schwerte-Ost" in svg
    with pytest.raises(KeyError):
        comparison_chart(runs, "nirgends")


def test_goals_can_cite_indicators_through_the_reference_seam() -> None:
    fields = {"ziel_indikator": {"type": "indicator-ref"}, "weitere": {"type": "indicator-refs"}}
    cited = workflow(
        artifacts={"profil": {"title": "Profil", "owner": "kommune", "fields": fields}}
    )
    process = Process.start(cited, sozialraum="Schwerte-Ost", by="kommune")
    with pytest.raises(InvalidData) as caught:
        process.submit(
            "profil", {"ziel_indikator": "sgb2_qoute", "weitere": ["engagierte"]}, by="kommune"
        )
    assert caught.value.paths == ("ziel_indikator",)
    assert "sgb2_quote" in caught.value.message("de")
    assert process.state.seq == 1
    process.submit(
        "profil", {"ziel_indikator": "sgb2_quote", "weitere": ["engagierte"]}, by="kommune"
    )
    assert process.state.seq == 2


def test_the_report_charts_draw_the_targets_the_goals_set() -> None:
    """In the six-phase sample the goals set targets for four indicators: their charts
    draw the target line with its date; the indicators no goal targets have none."""
    from sozialraumprozess.scenario.sample import run_sample
    from sozialraumprozess.steering.chain import goal_targets, wirkungskette
    from sozialraumprozess.steering.indicators import monitoring, monitoring_section

    process = run_sample(load_workflow("generationengerechte-sozialraumentwicklung"))
    targets = goal_targets(wirkungskette(process.workflow, process.state))
    assert targets["kontakte_anlaufstelle"] == Target(30.0, dt.date(2026, 12, 31))
    assert targets["zwar_gruppen"] == Target(2.0, dt.date(2029, 12, 31))
    assert "sgb2_quote" not in targets
    section = monitoring_section(process.workflow, process.state, "en")
    seen = monitoring(process.workflow, process.state)
    drawn = [r.indicator.id for r in seen.rows if r.value is not None]
    assert len(drawn) == len(section["charts"]) == 7
    for indicator, svg in zip(drawn, section["charts"], strict=True):
        assert ("Target value" in svg) == (indicator in targets), indicator
    assert "12/31/26" in section["charts"][drawn.index("kontakte_anlaufstelle")]
    # given targets replace the goals' ones
    given = monitoring_section(process.workflow, process.state, "en", targets={})
    assert not any("Target value" in svg for svg in given["charts"])
