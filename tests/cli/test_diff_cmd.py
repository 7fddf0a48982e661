"""`sozialraum diff` through the installed console script."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from tests.definition.test_diff import BASE, _write

from .conftest import sozialraum


def test_cli_diff_text_and_json(tmp_path: Path) -> None:
    new = copy.deepcopy(BASE)
    new["version"] = "2"
    new["phases"][1].update(id="zielfindung", renamed_from="ziele")
    old_file, new_file = _write(tmp_path / "old.yaml", BASE), _write(tmp_path / "new.yaml", new)
    result = sozialraum("diff", old_file, new_file, "--lang", "en")
    assert result.returncode == 0, result.stdout
    assert "Phase 2: Ziele\n  - phase renamed: id “ziele” → “zielfindung”" in result.stdout
    result = sozialraum("diff", old_file, new_file, "--json")
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["groups"][0]["changes"][0]["kind"] == "renamed"


def test_cli_diff_of_a_broken_file_is_a_positioned_error(tmp_path: Path) -> None:
    broken = copy.deepcopy(BASE)
    broken["phases"][1]["renamed_from"] = "analyse"
    old_file, new_file = _write(tmp_path / "old.yaml", BASE), _write(tmp_path / "new.yaml", broken)
    result = sozialraum("diff", old_file, new_file, "--lang", "en")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "new.yaml:" in result.stderr
    assert "renamed_from: analyse` names a phase that still exists in this file" in result.stderr
