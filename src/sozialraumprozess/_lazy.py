"""Lazy public names for packages (PEP 562), each name written once.

A package lists its public names in one place: an ``if TYPE_CHECKING:`` block of
explicit re-exports (``from module import Name as Name``). Type checkers read
that block as it stands; at run time :func:`lazy_package` reads the same block
from the package's source and builds ``__all__`` and a ``__getattr__`` that
imports a name's module on first use. So a name is written once, importing the
package imports nothing else, and the two cannot drift apart.
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["lazy_package"]


def _export_order(name: str) -> tuple[int, str]:
    """ruff's RUF022 order: CONSTANTS, then CamelCase classes, then functions."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[0].isupper() else (2, name)


def _table(source: str, filename: str) -> dict[str, str]:
    """``name -> module`` from the ``if TYPE_CHECKING:`` block of ``source``."""
    origin: dict[str, str] = {}
    for node in ast.parse(source, filename).body:
        if not (isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"):
            continue
        for stmt in node.body:
            if not isinstance(stmt, ast.ImportFrom) or stmt.module is None:
                continue
            for alias in stmt.names:
                if alias.asname != alias.name:
                    raise ImportError(
                        f"{filename}: write public names as 'from {stmt.module} import "
                        f"{alias.name} as {alias.name}' (an explicit re-export)"
                    )
                origin[alias.name] = stmt.module
    return origin


def lazy_package(
    package: str, filename: str
) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """``__all__``, ``__getattr__`` and ``__dir__`` of ``package`` from its export block.

    Args:
        package: The package's ``__name__``.
        filename: The package's ``__file__`` (its ``TYPE_CHECKING`` block is read).
    """
    origin = _table(Path(filename).read_text(encoding="utf-8"), filename)
    names = sorted(origin, key=_export_order)

    def __getattr__(name: str) -> Any:
        module = origin.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        vars(sys.modules[package])[name] = value  # later lookups skip __getattr__
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(names))

    return names, __getattr__, __dir__
