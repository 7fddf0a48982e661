"""Fixtures: the sample six-phase run, a renderer with a fixed clock, output checks."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from sozialraumprozess import load_workflow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.documents import DocumentRenderer
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario.sample import run_sample

GENERATED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="session")
def workflow() -> Workflow:
    """The bundled six-phase workflow."""
    return load_workflow("generationengerechte-sozialraumentwicklung")


@pytest.fixture(scope="session")
def sample(workflow: Workflow) -> Process:
    """The sample run: the whole first cycle, ending in cycle 2 (analysis)."""
    return run_sample(workflow)


@pytest.fixture
def renderer(workflow: Workflow) -> DocumentRenderer:
    """A renderer of bundled templates whose clock stands still."""
    return DocumentRenderer(workflow, clock=FixedClock(GENERATED))


VOID = {"meta", "br", "hr", "img", "link", "input"}


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Every table of a Markdown text (GFM tables on CommonMark) as rows of cell texts."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    tables: list[list[list[str]]] = []
    row: list[str] | None = None
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            tables[-1].append(row)
            row = None
        elif token.type == "inline" and row is not None:
            row.append(token.content)
    return tables


def markdown_html(text: str) -> str:
    """Markdown rendered to HTML by markdown-it (CommonMark + tables)."""
    return MarkdownIt("commonmark").enable("table").render(text)


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}>, open: {self.stack[-3:]}")
        else:
            self.stack.pop()


def check_html(text: str) -> ET.Element:
    """Parse HTML strictly: balanced tags, no script elements, valid XML. Returns the root."""
    parser = _Balance()
    parser.feed(text)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    assert parser.scripts == 0
    body = text.split("\n", 1)[1] if text.startswith("<!DOCTYPE") else text
    return ET.fromstring(body)  # noqa: S314 - our own output, parsed to prove it is well-formed


@pytest.fixture
def tables() -> Callable[[str], list[list[list[str]]]]:
    """:func:`markdown_tables`."""
    return markdown_tables


@pytest.fixture
def html_ok() -> Callable[[str], ET.Element]:
    """:func:`check_html`."""
    return check_html
