"""The main flow through the installed console script: init → submit → blocked advance
→ decide → … → advance; refused commands exit 1 and store nothing; usage errors exit 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import SIX, log_bytes, sozialraum


class TestInit:
    def test_init_creates_store_and_run_named_by_slug(self, tmp_path: Path) -> None:
        """init creates the folder store; the run id is the slug of the Sozialraum's name."""
        root = tmp_path / "neu"
        result = sozialraum(
            "init", str(root), "-w", SIX, "--sozialraum", "Hörde-Süd (Test)", "--json"
        )
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["run_id"] == "hoerde-sued-test"
        assert data["phase"] == "identifizieren"
        assert (root / "sozialraumprozess-store.json").is_file()
        assert (root / "runs" / "hoerde-sued-test" / "events.jsonl").is_file()

    def test_init_on_a_workflow_file_remembers_it(
        self, tmp_path: Path, six_phase_path: Path
    ) -> None:
        """A run on a workflow file finds that file again in later commands."""
        own = tmp_path / "mein-workflow.yaml"
        own.write_bytes(six_phase_path.read_bytes())
        root = tmp_path / "s"
        assert sozialraum("init", str(root), "-w", str(own), "--sozialraum", "A").returncode == 0
        status = sozialraum("status", str(root), "--json")
        assert status.returncode == 0, status.stderr
        assert json.loads(status.stdout)["workflow"]["id"] == SIX

    def test_unknown_workflow_exit_1_with_hint(self, tmp_path: Path) -> None:
        """An unknown workflow id is refused with a hint, no traceback, no store."""
        result = sozialraum(
            "init", str(tmp_path / "x"), "-w", "generationengerechte", "--sozialraum", "A"
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert SIX in result.stderr
        assert not (tmp_path / "x").exists()


def test_main_flow(store: Path, data_file: Callable[[str], Path]) -> None:
    """A whole first phase from the terminal, ending in the second phase."""
    d = ("--dir", str(store))
    ok = sozialraum("submit", "auftrag", "--data", str(data_file("auftrag")), *d, "--as", "kommune")
    assert ok.returncode == 0, ok.stderr
    assert "Version 1" in ok.stdout

    blocked = sozialraum("advance", *d, "--as", "kommune")
    assert blocked.returncode == 1
    lines = blocked.stderr.splitlines()
    assert lines[0].startswith("Fehler: Phase 'identifizieren' kann nicht")
    assert lines[1:6] == [
        "  - Beschluss 'Politischer Auftrag zur Sozialraumentwicklung' fehlt [rat]",
        "  - Artefakt 'Sozialraumabgrenzung' fehlt [sozialraumkoordination]",
        "  - Artefakt 'Sozialraumabgrenzung' ist nicht freigegeben (Freigabe durch Kommune)"
        " [kommune]",
        "  - Artefakt 'Akteursliste / Netzwerkkarte' fehlt [sozialraumkoordination]",
        "  - Veranstaltung 'Multiplikatorenveranstaltung' nicht abgehalten [kommune]",
    ]
    assert lines[6] == "Weiter mit:"  # then the commands that settle them (tests/cli/test_hints.py)
    assert len(lines) == 7 + 5

    decided = sozialraum(
        "decide",
        "auftragsbeschluss",
        "--date",
        "2025-01-28",
        "--yes",
        "31",
        "--no",
        "4",
        "--abstain",
        "2",
        *d,
        "--as",
        "rat",
    )
    assert decided.returncode == 0, decided.stderr
    assert "angenommen" in decided.stdout

    # a participant acts by name; SOZIALRAUM_ROLE and SOZIALRAUM_DIR work as well
    env = {"SOZIALRAUM_DIR": str(store)}
    added = sozialraum(
        "participant",
        "add",
        "Anna Berger",
        "--role",
        "sozialraumkoordination",
        "--kind",
        "person",
        env={**env, "SOZIALRAUM_ROLE": "kommune"},
    )
    assert added.returncode == 0, added.stderr
    anna = {**env, "SOZIALRAUM_ROLE": "Anna Berger"}
    for artifact in ("sozialraumabgrenzung", "akteursliste", "protokoll"):
        text = data_file(artifact).read_text("utf-8")
        result = sozialraum("submit", artifact, "--data", "-", input=text, env=anna)
        assert result.returncode == 0, (artifact, result.stderr)
    approved = sozialraum("approve", "sozialraumabgrenzung", *d, "--as", "kommune")
    assert approved.returncode == 0, approved.stderr
    held = sozialraum(
        "event",
        "multiplikatorenveranstaltung",
        "--date",
        "2025-03-04",
        "--participants",
        "27",
        "--protocol",
        "latest",
        *d,
        "--as",
        "kommune",
    )
    assert held.returncode == 0, held.stderr

    status = json.loads(sozialraum("status", str(store), "--json").stdout)
    assert status["blockers"] == []
    assert status["can_advance"] is True
    assert status["advance_by"] == ["kommune"]

    moved = sozialraum("advance", *d, "--as", "kommune", "--json")
    assert moved.returncode == 0, moved.stderr
    answer = json.loads(moved.stdout)
    assert answer["phase"] == "analysieren"
    assert answer["event"]["type"] == "phase_advanced"

    history = json.loads(sozialraum("history", str(store), "--json").stdout)
    assert [e["type"] for e in history][-1] == "phase_advanced"
    assert history[-1]["seq"] == len(history) == 10
    assert any(e["who"] == "Anna Berger (sozialraumkoordination)" for e in history)


class TestRefusedCommandsStoreNothing:
    @pytest.mark.parametrize(
        ("args", "expected"),
        [
            (("advance", "--as", "kommune"), "Abschlusskriterien nicht erfüllt"),
            (("approve", "sozialraumabgrenzung", "--as", "rat"), "Nicht erlaubt"),
            (("submit", "auftrag", "--data", "DATA", "--as", "rat"), "Nicht erlaubt"),
            (
                ("submit", "zielkatalog", "--data", "DATA", "--as", "verantwortungsgemeinschaft"),
                "gehört nicht zur Phase",
            ),
            (("submit", "auftragg", "--data", "DATA", "--as", "kommune"), "auftrag"),
            (
                ("event", "workshop", "--date", "2025-01-01", "--as", "sozialraumkoordination"),
                "gehört nicht zur Phase",
            ),
            (
                (
                    "decide",
                    "auftragsbeschluss",
                    "--date",
                    "28/01/2025",  # 28.01.2025 is a date (German form) now
                    "--yes",
                    "3",
                    "--no",
                    "1",
                    "--as",
                    "rat",
                ),
                "Ungültige Daten",
            ),
            (
                ("transition", "ziele_ueberarbeiten", "--as", "verantwortungsgemeinschaft"),
                "nicht möglich",
            ),
            (("advance", "--as", "niemand"), "niemand"),
        ],
    )
    def test_refused_exit_1_and_log_unchanged(
        self, store: Path, data_file: Callable[[str], Path], args: tuple[str, ...], expected: str
    ) -> None:
        """Blocked, not permitted, not in phase, unknown names, invalid data: exit 1."""
        before = log_bytes(store)
        args = tuple(str(data_file("auftrag")) if a == "DATA" else a for a in args)
        result = sozialraum(*args, "--dir", str(store))
        assert result.returncode == 1, result.stdout + result.stderr
        assert expected in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
        assert log_bytes(store) == before

    def test_invalid_field_data_names_the_field(self, store: Path, tmp_path: Path) -> None:
        """Data that does not fit the artifact's fields: every bad field by path."""
        bad = tmp_path / "bad.json"
        bad.write_text('{"titel": 5, "stellenanteile": [{"prozent": 150}]}', "utf-8")
        before = log_bytes(store)
        result = sozialraum(
            "submit", "auftrag", "--data", str(bad), "-d", str(store), "--as", "kommune"
        )
        assert result.returncode == 1
        assert "titel" in result.stderr
        assert "stellenanteile[0].prozent" in result.stderr
        assert log_bytes(store) == before

    def test_bad_yaml_names_file_and_line(self, store: Path, tmp_path: Path) -> None:
        """Broken YAML in --data: FILE:LINE:COL message, no traceback, nothing stored."""
        bad = tmp_path / "kaputt.yaml"
        bad.write_text("titel: Auftrag\nauftraggeber: [Rat\n", "utf-8")
        before = log_bytes(store)
        result = sozialraum(
            "submit", "auftrag", "--data", str(bad), "-d", str(store), "--as", "kommune"
        )
        assert result.returncode == 1
        assert f"{bad}:3:" in result.stderr or f"{bad}:2:" in result.stderr
        assert "Traceback" not in result.stderr
        assert log_bytes(store) == before

    def test_data_that_is_not_a_mapping(self, store: Path) -> None:
        """A list instead of fields is refused."""
        result = sozialraum(
            "submit",
            "auftrag",
            "--data",
            "-",
            "-d",
            str(store),
            "--as",
            "kommune",
            input="- a\n- b\n",
        )
        assert result.returncode == 1
        assert "erwartet werden Felder" in result.stderr


class TestUsageErrors:
    @pytest.mark.parametrize(
        ("args", "expected"),
        [
            (("advance",), "--as"),
            (("submit", "auftrag", "--data", "fehlt.yaml", "--as", "kommune"), "fehlt.yaml"),
            (("decide", "auftragsbeschluss", "--date", "2025-01-01", "--as", "rat"), "--yes"),
            (
                (
                    "decide",
                    "auftragsbeschluss",
                    "--date",
                    "2025-01-01",
                    "--yes",
                    "1",
                    "--no",
                    "1",
                    "--consensus",
                    "--as",
                    "rat",
                ),
                "--consensus",
            ),
            (
                ("event", "workshop", "--date", "2025-01-01", "--protocol", "neu", "--as", "x"),
                "--protocol",
            ),
            (("advance", "--as", "kommune", "--frobnicate"), "--frobnicate"),
            (("participant", "add", "X", "--as", "kommune"), "--role"),
        ],
    )
    def test_usage_error_exit_2(self, store: Path, args: tuple[str, ...], expected: str) -> None:
        """Missing --as, missing files, contradictory options: exit 2, nothing stored."""
        before = log_bytes(store)
        result = sozialraum(*args, "--dir", str(store))
        assert result.returncode == 2, result.stderr
        assert expected in result.stderr
        assert "Traceback" not in result.stderr
        assert log_bytes(store) == before

    def test_missing_as_says_how(self, store: Path) -> None:
        """Without --as the message names both ways to say who acts."""
        result = sozialraum("advance", "-d", str(store), "--lang", "en")
        assert result.returncode == 2
        assert "--as ROLE" in result.stderr
        assert "SOZIALRAUM_ROLE" in result.stderr


class TestFindingTheRun:
    def test_not_a_store(self, tmp_path: Path) -> None:
        """A folder that is no store: exit 1 with a message."""
        (tmp_path / "notiz.txt").write_text("x", "utf-8")
        result = sozialraum("status", str(tmp_path))
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert str(tmp_path) in result.stderr

    def test_missing_folder(self, tmp_path: Path) -> None:
        """A folder that does not exist: exit 1, nothing created."""
        result = sozialraum("status", str(tmp_path / "nichts"))
        assert result.returncode == 1
        assert not (tmp_path / "nichts").exists()

    def test_several_runs_need_run(self, store: Path) -> None:
        """With two runs, a command without --run lists them; --run picks one."""
        second = sozialraum("init", str(store), "-w", SIX, "--sozialraum", "Westend")
        assert second.returncode == 0, second.stderr
        result = sozialraum("status", str(store))
        assert result.returncode == 1
        assert "schwerte-ost" in result.stderr
        assert "westend" in result.stderr
        picked = sozialraum("status", str(store), "--run", "westend", "--json")
        assert json.loads(picked.stdout)["sozialraum"] == "Westend"
        unknown = sozialraum("status", str(store), "--run", "ostend")
        assert unknown.returncode == 1
        assert "ostend" in unknown.stderr

    def test_existing_run_id_is_refused(self, store: Path) -> None:
        """init with a run id that exists: exit 1, the old run untouched."""
        before = log_bytes(store)
        result = sozialraum("init", str(store), "-w", SIX, "--sozialraum", "Schwerte-Ost")
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert log_bytes(store) == before


def test_status_text_shows_blockers_owner_and_next(store: Path) -> None:
    """Plain status (piped): phase with id, cycle, deadline, blockers with role, what next."""
    result = sozialraum("status", str(store))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Phase       1/6 Sozialraum identifizieren [identifizieren]" in out
    assert "Zyklus      1" in out
    assert "Frist" in out
    assert "Artefakt 'Auftrag / Projektsteckbrief' fehlt" in out
    assert "Rat / Fachausschuss" in out
    assert "Weiter: blockiert (6 Kriterien offen; darf: Kommune)" in out
    assert "\x1b[" not in out  # no terminal colours when piped
    english = sozialraum("status", str(store), "--lang", "en").stdout
    assert "Cycle" in english
    assert "advance: blocked" in english
