"""Pictures (inline SVG: the workflow diagram, the Wirkungskette, indicator and budget
charts, the Sozialraum outline) in the office formats: read as blocks, drawn as PNG
into DOCX and ODT, and there when LibreOffice opens the files (poppler's pdfimages)."""

from __future__ import annotations

import base64
import doctest
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sozialraumprozess import DocumentRenderer
from sozialraumprozess.app.report import report_document
from sozialraumprozess.documents import blocks as blocks_module, pictures
from sozialraumprozess.documents.blocks import ListBlock, Paragraph, Picture, Table, html_blocks
from sozialraumprozess.documents.plan import plan_documents
from sozialraumprozess.runtime.process import Process

from .clients import libreoffice_convert, pdf_images, pdf_text

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><title>Balken &amp; Linie'
    '</title><rect width="40" height="20" fill="#0072B2"/></svg>'
)


def _svg_count(html: str) -> int:
    return len(re.findall(r"<svg[\s>]", html))


def _docx_pictures(data: bytes) -> list[str]:
    """The descriptions of the pictures in a DOCX's body, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode()
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
    found = re.findall(r'<wp:docPr [^>]*?descr="([^"]*)"', body)
    assert len(media) == body.count("<w:drawing>")  # one image file per picture
    return found


def _odt_pictures(data: bytes) -> list[str]:
    """The titles of the picture frames in an ODT, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content = archive.read("content.xml").decode()
        files = [n for n in archive.namelist() if n.startswith("Pictures/")]
        manifest = archive.read("META-INF/manifest.xml").decode()
    assert len(files) == content.count("<draw:image ")
    for name in files:
        assert name.endswith(".png")
        assert f'manifest:media-type="image/png" manifest:full-path="{name}"' in manifest
    return re.findall(r"<svg:title>([^<]*)</svg:title>", content)


def _chain_spec(sample: Process) -> object:
    return next(s for s in plan_documents(sample) if s.kind == "chain")


def _invitation(sample: Process) -> object:
    return next(s for s in plan_documents(sample) if s.kind == "invitation")


# ---------------------------------------------------------------- the block


def test_the_modules_examples_hold() -> None:
    for module in (blocks_module, pictures):
        result = doctest.testmod(module)
        assert result.attempted > 0, module.__name__
        assert result.failed == 0, module.__name__


def test_pictures_are_read_in_document_order_with_text_and_size() -> None:
    data_uri = "data:image/svg+xml;base64," + base64.b64encode(SVG.encode()).decode()
    blocks = html_blocks(
        "<h1>Bericht</h1><div class='diagram'>"
        '<svg xmlns="http://www.w3.org/2000/svg" width="460.8pt" height="230.4pt"'
        ' viewBox="0 0 460.8 230.4" aria-label="SGB-II-Quote"><title>anders</title></svg>'
        f"</div><p>Vorher <img src='{data_uri}' alt='Haushalt'> nachher</p>"
        f"<ul><li>{SVG}</li></ul>"
        f"<table><tr><td>Zelle {SVG}</td></tr></table>"
        "<img src='foto.png' alt='kein SVG'><svg width='3cm'/>"
    )
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["Heading", "Picture", "Paragraph", "Picture", "ListBlock", "Table", "Picture"]
    chart, inline, listed, table, empty = (blocks[i] for i in (1, 3, 4, 5, 6))
    assert isinstance(chart, Picture)
    assert chart.alt == "SGB-II-Quote"  # aria-label wins over the title
    assert (chart.width, chart.height) == pytest.approx((614.4, 307.2))  # pt in CSS pixels
    assert chart.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" width="460.8pt"')
    assert 'viewBox="0 0 460.8 230.4"' in chart.svg  # SVG names keep their case
    assert isinstance(inline, Picture)
    assert inline.svg == SVG
    assert inline.alt == "Haushalt"  # the <img>'s alt wins
    assert (inline.width, inline.height) == (40.0, 20.0)  # from the viewBox
    assert isinstance(listed, ListBlock)
    assert isinstance(listed.items[0][0], Picture)
    assert listed.items[0][0].alt == "Balken & Linie"  # the title, unescaped
    assert isinstance(table, Table)  # a picture in a cell is left out, its text stays
    assert [r.text for r in table.rows[0][0].runs] == ["Zelle"]
    assert isinstance(empty, Picture)
    assert (empty.alt, empty.width) == ("", pytest.approx(113.385, abs=0.01))
    assert isinstance(blocks[2], Paragraph)
    assert [r.text for r in blocks[2].runs] == ["Vorher ", "nachher"]


