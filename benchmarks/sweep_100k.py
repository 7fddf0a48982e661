"""The 100k sweep: rebuild many six-phase processes from their logs, gate them, advance.

Run: ``python benchmarks/sweep_100k.py [N] [NAIVE_N] [KEEP_N] [--workflow ID]``
(defaults 100000, 1000 and 10000, the six-phase workflow; under a minute on a
2-core VM). ``python benchmarks/sweep_100k.py 20000 300 2000`` is a quick run;
``--workflow sozialraumprojekte-jahresbilanz`` runs the same on a second workflow.

Side by side with an older tree (issue 10: "not slower than before", e.g. commit
328b037 checked out with ``git worktree add /tmp/base328 328b037``)::

    python benchmarks/sweep_100k.py 20000 0 2000 --against /tmp/base328/src --rounds 5

runs the floor, the runtime sweep, keep and memory parts in fresh interpreters,
alternating this tree's ``src`` and the other one (``PYTHONPATH``), and prints
min and median per tree and their ratios. The script runs unchanged on 328b037's
API (the few differences are in ``_compat``).

Every process gets its own log: its own start event (own Sozialraum name)
followed by a prefix of the workflow's sample run (shared, immutable event
objects, as a store would hand out after loading). For the six-phase workflow
(the sample run of :mod:`sozialraumprozess.runtime.sample`) logs are 18-22 events
long, putting processes at different points of phases 1-2, a fifth of them able to
advance; for any other workflow the run is its bundled scenario, cut at five
lengths from the middle on.

Variants, measured in the same run on the same logs:

* ``floor``    — a plain-dict state machine: replays the same events into dicts
  with a dict transition table and evaluates the same gates without messages
  (required fields, approvals, events, decisions, and ``check`` expressions through
  the same compiled Jinja expression). Shown three ways: replay only; gates with
  every check run through Jinja (the floor the targets were set against); and
  gates with the runtime's own check shortcuts (no Jinja while the check's artifact
  is missing; simple checks as plain Python, see ``runtime/_checks.py``).
* ``runtime``  — ``Process.replay`` + ``blockers()`` + ``advance(by=...)`` where
  possible (one shared transitions Machine per workflow, compiled gates).
* ``naive``    — the same work done the way a naive user of ``transitions`` would:
  per process, ``Machine(model=process, states=..., transitions=..., initial=...)``
  with default settings (``auto_transitions=True``), every stored move replayed by
  firing the model's trigger methods; everything else is the runtime's own code
  (the same state fold, the same compiled gates; ``advance`` checks the gate, fires
  the per-process machine and appends an event), so the difference is the machine.
  Timed on NAIVE_N processes and reported per process.

Both the runtime and the naive variant are also timed building KEEP_N processes and
keeping them all in memory (a service holding its processes; the logs are moved
out of the cyclic GC's way with ``gc.freeze()`` for this part): the naive machines
are large cyclic object graphs, so there the cyclic GC adds to their creation cost.

Also: peak memory per retained process (tracemalloc; the logs exist beforehand
and are not counted) for the floor, the runtime and the naive variant, and the
cost of one command, gate evaluation + append, for ``advance`` (analysis phase,
gate with a check expression, fired through the shared machine) and ``submit``
(schema validation + append), as medians over fresh processes, and of the phase
gate's evaluation on one state (``blockers()`` itself reuses the blockers of an
unchanged state, which is shown separately).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import logging
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
from transitions import Machine

from sozialraumprozess import Process, ProcessEvent, load_workflow
from sozialraumprozess.definition.expressions import compile_check
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.runtime._plan import check_guard, workflow_plan
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.records import Actor
from sozialraumprozess.runtime.state import ProcessState, apply, apply_all
from sozialraumprozess.scenario.runner import run_scenario

# ------------------------------------------------------------------ _compat
# The differences to 328b037's API, so the same script measures the baseline tree.
try:
    from sozialraumprozess.scenario.sample import run_sample, sample_clock
except ImportError:  # 328b037
    from sozialraumprozess.runtime.sample import (  # type: ignore[no-redef]
        run_sample,
        sample_clock,
    )
try:
    from sozialraumprozess.definition.kinds._checkfast import Fallback, compile_fast
except ImportError:  # 328b037
    _checks = importlib.import_module("sozialraumprozess.runtime._checks")
    Fallback, compile_fast = _checks.Fallback, _checks.compile_fast  # type: ignore[misc]
TYPED_EVENTS = "event" in attrs.fields_dict(ProcessEvent)


def own_start(start: ProcessEvent, name: str) -> ProcessEvent:
    """``start`` for a Sozialraum of its own."""
    old: Any = start
    if TYPED_EVENTS:
        room = attrs.evolve(old.event.sozialraum, name=name)
        return attrs.evolve(start, event=attrs.evolve(old.event, sozialraum=room))
    payload = {**old.payload, "sozialraum": {"name": name, "description": ""}}
    return attrs.evolve(old, payload=payload)  # type: ignore[no-any-return]


def advanced_event(seq: int, time: Any, actor: Actor, source: str, target: str) -> ProcessEvent:
    """A ``phase_advanced`` log event."""
    if TYPED_EVENTS:
        from sozialraumprozess.runtime.events import PhaseAdvanced

        return ProcessEvent(seq, time, actor, PhaseAdvanced(source, target))
    make: Any = ProcessEvent
    return make(seq, time, actor, "phase_advanced", {"from": source, "to": target})  # type: ignore[no-any-return]


# ------------------------------------------------------------------ workflow

logging.getLogger("transitions").setLevel(logging.WARNING)

SIX_PHASES = "generationengerechte-sozialraumentwicklung"
WORKFLOW_ID = sys.argv[sys.argv.index("--workflow") + 1] if "--workflow" in sys.argv else SIX_PHASES
WORKFLOW = load_workflow(WORKFLOW_ID)


def sample_log(workflow: Workflow) -> tuple[list[ProcessEvent], int]:
    """The workflow's sample run and the shortest prefix the sweep replays."""
    if workflow.id == SIX_PHASES:
        return list(run_sample(workflow).log), 18
    log = list(run_scenario(workflow.id).process.log)
    return log, len(log) // 2


