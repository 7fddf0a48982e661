"""A fast path for simple ``check`` expressions, with Jinja as the authority.

:func:`compile_fast` turns an expression built only from

* the context names, ``.attr`` and ``['key']`` lookups,
* the filters ``length``/``count``, ``default(<constant>)``, ``list`` and
  ``selectattr('<attr>')``,
* one comparison (``== != < <= > >=``) and constants

into a plain Python function. It only takes the *plain path*: every lookup is a
key present in a ``dict`` (Jinja's sandbox also reads the key then, since such
names are not ``dict`` attributes), ``length`` sees a list, dict or text, a
``selectattr`` result is only consumed by ``list``. Anything else — a missing
key, another type, any exception — raises :class:`Fallback`, and the caller runs
the compiled Jinja expression instead, which then decides the result or the error
message exactly as before. On the plain path the function performs the same
Python operations Jinja's generated code performs, so it returns the same value.
Expressions outside this subset get no fast path (``None``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from jinja2 import nodes
from jinja2.parser import Parser

from sozialraumprozess.definition.expressions import CONTEXT_NAMES, environment

__all__ = ["Fallback", "compile_fast"]

#: ``fast(context) -> value``; raises :class:`Fallback` off the plain path.
Fast = Callable[[dict[str, Any]], Any]

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "lteq": operator.le,
    "gt": operator.gt,
    "gteq": operator.ge,
}
_SIZED = (list, dict, str)


class Fallback(Exception):  # a signal, not an error
    """The value is off the plain path: evaluate with Jinja."""


class _Selected:
    """The lazy result of ``selectattr`` (a generator in Jinja): only ``list`` takes it."""

    __slots__ = ("items",)

    def __init__(self, items: list[Any]) -> None:
        self.items = items


def _key(container: Any, key: str) -> Any:
    if type(container) is not dict or key not in container:
        raise Fallback
    return container[key]


def _plain(value: Any) -> Any:
    if type(value) is _Selected:
        raise Fallback
    return value


def compile_fast(expression: str) -> Fast | None:
    """The fast path of ``expression``, or ``None`` if it is outside the subset."""
    try:  # parsed exactly as Environment.compile_expression parses it
        parser = Parser(environment(), expression, state="variable")
        tree = parser.parse_expression()
        if not parser.stream.eos:
            return None
        fast = _compile(tree)
    except Exception:  # not compilable (Jinja reports it) or outside the subset
        return None

    def run(context: dict[str, Any]) -> Any:
        try:
            return _plain(fast(context))
        except Fallback:
            raise
        except Exception as exc:  # Jinja gives the exact error
            raise Fallback from exc

    return run


def _literal(node: nodes.Node) -> bool:
    """True for constants and lists/tuples of them (evaluating them has no effect)."""
    if isinstance(node, nodes.Const):
        return True
    return isinstance(node, nodes.List | nodes.Tuple) and all(_literal(i) for i in node.items)


def _const_args(node: nodes.Filter) -> list[Any]:
    """The filter's arguments (``None`` for a literal list); only literal positionals."""
    if node.kwargs or node.dyn_args or node.dyn_kwargs:
        raise Fallback
    if not all(_literal(arg) for arg in node.args):
        raise Fallback
    return [arg.value if isinstance(arg, nodes.Const) else None for arg in node.args]


def _compile(node: nodes.Node) -> Fast:
    if isinstance(node, nodes.Const):
        value = node.value
        return lambda context: value
    if isinstance(node, nodes.Name):
        if node.ctx != "load" or node.name not in CONTEXT_NAMES:
            raise Fallback
        name = node.name
        return lambda context: context[name]
    if isinstance(node, nodes.Getattr | nodes.Getitem):
        if isinstance(node, nodes.Getattr):
            key: Any = node.attr
        elif isinstance(node.arg, nodes.Const):
            key = node.arg.value
        else:
            raise Fallback
        if not isinstance(key, str) or hasattr(dict, key):
            raise Fallback  # a dict attribute would win over the key in Jinja
        inner = _compile(node.node)
        return lambda context: _key(_plain(inner(context)), key)
    if isinstance(node, nodes.Filter) and node.node is not None:
        return _filter(node, _compile(node.node))
    if isinstance(node, nodes.Compare) and len(node.ops) == 1 and node.ops[0].op in _COMPARE:
        compare = _COMPARE[node.ops[0].op]
        left, right = _compile(node.expr), _compile(node.ops[0].expr)
        return lambda context: compare(_plain(left(context)), _plain(right(context)))
    raise Fallback


def _filter(node: nodes.Filter, inner: Fast) -> Fast:
    args = _const_args(node)
    name = node.name
    if name in ("length", "count") and not args:

        def length(context: dict[str, Any]) -> Any:
            value = inner(context)
            if type(value) not in _SIZED:
                raise Fallback
            return len(value)

        return length
    if name == "default" and len(args) == 1:
        return lambda context: _plain(inner(context))  # a real value: default returns it
    if name == "list" and not args:

        def as_list(context: dict[str, Any]) -> Any:
            value = inner(context)
            if type(value) is _Selected:
                return value.items
            if type(value) not in _SIZED:
                raise Fallback
            return list(value)

        return as_list
    if name == "selectattr" and len(args) == 1:
        attr = args[0]
        if not isinstance(attr, str) or "." in attr or attr.isdigit() or not attr:
            raise Fallback

        def select(context: dict[str, Any]) -> Any:
            value = inner(context)
            if type(value) is not list:
                raise Fallback
            return _Selected([item for item in value if _key(item, attr)])

        return select
    raise Fallback
