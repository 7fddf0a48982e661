"""Benchmark: DOCX and ODT of documents with and without pictures (inline SVG).

Documents of the six-phase sample run: an invitation (no picture), the
Wirkungskette document (one diagram) and the report page (workflow diagram,
Sozialraum outline, indicator and budget charts, Wirkungskette: 11 pictures).
For each, the warm time (median of ``repeats``, default 5) of its HTML and of its
DOCX and ODT, each office format as a ratio to the HTML in the same run. For the
documents with pictures, the same blocks written without their pictures (as the
office formats were before they had pictures) are the baseline the picture cost
is printed against. A document without pictures must cost what it did: compare
its line with a run of this script on the code before (it needs no picture API).
Drawn pictures are cached: every time above is measured with the picture cache emptied
before each repeat (a first writing); the line "again" is the same document
written again with the pictures from the cache.

Run: ``python benchmarks/office_pictures_bench.py [repeats]``
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sozialraumprozess import load_workflow
from sozialraumprozess.app.report import report_document
from sozialraumprozess.documents import DocumentRenderer, blocks
from sozialraumprozess.documents.pictures import clear_picture_cache
from sozialraumprozess.documents.plan import plan_documents
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.scenario.sample import run_sample


def _median(repeats: int, work: Callable[[], Any], *, cold: bool = True) -> float:
    work()  # first: imports, fonts, layout file
    times = []
    for _ in range(repeats):
        if cold:
            clear_picture_cache()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(repeats: int = 5) -> None:
    """Measure and print."""
    from sozialraumprozess.documents.to_docx import docx_bytes
    from sozialraumprozess.documents.to_odt import odt_bytes

    workflow = load_workflow("generationengerechte-sozialraumentwicklung")
    process = run_sample(workflow)
    moment = datetime(2026, 12, 1, tzinfo=UTC)
    renderer = DocumentRenderer(workflow, clock=FixedClock(moment))
    specs = plan_documents(process)
    invitation = next(s for s in specs if s.kind == "invitation")
    chain = next(s for s in specs if s.kind == "chain")
    output = Path("bericht.html")

    def document(name: str, fmt: str) -> Any:
        if name == "report page":
            return report_document(process, output.with_suffix(f".{fmt}"), fmt=fmt, now=moment)
        spec = invitation if name == "invitation" else chain
        return renderer.render(process, spec, fmt=fmt)

    picture = getattr(blocks, "Picture", None)  # None on the code before pictures
    layout = Path(renderer.templates.find_file("dokument.docx") or "")
    env = renderer.templates.environment("html")
    names = ("title", "sozialraum", "workflow", "generated", "classification", "lang", "footer")
    variables = dict.fromkeys(names, "x")
    print(f"median of {repeats}; ratios against the same document's HTML")
    for name in ("invitation", "Wirkungskette", "report page"):
        html = document(name, "html").text
        found = blocks.html_blocks(html)
        count = sum(isinstance(b, picture) for b in found) if picture is not None else 0
        took_html = _median(repeats, lambda: document(name, "html"))  # noqa: B023
        line = f"{name:14} ({count:2} pictures)  html {took_html * 1000:7.1f} ms"
        for fmt in ("docx", "odt"):
            took = _median(repeats, lambda: document(name, fmt))  # noqa: B023
            line += f" | {fmt} {took * 1000:7.1f} ms ({took / took_html:4.1f}x)"
        print(line)
        if count:
            line = f"{'':14} again (pictures from the cache):"
            for fmt in ("docx", "odt"):
                took = _median(repeats, lambda: document(name, fmt), cold=False)  # noqa: B023
                line += f" {fmt} {took * 1000:7.1f} ms ({took / took_html:4.1f}x)"
            print(line)
            bare = tuple(b for b in found if not isinstance(b, picture))  # type: ignore[arg-type]
            with_docx = _median(repeats, lambda: docx_bytes(layout, found, variables, env))  # noqa: B023
            bare_docx = _median(repeats, lambda: docx_bytes(layout, bare, variables, env))  # noqa: B023
            with_odt = _median(repeats, lambda: odt_bytes(None, found, "x"))  # noqa: B023
            bare_odt = _median(repeats, lambda: odt_bytes(None, bare, "x"))  # noqa: B023
            print(
                f"{'':14} writers only: docx {bare_docx * 1000:6.1f} -> {with_docx * 1000:6.1f} ms"
                f" ({with_docx / bare_docx:4.1f}x), odt {bare_odt * 1000:6.1f} ->"
                f" {with_odt * 1000:6.1f} ms ({with_odt / bare_odt:4.1f}x),"
                f" {(with_docx - bare_docx) / count * 1000:5.1f} ms per picture (docx)"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
