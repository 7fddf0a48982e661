"""What a check expression reads, decided once from its Jinja parse tree.

Used by the ``check`` gate kind (:mod:`.check`): which names an expression reads, the
one artifact it may depend on alone (its guard), and whether it is pure (its
value depends on the check context only, so blockers of a state can be reused).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import nodes

from sozialraumprozess.definition.expressions import CONTEXT_NAMES, environment

__all__ = ["check_guard", "check_names", "is_pure"]


@lru_cache(maxsize=1024)
def _tree(expression: str) -> nodes.Template | None:
    """The parse tree of ``expression`` (read only), or ``None`` if it does not parse."""
    try:
        return environment().parse("{{ (" + expression + ") }}")
    except Exception:  # not compilable: no shortcut, the check itself reports it
        return None


def _uses_random(tree: nodes.Template) -> bool:
    return any(f.name == "random" for f in tree.find_all(nodes.Filter))


def check_names(expression: str) -> frozenset[str] | None:
    """The names an expression reads, or ``None`` if it does not parse."""
    tree = _tree(expression)
    if tree is None:
        return None
    return frozenset(n.name for n in tree.find_all(nodes.Name) if n.ctx == "load")


def check_guard(expression: str) -> str | None:
    """The artifact id a check depends on alone, or ``None``.

    Only for expressions whose one and only name is ``artifacts``, read as
    ``artifacts.<id>`` or ``artifacts['<id>']``, without the ``random`` filter:
    while ``<id>`` is not in the context, such an expression always evaluates the
    same way (Jinja's attribute lookup on the dict does not depend on its other keys).
    """
    tree = _tree(expression)
    if tree is None:
        return None
    names = list(tree.find_all(nodes.Name))
    if len(names) != 1 or names[0].name != "artifacts" or names[0].ctx != "load":
        return None
    if _uses_random(tree):
        return None
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        assert isinstance(node, nodes.Getattr | nodes.Getitem)  # noqa: S101 - narrows the type
        if node.node is names[0]:
            if isinstance(node, nodes.Getattr):
                key: Any = node.attr
            elif isinstance(node.arg, nodes.Const):
                key = node.arg.value
            else:
                return None
            return key if isinstance(key, str) else None
    return None


def is_pure(expression: str) -> bool:
    """True if ``expression`` parses and reads only context names, without ``random``."""
    names = check_names(expression)
    if names is None or not names <= set(CONTEXT_NAMES):  # a global such as lipsum or cycler
        return False
    tree = _tree(expression)
    return tree is not None and not _uses_random(tree)
