"""Charts as static SVG: the one place that draws them.

Indicator time series (with target and reference lines) and budget bars
(plan / committed / spent per budget line) are drawn by matplotlib, a
well-kept charting library, into SVG text that the HTML report and the
documents embed inline: no JavaScript, no network, no files.

The output is deterministic — the same input gives the same bytes on every
run and machine with the same matplotlib: the SVG ids are salted with a hash
of the input (``svg.hashsalt``), no date is written into the metadata, and
text stays text (``svg.fonttype: none``) in the font that ships with
matplotlib (DejaVu Sans), so no system font is looked up. matplotlib is
imported only when the first chart is drawn, so commands that draw none do not
pay for it. Drawn charts are kept in a small bounded cache keyed by their
input, so rendering a report again is fast; :func:`clear_chart_cache` (also
run by :func:`sozialraumprozess.runtime.clear_caches`) empties it.

Texts on the chart (title, series labels, the legend's words) are passed in
by the caller, already in the reader's language; numbers and dates are
formatted for ``lang`` with Babel.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from sozialraumprozess.i18n import Lang
from sozialraumprozess.runtime._cache import on_clear

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "BarGroup",
    "LineSeries",
    "bar_chart",
    "clear_chart_cache",
    "line_chart",
]

#: How many drawn charts the cache keeps.
MAX_CHARTS = 256

#: Colours of the series, in order (colour-blind friendly, after Okabe and Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
_TARGET_COLOUR = "#009E73"
_REFERENCE_COLOUR = "#555555"
_FONT = "DejaVu Sans"  # ships with matplotlib: never a system font lookup

_LOCK = threading.Lock()
_CACHE: OrderedDict[str, str] = OrderedDict()


def _points(points: Iterable[tuple[dt.date, float]]) -> tuple[tuple[dt.date, float], ...]:
    return tuple((day, float(value)) for day, value in points)


def _values(values: Iterable[float | None]) -> tuple[float | None, ...]:
    return tuple(None if value is None else float(value) for value in values)


@attrs.frozen
class LineSeries:
    """One line: values at reference dates (*Stichtage*).

    Attributes:
        label: The legend's text (already in the reader's language).
        points: ``(date, value)`` pairs; drawn in date order.
    """

    label: str
    points: tuple[tuple[dt.date, float], ...] = attrs.field(converter=_points)


@attrs.frozen
class BarGroup:
    """One group of bars, e.g. one budget line with its planned, committed and spent sums.

    Attributes:
        label: The group's label under the bars.
        values: One value per bar series (``None`` draws no bar).
    """

    label: str
    values: tuple[float | None, ...] = attrs.field(converter=_values)


def clear_chart_cache() -> None:
    """Forget every drawn chart."""
    with _LOCK:
        _CACHE.clear()


on_clear(clear_chart_cache)


def _key(kind: str, payload: dict[str, Any]) -> str:
    text = json.dumps([kind, payload], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _cached(key: str, draw: Callable[[], str]) -> str:
    with _LOCK:
        svg = _CACHE.get(key)
        if svg is not None:
            _CACHE.move_to_end(key)
            return svg
    svg = draw()
    with _LOCK:
        _CACHE[key] = svg
        while len(_CACHE) > MAX_CHARTS:
            _CACHE.popitem(last=False)
    return svg


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _number(value: float, lang: Lang) -> str:
    from babel.numbers import format_decimal

    return str(format_decimal(value, format="#,##0.##", locale=lang))


def _date(value: dt.date, lang: Lang) -> str:
    from babel.dates import format_date

    return str(format_date(value, format="short" if lang == "en" else "dd.MM.yyyy", locale=lang))


def _rc(key: str) -> Any:  # matplotlib types rc keys as literals
    """The style of every chart; the SVG ids salted with the input's hash."""
    return {
        "svg.hashsalt": key[:16],
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.sans-serif": [_FONT],
        "font.size": 9.0,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "path.simplify": False,
    }


