"""Code that a docs page includes from a repository file is filled in by the docs
generator (``<!-- include: path#region -->``), so the page cannot drift from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sozialraumprozess._docgen import fill_includes, generated_pages, included_code

SOURCE = '''"""A module."""

# --8<-- [start:hello]
def hello() -> str:
    return "hallo"


# --8<-- [end:hello]
X = 1
'''


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(SOURCE, "utf-8")
    return tmp_path


def test_a_region_without_its_markers(root: Path) -> None:
    assert included_code(root, "pkg/mod.py", "hello") == (
        'def hello() -> str:\n    return "hallo"\n'
    )


def test_a_whole_file_without_the_marker_lines(root: Path) -> None:
    code = included_code(root, "pkg/mod.py", None)
    assert "--8<--" not in code
    assert code.startswith('"""A module."""')
    assert code.endswith("X = 1\n")


def test_a_missing_region_is_an_error_naming_file_and_region(root: Path) -> None:
    with pytest.raises(ValueError, match=r"pkg/mod.py has no region 'bye'"):
        included_code(root, "pkg/mod.py", "bye")


def test_a_stale_block_is_replaced_and_filling_again_changes_nothing(root: Path) -> None:
    page = (
        "Intro\n\n<!-- include: pkg/mod.py#hello -->\n"
        '```py title="pkg/mod.py"\ndef hello(): return "old"\n```\n\nAfter\n'
        "<!-- include: pkg/mod.py#hello -->\n\nEnd\n"
    )
    filled = fill_includes(page, root)
    block = '```py title="pkg/mod.py"\ndef hello() -> str:\n    return "hallo"\n```\n'
    assert filled == (
        f"Intro\n\n<!-- include: pkg/mod.py#hello -->\n{block}\nAfter\n"
        f"<!-- include: pkg/mod.py#hello -->\n{block}\nEnd\n"
    )
    assert fill_includes(filled, root) == filled


def test_the_web_how_to_is_among_the_generated_pages() -> None:
    """The web how-to includes the example service's code (checked for freshness by
    test_docs.py like every generated page)."""
    page = generated_pages()["how-to/web-application.md"]
    assert "<!-- include: examples/webservice/sozialraum_web/errors.py#status-table -->" in page
    assert "(TransitionBlocked, 423)" in page