def make_logs(workflow: Workflow, n: int) -> list[list[ProcessEvent]]:
    """``n`` logs of five lengths (18-22 events for the six phases), own start events."""
    full, shortest = sample_log(workflow)
    start = full[0]
    return [[own_start(start, f"Sozialraum {i}"), *full[1 : shortest + i % 5]] for i in range(n)]


# --------------------------------------------------------------------------- floor


def floor_tables(workflow: Workflow) -> tuple[dict[tuple[str, str], str], dict[str, Any]]:
    table: dict[tuple[str, str], str] = {}
    for phase in workflow.phases:
        nxt = workflow.next_phase(phase.id)
        if nxt:
            table[(phase.id, "advance")] = nxt
    for t in workflow.transitions:
        table[(t.source, t.id)] = t.target
    exits = {
        p.id: [
            (
                c.kind,
                c.target,
                c.count,
                check_guard(c.target) if c.kind == "check" else None,
                compile_fast(c.target) if c.kind == "check" else None,
            )
            for c in p.exit
        ]
        for p in workflow.phases
    }
    required = {a.id: [f.name for f in a.fields if f.required] for a in workflow.artifacts}
    return table, {"exits": exits, "required": required}


#: An event in its stored form for the floor: ``(seq, type, payload dict)``.
Stored = tuple[int, str, dict[str, Any]]


def stored_form(logs: list[list[ProcessEvent]]) -> list[list[Stored]]:
    """The logs as plain dicts, each shared event converted once (as the logs share them)."""
    seen: dict[int, Stored] = {}
    out = []
    for log in logs:
        row = []
        for event in log:
            plain = seen.get(id(event))
            if plain is None:
                plain = seen[id(event)] = (event.seq, event.type, event.payload)
            row.append(plain)
        out.append(row)
    return out