def _svg_text(figure: Any, key: str, description: str) -> str:
    """The figure as an inline ``<svg>`` element (no XML prolog), labelled for screen readers."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(figure)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    prefix = f"c{key[:10]}-"  # ids unique per chart, so many charts fit on one page
    text = (
        buffer.getvalue()
        .replace(' id="', f' id="{prefix}')
        .replace("url(#", f"url(#{prefix}")
        .replace('href="#', f'href="#{prefix}')
    )
    start = text.index("<svg")
    head_end = text.index(">", start)
    head = text[start:head_end]
    label = _escape(description)
    svg = (
        f'{head} role="img" aria-label="{label}" class="chart" data-chart="{key[:12]}"'
        ' style="max-width:100%;height:auto">'
        f"<title>{label}</title>{text[head_end + 1 :]}"
    )
    return svg.strip() + "\n"


def _new_figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=72)


def line_chart(
    series: Sequence[LineSeries],
    *,
    title: str,
    unit: str = "",
    target: float | None = None,
    target_label: str = "",
    target_date: dt.date | None = None,
    reference: float | None = None,
    reference_label: str = "",
    lang: Lang = "de",
    width: float = 6.4,
    height: float = 3.2,
) -> str:
    """An indicator time series as an inline ``<svg>`` element.

    Args:
        series: The lines (one per Sozialraum or indicator), each with its points.
        title: The chart's title (also its accessible name).
        unit: The values' unit, shown on the y axis.
        target: A target value, drawn as a dashed line (a marker at ``target_date``
            if given).
        target_label: The target line's legend text.
        target_date: When the target should be reached.
        reference: A reference value such as the city average, drawn as a dotted line.
        reference_label: The reference line's legend text.
        lang: Language of dates and numbers on the axes.
        width: Width in inches (72 points each).
        height: Height in inches.

    Returns:
        The SVG text, the same for the same input.
    """
    lines = tuple(series)
    payload = {
        "series": [[s.label, [[d.isoformat(), v] for d, v in s.points]] for s in lines],
        "title": title,
        "unit": unit,
        "target": [target, target_label, target_date.isoformat() if target_date else None],
        "reference": [reference, reference_label],
        "lang": lang,
        "size": [width, height],
    }
    key = _key("line", payload)

    def draw() -> str:
        import matplotlib
        from matplotlib.ticker import FuncFormatter

        with matplotlib.rc_context(_rc(key)):
            figure = _new_figure(width, height)
            axes: Axes = figure.add_subplot(1, 1, 1)
            dates: set[dt.date] = set()
            for index, line in enumerate(lines):
                points = sorted(line.points)
                xs = [d.toordinal() for d, _ in points]
                ys = [v for _, v in points]
                dates.update(d for d, _ in points)
                axes.plot(
                    xs,
                    ys,
                    marker="o",
                    linewidth=2,
                    color=PALETTE[index % len(PALETTE)],
                    label=line.label,
                )
            if target_date is not None:
                dates.add(target_date)
            if target is not None:
                axes.axhline(
                    target, linestyle="--", linewidth=1.2, color=_TARGET_COLOUR, label=target_label
                )
                if target_date is not None:
                    axes.plot(
                        [target_date.toordinal()],
                        [target],
                        marker="*",
                        markersize=10,
                        color=_TARGET_COLOUR,
                        linestyle="none",
                    )
            if reference is not None:
                axes.axhline(
                    reference,
                    linestyle=":",
                    linewidth=1.4,
                    color=_REFERENCE_COLOUR,
                    label=reference_label,
                )
            ticks = sorted(dates)
            axes.set_xticks([d.toordinal() for d in ticks])
            axes.set_xticklabels([_date(d, lang) for d in ticks])
            if len(ticks) == 1:
                only = ticks[0].toordinal()
                axes.set_xlim(only - 30, only + 30)
            elif ticks:
                span = ticks[-1].toordinal() - ticks[0].toordinal()
                axes.set_xlim(
                    ticks[0].toordinal() - span * 0.05, ticks[-1].toordinal() + span * 0.05
                )
            axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _number(v, lang)))
            if unit:
                axes.set_ylabel(unit)
            axes.set_title(title, loc="left", fontsize=10, fontweight="bold")
            axes.grid(axis="y", color="#dddddd", linewidth=0.6)
            handles, _labels = axes.get_legend_handles_labels()
            if handles:
                axes.legend(loc="best", frameon=False, fontsize=8)
            figure.tight_layout()
            return _svg_text(figure, key, title)

    return _cached(key, draw)


def bar_chart(
    groups: Sequence[BarGroup],
    *,
    series_labels: Sequence[str],
    title: str,
    unit: str = "",
    lang: Lang = "de",
    width: float = 6.4,
    height: float = 3.2,
) -> str:
    """A grouped bar chart (e.g. plan / committed / spent per budget line) as an ``<svg>``.

    Args:
        groups: One group per budget line; each has one value per series.
        series_labels: The bars' legend texts (e.g. "Plan", "Gebunden", "Ist").
        title: The chart's title (also its accessible name).
        unit: The values' unit (e.g. "€"), shown on the y axis.
        lang: Language of the numbers on the axis.
        width: Width in inches (72 points each).
        height: Height in inches.

    Returns:
        The SVG text, the same for the same input.
    """
    bars = tuple(groups)
    names = tuple(series_labels)
    payload = {
        "groups": [[g.label, list(g.values)] for g in bars],
        "series": list(names),
        "title": title,
        "unit": unit,
        "lang": lang,
        "size": [width, height],
    }
    key = _key("bar", payload)

    def draw() -> str:
        import matplotlib
        from matplotlib.ticker import FuncFormatter

        with matplotlib.rc_context(_rc(key)):
            figure = _new_figure(width, height)
            axes: Axes = figure.add_subplot(1, 1, 1)
            count = max(len(names), 1)
            bar_width = 0.8 / count
            for index, name in enumerate(names):
                xs: list[float] = []
                ys: list[float] = []
                for position, group in enumerate(bars):
                    value = group.values[index] if index < len(group.values) else None
                    if value is None:
                        continue
                    xs.append(position - 0.4 + bar_width * (index + 0.5))
                    ys.append(value)
                axes.bar(
                    xs,
                    ys,
                    width=bar_width,
                    color=PALETTE[index % len(PALETTE)],
                    label=name,
                )
            axes.set_xticks(list(range(len(bars))))
            axes.set_xticklabels([g.label for g in bars])
            axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _number(v, lang)))
            if unit:
                axes.set_ylabel(unit)
            axes.set_title(title, loc="left", fontsize=10, fontweight="bold")
            axes.grid(axis="y", color="#dddddd", linewidth=0.6)
            axes.set_axisbelow(True)
            if names:
                axes.legend(loc="best", frameon=False, fontsize=8)
            figure.tight_layout()
            return _svg_text(figure, key, title)

    return _cached(key, draw)
