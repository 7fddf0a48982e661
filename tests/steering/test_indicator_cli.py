"""``sozialraum indicators …`` and ``sozialraum area …`` on the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from tests.steering.indicator_workflow import DATA


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOZIALRAUM_")}
    return subprocess.run(
        [sys.executable, "-m", "sozialraumprozess", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=cwd,
        env=env,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with the workflow ``wf.yaml`` and the store ``st`` holding the run
    ``schwerte-ost`` of it."""
    (tmp_path / "wf.yaml").write_text(
        yaml.safe_dump(DATA, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    done = _run("init", "st", "-w", "wf.yaml", "--sozialraum", "Schwerte-Ost", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path


def _change(folder: Path, *args: str, role: str) -> subprocess.CompletedProcess[str]:
    """The state-changing command ``args`` on the store ``st``, ``--as role``."""
    return _run(*args, "--dir", "st", "--as", role, cwd=folder)


def _record(folder: Path, stichtag: str, *args: str, role: str) -> subprocess.CompletedProcess[str]:
    """``indicators record --stichtag stichtag *args`` on the store ``st``, ``--as role``."""
    return _change(folder, "indicators", "record", "--stichtag", stichtag, *args, role=role)


def test_record_and_show_indicators(folder: Path) -> None:
    refused = _record(
        folder, "31.12.2024", "--value", "sgb2_qoute=12,5", "--lang", "en", role="statistik"
    )
    assert refused.returncode == 1
    assert "values.sgb2_qoute" in refused.stderr
    assert "Did you mean 'sgb2_quote'?" in refused.stderr
    done = _record(
        folder,
        "31.12.2024",
        "--value",
        "sgb2_quote=12,5",
        "--source",
        "Statistik",
        "--json",
        role="statistik",
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["event"]["type"] == "indicator_values_recorded"
    assert answer["event"]["payload"] == {
        "stichtag": "2024-12-31",
        "values": {"sgb2_quote": 12.5},
        "source": "Statistik",
    }
    (folder / "werte.yaml").write_text("engagierte: 30\n", encoding="utf-8")
    done = _record(folder, "2024-12-31", "--data", "werte.yaml", role="kommune")
    assert done.returncode == 0, done.stderr
    assert "1 Indikatorwert zum Stichtag 2024-12-31 erfasst." in done.stdout
    shown = json.loads(_run("indicators", "show", "st", "--json", cwd=folder).stdout)
    assert [row["value"] for row in shown["rows"]] == [12.5, 30]
    assert shown["rows"][0]["reference_trend"] == "worse"
    table = _run("indicators", "show", "st", "--lang", "en", cwd=folder).stdout
    assert "SGB II rate" in table
    assert "city average: 9.1 % (worse)" in table
    history = _run("history", "st", "--lang", "en", cwd=folder).stdout
    assert "1 indicator value for the reference date 2024-12-31" in history


def test_bad_value_pairs_are_refused(folder: Path) -> None:
    done = _record(folder, "31.12.2024", "--value", "engagierte", "--lang", "en", role="kommune")
    assert done.returncode == 2
    assert "'engagierte' is not ID=VALUE" in done.stderr


def test_area_set_show_and_take_over(folder: Path) -> None:
    bad = {
        "type": "Polygon",
        "coordinates": [[[7.56, 51.44], [7.6, 51.44], [7.6, 51.46], [7.5, 51.4]]],
    }
    (folder / "grenze.json").write_text(json.dumps(bad), encoding="utf-8")
    refused = _change(folder, "area", "set", "--boundary", "grenze.json", role="kommune")
    assert refused.returncode == 1
    assert "boundary.coordinates[0][3]: Der Ring ist nicht geschlossen" in refused.stderr
    good = {**bad, "coordinates": [[*bad["coordinates"][0][:3], [7.56, 51.44]]]}
    (folder / "grenze.json").write_text(json.dumps(good), encoding="utf-8")
    done = _change(
        folder,
        "area",
        "set",
        "--boundary",
        "grenze.json",
        "--area",
        "Bezirk 31",
        "--key",
        "einwohner=6180",
        "--key",
        "flaeche_km2=2,4",
        "--id",
        "so-1",
        "--json",
        role="kommune",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["event"]["type"] == "sozialraum_recorded"
    record = json.loads(_run("area", "show", "st", "--json", cwd=folder).stdout)
    assert record["id"] == "so-1"
    assert record["key_data"] == {"einwohner": 6180, "flaeche_km2": 2.4}
    assert record["boundary"] == good
    text = _run("area", "show", "st", "--lang", "en", cwd=folder).stdout
    assert "recorded (GeoJSON)" in text
    again = _run(
        "init", "st", "-w", "wf.yaml", "--sozialraum", "Neu", "--run", "lauf-2", cwd=folder
    )
    assert again.returncode == 0, again.stderr
    taken = _change(
        folder, "area", "take-over", "--run", "lauf-2", "--from", "schwerte-ost", role="kommune"
    )
    assert taken.returncode == 0, taken.stderr
    copied = json.loads(_run("area", "show", "st", "--run", "lauf-2", "--json", cwd=folder).stdout)
    assert copied == record
