"""DOCX (Word) from a document's blocks, through a Word template with Jinja tags (docxtpl).

The Word template is an ordinary ``.docx`` (letterhead, page header and footer,
styles) with Jinja tags in its text. It gets these variables:

``body``
    The document itself, as a sub-document; place it on a paragraph of its own
    as ``{{p body }}``.
``title``, ``sozialraum``, ``workflow``, ``generated``, ``classification``, ``lang``
    The document's title, the Sozialraum's name, the workflow (title and version),
    the generation date, *intern*/*öffentlich* (*internal*/*public*), the language.
``footer``
    The provenance line (template hash, process state); the body ends with it too.

The tags run in the same sandbox, with the same step budget, as every other
template (:mod:`.sandbox`). Headings use the template's ``Heading 1`` … ``Heading 6``
styles, lists ``List Bullet``/``List Number`` (and ``… 2``/``… 3`` when nested),
tables ``Table Grid``, the provenance note ``Footer Note``; where a template lacks
a style, the text keeps its structure with direct formatting. Pictures (diagrams,
charts) are PNGs (:mod:`.pictures`) in a paragraph of their own, no wider than the
template's text width (page width less the margins of its first section), with
their text alternative as the picture's description.

Which ``.docx`` is used: see :func:`layout_candidates` (an office puts its own
``dokument.docx`` in its template folder).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
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
from sozialraumprozess.documents.pictures import TEXT_WIDTH_CM, fit, png

__all__ = ["LAYOUT_DEFAULT", "docx_bytes", "layout_candidates"]

#: The default Word template's name (bundled; an office's own one in its template
#: folder or ``templates/`` beside the workflow file wins).
LAYOUT_DEFAULT = "dokument"


def layout_candidates(template: str, suffix: str) -> list[str]:
    """Names of the layout files tried for a document rendered with ``template``, in order:
    ``einladung.html.j2`` → ``einladung.docx``, then ``dokument.docx`` (the report page's
    ``_bericht.html.j2`` → ``bericht.docx``)."""
    stem = template.split("/")[-1].split(".", 1)[0].lstrip("_")
    names = [f"{stem}.{suffix}"] if stem and stem != LAYOUT_DEFAULT else []
    return [*names, f"{LAYOUT_DEFAULT}.{suffix}"]


def _has_style(document: Any, name: str) -> bool:
    try:
        document.styles[name]
    except KeyError:
        return False
    return True


def _text_width_cm(document: Any) -> float:
    """The text width of ``document``'s first section in cm (:data:`TEXT_WIDTH_CM` if it
    names no page width)."""
    section = document.sections[0]
    width, left, right = section.page_width, section.left_margin, section.right_margin
    if width is None:
        return TEXT_WIDTH_CM
    found = (width - (left or 0) - (right or 0)) / 360000  # EMU per cm
    return float(found) if found > 0 else TEXT_WIDTH_CM


class _Writer:
    def __init__(self, master: Any, sub: Any) -> None:
        self.sub = sub
        self.master = master
        self.styles = {
            name
            for name in (
                *(f"Heading {n}" for n in range(1, 7)),
                "List Bullet",
                "List Bullet 2",
                "List Bullet 3",
                "List Number",
                "List Number 2",
                "List Number 3",
                "Table Grid",
                "Footer Note",
                "Title",
            )
            if _has_style(master, name) and _has_style(sub, name)
        }

    @cached_property
    def text_width(self) -> float:
        """The layout's text width in cm (read at the first picture)."""
        return _text_width_cm(self.master)

    def runs(self, paragraph: Any, runs: Sequence[Run], size: float | None = None) -> None:
        from docx.shared import Pt

        for run in runs:
            if run.text == "\n":
                paragraph.add_run().add_break()
                continue
            parts = run.text.split("\n")
            for n, part in enumerate(parts):
                if n:
                    paragraph.add_run().add_break()
                if not part:
                    continue
                out = paragraph.add_run(part)
                out.bold = run.bold or None
                out.italic = run.italic or None
                if size is not None:
                    out.font.size = Pt(size)

    def paragraph(self, style: str | None, runs: Sequence[Run], size: float | None = None) -> Any:
        out = self.sub.add_paragraph(style=style if style in self.styles else None)
        self.runs(out, runs, size)
        return out

    def block(self, block: Block, depth: int = 0) -> None:
        if isinstance(block, Heading):
            style = f"Heading {block.level}"
            if style in self.styles:
                self.paragraph(style, block.runs)
            else:
                bold = tuple(Run(r.text, True, r.italic, r.href) for r in block.runs)
                self.paragraph(None, bold, 16.0 if block.level == 1 else 13.0)
        elif isinstance(block, Paragraph):
            self.paragraph(None, block.runs)
        elif isinstance(block, Note):
            self.paragraph("Footer Note", block.runs, None if "Footer Note" in self.styles else 7.0)
        elif isinstance(block, ListBlock):
            self.list(block, depth)
        elif isinstance(block, Table):
            self.table(block)
            self.sub.add_paragraph()
        elif isinstance(block, Picture):
            self.picture(block)

    def picture(self, block: Picture) -> None:
        """The picture as PNG in a paragraph of its own (its text alternative, in
        italics, if it cannot be drawn)."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        size = fit(block, self.text_width)
        data = png(block, size)
        if data is None:
            if block.alt:
                self.paragraph(None, (Run(block.alt, italic=True),))
            return
        paragraph = self.sub.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        shape = paragraph.add_run().add_picture(
            io.BytesIO(data), width=Cm(size[0]), height=Cm(size[1])
        )
        if block.alt:
            shape._inline.docPr.set("descr", block.alt)

    def list(self, block: ListBlock, depth: int) -> None:
        from docx.shared import Cm

        base = "List Number" if block.ordered else "List Bullet"
        style = base if depth == 0 else f"{base} {min(depth + 1, 3)}"
        for n, item in enumerate(block.items, 1):
            first = True
            for part in item:
                if isinstance(part, Paragraph) and first:
                    if style in self.styles:
                        self.paragraph(style, part.runs)
                    else:  # no list style: the marker as text, indented
                        marker = f"{n}. " if block.ordered else "• "
                        out = self.paragraph(None, (Run(marker), *part.runs))
                        out.paragraph_format.left_indent = Cm(0.75 * (depth + 1))
                    first = False
                elif isinstance(part, ListBlock):
                    self.list(part, depth + 1)
                else:
                    self.block(part, depth + 1)

    def table(self, block: Table) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        width = len(block.rows[0])
        table = self.sub.add_table(rows=len(block.rows), cols=width)
        if "Table Grid" in self.styles:
            table.style = "Table Grid"
        for r, row in enumerate(block.rows):
            cells = table.rows[r].cells
            if r < block.head:  # repeat the header row on every page
                props = table.rows[r]._tr.get_or_add_trPr()
                header = OxmlElement("w:tblHeader")
                header.set(qn("w:val"), "true")
                props.append(header)
            for c, cell in enumerate(row):
                paragraph = cells[c].paragraphs[0]
                self.runs(paragraph, cell.runs)
                if cell.numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def docx_bytes(
    layout: Path,
    blocks: Sequence[Block],
    variables: Mapping[str, Any],
    jinja_env: Any,
) -> bytes:
    """The DOCX file: ``layout`` (a Word template) rendered with ``variables`` and
    ``body`` (the blocks), its tags compiled in ``jinja_env`` (the sandbox).

    The caller runs this under the sandbox's render budget and maps template errors.
    """
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(layout))
    sub = template.new_subdoc()
    writer = _Writer(template.get_docx(), sub.subdocx)
    for block in blocks:
        writer.block(block)
    template.render({**variables, "body": sub}, jinja_env=jinja_env)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
