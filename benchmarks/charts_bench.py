"""Benchmark: the charts of the report, drawn cold and taken from the cache warm.

Prints, for the six-phase demo run (two cycles of indicator values): drawing one
indicator chart cold (cache emptied, matplotlib already imported), taking it from
the cache, the report's monitoring section warm (five charts, the table and the
outline), and the whole HTML report warm, as times and as ratios against the
warm report measured in the same run. Target: the warm monitoring section under
10 % of the warm report, the cached chart over 100x faster than a cold draw.

Run: ``python benchmarks/charts_bench.py [repeats]``
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from sozialraumprozess.app.report import report_html
from sozialraumprozess.scenario import run_scenario
from sozialraumprozess.steering.charts import clear_chart_cache
from sozialraumprozess.steering.indicators import indicator_chart, monitoring_section


def _median(fn: object, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(repeats: int = 9) -> None:
    """Measure and print."""
    process = run_scenario("generationengerechte-sozialraumentwicklung").process
    workflow, state = process.workflow, process.state
    indicator_chart(workflow, state, "sgb2_quote")  # imports matplotlib once

    def cold() -> None:
        clear_chart_cache()
        indicator_chart(workflow, state, "sgb2_quote")

    cold_time = _median(cold, repeats)
    warm_time = _median(lambda: indicator_chart(workflow, state, "sgb2_quote"), repeats)
    monitoring_section(workflow, state)
    section = _median(lambda: monitoring_section(workflow, state), repeats)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "bericht.html"
        report_html(process, page)
        report = _median(lambda: report_html(process, page), repeats)
    print(f"chart cold draw      {cold_time * 1000:8.2f} ms")
    print(
        f"chart from cache     {warm_time * 1000:8.3f} ms   ({cold_time / warm_time:,.0f}x faster)"
    )
    print(f"monitoring section   {section * 1000:8.2f} ms   ({section / report:.1%} of the report)")
    print(f"report warm          {report * 1000:8.2f} ms   (baseline)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
