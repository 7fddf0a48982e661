"""The docs: generated pages are current, and every Python and shell block runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sozialraumprozess._docgen import generated_pages

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
BLOCK = re.compile(r"^```(python|sh)\n(.*?)^```", re.S | re.M)


@pytest.mark.parametrize("relative", sorted(generated_pages()))
def test_generated_page_is_current(relative: str) -> None:
    """Reference and workflow pages equal what the code generates."""
    path = DOCS / relative
    assert path.is_file(), f"missing {relative}: run python -m sozialraumprozess._docgen docs"
    assert path.read_text("utf-8") == generated_pages()[relative], (
        f"{relative} is out of date: run python -m sozialraumprozess._docgen docs"
    )


def test_every_page_is_in_the_navigation() -> None:
    """mkdocs.yml lists every page (strict builds fail on orphans anyway)."""
    nav = (DOCS.parent / "mkdocs.yml").read_text("utf-8")
    assert [p for p in PAGES if p not in nav] == []


@pytest.mark.slow  # runs every code block of the docs: not in the quick suite
@pytest.mark.parametrize(
    "relative", [p for p in PAGES if BLOCK.search((DOCS / p).read_text("utf-8"))]
)
def test_code_blocks_run(relative: str, tmp_path: Path) -> None:
    """Python and shell blocks of a page run in order, in one fresh folder."""
    assert shutil.which("sozialraum"), "the console script must be installed (pip install -e .)"
    text = (DOCS / relative).read_text("utf-8")
    namespace: dict[str, object] = {"__name__": "__docs__"}
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for number, (language, code) in enumerate(BLOCK.findall(text), 1):
            where = f"{relative}, block {number}"
            if language == "python":
                exec(compile(code, where, "exec"), namespace)  # noqa: S102 - our own docs
            else:
                result = subprocess.run(
                    ["bash", "-euo", "pipefail", "-c", code],
                    cwd=tmp_path,
                    capture_output=True,
                    text=True,
                    timeout=300,
                    check=False,
                    env={**os.environ, "PYTHON": sys.executable},
                )
                assert result.returncode == 0, (
                    f"{where} failed ({result.returncode}):\n{code}\n"
                    f"--- stdout\n{result.stdout[-3000:]}\n--- stderr\n{result.stderr[-3000:]}"
                )
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("relative", ["tutorials/first-process.md", "tutorials/schnellstart.md"])
def test_tutorials_say_how_to_install_from_a_checkout(relative: str) -> None:
    """Until the package is on PyPI, a reader installs it from a checkout (issue 14 §7)."""
    text = (DOCS / relative).read_text("utf-8")
    assert "git clone https://github.com/sozialraumprozess/sozialraumprozess.git" in text
    assert "python3 -m pip install .\n" in text
    assert "Checkout" in text or "checkout" in text
