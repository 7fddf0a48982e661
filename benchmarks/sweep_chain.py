"""The 100k sweep with measures and indicators in the logs against the same sweep
without them.

Run: ``python benchmarks/sweep_chain.py [N] [--rounds R]`` (defaults 100000 and 3;
``python benchmarks/sweep_chain.py 20000`` is a quick run).

The variant of ``benchmarks/sweep_100k.py`` for the steering chain (issue 12):
every process is rebuilt from its log (``Process.replay``), gated (``blockers()``)
and advanced where possible, as there — but the logs reach into phases 5 and 6 of
the six-phase workflow, where the measures live: each log is a prefix of the
bundled sample run (own start event, five lengths, cut in *Maßnahmen planen* and
*Umsetzung sichern*) and so holds the findings, the goal hierarchy, 5 measure
items created, then moved, changed and evaluated, and the phases' chain gates
(``goals_have_measures``, ``measures_serve_goals``, ``all_items``) are evaluated
on it.

* ``with measures``    — those logs;
* ``without measures`` — the same logs with every item event (``item_created``,
  ``item_changed``, ``item_moved``), every indicator recording
  (``indicator_values_recorded``) and the Sozialraum record left out, numbered anew:
  the same workflow, the same phases and gates, the same other events.

Both run in the same process on the same machine, alternating, ``R`` rounds; the
best round of each is compared. Printed: seconds, µs per process, events per
log, and the ratio with / without (target: at most 1.5×).
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sweep_100k import WORKFLOW, own_start, sweep_runtime

from sozialraumprozess import ProcessEvent
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.scenario.sample import run_sample, sample_clock

ITEM_EVENTS = frozenset(("item_created", "item_changed", "item_moved"))
#: Left out of the logs "without": the measures (items), the indicator values and the
#: Sozialraum record (issue 12: "with measures and indicators in the logs").
STEERING_EVENTS = ITEM_EVENTS | {"indicator_values_recorded", "sozialraum_recorded"}


def cut_points(log: list[ProcessEvent]) -> list[int]:
    """Five log lengths in phases 5 and 6, each after some item events."""
    items = [i for i, e in enumerate(log) if e.type in ITEM_EVENTS]
    first, last = items[0], items[-1]
    step = (last - first) // 4
    return [first + 1 + k * step for k in range(4)] + [last + 1]


def make_logs(n: int) -> tuple[list[list[ProcessEvent]], list[list[ProcessEvent]]]:
    """``n`` logs with measures and the same ``n`` without their item events."""
    full = list(run_sample(WORKFLOW).log)
    cuts = cut_points(full)
    with_items: list[list[ProcessEvent]] = []
    without: list[list[ProcessEvent]] = []
    for i in range(n):
        log = [own_start(full[0], f"Sozialraum {i}"), *full[1 : cuts[i % 5]]]
        with_items.append(log)
        kept = [e for e in log if e.type not in STEERING_EVENTS]
        new_seq = {e.seq: j for j, e in enumerate(kept, 1)}
        without.append([_renumbered(e, j, new_seq) for j, e in enumerate(kept, 1)])
    return with_items, without


def _renumbered(entry: ProcessEvent, seq: int, new_seq: dict[int, int]) -> ProcessEvent:
    """``entry`` as number ``seq``; a participation event's ``held`` (the seq of the
    holding it belongs to) follows the renumbering."""
    event = entry.event
    held = getattr(event, "held", None)
    if isinstance(held, int):
        event = attrs.evolve(event, held=new_seq[held])
    return attrs.evolve(entry, seq=seq, event=event)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 100_000
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3
    with_items, without = make_logs(n)
    clock = FixedClock(sample_clock().peek())
    events_with = statistics.mean(len(log) for log in with_items)
    events_without = statistics.mean(len(log) for log in without)
    print(f"Sweep of {n:,} six-phase processes, logs cut in phases 5 and 6")
    print(f"  events per log: with measures {events_with:.1f}, without {events_without:.1f}")
    times: dict[str, list[float]] = {"with measures": [], "without measures": []}
    outcome: dict[str, tuple[int, int]] = {}
    for _ in range(rounds):
        for label, logs in (("without measures", without), ("with measures", with_items)):
            gc.collect()
            t0 = time.perf_counter()
            outcome[label] = sweep_runtime(logs, clock)  # as the 100k sweep does
            times[label].append(time.perf_counter() - t0)
    for label, seconds in times.items():
        best = min(seconds)
        blocked, advanced = outcome[label]
        print(
            f"  {label:<18} best {best:7.2f} s  median {statistics.median(seconds):7.2f} s  "
            f"{best / n * 1e6:6.1f} µs/process  (blocked {blocked:,}, advanced {advanced:,})"
        )
    ratio = min(times["with measures"]) / min(times["without measures"])
    per_event = (min(times["with measures"]) / events_with) / (
        min(times["without measures"]) / events_without
    )
    print(f"  ratio with / without measures: {ratio:.2f}× (target ≤ 1.5×)")
    print(f"  per event: {per_event:.2f}×")


if __name__ == "__main__":
    main()
