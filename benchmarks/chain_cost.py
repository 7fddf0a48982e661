"""What the hash chain costs: one durable command, and opening a run, against a baseline.

Run: ``python benchmarks/chain_cost.py BASELINE_SRC [REPEATS]`` where
``BASELINE_SRC`` is the ``src`` folder of the code to compare with, e.g. a
temporary worktree of the commit before the chain::

    git worktree add /tmp/baseline ff73ad4
    python benchmarks/chain_cost.py /tmp/baseline/src
    git worktree remove /tmp/baseline

Both codes run in the same invocation, each in its own Python process (same
machine, same moment), alternating, best of ``REPEATS`` (default 5) rounds:

* ``command``  — one ``Service.set_participant`` on a run of 2,000 events: open
  the run (read, verify, replay), append one event durably (``fsync``), write
  the summary; the median over 20 commands per round;
* ``open``     — ``open_run`` of a stored run of 2,000 and of 20,000 events.

Printed: seconds for each code and the ratio this code / baseline.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OURS = HERE.parent / "src"

_CHILD = r"""
import json, statistics, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(sys.argv[1]).parent))
from open_run import long_process  # the benchmark's long runs, from this code
from sozialraumprozess.app import Service
from sozialraumprozess.storage import FolderStore, SqliteStore, create_run, open_run

out = {}
for kind in ("folder", "sqlite"):
    for size in (2_000, 20_000):
        with tempfile.TemporaryDirectory() as tmp:
            store = (FolderStore(Path(tmp) / "s") if kind == "folder"
                     else SqliteStore(Path(tmp) / "s.db"))
            create_run(store, "r", long_process(size))
            opens = []
            for _ in range(3):
                t0 = time.perf_counter()
                open_run(store, "r")
                opens.append(time.perf_counter() - t0)
            out[f"open {kind} {size}"] = min(opens)
            if size == 2_000:
                url = str(Path(tmp) / "s") if kind == "folder" else f"sqlite://{tmp}/s.db"
                store.close()
                service = Service.open(url)
                times = []
                for n in range(20):
                    t0 = time.perf_counter()
                    service.set_participant("r", f"Neu {n}", ["kommune"], by="kommune")
                    times.append(time.perf_counter() - t0)
                service.close()
                out[f"command {kind} {size}"] = statistics.median(times)
            else:
                store.close()
print(json.dumps(out))
"""


def _measure(src: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(_CHILD)
    try:
        done = subprocess.run(
            [sys.executable, handle.name, str(HERE / "open_run.py")],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            cwd=HERE,
        )
    finally:
        os.unlink(handle.name)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    baseline = Path(sys.argv[1]).resolve()
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    ours: list[dict[str, float]] = []
    base: list[dict[str, float]] = []
    started = time.perf_counter()
    for _ in range(repeats):
        base.append(_measure(baseline))
        ours.append(_measure(OURS))
    print(f"{repeats} rounds in {time.perf_counter() - started:.0f} s; baseline {baseline}")
    print(f"{'measure':<24} {'baseline s':>11} {'chain s':>11} {'ratio':>7}")
    for key in ours[0]:
        b = min(r[key] for r in base)
        o = min(r[key] for r in ours)
        print(f"{key:<24} {b:>11.4f} {o:>11.4f} {o / b:>7.2f}")
    spread = {k: statistics.pstdev(r[k] for r in ours) for k in ours[0]}
    print("spread (stdev of ours):", {k: round(v, 4) for k, v in spread.items()})


if __name__ == "__main__":
    main()
