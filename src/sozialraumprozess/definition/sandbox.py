"""The bounded Jinja sandbox shared by ``check`` expressions and document templates.

Jinja's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` keeps templates
away from Python's internals, but not from the machine's time and memory.
:class:`BoundedSandbox` adds what a workflow author's (or an attacker's) text
needs to stay harmless:

* **no constant folding**: expressions are compiled with ``optimized=False``, so
  ``'a' * (2 * 10**9)`` is not computed while a workflow is merely loaded;
* **intercepted operators** (``*``, ``**``, ``+``, ``%``) and a bounded ``~``:
  results larger than :data:`MAX_VALUE_ITEMS` characters or items, integers of
  more than :data:`MAX_INT_BITS` bits and printf widths over :data:`MAX_WIDTH`
  are refused *before* they are computed;
* **bounded filters and string methods**: every filter is wrapped; the ones
  that multiply their input (``center``, ``indent``, ``format``, ``replace``,
  ``join``, ``wordwrap``, ``batch``, ``slice``, ``tojson``, ``sum``) check their
  arguments first, all of them their result;
* **a budget** (:class:`Budget`) per check evaluation and per render: every
  loop step, call, filter, operator and attribute access is a step; a render or
  check that takes more steps (or, as a backstop, more seconds) stops;
* **recursion** (macros calling themselves) stops at :data:`MAX_CALL_DEPTH`;
* **no method reprs**: a method that is looked up but not called cannot be
  printed (``{{ data.items }}`` is an error, not ``<built-in method …>``);
* **a static check** (:func:`check_tree`, :func:`check_nesting`) refuses the
  constructs used for template injection and nesting Python cannot compile.

Every refusal is a :class:`LimitExceeded` or :class:`Refused` (both Jinja
:class:`~jinja2.exceptions.SecurityError`) carrying a catalog message; callers
turn them into positioned library errors.
"""

from __future__ import annotations

import functools
import itertools
import re
import time
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.lexer import TOKEN_BLOCK_BEGIN, TOKEN_NAME, TOKEN_OPERATOR, TOKEN_WHITESPACE
from jinja2.runtime import Context, markup_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import _PassArg

from sozialraumprozess.i18n import Message, Number, msg

__all__ = [
    "MAX_CALL_DEPTH",
    "MAX_INT_BITS",
    "MAX_NESTING",
    "MAX_VALUE_ITEMS",
    "MAX_WIDTH",
    "BoundedSandbox",
    "Budget",
    "LimitExceeded",
    "Refused",
    "budget",
    "check_nesting",
    "check_tree",
    "run_budgeted",
]

#: Largest string, list or mapping an operator or filter may produce (characters or items).
MAX_VALUE_ITEMS = 2_000_000
#: Largest integer an operator may produce, in bits (about 4,200 decimal digits:
#: Python refuses to print longer integers anyway).
MAX_INT_BITS = 14_000
#: Largest width or precision in printf formats and ``center``/``indent``/``tojson``.
MAX_WIDTH = 1_000
#: Largest count for ``batch``/``slice``.
MAX_COUNT = 100_000
#: Deepest nesting of calls (macros calling macros) during one evaluation.
MAX_CALL_DEPTH = 64
#: Deepest nesting of brackets in an expression and of blocks in a template; deeper
#: code cannot be compiled by Python (20 nested loops, 100 indentation levels).
MAX_NESTING = 30
MAX_BLOCK_NESTING = 15

#: Globals no user text may use (``range`` only inside the sandbox's own limit).
REFUSED_GLOBALS = frozenset({"cycler", "joiner", "namespace", "lipsum", "self", "range"})
_REFUSED_METHODS = frozenset({"format", "format_map", "mro"})
_REFUSED_FILTERS = frozenset({"attr"})
_BLOCK_TAGS = frozenset({"for", "if", "macro", "call", "filter", "with", "block", "autoescape"})
_COUNTED_FILTER = "_counted"


