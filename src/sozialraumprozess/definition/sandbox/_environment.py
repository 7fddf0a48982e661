"""The bounded environment: its compiler, the static checks of a template tree."""

from __future__ import annotations

import itertools
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.lexer import TOKEN_BLOCK_BEGIN, TOKEN_NAME, TOKEN_OPERATOR, TOKEN_WHITESPACE
from jinja2.runtime import Context, markup_join
from jinja2.sandbox import ImmutableSandboxedEnvironment

from sozialraumprozess.definition.sandbox._filters import (
    _CALLABLE_TYPES,
    _bounded_filter,
    _check_method,
    _counted,
    _finalize,
    _materialize,
    _Method,
)
from sozialraumprozess.definition.sandbox._limits import (
    _BLOCK_TAGS,
    _BUDGET,
    _COUNTED_FILTER,
    _REFUSED_FILTERS,
    _REFUSED_METHODS,
    MAX_BLOCK_NESTING,
    MAX_CALL_DEPTH,
    MAX_NESTING,
    MAX_VALUE_ITEMS,
    REFUSED_GLOBALS,
    LimitExceeded,
    Refused,
    _check_size,
    _tick,
    _too_large,
    check_binop,
    text_size,
)
from sozialraumprozess.i18n import Message, Number, msg

# --------------------------------------------------------------------------- compiler


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator with ``~`` routed through :meth:`BoundedSandbox.bounded_concat`."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            markup = "context.eval_ctx.volatile"
        else:
            markup = "True" if frame.eval_ctx.autoescape else "False"
        self.write(f"environment.bounded_concat({markup}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with the bounds of this module (see its docstring).

    Every template it parses passes :func:`check_nesting` and :func:`check_tree`,
    and every ``for`` loop's iterable is counted against the current
    :class:`Budget` (evaluations outside :func:`budget` are bounded in size and
    depth, but not in steps).
    """

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        options.setdefault("optimized", False)
        options.setdefault("finalize", _finalize)
        super().__init__(**options)
        for name in REFUSED_GLOBALS:
            self.globals.pop(name, None)
        self.bound_filters()

    def bound_filters(self) -> None:
        """Wrap every filter (call again after adding filters)."""
        for name, func in list(self.filters.items()):
            if not getattr(func, "_sozialraum_bounded", False):
                wrapped = _bounded_filter(name, func)
                wrapped._sozialraum_bounded = True  # type: ignore[attr-defined]
                self.filters[name] = wrapped
        self.filters[_COUNTED_FILTER] = _counted

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        check_nesting(self, source, name)
        tree = super()._parse(source, name, filename)
        check_tree(tree)
        for loop in list(tree.find_all(nodes.For)):
            assert isinstance(loop, nodes.For)  # noqa: S101 - narrows the type
            loop.iter = nodes.Filter(loop.iter, _COUNTED_FILTER, [], [], None, None)
            loop.iter.set_lineno(loop.lineno)
        return tree

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        current = _BUDGET.get()
        if current is not None:
            current.steps += 1
            if current.steps >= current.next_clock or current.steps > current.limit:
                current.tick(0)
        check_binop(operator, left, right)
        return self.binop_table[operator](left, right)

    def bounded_concat(self, markup: bool, parts: tuple[Any, ...]) -> str:
        """``a ~ b ~ …``, refused before joining when the result would be too large."""
        _tick()
        if sum(text_size(part) for part in parts) > MAX_VALUE_ITEMS:
            raise _too_large("~")
        texts = [part if isinstance(part, str) else str(part) for part in parts]
        return markup_join(texts) if markup else "".join(texts)

    # getattr and getitem run for every ``.x`` and ``[x]``: the step is counted
    # inline (render_bench: a third of the sandbox's cost was the extra calls).
    def getattr(self, obj: Any, attribute: str) -> Any:
        current = _BUDGET.get()
        if current is not None:
            current.steps += 1
            if current.steps >= current.next_clock or current.steps > current.limit:
                current.tick(0)
        value = super().getattr(obj, attribute)
        return _Method(value, attribute) if type(value) in _CALLABLE_TYPES else value

    def getitem(self, obj: Any, argument: Any) -> Any:
        current = _BUDGET.get()
        if current is not None:
            current.steps += 1
            if current.steps >= current.next_clock or current.steps > current.limit:
                current.tick(0)
        value = super().getitem(obj, argument)
        return _Method(value, str(argument)) if type(value) in _CALLABLE_TYPES else value

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        current = _BUDGET.get()
        if current is not None:
            current.tick()
            if current.depth >= MAX_CALL_DEPTH:
                raise LimitExceeded(msg("sandbox.too-deep", limit=Number(MAX_CALL_DEPTH)))
            current.depth += 1
        try:
            func = __obj._func if isinstance(__obj, _Method) else __obj
            if getattr(func, "__name__", "") == "join" and args and not hasattr(args[0], "__len__"):
                args = (_materialize(args[0]), *args[1:])  # its size is needed for the check
            _check_method(func, args, kwargs)
            result = super().call(__context, func, *args, **kwargs)
            return _check_size(getattr(func, "__name__", "call"), result)
        finally:
            if current is not None:
                current.depth -= 1


# --------------------------------------------------------------------------- static checks


def _refuse(node: nodes.Node, construct: str, text: Message) -> Refused:
    return Refused(text, getattr(node, "lineno", None), construct)


def check_tree(tree: nodes.Node) -> None:
    """Refuse constructs used for server-side template injection.

    Attribute or item names starting with ``_``, string constants containing
    ``__``, the ``attr`` filter, filters whose name starts with ``_``,
    ``format``/``format_map``/``mro`` and the globals of :data:`REFUSED_GLOBALS`.

    Raises:
        Refused: naming the construct and its line.
    """
    for node in itertools.chain((tree,), tree.find_all(nodes.Node)):
        if isinstance(node, nodes.Getattr) and (
            node.attr.startswith("_") or node.attr in _REFUSED_METHODS
        ):
            raise _refuse(node, node.attr, msg("sandbox.refused-attribute", name=node.attr))
        if isinstance(node, nodes.Const) and isinstance(node.value, str) and "__" in node.value:
            raise _refuse(node, node.value, msg("sandbox.refused-dunder"))
        if (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and str(node.arg.value).startswith("_")
        ):
            key = str(node.arg.value)
            raise _refuse(node, key, msg("sandbox.refused-key", name=key))
        if isinstance(node, nodes.Filter | nodes.Test) and (
            node.name in _REFUSED_FILTERS or node.name.startswith("_")
        ):
            raise _refuse(node, node.name, msg("sandbox.refused-filter", name=node.name))
        if isinstance(node, nodes.Name) and node.ctx == "load" and node.name in REFUSED_GLOBALS:
            raise _refuse(node, node.name, msg("sandbox.refused-global", name=node.name))


def check_nesting(env: ImmutableSandboxedEnvironment, source: str, name: str | None) -> None:
    """Refuse brackets nested deeper than :data:`MAX_NESTING` and blocks deeper than
    :data:`MAX_BLOCK_NESTING` (Python could not compile them), naming the line.

    Raises:
        Refused: ``construct`` is ``nesting``.
    """
    brackets = blocks = 0
    after_block = False
    for lineno, kind, value in env.lex(source, name):
        if kind == TOKEN_WHITESPACE:
            continue
        if kind == TOKEN_OPERATOR:
            if value in "([{":
                brackets += 1
                if brackets > MAX_NESTING:
                    raise Refused(
                        msg("sandbox.too-nested", limit=Number(MAX_NESTING)), lineno, "nesting"
                    )
            elif value in ")]}":
                brackets -= 1
        elif after_block and kind == TOKEN_NAME:
            if value in _BLOCK_TAGS:
                blocks += 1
                if blocks > MAX_BLOCK_NESTING:
                    raise Refused(
                        msg("sandbox.too-nested", limit=Number(MAX_BLOCK_NESTING)),
                        lineno,
                        "nesting",
                    )
            elif value.startswith("end") and value[3:] in _BLOCK_TAGS:
                blocks -= 1
        after_block = kind == TOKEN_BLOCK_BEGIN
