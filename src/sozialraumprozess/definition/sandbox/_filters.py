"""Bounded filters and string methods: arguments checked first, results after."""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2.utils import _PassArg

from sozialraumprozess.definition.sandbox._limits import (
    _BUDGET,
    MAX_COUNT,
    MAX_VALUE_ITEMS,
    Refused,
    _check_printf,
    _check_text,
    _check_width,
    _is_int,
    _size,
    _tick,
    _too_large,
    text_size,
)
from sozialraumprozess.i18n import msg

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
