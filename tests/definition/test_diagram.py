"""Diagrams mark format-v2 optional phases and conditional / automatic transitions,
in the Mermaid and DOT text and in the report's SVG, in German and English."""

from __future__ import annotations

from xml.etree import ElementTree  # our own generated SVG, not untrusted input

import pytest

from sozialraumprozess import load_workflow
from sozialraumprozess.app.svg import workflow_svg
from sozialraumprozess.definition.diagram import diagram_edges, to_dot, to_mermaid
from sozialraumprozess.testing import workflow_from_string

TEXT = (
    "format: sozialraumprozess/v2\nid: marken\nversion: '1'\ntitle: Marken\n"
    "roles: {amt: {title: Amt}}\n"
    "artifacts: {antrag: {title: Antrag, owner: amt, fields: {n: {type: integer}}}}\n"
    "phases:\n"
    "  - {id: a, title: Antrag, responsible: amt, artifacts: [antrag]}\n"
    "  - {id: b, title: Anhörung, responsible: amt, optional: true}\n"
    "  - {id: c, title: Beschluss, responsible: amt}\n"
    "transitions:\n"
    "  - {id: nachbessern, title: Nachbessern, from: c, to: a, allowed: [amt],\n"
    "     when: 'artifacts.antrag.n > 3'}\n"
    "  - {id: direkt, title: Direkt zum Beschluss, from: a, to: c, allowed: [amt],\n"
    "     auto: true, when: 'artifacts.antrag.n == 0'}\n"
    "  - {id: zurueck, title: Zurück, from: c, to: b, allowed: [amt]}\n"
)


@pytest.fixture(scope="module")
def wf():  # type: ignore[no-untyped-def]
    return workflow_from_string(TEXT)


def test_edges_carry_the_transition_kind(wf) -> None:  # type: ignore[no-untyped-def]
    edges = {(s, t): (label, style) for s, t, label, style in diagram_edges(wf)}
    assert edges[("a", "b")] == ("", "advance")
    assert edges[("c", "a")] == ("Nachbessern (bedingt)", "conditional")
    assert edges[("a", "c")] == ("Direkt zum Beschluss (automatisch)", "automatic")
    assert edges[("c", "b")] == ("Zurück", "transition")
    english = {(s, t): label for s, t, label, _ in diagram_edges(wf, "en")}
    assert english[("c", "a")] == "Nachbessern (conditional)"
    assert english[("a", "c")] == "Direkt zum Beschluss (automatic)"


def test_mermaid_marks_optional_phases_and_transition_kinds(wf) -> None:  # type: ignore[no-untyped-def]
    text = to_mermaid(wf)
    assert '    b["2. Anhörung (optional)"]' in text
    assert '    a["1. Antrag"]' in text  # a required phase says nothing
    assert "    classDef optional stroke-dasharray:6 4\n    class b optional\n" in text
    assert '    a == "Direkt zum Beschluss (automatisch)" ==> c' in text
    assert '    c -. "Nachbessern (bedingt)" .-> a' in text
    assert '    c -. "Zurück" .-> b' in text


def test_dot_marks_optional_phases_and_transition_kinds(wf) -> None:  # type: ignore[no-untyped-def]
    text = to_dot(wf, lang="en")
    assert 'b [label="2. Anhörung (optional)", style="rounded,dashed"];' in text
    assert 'a -> c [label="Direkt zum Beschluss (automatic)", style=bold];' in text
    assert 'c -> a [label="Nachbessern (conditional)", style=dashed];' in text
    current = to_dot(wf, current="b")
    assert 'style="rounded,filled,dashed"' in current


def test_svg_marks_optional_phases_and_transition_kinds(wf) -> None:  # type: ignore[no-untyped-def]
    svg = workflow_svg(wf, current="a")
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own SVG
    ns = {"s": "http://www.w3.org/2000/svg"}
    groups = {g.get("data-phase"): g for g in root.iterfind("s:g", ns)}
    assert groups["b"].get("class") == "phase optional"
    assert groups["b"].find("s:rect", ns).get("stroke-dasharray") == "6 4"  # type: ignore[union-attr]
    text = groups["b"].find("s:text", ns)
    assert text is not None
    assert " ".join(span.text or "" for span in text) == "2. Anhörung (optional)"
    assert groups["a"].find("s:rect", ns).get("stroke-dasharray") is None  # type: ignore[union-attr]
    paths = {p.get("class"): p for p in root.iterfind("s:path", ns) if p.get("class")}
    assert paths["transition automatic"].get("stroke-dasharray") is None
    assert paths["transition automatic"].get("marker-end") == "url(#pfeil-auto)"
    assert paths["transition conditional"].get("stroke-dasharray") == "5 4"
    assert paths["transition transition"].get("stroke-dasharray") == "5 4"
    texts = [t.text for t in root.iterfind("s:text", ns)]
    assert "Nachbessern (bedingt)" in texts
    assert "Direkt zum Beschluss (automatisch)" in texts
    english = workflow_svg(wf, lang="en")
    assert "Nachbessern (conditional)" in english


def test_bundled_optional_phase_is_marked() -> None:
    wf = load_workflow("sozialraumprojekte-jahresbilanz")
    optional = [p for p in wf.phases if p.optional]
    assert optional
    number = wf.phases.index(optional[0]) + 1
    assert f'{optional[0].id}["{number}. ' in to_mermaid(wf)
    assert "(optional)" in to_mermaid(wf)
    assert 'class="phase optional"' in workflow_svg(wf)
