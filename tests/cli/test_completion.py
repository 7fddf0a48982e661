"""Shell completion through the installed console script and click's env-var protocol.

Each test runs ``sozialraum`` with ``_SOZIALRAUM_COMPLETE=bash_complete``,
``COMP_WORDS`` (the partial line) and ``COMP_CWORD`` (the word being completed),
as the bash script does, and reads the suggestions (``plain,<value>`` lines).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest

from sozialraumprozess.definition.loader import bundled_workflows, load_workflow

from .conftest import EXE, SIX, sozialraum


def complete(
    line: str,
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    protocol: str = "bash",
) -> list[str]:
    """The suggestions for the last word of ``line`` (a trailing space: a new word)."""
    assert EXE is not None
    words = shlex.split(line)
    cword = len(words) if line.endswith(" ") else len(words) - 1
    full = {k: v for k, v in os.environ.items() if not k.startswith("SOZIALRAUM_")}
    full.update(env or {})
    full.update(
        {
            "_SOZIALRAUM_COMPLETE": f"{protocol}_complete",
            "COMP_WORDS": line,
            # fish passes the word being completed itself, bash and zsh its index
            "COMP_CWORD": ("" if line.endswith(" ") else words[-1])
            if protocol == "fish"
            else str(cword),
        }
    )
    done = subprocess.run(
        [EXE], capture_output=True, text=True, env=full, cwd=cwd, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # never a traceback, never a warning
    lines = [line for line in done.stdout.splitlines() if line]  # none: one empty line
    if protocol != "bash":
        return lines
    assert {line.partition(",")[0] for line in lines} <= {"plain"}, done.stdout
    return [line.partition(",")[2] for line in lines]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A folder store and a SQLite store, each with two runs of the six-phase workflow."""
    root = tmp_path_factory.mktemp("completion")
    made = {"folder": str(root / "ordner"), "sqlite": f"sqlite://{root / 'runs.db'}"}
    for store in made.values():
        for name in ("Ost", "West"):
            init = ("init", "--store", store, "-w", SIX, "--sozialraum", name)
            assert sozialraum(*init).returncode == 0
    return made


def test_commands_and_options() -> None:
    """Command names and options come from click itself."""
    assert {"status", "advance", "submit", "participant"} <= set(complete("sozialraum "))
    assert complete("sozialraum sta") == ["status"]
    assert complete("sozialraum st") == ["status", "store"]
    assert "--lang" in complete("sozialraum status --")
    assert complete("sozialraum status --lang ") == ["de", "en"]


def test_workflow_ids_and_files(tmp_path: Path) -> None:
    """--workflow: the bundled ids, then workflow files and folders below the typed path."""
    (tmp_path / "mein-workflow.yaml").write_text("x", "utf-8")
    (tmp_path / "mein-workflow.scenario.yaml").write_text("x", "utf-8")
    (tmp_path / "notizen.txt").write_text("x", "utf-8")
    (tmp_path / "mappe").mkdir()
    found = complete("sozialraum init neu -w ", cwd=tmp_path)
    assert found == [*bundled_workflows(), "mappe/", "mein-workflow.yaml"]
    assert complete("sozialraum init neu -w gen", cwd=tmp_path) == [SIX]
    assert complete("sozialraum show me", cwd=tmp_path) == ["mein-workflow.yaml"]


@pytest.mark.parametrize("kind", ["folder", "sqlite"])
def test_run_ids_from_the_store_on_the_line(kind: str, stores: dict[str, str]) -> None:
    """--run: the runs of the store named by --store, --dir or [STORE]."""
    store = stores[kind]
    quoted = shlex.quote(store)
    assert complete(f"sozialraum status --store {quoted} --run ") == ["ost", "west"]
    assert complete(f"sozialraum status {quoted} --run w") == ["west"]
    assert complete(f"sozialraum advance -d {quoted} --run ") == ["ost", "west"]
    assert complete(f"sozialraum participant list --store {quoted} --run ") == ["ost", "west"]


