"""DOCX, ODT and PDF/A documents: structure kept, layouts from the template folders,
clear errors, and the real clients (LibreOffice, poppler) opening what we write."""

from __future__ import annotations

import io
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from sozialraumprozess import DocumentRenderer
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.documents import OUTPUT_FORMATS, PdfAttachment
from sozialraumprozess.documents._docx_layout import build, target
from sozialraumprozess.documents.blocks import (
    Heading,
    ListBlock,
    Note,
    Paragraph,
    Picture,
    Table,
    html_blocks,
    markdown_text,
)
from sozialraumprozess.documents.plan import plan_documents
from sozialraumprozess.errors import DocumentError, TemplateRenderError
from sozialraumprozess.runtime.process import Process

from .clients import (
    libreoffice_convert,
    pdf_attachments,
    pdf_text,
    pdfa_identification,
)

SOZIALRAUM = "Schwerte-Ost (Beispiel)"


def _docx(data: bytes) -> object:
    from docx import Document

    return Document(io.BytesIO(data))


def _invitation(sample: Process) -> object:
    return next(s for s in plan_documents(sample) if s.kind == "invitation")


# ---------------------------------------------------------------- blocks


def test_html_becomes_headings_paragraphs_lists_and_tables() -> None:
    blocks = html_blocks(
        "<html><body><main><h1>Titel</h1><p>Ein <b>fetter</b> und <em>schräger</em>"
        " Satz<br>zweite Zeile</p><ul><li>eins<ol><li>a</li></ol></li><li>zwei</li></ul>"
        '<table><thead><tr><th>Name</th><th class="num">Betrag</th></tr></thead>'
        '<tbody><tr><td>Miete</td><td class="num">1.000 €</td></tr>'
        "<tr><td><ul><li>x</li><li>y</li></ul></td><td></td></tr></tbody></table>"
        '<svg><text>Diagramm</text></svg><footer class="provenance">erzeugt</footer>'
        "</main></body></html>"
    )
    heading, para, items, table, picture, note = blocks
    assert isinstance(heading, Heading)
    assert heading.level == 1
    assert isinstance(para, Paragraph)
    assert [(r.text, r.bold, r.italic) for r in para.runs] == [
        ("Ein ", False, False),
        ("fetter", True, False),
        (" und ", False, False),
        ("schräger", False, True),
        (" Satz", False, False),
        ("\n", False, False),
        ("zweite Zeile", False, False),
    ]
    assert isinstance(items, ListBlock)
    assert not items.ordered
    first, second = items.items
    assert isinstance(first[1], ListBlock)
    assert first[1].ordered
    assert isinstance(second[0], Paragraph)
    assert isinstance(table, Table)
    assert table.head == 1
    assert table.rows[1][1].numeric
    assert table.rows[0][0].header
    assert [r.text for r in table.rows[2][0].runs] == ["• ", "x", "\n", "• ", "y"]
    assert isinstance(picture, Picture)  # the SVG as it is written
    assert picture.svg == "<svg><text>Diagramm</text></svg>"
    assert isinstance(note, Note)  # the provenance line; the SVG's text is no content
    assert "Diagramm" not in markdown_text(blocks)


def test_markdown_from_blocks_keeps_the_structure() -> None:
    text = markdown_text(
        html_blocks(
            "<h2>Ziele</h2><ol><li>A</li><li>B</li></ol>"
            "<table><tr><th>k</th><td>v</td></tr></table>"
        )
    )
    assert text == "## Ziele\n\n1. A\n2. B\n\n|   |   |\n| --- | --- |\n| **k** | v |\n"
    assert html_blocks("  ") == ()


# ---------------------------------------------------------------- DOCX


def test_the_bundled_word_layout_is_what_the_script_builds() -> None:
    """``python3 -m sozialraumprozess.documents._docx_layout`` rebuilds it byte for byte."""
    assert build() == target().read_bytes()