class LimitExceeded(SecurityError):
    """A bound of the sandbox was reached (too many steps, too large, too deep).

    Attributes:
        text: The catalog message saying which bound.
    """

    def __init__(self, text: Message) -> None:
        self.text = text
        super().__init__(text.text("en"))


class Refused(SecurityError):
    """A construct the static check refuses (``__class__``, ``|attr``, ``range`` …).

    Attributes:
        text: The catalog message.
        lineno: The line in the template or expression (1-based).
        construct: What was refused (an attribute, filter or global name).
    """

    def __init__(self, text: Message, lineno: int | None, construct: str) -> None:
        self.text = text
        self.lineno = lineno
        self.construct = construct
        super().__init__(text.text("en"))


# --------------------------------------------------------------------------- budget


class Budget:
    """Steps and seconds one evaluation may take.

    Args:
        steps: Most steps (loop iterations, calls, filters, operators, lookups).
        seconds: Most CPU seconds of the evaluating thread, checked every
            :attr:`CLOCK_EVERY` steps (a backstop for steps that are expensive;
            CPU time, not wall time, so a busy machine does not make a render
            fail; the step count keeps results repeatable).
    """

    __slots__ = ("deadline", "depth", "limit", "next_clock", "seconds", "steps")

    #: Steps between two looks at the clock (reading a thread's CPU clock is a
    #: system call: about 0.5 ms on a busy VM, so it is read rarely and not at the
    #: start; the first look sets the deadline, so the first steps come free).
    CLOCK_EVERY = 16_384

    def __init__(self, steps: int, seconds: float) -> None:
        self.steps = 0
        self.limit = steps
        self.seconds = seconds
        self.deadline: float | None = None
        self.next_clock = self.CLOCK_EVERY
        self.depth = 0

    def tick(self, n: int = 1) -> None:
        """Spend ``n`` steps; raises :class:`LimitExceeded` when the budget is spent."""
        self.steps += n
        if self.steps > self.limit:
            raise LimitExceeded(msg("sandbox.too-many-steps", limit=Number(self.limit)))
        if self.steps >= self.next_clock:
            self.next_clock = self.steps + self.CLOCK_EVERY
            now = time.thread_time()
            if self.deadline is None:
                self.deadline = now + self.seconds
            elif now > self.deadline:
                raise LimitExceeded(msg("sandbox.too-slow", seconds=Number(self.seconds)))


_BUDGET: ContextVar[Budget | None] = ContextVar("sozialraumprozess_budget", default=None)


def run_budgeted(steps: int, seconds: float, func: Callable[..., Any], **kwargs: Any) -> Any:
    """``func(**kwargs)`` under a fresh :class:`Budget` (the fast form of :func:`budget`)."""
    token = _BUDGET.set(Budget(steps, seconds))
    try:
        return func(**kwargs)
    finally:
        _BUDGET.reset(token)


@contextmanager
def budget(steps: int, seconds: float) -> Iterator[Budget]:
    """Run the body under a fresh :class:`Budget` (the sandbox's hooks charge it)."""
    current = Budget(steps, seconds)
    token = _BUDGET.set(current)
    try:
        yield current
    finally:
        _BUDGET.reset(token)


def _tick(n: int = 1) -> None:
    current = _BUDGET.get()
    if current is not None:
        current.tick(n)


# --------------------------------------------------------------------------- bounds


def _too_large(operation: str) -> LimitExceeded:
    return LimitExceeded(
        msg("sandbox.too-large", operation=operation, limit=Number(MAX_VALUE_ITEMS))
    )


def _size(value: Any) -> int:
    """Characters or items of a string, bytes, list, tuple or mapping (else 0)."""
    if isinstance(value, str | bytes | list | tuple | dict | set | frozenset):
        return len(value)
    return 0


