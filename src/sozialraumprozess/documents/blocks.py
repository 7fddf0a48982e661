"""A rendered HTML document as a few plain blocks, for the office formats.

DOCX and ODT are written from the same HTML every document is rendered to (so a
workflow's own HTML templates shape them too). :func:`html_blocks` reads that
HTML into headings, paragraphs, lists (nested), tables and the provenance note,
each with its inline runs (bold, italic, links), and the pictures (inline
``<svg>`` elements and ``<img>`` with an SVG ``data:`` URI: diagrams, charts, the
Sozialraum outline) as :class:`Picture` blocks in document order; the writers
(:mod:`.to_docx`, :mod:`.to_odt`) turn the blocks into their format. A picture's
text is no content (Markdown leaves pictures out); a picture inside a table cell
is left out too.

::

    >>> blocks = html_blocks("<h1>Ziele</h1><ul><li><b>Treff</b> Süd</li></ul>")
    >>> [type(b).__name__ for b in blocks]
    ['Heading', 'ListBlock']
    >>> [(run.text, run.bold) for run in blocks[1].items[0][0].runs]
    [('Treff', True), (' Süd', False)]

A picture keeps its SVG text (as written, not re-serialised), its text alternative
(``aria-label``, else its ``<title>``) and its size in CSS pixels::

    >>> svg = '<svg viewBox="0 0 200 100" aria-label="Verlauf"><rect width="9"/></svg>'
    >>> heading, picture = html_blocks("<h2>Kennzahlen</h2><figure>" + svg + "</figure>")
    >>> picture.alt, picture.width, picture.height, picture.svg == svg
    ('Verlauf', 200.0, 100.0, True)
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterator
from typing import Any, TypeAlias
from urllib.parse import unquote_to_bytes

from attrs import frozen

__all__ = [
    "Block",
    "Cell",
    "Heading",
    "ListBlock",
    "Note",
    "Paragraph",
    "Picture",
    "Run",
    "Table",
    "html_blocks",
    "markdown_text",
    "plain",
]


@frozen
class Run:
    """Text with the same look."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@frozen
class Heading:
    """A heading, level 1 (title) to 6."""

    level: int
    runs: tuple[Run, ...]


@frozen
class Paragraph:
    """A paragraph of text."""

    runs: tuple[Run, ...]


@frozen
class Note:
    """A small print paragraph: the provenance footer."""

    runs: tuple[Run, ...]


@frozen
class ListBlock:
    """A bulleted or numbered list; each item is blocks (paragraphs, nested lists)."""

    ordered: bool
    items: tuple[tuple[Block, ...], ...]


@frozen
class Cell:
    """A table cell: a header cell, numeric (right aligned) or not."""

    runs: tuple[Run, ...]
    header: bool = False
    numeric: bool = False


@frozen
class Table:
    """A table: rows of cells; ``head`` rows repeat on every page."""

    rows: tuple[tuple[Cell, ...], ...]
    head: int = 0


@frozen
class Picture:
    """A picture: SVG text, its text alternative (``""`` if it has none) and its
    natural size in CSS pixels (96 per inch), which the writers fit to the text width."""

    svg: str
    alt: str
    width: float
    height: float


Block: TypeAlias = Heading | Paragraph | Note | ListBlock | Table | Picture

_SKIP = frozenset({"head", "script", "style", "svg", "template", "title", "img", "figure-img"})
_INLINE = frozenset(
    {"a", "abbr", "b", "br", "code", "em", "i", "kbd", "mark", "q", "s", "small", "span"}
    | {"strong", "sub", "sup", "time", "u", "var", "data", "cite", "dfn", "del", "ins"}
)
_SPACE = re.compile(r"\s+")
_BLOCKS = frozenset({"p", "ul", "ol", "table", "div", "dl", "blockquote", "pre"})

# Pictures. The HTML parser would lower-case SVG's names (viewBox), so every
# outermost <svg>…</svg> is cut from the text before parsing and stands there as
# an <img data-srp-picture="n"> placeholder (n: its index in the cut-out texts).
_MARK = "data-srp-picture"
_SVG_TAG = re.compile(r"<(/?)svg(?=[\s/>])[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""")
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]*>")
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([a-zA-Z]*)\s*")
_PX = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54}
_PX |= {"mm": 96 / 25.4, "q": 96 / 101.6}
#: Size of a picture that names none (HTML's default for a replaced element).
_DEFAULT_SIZE = (300.0, 150.0)


