"""Document rendering refusals (another workflow's process, an unknown kind of document,
minutes of an event held without protocol), a protocol rendered as an artifact version,
and the names of template siblings."""

from __future__ import annotations

import pytest

from sozialraumprozess import load_workflow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.documents import DocumentRenderer
from sozialraumprozess.documents.plan import DocumentSpec
from sozialraumprozess.documents.render import variant
from sozialraumprozess.errors import DocumentError
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario.sample import run_sample


def test_a_process_of_another_workflow_is_refused(renderer: DocumentRenderer) -> None:
    other = load_workflow("fachtag-sozialraumorientierung")
    process = Process.start(other, sozialraum="X", by=other.first_phase.responsible)
    with pytest.raises(DocumentError) as info:
        renderer.view(process)
    assert info.value.code == "other-workflow"
    assert info.value.message("en") == (
        "the process runs on 'fachtag-sozialraumorientierung', "
        "not 'generationengerechte-sozialraumentwicklung'"
    )
    assert info.value.message("de") == (
        "Der Prozess läuft auf 'fachtag-sozialraumorientierung', "
        "nicht 'generationengerechte-sozialraumentwicklung'"
    )


def test_an_unknown_kind_of_document(renderer: DocumentRenderer, sample: Process) -> None:
    with pytest.raises(DocumentError) as info:
        renderer.render(sample, DocumentSpec("brief", "auftrag", "brief"))
    assert info.value.code == "bad-kind"
    assert info.value.message("en") == "unknown kind of document 'brief'"
    assert info.value.message("de") == "Unbekannte Dokumentart 'brief'"
    with pytest.raises(DocumentError) as info:
        renderer.render_event(sample, 0, kind="plakat")
    assert info.value.code == "bad-kind"
    assert info.value.message("en") == "held event number 0 has no document 'plakat'"


def test_minutes_of_an_event_held_without_protocol(
    renderer: DocumentRenderer, workflow: Workflow
) -> None:
    process = run_sample(workflow)
    process.record_event("stadtteilbegehung", date="2026-11-01", by="sozialraumkoordination")
    with pytest.raises(DocumentError) as info:
        renderer.render_event(process, -1)
    assert info.value.code == "no-minutes"
    assert info.value.message("en") == "held event number 8 has no document 'minutes'"
    assert info.value.message("de") == "Zu Veranstaltung Nr. 8 gibt es kein Dokument 'minutes'"
    invitation = renderer.render_event(process, -1, "invitation")
    assert invitation.meta.path == (
        "zyklus-2/02-analysieren/veranstaltungen/2026-11-01-stadtteilbegehung-einladung.md"
    )


def test_a_protocol_version_renders_as_an_artifact(
    renderer: DocumentRenderer, sample: Process
) -> None:
    document = renderer.render_artifact(sample, "protokoll", 2)
    assert document.meta.kind == "artifact"
    assert document.meta.path == "zyklus-1/02-analysieren/protokoll-v2.md"
    assert document.meta.title == "Ergebnisprotokoll (Version 2)"
    assert "| Datum | 15.04.2025 |" in document.text


@pytest.mark.parametrize(
    ("name", "fmt", "sibling"),
    [
        ("zielkatalog.md.j2", "html", "zielkatalog.html.j2"),
        ("zielkatalog.htm.j2", "md", "zielkatalog.md.j2"),
        ("zielkatalog.md", "html", "zielkatalog.html.j2"),
        ("zielkatalog", "html", "zielkatalog.html.j2"),
    ],
)
def test_the_sibling_of_a_template_in_another_format(name: str, fmt: str, sibling: str) -> None:
    assert variant(name, fmt) == sibling
