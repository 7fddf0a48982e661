"""Charts: matplotlib into static, deterministic SVG text (steering/charts.py)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest

from sozialraumprozess.runtime import clear_caches
from sozialraumprozess.steering import charts
from sozialraumprozess.steering.charts import BarGroup, LineSeries, bar_chart, line_chart

D1, D2, D3 = dt.date(2024, 12, 31), dt.date(2025, 12, 31), dt.date(2029, 12, 31)


def _line(**overrides: object) -> str:
    arguments: dict[str, object] = {
        "title": "SGB-II-Quote",
        "unit": "%",
        "target": 10.0,
        "target_label": "Zielwert",
        "target_date": D3,
        "reference": 9.1,
        "reference_label": "Stadtdurchschnitt",
    }
    arguments.update(overrides)
    series = [LineSeries("Quartier Mitte", [(D2, 11.0), (D1, 12.5)])]
    return line_chart(series, **arguments)  # type: ignore[arg-type]


def _bars() -> str:
    return bar_chart(
        [
            BarGroup("Produkt 61", [20400, 15000, 9000.5]),
            BarGroup("Fördermittel", [5000, None, 1000]),
        ],
        series_labels=["Plan", "Gebunden", "Ist"],
        title="Haushalt 2025",
        unit="€",
    )


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_line_chart_is_an_inline_svg_with_title_labels_and_lines() -> None:
    svg = _line()
    root = ET.fromstring(svg)  # noqa: S314 - our own output, well-formed, no prolog
    assert svg.startswith("<svg")
    assert root.get("role") == "img"
    assert root.get("aria-label") == "SGB-II-Quote"
    texts = _texts(svg)
    for word in ("SGB-II-Quote", "Quartier Mitte", "Zielwert", "Stadtdurchschnitt", "%"):
        assert word in texts
    # dates and numbers in German
    assert "31.12.2024" in texts
    assert "31.12.2029" in texts
    assert any("," in t for t in texts if re.fullmatch(r"[\d.,]+", t))
    # target dashed, reference dotted: two different dash patterns besides the solid line
    assert len(set(re.findall(r"stroke-dasharray: ([\d.,]+)", svg))) >= 2


def test_english_dates_and_numbers() -> None:
    texts = _texts(_line(lang="en"))
    assert "12/31/24" in texts
    assert "12.5" in texts


def test_output_is_deterministic_and_carries_no_date_and_keeps_text_as_text() -> None:
    first = _line()
    clear_caches()  # the chart cache is emptied too: draw again from scratch
    second = _line()
    assert first == second
    assert "<dc:date>" not in first
    assert "DejaVuSans-" not in first  # svg.fonttype none: no glyph outlines
    assert "font-family: 'DejaVu Sans'" in first
    assert "http://" not in first.replace("http://www.w3.org", "").replace(
        "http://purl.org", ""
    ).replace("http://creativecommons.org", "")


def test_ids_differ_between_charts_so_two_fit_on_one_page() -> None:
    ids_a = set(re.findall(r'id="([^"]+)"', _line()))
    ids_b = set(re.findall(r'id="([^"]+)"', _line(title="Arbeitslosenquote")))
    assert ids_a
    assert ids_b
    assert not ids_a & ids_b


def test_cache_returns_the_drawn_chart_quickly() -> None:
    clear_caches()
    start = time.perf_counter()
    cold = _line(title="Kalt")
    cold_time = time.perf_counter() - start
    start = time.perf_counter()
    warm = _line(title="Kalt")
    warm_time = time.perf_counter() - start
    assert warm is cold
    assert warm_time * 20 < cold_time


def test_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    charts.clear_chart_cache()
    monkeypatch.setattr(charts, "MAX_CHARTS", 2)
    for index in range(4):
        _line(title=f"Chart {index}", reference=None, target=None)
    assert len(charts._CACHE) == 2


def test_bar_chart_groups_and_missing_values() -> None:
    svg = _bars()
    texts = _texts(svg)
    for word in ("Haushalt 2025", "Produkt 61", "Fördermittel", "Plan", "Gebunden", "Ist", "€"):
        assert word in texts
    assert "20.000" in texts  # German thousands separator on the axis
    # five bars drawn (one value is missing) plus one legend patch per series
    fills = [svg.lower().count(f"fill: {colour.lower()}") for colour in charts.PALETTE[:3]]
    assert fills == [3, 2, 3]
    assert svg == _bars()


def test_single_date_and_no_reference_lines() -> None:
    svg = line_chart([LineSeries("A", [(D1, 3)])], title="Ein Stichtag")
    assert "31.12.2024" in _texts(svg)
    assert "stroke-dasharray" not in svg


def test_importing_charts_does_not_import_matplotlib() -> None:
    code = "import sys, sozialraumprozess.steering.charts as c;print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
