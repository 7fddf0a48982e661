"""Stores keep a copy of every workflow definition their runs are pinned to.

A run pinned to definition A keeps loading without ``workflow=`` after the bundled
workflow (or the consultant's file) changed to B; a damaged copy is an error that
names its file or row; runs without a copy fall back to the resolver and, failing
that, get a message naming the definition they need and how to pass it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import (
    CorruptRunError,
    DefinitionMismatch,
    DefinitionUnavailable,
    UnknownNameError,
)
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import WorkflowRef
from sozialraumprozess.scenario.sample import run_sample, start_sample
from sozialraumprozess.storage import (
    FolderStore,
    RunStore,
    SqliteStore,
    StoredDefinition,
    create_run,
    definitions as copies,
    open_run,
    summarize,
)
from sozialraumprozess.storage.definitions import canonical_json

from .conftest import open_store, refuse


def changed(workflow: Workflow, version: str = "0.9-alt", **changes: Any) -> Workflow:
    """``workflow`` as another definition (another version, maybe other fields)."""
    data = workflow.to_dict()
    data.update(version=version, **changes)
    return load_workflow(data)


def sha(data: Any) -> str:
    return "sha256:" + hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def where_copy(store: RunStore, content_hash: str) -> str:
    """How errors name the stored copy: its file, or its row."""
    if isinstance(store, FolderStore):
        return str(store.definition_path(content_hash))
    return f"{store.location} [definitions, content_hash {content_hash!r}]"


def tamper(store: RunStore, content_hash: str, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the stored copy, behind the store's back."""
    if isinstance(store, FolderStore):
        path = store.definition_path(content_hash)
        text = path.read_text("utf-8")
        assert text.count(old) == 1
        path.write_text(text.replace(old, new), "utf-8")
        return
    with sqlite3.connect(store.location) as conn:
        (text,) = conn.execute(
            "SELECT definition FROM definitions WHERE content_hash = ?", (content_hash,)
        ).fetchone()
        assert text.count(old) == 1
        conn.execute(
            "UPDATE definitions SET definition = ? WHERE content_hash = ?",
            (text.replace(old, new), content_hash),
        )
    conn.close()


def create_without_copy(store: RunStore, run_id: str, process: Process) -> None:
    """Store a run as a writer from before definition copies would."""
    store.create(run_id, process.log, summarize(run_id, process))


# ---------------------------------------------------------------------------- the point


def test_run_loads_after_its_definition_changed(
    store: RunStore, reopen: Any, workflow: Workflow
) -> None:
    old = changed(workflow)  # A: what the run was started on
    assert old.content_hash != workflow.content_hash  # B: today's bundled definition
    process = run_sample(old)
    create_run(store, "schwerte-ost", process)
    again: RunStore = reopen()  # another program, default (bundled) resolver
    run = open_run(again, "schwerte-ost")
    assert run.process.workflow == old  # equal, down to the order of roles and fields
    assert run.process.workflow.content_hash == old.content_hash
    assert run.process.pinned.as_tuple() == (old.id, "0.9-alt", old.content_hash)
    assert run.process.state == process.state
    # it keeps working: new events are saved and load again on the stored copy
    run.process.set_participant("Stadtteilbibliothek", ["kommune"], by="kommune")
    assert run.save() == len(process.log) + 1
    assert len(open_run(reopen(), "schwerte-ost").process.log) == len(process.log) + 1


def test_resolver_is_not_asked_when_a_copy_is_stored(
    kind: str, tmp_path: Path, workflow: Workflow
) -> None:
    old = changed(workflow)
    store = open_store(kind, tmp_path / "store")
    create_run(store, "r1", start_sample(old))
    store.close()
    again = open_store(kind, tmp_path / "store", resolver=refuse)
    assert open_run(again, "r1").process.workflow.content_hash == old.content_hash
    again.close()


def test_consultants_own_file_may_change_or_vanish(kind: str, tmp_path: Path) -> None:
    """A workflow file with its own template: the copy needs neither file nor template."""
    data = load_workflow("generationengerechte-sozialraumentwicklung").to_dict()
    data.update(id="mein-workflow", version="1")
    [first_artifact] = list(data["artifacts"])[:1]
    data["artifacts"][first_artifact]["template"] = "eigene-vorlage.md.j2"
    folder = tmp_path / "workflow"
    (folder / "templates").mkdir(parents=True)
    (folder / "templates" / "eigene-vorlage.md.j2").write_text("# {{ title }}\n", "utf-8")
    path = folder / "mein-workflow.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")  # JSON is YAML
    mine = load_workflow(path)
    store = open_store(kind, tmp_path / "store", resolver=lambda ref: load_workflow(path))
    create_run(store, "r1", start_sample(mine))
    data["version"] = "2"  # the consultant edits the file ...
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert open_run(store, "r1").process.workflow.content_hash == mine.content_hash
    path.unlink()  # ... and finally deletes it with its templates
    (folder / "templates" / "eigene-vorlage.md.j2").unlink()
    loaded = open_run(store, "r1").process.workflow
    assert loaded == mine
    assert loaded.artifact(first_artifact).template == "eigene-vorlage.md.j2"
    store.close()


