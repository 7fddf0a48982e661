"""The 100k sweep: rebuild many six-phase processes from their logs, gate them, advance.

Run: ``python benchmarks/sweep_100k.py [N] [NAIVE_N] [KEEP_N]`` (defaults 100000,
1000 and 10000; under a minute on a 2-core VM). ``python benchmarks/sweep_100k.py
20000 300 2000`` is a quick run.

Every process gets its own log of 18-22 events: its own start event (own
Sozialraum name) followed by a prefix of the sample run (shared, immutable event
objects, as a store would hand out after loading). Prefix lengths put processes
at different points of phases 1-2; a fifth of them can advance.

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

import gc
import logging
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from transitions import Machine

from sozialraumprozess import Process, ProcessEvent, load_workflow
from sozialraumprozess.definition.expressions import compile_check
from sozialraumprozess.definition.kinds._checkfast import Fallback, compile_fast
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.runtime._plan import check_guard, workflow_plan
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.events import PhaseAdvanced, ProcessStarted
from sozialraumprozess.runtime.records import Actor, Sozialraum
from sozialraumprozess.runtime.state import ProcessState, apply, apply_all
from sozialraumprozess.scenario.sample import run_sample, sample_clock

logging.getLogger("transitions").setLevel(logging.WARNING)

WORKFLOW = load_workflow("generationengerechte-sozialraumentwicklung")


def make_logs(workflow: Workflow, n: int) -> list[list[ProcessEvent]]:
    """``n`` logs of 18-22 events, each with its own start event."""
    full = run_sample(workflow).log
    start = full[0]
    started = start.event
    assert isinstance(started, ProcessStarted)
    logs = []
    for i in range(n):
        own = ProcessEvent(
            1,
            start.time,
            start.actor,
            ProcessStarted(started.workflow, Sozialraum(f"Sozialraum {i}", "")),
        )
        logs.append([own, *full[1 : 18 + i % 5]])
    return logs


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
        "phase": "identifizieren",
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
        event = ProcessEvent(
            self.data.seq + 1, clock.now(), NAIVE_ACTOR, PhaseAdvanced(source, self.state)
        )
        apply(self.data, event, WORKFLOW)
        self.log.append(event)


NAIVE_PLAN = workflow_plan(WORKFLOW)
NAIVE_ACTOR = Actor("kommune")


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
            process.advance(by="kommune")
            advanced += 1
    return blocked, advanced


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


def memory_per_process(build: Callable[[list[ProcessEvent]], Any], logs: list[Any]) -> float:
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


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    naive_n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
    keep_n = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
    print(f"Python {sys.version.split()[0]}; {n:,} processes; naive timed on {naive_n:,}")
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
        "naive (per process)": t_naive / naive_n,
    }
    print(f"\n  blocked / advanced: {rt_counts[0]:,} / {rt_counts[1]:,}")
    print("\nPer process               µs    × floor(Jinja)  × floor(shortcuts)")
    for label, seconds in per.items():
        print(
            f"  {label:<24}{seconds * 1e6:8.1f}  {seconds / floor:10.2f}×"
            f"  {seconds / floor_sc:12.2f}×"
        )
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
    mem_naive = memory_per_process(NaiveProcess, sample[: min(naive_n, 1_000)])
    print("\nPeak memory per retained process (tracemalloc; the shared logs are not counted)")
    print(
        f"  floor {mem_floor:7.0f} B   runtime {mem_rt:7.0f} B   beyond floor "
        f"{mem_rt - mem_floor:7.0f} B   naive {mem_naive:8.0f} B"
    )

    print("\nOne command (median of 5,000 on fresh processes, µs)")
    for label, micro in per_command().items():
        print(f"  {label:<58} {micro:6.1f}")


if __name__ == "__main__":
    main()
