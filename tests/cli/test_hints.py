"""Every hint the CLI prints is a whole command that works pasted into another folder.

Each test runs a command of the installed console script in one folder, takes the
command it suggests, and runs that with a shell (``shell=True``) from a different
folder, with no ``SOZIALRAUM_*`` variables set: it must work, or fail only for a
reason of the process (a blocked move), never for a missing store or role. Only
the placeholders a hint leaves for what the user alone knows (``FILE``,
``YYYY-MM-DD``, ``N``) are filled in first.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest

from .conftest import sozialraum

WORKFLOW = """\
format: sozialraumprozess/v1
id: hinweise
version: "1"
title: Hinweise
roles:
  kommune: {title: Kommune}
  vg: {title: Verantwortungsgemeinschaft}
  rat: {title: Rat}
events:
  treffen: {title: Treffen, organizer: vg}
artifacts:
  plan:
    title: Plan
    owner: vg
    approved_by: rat
    fields:
      ziel: {type: text, required: true}
decisions:
  beschluss: {title: Beschluss, body: rat}
phases:
  - id: planen
    title: Planen
    responsible: kommune
    artifacts: [plan]
    events: [treffen]
    exit:
      - artifact: plan
      - approval: plan
      - event: treffen
      - decision: beschluss
  - id: ende
    title: Ende
    responsible: kommune
"""

#: Stores named relative to the folder the first command runs in.
STORES = {"folder": "mein speicher", "sqlite": "sqlite://mein speicher.db"}


def paste(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``command`` as a user pasting it would: a shell in ``cwd``, no SOZIALRAUM_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOZIALRAUM_")}
    return subprocess.run(  # noqa: S602 - a shell is the point: the hint is pasted into one
        command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def next_line(output: str) -> str:
    """The command of the ``Weiter mit: …`` line of ``output``."""
    found = [line for line in output.splitlines() if line.startswith("Weiter mit: ")]
    assert len(found) == 1, output
    return found[0].removeprefix("Weiter mit: ")


def commands_in(output: str) -> list[str]:
    """The indented command lines of ``output`` (under ``Als Nächstes`` / ``Weiter mit:``)."""
    return [line.strip() for line in output.splitlines() if line.lstrip().startswith("sozialraum ")]


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """Two folders: where the run is made, and another one to paste hints into."""
    here, elsewhere = tmp_path / "hier", tmp_path / "woanders"
    here.mkdir()
    elsewhere.mkdir()
    (here / "hinweise.yaml").write_text(WORKFLOW, "utf-8")
    (elsewhere / "plan.yaml").write_text("ziel: Mehr Treffpunkte\n", "utf-8")
    return here, elsewhere


def fill(command: str) -> str:
    """``command`` with the placeholders a user fills in replaced by values."""
    return (
        command.replace("--data FILE", "--data plan.yaml")
        .replace("YYYY-MM-DD", "2026-03-01")
        .replace("--yes N", "--yes 7")
        .replace("--no N", "--no 1")
    )


@pytest.mark.parametrize("kind", ["folder", "sqlite"])
def test_every_hint_of_a_run_works_pasted_elsewhere(kind: str, folders: tuple[Path, Path]) -> None:
    """init → status → blocked advance → the blockers' commands → advance, each step
    run as the previous one's hint, pasted into another folder."""
    here, elsewhere = folders
    store = STORES[kind]
    run = sozialraum(
        "init", "--store", store, "-w", "hinweise.yaml", "--sozialraum", "Ost", cwd=here
    )
    assert run.returncode == 0, run.stderr
    status_command = next_line(run.stdout)
    assert "--run ost" in status_command

    status = paste(status_command, elsewhere)
    assert status.returncode == 0, status.stderr
    assert "Ost" in status.stdout
    hinted = commands_in(status.stdout)
    # advance, then the open items: submit plan, event treffen, decide beschluss
    assert [shlex.split(c)[1] for c in hinted] == ["advance", "submit", "event", "decide"]
    advance = next(c for c in hinted if " advance " in c)
    assert advance.endswith("--as kommune")

    blocked = paste(advance, elsewhere)
    assert blocked.returncode == 1
    assert "kann nicht" in blocked.stderr  # the process refuses: criteria unmet
    steps = commands_in(blocked.stderr)
    assert [shlex.split(s)[1:3] for s in steps] == [
        ["submit", "plan"],
        ["approve", "plan"],
        ["event", "treffen"],
        ["decide", "beschluss"],
    ]
    assert [shlex.split(s)[-1] for s in steps] == ["vg", "rat", "vg", "rat"]
    for step in steps:
        done = paste(fill(step), elsewhere)
        assert done.returncode == 0, (step, done.stderr)
    advance_again = next_line(done.stdout)
    assert shlex.split(advance_again)[1] == "advance"

    moved = paste(advance_again, elsewhere)
    assert moved.returncode == 0, moved.stderr
    final = paste(status_command + " --json", elsewhere)
    assert json.loads(final.stdout)["phase"]["id"] == "ende"


