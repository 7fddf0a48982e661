"""Stores written by earlier releases keep loading: the committed format fixtures.

Generation 1 (``folder-v1``, ``sqlite-v1.sqlite``): no definition copies, pinned to
``workflow-v1.yaml`` (the six-phase workflow 1.0). Generation 2 (``folder-v2``,
``sqlite-v2.sqlite``): each store holds a copy of ``workflow-v2.yaml`` (1.1).
Every test works on a copy in ``tmp_path`` and checks the committed files are untouched.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.errors import DefinitionUnavailable
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.storage import (
    FolderStore,
    RunStore,
    SqliteStore,
    StoredDefinition,
    WorkflowResolver,
    bundled_resolver,
    create_run,
    open_run,
)
from sozialraumprozess.storage.codec import encode_events
from sozialraumprozess.storage.migrations import schema_version

from .conftest import FIXTURES, SIX_PHASE, digest, refuse

#: The workflow definition the fixtures were written with (pinned by content hash).
#: The bundled one evolves (it gained template keys after the fixtures were made),
#: so the fixtures carry their own copy.
FIXTURE_WORKFLOW = FIXTURES / "workflow-v1.yaml"
V1_HASH = "sha256:a5c408834e1811f0226cd84d70c2e53c479bfaf564cddc5ec6ba0595cbc9b3a3"
V2_HASH = "sha256:ba8822d2b320bfa17419bd4597f06ae45019856ffb8dc2357ec3d406645f75e0"


@pytest.mark.parametrize("name", ["folder-v1", "sqlite-v1.sqlite"])
def test_format_v1_fixture_loads_the_sample_scenario(name: str, tmp_path: Path) -> None:
    workflow = load_workflow(FIXTURE_WORKFLOW)
    assert workflow.content_hash == (
        "sha256:a5c408834e1811f0226cd84d70c2e53c479bfaf564cddc5ec6ba0595cbc9b3a3"
    )
    source = FIXTURES / name
    before = digest(source)
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
    assert digest(source) == before  # the committed fixture itself is never touched


def _copy(name: str, tmp_path: Path, resolver: WorkflowResolver = bundled_resolver) -> RunStore:
    """A store opened on a copy of fixture ``name`` (the committed files stay untouched)."""
    source, target = FIXTURES / name, tmp_path / name
    if source.is_dir():
        shutil.copytree(source, target)
        return FolderStore(target, create=False, resolver=resolver)
    shutil.copy(source, target)
    return SqliteStore(target, create=False, resolver=resolver)


@pytest.mark.parametrize("name", ["folder-v1", "sqlite-v1.sqlite"])
def test_v1_fixture_without_copy_names_the_definition_it_needs(name: str, tmp_path: Path) -> None:
    """The bundled workflow moved on; the v1 run is pinned to 1.0 and has no copy."""
    before = digest(FIXTURES / name)
    store = _copy(name, tmp_path)
    assert store.list_definitions() == []
    with pytest.raises(DefinitionUnavailable) as info:
        open_run(store, "schwerte-ost")
    assert info.value.expected == (SIX_PHASE, "1.0", V1_HASH)
    bundled = load_workflow(SIX_PHASE)  # whatever version is bundled today
    assert info.value.offered == (SIX_PHASE, bundled.version, bundled.content_hash)
    assert info.value.message("en").startswith(
        f"Run 'schwerte-ost' in {store.location} is pinned to workflow {SIX_PHASE} 1.0 "
        f"({V1_HASH}). The store holds no copy of this definition and the resolver offers "
        f"{SIX_PHASE} {bundled.version} ({bundled.content_hash}) instead. Load it with that "
        "definition: open_run(store, "
        "'schwerte-ost', workflow=load_workflow("
    )
    # the remedy the message names: pass the definition, then keep a copy of it
    workflow = load_workflow(FIXTURE_WORKFLOW)
    assert len(open_run(store, "schwerte-ost", workflow).process.log) == 55
    assert store.put_definition(workflow) == V1_HASH
    assert store.list_definitions() == [StoredDefinition(V1_HASH, SIX_PHASE, "1.0")]
    store.close()
    reopened = (
        FolderStore(tmp_path / name, create=False, resolver=refuse)
        if name.startswith("folder")
        else SqliteStore(tmp_path / name, create=False, resolver=refuse)
    )
    assert len(open_run(reopened, "schwerte-ost").process.log) == 55
    reopened.close()
    assert digest(FIXTURES / name) == before


def test_v1_sqlite_fixture_is_migrated_to_schema_3(tmp_path: Path) -> None:
    committed = FIXTURES / "sqlite-v1.sqlite"
    before = digest(committed)
    with sqlite3.connect(f"{committed.as_uri()}?mode=ro", uri=True) as conn:
        assert schema_version(conn, str(committed)) == 1
    conn.close()
    store = _copy(
        "sqlite-v1.sqlite", tmp_path, resolver=lambda ref: load_workflow(FIXTURE_WORKFLOW)
    )
    assert isinstance(store, SqliteStore)
    assert schema_version(store._conn, store.location) == 3
    assert store._conn.execute("SELECT count(*) FROM definitions").fetchone() == (0,)
    run = open_run(store, "schwerte-ost")
    assert (len(run.process.log), run.process.phase) == (55, "analysieren")
    run.process.set_participant("Stadtteilbibliothek", ["kommune"], by="kommune")
    assert run.save() == 56  # saving gives the migrated run its copy
    assert store.list_definitions() == [StoredDefinition(V1_HASH, SIX_PHASE, "1.0")]
    store.close()
    assert digest(committed) == before


@pytest.mark.parametrize("name", ["folder-v2", "sqlite-v2.sqlite"])
def test_format_v2_fixture_loads_from_its_stored_copy(name: str, tmp_path: Path) -> None:
    workflow = load_workflow(FIXTURES / "workflow-v2.yaml")
    assert workflow.content_hash == V2_HASH
    before = digest(FIXTURES / name)
    store = _copy(name, tmp_path, resolver=refuse)  # only the stored copy may be used
    if isinstance(store, SqliteStore):
        assert schema_version(store._conn, store.location) == 3
    assert store.list_definitions() == [StoredDefinition(V2_HASH, SIX_PHASE, "1.1")]
    assert store.get_definition(V2_HASH) == workflow
    run = open_run(store, "schwerte-ost")
    process = run.process
    assert process.workflow == workflow
    assert (len(process.log), process.phase, process.cycle) == (55, "analysieren", 2)
    assert process.state == Process.replay(workflow, process.log).state
    log = FIXTURES / "folder-v2" / "runs" / "schwerte-ost" / "events.jsonl"
    assert encode_events(process.log) == log.read_bytes()
    run.process.set_participant("Stadtteilbibliothek", ["kommune"], by="kommune")
    assert run.save() == 56
    create_run(store, "neu", Process.replay(workflow, process.log[:1]))
    assert [s.run_id for s in store.list_runs()] == ["neu", "schwerte-ost"]
    assert len(store.list_definitions()) == 1
    store.close()
    assert digest(FIXTURES / name) == before
