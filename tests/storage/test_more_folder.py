"""Folder store edges: a store whose runs folder is gone, documents of a missing run,
appending to a missing run, and leftovers of an interrupted create that are not runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from sozialraumprozess.errors import NotAStore, RunNotFound
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.storage import FolderStore, create_run
from sozialraumprozess.storage.summary import summarize

from .conftest import digest


def test_a_store_without_its_runs_folder_is_refused_unchanged(tmp_path: Path) -> None:
    root = tmp_path / "store"
    FolderStore(root).close()
    (root / "runs").rmdir()
    before = digest(root)
    with pytest.raises(NotAStore) as info:
        FolderStore(root)
    assert info.value.message("en") == (
        f"{root} is not a sozialraumprozess store: the folder 'runs' is missing."
    )
    assert info.value.reason_de == "der Ordner 'runs' fehlt"
    assert digest(root) == before
    assert not (root / "runs").exists()


def test_documents_of_a_missing_run_are_refused_without_a_folder(tmp_path: Path) -> None:
    store = FolderStore(tmp_path / "store")
    with pytest.raises(RunNotFound) as info:
        store.documents_dir("fehlt")
    assert info.value.message("en") == f"No run 'fehlt' in store {tmp_path / 'store'}."
    assert info.value.message("de") == f"Kein Lauf 'fehlt' im Speicher {tmp_path / 'store'}."
    assert not (tmp_path / "store" / "runs" / "fehlt").exists()


def test_documents_of_a_run_are_its_documents_folder(tmp_path: Path, sample: Process) -> None:
    store = FolderStore(tmp_path / "store")
    create_run(store, "nord", sample)
    folder = store.run_dir("nord") / "documents"
    folder.rmdir()
    assert store.documents_dir("nord") == folder
    assert folder.is_dir()


def test_appending_to_a_missing_run_is_refused(tmp_path: Path, sample: Process) -> None:
    store = FolderStore(tmp_path / "store")
    create_run(store, "nord", sample)
    sample.set_participant("Anna Berger", ["kommune"], by="kommune")
    new = sample.log[55:]
    before = digest(tmp_path / "store")
    with pytest.raises(RunNotFound) as info:
        store.append("sued", new, expected_version=55, summary=summarize("sued", sample))
    assert info.value.run_id == "sued"
    assert digest(tmp_path / "store") == before


def test_hidden_leftovers_in_the_runs_folder_are_not_runs(tmp_path: Path, sample: Process) -> None:
    store = FolderStore(tmp_path / "store")
    create_run(store, "nord", sample)
    (tmp_path / "store" / "runs" / ".new-sued-123-abcd").mkdir()
    assert [s.run_id for s in store.list_runs()] == ["nord"]