def test_a_page_without_pictures_has_none(renderer: DocumentRenderer, sample: Process) -> None:
    page = renderer.render(sample, _invitation(sample), fmt="html")  # type: ignore[arg-type]
    assert _svg_count(page.text) == 0
    assert not any(isinstance(b, Picture) for b in html_blocks(page.text))
    for fmt, found in (("docx", _docx_pictures), ("odt", _odt_pictures)):
        document = renderer.render(sample, _invitation(sample), fmt=fmt)  # type: ignore[arg-type]
        assert found(document.content) == [], fmt
        with zipfile.ZipFile(io.BytesIO(document.content)) as archive:
            assert not [n for n in archive.namelist() if "media/" in n or "Pictures/" in n]


# ---------------------------------------------------------------- DOCX and ODT


def test_office_formats_get_every_picture_of_their_html(
    renderer: DocumentRenderer, sample: Process, tmp_path: Path
) -> None:
    """The report page (workflow diagram, outline, indicator charts, Wirkungskette,
    budget chart) and the Wirkungskette document: one picture per SVG, in order."""
    page = report_document(sample, tmp_path / "bericht.html", fmt="html")
    alts = [p.alt for p in html_blocks(page.text) if isinstance(p, Picture)]
    assert len(alts) == _svg_count(page.text) >= 10
    assert "Wirkungskette als Diagramm" in alts
    assert "Schwerte-Ost (Beispiel)" in alts  # the outline
    docx = report_document(sample, tmp_path / "bericht.docx", fmt="docx")
    odt = report_document(sample, tmp_path / "bericht.odt", fmt="odt")
    assert _docx_pictures(docx.content) == alts
    assert _odt_pictures(odt.content) == alts
    chain = renderer.render(sample, _chain_spec(sample), fmt="html")  # type: ignore[arg-type]
    assert _svg_count(chain.text) == 1
    for fmt, found in (("docx", _docx_pictures), ("odt", _odt_pictures)):
        document = renderer.render(sample, _chain_spec(sample), fmt=fmt)  # type: ignore[arg-type]
        assert found(document.content) == ["Wirkungskette als Diagramm"], fmt


def test_pictures_fit_the_text_width_as_png(renderer: DocumentRenderer, sample: Process) -> None:
    from docx import Document
    from PIL import Image

    document = renderer.render_process(sample, fmt="docx")  # the Wirkungskette, 1028 x 564
    word = Document(io.BytesIO(document.content))
    (shape,) = word.inline_shapes
    assert shape.width.cm == pytest.approx(16.0, abs=0.01)  # A4 less 2.5 cm margins
    assert shape.height.cm == pytest.approx(16.0 * 564 / 1028, abs=0.01)  # aspect kept
    with zipfile.ZipFile(io.BytesIO(document.content)) as archive:
        (name,) = [n for n in archive.namelist() if n.startswith("word/media/")]
        image = Image.open(io.BytesIO(archive.read(name)))
    assert image.format == "PNG"
    assert image.size[0] == round(16.0 / 2.54 * pictures.DPI)
    odt = renderer.render_process(sample, fmt="odt")
    with zipfile.ZipFile(io.BytesIO(odt.content)) as archive:
        content = archive.read("content.xml").decode()
    width = float(re.search(r'<draw:frame svg:width="([0-9.]+)cm"', content).group(1))  # type: ignore[union-attr]
    assert width == pytest.approx(17.0, abs=0.01)  # odfdo's A4 page less 2 cm margins


def test_an_svg_that_cannot_be_drawn_leaves_its_text_alternative(
    renderer: DocumentRenderer, sample: Process
) -> None:
    broken = Picture("<svg><g>", "Ablauf", 100.0, 50.0)
    assert pictures.png(broken, (2.0, 1.0)) is None
    from sozialraumprozess.documents.to_odt import odt_bytes

    data = odt_bytes(None, (broken, Paragraph(())), "Test")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "Ablauf" in archive.read("content.xml").decode()
        assert not [n for n in archive.namelist() if n.startswith("Pictures/")]
    from docx import Document

    from sozialraumprozess.documents._docx_layout import target
    from sozialraumprozess.documents.to_docx import docx_bytes

    names = ("title", "sozialraum", "workflow", "generated", "classification", "lang", "footer")
    env = renderer.templates.environment("html")
    word = Document(io.BytesIO(docx_bytes(target(), (broken,), dict.fromkeys(names, "x"), env)))
    (run,) = [r for p in word.paragraphs for r in p.runs if r.text == "Ablauf"]
    assert run.italic
    assert not word.inline_shapes


