"""``sozialraum indicators …`` and ``sozialraum area …`` on the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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


def _started(tmp_path: Path, name: str = "Schwerte-Ost") -> Path:
    (tmp_path / "wf.yaml").write_text(
        yaml.safe_dump(DATA, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    done = _run("init", "st", "-w", "wf.yaml", "--sozialraum", name, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path


def test_record_and_show_indicators(tmp_path: Path) -> None:
    folder = _started(tmp_path)
    refused = _run(
        "indicators",
        "record",
        "--dir",
        "st",
        "--stichtag",
        "31.12.2024",
        "--value",
        "sgb2_qoute=12,5",
        "--as",
        "statistik",
        "--lang",
        "en",
        cwd=folder,
    )
    assert refused.returncode == 1
    assert "values.sgb2_qoute" in refused.stderr
    assert "Did you mean 'sgb2_quote'?" in refused.stderr
    done = _run(
        "indicators",
        "record",
        "--dir",
        "st",
        "--stichtag",
        "31.12.2024",
        "--value",
        "sgb2_quote=12,5",
        "--as",
        "statistik",
        "--source",
        "Statistik",
        "--json",
        cwd=folder,
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
    done = _run(
        "indicators",
        "record",
        "--dir",
        "st",
        "--stichtag",
        "2024-12-31",
        "--data",
        "werte.yaml",
        "--as",
        "kommune",
        cwd=folder,
    )
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


def test_bad_value_pairs_are_refused(tmp_path: Path) -> None:
    folder = _started(tmp_path)
    done = _run(
        "indicators",
        "record",
        "--dir",
        "st",
        "--stichtag",
        "31.12.2024",
        "--value",
        "engagierte",
        "--as",
        "kommune",
        "--lang",
        "en",
        cwd=folder,
    )
    assert done.returncode == 2
    assert "'engagierte' is not ID=VALUE" in done.stderr


def test_area_set_show_and_take_over(tmp_path: Path) -> None:
    folder = _started(tmp_path)
    bad = {
        "type": "Polygon",
        "coordinates": [[[7.56, 51.44], [7.6, 51.44], [7.6, 51.46], [7.5, 51.4]]],
    }
    (folder / "grenze.json").write_text(json.dumps(bad), encoding="utf-8")
    refused = _run(
        "area", "set", "--dir", "st", "--as", "kommune", "--boundary", "grenze.json", cwd=folder
    )
    assert refused.returncode == 1
    assert "boundary.coordinates[0][3]: Der Ring ist nicht geschlossen" in refused.stderr
    good = {**bad, "coordinates": [[*bad["coordinates"][0][:3], [7.56, 51.44]]]}
    (folder / "grenze.json").write_text(json.dumps(good), encoding="utf-8")
    done = _run(
        "area",
        "set",
        "--dir",
        "st",
        "--as",
        "kommune",
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
        cwd=folder,
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
    taken = _run(
        "area",
        "take-over",
        "--dir",
        "st",
        "--run",
        "lauf-2",
        "--from",
        "schwerte-ost",
        "--as",
        "kommune",
        cwd=folder,
    )
    assert taken.returncode == 0, taken.stderr
    copied = json.loads(_run("area", "show", "st", "--run", "lauf-2", "--json", cwd=folder).stdout)
    assert copied == record
