"""How long loading and validating the six-phase workflow takes.

Run: ``python benchmarks/load_workflow.py [--repeat 200]``

Measured in the same run, so the ratios do not depend on the machine:

* ``yaml.load`` with libyaml (``CSafeLoader``) of the same file: the floor for
  merely reading YAML, without any validation;
* ``load_workflow(path)``: read, check structure (JSON Schema), check semantics
  (references, graph, gates, expressions), build the attrs model;
* ``load_workflow(dict)``: the same without YAML;
* a first (cold) load in a fresh interpreter, including imports and compiling
  the schema, reported separately.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import yaml

from sozialraumprozess import load_workflow
from sozialraumprozess.definition.loader import bundled_workflow_path

SIX = "generationengerechte-sozialraumentwicklung"


def measure(func: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median, minimum) in milliseconds over ``repeat`` calls after one warm-up call."""
    func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    path = bundled_workflow_path(SIX)
    raw = path.read_bytes()
    data = load_workflow(path).to_dict()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    rows = [
        ("yaml.load (libyaml), floor", measure(lambda: yaml.load(raw, Loader=loader), args.repeat)),  # noqa: S506
        ("load_workflow(path)", measure(lambda: load_workflow(path), args.repeat)),
        ("load_workflow(dict)", measure(lambda: load_workflow(data), args.repeat)),
    ]
    cold = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time; t=time.perf_counter(); from sozialraumprozess import load_workflow; "
            f"load_workflow({SIX!r}); print((time.perf_counter()-t)*1000)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    floor = rows[0][1][0]
    print(f"six-phase workflow, {len(raw):,} bytes, {args.repeat} repeats")
    print(f"{'variant':34} {'median ms':>10} {'min ms':>8} {'× floor':>8}")
    for name, (median, minimum) in rows:
        print(f"{name:34} {median:10.2f} {minimum:8.2f} {median / floor:8.1f}")
    print(f"{'first load incl. imports (cold)':34} {float(cold.stdout):10.1f}")


if __name__ == "__main__":
    main()
