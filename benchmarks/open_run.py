"""Opening a stored run: ``open_run`` against one ``json.loads`` of the whole log + replay.

Run: ``python benchmarks/open_run.py [REPEATS]`` (default 5; best of the repeats).

For 20, 2,000 and 20,000 events, a run is stored in a folder store and in a
SQLite store (the six-phase sample run; longer runs go on with participants
and new versions of the analysis phase's artifacts, as a long process would).
Measured in the same run:

* ``floor``    — the log file's bytes parsed by one ``json.loads`` of
  ``"[" + ",".join(lines) + "]"``, plus ``Process.replay`` of the events
  already decoded (what opening would cost if decoding were free);
* ``open_run`` — ``open_run(store, run_id)``: read, decode (with every check:
  UTF-8, JSON per line, event shape, seq per line), verify, replay.

The target (issue 10): ``open_run`` within 2× the floor at every size.
"""

from __future__ import annotations

import gc
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sozialraumprozess import Process, load_workflow
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.scenario.sample import run_sample
from sozialraumprozess.storage import FolderStore, SqliteStore, create_run, open_run

WORKFLOW = load_workflow("generationengerechte-sozialraumentwicklung")
SIZES = (20, 2_000, 20_000)


def long_process(events: int) -> Process:
    """The sample run cut or continued to exactly ``events`` events."""
    sample = run_sample(WORKFLOW)
    if events <= len(sample.log):
        return Process.replay(WORKFLOW, sample.log[:events])
    clock = FixedClock(datetime(2026, 1, 5, 8, 0, tzinfo=UTC), step=timedelta(minutes=5))
    process = Process.replay(WORKFLOW, sample.log, clock=clock)
    profile = next(
        e
        for e in sample.log
        if e.type == "artifact_submitted" and e.payload["artifact"] == "sozialraumprofil"
    )
    data = profile.payload["data"]
    n = 0
    while len(process.log) < events:
        if n % 2:
            process.set_participant(f"Initiative {n}", ["freier_traeger"], by="kommune")
        else:
            process.submit("sozialraumprofil", data, by="sozialraumkoordination")
        n += 1
    return process


def best(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def floor(log_bytes: bytes) -> None:
    lines = log_bytes.decode("utf-8").splitlines()
    items = json.loads("[" + ",".join(lines) + "]")
    assert len(items) == len(lines)


def stored_rows(store: Any) -> bytes:
    """The SQLite store's event rows as the lines of one log."""
    rows = store._conn.execute("SELECT event FROM events WHERE run_id = ? ORDER BY seq", ("r",))
    return ("\n".join(row[0] for row in rows) + "\n").encode()


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(f"Python {sys.version.split()[0]}; best of {repeats}\n")
    print(
        f"{'events':>7}  {'store':<7}{'loads':>10}{'replay':>10}{'floor':>10}{'open_run':>10}"
        f"{'µs/event':>10}{'× floor':>9}"
    )
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            process = long_process(size)
            assert len(process.log) == size
            events = process.log
            replay = best(lambda events=events: Process.replay(WORKFLOW, events), repeats)
            stores = {
                "folder": FolderStore(Path(tmp) / f"folder-{size}", create=True),
                "sqlite": SqliteStore(Path(tmp) / f"runs-{size}.sqlite"),
            }
            for name, store in stores.items():
                create_run(store, "r", process)
                log_bytes = (
                    (Path(tmp) / f"folder-{size}" / "runs" / "r" / "events.jsonl").read_bytes()
                    if name == "folder"
                    else stored_rows(store)
                )
                loads = best(lambda log_bytes=log_bytes: floor(log_bytes), repeats)
                opened = best(lambda store=store: open_run(store, "r"), repeats)
                assert open_run(store, "r").process.state == process.state
                base = loads + replay
                ratio = opened / base
                worst = max(worst, ratio)
                print(
                    f"{size:>7}  {name:<7}{loads * 1e3:>8.2f}ms{replay * 1e3:>8.2f}ms"
                    f"{base * 1e3:>8.2f}ms{opened * 1e3:>8.2f}ms"
                    f"{opened / size * 1e6:>10.1f}{ratio:>8.2f}×"
                )
                store.close()
    print(f"\nworst open_run / floor: {worst:.2f}× (target ≤ 2×)")


if __name__ == "__main__":
    main()