def floor_replay(log: list[Stored], table: dict[tuple[str, str], str]) -> dict[str, Any]:
    state: dict[str, Any] = {
        "phase": FIRST_PHASE,
        "cycle": 1,
        "visit": 1,
        "artifacts": {},
        "approved": {},
        "held": {},
        "decided": {},
    }
    for seq, kind, payload in log:
        if kind == "artifact_submitted":
            state["artifacts"][payload["artifact"]] = payload["data"]
            state["approved"][payload["artifact"]] = False
        elif kind == "artifact_approved":
            state["approved"][payload["artifact"]] = True
        elif kind == "event_held":
            key = (state["visit"], payload["event"])
            state["held"][key] = state["held"].get(key, 0) + 1
        elif kind == "decision_recorded":
            state["decided"][(state["visit"], payload["decision"])] = payload["yes"] > payload["no"]
        elif kind in ("phase_advanced", "transition_taken"):
            state["phase"] = table[(state["phase"], payload.get("transition") or "advance")]
            state["visit"] = seq
    return state


def floor_blockers(
    state: dict[str, Any], gates: dict[str, Any], shortcut: bool
) -> list[tuple[str, str]]:
    out = []
    for kind, target, count, guard, fast in gates["exits"][state["phase"]]:
        if kind == "artifact":
            data = state["artifacts"].get(target)
            if data is None or any(not data.get(f) for f in gates["required"][target]):
                out.append((kind, target))
        elif kind == "approval":
            if not state["approved"].get(target):
                out.append((kind, target))
        elif kind == "event":
            if state["held"].get((state["visit"], target), 0) < count:
                out.append((kind, target))
        elif kind == "decision":
            if not state["decided"].get((state["visit"], target)):
                out.append((kind, target))
        elif shortcut and guard is not None and guard not in state["artifacts"]:
            out.append((kind, target))
        else:
            context = {
                "artifacts": state["artifacts"],
                "events": {},
                "decisions": {},
                "process": {},
            }
            ok = None
            if shortcut and fast is not None:
                try:
                    ok = bool(fast(context))
                except Fallback:
                    ok = None
            if ok is None:
                try:
                    ok = bool(compile_check(target)(**context))
                except Exception:
                    ok = False
            if not ok:
                out.append((kind, target))
    return out


FIRST_PHASE = WORKFLOW.first_phase.id

# --------------------------------------------------------------------------- naive


def naive_moves(workflow: Workflow) -> list[dict[str, str]]:
    moves = []
    for phase in workflow.phases:
        nxt = workflow.next_phase(phase.id)
        if nxt:
            moves.append({"trigger": "advance", "source": phase.id, "dest": nxt})
    for t in workflow.transitions:
        moves.append({"trigger": t.id, "source": t.source, "dest": t.target})
    return moves


NAIVE_STATES = [p.id for p in WORKFLOW.phases]
NAIVE_MOVES = naive_moves(WORKFLOW)


class NaiveProcess:
    """A process as a naive ``transitions`` user writes it: one Machine per instance.

    Everything else is the runtime's own code, so the difference is the machine:
    the same state fold (``apply_all``), the same compiled gates (the workflow
    plan), and an ``advance`` that checks the gate, fires and appends an event.
    """

    state: str  # set by the machine

    def __init__(self, log: list[ProcessEvent]) -> None:
        self.machine = Machine(
            model=self, states=NAIVE_STATES, transitions=NAIVE_MOVES, initial=NAIVE_STATES[0]
        )
        for event in log:  # replay the moves by firing this process's machine
            if event.type == "phase_advanced":
                self.advance()  # type: ignore[attr-defined]
            elif event.type == "transition_taken":
                self.trigger(event.payload["transition"])  # type: ignore[attr-defined]
        self.data = ProcessState()
        apply_all(self.data, log, WORKFLOW)
        self.log = list(log)

    def blockers(self) -> tuple[Any, ...]:
        return NAIVE_PLAN.phase_blockers(self.data)

    def advance_checked(self, clock: FixedClock) -> None:
        source = self.state
        if self.blockers():
            raise RuntimeError("blocked")
        self.advance()  # type: ignore[attr-defined]
        event = advanced_event(self.data.seq + 1, clock.now(), NAIVE_ACTOR, source, self.state)
        apply(self.data, event, WORKFLOW)
        self.log.append(event)


