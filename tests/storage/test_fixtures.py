"""Stores written by earlier releases keep loading: the committed format fixtures."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.storage import FolderStore, RunStore, SqliteStore, create_run, open_run
from sozialraumprozess.storage.codec import encode_events

FIXTURES = Path(__file__).parent / "fixtures"
#: The workflow definition the fixtures were written with (pinned by content hash).
#: The bundled one evolves (it gained template keys after the fixtures were made),
#: so the fixtures carry their own copy.
FIXTURE_WORKFLOW = FIXTURES / "workflow-v1.yaml"


def _digest(path: Path) -> str:
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    hashed = hashlib.sha256()
    for item in files:
        hashed.update(str(item.relative_to(path.parent)).encode() + item.read_bytes())
    return hashed.hexdigest()


@pytest.mark.parametrize("name", ["folder-v1", "sqlite-v1.sqlite"])
def test_format_v1_fixture_loads_the_sample_scenario(name: str, tmp_path: Path) -> None:
    workflow = load_workflow(FIXTURE_WORKFLOW)
    assert workflow.content_hash == (
        "sha256:a5c408834e1811f0226cd84d70c2e53c479bfaf564cddc5ec6ba0595cbc9b3a3"
    )
    source = FIXTURES / name
    before = _digest(source)
    target = tmp_path / name
    if source.is_dir():
        shutil.copytree(source, target)
        store: RunStore = FolderStore(target, create=False, resolver=lambda _: workflow)
    else:
        shutil.copy(source, target)
        store = SqliteStore(target, create=False, resolver=lambda _: workflow)
    run = open_run(store, "schwerte-ost")
    process = run.process
    assert (len(process.log), process.phase, process.cycle) == (55, "analysieren", 2)
    assert process.sozialraum.name == "Schwerte-Ost (Beispiel)"
    assert [e.type for e in process.log[:2]] == ["process_started", "participant_set"]
    assert process.state == Process.replay(workflow, process.log).state
    # today's encoding of the loaded events is byte for byte the stored log
    log = FIXTURES / "folder-v1" / "runs" / "schwerte-ost" / "events.jsonl"
    assert encode_events(process.log) == log.read_bytes()
    [summary] = store.list_runs(phase="analysieren")
    assert (summary.run_id, summary.version, summary.cycle) == ("schwerte-ost", 55, 2)
    assert str(summary.deadline) == "2025-07-08"
    # the old store accepts new writes in today's format
    run.process.set_participant("Stadtteilbibliothek", ["kommune"], by="kommune")
    assert run.save() == 56
    create_run(store, "neu", Process.replay(workflow, process.log[:1]))
    assert [s.run_id for s in store.list_runs()] == ["neu", "schwerte-ost"]
    store.close()
    assert _digest(source) == before  # the committed fixture itself is never touched
