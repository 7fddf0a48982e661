"""The 100k sweep: rebuild many six-phase processes from their logs, gate them, advance.

Run: ``python benchmarks/sweep_100k.py [N] [NAIVE_N]`` (defaults 100000 and 2000).

Every process gets its own log of 18-22 events: its own start event (own
Sozialraum name) followed by a prefix of the sample run (shared, immutable event
objects, as a store would hand out after loading). Prefix lengths put processes
at different points of phases 1-2; a fifth of them can advance.

Variants, measured in the same run on the same logs:

* ``runtime``   — ``Process.replay`` + ``blockers()`` + ``advance()`` where possible
  (one shared transitions Machine per workflow; replay checks moves against its edges);
* ``floor``     — a plain-dict state machine replaying the same events into dicts
  with a dict transition table, evaluating the same gates (check expressions through the
  same compiled Jinja expression) without messages; also shown without gates;
* ``naive``     — the runtime plus one ``transitions.Machine`` per process that replays
  the moves (``auto_transitions=False``, the cheaper setting); sampled on NAIVE_N
  processes and extrapolated per process.

Also: peak memory per process (tracemalloc, 10,000 processes) and the cost of one
command (gate evaluation + append) for ``advance`` and ``record_event``.
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
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.records import Actor
from sozialraumprozess.runtime.sample import run_sample, sample_clock

logging.getLogger("transitions").setLevel(logging.WARNING)

WORKFLOW = load_workflow("generationengerechte-sozialraumentwicklung")


def make_logs(workflow: Workflow, n: int) -> list[list[ProcessEvent]]:
    """``n`` logs of 18-22 events, each with its own start event."""
    full = run_sample(workflow).log
    start = full[0]
    logs = []
    for i in range(n):
        own = ProcessEvent(
            1,
            start.time,
            start.actor,
            start.type,
            {**start.payload, "sozialraum": {"name": f"Sozialraum {i}", "description": ""}},
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
        p.id: [(c.kind, c.target, c.count) for c in p.exit] for p in workflow.phases
    }
    required = {
        a.id: [f.name for f in a.fields if f.required] for a in workflow.artifacts
    }
    return table, {"exits": exits, "required": required}


def floor_replay(log: list[ProcessEvent], table: dict[tuple[str, str], str]) -> dict[str, Any]:
    state: dict[str, Any] = {
        "phase": "identifizieren", "cycle": 1, "visit": 1,
        "artifacts": {}, "approved": {}, "held": {}, "decided": {},
    }
    for event in log:
        kind, payload = event.type, event.payload
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
            state["visit"] = event.seq
    return state


def floor_blockers(state: dict[str, Any], gates: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for kind, target, count in gates["exits"][state["phase"]]:
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
        else:
            try:
                ok = compile_check(target)(
                    artifacts=state["artifacts"], events={}, decisions={}, process={}
                )
            except Exception:
                ok = False
            if not ok:
                out.append((kind, target))
    return out


# --------------------------------------------------------------------------- naive


def naive_machine(workflow: Workflow, model: Any) -> Machine:
    moves = []
    for phase in workflow.phases:
        nxt = workflow.next_phase(phase.id)
        if nxt:
            moves.append({"trigger": "advance", "source": phase.id, "dest": nxt})
    for t in workflow.transitions:
        moves.append({"trigger": t.id, "source": t.source, "dest": t.target})
    return Machine(
        model=model, states=[p.id for p in workflow.phases], initial=workflow.phases[0].id,
        transitions=moves, auto_transitions=False,
    )


class NaiveModel:
    state: str


def naive_process(log: list[ProcessEvent], clock: FixedClock) -> tuple[Process, Any]:
    model = NaiveModel()
    naive_machine(WORKFLOW, model)
    for event in log:
        if event.type == "phase_advanced":
            model.advance()  # type: ignore[attr-defined]
        elif event.type == "transition_taken":
            model.trigger(event.payload["transition"])  # type: ignore[attr-defined]
    return Process.replay(WORKFLOW, log, clock=clock), model


# --------------------------------------------------------------------------- runs


def timed(label: str, fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    t0 = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t0
    print(f"  {label:<46} {seconds:8.2f} s")
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


def sweep_floor(logs: list[list[ProcessEvent]], gates: bool) -> tuple[int, int]:
    table, tables = floor_tables(WORKFLOW)
    blocked = advanced = 0
    for log in logs:
        state = floor_replay(log, table)
        if not gates:
            continue
        if floor_blockers(state, tables):
            blocked += 1
        else:
            state["phase"] = table[(state["phase"], "advance")]
            advanced += 1
    return blocked, advanced


def sweep_naive(logs: list[list[ProcessEvent]], clock: FixedClock) -> tuple[int, int]:
    blocked = advanced = 0
    for log in logs:
        process, model = naive_process(log, clock)
        if process.blockers():
            blocked += 1
        else:
            model.advance()
            process.advance(by="kommune")
            advanced += 1
    return blocked, advanced


def memory_per_process(build: Callable[[list[ProcessEvent]], Any], logs: list[Any]) -> float:
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    kept = [build(log) for log in logs]
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(kept) == len(logs)
    del kept
    return (peak - base) / len(logs)


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
    results["advance (gate + machine + append)"] = statistics.median(samples) * 1e6
    samples = []
    process = Process.replay(WORKFLOW, full[:20], clock=sample_clock())
    for _ in range(n):
        t0 = time.perf_counter()
        process.record_event(
            "workshop", date="2025-04-15", participants=14, protocol=1, by="sozialraumkoordination"
        )
        samples.append(time.perf_counter() - t0)
    results["record_event (checks + append)"] = statistics.median(samples) * 1e6
    process = Process.replay(WORKFLOW, full[:20], clock=sample_clock())
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        process.blockers()
        samples.append(time.perf_counter() - t0)
    results["blockers() alone, phase with a check"] = statistics.median(samples) * 1e6
    return results


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    naive_n = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000
    print(f"Python {sys.version.split()[0]}; {n:,} processes; naive sampled on {naive_n:,}")
    logs = make_logs(WORKFLOW, n)
    events = sum(len(log) for log in logs)
    print(f"  {events:,} events, {events / n:.1f} per process\n")
    clock = FixedClock(sample_clock().peek())

    t_floor0, _ = timed("floor: replay only (plain dicts)", lambda: sweep_floor(logs, False))
    t_floor, floor_counts = timed(
        "floor: replay + gates + advance", lambda: sweep_floor(logs, True)
    )
    t_rt, rt_counts = timed(
        "runtime: replay + blockers + advance", lambda: sweep_runtime(logs, clock)
    )
    assert rt_counts == floor_counts, (rt_counts, floor_counts)
    t_naive, _ = timed(
        f"naive: one Machine per process ({naive_n:,})",
        lambda: sweep_naive(logs[:naive_n], clock),
    )
    per = {
        "floor (replay only)": t_floor0 / n,
        "floor (replay + gates)": t_floor / n,
        "runtime": t_rt / n,
        "naive (extrapolated)": t_naive / naive_n,
    }
    print(f"\n  blocked / advanced: {rt_counts[0]:,} / {rt_counts[1]:,}")
    print("\nPer process (µs)          time     × floor(gates)  × floor(replay only)")
    for label, seconds in per.items():
        print(
            f"  {label:<24}{seconds * 1e6:8.1f}  {seconds / per['floor (replay + gates)']:10.1f}×"
            f"  {seconds / per['floor (replay only)']:12.1f}×"
        )
    print(f"  naive 100k would take ≈ {per['naive (extrapolated)'] * 100_000:.0f} s; runtime is "
          f"{per['naive (extrapolated)'] / per['runtime']:.1f}× faster")

    sample = logs[:10_000]
    table, _ = floor_tables(WORKFLOW)
    mem_rt = memory_per_process(lambda log: Process.replay(WORKFLOW, log, clock=clock), sample)
    mem_floor = memory_per_process(lambda log: floor_replay(log, table), sample)
    mem_naive = memory_per_process(lambda log: naive_process(log, clock), sample[:1000])
    print("\nPeak memory per process (tracemalloc; logs are shared and not counted)")
    print(f"  runtime {mem_rt:8.0f} B   floor {mem_floor:8.0f} B   beyond floor "
          f"{mem_rt - mem_floor:8.0f} B   naive {mem_naive:8.0f} B")

    print("\nOne command (median of 5,000, µs)")
    for label, micro in per_command().items():
        print(f"  {label:<42} {micro:6.1f}")
    _ = Actor


if __name__ == "__main__":
    main()
