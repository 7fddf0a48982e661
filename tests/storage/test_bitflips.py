"""Single-bit flips in stored runs are never silently accepted (issue 13 §1).

Each case flips one random bit of a pristine store — a folder store's
``events.jsonl`` or a SQLite store's whole database file — then does what
``sozialraum verify --all`` and every command that opens a run do: open the
store, verify and load every run, list the runs. Each case ends in one of:

* **refused**: opening the store, or verifying, loading or listing a run raises
  a :class:`~sozialraumprozess.errors.StoreError` that names the file (folder:
  ``events.jsonl`` or ``run.json`` and the line; SQLite: the database, with run
  and seq where an event is at fault);
* **refused by the file check**: those reads raise nothing, and SQLite's
  ``PRAGMA integrity_check`` (which ``verify --all`` runs) names the file.
  Counted apart by whether the reads were identical or a filtered listing
  differed (a flipped index entry hides a run from ``list_runs(phase=…)``:
  only a full check of the file can see that);
* **harmless**: every run verifies and loads to exactly the original events,
  summaries and heads (a flip in SQLite free space, an unused header byte …);
* **accepted** (a failure): something reads back different without an error;
* **crashed** (a failure): any exception other than a ``StoreError``.

The default suite runs a quick sample; the ≥ 400 flips per store kind of the
issue run under ``-m slow``.
"""

from __future__ import annotations

import random
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import CorruptRunError, StoreError
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.serialize import event_to_dict
from sozialraumprozess.scenario.sample import run_sample
from sozialraumprozess.storage import FolderStore, RunStore, SqliteStore, create_run
from sozialraumprozess.storage.base import WorkflowResolver

from .conftest import SIX_PHASE

RUNS = ("schwerte-ost", "zweiter-lauf")
_GOOD = (
    "refused",
    "refused by the file check (reads identical)",
    "refused by the file check (a filtered listing differed)",
    "harmless",
)


def _open(kind: str, root: Path, resolver: WorkflowResolver) -> RunStore:
    if kind == "folder":
        return FolderStore(root / "store", create=False, resolver=resolver)
    return SqliteStore(root / "runs.sqlite", create=False, resolver=resolver)


def _target(kind: str, root: Path) -> Path:
    if kind == "folder":
        return root / "store" / "runs" / RUNS[0] / "events.jsonl"
    return root / "runs.sqlite"


def _snapshot(store: RunStore) -> dict[str, Any]:
    """What a reader gets: every run verified and loaded, and the listings."""
    out: dict[str, Any] = {}
    for run_id in RUNS:
        checked = store.verify(run_id)
        process = store.load(run_id)
        summary = store.summary(run_id)
        out[run_id] = (
            checked.head,
            checked.events,
            [event_to_dict(e) for e in process.log],
            summary.to_dict(),
            summary.head,
        )
    listed = store.list_runs()
    out["list"] = [s.to_dict() for s in listed]
    out["by-phase"] = [s.run_id for s in store.list_runs(phase=listed[0].phase)]
    out["by-workflow"] = [s.run_id for s in store.list_runs(workflow=SIX_PHASE)]
    return out


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, workflow: Workflow) -> Path:
    """Both stores with two runs (the 55-event sample run and a short one), closed."""
    sample = run_sample(workflow)
    root = tmp_path_factory.mktemp("pristine")
    folder = FolderStore(root / "store")
    lite = SqliteStore(root / "runs.sqlite")
    for store in (folder, lite):
        create_run(store, RUNS[0], sample)
        create_run(store, RUNS[1], Process.replay(sample.workflow, sample.log[:4]))
        store.close()
    return root


def _classify(kind: str, case: Path, resolver: WorkflowResolver, baseline: Any) -> str:
    try:
        store = _open(kind, case, resolver)
    except StoreError as error:
        return _refused(kind, case, error)
    try:
        try:
            found = _snapshot(store)
        except StoreError as error:
            return _refused(kind, case, error)
        check_file = getattr(store, "check_file", None)
        try:
            if callable(check_file):
                check_file()
        except StoreError as error:
            outcome = _refused(kind, case, error)
            if outcome != "refused":
                return outcome
            if found == baseline:
                return "refused by the file check (reads identical)"
            return "refused by the file check (a filtered listing differed)"
        return "harmless" if found == baseline else "accepted"
    finally:
        store.close()


def _refused(kind: str, case: Path, error: StoreError) -> str:
    """``refused`` if the error names the file (and the line, for a folder log)."""
    where = str(getattr(error, "path", "") or "")
    if kind == "folder":
        named = where.endswith(("events.jsonl", "run.json"))
        if isinstance(error, CorruptRunError) and named and error.line is not None:
            return "refused"
        return f"refused without position: {error!r}"
    if where.startswith(str(case / "runs.sqlite")) or str(case) in error.message("en"):
        return "refused"
    return f"refused without naming the file: {error!r}"


def _flip_cases(
    kind: str, pristine: Path, tmp_path: Path, sample: Process, flips: int
) -> Counter[str]:
    workflow = sample.workflow

    def resolver(_: object) -> Any:
        return workflow

    baseline_store = _open(kind, pristine, resolver)
    baseline = _snapshot(baseline_store)
    baseline_store.close()
    size = _target(kind, pristine).stat().st_size
    rng = random.Random(f"bitflips-{kind}-{flips}")  # noqa: S311 - reproducible test data
    outcomes: Counter[str] = Counter()
    for number in range(flips):
        case = tmp_path / f"case{number}"
        if kind == "folder":
            shutil.copytree(pristine / "store", case / "store")
        else:
            case.mkdir()
            shutil.copy(pristine / "runs.sqlite", case / "runs.sqlite")
        target = _target(kind, case)
        data = bytearray(target.read_bytes())
        position = rng.randrange(size)
        data[position] ^= 1 << rng.randrange(8)
        target.write_bytes(bytes(data))
        try:
            outcome = _classify(kind, case, resolver, baseline)
        except Exception as error:  # every other exception is a failure, reported below
            outcome = f"crashed: {type(error).__name__}: {error}"
        outcomes[outcome if outcome in _GOOD else f"{outcome} @ {position}"] += 1
        shutil.rmtree(case)
    return outcomes


def _check(outcomes: Counter[str], flips: int) -> None:
    bad = {k: v for k, v in outcomes.items() if k not in _GOOD}
    assert not bad, f"silently accepted or crashed: {bad}"
    assert sum(outcomes.values()) == flips
    assert outcomes["refused"] > 0


@pytest.mark.parametrize("kind", ["folder", "sqlite"])
def test_bit_flips_quick(kind: str, pristine: Path, tmp_path: Path, sample: Process) -> None:
    """A CI-sized sample of flips: none accepted, none a crash."""
    _check(_flip_cases(kind, pristine, tmp_path, sample, 40), 40)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["folder", "sqlite"])
def test_400_bit_flips(kind: str, pristine: Path, tmp_path: Path, sample: Process) -> None:
    """The issue's count: 400 random single-bit flips per store kind, 0 silently accepted."""
    outcomes = _flip_cases(kind, pristine, tmp_path, sample, 400)
    print(f"\n{kind}: {dict(outcomes)}")
    _check(outcomes, 400)
