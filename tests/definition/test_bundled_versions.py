"""Bundled workflows evolve like an author's: a changed file gets a new version, and a
run of every previous bundled version migrates to the current one."""

from __future__ import annotations

from pathlib import Path

from sozialraumprozess.app import Service
from sozialraumprozess.definition.loader import bundled_workflows, load_workflow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.storage.session import create_run

HISTORY = Path(__file__).resolve().parents[1] / "fixtures" / "bundled"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _history(workflow_id: str) -> list[Workflow]:
    files = sorted((HISTORY / workflow_id).glob("*.yaml"), key=lambda p: _version_key(p.stem))
    return [load_workflow(str(path)) for path in files]


def test_every_bundled_version_is_recorded_and_unchanged() -> None:
    for workflow_id in bundled_workflows():
        current = load_workflow(workflow_id)
        recorded = {w.version: w for w in _history(workflow_id)}
        assert current.version in recorded, (
            f"{workflow_id} {current.version} is not recorded: run "
            "`python3 tests/definition/record_bundled.py`"
        )
        assert recorded[current.version].content_hash == current.content_hash, (
            f"{workflow_id} changed without a new version: bump `version` in the file, then "
            "run `python3 tests/definition/record_bundled.py`"
        )
        versions = [w.version for w in _history(workflow_id)]
        assert versions[-1] == current.version, f"{workflow_id}: {versions} ends before current"


def test_a_stored_run_of_each_previous_version_migrates_to_the_current(tmp_path: Path) -> None:
    moved = 0
    for workflow_id in bundled_workflows():
        current = load_workflow(workflow_id)
        history = _history(workflow_id)
        known = {w.content_hash: w for w in history}
        for old in history[:-1]:
            url = str(tmp_path / f"{workflow_id}-{old.version}")
            service = Service.open(url, create=True)
            try:
                starter = old.first_phase.responsible
                process = Process.start(old, sozialraum="Probe", by=starter)
                create_run(service.store, "lauf", process)
                report = service.migration_report("lauf", current)
                assert not report.blocked, report.text("en")
                service.migrate("lauf", current, reason="neue Fassung", by=starter)
                reopened = service.load("lauf").process
            finally:
                service.close()
            assert reopened.workflow.content_hash == current.content_hash
            replayed = Process.replay(
                current, reopened.log, definitions=lambda ref, k=known: k.get(ref.content_hash)
            )
            assert replayed.state == reopened.state
            moved += 1
    previous = sum(len(_history(w)) - 1 for w in bundled_workflows())
    assert moved == previous
