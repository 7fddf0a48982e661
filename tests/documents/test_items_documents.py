"""Items (format v2) in the documents: one document per item, an item list in the
process report and the HTML report, and labelled choices shown by label, never by id."""

from __future__ import annotations

import pytest

from sozialraumprozess.documents import DocumentRenderer, plan_documents
from sozialraumprozess.documents.plan import slug
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario import run_scenario


@pytest.fixture(scope="module")
def process() -> Process:
    return run_scenario("qualitaetsreflexion-soziale-treffpunkte").process


def test_one_document_per_item(process: Process) -> None:
    items = [s for s in plan_documents(process) if s.kind == "item"]
    assert [(s.key, s.stem) for s in items] == [
        (key, f"zyklus-1/02-visitationen/visitationsbericht/{slug(key)}")
        for key in ("Treffpunkt Nord", "Treffpunkt Süd", "Treffpunkt Mitte", "Treffpunkt Land")
    ]
    assert slug("Treffpunkt Süd") == "treffpunkt-sued"


@pytest.mark.parametrize(
    ("lang", "label", "state", "heading"),
    [
        ("de", "Besuch vor Ort", "Rückgemeldet", "Treffpunkt"),
        ("en", "Visit on site", "Feedback given", "Meeting point"),
    ],
)
def test_item_documents_show_labels_not_ids(
    process: Process, lang: str, label: str, state: str, heading: str
) -> None:
    renderer = DocumentRenderer(process.workflow)
    spec = next(s for s in plan_documents(process) if s.key == "Treffpunkt Nord")
    for fmt in ("md", "html"):
        text = renderer.render(process, spec, fmt=fmt, lang=lang).text  # type: ignore[arg-type]
        assert label in text
        assert "vor_ort" not in text
        assert state in text
        assert "Zusammenarbeit auf Augenhöhe" in text
    report = renderer.render_process(process, lang=lang).text  # type: ignore[arg-type]
    assert f"| {heading} |" in report
    assert f"| Treffpunkt Land | {state} | 1 |" in report


def test_the_html_report_lists_the_items(process: Process, tmp_path: object) -> None:
    from pathlib import Path

    from sozialraumprozess.app.report import render_report, report_data

    out = Path(str(tmp_path)) / "bericht.html"
    render_report(process, out, lang="de")
    html = out.read_text("utf-8")
    assert "<h2>Visitationsbericht</h2>" in html
    assert "<td>Treffpunkt Mitte</td><td>Rückgemeldet</td>" in html
    data = report_data(process, "en")
    (listed,) = data["items"]
    assert listed["artifact"] == "visitationsbericht"
    assert [(i["key"], i["state_title"]) for i in listed["items"]][:1] == [
        ("Treffpunkt Nord", "Feedback given")
    ]
