"""Safe YAML reading with positions, for workflow files and scenario files.

What this adds to ``yaml.safe_load``:

* Only ``true``/``false`` are booleans; ``yes``/``no``/``on``/``off`` stay strings
  (the "Norway problem"). Dates stay strings too (we validate them ourselves), and
  integers are decimal (``012`` is 12, not octal 10).
* Duplicate mapping keys and non-string keys are reported as issues.
* Oversized input, deep nesting, recursive aliases and alias bombs are refused
  quickly with a clear issue instead of exhausting memory.
* Numbers are bounded: an integer of more than :data:`MAX_INT_DIGITS` digits, or a
  ``!!int``/``!!float`` tag on something that is no such number, is an issue at
  its position (Python would refuse to convert more than 4,300 digits anyway);
  field types bound numbers further (see :data:`~.fields.number.MAX_NUMBER`).
* Only plain data: ``!!binary``, ``!!set``, ``!!omap``, ``!!pairs`` and unknown
  tags are refused at their position.
* The node tree is kept, so every later problem can be reported with its line
  and column (:class:`Document.locate`).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from typing import IO, Any

import yaml
from attrs import define, field
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sozialraumprozess.definition.issues import IssueCollector, PathKey
from sozialraumprozess.i18n import Message, Number, msg

__all__ = ["MAX_BYTES", "MAX_INT_DIGITS", "MAX_NODES", "Document", "read_yaml"]

#: Largest accepted input in bytes (a large real workflow has about 50 KB).
MAX_BYTES = 2 * 1024 * 1024
#: Largest accepted number of nodes once aliases are expanded.
MAX_NODES = 200_000
#: Most digits of an integer (longer ones are refused; quote them to keep them as text).
MAX_INT_DIGITS = 100

_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml if built


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """SafeLoader (libyaml-backed when available) with YAML 1.2 core scalars.

    No yes/no/on/off booleans, no timestamps, decimal integers.
    """


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in (_BOOL_TAG, _INT_TAG, _FLOAT_TAG, _TIMESTAMP_TAG)
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    _INT_TAG, re.compile(r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    _FLOAT_TAG,
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)


class _Refused(yaml.constructor.ConstructorError):
    """A value the reader refuses, with a catalog message for it."""

    def __init__(self, node: Node, text: Message, code: str = "bad-number") -> None:
        self.text = text
        self.code = code
        super().__init__(None, None, text.text("en"), node.start_mark)


def _scalar(loader: yaml.SafeLoader, node: Node) -> str:
    if not isinstance(node, ScalarNode):
        text = msg("definition.yaml-tag-not-scalar", tag=_tag(node))
        raise _Refused(node, text, "yaml-syntax")
    return str(loader.construct_scalar(node))


def _tag(node: Node) -> str:
    return str(node.tag).replace("tag:yaml.org,2002:", "!!")


def _construct_int(loader: yaml.SafeLoader, node: Node) -> int:
    value = _scalar(loader, node)
    if len(value.lstrip("+-")) > MAX_INT_DIGITS:
        raise _Refused(node, msg("definition.yaml-number-too-long", limit=MAX_INT_DIGITS))
    try:
        if value.startswith("0x"):
            return int(value, 16)
        return int(value, 10)
    except ValueError:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise _Refused(node, msg("definition.yaml-bad-number", tag="!!int", value=shown)) from None


def _construct_float(loader: yaml.SafeLoader, node: Node) -> float:
    value = _scalar(loader, node)
    if len(value) > MAX_INT_DIGITS + 20:
        raise _Refused(node, msg("definition.yaml-number-too-long", limit=MAX_INT_DIGITS))
    try:
        return yaml.SafeLoader.construct_yaml_float(loader, node)  # type: ignore[arg-type]
    except ValueError:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise _Refused(
            node, msg("definition.yaml-bad-number", tag="!!float", value=shown)
        ) from None


def _construct_unsupported(loader: yaml.SafeLoader, *args: Any) -> Any:
    node: Node = args[-1]
    text = msg("definition.yaml-unsupported-tag", tag=_tag(node))
    raise _Refused(node, text, "unsupported-value")


def _construct_bool(loader: yaml.SafeLoader, node: Node) -> bool:
    return str(loader.construct_scalar(node)).lower() == "true"  # type: ignore[arg-type]


_Loader.add_constructor(_INT_TAG, _construct_int)
_Loader.add_constructor(_FLOAT_TAG, _construct_float)
_Loader.add_constructor(_BOOL_TAG, _construct_bool)
for _tag_name in ("binary", "set", "omap", "pairs"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag_name}", _construct_unsupported)
_Loader.add_constructor(None, _construct_unsupported)  # any other (unknown) tag
# An explicit !!timestamp tag still yields a string: dates are validated by us.
_Loader.add_constructor(_TIMESTAMP_TAG, yaml.SafeLoader.construct_yaml_str)

_TAB = "found character '\\t' that cannot start any token"  # the pure-Python parser's words

#: PyYAML's problem text (a part of it) → our message; checked in this order.
_YAML_PROBLEMS: tuple[tuple[str, Message], ...] = (
    ("mapping values are not allowed", msg("definition.yaml-colon")),
    ("could not find expected ':'", msg("definition.yaml-expected-colon")),
    (_TAB, msg("definition.yaml-tab")),
    ("did not find expected key", msg("definition.yaml-expected-key")),
    ("did not find expected '-' indicator", msg("definition.yaml-expected-item")),
    ("found undefined alias", msg("definition.yaml-undefined-alias")),
    ("expected a single document in the stream", msg("definition.yaml-several-documents")),
    ("did not find expected ',' or ']'", msg("definition.yaml-unclosed-list")),
    ("did not find expected ',' or '}'", msg("definition.yaml-unclosed-mapping")),
    ("found character that cannot start any token", msg("definition.yaml-bad-character")),
    ("found unexpected end of stream", msg("definition.yaml-unexpected-end")),
)


@define
class Document:
    """A parsed YAML document: its data, its node tree and its source lines."""

    data: Any
    name: str
    node: Node | None = None
    lines: Sequence[str] = field(factory=tuple)

    def _node_at(self, path: Sequence[PathKey], *, key: bool = False) -> Node | None:
        node = self.node
        for i, step in enumerate(path):
            if node is None:
                return None
            last = i == len(path) - 1
            if isinstance(node, MappingNode) and isinstance(step, str):
                found: Node | None = None
                for knode, vnode in node.value:
                    if isinstance(knode, ScalarNode) and knode.value == step:
                        found = knode if (key and last) else vnode
                if found is None:
                    return node
                node = found
            elif isinstance(node, SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    return node
                node = node.value[step]
            else:
                return node
        return node

    def locate(
        self, path: Sequence[PathKey], *, key: bool = False
    ) -> tuple[int | None, int | None, str | None]:
        """1-based line and column of the value at ``path`` (or of its key) and that line's text.

        If the path does not exist (a missing key), the deepest existing node is used.
        """
        node = self._node_at(path, key=key)
        if node is None:
            return None, None, None
        mark = node.start_mark
        line = mark.line + 1
        text = self.lines[mark.line] if mark.line < len(self.lines) else None
        return line, mark.column + 1, text


def _yaml_problem(exc: yaml.YAMLError, lines: Sequence[str] = ()) -> Message:
    if isinstance(exc, _Refused):
        return exc.text
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    mark = getattr(exc, "problem_mark", None)
    if mark is not None and mark.line < len(lines):
        line = lines[mark.line]
        if "\t" in line[: mark.column + 1] and "token" in problem:
            return msg("definition.yaml-tab")
    for key, message in _YAML_PROBLEMS:
        if key in problem or (context and key in context):
            return message
    detail = f"{context}, {problem}" if context else problem
    return msg("definition.yaml-syntax", detail=detail)


def _expanded_size(root: Node, limit: int) -> tuple[int, bool]:
    """Number of nodes with aliases expanded (stops at ``limit``); second item: recursion found."""
    memo: dict[int, int] = {}
    active: set[int] = set()
    recursive = False

    def size(node: Node) -> int:
        nonlocal recursive
        key = id(node)
        if key in memo:
            return memo[key]
        if key in active:
            recursive = True
            return limit
        active.add(key)
        total = 1
        if isinstance(node, MappingNode):
            for k, v in node.value:
                total += size(k) + size(v)
                if total >= limit or recursive:
                    break
        elif isinstance(node, SequenceNode):
            for v in node.value:
                total += size(v)
                if total >= limit or recursive:
                    break
        active.discard(key)
        memo[key] = min(total, limit)
        return memo[key]

    return size(root), recursive


def _check_keys(node: Node, path: list[PathKey], out: IssueCollector, seen: set[int]) -> None:
    """Report duplicate and non-string keys anywhere in the tree."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        keys: dict[Hashable, Node] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, ScalarNode) or knode.tag != "tag:yaml.org,2002:str":
                out.add_at(node_mark(knode), path, "key-not-text", msg("definition.key-not-text"))
                continue
            if knode.value in keys:
                first = keys[knode.value].start_mark.line + 1
                out.add_at(
                    node_mark(knode),
                    [*path, knode.value],
                    "duplicate-key",
                    msg("definition.duplicate-key", key=knode.value, first=first),
                    hint=msg("definition.duplicate-key-hint"),
                )
            else:
                keys[knode.value] = knode
            _check_keys(vnode, [*path, knode.value], out, seen)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            _check_keys(item, [*path, i], out, seen)


