"""Every document of every bundled scenario, in every format and both languages, opened
with its real client: LibreOffice headless converts each DOCX and ODT, poppler reads
each PDF (and pikepdf its PDF/A identification). Slow: about a thousand files."""

from __future__ import annotations

from pathlib import Path

import pytest

from sozialraumprozess import DocumentRenderer
from sozialraumprozess.documents import OUTPUT_FORMATS
from sozialraumprozess.scenario import bundled_scenarios, run_scenario

from .clients import libreoffice_convert, pdf_text, pdfa_identification

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", bundled_scenarios())
def test_every_document_in_every_format_opens_in_its_client(name: str, tmp_path: Path) -> None:
    run = run_scenario(name)
    process = run.process
    renderer = DocumentRenderer(process.workflow)
    sozialraum = process.sozialraum.name
    office: list[Path] = []
    pdfs: list[Path] = []
    for lang in ("de", "en"):
        folder = tmp_path / lang
        metas = renderer.write_all(process, folder, formats=OUTPUT_FORMATS, lang=lang)
        per_format = {fmt: [m for m in metas if m.format == fmt] for fmt in OUTPUT_FORMATS}
        counts = {fmt: len(found) for fmt, found in per_format.items()}
        assert len(set(counts.values())) == 1, counts  # every document in every format
        assert counts["md"] > 0
        office += [folder / m.path for m in metas if m.format in ("docx", "odt")]
        pdfs += [folder / m.path for m in metas if m.format == "pdf"]
    converted = libreoffice_convert(office, "txt:Text", tmp_path / "lo", tmp_path / "profile")
    assert len(converted) == len(office)
    for source, text_file in converted.items():
        text = text_file.read_text("utf-8", errors="replace")
        assert text.strip(), source  # LibreOffice read content, not an empty page
        if source.stem == "prozessbericht":
            assert sozialraum in text, source
    for path in pdfs:
        assert pdfa_identification(path) == ("3", "B"), path
        text = " ".join(pdf_text(path).split())
        assert text, path
        if path.stem == "prozessbericht":
            assert sozialraum in text, path
