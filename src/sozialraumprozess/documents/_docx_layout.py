"""Builds the bundled Word template ``templates/dokument.docx`` (reproducibly).

Run ``python3 -m sozialraumprozess.documents._docx_layout`` after changing it; the
tests check that the committed file is what this script builds. The template is
plain python-docx with Jinja tags for docxtpl (see :mod:`.to_docx` for the
variables): the Sozialraum and workflow in the page header, the document body,
the classification and the date in the page footer. An office copies it, puts its
letterhead around the tags in Word or LibreOffice, and saves it as
``dokument.docx`` in its template folder.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["build", "main"]

_FIXED = datetime(2026, 1, 1, tzinfo=UTC)
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


#: The namespace python-docx writes the core properties' ``cp:`` elements in.
_CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


def build() -> bytes:
    """The template's bytes (the same on every run, also after a DOCX was rendered:
    docxcompose, which docxtpl imports, maps python-docx's ``cp`` prefix to the custom
    properties' namespace for the whole process, so it is mapped back while building)."""
    from docx.oxml.ns import nsmap

    saved = nsmap.get("cp")
    nsmap["cp"] = _CORE
    try:
        return _build()
    finally:
        if saved is not None:
            nsmap["cp"] = saved


def _build() -> bytes:
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.0)
    normal = document.styles["Normal"]
    normal.font.name = "Liberation Sans"
    normal.font.size = Pt(10.5)
    for level in range(1, 4):
        heading = document.styles[f"Heading {level}"]
        heading.font.name = "Liberation Sans"
        heading.font.color.rgb = RGBColor(0x2B, 0x5D, 0x8A)
    note = document.styles.add_style("Footer Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(7)
    note.font.color.rgb = RGBColor(0x55, 0x55, 0x55)

    header = section.header.paragraphs[0]
    header.text = "{{ sozialraum }} · {{ workflow }}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.runs[0].font.size = Pt(8)
    document.add_paragraph("{{p body }}")
    footer = section.footer.paragraphs[0]
    footer.text = "{{ classification }} · {{ generated }}"
    footer.runs[0].font.size = Pt(8)

    props = document.core_properties
    props.title = "{{ title }}"
    props.subject = "{{ sozialraum }}"
    props.author = "sozialraumprozess"
    props.last_modified_by = "sozialraumprozess"
    props.comments = ""
    props.created = props.modified = props.last_printed = _FIXED
    props.revision = 1
    raw = io.BytesIO()
    document.save(raw)
    return _stable_zip(raw.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """``data`` rewritten with fixed member times, in name order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        names = source.namelist()
        first = ["[Content_Types].xml"] if "[Content_Types].xml" in names else []
        for name in first + sorted(n for n in names if n not in first):
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def target() -> Path:
    """Where the bundled template lies."""
    from sozialraumprozess.definition.loader import bundled_templates_dir

    return bundled_templates_dir() / "dokument.docx"


def main() -> None:
    """Write the template into the package's ``templates/`` folder."""
    path = target()
    path.write_bytes(build())
    print(path)


if __name__ == "__main__":
    main()