def node_mark(node: Node) -> tuple[int, int]:
    """0-based (line, column) of a node's start."""
    return node.start_mark.line, node.start_mark.column


def read_yaml(
    stream: IO[str] | IO[bytes] | str | bytes,
    name: str,
    out: IssueCollector,
    *,
    max_bytes: int = MAX_BYTES,
    max_nodes: int = MAX_NODES,
) -> Document | None:
    """Parse one YAML document safely.

    Problems are added to ``out``; returns ``None`` when nothing usable was read.
    """
    raw = stream if isinstance(stream, str | bytes) else stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        out.add([], "too-large", msg("definition.file-too-large", limit=Number(max_bytes)))
        return None
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n")
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1)
            # 0x.. with two digits: hex() is enough, every byte that fails is >= 0x80
            out.add_at(
                (line, column),
                [],
                "not-utf8",
                msg("definition.not-utf8", byte=hex(raw[exc.start])),
                hint=msg("definition.not-utf8-hint"),
            )
            return None
    else:
        text = raw
    lines = text.splitlines()
    out.lines = lines
    loader = _Loader(text)
    loader.name = name
    try:
        node = loader.get_single_node()
        if node is None:
            out.add([], "empty", msg("definition.empty"), hint=msg("definition.empty-hint"))
            return None
        # Only aliases ('*name') can blow a small file up; skip the walk without them.
        size, recursive = _expanded_size(node, max_nodes) if "*" in text else (0, False)
        if recursive:
            out.add_at(node_mark(node), [], "recursive-alias", msg("definition.recursive-alias"))
            return None
        if size >= max_nodes:
            out.add_at(
                node_mark(node),
                [],
                "too-many-nodes",
                msg("definition.too-many-nodes", limit=Number(max_nodes)),
            )
            return None
        before = len(out)
        _check_keys(node, [], out, set())
        if len(out) > before:
            return None
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        position = (mark.line, mark.column) if mark is not None else None
        code = exc.code if isinstance(exc, _Refused) else "yaml-syntax"
        out.add_at(position, [], code, _yaml_problem(exc, lines))
        return None
    except yaml.YAMLError as exc:
        out.add([], "yaml-syntax", _yaml_problem(exc))
        return None
    except RecursionError:
        out.add([], "too-deep", msg("definition.document-too-deep"))
        return None
    finally:
        loader.dispose()
    return Document(data=data, name=name, node=node, lines=lines)
