"""Every bundled workflow's scenario renders all its documents, both formats, both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from sozialraumprozess import DocumentRenderer
from sozialraumprozess.scenario import bundled_scenarios, run_scenario


@pytest.mark.parametrize("name", bundled_scenarios())
@pytest.mark.parametrize("lang", ["de", "en"])
def test_all_documents_render(name: str, lang: str, tmp_path: Path) -> None:
    """No template fails on another workflow's artifacts (generic fallback where needed)."""
    run = run_scenario(name)
    renderer = DocumentRenderer(run.process.workflow)
    metas = renderer.write_all(run.process, tmp_path, formats=("md", "html"), lang=lang)
    assert metas
    files = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert len(files) == len(metas)
    sozialraum = run.process.sozialraum.name
    report = next(p for p in files if "prozessbericht" in p.name and p.suffix == ".md")
    assert sozialraum in report.read_text("utf-8")