def _counting_draws(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts CairoSVG's drawings (each still drawn by CairoSVG)."""
    import cairosvg

    calls: list[int] = []
    real = cairosvg.svg2png

    def counted(**kwargs: object) -> object:
        calls.append(int(kwargs["output_width"]))  # type: ignore[call-overload]
        return real(**kwargs)

    monkeypatch.setattr(cairosvg, "svg2png", counted)
    return calls


def test_a_picture_is_drawn_once_per_size(
    renderer: DocumentRenderer, sample: Process, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sozialraumprozess.runtime import clear_caches

    clear_caches()
    draws = _counting_draws(monkeypatch)
    first = renderer.render_process(sample, fmt="docx")
    assert len(draws) == 1  # the Wirkungskette
    again = renderer.render_process(sample, fmt="docx")
    assert len(draws) == 1  # from the cache, and the same picture
    assert _docx_media(first.content) == _docx_media(again.content)
    renderer.render_process(sample, fmt="odt")  # ODT's text width differs: drawn for it
    assert draws == [round(16.0 / 2.54 * pictures.DPI), round(17.0 / 2.54 * pictures.DPI)]
    clear_caches()
    renderer.render_process(sample, fmt="docx")
    assert len(draws) == 3


def test_the_picture_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from sozialraumprozess.runtime import clear_caches

    clear_caches()
    monkeypatch.setattr(pictures, "MAX_PICTURES", 2)
    draws = _counting_draws(monkeypatch)
    drawn = [Picture(SVG.replace("40", str(width)), "", 40.0, 20.0) for width in (41, 42, 43)]
    for picture in drawn:
        assert pictures.png(picture, (2.0, 1.0)) is not None
    assert pictures.png(drawn[2], (2.0, 1.0)) is not None  # kept
    assert len(draws) == 3
    assert pictures.png(drawn[0], (2.0, 1.0)) is not None  # dropped as the oldest
    assert len(draws) == 4
    broken = Picture("<svg><g>", "", 10.0, 10.0)
    assert pictures.png(broken, (1.0, 1.0)) is None
    assert pictures.png(broken, (1.0, 1.0)) is None  # a failure is kept too
    assert len(draws) == 5
    clear_caches()


def _docx_media(data: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [archive.read(n) for n in archive.namelist() if n.startswith("word/media/")]


def test_cairosvg_is_imported_only_for_a_picture() -> None:
    """The CLI starts, and a document without pictures is written, without CairoSVG."""
    code = (
        "import sys\n"
        "from sozialraumprozess.cli import main\n"
        "from sozialraumprozess import load_workflow, DocumentRenderer\n"
        "from sozialraumprozess.documents.plan import plan_documents\n"
        "from sozialraumprozess.scenario.sample import run_sample\n"
        "p = run_sample(load_workflow('generationengerechte-sozialraumentwicklung'))\n"
        "r = DocumentRenderer(p.workflow)\n"
        "spec = next(s for s in plan_documents(p) if s.kind == 'invitation')\n"
        "r.render(p, spec, fmt='docx'); r.render(p, spec, fmt='odt')\n"
        "print('cairosvg' in sys.modules)\n"
        "r.render_process(p, fmt='docx')\n"
        "print('cairosvg' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["False", "True"]


# ---------------------------------------------------------------- real clients


def test_libreoffice_shows_the_pictures_of_docx_and_odt(
    renderer: DocumentRenderer, sample: Process, tmp_path: Path
) -> None:
    """The report page and the Wirkungskette document in DOCX and ODT: LibreOffice
    converts each to PDF; poppler finds at least one image per SVG of the HTML, and
    the text is still there."""
    files: dict[Path, int] = {}
    for fmt in ("docx", "odt"):
        folder = tmp_path / "in" / fmt
        folder.mkdir(parents=True)
        page = report_document(sample, folder / f"bericht.{fmt}", fmt="html")
        report = report_document(sample, folder / f"bericht.{fmt}", fmt=fmt)
        files[folder / f"bericht.{fmt}"] = _svg_count(page.text)
        (folder / f"bericht.{fmt}").write_bytes(report.content)
        chain = renderer.render(sample, _chain_spec(sample), fmt=fmt)  # type: ignore[arg-type]
        files[folder / f"wirkungskette.{fmt}"] = 1
        (folder / f"wirkungskette.{fmt}").write_bytes(chain.content)
    converted = libreoffice_convert(list(files), "pdf", tmp_path / "out", tmp_path / "profile")
    for source, pdf in converted.items():
        images = pdf_images(pdf)
        assert len(images) >= files[source] >= 1, (source, images)
        assert all(width >= 400 for _, width, _ in images), (source, images)
        assert "Schwerte-Ost (Beispiel)" in pdf_text(pdf), source
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
