"""``sozialraum follow`` on every kind of store, and the CLI on a PostgreSQL store."""

from __future__ import annotations

import json
import os
import select
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import EXE, SIX, sozialraum

FIELDS = {"position", "run", "seq", "type", "time", "actor", "payload"}


def _lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(params=["folder", "sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A folder or SQLite store with two runs (made by ``init``)."""
    target = str(tmp_path / "store") if request.param == "folder" else f"sqlite://{tmp_path}/p.db"
    for name in ("Ost", "West"):
        done = sozialraum("init", "--store", target, "-w", SIX, "--sozialraum", name)
        assert done.returncode == 0, done.stderr
    return target


def test_follow_once_prints_every_event_as_a_json_line(
    url: str, data_file: Callable[[str], Path]
) -> None:
    """Every event of every run, one JSON object a line, positions 1, 2, … in write order."""
    env = {"SOZIALRAUM_STORE": url, "SOZIALRAUM_ROLE": "kommune"}
    done = sozialraum("submit", "auftrag", "--data", str(data_file("auftrag")), "--run", "ost",
                      env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = sozialraum("follow", "--once", env=env)
    assert done.returncode == 0, done.stderr
    rows = _lines(done.stdout)
    assert [row["position"] for row in rows] == [1, 2, 3]
    assert [(row["run"], row["seq"], row["type"]) for row in rows] == [
        ("ost", 1, "process_started"),
        ("west", 1, "process_started"),
        ("ost", 2, "artifact_submitted"),
    ]
    assert all(set(row) == FIELDS for row in rows)
    assert rows[2]["actor"] == {"role": "kommune", "participant": None}
    assert str(rows[2]["time"]).endswith("Z")
    resumed = sozialraum("follow", "--once", "--after", "2", "--store", url)
    assert _lines(resumed.stdout) == rows[2:]
    assert sozialraum("follow", "--once", "--after", "3", "--store", url).stdout == ""


def test_follow_refuses_a_negative_position(url: str) -> None:
    """``--after -1`` is a usage error (exit 2) that names the option."""
    done = sozialraum("follow", "--after", "-1", "--store", url, "--lang", "en")
    assert done.returncode == 2
    assert "--after" in done.stderr
    assert "Traceback" not in done.stderr


def _read_line(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    assert ready, f"no line from follow within {timeout} s"
    return process.stdout.readline()


def test_every_command_on_a_postgresql_run(
    postgres_database: str, data_file: Callable[[str], Path], tmp_path: Path
) -> None:
    """init, submit, status, history, render (into the database), report (with
    --output), portfolio and follow on a PostgreSQL store; a running follow prints an
    event another command stores, woken by NOTIFY."""
    env = {"SOZIALRAUM_STORE": postgres_database, "SOZIALRAUM_ROLE": "kommune"}

    def ok(*args: str) -> str:
        result = sozialraum(*args, env=env)
        assert result.returncode == 0, (args, result.stderr)
        return result.stdout

    answer = json.loads(ok("init", "-w", SIX, "--sozialraum", "Schwerte-Ost", "--json"))
    assert answer["run_dir"] is None
    assert "sozialraum-test" not in answer["store"]
    ok("submit", "auftrag", "--data", str(data_file("auftrag")))
    assert json.loads(ok("status", "--json"))["events"] == 2
    assert [row["seq"] for row in json.loads(ok("history", "--json"))] == [1, 2]
    rendered = json.loads(ok("render", "--format", "md", "--json"))
    assert rendered["folder"] is None
    assert rendered["documents"]
    refused = sozialraum("report", "--lang", "en", env=env)
    assert refused.returncode == 2
    assert "say where to write it with --output FILE" in refused.stderr
    report = tmp_path / "bericht.html"
    ok("report", "--output", str(report))
    assert "Schwerte-Ost" in report.read_text("utf-8")
    runs = json.loads(ok("portfolio", "--json"))["runs"]
    assert [run["run_id"] for run in runs] == ["schwerte-ost"]
    assert len(_lines(ok("follow", "--once"))) == 2

    assert EXE is not None
    full = {k: v for k, v in os.environ.items() if not k.startswith("SOZIALRAUM_")}
    follower = subprocess.Popen(
        [EXE, "follow", "--after", "1", "--poll", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**full, **env},
    )
    try:
        assert json.loads(_read_line(follower, 30))["position"] == 2
        started = time.monotonic()
        ok("participant", "add", "Stadtteilbibliothek", "--role", "kommune")
        row = json.loads(_read_line(follower, 20))
        assert (row["position"], row["type"]) == (3, "participant_set")
        assert time.monotonic() - started < 20  # woken, not the 30 s poll
    finally:
        follower.terminate()
        follower.wait(30)
        assert follower.stdout is not None
        assert follower.stderr is not None
        follower.stdout.close()
        follower.stderr.close()
