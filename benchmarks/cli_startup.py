"""Start-up time of the ``sozialraum`` command line against a bare interpreter.

In one run, each case started REPEATS times as a fresh process, the cases taking
turns (so a change of machine load hits all of them alike):

* ``python3 -c pass`` — the baseline every ratio is measured against;
* ``sozialraum --help``;
* ``sozialraum status DEMO`` with a warm status cache (the answer kept from the
  last command, see ``cli/status_cache.py``) — what a consultant meets;
* ``sozialraum status DEMO`` right after an event was appended through the
  Python API (the cache is stale: imports, loading and replaying the run);
* ``sozialraum validate`` of the bundled six-phase workflow (the schema validator
  ships precompiled, ``definition/_validator.py``).

It prints the median wall time of each, its ratio to ``python3 -c pass`` and its
own cost (the median minus that of ``python3 -c pass``). Target (issue 10):
``--help`` and both ``status`` cases at most 3×. The ratio depends on how heavy
the bare interpreter is on the machine (``.pth`` files in site-packages run at
every start); the own cost does not.

``--baseline DIR`` also runs the ``sozialraum`` cases with ``DIR/src`` first on
``PYTHONPATH`` (a checkout of an older commit, e.g. ``git worktree add
/tmp/base 328b037``), in the same run, for before/after numbers. Byte code is
allowed (``PYTHONDONTWRITEBYTECODE`` is dropped for the timed processes), as it
is for an installed package; the warm-up run writes it. ``--no-bytecode`` keeps
the package from using any (every start compiles its sources, as in an editable
install under ``PYTHONDONTWRITEBYTECODE=1``).

    python3 benchmarks/cli_startup.py [--repeats N] [--baseline DIR] [--no-bytecode]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

WORKFLOW = (
    Path(__file__).resolve().parents[1]
    / "src/sozialraumprozess/workflows/generationengerechte-sozialraumentwicklung.yaml"
)

# Appends one event through the Python API, as an application beside the CLI would.
APPEND = """
import sys
from sozialraumprozess.storage import FolderStore, open_run
run = open_run(FolderStore(sys.argv[1]), sys.argv[2])
run.process.set_participant("Anna Berger", ["sozialraumkoordination"], by="kommune")
run.save()
"""


class Case:
    """One command to time, with what must happen (untimed) before each start."""

    def __init__(
        self,
        name: str,
        command: list[str],
        env: dict[str, str],
        before: Callable[[], None] = lambda: None,
    ) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.before = before
        self.times: list[float] = []

    def run(self, timed: bool = True) -> None:
        """Start the command once (after ``before``); keep its wall time if ``timed``."""
        self.before()
        start = time.perf_counter()
        subprocess.run(self.command, check=True, capture_output=True, env=self.env)
        if timed:
            self.times.append(time.perf_counter() - start)


def _env(src: Path | None, bytecode: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            [str(src), *filter(None, [os.environ.get("PYTHONPATH")])]
        )
    return env


def _cases(label: str, exe: str, src: Path | None, tmp: Path, bytecode: bool) -> list[Case]:
    """The ``sozialraum`` cases for one code base (``src``: its ``src`` folder, or as installed)."""
    env = _env(src, bytecode)
    if not bytecode:  # remove the package's byte code (installed dependencies keep theirs)
        where = subprocess.run(
            [sys.executable, "-c", "import sozialraumprozess; print(sozialraumprozess.__file__)"],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout.strip()
        for cache in Path(where).parent.rglob("__pycache__"):
            shutil.rmtree(cache)
    demo = tmp / f"demo-{label}"
    subprocess.run([exe, "demo", str(demo)], check=True, capture_output=True, env=env)
    (run_id,) = [p.name for p in (demo / "runs").iterdir() if p.is_dir()]
    subprocess.run([exe, "status", str(demo)], check=True, capture_output=True, env=env)
    caches = list(demo.glob("runs/*/.status-cache.json"))
    assert caches, "status should have left a status cache"

    def append_event() -> None:
        subprocess.run(
            [sys.executable, "-c", APPEND, str(demo), run_id],
            check=True,
            capture_output=True,
            env=env,
        )

    def warm_cache() -> None:
        if not caches[0].exists():  # the stale case rewrites it; keep it warm here
            subprocess.run([exe, "status", str(demo)], check=True, capture_output=True, env=env)

    suffix = "" if label == "new" else f" [{label}]"
    return [
        Case(f"sozialraum --help{suffix}", [exe, "--help"], env),
        Case(f"status, cache warm{suffix}", [exe, "status", str(demo)], env, warm_cache),
        Case(f"status, after API append{suffix}", [exe, "status", str(demo)], env, append_event),
        Case(f"validate (six phases){suffix}", [exe, "validate", str(WORKFLOW)], env),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--baseline", type=Path, help="checkout of the code to compare with")
    parser.add_argument("--no-bytecode", action="store_true", help="compile sources at every start")
    args = parser.parse_args()
    exe = shutil.which("sozialraum")
    assert exe is not None, "install the package first: python3 -m pip install -e ."
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        cases = [Case("python3 -c pass", [sys.executable, "-c", "pass"], _env(None))]
        bytecode = not args.no_bytecode
        cases += _cases("new", exe, None, tmp, bytecode)
        if args.baseline is not None:
            cases += _cases("baseline", exe, args.baseline.resolve() / "src", tmp, bytecode)
        for case in cases:
            case.run(timed=False)  # warm-up: byte code written, files in the page cache
        for _ in range(args.repeats):
            for case in cases:
                case.run()
    medians = {case.name: statistics.median(case.times) for case in cases}
    base = medians["python3 -c pass"]
    print(f"median of {args.repeats} starts each (after one warm-up); ratio to python3 -c pass;")
    print("own cost = median minus python3 -c pass (what sozialraum adds to the interpreter)")
    if args.no_bytecode:
        print("no byte code: every start of sozialraum compiles the sources it imports")
    for name, seconds in medians.items():
        own = (seconds - base) * 1000
        print(f"{name:<40} {seconds * 1000:8.1f} ms  {seconds / base:6.2f}×  own {own:6.1f} ms")
    worst = max(
        medians[name] / base
        for name in ("sozialraum --help", "status, cache warm", "status, after API append")
    )
    print(f"worst of --help / status warm / status stale: {worst:.2f}× (target ≤ 3×)")


if __name__ == "__main__":
    main()
