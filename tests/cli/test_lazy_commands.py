"""The top-level group imports a command's module when the command is looked up.

``sozialraum status`` imports ``read_cmds`` only; ``--help``, completion and the
reference generator still see every command (``LazyGroup.commands``).
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import click
import pytest

from sozialraumprozess.cli import app

PROBE = """
import json, sys
sys.argv = ["sozialraum", *sys.argv[1:]]
from sozialraumprozess.cli import main
try:
    main()
except SystemExit:
    pass
loaded = sorted(m.rsplit(".", 1)[1] for m in sys.modules
    if m.startswith("sozialraumprozess.cli.") and m.endswith("_cmds"))
print(json.dumps([loaded, "sozialraumprozess.errors" in sys.modules]), file=sys.stderr)
"""


def _loaded(*args: str) -> tuple[list[str], bool, str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60
    )
    *_, last = done.stderr.strip().splitlines()
    modules, errors = json.loads(last)
    return modules, errors, done.stdout


def test_the_index_names_every_command_and_its_module() -> None:
    """Every command of every module is in the index under its own module, and the
    index names no command that does not exist."""
    expected = {}
    for module in app._MODULES:
        for command in importlib.import_module(f"sozialraumprozess.cli.{module}").COMMANDS:
            expected[command.name] = module
    assert expected == app._COMMAND_MODULES


@pytest.mark.parametrize(
    ("args", "modules"),
    [
        (["status", "--help"], ["read_cmds"]),
        (["init", "--help"], ["run_cmds"]),
        (["item", "create", "--help"], ["item_cmds", "run_cmds"]),  # item_cmds uses run_cmds
        (["store", "upgrade", "--help"], ["store_cmds"]),
    ],
)
def test_a_command_imports_its_own_module_only(args: list[str], modules: list[str]) -> None:
    """Running a command (here its --help) imports its module and not the others', nor
    the errors (a --help is no error)."""
    loaded, errors, out = _loaded(*args)
    assert loaded == modules
    assert not errors
    assert "--lang" in out


def test_help_of_the_group_lists_every_command() -> None:
    """The group's --help imports every module and lists every command."""
    loaded, _, out = _loaded("--help")
    assert loaded == sorted(app._MODULES)
    for name in app._COMMAND_MODULES:
        assert f"\n  {name} " in out, name


def test_an_unknown_command_is_a_usage_error_after_looking_everywhere() -> None:
    """A name outside the index makes the group look in every module, then refuse
    with click's usage error (and its suggestion)."""
    from .conftest import sozialraum

    done = sozialraum("statsu", "--lang", "en")
    assert done.returncode == 2
    assert "No such command 'statsu'" in done.stderr
    assert "status" in done.stderr
    loaded, _, _ = _loaded("statsu")
    assert loaded == sorted(app._MODULES)


def test_a_command_missing_from_the_index_is_still_found() -> None:
    """A command registered by a module outside the index (or added later) is found:
    the group then imports every module."""
    group = app.LazyGroup(name="probe")
    extra = click.Command("extra", callback=lambda: None)
    group.add_command(extra)
    ctx = click.Context(group)
    assert group.get_command(ctx, "extra") is extra
    assert group.get_command(ctx, "status") is not None  # from the index
    assert group.get_command(ctx, "nothing-like-this") is None
    assert "extra" in group.list_commands(ctx)
    assert set(app._COMMAND_MODULES) <= set(group.list_commands(ctx))
