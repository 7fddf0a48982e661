"""The workflow diagram as inline SVG, generated here (no Mermaid, no JavaScript, no network).

Phases are boxes from top to bottom; ``advance`` edges are arrows between
neighbours, the edge that starts a new cycle runs back up on the right, and
extra transitions are dashed curves on the left with their title (a transition
with a condition says "(bedingt)"; one that ``advance`` takes by itself is a solid
orange curve saying "(automatisch)"). An optional phase has a dashed border and
"(optional)" after its title. The current phase is filled; phases visited before
are tinted. Long phase titles wrap onto up to four lines (the boxes grow with the
longest), never cut.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from sozialraumprozess.definition.diagram import diagram_edges, phase_label
from sozialraumprozess.i18n import Lang

if TYPE_CHECKING:
    from sozialraumprozess.definition.model import Workflow

__all__ = ["workflow_svg", "wrap"]

_BOX_W = 320
_BOX_H = 44
_GAP = 34
_TOP = 16
_MAX_CHARS = 40


def _escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities (what ``xml.sax.saxutils.escape`` does, without
    importing ``urllib.request`` with it)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def _short(text: str) -> str:
    return text if len(text) <= _MAX_CHARS else text[: _MAX_CHARS - 1].rstrip() + "…"


_LINE_H = 17  # one line of a phase title (14px text)
_MAX_LINES = 4


def wrap(text: str, width: int = _MAX_CHARS) -> list[str]:
    """``text`` broken at spaces (and after hyphens or slashes) into lines of at most
    ``width`` characters; a single longer word stays whole. Never cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= width or not line:
            line = candidate
            continue
        lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines or [""]


def _title_text(lines: list[str], cx: float, middle: float, bold: bool) -> str:
    """A phase title as ``<text>`` with one ``<tspan>`` per line, centred on ``middle``."""
    first = middle + 5 - (len(lines) - 1) * _LINE_H / 2
    spans = "".join(
        f'<tspan x="{cx}" y="{first + n * _LINE_H}">{_escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    weight = "bold" if bold else "normal"
    return (
        f'<text x="{cx}" y="{first}" font-size="14" text-anchor="middle" '
        f'font-weight="{weight}" fill="#1a1a1a">{spans}</text>'
    )


def workflow_svg(
    workflow: Workflow,
    *,
    lang: Lang = "de",
    current: str | None = None,
    visited: Collection[str] = (),
) -> str:
    """An ``<svg>`` element drawing ``workflow`` with ``current`` highlighted.

    Raises:
        UnknownNameError: ``current`` is not a phase of the workflow.
    """
    if current is not None:
        workflow.phase(current)
    phases = workflow.phases
    transitions = workflow.transitions
    titles = {p.id: wrap(phase_label(p, i, lang)) for i, p in enumerate(phases, 1)}
    lines = min(_MAX_LINES, max((len(t) for t in titles.values()), default=1))
    box_h = _BOX_H + (lines - 1) * _LINE_H
    left = 40 + 26 * len(transitions) + (150 if transitions else 0)
    right_lane = 60
    width = left + _BOX_W + right_lane + 110
    height = _TOP * 2 + len(phases) * box_h + (len(phases) - 1) * _GAP
    ys: dict[str, float] = {p.id: _TOP + i * (box_h + _GAP) for i, p in enumerate(phases)}
    current_text = "aktuelle Phase" if lang == "de" else "current phase"
    title = workflow.title.get(lang)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{_attr(title)}">',
        f"<title>{_escape(title)}</title>",
        "<defs>",
        '<marker id="pfeil" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#2b5d8a"/></marker>',
        '<marker id="pfeil-grau" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#777"/></marker>',
        '<marker id="pfeil-auto" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#e65100"/></marker>',
        "</defs>",
    ]
    cx = left + _BOX_W / 2
    edges = diagram_edges(workflow, lang)
    # advance edges and the cycle edge
    for source, target, label, style in edges:
        if style not in ("advance", "cycle"):
            continue
        y0 = ys[source]
        y1 = ys[target]
        if style == "cycle":
            x = left + _BOX_W
            lane = x + right_lane
            out.append(
                f'<path d="M{x},{y0 + box_h / 2} H{lane} V{y1 + box_h / 2} H{x + 2}" '
                'fill="none" stroke="#2b5d8a" stroke-width="1.5" marker-end="url(#pfeil)"/>'
            )
            out.append(
                f'<text x="{lane + 6}" y="{y1 + box_h / 2 - 6}" font-size="12" '
                f'fill="#2b5d8a">{_escape(label)}</text>'
            )
        else:  # forward: to a later phase
            out.append(
                f'<line x1="{cx}" y1="{y0 + box_h}" x2="{cx}" y2="{y1 - 2}" '
                'stroke="#2b5d8a" stroke-width="1.5" marker-end="url(#pfeil)"/>'
            )
    # named transitions: dashed curves on the left
    named = [
        (s, d, label, style) for s, d, label, style in edges if style not in ("advance", "cycle")
    ]
    for number, (source, target, label, style) in enumerate(named):
        y0 = ys[source] + box_h / 2 + (number % 3 - 1) * 6
        y1 = ys[target] + box_h / 2 + (number % 3 - 1) * 6
        bend = left - 30 - 26 * number
        if style == "automatic":  # taken by `advance` itself: solid, orange
            stroke = 'stroke="#e65100" stroke-width="1.8" marker-end="url(#pfeil-auto)"'
            colour = "#e65100"
        else:  # offered (and with a condition, only while it holds): dashed, grey
            stroke = (
                'stroke="#777" stroke-width="1.2" stroke-dasharray="5 4" '
                'marker-end="url(#pfeil-grau)"'
            )
            colour = "#555"
        out.append(
            f'<path class="transition {style}" d="M{left},{y0} C{bend},{y0} {bend},{y1} '
            f'{left - 2},{y1}" fill="none" {stroke}/>'
        )
        mid = (y0 + y1) / 2
        out.append(
            f'<text x="{bend - 4}" y="{mid}" font-size="11" fill="{colour}" '
            f'text-anchor="end">{_escape(_short(label))}</text>'
        )
    # phase boxes on top
    for index, phase in enumerate(phases, 1):
        y = ys[phase.id]
        is_current = phase.id == current
        if is_current:
            fill, stroke, width_ = "#ffd54f", "#e65100", 3.0
        elif phase.id in visited:
            fill, stroke, width_ = "#e8eef4", "#2b5d8a", 1.5
        else:
            fill, stroke, width_ = "#ffffff", "#2b5d8a", 1.5
        if workflow.is_final(phase.id) and not is_current:
            width_ = 2.5
        css = "phase current" if is_current else "phase"
        dash = ""
        if phase.optional:  # may be skipped: dashed border, "(optional)" after the title
            css += " optional"
            dash = ' stroke-dasharray="6 4"'
        label = phase_label(phase, index, lang)
        out.append(
            f'<g class="{css}" data-phase="{_attr(phase.id)}"><title>{_escape(label)}</title>'
            f'<rect x="{left}" y="{y}" width="{_BOX_W}" height="{box_h}" rx="8" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{width_}"{dash}/>'
            f"{_title_text(titles[phase.id][:_MAX_LINES], cx, y + box_h / 2, is_current)}</g>"
        )
        if is_current:
            out.append(
                f'<text x="{left + _BOX_W + right_lane + 8}" y="{y + box_h - 6}" '
                'font-size="11" fill="#e65100">'
                f"◀ {_escape(current_text)}</text>"
            )
    out.append("</svg>")
    return "\n".join(out)
