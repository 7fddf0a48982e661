"""A document's pictures (:class:`.blocks.Picture`) as the office formats embed them.

DOCX and ODT get each picture as a PNG drawn from its SVG by CairoSVG (on the
system's Cairo library), at :data:`DPI` dots per inch of its size on the page:
its natural size (CSS pixels, 96 per inch), shrunk to the text width if wider,
aspect ratio kept. CairoSVG is imported only when a document has a picture. It
reads no file and no URL an SVG names (only ``data:`` URIs), and no XML entities.

An SVG it cannot draw gives ``None``: the writers put the picture's text
alternative in its place (the document is still written).

Drawn pictures are kept in a small bounded cache keyed by the SVG and the pixel
size (at most :data:`MAX_PICTURES`, the least recently used dropped), so writing
a document again, or another document with the same picture, draws it once;
:func:`clear_picture_cache` (also run by
:func:`sozialraumprozess.runtime.clear_caches`) empties it.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict

from sozialraumprozess.documents.blocks import Picture, _length
from sozialraumprozess.runtime._cache import on_clear

__all__ = ["DPI", "MAX_PICTURES", "TEXT_WIDTH_CM", "clear_picture_cache", "fit", "length_cm", "png"]

#: Resolution of the PNG on the page.
DPI = 180
#: The text width when a layout names none (A4 with 2.5 cm margins).
TEXT_WIDTH_CM = 16.0
_CM_PER_PX = 2.54 / 96
_ROOT_STYLE = re.compile(
    r"""(<svg\b[^>]*?\sstyle\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL
)
_PAGE_SIZE = re.compile(r"^\s*(?:max-|min-)?(?:width|height)\s*:", re.IGNORECASE)
#: How many drawn pictures the cache keeps (a chart's PNG is 10-90 kB).
MAX_PICTURES = 64

_LOCK = threading.Lock()
_CACHE: OrderedDict[tuple[str, int, int], bytes | None] = OrderedDict()


def clear_picture_cache() -> None:
    """Forget every drawn picture."""
    with _LOCK:
        _CACHE.clear()


on_clear(clear_picture_cache)


def _drawable(svg: str) -> str:
    """``svg`` without the sizes its root's ``style`` gives for the HTML page
    (``max-width:100%;height:auto``), which CairoSVG would take as its size."""

    def keep(match: re.Match[str]) -> str:
        rules = [r for r in match.group(3).split(";") if r.strip() and not _PAGE_SIZE.match(r)]
        return f"{match.group(1)}{match.group(2)}{';'.join(rules)}{match.group(2)}"

    return _ROOT_STYLE.sub(keep, svg, count=1)


def length_cm(value: str | None) -> float | None:
    """A length with its unit (``2.5cm``, ``1in``, ``72pt``) in cm; ``None`` if it is none.

    >>> length_cm("1in"), length_cm("20mm"), length_cm("auto")
    (2.54, 2.0, None)
    """
    found = _length(value)
    return None if found is None else round(found * _CM_PER_PX, 6)


def fit(picture: Picture, text_width_cm: float) -> tuple[float, float]:
    """The picture's size on the page in cm: natural, or shrunk to ``text_width_cm``.

    >>> fit(Picture("<svg/>", "", 960.0, 480.0), 16.0)
    (16.0, 8.0)
    >>> fit(Picture("<svg/>", "", 96.0, 48.0), 16.0)
    (2.54, 1.27)
    """
    width, height = picture.width * _CM_PER_PX, picture.height * _CM_PER_PX
    if width > text_width_cm > 0:
        width, height = text_width_cm, height * text_width_cm / width
    return round(width, 3), round(height, 3)


def png(picture: Picture, size_cm: tuple[float, float]) -> bytes | None:
    """The picture drawn as PNG for ``size_cm`` on the page at :data:`DPI`; ``None``
    if its SVG cannot be drawn (not well-formed XML, nothing to draw)."""
    width = max(1, round(size_cm[0] / 2.54 * DPI))
    height = max(1, round(size_cm[1] / 2.54 * DPI))
    key = (hashlib.sha256(picture.svg.encode("utf-8")).hexdigest(), width, height)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    data = _draw(picture.svg, width, height)
    with _LOCK:
        _CACHE[key] = data
        while len(_CACHE) > MAX_PICTURES:
            _CACHE.popitem(last=False)
    return data


def _draw(svg: str, width: int, height: int) -> bytes | None:
    import cairosvg

    try:
        data = cairosvg.svg2png(
            bytestring=_drawable(svg).encode("utf-8"),
            output_width=width,
            output_height=height,
            background_color="white",
        )
    except Exception:
        return None
    return data if isinstance(data, bytes) and data else None