def test_docx_keeps_headings_tables_and_lists(renderer: DocumentRenderer, sample: Process) -> None:
    document = renderer.render_process(sample, fmt="docx")
    assert document.meta.path == "prozessbericht.docx"
    assert document.meta.format == "docx"
    assert document.meta.layout == "dokument.docx"
    assert document.data is not None
    assert document.content == document.data
    word = _docx(document.data)
    styles = [p.style.name for p in word.paragraphs]  # type: ignore[attr-defined]
    assert styles.count("Heading 1") == 1
    assert styles.count("Heading 2") >= 4
    assert len(word.tables) >= 4  # type: ignore[attr-defined]
    overview = word.tables[0]  # type: ignore[attr-defined]
    assert [c.text for c in overview.rows[1].cells] == ["Sozialraum", SOZIALRAUM]
    header = word.sections[0].header.paragraphs[0].text  # type: ignore[attr-defined]
    assert header.startswith(SOZIALRAUM + " · Generationengerechte Sozialraumentwicklung")
    footer = word.sections[0].footer.paragraphs[0].text  # type: ignore[attr-defined]
    assert footer == "Intern · 1. Dezember 2026"
    assert word.core_properties.title == f"Prozessbericht: {SOZIALRAUM}"  # type: ignore[attr-defined]
    assert styles[-1] == "Footer Note"  # the provenance line closes the body
    invitation = renderer.render(sample, _invitation(sample), fmt="docx")  # type: ignore[arg-type]
    listed = [p for p in _docx(invitation.data).paragraphs if p.style.name.startswith("List")]  # type: ignore[arg-type, attr-defined]
    assert listed  # the agenda as a list, not one text blob
    with zipfile.ZipFile(io.BytesIO(document.data)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                assert b"{{" not in archive.read(name), name


def test_an_office_letterhead_from_its_template_folder(
    workflow: Workflow, sample: Process, tmp_path: Path
) -> None:
    """A ``dokument.docx`` in a template folder lays out every document; an
    ``einladung.docx`` beside it only the invitations."""
    from docx import Document

    folder = tmp_path / "vorlagen"
    folder.mkdir()
    letterhead = Document()
    letterhead.sections[0].header.paragraphs[0].text = "Stadt Musterhausen · Jugendamt"
    letterhead.add_paragraph("Aktenzeichen 51-{{ sozialraum }}")
    letterhead.add_paragraph("{{p body }}")
    letterhead.add_paragraph("Mit freundlichen Grüßen")
    letterhead.save(folder / "dokument.docx")
    invitation = Document()
    invitation.add_paragraph("EINLADUNG {{ title }}")
    invitation.add_paragraph("{{p body }}")
    invitation.save(folder / "einladung.docx")

    renderer = DocumentRenderer(workflow, template_dirs=[folder])
    report = renderer.render_process(sample, fmt="docx")
    assert report.meta.layout == "dokument.docx"
    assert report.meta.layout_sha256 is not None
    assert len(report.meta.layout_sha256) == 64
    assert report.meta.to_dict()["layout"] == "dokument.docx"
    word = _docx(report.data)  # type: ignore[arg-type]
    texts = [p.text for p in word.paragraphs]  # type: ignore[attr-defined]
    assert texts[0] == f"Aktenzeichen 51-{SOZIALRAUM}"
    assert f"Prozessbericht: {SOZIALRAUM}" in texts
    assert texts[-1] == "Mit freundlichen Grüßen"
    assert word.sections[0].header.paragraphs[0].text == "Stadt Musterhausen · Jugendamt"  # type: ignore[attr-defined]
    letter = renderer.render(sample, _invitation(sample), fmt="docx")  # type: ignore[arg-type]
    assert letter.meta.layout == "einladung.docx"
    assert _docx(letter.data).paragraphs[0].text.startswith("EINLADUNG Einladung")  # type: ignore[arg-type, attr-defined]
    assert "layout" not in renderer.render_process(sample).meta.to_dict()  # md: as before


def test_a_layout_that_is_no_word_file_is_refused(
    workflow: Workflow, sample: Process, tmp_path: Path
) -> None:
    (tmp_path / "dokument.docx").write_text("kein Word", encoding="utf-8")
    (tmp_path / "dokument.odt").write_bytes(b"PK\x03\x04 kaputt")
    renderer = DocumentRenderer(workflow, template_dirs=[tmp_path])
    for fmt in ("docx", "odt"):
        with pytest.raises(DocumentError) as info:
            renderer.render_process(sample, fmt=fmt)
        assert info.value.code == "bad-layout"
        assert info.value.message("de").startswith(f"Die Vorlagendatei dokument.{fmt} ist keine")
        assert info.value.message("en").startswith(f"The layout file dokument.{fmt} is not a")


def test_layout_tags_run_in_the_sandbox(
    workflow: Workflow, sample: Process, tmp_path: Path
) -> None:
    """A missing variable or a refused construct in a Word layout names the file."""
    from docx import Document

    for text, code in (
        ("{{ aktenzeichen }}", "undefined"),
        ("{{ ''.__class__ }}", "security"),
        ("{% for x in body %}", "syntax"),
    ):
        layout = Document()
        layout.add_paragraph(text)
        layout.add_paragraph("{{p body }}")
        folder = tmp_path / code
        folder.mkdir()
        layout.save(folder / "dokument.docx")
        renderer = DocumentRenderer(workflow, template_dirs=[folder])
        with pytest.raises(TemplateRenderError) as info:
            renderer.render_process(sample, fmt="docx")
        assert info.value.code == code, (text, info.value)
        assert info.value.template == "dokument.docx"


# ---------------------------------------------------------------- ODT


def test_odt_keeps_headings_tables_and_lists(renderer: DocumentRenderer, sample: Process) -> None:
    from odfdo import Document

    document = renderer.render(sample, _invitation(sample), fmt="odt", lang="en")  # type: ignore[arg-type]
    assert document.meta.path.endswith("-einladung.odt")
    assert document.meta.layout is None
    odt = Document(io.BytesIO(document.data))
    body = odt.body
    assert [int(h.level) for h in body.get_headers()][:2] == [1, 2]
    assert body.get_tables()
    assert body.get_lists()
    assert "Invitation" in body.get_headers()[0].text_recursive
    assert odt.meta.get_title().startswith("Invitation: ")


def test_an_odt_layout_is_the_base(workflow: Workflow, sample: Process, tmp_path: Path) -> None:
    from odfdo import Document, Paragraph

    base = Document("text")
    base.body.clear()
    base.body.append(Paragraph("Landkreis Harz – Briefkopf"))
    base.save(tmp_path / "dokument.odt")
    renderer = DocumentRenderer(workflow, template_dirs=[tmp_path])
    document = renderer.render_process(sample, fmt="odt")
    assert document.meta.layout == "dokument.odt"
    body = Document(io.BytesIO(document.data)).body
    assert body.get_paragraphs()[0].text_recursive == "Landkreis Harz – Briefkopf"
    assert len(body.get_tables()) >= 4


# ---------------------------------------------------------------- PDF/A


def test_pdf_is_pdfa3b_with_the_sozialraum_and_phase(
    renderer: DocumentRenderer, sample: Process, tmp_path: Path
) -> None:
    attachment = PdfAttachment("notiz.json", b'{"a": 1}', "Eine Notiz")
    document = renderer.render_process(sample, fmt="pdf", attachments=[attachment])
    assert document.meta.path == "prozessbericht.pdf"
    path = tmp_path / "prozessbericht.pdf"
    path.write_bytes(document.content)
    assert pdfa_identification(path) == ("3", "B")
    assert pdf_attachments(path) == {"notiz.json": b'{"a": 1}'}
    text = pdf_text(path)
    assert SOZIALRAUM in text
    assert "Sozialraum analysieren" in text  # the current phase
    assert "Beschlüsse" in text
    assert "Haushaltsansatz" in text


def test_pdf_without_weasyprint_says_what_to_install(
    renderer: DocumentRenderer, sample: Process, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it were not installed
    with pytest.raises(DocumentError) as info:
        renderer.render_process(sample, fmt="pdf")
    assert info.value.code == "format-unavailable"
    assert "pip install 'sozialraumprozess[pdf]'" in info.value.message("en")
    assert info.value.message("de").startswith("Das Format pdf ist hier nicht verfügbar")


def test_every_output_format_has_its_suffix(renderer: DocumentRenderer, sample: Process) -> None:
    spec = _invitation(sample)
    paths = {renderer.render(sample, spec, fmt=f).meta.path for f in OUTPUT_FORMATS}  # type: ignore[arg-type]
    assert {p.rsplit(".", 1)[1] for p in paths} == set(OUTPUT_FORMATS)


# ---------------------------------------------------------------- real clients, quick subset


@pytest.mark.parametrize("lang", ["de", "en"])
def test_libreoffice_opens_and_converts_docx_and_odt(
    renderer: DocumentRenderer, sample: Process, tmp_path: Path, lang: str
) -> None:
    """The process report and an invitation in DOCX and ODT: LibreOffice headless
    converts each to PDF, whose text has the Sozialraum."""
    files = []
    for spec in (plan_documents(sample)[0], _invitation(sample)):
        for fmt in ("docx", "odt"):
            document = renderer.render(sample, spec, fmt=fmt, lang=lang)  # type: ignore[arg-type]
            path = tmp_path / "in" / fmt / Path(document.meta.path).name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(document.content)
            files.append(path)
    converted = libreoffice_convert(files, "pdf", tmp_path / "out", tmp_path / "profile")
    for source, pdf in converted.items():
        text = pdf_text(pdf)
        assert SOZIALRAUM in text, source
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def test_a_layout_without_our_styles_keeps_the_structure(
    workflow: Workflow, sample: Process, tmp_path: Path
) -> None:
    """A Word file made elsewhere may lack the heading, list and table styles: headings
    become bold larger text, list items get their marker as text, tables stay tables."""
    from docx import Document

    layout = Document()
    for name in ("Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number"):
        style = layout.styles[name]
        style.element.getparent().remove(style.element)
    layout.add_paragraph("{{p body }}")
    layout.save(tmp_path / "dokument.docx")
    renderer = DocumentRenderer(workflow, template_dirs=[tmp_path])
    invitation = renderer.render(sample, _invitation(sample), fmt="docx")  # type: ignore[arg-type]
    word = _docx(invitation.data)  # type: ignore[arg-type]
    paragraphs = word.paragraphs  # type: ignore[attr-defined]
    title = paragraphs[0]
    assert title.text.startswith("Einladung: ")
    assert title.runs[0].bold
    assert title.runs[0].font.size.pt == 16
    markers = [p.text for p in paragraphs if p.text.startswith(("• ", "1. "))]
    assert markers  # the agenda items, each with its marker
    assert word.tables  # type: ignore[attr-defined]


def test_the_report_page_in_markdown_from_its_structure_or_an_own_template(
    sample: Process, tmp_path: Path
) -> None:
    from sozialraumprozess.app.report import report_document

    made = report_document(sample, tmp_path / "bericht.html", fmt="md", lang="en")
    assert made.meta.path == "bericht.md"
    assert made.meta.format == "md"
    assert made.text.startswith("# Schwerte-Ost (Beispiel)\n")
    assert "\n## " in made.text
    assert "\n| --- |" in made.text or "| --- | --- |" in made.text
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "_bericht.md.j2").write_text("# {{ title }}\n", encoding="utf-8")
    own = report_document(
        sample, tmp_path / "bericht.html", fmt="md", workflow_path=tmp_path / "w.yaml"
    )
    assert own.text == f"# Prozessbericht: {SOZIALRAUM}\n"
    assert (own.meta.path, own.meta.template) == ("bericht.md", "_bericht.md.j2")
    with pytest.raises(DocumentError) as info:
        report_document(sample, tmp_path / "bericht.html", fmt="rtf")
    assert info.value.code == "bad-format"


def test_markdown_of_nested_lists_notes_and_emphasis() -> None:
    text = markdown_text(
        html_blocks(
            "<ul><li>eins<ul><li><i>tief</i></li></ul><p>noch</p></li></ul>"
            '<footer class="provenance">Stand <b><i>7</i></b></footer>'
        )
    )
    assert text == "- eins\n  - *tief*\n  noch\n\nStand ***7***\n"


def test_a_layout_whose_content_is_broken_is_refused(
    workflow: Workflow, sample: Process, tmp_path: Path
) -> None:
    """A zip with the right part names but no readable XML inside: a clear error."""
    for fmt, part in (("docx", "word/document.xml"), ("odt", "content.xml")):
        folder = tmp_path / fmt
        folder.mkdir()
        source = target() if fmt == "docx" else None
        with zipfile.ZipFile(folder / f"dokument.{fmt}", "w") as archive:
            if source is not None:
                with zipfile.ZipFile(source) as bundled:
                    for name in bundled.namelist():
                        if name != part:
                            archive.writestr(name, bundled.read(name))
            else:
                archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr(part, "<kaputt")
        renderer = DocumentRenderer(workflow, template_dirs=[folder])
        with pytest.raises(DocumentError) as info:
            renderer.render_process(sample, fmt=fmt)
        assert info.value.code == "bad-layout"
        assert f"dokument.{fmt}" in info.value.message("en")


def test_html_pages_load_nothing_from_outside(
    renderer: DocumentRenderer, sample: Process, tmp_path: Path
) -> None:
    """A document page and the report page name no resource a browser would fetch:
    every ``src`` and ``href`` of an element that loads is a ``data:`` URI, and the
    pages declare an inline icon (else a browser asks the server for /favicon.ico)."""
    from html.parser import HTMLParser

    from sozialraumprozess.app.report import report_document

    class Loads(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[tuple[str, str, str]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = dict(attrs)
            rel = values.get("rel") or ""
            for name in ("src", "href"):
                if values.get(name) is not None and (tag != "a" or name != "href"):
                    self.found.append((tag, rel, values[name] or ""))

    pages = {
        "document": renderer.render_process(sample, fmt="html").text,
        "report": report_document(sample, tmp_path / "bericht.html", fmt="html").text,
    }
    for name, page in pages.items():
        loads = Loads()
        loads.feed(page)
        assert ("link", "icon", "data:,") in loads.found, name
        outside = [(tag, url[:60]) for tag, _, url in loads.found if not url.startswith("data:")]
        assert outside == [], name
