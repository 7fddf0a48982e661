"""What the reconciled budget and the programme view cost, against baselines in the same run.

Run: ``python benchmarks/budget_bench.py [REPEATS]`` (default 5; best of REPEATS).

On seed 004's demo run (the bundled scenario, two cycles):

* ``reconcile``  — :func:`sozialraumprozess.steering.budget.reconcile`, against
  replaying the run's log (``Process.replay``), the cost of opening a run;
* ``section``    — the report's budget section with its chart drawn anew
  (:func:`sozialraumprozess.documents.budget.budget_context`, chart cache cleared),
  and with the chart from the cache, against the whole report page
  (``report_html``, chart cached);
* ``programme``  — :func:`sozialraumprozess.app.load_programme` over a folder store
  of 30 runs (every run replayed), against :func:`sozialraumprozess.app.portfolio`
  (from the run summaries) over the same store.

Printed: seconds and the ratio measured / baseline.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import attrs

from sozialraumprozess.app import Service
from sozialraumprozess.app.portfolio import load_programme, portfolio
from sozialraumprozess.app.report import report_html
from sozialraumprozess.documents.budget import budget_context
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario import bundled_scenario_path, load_scenario, run_scenario
from sozialraumprozess.steering.budget import reconcile
from sozialraumprozess.steering.charts import clear_chart_cache
from sozialraumprozess.storage.session import create_run

SIX = "generationengerechte-sozialraumentwicklung"


def best(fn: Callable[[], object], repeats: int, inner: int = 1) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - start) / inner)
    return min(times)


def line(name: str, measured: float, baseline: float, against: str) -> None:
    print(
        f"{name:<28} {measured * 1000:9.2f} ms   {against:<22} {baseline * 1000:9.2f} ms"
        f"   ratio {measured / baseline:6.3f}"
    )


def main(repeats: int) -> None:
    scenario = load_scenario(bundled_scenario_path(SIX))
    process = run_scenario(scenario).process
    log = process.log
    workflow = process.workflow

    replay = best(lambda: Process.replay(workflow, log), repeats, 5)
    line("reconcile", best(lambda: reconcile(process), repeats, 20), replay, "replay of the log")

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bericht.html"
        report_html(process, out)  # warm: templates compiled, chart cached
        page = best(lambda: report_html(process, out), repeats, 3)

        def cold() -> None:
            clear_chart_cache()
            budget_context(process, "de", "html")

        line("section, chart drawn", best(cold, repeats), page, "whole report page")
        budget_context(process, "de", "html")
        warm = best(lambda: budget_context(process, "de", "html"), repeats, 5)
        line("section, chart cached", warm, page, "whole report page")

        service = Service.open(str(Path(tmp) / "store"), create=True)
        try:
            for n in range(30):
                area = attrs.evolve(scenario, sozialraum={**scenario.sozialraum, "name": f"Q{n}"})
                create_run(service.store, f"q{n:02d}", run_scenario(area).process)
            summaries = best(lambda: portfolio([service]), repeats)
            programme = best(lambda: load_programme([service]), repeats)
        finally:
            service.close()
        line("programme (30 runs)", programme, summaries, "portfolio (summaries)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
