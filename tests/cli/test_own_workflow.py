"""A run on the consultant's own workflow file keeps working after the file is edited."""

from __future__ import annotations

import json
from pathlib import Path

from sozialraumprozess.definition.loader import bundled_workflow_path, load_workflow

from .conftest import sozialraum


def test_edited_workflow_file_does_not_break_the_run(tmp_path: Path) -> None:
    """The store keeps the pinned definition; status still works after the file changed."""
    own = tmp_path / "mein-prozess.yaml"
    text = bundled_workflow_path("qualitaetsreflexion-soziale-treffpunkte").read_text("utf-8")
    own.write_text(text.replace("id: qualitaetsreflexion-soziale-treffpunkte", "id: mein-prozess"))
    store = tmp_path / "store"
    result = sozialraum("init", str(store), "--workflow", str(own), "--sozialraum", "Nord")
    assert result.returncode == 0, result.stderr

    version = load_workflow("qualitaetsreflexion-soziale-treffpunkte").version
    edited = own.read_text("utf-8").replace(f'version: "{version}"', 'version: "99.0"')
    assert "99.0" in edited
    old_title = "title: {de: Planungsworkshop, en: Planning workshop}\n    description"
    assert old_title in edited
    edited = edited.replace(
        old_title, "title: {de: Auftaktworkshop, en: Kick-off workshop}\n    description"
    )
    own.write_text(edited, "utf-8")

    status = sozialraum("status", str(store), "--json")
    assert status.returncode == 0, status.stderr
    data = json.loads(status.stdout)
    assert data["workflow"]["id"] == "mein-prozess"
    assert data["workflow"]["version"] == version
    assert data["phase"]["title"] == "Planungsworkshop"
