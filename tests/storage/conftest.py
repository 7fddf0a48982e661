"""Fixtures for storage tests: the six-phase workflow, the sample run, both stores."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.runtime.events import ParticipantSet
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import Actor, Participant, ProcessEvent, WorkflowRef
from sozialraumprozess.scenario.sample import run_sample
from sozialraumprozess.storage import FolderStore, RunStore, SqliteStore

SIX_PHASE = "generationengerechte-sozialraumentwicklung"
KINDS = ("folder", "sqlite")
FIXTURES = Path(__file__).parent / "fixtures"


def open_store(kind: str, path: Path, **options: Any) -> RunStore:
    """A store of ``kind`` at ``path`` (a folder, or ``path/runs.sqlite``)."""
    if kind == "folder":
        return FolderStore(path, **options)
    return SqliteStore(path / "runs.sqlite", **options)


def digest(path: Path) -> str:
    """A hash of a file, or of every file below a folder (names and bytes): to show
    that nothing was written."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    hashed = hashlib.sha256()
    for item in files:
        hashed.update(str(item.relative_to(path)).encode() + item.read_bytes())
    return hashed.hexdigest()


def refuse(ref: WorkflowRef) -> Workflow:
    """A resolver that must not be asked (the stored copy has to do)."""
    raise AssertionError(f"resolver asked for {ref}")


def participant_event(seq: int, name: str) -> ProcessEvent:
    """A valid ``participant_set`` event that changes neither phase nor deadline."""
    return ProcessEvent(
        seq,
        datetime(2025, 1, 13, 8, 0, tzinfo=UTC),
        Actor("kommune"),
        ParticipantSet(Participant(name, ("kommune",), "organisation", None, True)),
    )


@pytest.fixture(scope="session")
def workflow() -> Workflow:
    """The bundled six-phase workflow."""
    return load_workflow(SIX_PHASE)


@pytest.fixture
def sample(workflow: Workflow) -> Process:
    """The six-phase sample scenario, played through the first cycle into the second
    (tests count its events with ``len(sample.log)``, never as a number)."""
    return run_sample(workflow)


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    """``folder`` or ``sqlite``."""
    value: str = request.param
    return value


@pytest.fixture
def store(kind: str, tmp_path: Path) -> Iterator[RunStore]:
    """A new, empty store of each kind."""
    opened = open_store(kind, tmp_path / "store")
    yield opened
    opened.close()


@pytest.fixture
def reopen(kind: str, tmp_path: Path) -> Iterator[Callable[[], RunStore]]:
    """Open the same store again (a second handle, as another program would)."""
    handles: list[RunStore] = []

    def again() -> RunStore:
        handles.append(open_store(kind, tmp_path / "store"))
        return handles[-1]

    yield again
    for handle in handles:
        handle.close()


#: Type of the :func:`store_factory` fixture: opens a store at a path.
StoreFactory = Callable[[Path], RunStore]
#: Type of the :func:`make_event` fixture.
EventFactory = Callable[[int, str], ProcessEvent]


@pytest.fixture
def store_factory(kind: str) -> StoreFactory:
    """Opens a store of this test's kind at a path (usable in forked workers)."""

    def factory(path: Path) -> RunStore:
        return open_store(kind, path)

    return factory


@pytest.fixture
def make_event() -> EventFactory:
    """:func:`participant_event`, for tests and their forked workers."""
    return participant_event
