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

from collections.abc import Callable, Iterable, Mapping
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
    "CONTEXT_ATTRIBUTES",
    "CONTEXT_NAMES",
    "MAX_EXPRESSION_CHARS",
    "ExpressionProblem",
    "analyse_expression",
    "compile_check",
    "context_attributes",
]

#: The names a check expression may use.
CONTEXT_NAMES = ("artifacts", "events", "decisions", "process")
#: Longest accepted expression (the bundled workflows' longest has about 100).
MAX_EXPRESSION_CHARS = 2_000
#: Steps one evaluation may take (see :class:`~.sandbox.Budget`).
CHECK_STEPS = 1_000_000
#: CPU seconds one evaluation may take (a backstop; the steps bound it first).
CHECK_SECONDS = 1.0

#: What each part of the check context holds, per format: ``process.<attr>``,
#: ``decisions.<id>.<attr>``, ``events.<id>[n].<attr>`` (one holding),
#: ``process.planned.<event>.<attr>`` (an open plan, format v2) and
#: ``process.sozialraum.<attr>``. Each entry: ``(attribute, since, description)``.
#: The reference page ``docs/reference/check-context.md`` is generated from it.
CONTEXT_ATTRIBUTES: dict[str, tuple[tuple[str, int, str], ...]] = {
    "process": (
        ("phase", 1, "The current phase id."),
        ("cycle", 1, "The current cycle number (1 on the first pass)."),
        ("sozialraum", 1, "The Sozialraum: `name`, `description`, `data`."),
        ("entered", 2, "The day the current phase was entered (a date)."),
        ("started", 2, "The day the process started (a date)."),
        ("planned", 2, "Open planned events by event id (see `planned`)."),
    ),
    "sozialraum": (
        ("name", 1, "Its name."),
        ("description", 1, "Its description."),
        ("data", 1, "Its further data (a mapping)."),
    ),
    "decision": (
        ("date", 1, "The day it was taken (v2: a date; v1: `YYYY-MM-DD` text)."),
        ("yes", 1, "Yes votes."),
        ("no", 1, "No votes."),
        ("abstain", 1, "Abstentions."),
        ("consensus", 1, "Whether consensus was reached (consensus rule)."),
        ("passed", 1, "True if it passed (or, for taking note, was recorded)."),
        ("text", 1, "The wording of the resolution."),
        ("amount", 2, "The amount granted in euros (decisions with `amount: true`)."),
        ("adopted", 2, "The version of the `adopts` artifact it adopted."),
    ),
    "held": (
        ("date", 1, "The (first) day it was held (v2: a date; v1: `YYYY-MM-DD` text)."),
        ("participants", 1, "How many took part."),
        ("notes", 1, "Free text."),
        ("phase", 1, "The phase it was recorded in."),
        ("until", 2, "The last day of an event spanning a period (a date), else none."),
    ),
    "planned": (
        ("date", 2, "The planned (first) day (a date)."),
        ("until", 2, "The planned last day (a date), else none."),
        ("time", 2, "The start time `HH:MM`, else none."),
        ("place", 2, "The place, else none."),
        ("planned_on", 2, "The day it was planned: the invitation's date (a date)."),
    ),
}


def context_attributes(part: str, version: int) -> tuple[str, ...]:
    """The attribute names of ``part`` of the check context in format ``version``."""
    return tuple(name for name, since, _ in CONTEXT_ATTRIBUTES[part] if since <= version)


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


def analyse_expression(
    expression: str,
    known: dict[str, Iterable[str]],
    version: int = 1,
    fields: Mapping[str, Iterable[str]] | None = None,
) -> list[ExpressionProblem]:
    """Problems of ``expression``: syntax errors, unknown names, unknown ids and
    attributes the check context does not hold (``process.today``).

    Args:
        expression: The Jinja expression.
        known: For ``artifacts``/``events``/``decisions``: the ids that exist.
        version: The file's format version (its attributes, see :data:`CONTEXT_ATTRIBUTES`).
        fields: Per artifact id its field names: ``artifacts.<id>.<field>`` is
            checked against them (format v2).
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
    problems.extend(_attribute_problems(tree, known, version, fields))
    return problems


def _key(node: nodes.Node) -> str | None:
    """The attribute a ``Getattr``/``Getitem`` node reads by name, else ``None``."""
    if isinstance(node, nodes.Getattr):
        return node.attr
    if (
        isinstance(node, nodes.Getitem)
        and isinstance(node.arg, nodes.Const)
        and isinstance(node.arg.value, str)
    ):
        return node.arg.value
    return None


def _part_of(node: nodes.Node, known: dict[str, Iterable[str]]) -> str | None:
    """Which part of the context ``node`` evaluates to (``process``, ``decision`` …)."""
    if isinstance(node, nodes.Name) and node.name == "process":
        return "process"
    if isinstance(node, nodes.Filter) and node.name in ("first", "last") and node.node is not None:
        return "held" if _part_of(node.node, known) == "holdings" else None
    if isinstance(node, nodes.Getitem) and _key(node) is None:  # events.x[0]
        return "held" if _part_of(node.node, known) == "holdings" else None
    key = _key(node)
    if key is None or not isinstance(node, nodes.Getattr | nodes.Getitem):
        return None
    base = node.node
    if isinstance(base, nodes.Name):
        if base.name == "decisions":
            return "decision"
        if base.name == "events":
            return "holdings"
        if base.name == "artifacts":
            return "artifact:" + key
        return None
    parent = _part_of(base, known)
    if parent == "process" and key == "sozialraum":
        return "sozialraum"
    if parent == "process" and key == "planned":
        return "plans"
    if parent == "plans":
        return "planned"
    return None


def _attribute_problems(
    tree: nodes.Template,
    known: dict[str, Iterable[str]],
    version: int,
    fields: Mapping[str, Iterable[str]] | None,
) -> list[ExpressionProblem]:
    problems: list[ExpressionProblem] = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        assert isinstance(node, nodes.Getattr | nodes.Getitem)  # noqa: S101 - narrows the type
        attr = _key(node)
        if attr is None:
            continue
        part = _part_of(node.node, known)
        if part is None or part == "holdings":
            continue
        if part == "plans":
            names = tuple(known.get("events", ()))
        elif part.startswith("artifact:"):
            if fields is None or part[9:] not in fields:
                continue
            names = tuple(fields[part[9:]])
        else:
            names = context_attributes(part, version)
        if attr in names:
            continue
        problems.append(
            ExpressionProblem(
                msg(
                    "time.expression-unknown-attribute",
                    name=attr,
                    part=part.split(":")[0],
                    available=", ".join(names) or "–",
                ),
                unknown=("attribute", attr, names),
            )
        )
    return problems


def _is_local(tree: nodes.Node, name: str) -> bool:
    """True if ``name`` is bound inside the expression (e.g. a lambda-free loop var)."""
    return any(
        isinstance(n, nodes.Name) and n.name == name and n.ctx in ("store", "param")
        for n in tree.find_all(nodes.Name)
    )
