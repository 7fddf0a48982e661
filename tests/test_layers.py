"""Data flows one way: no package imports a package above it.

definition → runtime → steering → (storage, documents, scenario) → app → cli. errors, i18n
and the small helpers at the package root sit below everything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import sozialraumprozess

PACKAGE = Path(sozialraumprozess.__file__).parent

#: What each package may import (besides itself and the packages below every layer).
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "i18n": set(),
    "definition": set(),
    "runtime": {"definition"},
    "steering": {"definition", "runtime"},
    "storage": {"definition", "runtime"},
    "documents": {"definition", "runtime", "steering"},
    "scenario": {"definition", "runtime", "storage", "documents", "steering"},
    "app": {"definition", "runtime", "storage", "documents", "scenario", "steering"},
    "cli": {"definition", "runtime", "storage", "documents", "scenario", "app", "steering"},
}
BASE = {"errors", "i18n", "_lazy"}


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:`` (imports for types only)."""
    out: list[ast.AST] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            continue
        out.append(node)
        out.extend(_runtime_nodes(node))
    return out


def _imports(path: Path) -> set[str]:
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "sozialraumprozess" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_no_package_imports_one_above_it() -> None:
    wrong = []
    for package, allowed in ALLOWED.items():
        for path in sorted((PACKAGE / package).rglob("*.py")):
            for used in _imports(path) - {package} - BASE:
                if used in ALLOWED and used not in allowed:
                    wrong.append(f"{path.relative_to(PACKAGE)} imports {used}")
    assert wrong == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from sozialraumprozess.cli import main\n", encoding="utf-8")
    assert _imports(module) == {"cli"}


def test_only_the_machine_module_imports_transitions() -> None:
    users = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if any(
            isinstance(n, (ast.Import, ast.ImportFrom))
            and any(
                (getattr(n, "module", None) or "").startswith("transitions")
                or a.name.startswith("transitions")
                for a in n.names
            )
            for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    ]
    assert users == ["runtime/_machine.py"]
