"""``check`` expressions: Jinja expressions compiled and run in the immutable sandbox.

A check such as ``artifacts.zielkatalog.ziele | length >= 3`` sees only a
read-only context: ``artifacts``, ``events``, ``decisions`` and ``process``.
Compiling happens once, when the workflow is loaded, so syntax errors surface
with the file position instead of in the middle of a running process.

Expressions run in the bounded sandbox (:mod:`.sandbox`): nothing is folded at
compile time, operators and filters are bounded, and each evaluation has a
budget of :data:`CHECK_STEPS` steps (and :data:`CHECK_SECONDS` as a backstop).
Parts of an expression that use no context name are evaluated once at load, so
``9 ** (9 ** 9)`` is a load error with the check's position.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.environment import TemplateExpression
from jinja2.parser import Parser

from sozialraumprozess.definition.sandbox import (
    BoundedSandbox,
    LimitExceeded,
    Refused,
    budget,
    check_nesting,
    check_tree,
    run_budgeted,
)
from sozialraumprozess.i18n import Message, Number, msg

__all__ = [
    "CHECK_SECONDS",
    "CHECK_STEPS",
    "CONTEXT_NAMES",
    "MAX_EXPRESSION_CHARS",
    "ExpressionProblem",
    "analyse_expression",
    "compile_check",
]

#: The names a check expression may use.
CONTEXT_NAMES = ("artifacts", "events", "decisions", "process")
#: Longest accepted expression (the bundled workflows' longest has about 100).
MAX_EXPRESSION_CHARS = 2_000
#: Steps one evaluation may take (see :class:`~.sandbox.Budget`).
CHECK_STEPS = 1_000_000
#: CPU seconds one evaluation may take (a backstop; the steps bound it first).
CHECK_SECONDS = 1.0


@lru_cache(maxsize=1)
def environment() -> BoundedSandbox:
    """The shared sandbox used for every check expression."""
    return BoundedSandbox(undefined=StrictUndefined, autoescape=False)


def parse_check(expression: str) -> nodes.Expr:
    """The syntax tree of ``expression``, after the static checks.

    Raises:
        TemplateSyntaxError: not an expression.
        Refused: too long, nested too deeply, or a refused construct.
    """
    if len(expression) > MAX_EXPRESSION_CHARS:
        limit = Number(MAX_EXPRESSION_CHARS)
        raise Refused(msg("sandbox.expression-too-long", limit=limit), 1, "length")
    env = environment()
    check_nesting(env, "{{ " + expression + " }}", None)
    parser = Parser(env, expression, state="variable")
    try:
        tree = parser.parse_expression()
    except RecursionError:  # pragma: no cover - check_nesting stops it first
        raise Refused(msg("sandbox.too-nested", limit=Number(0)), 1, "nesting") from None
    if not parser.stream.eos:
        token = parser.stream.current
        raise TemplateSyntaxError(f"unexpected {token.value!r} after the expression", token.lineno)
    check_tree(tree)
    return tree


def _runnable(tree: nodes.Expr) -> Callable[..., Any]:
    """``tree`` compiled as Jinja's ``compile_expression`` does, without folding."""
    env = environment()
    body = [nodes.Assign(nodes.Name("result", "store"), tree, lineno=1)]
    template = env.from_string(nodes.Template(body, lineno=1))
    return TemplateExpression(template, undefined_to_none=False)


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
    """Compile ``expression`` once; the result is called with the context as keywords.

    Each call runs under a fresh budget (:data:`CHECK_STEPS`, :data:`CHECK_SECONDS`);
    a bound reached raises :class:`~.sandbox.LimitExceeded`.

    Raises:
        TemplateSyntaxError: not an expression.
        Refused: refused by the static checks.
    """
    run = _runnable(parse_check(expression))

    def check(**context: Any) -> Any:
        return run_budgeted(CHECK_STEPS, CHECK_SECONDS, run, **context)

    return check


def _constant_parts(tree: nodes.Node) -> list[nodes.Expr]:
    """The largest parts of ``tree`` that use no name and are more than a literal."""
    if isinstance(tree, nodes.Const | nodes.Name) or not isinstance(tree, nodes.Expr):
        return []
    if not any(True for _ in tree.find_all(nodes.Name)):
        return [tree]
    return [part for child in tree.iter_child_nodes() for part in _constant_parts(child)]


def _constant_problems(tree: nodes.Expr) -> list[ExpressionProblem]:
    """Bounds the name-free parts of ``tree`` reach already (``9 ** (9 ** 9)``)."""
    problems: list[ExpressionProblem] = []
    for part in _constant_parts(tree):
        try:
            with budget(CHECK_STEPS, CHECK_SECONDS):
                _runnable(part)()
        except LimitExceeded as exc:
            problems.append(ExpressionProblem(msg("definition.expression-limit", detail=exc.text)))
        except Exception:  # noqa: S112 - any other failure is the run's to report
            continue
    return problems


def analyse_expression(expression: str, known: dict[str, Iterable[str]]) -> list[ExpressionProblem]:
    """Problems of ``expression``: syntax errors, unknown names, unknown ids.

    Args:
        expression: The Jinja expression.
        known: For ``artifacts``/``events``/``decisions``: the ids that exist.
    """
    try:
        expr = parse_check(expression)
        compile_check(expression)
    except TemplateSyntaxError as exc:
        return [ExpressionProblem(msg("definition.expression-syntax", detail=exc.message))]
    except Refused as exc:
        return [ExpressionProblem(msg("definition.expression-refused", detail=exc.text))]
    problems: list[ExpressionProblem] = _constant_problems(expr)
    tree = nodes.Template([nodes.Output([expr])])  # find_all() skips the root itself
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


def _is_local(tree: nodes.Node, name: str) -> bool:
    """True if ``name`` is bound inside the expression (e.g. a lambda-free loop var)."""
    return any(
        isinstance(n, nodes.Name) and n.name == name and n.ctx in ("store", "param")
        for n in tree.find_all(nodes.Name)
    )