def test_run_ids_from_the_environment_or_the_current_folder(stores: dict[str, str]) -> None:
    """Without a store on the line: SOZIALRAUM_STORE, else the current folder."""
    env = {"SOZIALRAUM_STORE": stores["sqlite"]}
    assert complete("sozialraum status --run ", env=env) == ["ost", "west"]
    assert complete("sozialraum history --run ", cwd=Path(stores["folder"])) == ["ost", "west"]


@pytest.mark.parametrize("kind", ["folder", "sqlite"])
def test_ids_of_the_runs_workflow(kind: str, stores: dict[str, str]) -> None:
    """Artifact, event, decision and role ids are those of the run's workflow."""
    wf = load_workflow(SIX)
    on = f"--store {shlex.quote(stores[kind])} --run ost"
    assert complete(f"sozialraum submit {on} ") == [a.id for a in wf.artifacts]
    assert complete(f"sozialraum approve {on} zi") == ["zielkatalog"]
    assert complete(f"sozialraum event {on} ") == [e.id for e in wf.events]
    assert complete(f"sozialraum decide {on} ") == [d.id for d in wf.decisions]
    assert "auftragsbeschluss" in complete(f"sozialraum decide {on} ")
    roles = [r.id for r in wf.roles]
    assert complete(f"sozialraum advance {on} --as ") == roles
    assert complete(f"sozialraum participant add X {on} --role ") == roles


def test_ids_of_the_workflow_named_on_the_line() -> None:
    """init --workflow W --as: the roles of W (no store needed)."""
    other = "fachtag-sozialraumorientierung"
    wf = load_workflow(other)
    assert complete(f"sozialraum init neu -w {other} --as ") == [r.id for r in wf.roles]
    assert "koss" in complete(f"sozialraum init neu -w {other} --as k")


def test_transitions_from_the_current_phase(demo_dir: Path) -> None:
    """transition: the moves out of the run's current phase."""
    status = json.loads(sozialraum("status", str(demo_dir), "--json").stdout)
    wf = load_workflow(SIX)
    expected = [t.id for t in wf.transitions_from(status["phase"]["id"])]
    assert expected  # the demo run ends where loops back exist
    assert complete(f"sozialraum transition -d {demo_dir} ") == expected


@pytest.mark.parametrize(
    "line",
    [
        "sozialraum status --store /nicht/da --run ",
        "sozialraum submit --store sqlite:///nicht/da.db ",
        "sozialraum approve --store {store} --run fehlt ",
        "sozialraum advance --store {store} --as ",  # two runs, none chosen
        "sozialraum init neu -w kaputt.yaml --as ",
        "sozialraum decide --store unbekannt://x ",
    ],
)
def test_errors_mean_no_suggestions(line: str, stores: dict[str, str], tmp_path: Path) -> None:
    """A missing store or run, an ambiguous run, a broken workflow: nothing, no traceback."""
    (tmp_path / "kaputt.yaml").write_text("id: [", "utf-8")
    assert complete(line.format(store=shlex.quote(stores["folder"])), cwd=tmp_path) == []


def test_zsh_and_fish_get_the_same_ids(stores: dict[str, str]) -> None:
    """The zsh and fish protocols carry the same ids, with the Sozialraum's name as help."""
    line = f"sozialraum status --store {shlex.quote(stores['sqlite'])} --run "
    expected = ["plain", "ost", "Ost", "plain", "west", "West"]  # type, value, help
    assert complete(line, protocol="zsh") == expected
    assert complete(line, protocol="fish") == expected


def test_the_source_scripts() -> None:
    """``_SOZIALRAUM_COMPLETE={bash,zsh,fish}_source`` prints the script to install."""
    for shell in ("bash", "zsh", "fish"):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SOZIALRAUM_", "_SOZ"))}
        env["_SOZIALRAUM_COMPLETE"] = f"{shell}_source"
        done = subprocess.run(
            [str(EXE)], capture_output=True, text=True, env=env, check=False, timeout=60
        )
        assert done.returncode == 0
        assert "_SOZIALRAUM_COMPLETE" in done.stdout
