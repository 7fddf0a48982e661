"""Saving and loading processes: the sample scenario, sessions, listing, deleting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from sozialraumprozess import ConflictError, RunNotFound
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario.sample import SCENARIO, run_sample, sample_clock, start_sample
from sozialraumprozess.storage import RunStore, create_run, open_run, summarize


def test_sample_round_trip_gives_identical_process(
    store: RunStore, reopen: Callable[[], RunStore], sample: Process, workflow: Workflow
) -> None:
    create_run(store, "schwerte-ost", sample)
    loaded = open_run(reopen(), "schwerte-ost").process
    assert loaded.log == sample.log
    assert loaded.state == sample.state
    assert loaded.to_dict() == sample.to_dict()
    assert (loaded.phase, loaded.cycle) == ("analysieren", 2)
    explicit = reopen().load("schwerte-ost", workflow)
    assert explicit.state == sample.state


def test_saving_phase_by_phase_appends_only_new_events(
    store: RunStore, reopen: Callable[[], RunStore], workflow: Workflow
) -> None:
    clock = sample_clock()
    process = start_sample(workflow, clock)
    run = create_run(store, "schwerte-ost", process)
    assert run.version == 1
    for script in SCENARIO:
        run = open_run(reopen(), "schwerte-ost", workflow, clock=clock)
        for step in script.steps:
            step.run(run.process)
        before = run.version
        assert len(run.pending) == len(run.process.log) - before
        assert run.save() == len(run.process.log)
        assert run.pending == ()
        assert run.save() == run.version  # nothing pending: nothing written
    final = open_run(reopen(), "schwerte-ost").process
    assert final.log == run_sample(workflow).log


def test_stale_run_gets_conflict_and_stores_nothing(store: RunStore, sample: Process) -> None:
    events = len(sample.log)
    create_run(store, "r1", sample)
    first = open_run(store, "r1")
    second = open_run(store, "r1")
    first.process.set_participant("Quartiersbüro", ["kommune"], by="kommune")
    second.process.set_participant("Kirchengemeinde", ["kommune"], by="kommune")
    assert first.save() == events + 1
    with pytest.raises(ConflictError) as info:
        second.save()
    error = info.value
    assert (error.run_id, error.expected, error.actual) == ("r1", events, events + 1)
    assert error.message() == (
        f"Konflikt bei Lauf 'r1': erwartet wurde Version {events}, "
        f"gespeichert ist Version {events + 1}. Lauf neu laden und erneut versuchen."
    )
    assert error.message("en") == (
        f"Conflict on run 'r1': expected version {events}, "
        f"but the store has version {events + 1}. Reload the run and try again."
    )
    assert second.version == events
    names = [p.name for p in open_run(store, "r1").process.participants]
    assert "Quartiersbüro" in names
    assert "Kirchengemeinde" not in names
    retry = second.reload()
    retry.process.set_participant("Kirchengemeinde", ["kommune"], by="kommune")
    assert retry.save() == events + 2


def test_creating_an_existing_run_is_a_conflict(store: RunStore, sample: Process) -> None:
    create_run(store, "r1", sample)
    with pytest.raises(ConflictError) as info:
        create_run(store, "r1", sample)
    assert (info.value.expected, info.value.actual) == (0, len(sample.log))
    assert str(info.value) == f"Lauf 'r1' existiert bereits (Version {len(sample.log)})."


def test_append_refuses_events_that_do_not_continue_the_version(
    store: RunStore, sample: Process
) -> None:
    create_run(store, "r1", sample.__class__.replay(sample.workflow, sample.log[:10]))
    summary = summarize("r1", sample)
    with pytest.raises(ValueError, match=r"event seq 12 does not continue version 10"):
        store.append("r1", sample.log[11:], expected_version=10, summary=summary)
    given = rf"summary of run 'r1' at version {len(sample.log)} given for run 'r1' "
    with pytest.raises(ValueError, match=given):
        store.append("r1", sample.log[10:20], expected_version=10, summary=summary)
    with pytest.raises(ValueError, match="nothing to append"):
        store.append("r1", (), expected_version=10, summary=summary)
    assert len(store.read_events("r1")) == 10


def test_listing_filters_by_workflow_phase_and_overdue(store: RunStore, workflow: Workflow) -> None:
    ids = {"a-start": None, "b-analyse": "analysieren", "c-ziele": "ziele_festlegen"}
    for run_id, until in ids.items():
        process = run_sample(workflow, until=until) if until else start_sample(workflow)
        create_run(store, run_id, process)
    every = store.list_runs()
    assert [s.run_id for s in every] == ["a-start", "b-analyse", "c-ziele"]
    assert [s.phase for s in every] == ["identifizieren", "analysieren", "ziele_festlegen"]
    assert [s.version for s in every] == [
        1,
        *(len(run_sample(workflow, until=u).log) for u in ("analysieren", "ziele_festlegen")),
    ]
    assert all(s.title == "Schwerte-Ost (Beispiel)" for s in every)
    assert [s.run_id for s in store.list_runs(phase="analysieren")] == ["b-analyse"]
    assert store.list_runs(workflow=workflow.id) == every
    assert store.list_runs(workflow="andere-id") == []
    assert store.list_runs(workflow=workflow.id, phase="umsetzung_sichern") == []
    deadlines = {s.run_id: s.deadline for s in every}
    assert all(isinstance(d, date) for d in deadlines.values())
    latest = max(d for d in deadlines.values() if d is not None)
    earliest = min(d for d in deadlines.values() if d is not None)
    assert store.list_runs(overdue_at=earliest) == []
    later = [s.run_id for s in store.list_runs(overdue_at=date(latest.year + 1, 1, 1))]
    assert later == list(ids)
    just_after_first = date.fromordinal(earliest.toordinal() + 1)
    expected = sorted(r for r, d in deadlines.items() if d is not None and d < just_after_first)
    assert [s.run_id for s in store.list_runs(overdue_at=just_after_first)] == expected
    for summary in every:
        loaded = store.load(summary.run_id)
        assert summary == summarize(summary.run_id, loaded)
        assert summary.overdue(just_after_first) == loaded.overdue(just_after_first)


def test_delete_removes_the_run_only_on_request(store: RunStore, sample: Process) -> None:
    create_run(store, "weg", sample)
    create_run(store, "bleibt", sample)
    store.delete("weg")
    assert [s.run_id for s in store.list_runs()] == ["bleibt"]
    for action in (store.delete, store.load, store.read_events, store.summary):
        with pytest.raises(RunNotFound) as info:
            action("weg")
        assert info.value.run_id == "weg"
        assert info.value.message("en") == f"No run 'weg' in store {store.location}."
    last = len(sample.log) - 1
    with pytest.raises(RunNotFound):
        store.append(
            "weg", sample.log[last:], expected_version=last, summary=summarize("weg", sample)
        )
    assert store.load("bleibt").log == sample.log
    create_run(store, "weg", sample)  # the id can be used again
    assert store.summary("weg").version == len(sample.log)
