"""Moving a running process to a revised workflow: the report, the recorded event, replay."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from sozialraumprozess.app import Service
from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import (
    CommandRejected,
    DefinitionMismatch,
    MigrationBlocked,
    PermissionDenied,
    ReplayError,
)
from sozialraumprozess.runtime.events import WorkflowMigrated
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario.sample import run_sample
from sozialraumprozess.storage.session import create_run

from .revisions import rename_phase, revised, revised_data, six_phase_data

OLD = load_workflow("generationengerechte-sozialraumentwicklung")
NEW = revised()
PHASES = [p.id for p in OLD.phases]
RESPONSIBLE = OLD.phase("ziele_festlegen").responsible


def _lookup(*known: Workflow):  # type: ignore[no-untyped-def]
    by_hash = {w.content_hash: w for w in known}
    return lambda ref: by_hash.get(ref.content_hash)


def _levels(report) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    out: dict[str, list[str]] = {"safe": [], "attention": [], "blocks": []}
    for finding in report.findings:
        out[finding.level].append(finding.message.text("de"))
    return out


@pytest.mark.parametrize("phase", PHASES)
def test_a_run_in_every_phase_migrates_and_replays(phase: str) -> None:
    process = run_sample(OLD, until=phase)
    state_before = copy.deepcopy(process.state)
    report = process.check_migration(NEW)
    assert process.state == state_before  # the report changes nothing
    assert not report.blocked
    levels = _levels(report)
    gate = "Phase 3: neues Abschlusskriterium: „Artefakt vollständig: Beteiligungsbericht“"
    index = PHASES.index(phase)
    if index < 2:
        assert f"{gate} – gilt, sobald der Prozess die Phase erreicht" in levels["safe"]
    elif index == 2:
        assert (
            f"{gate} – in der laufenden Phase: gilt ab sofort für ihren Abschluss"
            in (levels["attention"])
        )
        assert any("Beteiligungsbericht' fehlt" in line for line in levels["attention"])
    else:
        assert (
            f"{gate} – in einer in diesem Zyklus abgeschlossenen Phase: gilt als erfüllt "
            "(Bestandsschutz)" in levels["safe"]
        )
    responsible = OLD.phase(phase).responsible
    done = process.migrate(NEW, reason="Fortschreibung 2026", by=responsible)
    assert done == report
    expected = "sozialraum_analysieren" if phase == "analysieren" else phase
    assert process.phase == expected
    assert process.pinned.version == "3.0"
    assert process.workflow is NEW
    last = process.log[-1]
    assert isinstance(last.event, WorkflowMigrated)
    assert last.payload == {
        "from": {"id": OLD.id, "version": OLD.version, "content_hash": OLD.content_hash},
        "to": {"id": NEW.id, "version": "3.0", "content_hash": NEW.content_hash},
        "mapping": {"analysieren": "sozialraum_analysieren"},
        "reason": "Fortschreibung 2026",
    }
    replayed = Process.replay(NEW, process.log, definitions=_lookup(OLD))
    assert replayed.state == process.state
    assert replayed.blockers() == process.blockers()
    assert replayed.workflow is NEW
    again = Process.from_dict(process.to_dict(), NEW, definitions=_lookup(OLD))
    assert again.state == process.state


def test_new_blockers_of_the_current_phase_after_the_move() -> None:
    process = run_sample(OLD, until="visionen_entwickeln")
    before = {b.target for b in process.blockers()}
    assert "beteiligungsbericht" not in before
    process.migrate(NEW, reason="Fortschreibung", by=OLD.phase("visionen_entwickeln").responsible)
    assert "beteiligungsbericht" in {b.target for b in process.blockers()}


def test_stricter_rule_applies_to_a_pending_decision_and_spares_taken_ones() -> None:
    pending = _levels(run_sample(OLD, until="ziele_festlegen").check_migration(NEW))
    assert (
        "Phase 4: Beschluss „Beschluss des Zielkatalogs“: jetzt Zweidrittelmehrheit statt "
        "einfache Mehrheit: gilt für den in der laufenden Phase anstehenden Beschluss"
    ) in pending["attention"]
    taken = _levels(run_sample(OLD, until="massnahmen_planen").check_migration(NEW))
    assert (
        "Phase 4: Beschluss „Beschluss des Zielkatalogs“: jetzt Zweidrittelmehrheit statt "
        "einfache Mehrheit: bereits gefasste Beschlüsse behalten ihr Ergebnis"
    ) in taken["safe"]


def test_new_required_field_missing_in_current_data_needs_attention() -> None:
    data = six_phase_data()
    data["version"] = "2.0"
    data["artifacts"]["zielkatalog"]["fields"]["indikator"] = {"type": "text", "required": True}
    target = load_workflow(data)
    process = run_sample(OLD, until="massnahmen_planen")
    report = process.check_migration(target)
    assert _levels(report)["attention"] == [
        "„Zielkatalog“ (Fassung 2) fehlt das neue Pflichtfeld „indikator“: wird beim nächsten "
        "Einreichen verlangt"
    ]


def test_current_phase_removed_blocks_until_mapped_and_changes_nothing() -> None:
    data = six_phase_data()
    data["version"] = "3.0"
    rename_phase(data, "ziele_festlegen", "ziele", declare=False)
    target = load_workflow(data)
    process = run_sample(OLD, until="ziele_festlegen")
    log, state = process.log, copy.deepcopy(process.state)
    report = process.check_migration(target)
    assert report.blocked
    assert _levels(report)["blocks"] == [
        "Die aktuelle Phase „Festlegung von Zielen, die priorisiert werden müssen“ gibt es nicht "
        "mehr: Zuordnung nötig (--map ziele_festlegen=NEUE_PHASE)"
    ]
    with pytest.raises(MigrationBlocked) as info:
        process.migrate(target, reason="neu", by=RESPONSIBLE)
    assert info.value.message("en").splitlines() == [
        "Migration to version 3.0 is not possible (1 obstacle):",
        "  - the current phase “Setting goals that must be prioritised” no longer "
        "exists: a mapping is needed (--map ziele_festlegen=NEW_PHASE)",
    ]
    assert process.log == log
    assert process.state == state
    done = process.migrate(
        target, mapping={"ziele_festlegen": "ziele"}, reason="neu", by=RESPONSIBLE
    )
    assert done.mapping == (("ziele_festlegen", "ziele"),)
    assert process.phase == "ziele"
    assert process.visits[-1].phase == "ziele"
    replayed = Process.replay(target, process.log, definitions=_lookup(OLD))
    assert replayed.state == process.state


def test_visited_phase_removed_blocks() -> None:
    data = six_phase_data()
    data["version"] = "3.1"
    rename_phase(data, "analysieren", "analyse", declare=False)
    report = run_sample(OLD, until="ziele_festlegen").check_migration(load_workflow(data))
    assert _levels(report)["blocks"] == [
        "Die bereits durchlaufene Phase „Sozialraum analysieren“ gibt es nicht mehr: "
        "Zuordnung nötig (--map analysieren=NEUE_PHASE)"
    ]


def test_bad_mappings_same_version_and_other_workflow_block() -> None:
    process = run_sample(OLD, until="analysieren")
    report = process.check_migration(NEW, {"nirgends": "x", "analysieren": "fehlt"})
    assert _levels(report)["blocks"] == [
        "--map nennt die Phase 'nirgends', die es in der bisherigen Fassung nicht gibt",
        "--map analysieren=fehlt: die Phase 'fehlt' gibt es in der neuen Fassung nicht",
    ]
    assert (
        f"Der Lauf folgt bereits genau dieser Fassung (Version {OLD.version})"
        in _levels(process.check_migration(OLD))["blocks"]
    )
    other = revised_data()
    other["id"] = "anderer-workflow"
    blocks = _levels(process.check_migration(load_workflow(other)))["blocks"]
    assert (
        f"Die neue Datei ist der Workflow 'anderer-workflow', der Lauf folgt aber '{OLD.id}'"
        in blocks
    )


def test_who_may_migrate_and_the_reason() -> None:
    process = run_sample(OLD, until="analysieren")
    with pytest.raises(PermissionDenied):
        process.migrate(NEW, reason="x", by="rat")
    with pytest.raises(CommandRejected) as info:
        process.migrate(NEW, reason="  ", by=OLD.phase("analysieren").responsible)
    assert info.value.message("en") == "A migration needs a reason (--reason)."
    assert not any(isinstance(e.event, WorkflowMigrated) for e in process.log)


def test_replay_needs_the_earlier_definition_and_the_current_one() -> None:
    process = run_sample(OLD, until="analysieren")
    process.migrate(NEW, reason="x", by=OLD.phase("analysieren").responsible)
    with pytest.raises(ReplayError) as info:
        Process.replay(NEW, process.log)
    assert info.value.seq == len(process.log)
    assert "liegt nicht vor" in info.value.message("de")
    with pytest.raises(DefinitionMismatch):
        Process.replay(OLD, process.log, definitions=_lookup(OLD, NEW))


def test_a_second_migration_chains() -> None:
    process = run_sample(OLD, until="visionen_entwickeln")
    responsible = OLD.phase("visionen_entwickeln").responsible
    process.migrate(NEW, reason="erste", by=responsible)
    third = revised_data()
    third["version"] = "3.2"
    third["decisions"]["zielbeschluss"]["rule"] = "unanimous"
    del third["phases"][1]["renamed_from"]  # no longer a rename relative to 3.0
    newest = load_workflow(third)
    process.migrate(newest, reason="zweite", by=responsible)
    replayed = Process.replay(newest, process.log, definitions=_lookup(OLD, NEW))
    assert replayed.state == process.state
    assert replayed.workflow is newest


def test_removing_a_type_the_run_has_records_of_blocks() -> None:
    data = six_phase_data()
    data["version"] = "1.4"
    data["phases"][0]["artifacts"].remove("akteursliste")
    del data["artifacts"]["akteursliste"]
    data["phases"][0]["exit"] = [
        c for c in data["phases"][0]["exit"] if c.get("artifact") != "akteursliste"
    ]
    process = run_sample(OLD, until="analysieren")
    assert _levels(process.check_migration(load_workflow(data)))["blocks"] == [
        "Phase 1: Artefakt „Akteursliste / Netzwerkkarte“ entfällt, obwohl der Lauf Einträge "
        "dazu hat: behalten Sie die Art in der Datei (`akteursliste`) und nehmen Sie sie nur "
        "aus der Phase heraus – dann bleiben Dokumente und Geschichte lesbar"
    ]


def test_dropping_an_artifact_from_its_phase_keeps_documents_readable(tmp_path: Path) -> None:
    data = six_phase_data()
    data["version"] = "1.4"
    data["phases"][0]["artifacts"].remove("akteursliste")
    data["phases"][0]["exit"] = [
        c for c in data["phases"][0]["exit"] if c.get("artifact") != "akteursliste"
    ]
    target = load_workflow(data)
    service = Service.open(str(tmp_path / "store"), create=True)
    try:
        create_run(service.store, "x", run_sample(OLD, until="ziele_festlegen"))
        report = service.migration_report("x", target)
        assert not report.blocked
        assert (
            "Phase 1: das Artefakt „Akteursliste / Netzwerkkarte“ wird nicht mehr in dieser "
            "Phase erstellt: die bisherigen Einträge bleiben in der Geschichte, zählen aber "
            "nicht mehr"
        ) in _levels(report)["attention"]
        responsible = OLD.phase("ziele_festlegen").responsible
        service.migrate("x", target, reason="schlanker", by=responsible)
        assert service.load("x").process.state.latest("akteursliste") is not None
        service.render_documents("x")
        assert Path(service.render_report("x")).is_file()
        assert [row["type"] for row in service.history("x")][-1] == "workflow_migrated"
    finally:
        service.close()


def test_a_retried_migration_and_a_retried_earlier_command_apply_once(tmp_path: Path) -> None:
    service = Service.open(str(tmp_path / "store"), create=True)
    try:
        sample = run_sample(OLD, until="analysieren")
        participants = [e.type for e in sample.log].count("participant_set")
        create_run(service.store, "x", sample)
        service.set_participant(
            "x", "Anna Berger", ["sozialraumkoordination"], by="kommune", idempotency_key="p-1"
        )
        responsible = OLD.phase("analysieren").responsible
        first = service.migrate("x", NEW, reason="neu", by=responsible, idempotency_key="m-1")
        again = service.migrate("x", NEW, reason="neu", by=responsible, idempotency_key="m-1")
        assert not first.repeated
        assert again.repeated
        assert again.seq == first.seq
        assert again.value == first.value  # the report as it was when the run moved
        retried = service.set_participant(
            "x", "Anna Berger", ["sozialraumkoordination"], by="kommune", idempotency_key="p-1"
        )
        assert retried.repeated
        log = service.load("x").process.log
        assert [e.type for e in log].count("workflow_migrated") == 1
        assert [e.type for e in log].count("participant_set") == participants + 1
    finally:
        service.close()
