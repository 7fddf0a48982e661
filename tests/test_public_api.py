"""The package's public API: a sorted, complete ``__all__`` whose names all resolve."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import sozialraumprozess


def _isort_key(name: str) -> tuple[int, str]:
    """ruff's RUF022 order: CONSTANTS, then CamelCase classes, then functions."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[0].isupper() else (2, name)


def test_all_is_sorted_and_unique() -> None:
    """``__all__`` is sorted the way ruff sorts it and has no duplicates."""
    names = list(sozialraumprozess.__all__)
    assert names == sorted(names, key=_isort_key)
    assert len(names) == len(set(names))


def test_every_name_resolves() -> None:
    """Each exported name is importable from the package root."""
    for name in sozialraumprozess.__all__:
        assert getattr(sozialraumprozess, name) is not None, name


def test_core_names_are_exported() -> None:
    """The names the README and the docs use are public."""
    expected = {
        "load_workflow",
        "Workflow",
        "WorkflowError",
        "Process",
        "Blocker",
        "PermissionDenied",
        "TransitionBlocked",
        "FolderStore",
        "SqliteStore",
        "create_run",
        "open_run",
        "ConflictError",
        "DocumentRenderer",
        "SozialraumprozessError",
        "UnknownNameError",
    }
    assert expected <= set(sozialraumprozess.__all__)


def test_errors_share_one_base() -> None:
    """Every exported exception derives from SozialraumprozessError."""
    for name in sozialraumprozess.__all__:
        obj = getattr(sozialraumprozess, name)
        if isinstance(obj, type) and issubclass(obj, BaseException):
            assert issubclass(obj, sozialraumprozess.SozialraumprozessError), name


def test_unknown_attribute_is_an_attribute_error() -> None:
    """A misspelt name fails like any module attribute."""
    result = subprocess.run(
        [sys.executable, "-c", "import sozialraumprozess as s; s.load_workflw"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "AttributeError" in result.stderr
    assert "load_workflw" in result.stderr


def test_public_names_are_written_once_in_the_export_table(tmp_path: Path) -> None:
    """``__all__`` is read from the ``TYPE_CHECKING`` block; a plain import there is refused."""
    from sozialraumprozess._lazy import lazy_package

    good = tmp_path / "good.py"
    good.write_text(
        "if TYPE_CHECKING:\n    from pkg.mod import Thing as Thing, make as make, X as X\n",
        encoding="utf-8",
    )
    names, _, _ = lazy_package("good", str(good))
    assert names == ["X", "Thing", "make"]
    bad = tmp_path / "bad.py"
    bad.write_text("if TYPE_CHECKING:\n    from pkg.mod import Thing\n", encoding="utf-8")
    with pytest.raises(ImportError, match=r"from pkg\.mod import Thing as Thing"):
        lazy_package("bad", str(bad))