NAIVE_PLAN = workflow_plan(WORKFLOW)
NAIVE_ACTOR = Actor(WORKFLOW.phases[0].responsible)


# --------------------------------------------------------------------------- runs


def timed(label: str, fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    t0 = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t0
    print(f"  {label:<52} {seconds:8.2f} s")
    return seconds, result


def sweep_runtime(logs: list[list[ProcessEvent]], clock: FixedClock) -> tuple[int, int]:
    blocked = advanced = 0
    for log in logs:
        process = Process.replay(WORKFLOW, log, clock=clock)
        if process.blockers():
            blocked += 1
        else:
            process.advance(by=RESPONSIBLE[process.phase])
            advanced += 1
    return blocked, advanced


RESPONSIBLE = {phase.id: phase.responsible for phase in WORKFLOW.phases}


def sweep_floor(logs: list[list[Stored]], gates: bool, shortcut: bool) -> tuple[int, int]:
    table, tables = floor_tables(WORKFLOW)
    blocked = advanced = 0
    for log in logs:
        state = floor_replay(log, table)
        if not gates:
            continue
        if floor_blockers(state, tables, shortcut):
            blocked += 1
        else:
            state["phase"] = table[(state["phase"], "advance")]
            advanced += 1
    return blocked, advanced


def sweep_naive(logs: list[list[ProcessEvent]], clock: FixedClock) -> tuple[int, int]:
    blocked = advanced = 0
    for log in logs:
        process = NaiveProcess(log)
        if process.blockers():
            blocked += 1
        else:
            process.advance_checked(clock)
            advanced += 1
    return blocked, advanced


def keep_runtime(logs: list[list[ProcessEvent]], n: int, clock: FixedClock) -> list[Process]:
    return [Process.replay(WORKFLOW, log, clock=clock) for log in logs[:n]]


def keep_naive(logs: list[list[ProcessEvent]], n: int) -> list[NaiveProcess]:
    return [NaiveProcess(log) for log in logs[:n]]


def memory_per_process(build: Callable[[Any], Any], logs: list[Any]) -> float:
    build(logs[0])  # warm caches (compiled gates, machine) outside the measurement
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    kept = [build(log) for log in logs]
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(kept) == len(logs)
    del kept
    return (peak - base) / len(logs)


def _median_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6


def per_command(n: int = 5000) -> dict[str, float]:
    full = run_sample(WORKFLOW).log
    ready = list(full[:21])  # analysis: all criteria met, advance possible
    results = {}
    samples = []
    for _ in range(n):
        process = Process.replay(WORKFLOW, ready, clock=sample_clock())
        t0 = time.perf_counter()
        process.advance(by="kommune")
        samples.append(time.perf_counter() - t0)
    results["advance (gate incl. a check + shared machine + append)"] = _median_us(samples)
    before = list(full[:19])  # analysis, the Analysebericht not yet submitted
    report = full[19]
    assert report.type == "artifact_submitted"
    samples = []
    for _ in range(n):
        process = Process.replay(WORKFLOW, before, clock=sample_clock())
        t0 = time.perf_counter()
        process.submit(
            report.payload["artifact"], report.payload["data"], by="sozialraumkoordination"
        )
        samples.append(time.perf_counter() - t0)
    results["submit (schema validation + append)"] = _median_us(samples)
    process = Process.replay(WORKFLOW, full[:20], clock=sample_clock())
    plan = workflow_plan(WORKFLOW)
    samples = []
    for _ in range(n):  # the gate evaluation itself, bypassing the process's reuse
        t0 = time.perf_counter()
        plan.phase_blockers(process.state)
        samples.append(time.perf_counter() - t0)
    results["blockers, phase with a check (gate evaluation)"] = _median_us(samples)
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        process.blockers()
        samples.append(time.perf_counter() - t0)
    results["blockers() again on an unchanged state (reused)"] = _median_us(samples)
    return results


def arguments() -> tuple[list[int], dict[str, str]]:
    """Positional numbers and ``--name value`` options of the command line."""
    numbers: list[int] = []
    options: dict[str, str] = {}
    args = iter(sys.argv[1:])
    for arg in args:
        if arg.startswith("--"):
            options[arg[2:]] = next(args, "")
        else:
            numbers.append(int(arg))
    return numbers, options


def measure(n: int, keep_n: int) -> dict[str, float]:
    """The parts compared across trees, per process (µs, bytes), as a JSON-able dict."""
    logs = make_logs(WORKFLOW, n)
    clock = FixedClock(sample_clock().peek())
    sweep_runtime(logs[:100], clock)
    plain = stored_form(logs)
    t_floor, floor_counts = timed(
        "floor: replay + gates (the runtime's check shortcuts)",
        lambda: sweep_floor(plain, True, True),
    )
    t_rt, rt_counts = timed(
        "runtime: replay + blockers + advance", lambda: sweep_runtime(logs, clock)
    )
    assert rt_counts == floor_counts, (rt_counts, floor_counts)
    gc.collect()
    gc.freeze()
    t_keep, kept = timed("runtime: Process.replay, kept", lambda: keep_runtime(logs, keep_n, clock))
    del kept
    gc.unfreeze()
    memory = memory_per_process(
        lambda log: Process.replay(WORKFLOW, log, clock=clock), logs[:keep_n]
    )
    return {
        "floor": t_floor / n * 1e6,
        "sweep": t_rt / n * 1e6,
        "keep": t_keep / keep_n * 1e6,
        "memory": memory,
    }


def side_by_side(n: int, keep_n: int, other: str, rounds: int) -> None:
    """Run :func:`measure` in fresh interpreters, alternating this tree and ``other``."""
    trees = {"this": str(Path(__file__).resolve().parents[1] / "src"), "other": other}
    results: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for round_ in range(rounds):
        for name, src in trees.items():
            env = {**os.environ, "PYTHONPATH": src}
            command = [sys.executable, __file__, str(n), "0", str(keep_n), "--part", "measure"]
            command += ["--workflow", WORKFLOW_ID]
            out = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
            results[name].append(json.loads(out.stdout.splitlines()[-1]))
            print(f"  round {round_ + 1} {name:<5} {results[name][-1]}", flush=True)
    print(f"\n{WORKFLOW_ID}: {n:,} processes, {rounds} rounds per tree; other = {other}")
    print(
        f"  {'per process':<24}{'this min':>10}{'other min':>10}{'ratio':>7}"
        f"{'this med':>10}{'other med':>10}{'ratio':>7}"
    )
    for key, unit in (("floor", "µs"), ("sweep", "µs"), ("keep", "µs"), ("memory", "B")):
        this = [r[key] for r in results["this"]]
        base = [r[key] for r in results["other"]]
        lo, lo_b = min(this), min(base)
        med, med_b = statistics.median(this), statistics.median(base)
        print(
            f"  {key + ' (' + unit + ')':<24}{lo:>10.1f}{lo_b:>10.1f}{lo / lo_b:>6.2f}×"
            f"{med:>10.1f}{med_b:>10.1f}{med / med_b:>6.2f}×"
        )


def main() -> None:
    numbers, options = arguments()
    n = numbers[0] if len(numbers) > 0 else 100_000
    naive_n = numbers[1] if len(numbers) > 1 else 1_000
    keep_n = numbers[2] if len(numbers) > 2 else 10_000
    if options.get("part") == "measure":
        with contextlib.redirect_stdout(sys.stderr):
            result = measure(n, keep_n)
        print(json.dumps(result))
        return
    if "against" in options:
        side_by_side(n, keep_n, options["against"], int(options.get("rounds", "5")))
        return
    print(f"Python {sys.version.split()[0]}; {WORKFLOW_ID}")
    print(f"{n:,} processes; naive timed on {naive_n:,}")
    logs = make_logs(WORKFLOW, n)
    events = sum(len(log) for log in logs)
    print(f"  {events:,} events, {events / n:.1f} per process\n")
    clock = FixedClock(sample_clock().peek())
    sweep_runtime(logs[:100], clock)  # warm the shared machine and compiled gates

    plain = stored_form(logs)
    t_replay, _ = timed(
        "floor: replay only (plain dicts)", lambda: sweep_floor(plain, False, False)
    )
    t_floor, floor_counts = timed(
        "floor: replay + gates (every check via Jinja) + advance",
        lambda: sweep_floor(plain, True, False),
    )
    t_floor_sc, sc_counts = timed(
        "floor: replay + gates (the runtime's check shortcuts)",
        lambda: sweep_floor(plain, True, True),
    )
    t_rt, rt_counts = timed(
        "runtime: replay + blockers + advance", lambda: sweep_runtime(logs, clock)
    )
    assert rt_counts == floor_counts == sc_counts, (rt_counts, floor_counts, sc_counts)
    t_naive, naive_counts = timed(
        f"naive: one default Machine per process ({naive_n:,})",
        lambda: sweep_naive(logs[:naive_n], clock),
    )
    assert naive_counts[0] + naive_counts[1] == naive_n
    floor, floor_sc = t_floor / n, t_floor_sc / n
    per = {
        "floor, replay only": t_replay / n,
        "floor, gates via Jinja": floor,
        "floor, check shortcuts": floor_sc,
        "runtime": t_rt / n,
    }
    if naive_n:  # NAIVE_N = 0 leaves the naive variant out (as --against does)
        per["naive (per process)"] = t_naive / naive_n
    print(f"\n  blocked / advanced: {rt_counts[0]:,} / {rt_counts[1]:,}")
    print("\nPer process               µs    × floor(Jinja)  × floor(shortcuts)")
    for label, seconds in per.items():
        print(
            f"  {label:<24}{seconds * 1e6:8.1f}  {seconds / floor:10.2f}×"
            f"  {seconds / floor_sc:12.2f}×"
        )
    if naive_n:
        print(
            f"  naive / runtime, sweep (processes dropped after use): "
            f"{per['naive (per process)'] / per['runtime']:.1f}×"
        )

    # A service holding its processes: build KEEP_N of them and keep them all.
    print(f"\nBuild and keep {keep_n:,} processes (replay only, all retained)")
    gc.collect()
    gc.freeze()  # the logs are loaded once; leave them out of the cyclic GC's work here
    t_keep_rt, kept = timed(
        "runtime: Process.replay, kept", lambda: keep_runtime(logs, keep_n, clock)
    )
    del kept
    t_keep_naive, kept = timed(
        "naive: one default Machine per process, kept", lambda: keep_naive(logs, keep_n)
    )
    del kept
    gc.unfreeze()
    gc.collect()
    print(
        f"  per process: runtime {t_keep_rt / keep_n * 1e6:.1f} µs, naive "
        f"{t_keep_naive / keep_n * 1e6:.1f} µs; naive / runtime: {t_keep_naive / t_keep_rt:.1f}×"
    )

    sample = logs[:10_000]
    table, _ = floor_tables(WORKFLOW)
    mem_rt = memory_per_process(lambda log: Process.replay(WORKFLOW, log, clock=clock), sample)
    mem_floor = memory_per_process(lambda log: floor_replay(log, table), plain[:10_000])
    naive = ""
    if naive_n:
        mem_naive = memory_per_process(NaiveProcess, sample[: min(naive_n, 1_000)])
        naive = f"   naive {mem_naive:8.0f} B"
    print("\nPeak memory per retained process (tracemalloc; the shared logs are not counted)")
    print(
        f"  floor {mem_floor:7.0f} B   runtime {mem_rt:7.0f} B   beyond floor "
        f"{mem_rt - mem_floor:7.0f} B{naive}"
    )

    if WORKFLOW_ID != SIX_PHASES:
        return  # the single commands are steps of the six-phase sample
    print("\nOne command (median of 5,000 on fresh processes, µs)")
    for label, micro in per_command().items():
        print(f"  {label:<58} {micro:6.1f}")


if __name__ == "__main__":
    main()
