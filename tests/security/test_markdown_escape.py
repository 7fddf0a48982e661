"""User text cannot break out of Markdown documents (issue 13 §6).

Every Markdown document of every bundled scenario is rendered twice: with the
scenario's own names and with hostile text in the Sozialraum's name, every
participant's name and the free texts. Both are parsed with a CommonMark parser
(markdown-it-py); the hostile run must have no link, image or HTML token the
plain run lacks, the same tables with the same number of rows and cells, and
the hostile text must appear as literal text.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from tests.security.hostile import run_hostile

from sozialraumprozess import DocumentRenderer
from sozialraumprozess.documents.view import markdown_escape
from sozialraumprozess.scenario import bundled_scenarios

HOSTILE = (
    "Anna\nBerger | x |\n| --- | --- |\n# Kopf\n- Punkt\n1. Punkt\n"
    "[klick](javascript:alert(1)) ![bild](javascript:alert(2)) <https://evil.example> "
    "<img src=x onerror=alert(3)> <script>alert(4)</script> &lt;b&gt; `code` \\ "
    "\r\n```\n~~~\n> zitat\n---\n===\n    eingerückt"
)
_PLAIN = "Plain Name"
_WATCHED = ("link_open", "image", "html_inline", "html_block", "fence", "code_block")


def _render(run_text: str, name: str, folder: Path) -> dict[str, str]:
    run = run_hostile(name, run_text, folder)
    renderer = DocumentRenderer(run.process.workflow)
    out = folder / "docs"
    renderer.write_all(run.process, out, formats=("md",), lang="de")
    return {str(p.relative_to(out)): p.read_text("utf-8") for p in sorted(out.rglob("*.md"))}


def _shape(text: str) -> tuple[Counter[str], list[tuple[int, int]]]:
    """Counts of the watched token types, and (rows, cells) of every table."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    kinds: Counter[str] = Counter()
    tables: list[tuple[int, int]] = []
    for token in tokens:
        if token.type in _WATCHED:
            kinds[token.type] += 1
        for child in token.children or ():
            if child.type in _WATCHED:
                kinds[child.type] += 1
        if token.type == "table_open":
            tables.append((0, 0))
        elif token.type == "tr_open":
            rows, cells = tables[-1]
            tables[-1] = (rows + 1, cells)
        elif token.type in ("td_open", "th_open"):
            rows, cells = tables[-1]
            tables[-1] = (rows, cells + 1)
    return kinds, tables


@pytest.mark.parametrize("name", bundled_scenarios())
def test_hostile_names_stay_text_in_every_markdown_document(name: str, tmp_path: Path) -> None:
    """No link, image, HTML or extra table row comes from hostile names and texts."""
    plain = _render(_PLAIN, name, tmp_path / "plain")
    hostile = _render(HOSTILE, name, tmp_path / "hostile")
    assert plain.keys() == hostile.keys()
    assert len(plain) >= 3
    for document, text in hostile.items():
        kinds, tables = _shape(text)
        plain_kinds, plain_tables = _shape(plain[document])
        assert kinds == plain_kinds, document
        assert tables == plain_tables, document
    report = next(text for doc, text in hostile.items() if "prozessbericht" in doc)
    rendered = MarkdownIt("commonmark").enable("table").render(report)
    assert "javascript:" in rendered  # shown as text ...
    assert 'href="javascript' not in rendered  # ... never as a link
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anna\nBerger", "Anna Berger"),
        ("a\r\nb\u2028c", "a b c"),
        ("[x](javascript:y)", "\\[x\\](javascript:y)"),
        ("![x](y)", "\\!\\[x\\](y)"),
        ("<b>", "\\<b\\>"),
        ("a|b", "a\\|b"),
        ("# h", "\\# h"),
        ("- a", "\\- a"),
        ("1. a", "1\\. a"),
        ("2025-01-13", "2025-01-13"),
        ("in_arbeit", "in_arbeit"),
        ("&amp;", "\\&amp;"),
    ],
)
def test_markdown_escape(text: str, expected: str) -> None:
    """Each construct that could start a link, image, HTML, block or cell is escaped."""
    assert markdown_escape(text) == expected
