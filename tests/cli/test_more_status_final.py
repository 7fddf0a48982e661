"""`sozialraum status` in the last phase: the open criteria while some are open, then
"all criteria met"; a phase without duration has no deadline; a transition is offered."""

from __future__ import annotations

from pathlib import Path

from sozialraumprozess.app import Service
from sozialraumprozess.definition.loader import load_workflow

from ..definition.conftest import MINI
from .conftest import sozialraum

WITH_WAY_BACK = MINI + (
    "transitions:\n  - {id: zurueck, title: Zurück, from: ziele, to: analysieren, allowed: [vg]}\n"
)


def _steps(output: str) -> list[str]:
    """The lines of ``status`` without the pasteable command under each next step."""
    return [line for line in output.splitlines() if not line.startswith("    sozialraum ")]


def test_status_in_the_last_phase(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(WITH_WAY_BACK, "utf-8")
    service = Service.open(tmp_path / "s", create=True)
    try:
        service.start("nord", load_workflow(str(path)), sozialraum="Nord", workflow_path=path)
        service.submit("nord", "zielkatalog", {"ziele": ["a", "b", "c"]}, by="vg")
        service.approve("nord", "zielkatalog", by="vg")
        service.advance("nord", by="kommune")
    finally:
        service.close()

    open_items = sozialraum("status", str(tmp_path / "s"), "--lang", "en")
    assert open_items.returncode == 0, open_items.stderr
    lines = _steps(open_items.stdout)
    assert f"    sozialraum transition zurueck --store {tmp_path / 's'} --run nord --as vg" in (
        open_items.stdout.splitlines()
    )
    assert "Phase       2/2 Ziele [ziele]" in lines
    assert "Deadline    –" in lines
    assert "Blockers (2)" in lines
    assert lines[-4:] == [
        "  advance: not possible (final phase)",
        "  transition zurueck → analysieren: Zurück (possible; Verantwortungsgemeinschaft)",
        "  open: event Sozialraumkonferenz [konferenz] – Verantwortungsgemeinschaft",
        "  open: decision Beschluss [zielbeschluss] – Verantwortungsgemeinschaft",
    ]

    service = Service.open(tmp_path / "s")
    try:
        service.record_event("nord", "konferenz", date="2025-02-01", by="vg")
        service.decide("nord", "zielbeschluss", date="2025-02-02", yes=3, no=0, by="vg")
    finally:
        service.close()
    english = _steps(sozialraum("status", str(tmp_path / "s"), "--lang", "en").stdout)
    assert "All criteria met (final phase)." in english
    assert english[-2:] == [
        "  advance: not possible (final phase)",
        "  transition zurueck → analysieren: Zurück (possible; Verantwortungsgemeinschaft)",
    ]
    german = _steps(sozialraum("status", str(tmp_path / "s")).stdout)
    assert german[-3:] == [
        "Als Nächstes",
        "  Weiter: nicht möglich (letzte Phase)",
        "  Übergang zurueck → analysieren: Zurück (möglich; Verantwortungsgemeinschaft)",
    ]
