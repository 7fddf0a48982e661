"""Portfolio benchmark: the overview of N runs against listing N runs, both stores.

A portfolio shows, per run, phase, cycle, deadline and blocker count, and the rows
of each run's newest annual report. Before, it replayed every run and (on stores
made with ``sozialraum init --workflow FILE``) parsed the workflow-file note once
per run: quadratic. Now the run summary keeps what it shows, so it should cost at
most 2x listing the runs (``store.list_runs()``), whatever N.

For each store kind and N (default 1,000, 10,000 and 50,000) the script

1. builds a store of N runs of one small run (start + participants; the run on a
   workflow *file*, with the file noted for every run as ``init --workflow FILE``
   does) quickly: the first run through the store API, the others as copies of its
   files (folder store) or through the store API without ``fsync`` (SQLite);
2. times ``store.list_runs()`` and ``portfolio()`` on a freshly opened store
   (best of ``--repeat``) and prints the ratio portfolio / listing;
3. at the smallest N only, times the old way in the same run as the baseline:
   replay every run and parse the note once per run.

Run: ``python benchmarks/portfolio.py`` (a few minutes) or ``--sizes 1000``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from attrs import evolve

from sozialraumprozess.app.portfolio import portfolio
from sozialraumprozess.app.service import Service
from sozialraumprozess.app.workflow_files import NOTE_FORMAT
from sozialraumprozess.definition.loader import bundled_workflow_path, load_workflow
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario.sample import start_sample
from sozialraumprozess.storage import (
    FolderStore,
    RunStore,
    SqliteStore,
    create_run,
    snapshot as snap,
    summarize,
)
from sozialraumprozess.storage.codec import encode_events

SIX = "generationengerechte-sozialraumentwicklung"


def sample_process(workflow_file: Path, events: int) -> Process:
    """A run on the workflow *file* with ``events`` events, in its first phase."""
    process = start_sample(load_workflow(str(workflow_file)))
    for index in range(events - 1):
        process.set_participant(f"Beteiligte {index}", ["kommune"], by="kommune")
    return process


def run_ids(n: int) -> list[str]:
    """``n`` run ids."""
    return [f"sozialraum-{i:06d}" for i in range(n)]


def note_everything(note: Path, workflow_file: Path, ids: list[str]) -> None:
    """The note ``init --workflow FILE`` keeps: every run on ``workflow_file``."""
    shown = os.path.relpath(workflow_file, note.parent)
    body = {"format": NOTE_FORMAT, "runs": dict.fromkeys(ids, shown)}
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text(json.dumps(body, indent=2) + "\n", "utf-8")


def build_folder(root: Path, process: Process, workflow_file: Path, n: int) -> FolderStore:
    """A folder store of ``n`` copies of ``process`` (the first one through the API)."""
    store = FolderStore(root)
    ids = run_ids(n)
    create_run(store, ids[0], process)
    log = encode_events(process.log)
    summary = summarize(ids[0], process)
    for run_id in ids[1:]:
        folder = store.runs / run_id
        (folder / "documents").mkdir(parents=True)
        (folder / snap.LOG_FILE).write_bytes(log)
        body = snap.encode(evolve(summary, run_id=run_id), len(log))
        (folder / snap.SNAPSHOT_FILE).write_bytes(body)
    note_everything(root / "sozialraum-workflows.json", workflow_file, ids)
    return store


def build_sqlite(path: Path, process: Process, workflow_file: Path, n: int) -> SqliteStore:
    """A SQLite store of ``n`` copies of ``process``, through the store API, no fsync."""
    store = SqliteStore(path)
    store._conn.execute("PRAGMA synchronous = OFF")  # building only: speed over durability
    ids = run_ids(n)
    create_run(store, ids[0], process)  # with the definition copy
    summary = summarize(ids[0], process)
    for run_id in ids[1:]:
        store.create(run_id, process.log, evolve(summary, run_id=run_id))
    store.close()
    note_everything(path.with_name(path.stem + "-runs") / ".sozialraum-workflows.json",
                    workflow_file, ids)  # fmt: skip
    return store


def best(fn: Callable[[], Any], repeat: int) -> float:
    """The best wall time of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def old_portfolio(url: str, note: Path) -> int:
    """The previous way: parse the note and replay the run, once per run."""
    service = Service.open(url)
    count = 0
    for summary in service.store.list_runs():
        json.loads(note.read_text("utf-8"))  # what workflow_path_of did per run
        process = service.load(summary.run_id).process
        process.blockers()
        process.deadline()
        count += 1
    service.close()
    return count


def measure(kind: str, url: str, n: int, repeat: int, note: Path, baseline: bool) -> None:
    """Time listing and portfolio on a freshly opened store; print one line."""

    def listing() -> None:
        store: RunStore = Service.open(url).store
        assert len(store.list_runs()) == n
        store.close()

    def overview() -> None:
        service = Service.open(url)
        found = portfolio([service])
        assert len(found["runs"]) == n
        service.close()

    listed = best(listing, repeat)
    shown = best(overview, repeat)
    line = (
        f"{kind:6} {n:>6} runs: list {listed:8.3f} s  portfolio {shown:8.3f} s  "
        f"ratio {shown / listed:5.2f}  ({shown / n * 1e6:6.1f} µs/run)"
    )
    if baseline:
        old = best(lambda: old_portfolio(url, note), 1)
        line += f"  | before (replay + note per run) {old:7.3f} s = {old / shown:5.1f}x now"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--events", type=int, default=5, help="events per run")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kinds", default="folder,sqlite")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as temp:
        base = Path(temp)
        workflow_file = base / "mein-workflow.yaml"
        shutil.copyfile(bundled_workflow_path(SIX), workflow_file)
        process = sample_process(workflow_file, args.events)
        for kind in args.kinds.split(","):
            for n in sizes:
                where = base / f"{kind}-{n}"
                start = time.perf_counter()
                if kind == "folder":
                    build_folder(where, process, workflow_file, n)
                    url, note = str(where), where / "sozialraum-workflows.json"
                else:
                    db = where / "p.db"
                    build_sqlite(db, process, workflow_file, n)
                    url, note = f"sqlite://{db}", db.parent / "p-runs/.sozialraum-workflows.json"
                built = time.perf_counter() - start
                print(f"{kind:6} {n:>6} runs: built in {built:.1f} s", flush=True)
                measure(kind, url, n, args.repeat, note, baseline=n == min(sizes))
                shutil.rmtree(where)


if __name__ == "__main__":
    main()