@pytest.mark.parametrize("kind", ["folder", "sqlite"])
def test_hint_after_a_refused_role_names_the_role_that_may(
    kind: str, folders: tuple[Path, Path]
) -> None:
    """Approving as the wrong role suggests the same command as the approver."""
    here, elsewhere = folders
    store = STORES[kind]
    init = ("init", "--store", store, "-w", "hinweise.yaml", "--sozialraum", "Ost")
    assert sozialraum(*init, cwd=here).returncode == 0
    submit = ("submit", "plan", "--data", str(elsewhere / "plan.yaml"), "--as", "vg")
    assert sozialraum(*submit, "--store", store, cwd=here).returncode == 0

    refused = sozialraum("approve", "plan", "--store", store, "--as", "vg", cwd=here)
    assert refused.returncode == 1
    assert "Nicht erlaubt" in refused.stderr
    (hint,) = commands_in(refused.stderr)
    assert shlex.split(hint)[-2:] == ["--as", "rat"]
    approved = paste(hint, elsewhere)
    assert approved.returncode == 0, approved.stderr
    assert "Freigegeben" in approved.stdout


@pytest.mark.parametrize("kind", ["folder", "sqlite"])
def test_a_store_with_several_runs_suggests_one_command_per_run(
    kind: str, folders: tuple[Path, Path]
) -> None:
    """Without --run in a store of two runs: one pasteable status command per run."""
    here, elsewhere = folders
    store = STORES[kind]
    for name in ("Ost", "West"):
        init = ("init", "--store", store, "-w", "hinweise.yaml", "--sozialraum", name)
        assert sozialraum(*init, cwd=here).returncode == 0
    refused = sozialraum("status", "--store", store, cwd=here)
    assert refused.returncode == 1
    hints = commands_in(refused.stderr)
    assert [shlex.split(h)[-1] for h in hints] == ["ost", "west"]
    for hint, name in zip(hints, ("Ost", "West"), strict=True):
        shown = paste(hint, elsewhere)
        assert shown.returncode == 0, shown.stderr
        assert f"Sozialraum  {name}" in shown.stdout


def test_an_empty_store_suggests_init_on_that_store(folders: tuple[Path, Path]) -> None:
    """status on an empty store suggests init with the store named absolutely."""
    here, _ = folders
    from sozialraumprozess.app import open_store

    open_store(f"sqlite://{here / 'leer.db'}", create=True).close()
    refused = sozialraum("status", "--store", "sqlite://leer.db", "--lang", "en", cwd=here)
    assert refused.returncode == 1
    assert commands_in(refused.stderr) == [
        f"sozialraum init --workflow ID --sozialraum NAME --store sqlite://{here / 'leer.db'}"
    ]
    assert "Next:" in refused.stderr