def _cut_svgs(text: str) -> tuple[str, list[str]]:
    """``text`` with each outermost ``<svg>`` element replaced by a placeholder, and
    the elements' texts in document order (an unclosed one stays, and is left out)."""
    found: list[str] = []
    out: list[str] = []
    depth = start = last = 0
    for match in _SVG_TAG.finditer(text):
        closing = match.group(1) == "/"
        empty = not closing and match.group(0).endswith("/>")
        if closing and depth == 0:
            continue  # a stray end tag
        if not closing and depth == 0:
            start = match.start()
        depth += 0 if empty else -1 if closing else 1
        if depth == 0:
            out += [text[last:start], f'<img {_MARK}="{len(found)}">']
            found.append(text[start : match.end()])
            last = match.end()
    out.append(text[last:])
    return "".join(out), found


def _attributes(tag: str) -> dict[str, str]:
    """The attributes of a start tag's text, names lower-cased, values unescaped."""
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTR.finditer(tag)
    }


def _length(value: str | None) -> float | None:
    """A CSS length in pixels (``None`` if missing, relative or not positive)."""
    match = _LENGTH.fullmatch(value or "")
    if match is None or match.group(2).lower() not in _PX:
        return None
    found = float(match.group(1)) * _PX[match.group(2).lower()]
    return found if found > 0 else None


def _size(attributes: dict[str, str]) -> tuple[float, float]:
    """The natural size of an ``<svg>``/``<img>``: ``width``/``height``, the missing
    one (or both) from the ``viewBox``."""
    try:
        box = [float(x) for x in re.split(r"[\s,]+", attributes.get("viewbox", "").strip()) if x]
    except ValueError:
        box = []
    ratio = box[3] / box[2] if len(box) == 4 and box[2] > 0 and box[3] > 0 else None
    width, height = _length(attributes.get("width")), _length(attributes.get("height"))
    if width is None and height is None:
        return (box[2], box[3]) if ratio is not None else _DEFAULT_SIZE
    if width is None:
        assert height is not None  # noqa: S101 - one of them is given
        return (height / ratio if ratio else height * 2, height)
    if height is None:
        return (width, width * ratio if ratio else width / 2)
    return (width, height)


def _picture(svg: str, alt: str | None = None, size: dict[str, str] | None = None) -> Picture:
    """The picture of SVG text ``svg``; an ``<img>``'s ``alt`` and ``width``/``height``
    (``size``) win over the SVG's own."""
    opening = _SVG_TAG.search(svg)
    attributes = _attributes(opening.group(0)[4:]) if opening is not None else {}
    if alt is None:
        alt = attributes.get("aria-label")
    if alt is None:
        title = _TITLE.search(svg)
        alt = html.unescape(_TAGS.sub("", title.group(1))) if title is not None else ""
    width, height = _size({**attributes, **{k: v for k, v in (size or {}).items() if v}})
    return Picture(svg, _SPACE.sub(" ", alt).strip(), width, height)


def _data_svg(src: str) -> str | None:
    """The SVG text of a ``data:image/svg+xml`` URI (``None`` for anything else)."""
    header, comma, data = src.strip().partition(",")
    if not comma or not header.lower().startswith("data:image/svg+xml"):
        return None
    try:
        raw = base64.b64decode(data) if header.lower().endswith(";base64") else None
        return (raw if raw is not None else unquote_to_bytes(data)).decode("utf-8")
    except ValueError:  # bad base64 or not UTF-8: no picture
        return None


def plain(runs: tuple[Run, ...]) -> str:
    """The text of ``runs`` without their look."""
    return "".join(r.text for r in runs)


def _clean(runs: list[Run]) -> tuple[Run, ...]:
    """Runs with collapsed white space, no empty ones, trimmed at both ends."""
    out: list[Run] = []
    for run in runs:
        text = run.text  # white space is collapsed as read; "\n" is a <br>
        if not text:
            continue
        if out and text.startswith(" ") and (out[-1].text.endswith((" ", "\n"))):
            text = text[1:]
        if text:
            out.append(Run(text, run.bold, run.italic, run.href))
    while out and not out[0].text.strip(" "):
        out.pop(0)
    while out and not out[-1].text.strip(" "):
        out.pop()
    if out:
        out[0] = Run(out[0].text.lstrip(" "), out[0].bold, out[0].italic, out[0].href)
        out[-1] = Run(out[-1].text.rstrip(" "), out[-1].bold, out[-1].italic, out[-1].href)
    return tuple(r for r in out if r.text)


def _tag(element: Any) -> str:
    tag = getattr(element, "tag", "")
    return tag.lower() if isinstance(tag, str) else ""


def _classes(element: Any) -> set[str]:
    get = getattr(element, "get", None)
    value = get("class", "") if get is not None else ""
    return set(str(value or "").split())


