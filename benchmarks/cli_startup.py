"""Start-up time of the ``sozialraum`` command line against a bare interpreter.

In one run: ``python3 -c pass``, ``sozialraum --help`` and ``sozialraum status``
on a demo run (created first in a temporary folder), each started REPEATS times
as a fresh process; prints the median wall time and its ratio to the bare
interpreter. Target: ``status`` at most 3× ``python3 -c pass``.

``status`` is measured twice: as a consultant meets it (the answer kept from the
last command, see ``cli/status_cache.py``) and with the cache removed before
every run (the first status after someone changed the run outside the CLI:
imports, loading and replaying the run).

    python3 benchmarks/cli_startup.py [--repeats N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _time(command: list[str], repeats: int, before: Callable[[], None] = lambda: None) -> float:
    """Median wall time (seconds) of ``command`` over ``repeats`` runs, after one warm-up."""
    subprocess.run(command, check=True, capture_output=True)
    times = []
    for _ in range(repeats):
        before()
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    exe = shutil.which("sozialraum")
    assert exe is not None, "install the package first: python3 -m pip install -e ."
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo"
        subprocess.run([exe, "demo", str(demo)], check=True, capture_output=True)
        cases = {
            "python3 -c pass": [sys.executable, "-c", "pass"],
            "sozialraum --help": [exe, "--help"],
            "sozialraum status DEMO": [exe, "status", str(demo)],
        }
        results = {name: _time(cmd, args.repeats) for name, cmd in cases.items()}
        caches = list(demo.glob("runs/*/.status-cache.json"))
        assert caches, "the demo should have left a status cache"
        results["sozialraum status (no cache)"] = _time(
            [exe, "status", str(demo)],
            args.repeats,
            before=lambda: [c.unlink(missing_ok=True) for c in caches] and None,
        )
    base = results["python3 -c pass"]
    print(f"median of {args.repeats} runs (after one warm-up each)")
    for name, seconds in results.items():
        print(f"{name:<24} {seconds * 1000:8.1f} ms  {seconds / base:5.2f}×")
    ratio = results["sozialraum status DEMO"] / base
    print(f"status / python3 -c pass = {ratio:.2f}× (target ≤ 3×)")
    cold = results["sozialraum status (no cache)"] / base
    print(f"status without cache / python3 -c pass = {cold:.2f}×")


if __name__ == "__main__":
    main()
