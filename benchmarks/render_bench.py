"""Benchmark: render every document of one six-phase run (the sample), Markdown + HTML,
and then DOCX, ODT and PDF/A.

Prints the first-render cost (compiling templates, building the view) separately
from the warm cost (median of repeats, a new renderer each time so the view is
rebuilt; templates stay compiled), and a baseline in the same run: one trivial
template ``{{ x }}`` rendered once per document, and ``str.format`` of the same
output size, as ratios. Target: warm run under 50 ms.

The office formats are made from the HTML (one HTML render each, then the
conversion): their warm time per format is printed with its ratio to the warm
Markdown + HTML run, median of ``office repeats`` (default 3; 0 leaves them out).

Run: ``python benchmarks/render_bench.py [repeats] [office repeats]``
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime

from jinja2.sandbox import ImmutableSandboxedEnvironment

from sozialraumprozess import load_workflow
from sozialraumprozess.documents import DocumentRenderer
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.scenario.sample import run_sample

FORMATS = ("md", "html")


def main(repeats: int = 30, office_repeats: int = 3) -> None:
    """Measure and print."""
    workflow = load_workflow("generationengerechte-sozialraumentwicklung")
    process = run_sample(workflow)
    clock = FixedClock(datetime(2026, 12, 1, tzinfo=UTC))

    start = time.perf_counter()
    renderer = DocumentRenderer(workflow, clock=clock)
    documents = renderer.render_all(process, formats=FORMATS)
    first = time.perf_counter() - start
    count = len(documents)
    chars = sum(len(d.text) for d in documents)

    warm: list[float] = []
    for _ in range(repeats):
        fresh = DocumentRenderer(workflow, clock=clock)  # no cached view; shared templates
        start = time.perf_counter()
        fresh.render_all(process, formats=FORMATS)
        warm.append(time.perf_counter() - start)
    cached: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        renderer.render_all(process, formats=FORMATS)
        cached.append(time.perf_counter() - start)

    env = ImmutableSandboxedEnvironment()
    trivial = env.from_string("{{ x }}")
    text = "x" * (chars // count)
    base: list[float] = []
    fmt: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(count):
            trivial.render(x=text)
        base.append(time.perf_counter() - start)
        start = time.perf_counter()
        for _ in range(count):
            "{}".format(text)  # noqa: UP032 - the baseline is str.format itself
        fmt.append(time.perf_counter() - start)

    med = statistics.median(warm)
    print(f"documents: {count} ({len(FORMATS)} formats), {chars:,} characters")
    print(f"first render (compile + view): {first * 1000:8.2f} ms")
    print(f"warm, new view each time:      {med * 1000:8.2f} ms (median of {repeats})")
    print(f"warm, view cached:             {statistics.median(cached) * 1000:8.2f} ms")
    print(
        f"baseline {{{{ x }}}} x {count}:         {statistics.median(base) * 1000:8.2f} ms"
        f"  (ratio {med / statistics.median(base):.0f}x)"
    )
    print(f"baseline str.format x {count}:    {statistics.median(fmt) * 1000:8.3f} ms")
    print("target < 50 ms:", "met" if med < 0.050 else "NOT met")
    assert count > 0
    specs = count // len(FORMATS)
    for office in OFFICE if office_repeats > 0 else ():
        renderer.render_all(process, formats=(office,))  # first: imports, layout file
        times = []
        for _ in range(office_repeats):
            start = time.perf_counter()
            files = renderer.render_all(process, formats=(office,))
            times.append(time.perf_counter() - start)
        took = statistics.median(times)
        size = sum(len(d.content) for d in files)
        print(
            f"{office:4} x {specs} documents:          {took * 1000:8.0f} ms"
            f"  ({took / specs * 1000:.1f} ms each, {took / med:.0f}x md+html, {size:,} bytes)"
        )


#: The formats made from the HTML.
OFFICE = ("docx", "odt", "pdf")


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 30,
        int(sys.argv[2]) if len(sys.argv) > 2 else 3,
    )
