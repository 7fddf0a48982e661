"""Workflow diagrams as Mermaid or Graphviz DOT text (no native dependency).

Phases are boxes in order; ``advance`` edges are solid, the cycle edge is marked
"neuer Zyklus", extra transitions are dashed and carry their title. A current
phase can be highlighted (for process reports).
"""

from __future__ import annotations

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.i18n import Lang

__all__ = ["diagram_edges", "to_dot", "to_mermaid"]


def _text(value: str) -> str:
    return value.replace('"', "'").replace("\n", " ")


def diagram_edges(workflow: Workflow, lang: Lang = "de") -> list[tuple[str, str, str, str]]:
    """(source, target, label, style) with style ``advance``, ``cycle`` or ``transition``."""
    edges: list[tuple[str, str, str, str]] = []
    for phase in workflow.phases:
        target = workflow.next_phase(phase.id)
        if target is None:
            continue
        if workflow.is_backward(phase.id, target):
            edges.append(
                (phase.id, target, "neuer Zyklus" if lang == "de" else "new cycle", "cycle")
            )
        else:
            edges.append((phase.id, target, "", "advance"))
    for transition in workflow.transitions:
        label = transition.title.get(lang) if transition.title else transition.id
        edges.append((transition.source, transition.target, label, "transition"))
    return edges


def to_mermaid(workflow: Workflow, *, lang: Lang = "de", current: str | None = None) -> str:
    """A Mermaid ``flowchart`` of the workflow; ``current`` is highlighted."""
    lines = ["flowchart TD"]
    for number, phase in enumerate(workflow.phases, 1):
        lines.append(f'    {phase.id}["{number}. {_text(phase.title.get(lang))}"]')
    final = [p.id for p in workflow.phases if workflow.is_final(p.id)]
    for source, target, label, style in diagram_edges(workflow, lang):
        if style == "transition":
            lines.append(f'    {source} -. "{_text(label)}" .-> {target}')
        elif label:
            lines.append(f'    {source} -- "{_text(label)}" --> {target}')
        else:
            lines.append(f"    {source} --> {target}")
    if final:
        lines.append("    classDef final stroke-width:3px")
        lines.append(f"    class {','.join(final)} final")
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
        attrs = [f'label="{number}. {_text(phase.title.get(lang))}"']
        if phase.id == current:
            attrs.append('style="rounded,filled", fillcolor="#ffd54f", penwidth=3')
        elif workflow.is_final(phase.id):
            attrs.append("penwidth=3")
        lines.append(f"    {phase.id} [{', '.join(attrs)}];")
    for source, target, label, style in diagram_edges(workflow, lang):
        attrs = []
        if label:
            attrs.append(f'label="{_text(label)}"')
        if style == "transition":
            attrs.append("style=dashed")
        if style == "cycle":
            attrs.append("constraint=false")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"    {source} -> {target}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"