def text_size(value: Any, limit: int = MAX_VALUE_ITEMS) -> int:
    """About how many characters ``str(value)`` has; stops counting once over ``limit``.

    Containers are walked (a list of a thousand references to one long text
    prints it a thousand times), so the check costs no more than printing would;
    every 16 items walked are a step of the current budget.
    """
    total = 0
    walked = 0
    stack = [value]
    while stack:
        item = stack.pop()
        walked += 1
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, list | tuple | set | frozenset):
            total += 2 + 2 * len(item)
            stack.extend(item)
        elif isinstance(item, Mapping):
            total += 2 + 4 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, int):
            total += 1 + item.bit_length() // 3
        else:
            total += 16
        if total > limit:
            break
    if walked > 16:
        _tick(walked // 16)
    return total


def _check_text(operation: str, value: Any) -> None:
    if not isinstance(value, str) and text_size(value) > MAX_VALUE_ITEMS:
        raise _too_large(operation)
    if isinstance(value, str) and len(value) > MAX_VALUE_ITEMS:
        raise _too_large(operation)


def _check_size(operation: str, value: Any) -> Any:
    if _size(value) > MAX_VALUE_ITEMS:
        raise _too_large(operation)
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_bits(operation: str, bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise LimitExceeded(
            msg("sandbox.number-too-large", operation=operation, limit=Number(MAX_INT_BITS))
        )


def _check_width(operation: str, width: Any) -> None:
    if _is_int(width) and width > MAX_WIDTH:
        raise LimitExceeded(
            msg("sandbox.width-too-large", operation=operation, limit=Number(MAX_WIDTH))
        )


_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_printf(operation: str, fmt: str, args: Any = ()) -> None:
    """Refuse printf widths/precisions over :data:`MAX_WIDTH`, ``*`` widths, and
    results over :data:`MAX_VALUE_ITEMS` (each conversion may print the largest argument).
    """
    conversions = 0
    for match in _PRINTF.finditer(fmt):
        conversions += 1
        for part in match.groups():
            if part == "*" or (part is not None and (len(part) > 4 or int(part) > MAX_WIDTH)):
                raise LimitExceeded(
                    msg("sandbox.width-too-large", operation=operation, limit=Number(MAX_WIDTH))
                )
    if conversions:
        values = args.values() if isinstance(args, Mapping) else args
        if not isinstance(values, tuple | list) and not isinstance(args, Mapping):
            values = (values,)
        largest = max((text_size(v) for v in values), default=0)
        if len(fmt) + conversions * (largest + MAX_WIDTH) > MAX_VALUE_ITEMS:
            raise _too_large(operation)


def _repeat(operation: str, sequence: Any, times: Any) -> None:
    if _is_int(times) and times > 0 and _size(sequence) * times > MAX_VALUE_ITEMS:
        raise _too_large(operation)


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse ``left <operator> right`` if its result would exceed the bounds."""
    if operator == "*":
        if _is_int(left) and _is_int(right):
            _check_bits("*", abs(left).bit_length() + abs(right).bit_length())
        else:
            _repeat("*", left, right)
            _repeat("*", right, left)
    elif operator == "**":
        if _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
            # checked without computing: a huge exponent must not be multiplied out
            if right > MAX_INT_BITS:
                _check_bits("**", right)
            _check_bits("**", abs(left).bit_length() * right)
    elif operator == "+":
        if _size(left) + _size(right) > MAX_VALUE_ITEMS:
            raise _too_large("+")
    elif operator == "%" and isinstance(left, str | bytes):
        _check_printf("%", left if isinstance(left, str) else left.decode("latin-1"), right)


# --------------------------------------------------------------------------- filters


def _arg(args: tuple[Any, ...], kwargs: dict[str, Any], index: int, name: str, default: Any) -> Any:
    if len(args) > index:
        return args[index]
    return kwargs.get(name, default)


def _guard_center(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    width = _arg(args, kwargs, 0, "width", 80)
    if _is_int(width) and width > MAX_VALUE_ITEMS:
        raise _too_large("center")


def _guard_indent(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    width = _arg(args, kwargs, 0, "width", 4)
    per_line = len(width) if isinstance(width, str) else width if _is_int(width) else 0
    lines = str(value).count("\n") + 1
    if per_line * lines + _size(value) > MAX_VALUE_ITEMS:
        raise _too_large("indent")


def _guard_format(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if isinstance(value, str):
        _check_printf("format", value, kwargs or args)


def _guard_replace(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    old, new = _arg(args, kwargs, 0, "old", ""), _arg(args, kwargs, 1, "new", "")
    text = str(value)
    hits = text.count(str(old)) if str(old) else len(text) + 1
    count = _arg(args, kwargs, 2, "count", None)
    if _is_int(count) and 0 <= count < hits:
        hits = count
    if len(text) + hits * len(str(new)) > MAX_VALUE_ITEMS:
        raise _too_large("replace")


def _guard_join(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    glue = _arg(args, kwargs, 0, "d", "")
    if _size(value) * len(str(glue)) + text_size(value) > MAX_VALUE_ITEMS:
        raise _too_large("join")


def _guard_wordwrap(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    width = _arg(args, kwargs, 0, "width", 79)
    wrap = _arg(args, kwargs, 2, "wrapstring", None)
    text = str(value)
    lines = len(text) // max(width if _is_int(width) else 1, 1) + text.count("\n") + 1
    if lines * len(str(wrap or "\n")) + len(text) > MAX_VALUE_ITEMS:
        raise _too_large("wordwrap")


def _guard_count(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    count = _arg(args, kwargs, 0, "linecount", _arg(args, kwargs, 0, "slices", 1))
    if _is_int(count) and count > MAX_COUNT:
        raise _too_large("batch/slice")


def _guard_tojson(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    _check_width("tojson", _arg(args, kwargs, 0, "indent", None))


def _guard_sum(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    start = _arg(args, kwargs, 1, "start", 0)
    if not isinstance(start, int | float):  # lists summed up copy quadratically
        raise _too_large("sum")


def _guard_urlize(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    text = str(value)
    extra = sum(len(str(kwargs.get(key) or "")) for key in ("rel", "target"))
    extra += sum(len(str(arg or "")) for arg in args[2:4])
    if (text.count(".") + text.count("@") + 1) * (extra + 100) + len(text) > MAX_VALUE_ITEMS:
        raise _too_large("urlize")


#: Filters that turn their input into text (its printed size is checked first).
_STRINGIFYING = frozenset(
    {
        "string", "e", "escape", "forceescape", "pprint", "tojson", "urlencode", "xmlattr",
        "upper", "lower", "title", "capitalize", "trim", "striptags", "wordcount", "safe",
        "center", "indent", "replace", "wordwrap", "truncate", "urlize", "format",
    }
)  # fmt: skip

_Guard = Callable[[Any, tuple[Any, ...], dict[str, Any]], None]
_GUARDS: dict[str, _Guard] = {
    "center": _guard_center,
    "indent": _guard_indent,
    "format": _guard_format,
    "replace": _guard_replace,
    "join": _guard_join,
    "wordwrap": _guard_wordwrap,
    "batch": _guard_count,
    "slice": _guard_count,
    "tojson": _guard_tojson,
    "sum": _guard_sum,
    "urlize": _guard_urlize,
}


_WEIGHED = frozenset({list, tuple, dict})
_SIZED = frozenset({str, bytes, list, tuple, dict, set, frozenset})


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` charging the budget (1 + items of its input) and bounded by its guard."""
    guard = _GUARDS.get(name)
    skip = 1 if _PassArg.from_obj(func) is not None else 0
    stringifying = name in _STRINGIFYING

    @functools.wraps(func)  # keeps jinja_pass_arg (pass_context …)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        value = args[skip] if len(args) > skip else None
        if name == "join" and value is not None and not hasattr(value, "__len__"):
            value = _materialize(value)  # a generator's size is needed for the guard
            args = (*args[:skip], value, *args[skip + 1 :])
        current = _BUDGET.get()
        if current is not None:  # the step counted inline: filters are hot in checks
            current.steps += 1 + (len(value) if type(value) in _WEIGHED else 0)  # type: ignore[arg-type]
            if current.steps >= current.next_clock or current.steps > current.limit:
                current.tick(0)
        if guard is not None:
            guard(value, args[skip + 1 :], kwargs)
        if stringifying:
            _check_text(name, value)
        result = func(*args, **kwargs)
        if type(result) in _SIZED and len(result) > MAX_VALUE_ITEMS:
            raise _too_large(name)
        return result

    return bounded


def _materialize(value: Any) -> Any:
    """A list of the items of an iterable without a length (charging a step each)."""
    try:
        iterator = iter(value)
    except TypeError:
        return value
    items = []
    for item in iterator:
        _tick()
        items.append(item)
        if len(items) > MAX_VALUE_ITEMS:
            raise _too_large("join")
    return items


class _Counted:
    """The iterable of a ``for`` loop, charging one step per item."""

    __slots__ = ("_iterable",)

    def __init__(self, iterable: Iterable[Any]) -> None:
        self._iterable = iterable

    def __iter__(self) -> Iterator[Any]:
        current = _BUDGET.get()
        if current is None:
            yield from self._iterable
            return
        for item in self._iterable:
            current.tick()
            yield item

    def __len__(self) -> int:
        return len(self._iterable)  # type: ignore[arg-type]  # TypeError as for the original


def _counted(value: Any) -> Any:
    """The ``_counted`` filter the compiler puts around every loop's iterable."""
    if value is None or isinstance(value, _Counted):
        return value
    try:
        iter(value)
    except TypeError:
        return value  # Jinja reports it
    return _Counted(value)


# --------------------------------------------------------------------------- methods


class _Method:
    """A method looked up in a template: callable, but never printed (no address leaks)."""

    __slots__ = ("_func", "_name")

    def __init__(self, func: Callable[..., Any], name: str) -> None:
        self._func = func
        self._name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._func(*args, **kwargs)

    def __str__(self) -> str:
        raise Refused(msg("sandbox.method-printed", name=self._name), None, self._name)

    __repr__ = __str__
    __html__ = __str__


_CALLABLES = (
    types.BuiltinFunctionType,
    types.MethodType,
    types.FunctionType,
    types.MethodWrapperType,
    functools.partial,
)

_CALLABLE_TYPES = frozenset(_CALLABLES)

_STR_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


def _check_method(func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Bounds for the methods of strings and lists that can allocate a lot."""
    inner = getattr(func, "__wrapped__", func)  # the sandbox wraps str.format
    owner = getattr(inner, "__self__", None)
    name = getattr(inner, "__name__", "")
    if isinstance(owner, str | bytes):
        if name in ("format", "format_map"):
            raise Refused(msg("sandbox.refused-attribute", name=name), None, name)
        if name in _STR_WIDTH_METHODS:
            width = args[0] if args else next(iter(kwargs.values()), 0)
            times = (owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")) or 1
            if _is_int(width) and width * (times if name == "expandtabs" else 1) > MAX_VALUE_ITEMS:
                raise _too_large(name)
        elif name == "replace" and len(args) >= 2:
            old, new = args[0], args[1]
            hits = owner.count(old) if old else len(owner) + 1
            if len(owner) + hits * len(new) > MAX_VALUE_ITEMS:
                raise _too_large(name)
        elif (
            name == "join"
            and args
            and (_size(args[0]) * len(owner) + text_size(args[0]) > MAX_VALUE_ITEMS)
        ):
            raise _too_large(name)


def _finalize(value: Any) -> Any:
    """Every ``{{ … }}`` output: refused before printing if its text would be too large."""
    if not isinstance(value, str):
        _check_text("{{ }}", value)
    return value


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