class _Reader:
    def __init__(self, svgs: list[str]) -> None:
        self.svgs = svgs  # the cut-out <svg> texts the placeholders stand for
        self.floating: list[Picture] = []  # pictures met inside a paragraph's text

    def picture(self, element: Any) -> Picture | None:
        """The picture an ``<img>`` is (a placeholder or an SVG ``data:`` URI), else ``None``."""
        mark = element.get(_MARK)
        if mark is not None:
            return (
                _picture(self.svgs[int(mark)])
                if mark.isdigit() and int(mark) < len(self.svgs)
                else None
            )
        svg = _data_svg(element.get("src") or "")
        if svg is None:
            return None
        size = {"width": element.get("width") or "", "height": element.get("height") or ""}
        return _picture(svg, element.get("alt"), size)

    def take(self) -> list[Picture]:
        """The pictures met in text since the last call (they follow their paragraph)."""
        found, self.floating = self.floating, []
        return found

    def inline(self, element: Any, bold: bool, italic: bool, href: str | None) -> list[Run]:
        """The runs of ``element``'s content (its tail is the caller's)."""
        runs: list[Run] = []
        text = getattr(element, "text", None)
        if text:
            runs.append(Run(_SPACE.sub(" ", text), bold, italic, href))
        for child in element:
            tag = _tag(child)
            if tag == "br":
                runs.append(Run("\n", bold, italic, href))
            elif tag == "img":
                picture = self.picture(child)
                if picture is not None:
                    self.floating.append(picture)
            elif tag and tag not in _SKIP:
                runs += self.inline(
                    child,
                    bold or tag in ("b", "strong", "th"),
                    italic or tag in ("i", "em", "cite", "dfn"),
                    child.get("href") if tag == "a" else href,
                )
            if child.tail:
                runs.append(Run(_SPACE.sub(" ", child.tail), bold, italic, href))
        return runs

    def flow(self, element: Any) -> list[Block]:
        """The blocks in ``element``: loose text and inline elements become paragraphs."""
        blocks: list[Block] = []
        pending: list[Run] = []

        def flush() -> None:
            runs = _clean(pending)
            if runs:
                blocks.append(Paragraph(runs))
            pending.clear()

        text = getattr(element, "text", None)
        if text:
            pending.append(Run(_SPACE.sub(" ", text)))
        for child in element:
            tag = _tag(child)
            if tag in _INLINE:
                if tag == "br":
                    pending.append(Run("\n"))
                else:
                    pending.extend(
                        self.inline(child, tag in ("b", "strong"), tag in ("i", "em"), None)
                    )
                    if self.floating:
                        flush()
                        blocks += self.take()
            elif tag == "img":
                picture = self.picture(child)
                if picture is not None:
                    flush()
                    blocks.append(picture)
            elif tag and tag not in _SKIP:
                flush()
                blocks += self.block(child)
            if child.tail:
                pending.append(Run(_SPACE.sub(" ", child.tail)))
        flush()
        return blocks

    def block(self, element: Any) -> list[Block]:
        tag = _tag(element)
        if re.fullmatch(r"h[1-6]", tag):
            runs = _clean(self.inline(element, False, False, None))
            return [*([Heading(int(tag[1]), runs)] if runs else []), *self.take()]
        if tag in ("p", "pre", "address", "figcaption", "caption", "summary", "dt", "legend"):
            runs = _clean(self.inline(element, tag == "dt", False, None))
            return [*([Paragraph(runs)] if runs else []), *self.take()]
        if tag == "footer" and "provenance" in _classes(element):
            runs = _clean(self.inline(element, False, False, None))
            return [*([Note(runs)] if runs else []), *self.take()]
        if tag in ("ul", "ol"):
            items = tuple(tuple(self.flow(li)) for li in element if _tag(li) == "li")
            items = tuple(item for item in items if item)
            return [ListBlock(tag == "ol", items)] if items else []
        if tag == "table":
            return self.table(element)
        if tag == "hr":
            return []
        return self.flow(element)  # div, section, main, article, dl, dd, blockquote, …

    def table(self, element: Any) -> list[Block]:
        rows: list[tuple[Cell, ...]] = []
        head = 0
        blocks: list[Block] = []
        for row, in_head in _rows(element):
            cells = []
            for cell in row:
                tag = _tag(cell)
                if tag not in ("td", "th"):
                    continue
                if any(_tag(c) in _BLOCKS for c in cell):  # lists or paragraphs: a line each
                    runs = _clean(_lines(self.flow(cell)))
                else:
                    runs = _clean(self.inline(cell, tag == "th", False, None))
                self.take()  # a picture in a cell is left out
                cells.append(Cell(runs, tag == "th", "num" in _classes(cell)))
            if cells:
                rows.append(tuple(cells))
                if in_head and head == len(rows) - 1:
                    head += 1
        caption = next((c for c in element if _tag(c) == "caption"), None)
        if caption is not None:
            blocks += self.block(caption)
        if rows:
            width = max(len(r) for r in rows)
            padded = tuple(r + (Cell(()),) * (width - len(r)) for r in rows)
            blocks.append(Table(padded, head))
        return blocks


