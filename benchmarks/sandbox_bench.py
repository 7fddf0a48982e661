"""Benchmark: the cost of the bounded sandbox on check evaluation and rendering.

Measures, in fresh interpreters alternating between this tree and another one
(``--against /path/to/other/src``, e.g. main before issue 13 checked out with
``git worktree add /tmp/base ff73ad4``):

* ``check``  — one ``check`` expression evaluated through Jinja (not the fast
  path: a filter with an argument and arithmetic), per evaluation;
* ``check-fast`` — a simple check on the runtime's fast path (as most of the
  100k sweep's checks), per evaluation, through the compiled gate;
* ``render`` — every document of the six-phase sample run, Markdown and HTML,
  warm (templates compiled), per full set.

Prints min and median of the rounds per tree and the ratio this/other. Times are
CPU time of the measuring process (``time.process_time``): on a shared machine
wall time mostly measures the neighbours.

Run: ``python benchmarks/sandbox_bench.py --against /tmp/base/src [--rounds 5]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
SRC = HERE.parents[1] / "src"

_CHECKS = (
    "(artifacts.zielkatalog.ziele | selectattr('prioritaet') | list | length) * 2 + "
    "process.cycle >= 3"
)
_FAST = "artifacts.zielkatalog.ziele | length >= 3"


def _measure() -> dict[str, float]:
    from datetime import UTC, datetime

    from sozialraumprozess import load_workflow
    from sozialraumprozess.definition.expressions import compile_check
    from sozialraumprozess.documents import DocumentRenderer
    from sozialraumprozess.runtime.clock import FixedClock
    from sozialraumprozess.scenario.sample import run_sample

    context = {
        "artifacts": {
            "zielkatalog": {"ziele": [{"titel": "a", "prioritaet": i} for i in range(8)]}
        },
        "events": {},
        "decisions": {},
        "process": {"phase": "ziele", "cycle": 1, "sozialraum": {"name": "Ost"}},
    }
    out: dict[str, float] = {}
    check = compile_check(_CHECKS)
    assert check(**context) is True
    n = 20_000
    start = time.process_time()
    for _ in range(n):
        check(**context)
    out["check"] = (time.process_time() - start) / n * 1e6  # µs

    from sozialraumprozess.definition.kinds._checkfast import compile_fast

    fast = compile_fast(_FAST)
    assert fast is not None
    start = time.process_time()
    for _ in range(n * 5):
        fast(context)
    out["check-fast"] = (time.process_time() - start) / (n * 5) * 1e6

    workflow = load_workflow("generationengerechte-sozialraumentwicklung")
    process = run_sample(workflow)
    clock = FixedClock(datetime(2026, 12, 1, tzinfo=UTC))
    DocumentRenderer(workflow, clock=clock).render_all(process, formats=("md", "html"))
    times = []
    for _ in range(15):
        start = time.process_time()
        DocumentRenderer(workflow, clock=clock).render_all(process, formats=("md", "html"))
        times.append(time.process_time() - start)
    out["render"] = statistics.median(times) * 1e3  # ms
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", required=False)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_measure()))
        return
    trees = {"this": str(SRC)}
    if args.against:
        trees["other"] = args.against
    results: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, src in trees.items():
            env = {**os.environ, "PYTHONPATH": src}
            done = subprocess.run(
                [sys.executable, str(HERE), "--child"],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
            results[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
    units = {"check": "µs", "check-fast": "µs", "render": "ms"}
    for key, unit in units.items():
        line = []
        medians = {}
        for name in trees:
            values = [r[key] for r in results[name]]
            medians[name] = statistics.median(values)
            line.append(f"{name}: min {min(values):.2f} median {medians[name]:.2f} {unit}")
        ratio = (
            f"  ratio this/other {medians['this'] / medians['other']:.2f}" if args.against else ""
        )
        print(f"{key:11s} " + "; ".join(line) + ratio)


if __name__ == "__main__":
    main()