def test_explicit_workflow_must_still_match_the_pin(store: RunStore, workflow: Workflow) -> None:
    old = changed(workflow)
    create_run(store, "r1", start_sample(old))
    with pytest.raises(DefinitionMismatch) as info:
        open_run(store, "r1", workflow)
    assert type(info.value) is DefinitionMismatch
    assert info.value.expected == (old.id, "0.9-alt", old.content_hash)
    assert info.value.actual == (workflow.id, workflow.version, workflow.content_hash)
    assert open_run(store, "r1", old).process.workflow is old


# ---------------------------------------------------------------------------- damaged copies


def test_tampered_copy_is_refused_naming_file_or_row(
    store: RunStore, workflow: Workflow, kind: str
) -> None:
    old = changed(workflow)
    create_run(store, "r1", start_sample(old))
    version = '"version": "0.9-alt"' if kind == "folder" else '"version":"0.9-alt"'
    tamper(store, old.content_hash, version, version.replace("alt", "alx"))
    tampered = {**old.to_dict(), "version": "0.9-alx"}
    where = where_copy(store, old.content_hash)
    expected = (
        f"{where}: definition copy does not match its hash: stored as {old.content_hash}, "
        f"its content hashes to {sha(tampered)} (changed or damaged)"
    )
    with pytest.raises(CorruptRunError) as info:
        open_run(store, "r1")
    assert info.value.message("en") == expected
    assert info.value.path == where
    assert str(info.value).startswith(f"{where}: Definitionskopie passt nicht zu ihrem Hash")
    for call in (lambda: store.get_definition(old.content_hash), store.list_definitions):
        with pytest.raises(CorruptRunError) as again:
            call()
        assert again.value.message("en") == expected
    # the run itself is intact: with its definition passed explicitly it loads
    assert open_run(store, "r1", old).process.pinned.content_hash == old.content_hash


def test_copy_that_is_not_json_is_refused_with_file_and_line(
    tmp_path: Path, workflow: Workflow
) -> None:
    store = FolderStore(tmp_path / "store")
    create_run(store, "r1", start_sample(workflow))
    path = store.definition_path(workflow.content_hash)
    path.write_bytes(path.read_bytes()[:200])  # torn
    with pytest.raises(CorruptRunError) as info:
        open_run(store, "r1")
    assert info.value.path == str(path)
    assert info.value.line is not None
    assert info.value.message("en").startswith(
        f"{path}:{info.value.line}: definition copy is not valid JSON (column "
    )
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(CorruptRunError) as info:
        open_run(store, "r1")
    assert info.value.message("en") == f"{path}: definition copy is not valid UTF-8 (byte 1)"


def test_sqlite_row_whose_columns_disagree_with_its_copy(
    tmp_path: Path, workflow: Workflow
) -> None:
    store = SqliteStore(tmp_path / "runs.sqlite")
    create_run(store, "r1", start_sample(workflow))
    with sqlite3.connect(store.location) as conn:
        conn.execute("UPDATE definitions SET workflow_version = '7.0'")
    conn.close()
    where = where_copy(store, workflow.content_hash)
    copy = f"{workflow.id!r} '{workflow.version}'"
    expected = f"{where}: columns say {workflow.id!r} '7.0', the copy is {copy}"
    with pytest.raises(CorruptRunError) as info:
        open_run(store, "r1")
    assert info.value.message("en") == expected
    with pytest.raises(CorruptRunError) as info:
        store.list_definitions()
    assert info.value.message("en") == expected
    store.close()


