"""Storage benchmark: durable appends, loading one run, listing runs by phase.

For each store (folder, SQLite) it

1. creates ``--runs`` runs of ``--events`` events each (one durable write per run),
2. appends ``--events`` single events, each durable, to ``--append-runs`` more runs
   and measures the floor for the same bytes: a bare ``os.write`` + ``os.fsync``
   on one open file,
3. loads one run (replay included), reads one run's summary and lists all runs
   in one phase.

To compare with an older version, run this script twice in one session with
``PYTHONPATH`` pointing at each version's ``src`` (it uses only the storage API).

Run: ``python benchmarks/storage_bench.py --runs 10000``. Uses only
``time.perf_counter`` and ``timeit``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path

from attrs import evolve

from sozialraumprozess import load_workflow
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario.sample import start_sample
from sozialraumprozess.storage import FolderStore, RunStore, SqliteStore, summarize
from sozialraumprozess.storage.codec import encode_events


def sample_process(events: int) -> Process:
    """A process of ``events`` events (start + participants), in phase ``identifizieren``."""
    process = start_sample(load_workflow("generationengerechte-sozialraumentwicklung"))
    for index in range(events - 1):
        process.set_participant(f"Beteiligte {index}", ["kommune"], by="kommune")
    return process


def floor_us(lines: list[bytes], folder: Path) -> float:
    """µs per bare write+fsync of each of ``lines`` to one open file."""
    path = folder / "floor.jsonl"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        start = time.perf_counter()
        for line in lines:
            os.write(fd, line)
            os.fsync(fd)
        elapsed = time.perf_counter() - start
    finally:
        os.close(fd)
    path.unlink()
    return elapsed / len(lines) * 1e6


def bench(name: str, make: Callable[[], RunStore], args: argparse.Namespace, tmp: Path) -> None:
    """Measure one store and print its lines."""
    process = sample_process(args.events)
    log = process.log
    store = make()
    if args.sqlite_nosync and isinstance(store, SqliteStore):
        # The store's own cost per call, without the disk: fsync times on a shared
        # machine vary tenfold between runs. (Private attribute: benchmark only.)
        store._conn.execute("PRAGMA synchronous = OFF")
        name += " (synchronous=OFF)"
    # 1. populate: one durable create per run
    start = time.perf_counter()
    for index in range(args.runs):
        run_id = f"run-{index:05d}"
        store.create(run_id, log, summarize(run_id, process))
    populate = time.perf_counter() - start
    # 2. durable single-event appends, and the floor for the same bytes
    lines = [encode_events([event]) for event in log]
    append_times: list[float] = []
    for index in range(args.append_runs):
        run_id = f"append-{index:04d}"
        first = summarize(run_id, Process.replay(process.workflow, log[:1]))
        store.create(run_id, log[:1], first)
        start = time.perf_counter()
        for event in log[1:]:
            summary = evolve(first, version=event.seq, updated_at=event.time)
            store.append(run_id, [event], expected_version=event.seq - 1, summary=summary)
        append_times.append(time.perf_counter() - start)
    appended = args.append_runs * (len(log) - 1)
    append_us = sum(append_times) / appended * 1e6
    floor = floor_us(lines[1:] * args.append_runs, tmp)
    batch_floor = floor_us([b"".join(lines)] * min(args.runs, 500), tmp) / len(log)
    # 3. load one run, list by phase
    load_s = min(timeit.repeat(lambda: store.load("run-00000"), number=1, repeat=20))
    # one read of a stored summary: the per-call cost of the store itself (for SQLite:
    # finding this thread's connection), with no fsync to hide it
    summary_s = min(timeit.repeat(lambda: store.summary("run-00000"), number=200, repeat=5)) / 200
    list_times = timeit.repeat(lambda: store.list_runs(phase="identifizieren"), number=1, repeat=3)
    listed = len(store.list_runs(phase="identifizieren"))
    assert listed == args.runs + args.append_runs
    store.close()
    total = args.runs * len(log)
    nosync = args.sqlite_nosync and isinstance(store, SqliteStore)
    append_label = "append (1 event, no fsync)" if nosync else "append (1 event, durable)"
    print(f"\n== {name}: {args.runs} runs x {len(log)} events (+{args.append_runs} append runs)")
    print(
        f"create (1 durable write per run) {populate:8.2f} s   "
        f"{populate / total * 1e6:8.1f} µs/event   floor {batch_floor:6.1f} µs/event   "
        f"ratio {populate / total * 1e6 / batch_floor:5.1f}x"
    )
    print(
        f"{append_label:33}{sum(append_times):8.2f} s   "
        f"{append_us:8.1f} µs/event   floor {floor:6.1f} µs/event   "
        f"ratio {append_us / floor:5.1f}x   ({appended} appends)"
    )
    print(
        f"load one run ({len(log)} events, replay)  {load_s * 1e3:8.2f} ms   "
        f"{load_s / len(log) * 1e6:8.1f} µs/event"
    )
    print(f"summary of one run                {summary_s * 1e6:8.1f} µs")
    print(
        f"list all runs by phase ({listed})   {statistics.median(list_times) * 1e3:8.1f} ms   "
        f"{statistics.median(list_times) / listed * 1e6:8.1f} µs/run"
    )


def main() -> None:
    """Parse options and run both benchmarks in a temporary folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="runs to create (default 1000)")
    parser.add_argument("--events", type=int, default=30, help="events per run (default 30)")
    parser.add_argument(
        "--append-runs",
        type=int,
        default=100,
        help="runs filled by single durable appends (default 100)",
    )
    parser.add_argument("--dir", type=Path, default=None, help="where to write (default: tmp)")
    parser.add_argument("--only", choices=["folder", "sqlite"], default=None)
    parser.add_argument(
        "--sqlite-nosync",
        action="store_true",
        help="SQLite without fsync: the store's own cost per append (compare versions)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as name:
        tmp = Path(name)
        if args.only in (None, "folder"):
            bench("folder store", lambda: FolderStore(tmp / "folder"), args, tmp)
        if args.only in (None, "sqlite"):
            bench("SQLite store", lambda: SqliteStore(tmp / "runs.sqlite"), args, tmp)


if __name__ == "__main__":
    main()
