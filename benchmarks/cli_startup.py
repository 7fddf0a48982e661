"""Start-up time of the ``sozialraum`` command line against a bare interpreter.

In one run, each case started REPEATS times as a fresh process, the cases taking
turns (so a change of machine load hits all of them alike):

* ``python3 -c pass`` — the baseline every ratio is measured against;
* ``sozialraum --help`` and ``sozialraum status --help`` (the top-level group imports
  a command's module only when the command is looked up: ``cli/app.py``'s
  ``LazyGroup``);
* ``sozialraum status STORE``, warm: nothing changed since the last command (and
  the last ``status`` ran just before) — what a consultant meets;
* ``sozialraum status STORE`` right after an event was appended through the
  Python API (``open_run(store, id).save()`` in another process, untimed);
* ``sozialraum status STORE`` of a run whose summary keeps no status facts (a
  store last written by an older version: the run is loaded and replayed, the
  way every stale ``status`` went before the facts were kept; not a target,
  shown for the own cost of that path);
* ``sozialraum validate`` of the bundled six-phase workflow (the schema validator
  ships precompiled, ``definition/_validator.py``).

The ``status`` cases run on a folder store and on a SQLite store (each made by
``sozialraum demo``). ``status`` answers from the status facts each store keeps
in the run summary at every append (``cli/status_cache.py``); before that, it
answered from a ``.status-cache.json`` that only the CLI wrote, so an append
through the Python API meant a full load.

It prints the median wall time of each, its ratio to ``python3 -c pass`` and its
own cost (the median minus that of ``python3 -c pass``). Target (issue 10):
``--help`` (both) and both ``status`` cases at most 3×, on both stores. The ratio depends
on how heavy the bare interpreter is on the machine (``.pth`` files in
site-packages run at every start: on the reference machine a ``certifi`` one costs
~18 ms of ~48 ms); the own cost does not.

``--baseline DIR`` also runs the ``sozialraum`` cases with ``DIR/src`` first on
``PYTHONPATH`` (a checkout of an older commit, e.g. ``git worktree add
/tmp/base 7de15d8``), in the same run, for before/after numbers (a baseline that
cannot open a SQLite store by URL skips those cases). Byte code is allowed
(``PYTHONDONTWRITEBYTECODE`` is dropped for the timed processes), as it is for an
installed package; the warm-up run writes it. ``--no-bytecode`` keeps the package
from using any (every start compiles its sources, as in an editable install
under ``PYTHONDONTWRITEBYTECODE=1``).

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

# Appends one event through the Python API, as an application beside the CLI would
# (written against the storage API that older checkouts have too).
APPEND = """
import sys
from sozialraumprozess.storage import FolderStore, SqliteStore, open_run
url, run_id = sys.argv[1:3]
if url.startswith("sqlite://"):
    store = SqliteStore(url[len("sqlite://"):], create=False)
else:
    store = FolderStore(url, create=False)
run = open_run(store, run_id)
run.process.set_participant("Anna Berger", ["sozialraumkoordination"], by="kommune")
run.save()
store.close()
"""

# Drops the status facts from the run's stored summary, as in a store last written
# by a version that did not keep them: `status` then loads and replays the run.
DROP_FACTS = """
import json, sqlite3, sys
url, run_id = sys.argv[1:3]
if url.startswith("sqlite://"):
    conn = sqlite3.connect(url[len("sqlite://"):])
    (details,) = conn.execute("SELECT details FROM runs WHERE run_id = ?", (run_id,)).fetchone()
    data = json.loads(details)
    data.pop("status", None)
    conn.execute("UPDATE runs SET details = ? WHERE run_id = ?", (json.dumps(data), run_id))
    try:  # a sealed row (runs.seal): sealed anew, as that version would have written it
        from sozialraumprozess.storage.chain import seal
        from sozialraumprozess.storage.migrations import SEALED
    except ImportError:
        pass
    else:
        row = conn.execute(f"SELECT {SEALED} FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        conn.execute("UPDATE runs SET seal = ? WHERE run_id = ?", (seal(row), run_id))
    conn.commit()
else:
    path = f"{url}/runs/{run_id}/run.json"
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    data["summary"].pop("status", None)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, sort_keys=True, indent=2)
"""

#: The cases the target (at most 3× ``python3 -c pass``) is about.
TARGETS = (
    "sozialraum --help",
    "sozialraum status --help",
    "status warm, folder",
    "status after API append, folder",
    "status warm, sqlite",
    "status after API append, sqlite",
)


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
    suffix = "" if label == "new" else f" [{label}]"
    cases = [
        Case(f"sozialraum --help{suffix}", [exe, "--help"], env),
        Case(f"sozialraum status --help{suffix}", [exe, "status", "--help"], env),
    ]
    for kind in ("folder", "sqlite"):
        cases += _status_cases(label, exe, env, tmp, kind, suffix)
    cases.append(Case(f"validate (six phases){suffix}", [exe, "validate", str(WORKFLOW)], env))
    return cases


def _status_cases(
    label: str, exe: str, env: dict[str, str], tmp: Path, kind: str, suffix: str
) -> list[Case]:
    """The ``status`` cases on a store of ``kind`` made by ``sozialraum demo``."""

    def store(name: str) -> tuple[str, str] | None:
        place = tmp / f"{name}-{kind}-{label}"
        url = str(place) if kind == "folder" else f"sqlite://{place}.db"
        made = subprocess.run([exe, "demo", url], capture_output=True, env=env)
        if made.returncode != 0:
            return None  # an older checkout without SQLite stores by URL
        runs = place / "runs" if kind == "folder" else Path(f"{place}-runs")
        (run_id,) = [p.name for p in runs.iterdir() if p.is_dir()]
        return url, run_id

    def python(script: str, url: str, run_id: str) -> Callable[[], None]:
        def run() -> None:
            subprocess.run(
                [sys.executable, "-c", script, url, run_id],
                check=True,
                capture_output=True,
                env=env,
            )

        return run

    warm, stale, replay = store("warm"), store("stale"), store("replay")
    if warm is None or stale is None or replay is None:
        print(f"{label}: no {kind} store by URL, its cases are left out", file=sys.stderr)
        return []

    def status_before(url: str) -> Callable[[], None]:
        def run() -> None:  # the last command was a status (warms an older CLI's cache)
            subprocess.run([exe, "status", url], check=True, capture_output=True, env=env)

        return run

    cases = [
        Case(
            f"status warm, {kind}{suffix}",
            [exe, "status", warm[0]],
            env,
            status_before(warm[0]),
        ),
        Case(
            f"status after API append, {kind}{suffix}",
            [exe, "status", stale[0]],
            env,
            python(APPEND, *stale),
        ),
    ]
    if label == "new":
        cases.append(
            Case(
                f"status without facts (replay), {kind}",
                [exe, "status", replay[0]],
                env,
                python(DROP_FACTS, *replay),
            )
        )
    return cases


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
        print(f"{name:<48} {seconds * 1000:8.1f} ms  {seconds / base:6.2f}×  own {own:6.1f} ms")
    worst = max(medians[name] / base for name in TARGETS if name in medians)
    print(f"worst of --help and status warm / after an API append: {worst:.2f}× (target ≤ 3×)")


if __name__ == "__main__":
    main()
