"""The report's section 'Sozialraum und Monitoring' in the six-phase demo, also in Chromium."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from tests.web.cdp import Browser

from sozialraumprozess.app.report import report_html
from sozialraumprozess.scenario import run_scenario
from sozialraumprozess.steering.indicators import monitoring

SIX = "generationengerechte-sozialraumentwicklung"


@pytest.fixture(scope="module")
def demo() -> object:
    return run_scenario(SIX).process


def test_cycle_2_differs_from_cycle_1(demo: object) -> None:
    process = demo
    seen = monitoring(process.workflow, process.state)  # type: ignore[attr-defined]
    assert [s.cycle for s in seen.snapshots] == [1, 2]
    first, second = (s.values for s in seen.snapshots)
    assert first != second
    quote = next(r for r in seen.rows if r.indicator.id == "sgb2_quote")
    assert (quote.previous, quote.value, quote.change_trend) == (11.9, 11.2, "better")
    assert quote.reference_trend == "worse"


def test_report_shows_record_table_and_charts(demo: object, tmp_path: Path) -> None:
    html = report_html(demo, tmp_path / "bericht.html", lang="de")  # type: ignore[arg-type]
    section = html[html.index('<h2 id="monitoring">') :]
    section = section[: section.index("<h2>")]
    assert "Sozialraum und Monitoring" in section
    assert "schwerte-ost-beispiel" in section
    assert "Statistischer Bezirk 31, Statistischer Bezirk 32" in section
    assert section.count('<figure class="chart">') == len(demo.workflow.indicators)  # type: ignore[attr-defined]
    assert section.count('<figure class="outline">') == 1
    assert "-0,7 Prozentpunkte (besser)" in section  # a rate's change, in points
    assert "Stadtdurchschnitt: 8,7 % (schlechter)" in section
    english = report_html(demo, tmp_path / "report.html", lang="en")  # type: ignore[arg-type]
    assert "Sozialraum and monitoring" in english
    assert "SGB II rate" in english
    assert "-0.7 percentage points (better)" in english
    assert "+1 group (better)" in english  # the unit's singular after 1


def test_warm_report_is_fast(demo: object, tmp_path: Path) -> None:
    report_html(demo, tmp_path / "a.html")  # type: ignore[arg-type]
    start = time.perf_counter()
    report_html(demo, tmp_path / "b.html")  # type: ignore[arg-type]
    warm = time.perf_counter() - start
    assert warm < 1.5, warm  # the charts come from the cache


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed; .ci/run installs Debian's 'chromium' package")
        pytest.skip("chromium is not installed (apt-get install chromium); CI=true fails instead")
    return found


def test_charts_render_in_headless_chromium(demo: object, tmp_path: Path) -> None:
    """In Chromium the report's charts and outline are drawn (non-empty boxes), with no
    console errors and no request leaving the machine."""
    page = tmp_path / "bericht.html"
    page.write_text(report_html(demo, page), encoding="utf-8")  # type: ignore[arg-type]
    browser = Browser(_chromium(), tmp_path / "profile")
    try:
        browser.open(page.as_uri())
        sizes = browser.evaluate(
            "[...document.querySelectorAll('#monitoring ~ figure svg.chart, svg.chart')]"
            ".map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; })"
        )
        assert len(sizes) == len(demo.workflow.indicators) + 1  # type: ignore[attr-defined] # + budget
        assert all(w > 200 and h > 100 for w, h in sizes)
        outline = browser.evaluate(
            "(() => { const r = document.querySelector('svg.outline path').getBBox();"
            " return [r.width, r.height]; })()"
        )
        assert min(outline) > 10
        titles = browser.evaluate(
            "[...document.querySelectorAll('svg.chart')].map(s => s.getAttribute('aria-label'))"
        )
        assert "SGB-II-Quote" in titles
        resources = browser.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        assert [r for r in resources if not r.startswith("file:")] == []
        assert browser.console == []
    finally:
        browser.close()


def test_documents_of_the_current_cycle_show_the_indicators(demo: object) -> None:
    from sozialraumprozess.documents import DocumentRenderer

    process = demo
    renderer = DocumentRenderer(process.workflow)  # type: ignore[attr-defined]
    current = renderer.render_artifact(process, "analysebericht", 2, fmt="html")  # type: ignore[arg-type]
    assert current.text.count('<figure class="chart">') == len(process.workflow.indicators)  # type: ignore[attr-defined]
    assert "Indikatoren (Sozialraummonitoring)" in current.text
    markdown = renderer.render_artifact(process, "analysebericht", 2, fmt="md", lang="en")  # type: ignore[arg-type]
    assert "| SGB II rate | 11\\.2 % |" in markdown.text
    assert "<svg" not in markdown.text
    older = renderer.render_artifact(process, "analysebericht", 1, fmt="html")  # type: ignore[arg-type]
    assert "chart" not in older.text  # cycle 1's report keeps to its own figures