def _lines(blocks: list[Block]) -> list[Run]:
    runs: list[Run] = []
    for block in blocks:
        if isinstance(block, Picture):  # left out of a table cell
            continue
        if runs:
            runs.append(Run("\n"))
        if isinstance(block, ListBlock):
            for n, item in enumerate(block.items, 1):
                if n > 1:
                    runs.append(Run("\n"))
                runs.append(Run(f"{n}. " if block.ordered else "• "))
                runs += _lines(list(item))
        elif isinstance(block, Table):
            rows = [" | ".join(plain(c.runs) for c in row) for row in block.rows]
            runs.append(Run("\n".join(rows)))  # a line each, none after the last
        else:
            runs += list(block.runs)
    return runs


def _rows(table: Any) -> Iterator[tuple[Any, bool]]:
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            yield child, all(_tag(c) == "th" for c in child if _tag(c))
        elif tag in ("thead", "tbody", "tfoot"):
            for row in child:
                if _tag(row) == "tr":
                    yield row, tag == "thead"


def html_blocks(text: str) -> tuple[Block, ...]:
    """The blocks of an HTML document (its ``<body>``; a fragment works too), pictures
    (inline ``<svg>``, ``<img>`` with an SVG ``data:`` URI) among them in document order."""
    from lxml import html as lxml_html

    if not text.strip():
        return ()
    svgs: list[str] = []
    if _SVG_TAG.search(text) is not None:
        text, svgs = _cut_svgs(text)
    root = lxml_html.document_fromstring(text)
    body = root.find("body")
    return tuple(_Reader(svgs).flow(body if body is not None else root))


def _md_runs(runs: tuple[Run, ...]) -> str:
    from sozialraumprozess.documents.view import markdown_escape

    out = []
    for run in runs:
        if run.text == "\n":
            out.append("  \n")
            continue
        text = str(markdown_escape(run.text)).replace("\n", "  \n")
        core = text.strip()
        if core and (run.bold or run.italic):
            mark = "**" if run.bold and not run.italic else "*" if not run.bold else "***"
            text = text.replace(core, f"{mark}{core}{mark}", 1)
        out.append(text)
    return "".join(out)


def _md_block(block: Block, indent: str = "") -> list[str]:
    if isinstance(block, Picture):  # a picture's text is no content
        return []
    if isinstance(block, Heading):
        return [f"{'#' * block.level} {_md_runs(block.runs)}", ""]
    if isinstance(block, Paragraph | Note):
        return [indent + _md_runs(block.runs), ""]
    if isinstance(block, ListBlock):
        lines: list[str] = []
        for n, item in enumerate(block.items, 1):
            marker = f"{n}. " if block.ordered else "- "
            first = True
            for part in item:
                if isinstance(part, Picture):
                    continue
                if isinstance(part, ListBlock):
                    lines += [x for x in _md_block(part, indent + " " * len(marker)) if x]
                elif first:
                    text = _md_runs(part.runs) if not isinstance(part, Table) else ""
                    lines.append(f"{indent}{marker}{text}")
                    first = False
                else:
                    lines += [x for x in _md_block(part, indent + " " * len(marker)) if x]
        return [*lines, ""]
    rows = [
        "| " + " | ".join(_md_runs(c.runs).replace("  \n", "<br>") or " " for c in row) + " |"
        for row in block.rows
    ]
    rule = "| " + " | ".join("---:" if c.numeric else "---" for c in block.rows[-1]) + " |"
    head = max(block.head, 1)
    if block.head == 0:  # Markdown tables need a header row: an empty one
        rows.insert(0, "| " + " | ".join(" " for _ in block.rows[0]) + " |")
    return [*rows[:head], rule, *rows[head:], ""]


def markdown_text(blocks: tuple[Block, ...]) -> str:
    """``blocks`` as Markdown (for pages that have only an HTML template)."""
    lines: list[str] = []
    for block in blocks:
        lines += _md_block(block)
    return "\n".join(lines).rstrip("\n") + "\n"
