"""Workflow diagrams as Mermaid or Graphviz DOT text (no native dependency).

Phases are boxes in order; ``advance`` edges are solid, the cycle edge is marked
"neuer Zyklus", extra transitions are dashed and carry their title. Format v2
marks: an optional phase has a dashed border and "(optional)" after its title; a
transition with a condition (``when``) is dashed with "(bedingt)", one that
``advance`` takes by itself (``auto``) is a thick arrow with "(automatisch)". A
current phase can be highlighted (for process reports). The SVG of
:mod:`sozialraumprozess.app.svg` draws the same marks from :func:`diagram_edges`.
"""

from __future__ import annotations

from sozialraumprozess.definition.model import Phase, Workflow
from sozialraumprozess.i18n import Lang, msg

__all__ = ["EDGE_STYLES", "diagram_edges", "phase_label", "to_dot", "to_mermaid"]

#: The edge styles :func:`diagram_edges` yields: the next phase, the cycle edge, and
#: extra transitions: plain (offered), ``conditional`` (``when``), ``automatic`` (``auto``).
EDGE_STYLES = ("advance", "cycle", "transition", "conditional", "automatic")


def _text(value: str) -> str:
    return value.replace('"', "'").replace("\n", " ")


def phase_label(phase: Phase, number: int, lang: Lang = "de") -> str:
    """``3. Title`` of a phase box, with ``(optional)`` for a phase that may be skipped."""
    label = f"{number}. {phase.title.get(lang)}"
    if phase.optional:
        note = msg("diagram.optional-phase").text(lang)
        label += f" ({note})"
    return label


def diagram_edges(workflow: Workflow, lang: Lang = "de") -> list[tuple[str, str, str, str]]:
    """(source, target, label, style), style one of :data:`EDGE_STYLES`.

    A transition's label is its title (else its id), followed by ``(bedingt)`` when it
    has a condition and by ``(automatisch)`` when ``advance`` takes it by itself.
    """
    edges: list[tuple[str, str, str, str]] = []
    for phase in workflow.phases:
        target = workflow.next_phase(phase.id)
        if target is None:
            continue
        if workflow.is_backward(phase.id, target):
            edges.append((phase.id, target, msg("diagram.new-cycle").text(lang), "cycle"))
        else:
            edges.append((phase.id, target, "", "advance"))
    for transition in workflow.transitions:
        label = transition.title.get(lang) if transition.title else transition.id
        style = "transition"
        if transition.auto:
            style = "automatic"
            note = msg("diagram.automatic-transition").text(lang)
            label += f" ({note})"
        elif transition.when:
            style = "conditional"
            note = msg("diagram.conditional-transition").text(lang)
            label += f" ({note})"
        edges.append((transition.source, transition.target, label, style))
    return edges


_NAMED = ("transition", "conditional", "automatic")


def to_mermaid(workflow: Workflow, *, lang: Lang = "de", current: str | None = None) -> str:
    """A Mermaid ``flowchart`` of the workflow; ``current`` is highlighted."""
    lines = ["flowchart TD"]
    for number, phase in enumerate(workflow.phases, 1):
        lines.append(f'    {phase.id}["{_text(phase_label(phase, number, lang))}"]')
    final = [p.id for p in workflow.phases if workflow.is_final(p.id)]
    optional = [p.id for p in workflow.phases if p.optional]
    for source, target, label, style in diagram_edges(workflow, lang):
        if style == "automatic":
            lines.append(f'    {source} == "{_text(label)}" ==> {target}')
        elif style in _NAMED:
            lines.append(f'    {source} -. "{_text(label)}" .-> {target}')
        elif label:
            lines.append(f'    {source} -- "{_text(label)}" --> {target}')
        else:
            lines.append(f"    {source} --> {target}")
    if final:
        lines.append("    classDef final stroke-width:3px")
        lines.append(f"    class {','.join(final)} final")
    if optional:
        lines.append("    classDef optional stroke-dasharray:6 4")
        lines.append(f"    class {','.join(optional)} optional")
    if current is not None:
        workflow.phase(current)  # raises UnknownNameError with a hint
        lines.append("    classDef current fill:#ffd54f,stroke:#e65100,stroke-width:3px")
        lines.append(f"    class {current} current")
    return "\n".join(lines) + "\n"


def to_dot(workflow: Workflow, *, lang: Lang = "de", current: str | None = None) -> str:
    """A Graphviz DOT digraph of the workflow; ``current`` is highlighted."""
    if current is not None:
        workflow.phase(current)
    lines = [
        f'digraph "{_text(workflow.id)}" {{',
        "    rankdir=TB;",
        '    node [shape=box, style="rounded", fontname="Helvetica"];',
    ]
    for number, phase in enumerate(workflow.phases, 1):
        attrs = [f'label="{_text(phase_label(phase, number, lang))}"']
        dashed = ",dashed" if phase.optional else ""
        if phase.id == current:
            attrs.append(f'style="rounded,filled{dashed}", fillcolor="#ffd54f", penwidth=3')
        else:
            if dashed:
                attrs.append('style="rounded,dashed"')
            if workflow.is_final(phase.id):
                attrs.append("penwidth=3")
        lines.append(f"    {phase.id} [{', '.join(attrs)}];")
    for source, target, label, style in diagram_edges(workflow, lang):
        attrs = []
        if label:
            attrs.append(f'label="{_text(label)}"')
        if style in ("transition", "conditional"):
            attrs.append("style=dashed")
        if style == "automatic":
            attrs.append("style=bold")
        if style == "cycle":
            attrs.append("constraint=false")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"    {source} -> {target}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"
