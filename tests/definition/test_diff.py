"""`diff_workflows` and `sozialraum diff`: every kind of change, in German and English."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from sozialraumprozess.definition import load_workflow
from sozialraumprozess.definition.diff import WorkflowDiff, diff_workflows
from sozialraumprozess.errors import WorkflowError

BASE: dict[str, Any] = {
    "format": "sozialraumprozess/v2",
    "id": "probe",
    "version": "1",
    "title": {"de": "Probe", "en": "Probe"},
    "roles": {
        "kommune": {"title": "Kommune"},
        "rat": {"title": "Gemeinderat"},
    },
    "events": {"konferenz": {"title": "Sozialraumkonferenz"}},
    "artifacts": {
        "zielkatalog": {
            "title": "Zielkatalog",
            "owner": "kommune",
            "fields": {
                "ziele": {"type": "list", "items": {"type": "text"}, "required": True},
                "notiz": {"type": "text", "title": "Notiz"},
            },
        }
    },
    "decisions": {"zielbeschluss": {"title": "Beschluss Zielkatalog", "body": "rat"}},
    "phases": [
        {"id": "analyse", "title": "Analyse", "responsible": "kommune", "events": ["konferenz"]},
        {
            "id": "ziele",
            "title": "Ziele",
            "responsible": "kommune",
            "artifacts": ["zielkatalog"],
            "exit": [{"artifact": "zielkatalog"}, {"decision": "zielbeschluss"}],
        },
        {"id": "umsetzung", "title": "Umsetzung", "responsible": "kommune"},
    ],
}


def _diff(change: Any) -> WorkflowDiff:
    new = copy.deepcopy(BASE)
    new["version"] = "2"
    change(new)
    return diff_workflows(load_workflow(copy.deepcopy(BASE)), load_workflow(new))


def _lines(diff: WorkflowDiff, lang: str = "de") -> list[tuple[str | None, str]]:
    return [(c.phase, c.message.text(lang)) for c in diff.changes]  # type: ignore[arg-type]


def test_no_change_says_so() -> None:
    diff = _diff(lambda new: None)
    assert not diff
    assert diff.text("de").splitlines() == [
        "Änderungen an „Probe“: Version 1 → 2",
        "Keine inhaltlichen Änderungen.",
    ]


def test_new_required_artifact_with_gate_in_a_phase() -> None:
    def change(new: dict[str, Any]) -> None:
        new["artifacts"]["bericht"] = {"title": "Umsetzungsbericht", "owner": "kommune"}
        new["phases"][2]["artifacts"] = ["bericht"]
        new["phases"][2]["exit"] = [{"artifact": "bericht"}]

    assert _lines(_diff(change)) == [
        ("umsetzung", "das Artefakt „Umsetzungsbericht“ wird jetzt in dieser Phase erstellt"),
        ("umsetzung", "neues Abschlusskriterium: „Artefakt vollständig: Umsetzungsbericht“"),
        ("umsetzung", "neues Artefakt „Umsetzungsbericht“"),
    ]


def test_stricter_vote_rule_is_worded_in_both_languages() -> None:
    diff = _diff(lambda new: new["decisions"]["zielbeschluss"].update(rule="two_thirds"))
    assert _lines(diff) == [
        (
            "ziele",
            "Beschluss „Beschluss Zielkatalog“: jetzt Zweidrittelmehrheit statt einfache Mehrheit",
        )
    ]
    assert _lines(diff, "en") == [
        (
            "ziele",
            "decision “Beschluss Zielkatalog”: now two-thirds majority instead of simple majority",
        )
    ]


def test_renamed_phase_is_one_change_and_references_follow() -> None:
    def change(new: dict[str, Any]) -> None:
        new["phases"][1].update(id="zielfindung", renamed_from="ziele")

    diff = _diff(change)
    assert _lines(diff) == [("zielfindung", "Phase umbenannt: Kennung „ziele“ → „zielfindung“")]
    assert diff.changes[0].kind == "renamed"


def test_without_renamed_from_a_new_id_is_removal_plus_addition() -> None:
    diff = _diff(lambda new: new["phases"][1].update(id="zielfindung"))
    assert [(c.kind, c.area, c.subject) for c in diff.changes] == [
        ("added", "phase", "zielfindung"),
        ("removed", "phase", "ziele"),
    ]
    assert diff.text("de").splitlines()[-2:] == [
        "Entfallene Phase: Ziele",
        "  - Phase „Ziele“ entfällt",
    ]


def test_reordered_phases() -> None:
    def change(new: dict[str, Any]) -> None:
        new["phases"][0], new["phases"][1] = new["phases"][1], new["phases"][0]

    assert _lines(_diff(change)) == [
        ("ziele", "Phase „Ziele“ rückt von Stelle 2 an Stelle 1"),
        ("analyse", "Phase „Analyse“ rückt von Stelle 1 an Stelle 2"),
    ]


def test_gate_removed_and_changed() -> None:
    def change(new: dict[str, Any]) -> None:
        new["phases"][1]["exit"] = [{"artifact": "zielkatalog", "message": "Bitte einreichen"}]

    assert [c.message.text("en") for c in _diff(change).changes] == [
        "exit criterion changed: “Artifact complete: Zielkatalog” → "
        "“Artifact complete: Zielkatalog – Bitte einreichen”",
        "exit criterion removed: “Decision passed: Beschluss Zielkatalog (Gemeinderat)”",
    ]


def test_fields_added_removed_required_and_retyped() -> None:
    def change(new: dict[str, Any]) -> None:
        fields = new["artifacts"]["zielkatalog"]["fields"]
        fields["indikator"] = {"type": "text", "required": True}
        fields["quelle"] = {"type": "text"}
        fields["notiz"] = {"type": "integer", "title": "Notiz", "required": True}
        del fields["ziele"]

    assert [text for _, text in _lines(_diff(change))] == [
        "„Zielkatalog“: Feld „Notiz“ ist jetzt Pflicht",
        "„Zielkatalog“: Feld „Notiz“ hat jetzt den Typ integer (vorher text)",
        "„Zielkatalog“: neues Pflichtfeld „indikator“",
        "„Zielkatalog“: neues Feld „quelle“",
        "„Zielkatalog“: Feld „ziele“ entfällt",
    ]


def test_roles_events_decisions_transitions_added_and_removed() -> None:
    def change(new: dict[str, Any]) -> None:
        new["roles"]["traeger"] = {"title": "Träger"}
        new["events"]["werkstatt"] = {"title": "Zukunftswerkstatt"}
        new["phases"][0]["events"] = ["werkstatt"]
        del new["events"]["konferenz"]
        new["decisions"]["haushalt"] = {"title": "Haushaltsbeschluss", "body": "rat"}
        new["transitions"] = [
            {"id": "zurueck", "from": "umsetzung", "to": "analyse", "allowed": ["kommune"]}
        ]

    assert _lines(_diff(change), "en") == [
        (None, "new role “Träger”"),
        ("analyse", "the event “Zukunftswerkstatt” is now held in this phase"),
        ("analyse", "the event “Sozialraumkonferenz” is no longer held in this phase"),
        ("analyse", "new event type “Zukunftswerkstatt”"),
        ("analyse", "event type “Sozialraumkonferenz” is removed"),
        (None, "new decision “Haushaltsbeschluss”"),
        ("umsetzung", "new transition “zurueck” from “umsetzung” to “analyse”"),
    ]


def test_other_attributes_are_reported_generically() -> None:
    def change(new: dict[str, Any]) -> None:
        new["phases"][0]["duration"] = "P2M"
        new["roles"]["rat"]["title"] = "Stadtrat"
        new["phases"][2]["title"] = "Umsetzung sichern"

    assert _lines(_diff(change)) == [
        (None, "„Stadtrat“: „title“ geändert: Gemeinderat → Stadtrat"),
        ("analyse", "„duration“ geändert: — → P2M"),
        ("umsetzung", "Titel geändert: „Umsetzung“ → „Umsetzung sichern“"),
    ]


def test_text_groups_by_phase_in_new_order_and_json_for_tools() -> None:
    def change(new: dict[str, Any]) -> None:
        new["decisions"]["zielbeschluss"]["rule"] = "unanimous"
        new["roles"]["traeger"] = {"title": "Träger"}

    diff = _diff(change)
    assert diff.text("de").splitlines() == [
        "Änderungen an „Probe“: Version 1 → 2",
        "",
        "Gesamter Prozess",
        "  - neue Rolle „Träger“",
        "",
        "Phase 2: Ziele",
        "  - Beschluss „Beschluss Zielkatalog“: jetzt Einstimmigkeit statt einfache Mehrheit",
    ]
    data = diff.to_dict("en")
    assert data["old"]["version"] == "1"
    assert data["new"]["version"] == "2"
    assert data["old"]["hash"].startswith("sha256:")
    assert data["old"]["hash"] != data["new"]["hash"]
    assert [g["phase"] for g in data["groups"]] == [None, "ziele"]
    assert data["groups"][1]["changes"][0] == {
        "kind": "changed",
        "area": "decision",
        "subject": "zielbeschluss",
        "phase": "ziele",
        "text": "decision “Beschluss Zielkatalog”: now unanimity instead of simple majority",
    }


def _write(path: Path, data: dict[str, Any]) -> str:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


def test_renamed_from_is_a_v2_key(tmp_path: Path) -> None:
    v1 = copy.deepcopy(BASE)
    v1["format"] = "sozialraumprozess/v1"
    v1["phases"][1]["renamed_from"] = "alt"
    with pytest.raises(WorkflowError) as info:
        load_workflow(_write(tmp_path / "v1.yaml", v1), lang="en")
    (issue,) = info.value.issues
    assert issue.code == "needs-newer-format"
    assert issue.path == "phases[1].renamed_from"
    assert issue.line is not None
    assert issue.message("en").startswith("`renamed_from` exists only in format")


def test_renamed_from_naming_a_present_phase_is_positioned(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["phases"][2]["renamed_from"] = "analyse"
    with pytest.raises(WorkflowError) as info:
        load_workflow(_write(tmp_path / "w.yaml", data), lang="de")
    (issue,) = info.value.issues
    assert issue.code == "renamed-from-exists"
    assert issue.path == "phases[2].renamed_from"
    assert issue.message("de") == (
        "`renamed_from: analyse` nennt eine Phase, die es in dieser Datei noch gibt"
    )


def test_bundled_workflows_against_themselves_have_no_changes() -> None:
    from sozialraumprozess.definition import bundled_workflows

    for workflow_id in bundled_workflows():
        workflow = load_workflow(workflow_id)
        assert not diff_workflows(workflow, workflow)