@pytest.mark.parametrize("kind", ["folder", "sqlite"])
def test_json_next_steps_carry_argv_and_shell(kind: str, folders: tuple[Path, Path]) -> None:
    """status --json: each next step has command_line; its argv runs without a shell."""
    here, elsewhere = folders
    store = STORES[kind]
    init = ("init", "--store", store, "-w", "hinweise.yaml", "--sozialraum", "Ost", "--json")
    made = sozialraum(*init, cwd=here)
    (status_step,) = json.loads(made.stdout)["next_steps"]
    assert status_step["command"] == "status"

    data = json.loads(
        sozialraum("status", "--store", store, "--json", "--lang", "en", cwd=here).stdout
    )
    steps = data["next_steps"]
    assert [(s["command"], s["subject"], s["role"]) for s in steps] == [
        ("submit", "plan", "vg"),
        ("event", "treffen", "vg"),
        ("decide", "beschluss", "rat"),
        ("advance", None, "kommune"),
    ]
    for step in steps:
        line = step["command_line"]
        assert line["shell"] == shlex.join(line["argv"])
        assert line["argv"][0] == "sozialraum"
    advance = steps[-1]["command_line"]["argv"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOZIALRAUM_")}
    done = subprocess.run(
        advance, cwd=elsewhere, env=env, capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 1
    assert "Cannot leave" not in done.stderr  # German by default
    assert "kann nicht" in done.stderr
    status_argv = status_step["command_line"]["argv"]
    shown = subprocess.run(
        status_argv,
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr


def test_blocked_json_error_lists_next_steps(folders: tuple[Path, Path]) -> None:
    """Under --json a blocked move's error carries the commands that settle its blockers."""
    here, _ = folders
    init = ("init", "--store", "s", "-w", "hinweise.yaml", "--sozialraum", "Ost")
    assert sozialraum(*init, cwd=here).returncode == 0
    blocked = sozialraum("advance", "--store", "s", "--as", "kommune", "--json", cwd=here)
    assert blocked.returncode == 1
    error = json.loads(blocked.stderr)["error"]
    assert error["code"] == "transition-blocked"
    assert [(s["command"], s["subject"], s["role"]) for s in error["next_steps"]] == [
        ("submit", "plan", "vg"),
        ("approve", "plan", "rat"),
        ("event", "treffen", "vg"),
        ("decide", "beschluss", "rat"),
    ]
    argv = error["next_steps"][1]["command_line"]["argv"]
    assert argv == [
        "sozialraum",
        "approve",
        "plan",
        "--store",
        str(here / "s"),
        "--run",
        "ost",
        "--as",
        "rat",
    ]


def test_demo_hint_names_store_and_run(tmp_path: Path) -> None:
    """demo's closing line is a status command that works from another folder."""
    here = tmp_path / "a"
    here.mkdir()
    made = sozialraum("demo", "vorführung", "-w", "fachtag-sozialraumorientierung", cwd=here)
    assert made.returncode == 0, made.stderr
    command = next_line(made.stdout)
    assert "--store " + shlex.quote(str(here / "vorführung")) in command
    shown = paste(command, tmp_path)
    assert shown.returncode == 0, shown.stderr


def test_hint_store_makes_paths_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Relative folders and sqlite paths become absolute; other URLs stay as given."""
    from sozialraumprozess.cli.hints import hint_store

    monkeypatch.chdir(tmp_path)
    assert hint_store("s") == str(tmp_path / "s")
    assert hint_store("/abs/s") == "/abs/s"
    assert hint_store("sqlite://p.db") == f"sqlite://{tmp_path / 'p.db'}"
    assert hint_store("sqlite:///srv/p.db") == "sqlite:///srv/p.db"
    assert hint_store("file://s") == f"file://{tmp_path / 's'}"
    assert hint_store("postgresql://host/db") == "postgresql://host/db"
