"""The console script at its edges: usage errors exit 2 with the hint in the language
asked for, an empty data file is refused and stores nothing, an empty participant list,
and a workflow without source or durations shown to its end."""

from __future__ import annotations

import json
from pathlib import Path

from ..definition.conftest import MINI
from .conftest import SIX, log_bytes, sozialraum


def test_init_without_a_store_is_a_usage_error_in_both_languages(tmp_path: Path) -> None:
    args = ("init", "-w", SIX, "--sozialraum", "X")
    german = sozialraum(*args, cwd=tmp_path)
    assert german.returncode == 2
    assert german.stderr.endswith(
        "Fehler: Wo soll der Prozess gespeichert werden? Einen Ordner STORE oder --store URL "
        "angeben (oder SOZIALRAUM_STORE setzen).\n"
    )
    english = sozialraum(*args, "--lang=en", cwd=tmp_path)
    assert english.returncode == 2
    assert "Try 'sozialraum init -h' for help." in english.stderr
    assert english.stderr.endswith(
        "Error: Where should the run be stored? Give a folder STORE or --store URL "
        "(or set SOZIALRAUM_STORE).\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_an_empty_data_file_is_refused_and_stores_nothing(store: Path, tmp_path: Path) -> None:
    empty = tmp_path / "leer.yaml"
    empty.write_text("  \n", "utf-8")
    before = log_bytes(store)
    args = ("submit", "auftrag", "--data", str(empty), "--dir", str(store), "--as", "kommune")
    result = sozialraum(*args, "--lang", "en")
    assert result.returncode == 1
    assert result.stderr == f"Error: {empty}: no data\n"
    assert "Traceback" not in result.stderr
    assert log_bytes(store) == before


def test_a_run_without_participants(store: Path) -> None:
    english = sozialraum("participant", "list", str(store), "--lang", "en")
    assert (english.returncode, english.stdout) == (0, "No participants yet.\n")
    german = sozialraum("participant", "list", str(store))
    assert (german.returncode, german.stdout) == (0, "Noch keine Beteiligten.\n")
    as_json = sozialraum("participant", "list", str(store), "--json")
    assert json.loads(as_json.stdout) == []


def test_show_a_workflow_without_source_or_durations(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(MINI, "utf-8")
    result = sozialraum("show", str(path), "--lang", "en")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == ["Mini (mini, Version 1)", "", "Phases"]
    assert lines[3] == "1. Analyse [analysieren] – responsible: Kommune"
    assert lines[5] == "   → ziele"
    assert lines[6] == "2. Ziele [ziele] – responsible: Verantwortungsgemeinschaft"
    assert lines[13] == "   → end"
    assert not any(line.startswith("Source:") for line in lines)
