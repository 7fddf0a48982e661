"""ODT (OpenDocument text, for LibreOffice) from a document's blocks, with odfdo.

No LibreOffice is needed to write it. Headings use the ``Heading 1`` … styles,
lists the ``List 1``/``Numbering 123`` list styles, tables get thin cell borders
and bold header cells, and the provenance line is small print at the end.

A layout: a ``dokument.odt`` (or ``<template stem>.odt``, see
:func:`.to_docx.layout_candidates`) in a template folder is used as the base —
its styles, page header and footer (letterhead) and any text it already holds,
followed by the document. Without one, an empty text document is the base.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sozialraumprozess.documents.blocks import (
    Block,
    Heading,
    ListBlock,
    Note,
    Paragraph,
    Run,
    Table,
)

__all__ = ["odt_bytes"]

_BOLD, _ITALIC, _BOLD_ITALIC = "SrpStrong", "SrpEmphasis", "SrpStrongEmphasis"
_CELL, _NOTE, _RIGHT = "SrpCell", "SrpNote", "SrpRight"


def _styles(document: Any) -> None:
    from odfdo import Style

    styles = [
        Style("text", name=_BOLD, bold=True),
        Style("text", name=_ITALIC, italic=True),
        Style("text", name=_BOLD_ITALIC, bold=True, italic=True),
        Style("table-cell", name=_CELL, border="0.5pt solid #b8c4d0", padding="0.05cm"),
        Style("paragraph", name=_RIGHT, align="end"),
    ]
    note = Style("paragraph", name=_NOTE)
    note.set_properties(area="text", size="7pt", color="#555555")
    for style in [*styles, note]:
        document.insert_style(style, automatic=True)


def _fill(paragraph: Any, runs: Sequence[Run]) -> Any:
    from odfdo import LineBreak, Span

    for run in runs:
        parts = run.text.split("\n")
        for n, part in enumerate(parts):
            if n:
                paragraph.append(LineBreak())
            if not part:
                continue
            style = (
                _BOLD_ITALIC
                if run.bold and run.italic
                else _BOLD
                if run.bold
                else _ITALIC
                if run.italic
                else None
            )
            if style is None:
                paragraph.append_plain_text(part)
            else:
                paragraph.append(Span(part, style=style))
    return paragraph


def _block(block: Block, names: Iterator[int]) -> list[Any]:
    from odfdo import Header, Paragraph as OdfParagraph

    if isinstance(block, Heading):
        return [_fill(Header(block.level, style=f"Heading_20_{block.level}"), block.runs)]
    if isinstance(block, Paragraph):
        return [_fill(OdfParagraph(), block.runs)]
    if isinstance(block, Note):
        return [_fill(OdfParagraph(style=_NOTE), block.runs)]
    if isinstance(block, ListBlock):
        return [_list(block, names)]
    return _table(block, next(names))


def _list(block: ListBlock, names: Iterator[int]) -> Any:
    from odfdo import List, ListItem

    out = List(style="Numbering_20_123" if block.ordered else "List_20_1")
    for item in block.items:
        entry = ListItem()
        for part in item:
            for element in _block(part, names):
                entry.append(element)
        out.append(entry)
    return out


def _table(block: Table, number: int) -> list[Any]:
    from odfdo import Cell, Column, Paragraph as OdfParagraph, Row, Table as OdfTable

    table = OdfTable(f"Tabelle{number}")
    width = len(block.rows[0])
    table.append(Column(repeated=width))
    for row in block.rows:
        out = Row()
        for cell in row:
            element = Cell(style=_CELL)
            paragraph = OdfParagraph(style=_RIGHT if cell.numeric else None)
            runs = tuple(Run(r.text, r.bold or cell.header, r.italic) for r in cell.runs)
            element.append(_fill(paragraph, runs))
            out.append(element)
        table.append(out)
    return [table, OdfParagraph()]


def odt_bytes(layout: Path | None, blocks: Sequence[Block], title: str) -> bytes:
    """The ODT file: ``blocks`` appended to ``layout`` (or a new text document)."""
    from odfdo import Document

    document = Document(str(layout)) if layout is not None else Document("text")
    if layout is None:
        document.body.clear()
        styles: Any = document.get_part("styles")
        for level in styles.get_elements("//text:outline-level-style"):
            for key in ("style:num-format", "style:num-suffix", "loext:num-list-format"):
                level.set_attribute(key, "" if key == "style:num-format" else None)
    _styles(document)
    names = itertools.count(len(document.body.get_tables()) + 1)
    body = document.body
    for block in blocks:
        for element in _block(block, names):
            body.append(element)
    document.meta.set_title(title)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
