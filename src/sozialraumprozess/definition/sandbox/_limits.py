"""The sandbox's limits: sizes, integer bits, widths, and the step budget."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2.exceptions import SecurityError

from sozialraumprozess.i18n import Message, Number, msg

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
