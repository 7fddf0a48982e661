"""``check`` expressions: Jinja expressions compiled and run in the immutable sandbox.

A check such as ``artifacts.zielkatalog.ziele | length >= 3`` sees only a
read-only context: ``artifacts``, ``events``, ``decisions`` and ``process``.
Compiling happens once, when the workflow is loaded, so syntax errors surface
with the file position instead of in the middle of a running process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from sozialraumprozess.i18n import Message, msg

__all__ = ["CONTEXT_NAMES", "ExpressionProblem", "analyse_expression", "compile_check"]

#: The names a check expression may use.
CONTEXT_NAMES = ("artifacts", "events", "decisions", "process")


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    """The shared sandbox used for every check expression."""
    return ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


class ExpressionProblem:
    """A problem found in an expression: its message, and what was unknown (for a hint)."""

    def __init__(
        self, message: Message, unknown: tuple[str, str, tuple[str, ...]] | None = None
    ) -> None:
        #: What is wrong (a catalog message).
        self.message = message
        #: (kind, name, known names) for an unknown reference, to build a hint.
        self.unknown = unknown

    @property
    def de(self) -> str:
        """The message in German."""
        return self.message.text("de")

    @property
    def en(self) -> str:
        """The message in English."""
        return self.message.text("en")


@lru_cache(maxsize=1024)
def compile_check(expression: str) -> Callable[..., Any]:
    """Compile ``expression`` once; the result is called with the context as keywords."""
    return environment().compile_expression(expression, undefined_to_none=False)


def analyse_expression(expression: str, known: dict[str, Iterable[str]]) -> list[ExpressionProblem]:
    """Problems of ``expression``: syntax errors, unknown names, unknown ids.

    Args:
        expression: The Jinja expression.
        known: For ``artifacts``/``events``/``decisions``: the ids that exist.
    """
    env = environment()
    try:
        tree = env.parse("{{ (" + expression + ") }}")
        compile_check(expression)
    except TemplateSyntaxError as exc:
        return [ExpressionProblem(msg("definition.expression-syntax", detail=exc.message))]
    problems: list[ExpressionProblem] = []
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name not in CONTEXT_NAMES and not _is_local(tree, name.name):
            problems.append(
                ExpressionProblem(
                    msg(
                        "definition.expression-unknown-name",
                        name=name.name,
                        available=", ".join(CONTEXT_NAMES),
                    ),
                    unknown=("variable", name.name, CONTEXT_NAMES),
                )
            )
    kinds = {"artifacts": "artifact", "events": "event", "decisions": "decision"}
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        assert isinstance(node, nodes.Getattr | nodes.Getitem)  # noqa: S101 - narrows the type
        base = node.node
        if not (isinstance(base, nodes.Name) and base.name in kinds):
            continue
        if isinstance(node, nodes.Getattr):
            attr = node.attr
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            attr = node.arg.value
        else:
            continue
        ids = tuple(known.get(base.name, ()))
        if attr not in ids:
            kind = kinds[base.name]
            problems.append(
                ExpressionProblem(
                    msg("definition.expression-unknown-id", kind=base.name, name=attr),
                    unknown=(kind, attr, ids),
                )
            )
    return problems


def _is_local(tree: nodes.Template, name: str) -> bool:
    """True if ``name`` is bound inside the expression (e.g. a lambda-free loop var)."""
    return any(
        isinstance(n, nodes.Name) and n.name == name and n.ctx in ("store", "param")
        for n in tree.find_all(nodes.Name)
    )
