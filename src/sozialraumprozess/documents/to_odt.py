"""ODT (OpenDocument text, for LibreOffice) from a document's blocks, with odfdo.

No LibreOffice is needed to write it. Headings use the ``Heading 1`` … styles,
lists the ``List 1``/``Numbering 123`` list styles, tables get thin cell borders
and bold header cells, and the provenance line is small print at the end.
Pictures (diagrams, charts) are PNGs (:mod:`.pictures`) in frames of their own
centred paragraph, no wider than the text width of the base's first page layout,
with their text alternative as the frame's title.

A layout: a ``dokument.odt`` (or ``<template stem>.odt``, see
:func:`.to_docx.layout_candidates`) in a template folder is used as the base —
its styles, page header and footer (letterhead) and any text it already holds,
followed by the document. Without one, an empty text document is the base.
"""

from __future__ import annotations

import hashlib
import io
import itertools
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from sozialraumprozess.documents.blocks import (
    Block,
    Heading,
    ListBlock,
    Note,
    Paragraph,
    Picture,
    Run,
    Table,
)
from sozialraumprozess.documents.pictures import TEXT_WIDTH_CM, fit, length_cm, png

__all__ = ["odt_bytes"]

_BOLD, _ITALIC, _BOLD_ITALIC = "SrpStrong", "SrpEmphasis", "SrpStrongEmphasis"
_CELL, _NOTE, _RIGHT, _CENTER = "SrpCell", "SrpNote", "SrpRight", "SrpCenter"


def _styles(document: Any) -> None:
    from odfdo import Style

    styles = [
        Style("text", name=_BOLD, bold=True),
        Style("text", name=_ITALIC, italic=True),
        Style("text", name=_BOLD_ITALIC, bold=True, italic=True),
        Style("table-cell", name=_CELL, border="0.5pt solid #b8c4d0", padding="0.05cm"),
        Style("paragraph", name=_RIGHT, align="end"),
        Style("paragraph", name=_CENTER, align="center"),
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


def _text_width_cm(document: Any) -> float:
    """The text width of the document's first page layout in cm (page width less
    the margins; :data:`TEXT_WIDTH_CM` if it names no page width)."""
    styles: Any = document.get_part("styles")
    for layout in styles.get_elements("//style:page-layout-properties")[:1]:
        width = length_cm(layout.get_attribute("fo:page-width"))
        if width is None:
            break
        margins = (layout.get_attribute(f"fo:margin-{side}") for side in ("left", "right"))
        found = width - sum(length_cm(m) or 0.0 for m in margins)
        if found > 0:
            return found
    return TEXT_WIDTH_CM


class _Pictures:
    """Adds pictures to ``document`` (the PNG files) fitted to its text width."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.count: int | None = None  # frames so far, counted at the first picture

    @cached_property
    def text_width(self) -> float:
        """The base's text width in cm (read at the first picture)."""
        return _text_width_cm(self.document)

    def paragraph(self, block: Picture) -> Any:
        """A centred paragraph with the picture in a frame (its text alternative, in
        italics, if it cannot be drawn)."""
        from odfdo import Frame, Paragraph as OdfParagraph

        size = fit(block, self.text_width)
        data = png(block, size)
        if data is None:
            return _fill(OdfParagraph(), (Run(block.alt, italic=True),) if block.alt else ())
        if self.count is None:  # the names go on from the base's frames
            self.count = len(self.document.body.get_frames())
        self.count += 1
        uri = f"Pictures/{hashlib.sha256(data).hexdigest()[:32]}.png"
        manifest = self.document.manifest
        if manifest.get_media_type("Pictures/") is None:
            manifest.add_full_path("Pictures/")
        self.document.container.set_part(uri, data)
        manifest.add_full_path(uri, "image/png")
        frame = Frame.image_frame(
            uri,
            name=f"Bild{self.count}",
            size=(f"{size[0]}cm", f"{size[1]}cm"),
            anchor_type="as-char",
        )
        if block.alt:
            frame.svg_title = block.alt
        paragraph = OdfParagraph(style=_CENTER)
        paragraph.append(frame)
        return paragraph


def _block(block: Block, names: Iterator[int], pictures: _Pictures) -> list[Any]:
    from odfdo import Header, Paragraph as OdfParagraph

    if isinstance(block, Picture):
        return [pictures.paragraph(block)]
    if isinstance(block, Heading):
        return [_fill(Header(block.level, style=f"Heading_20_{block.level}"), block.runs)]
    if isinstance(block, Paragraph):
        return [_fill(OdfParagraph(), block.runs)]
    if isinstance(block, Note):
        return [_fill(OdfParagraph(style=_NOTE), block.runs)]
    if isinstance(block, ListBlock):
        return [_list(block, names, pictures)]
    return _table(block, next(names))


def _list(block: ListBlock, names: Iterator[int], pictures: _Pictures) -> Any:
    from odfdo import List, ListItem

    out = List(style="Numbering_20_123" if block.ordered else "List_20_1")
    for item in block.items:
        entry = ListItem()
        for part in item:
            for element in _block(part, names, pictures):
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
    pictures = _Pictures(document)
    for block in blocks:
        for element in _block(block, names, pictures):
            body.append(element)
    document.meta.set_title(title)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
