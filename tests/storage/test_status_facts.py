"""Every store keeps, with each append, what `status` shows (the status facts)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sozialraumprozess.app.status import status_from_summary, status_of
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.storage import (
    RunStore,
    RunSummary,
    create_run,
    open_run,
    summarize,
    summary as summary_module,
)
from sozialraumprozess.storage.summary import STATUS_FORMAT, is_status, status_facts


def test_a_summary_keeps_the_facts_tagged_with_format_and_version(sample: Process) -> None:
    summary = summarize("r1", sample)
    assert summary.status is not None
    assert summary.status["format"] == STATUS_FORMAT
    assert summary.status["events"] == summary.version == len(sample.log)
    assert json.loads(json.dumps(summary.status)) == summary.status  # plain JSON
    assert summarize("r1", sample, details=False).status is None


def test_the_stored_facts_word_to_the_status_of_the_process(sample: Process) -> None:
    stored = summarize("r1", sample).status
    assert stored is not None
    for lang in ("de", "en"):
        today = sample.clock.peek().date()  # the day status_of asks the clock for
        expected = status_of(sample, "r1", "here", lang)
        found = status_from_summary(stored, "r1", "here", lang, today=today)
        assert json.dumps(found) == json.dumps(expected)


def test_the_facts_survive_the_summary_round_trip(sample: Process) -> None:
    summary = summarize("r1", sample)
    assert RunSummary.from_dict(summary.to_dict()).status == summary.status


@pytest.mark.parametrize(
    "change",
    [{"events": 1}, {"format": STATUS_FORMAT + 1}, None],
    ids=["other-version", "other-format", "not-an-object"],
)
def test_facts_of_another_version_or_format_are_dropped_when_read(
    sample: Process, change: dict[str, Any] | None
) -> None:
    data = summarize("r1", sample).to_dict()
    data["status"] = None if change is None else {**data["status"], **change}
    assert RunSummary.from_dict(data).status is None
    assert not is_status(data["status"], data["version"])


def test_facts_that_cannot_be_kept_as_json_are_left_out(
    sample: Process, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A message parameter `to_json` does not know: no facts (status replays then),
    the rest of the summary as always."""

    def refuse(value: Any) -> Any:
        raise TypeError("cannot keep it")

    monkeypatch.setattr(summary_module, "to_json", refuse)
    summary = summarize("r1", sample)
    assert summary.status is None
    assert summary.blockers is not None
    assert summary.annual is not None


def test_every_store_writes_the_facts_on_create_and_append(
    store: RunStore, sample: Process
) -> None:
    create_run(store, "r1", sample)
    assert store.summary("r1").status == summarize("r1", sample).status
    run = open_run(store, "r1")
    run.process.set_participant("Anna Berger", ["sozialraumkoordination"], by="kommune")
    run.save()
    stored = store.summary("r1").status
    assert stored is not None
    assert stored["events"] == len(sample.log) + 1
    assert stored == summarize("r1", run.process).status


def test_status_facts_name_texts_by_the_objects_that_word_them(sample: Process) -> None:
    facts = status_facts(sample)
    assert facts["phase"]["title"] == sample.workflow.phase(sample.phase).title
    assert [role for role, _ in facts["role_titles"]] == [r.id for r in sample.workflow.roles]