def test_copy_this_library_rebuilds_differently_is_a_mismatch(
    store: RunStore, workflow: Workflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Intact copy, but a (future) library builds another definition from it."""
    old = changed(workflow)
    create_run(store, "r1", start_sample(old))
    monkeypatch.setattr(copies, "_VERIFIED", {})
    monkeypatch.setattr(copies, "structure_workflow", lambda data: workflow)
    with pytest.raises(DefinitionMismatch) as info:
        open_run(store, "r1")
    assert info.value.expected == (old.id, "0.9-alt", old.content_hash)
    assert info.value.actual == (workflow.id, workflow.version, workflow.content_hash)


# ---------------------------------------------------------------------------- fallback


def test_run_without_copy_loads_through_the_bundled_workflow(
    store: RunStore, workflow: Workflow
) -> None:
    process = run_sample(workflow)
    create_without_copy(store, "r1", process)
    assert store.list_definitions() == []
    assert open_run(store, "r1").process.state == process.state


def test_run_without_copy_pinned_to_an_old_version_names_what_it_needs(
    store: RunStore, workflow: Workflow
) -> None:
    old = changed(workflow)
    create_without_copy(store, "r1", start_sample(old))
    with pytest.raises(DefinitionUnavailable) as info:
        open_run(store, "r1")
    error = info.value
    assert isinstance(error, DefinitionMismatch)  # callers catching that keep working
    pinned = (old.id, "0.9-alt", old.content_hash)
    assert (error.expected, error.offered, error.run_id) == (
        pinned,
        (workflow.id, workflow.version, workflow.content_hash),
        "r1",
    )
    assert error.actual == error.offered
    assert error.message("en") == (
        f"Run 'r1' in {store.location} is pinned to workflow {old.id} 0.9-alt "
        f"({old.content_hash}). The store holds no copy of this definition and the "
        f"resolver offers {workflow.id} {workflow.version} ({workflow.content_hash}) instead. "
        "Load it with that definition: open_run(store, 'r1', workflow=load_workflow(\"….yaml\")) "
        f"(the file of {old.id} version 0.9-alt with exactly this content); "
        "store.put_definition(workflow) keeps a copy for next time."
    )
    assert str(error).startswith(
        f"Der Lauf 'r1' in {store.location} ist an den Workflow {old.id} 0.9-alt "
        f"({old.content_hash}) gebunden. Der Speicher enthält keine Kopie dieser "
        f"Definition, und angeboten wird stattdessen {workflow.id} {workflow.version}"
    )
    # the advice works: pass it once, or keep a copy
    assert open_run(store, "r1", old).process.workflow is old
    assert store.put_definition(old) == old.content_hash
    assert open_run(store, "r1").process.workflow == old


def test_run_without_copy_of_an_unknown_workflow(store: RunStore, workflow: Workflow) -> None:
    mine = changed(workflow, version="3", id="eigener-workflow")
    create_without_copy(store, "r1", start_sample(mine))
    with pytest.raises(UnknownNameError):
        load_workflow("eigener-workflow")  # not bundled
    with pytest.raises(DefinitionUnavailable) as info:
        open_run(store, "r1")
    assert (info.value.offered, info.value.actual) == (None, ("", "", ""))
    assert info.value.message("en") == (
        f"Run 'r1' in {store.location} is pinned to workflow eigener-workflow 3 "
        f"({mine.content_hash}). The store holds no copy of this definition and no workflow "
        "with id 'eigener-workflow' is available. Load it with that definition: "
        "open_run(store, 'r1', workflow=load_workflow(\"….yaml\")) (the file of "
        "eigener-workflow version 3 with exactly this content); "
        "store.put_definition(workflow) keeps a copy for next time."
    )
    assert "es gibt keinen Workflow mit der Id 'eigener-workflow'" in str(info.value)


def test_saving_a_run_without_copy_stores_one(
    kind: str, tmp_path: Path, workflow: Workflow
) -> None:
    old = changed(workflow)
    store = open_store(kind, tmp_path / "store")
    create_without_copy(store, "r1", start_sample(old))
    run = open_run(store, "r1", old)  # the user passes the definition once ...
    run.process.set_participant("Stadtteilbibliothek", ["kommune"], by="kommune")
    run.save()
    assert [d.content_hash for d in store.list_definitions()] == [old.content_hash]
    store.close()
    again = open_store(kind, tmp_path / "store", resolver=refuse)
    assert len(open_run(again, "r1").process.log) == 2  # ... and never again
    again.close()


# ---------------------------------------------------------------------------- the API


def test_list_and_get_definitions(store: RunStore, workflow: Workflow) -> None:
    old = changed(workflow)
    other = changed(workflow, version="3", id="anderer-workflow")
    assert store.list_definitions() == []
    create_run(store, "a1", start_sample(old))
    create_run(store, "a2", start_sample(old))
    create_run(store, "b1", start_sample(workflow))
    create_run(store, "c1", start_sample(other))
    assert store.list_definitions() == [
        StoredDefinition(other.content_hash, "anderer-workflow", "3"),
        StoredDefinition(old.content_hash, workflow.id, "0.9-alt"),
        StoredDefinition(workflow.content_hash, workflow.id, workflow.version),
    ]
    assert store.list_definitions()[1].ref == WorkflowRef(workflow.id, "0.9-alt", old.content_hash)
    fetched = store.get_definition(old.content_hash)
    assert fetched == old
    assert fetched is not None
    assert fetched.content_hash == old.content_hash
    assert store.get_definition("sha256:" + "0" * 64) is None
    # deleting runs keeps the copies (other runs may share them)
    store.delete("c1")
    assert len(store.list_definitions()) == 3


@pytest.mark.parametrize("bad", ["../../etc/passwd", "sha256:ABC", "sha256:" + "0" * 63, ""])
def test_get_definition_refuses_what_is_not_a_hash(store: RunStore, bad: str) -> None:
    with pytest.raises(ValueError, match="not a content hash") as info:
        store.get_definition(bad)
    assert str(info.value) == (
        f"not a content hash: {bad!r} (expected 'sha256:' and 64 hex digits)"
    )


def test_put_definition_writes_once(store: RunStore, workflow: Workflow, kind: str) -> None:
    assert store.put_definition(workflow) == workflow.content_hash
    if isinstance(store, FolderStore):
        path = store.definition_path(workflow.content_hash)
        before = path.stat()
        assert store.put_definition(workflow) == workflow.content_hash
        after = path.stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    else:
        assert store.put_definition(workflow) == workflow.content_hash
    create_run(store, "r1", start_sample(workflow))
    assert store.list_definitions() == [
        StoredDefinition(workflow.content_hash, workflow.id, workflow.version)
    ]


def test_create_refuses_a_workflow_the_run_is_not_pinned_to(
    store: RunStore, workflow: Workflow
) -> None:
    old = changed(workflow)
    process = start_sample(old)
    with pytest.raises(ValueError, match="given for run 'r1', which is pinned to") as info:
        store.create("r1", process.log, summarize("r1", process), workflow=workflow)
    assert str(info.value) == (
        f"workflow {workflow.id} {workflow.version} ({workflow.content_hash}) given for run "
        f"'r1', which is pinned to {old.id} 0.9-alt ({old.content_hash})"
    )
    assert store.list_runs() == []
    assert store.list_definitions() == []


# ---------------------------------------------------------------------------- folder layout


def test_folder_copy_is_json_named_by_hash(tmp_path: Path, workflow: Workflow) -> None:
    """Indented JSON in the definition's own order; the same bytes for the same definition."""
    first, second = FolderStore(tmp_path / "one"), FolderStore(tmp_path / "two")
    create_run(first, "r1", start_sample(workflow))
    create_run(second, "anders", run_sample(workflow))
    hexdigest = workflow.content_hash.removeprefix("sha256:")
    path = tmp_path / "one" / "definitions" / f"{hexdigest}.json"
    assert sorted(p.name for p in (tmp_path / "one" / "definitions").iterdir()) == [path.name]
    raw = path.read_bytes()
    assert raw == (tmp_path / "two" / "definitions" / path.name).read_bytes()
    text = raw.decode("utf-8")
    assert text == json.dumps(workflow.to_dict(), ensure_ascii=False, indent=2) + "\n"
    assert sha(json.loads(text)) == workflow.content_hash
    assert text.startswith('{\n  "format": "sozialraumprozess/v2",\n  "id": ')


def test_folder_listing_skips_what_is_not_a_copy(tmp_path: Path, workflow: Workflow) -> None:
    store = FolderStore(tmp_path / "store")
    create_run(store, "r1", start_sample(workflow))
    (store.definitions / "LIESMICH.txt").write_text("von Hand abgelegt\n", "utf-8")
    (store.definitions / f".{'a' * 64}.json.123.abcd.tmp").write_bytes(b"{")
    assert store.list_definitions() == [
        StoredDefinition(workflow.content_hash, workflow.id, workflow.version)
    ]


def test_folder_copy_written_by_concurrent_creators(tmp_path: Path, workflow: Workflow) -> None:
    """Threads creating runs on one new definition: one file, no temporary leftovers."""
    store = FolderStore(tmp_path / "store")
    process = start_sample(workflow)
    errors: list[BaseException] = []

    def create(number: int) -> None:
        try:
            create_run(store, f"r{number}", process)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [p.name for p in store.definitions.iterdir()] == [
        workflow.content_hash.removeprefix("sha256:") + ".json"
    ]
    assert len(store.list_runs()) == 16
    assert open_run(FolderStore(tmp_path / "store", resolver=refuse), "r7").process.log == (
        process.log
    )
