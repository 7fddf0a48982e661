"""A seeded fuzzer for the workflow loader: byte and structural mutations.

Every case takes one bundled workflow and mutates it, either as bytes (flip
bits, cut, repeat or insert ranges, splice in YAML tokens that have broken
loaders before) or as data (replace, delete, duplicate or move nodes; put in
huge or odd numbers, long names, hostile expressions, deep nesting), and loads
the result with :func:`~sozialraumprozess.load_workflow`. A case passes when the
load returns a workflow or raises the library's own error, within 1 s CPU.

The default test suite runs 2,000 cases (``test_fuzz_loader.py``); run more by hand::

    PYTHONPATH=src python3 tests/security/fuzz_loader.py --cases 100000 --seed 1
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
import traceback
from collections.abc import Iterator
from typing import Any

import yaml

from sozialraumprozess.definition.loader import (
    bundled_workflow_path,
    bundled_workflows,
    load_workflow,
)
from sozialraumprozess.errors import SozialraumprozessError

#: YAML fragments spliced into the bytes.
TOKENS = [
    b"!!binary aGVsbG8=",
    b"!!set {a, b}",
    b"!!omap [a: 1]",
    b"!!int abc",
    b"!!float x",
    b"!!str [a]",
    b"!!python/object:os.system",
    b"!foo bar",
    b"&a [*a]",
    b"&b x",
    b"*b",
    b"*zz",
    b"<<: *b",
    b"9" * 5000,
    b"9" * 310,
    b"-" + b"9" * 120,
    b"1e400",
    b"1e25",
    b".nan",
    b"-.inf",
    b"0x" + b"f" * 200,
    b"~",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b": :",
    b"- ",
    b"\t",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"'",
    b'"',
    b"\n---\n",
    b"\n...\n",
    b"%YAML 1.1\n",
    b"? ",
    b"|\n",
    b">-\n",
    b"x" * 300,
    "Ä".encode() * 200,
    b"{{ 7*7 }}",
    b"'a'*(2*10**9)",
    b"9**(9**9)",
    b"/etc/passwd",
    b"../../../etc/passwd",
]

#: Values put into the data tree.
VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    10**25,
    10**300,
    -(10**99),
    1e308,
    float("inf"),
    float("nan"),
    0.1,
    "",
    " ",
    "x" * 300,
    "Ä" * 200,
    "a\nb",
    "[x](javascript:alert(1))",
    "{{ self._TemplateReference__context }}",
    "'a'*(2*10**9)",
    "9**(9**9)",
    "(process.cycle+8)**(9**9)",
    "process.cycle > 0",
    "artifacts.zielkatalog.ziele | length >= 3",
    "lipsum.__globals__",
    "range(10**9)|list|length",
    "(" * 60 + "1" + ")" * 60,
    "/etc/passwd",
    "../x.md.j2",
    "P2M",
    "P99999999999Y",
    "2025-02-30",
    "majority",
    [],
    {},
    [None],
    {"": None},
    {"type": "integer", "min": 10**25, "max": -(10**25)},
    {"type": "list", "items": {"type": "list"}},
    {"check": "'a'*(2*10**9)", "message": "x"},
]


def _sources() -> list[tuple[str, bytes, Any]]:
    found = []
    for name in bundled_workflows():
        raw = bundled_workflow_path(name).read_bytes()
        found.append((name, raw, yaml.safe_load(raw)))
    return found


def mutate_bytes(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 4)):
        if not data:
            data.extend(rng.choice(TOKENS))
            continue
        at = rng.randrange(len(data))
        kind = rng.randrange(6)
        if kind == 0:
            data[at] ^= 1 << rng.randrange(8)
        elif kind == 1:
            data[at] = rng.randrange(256)
        elif kind == 2:
            del data[at : at + rng.randint(1, 200)]
        elif kind == 3:
            end = min(len(data), at + rng.randint(1, 400))
            data[at:at] = data[at:end] * rng.randint(1, 5)
        else:
            data[at:at] = rng.choice(TOKENS)
    return bytes(data)


#: Deepest node the structural mutations pick (deeper data is still loaded whole).
_PICK_DEPTH = 100


def _nodes(value: Any) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every node with its path, depth first, down to :data:`_PICK_DEPTH` (no recursion)."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), value)]
    while stack:
        path, node = stack.pop()
        yield path, node
        if len(path) >= _PICK_DEPTH:
            continue
        if isinstance(node, dict):
            stack.extend(((*path, key), item) for key, item in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend(((*path, i), item) for i, item in reversed(list(enumerate(node))))


def _parent(root: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        root = root[step]
    return root


def _deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


def mutate_data(rng: random.Random, data: Any) -> Any:
    data = json.loads(json.dumps(data))  # a deep copy (the workflows are JSON-like)
    try:
        return _mutate_data(rng, data)
    except RecursionError:  # the copy of a node nested too deep for json: keep what we have
        return data


def _mutate_data(rng: random.Random, data: Any) -> Any:
    for _ in range(rng.randint(1, 3)):
        nodes = [(p, v) for p, v in _nodes(data) if p]
        if not nodes:
            return rng.choice(VALUES)
        path, _value = rng.choice(nodes)
        parent = _parent(data, path)
        kind = rng.randrange(6)
        if kind == 0:
            parent[path[-1]] = rng.choice(VALUES)
        elif kind == 1:
            del parent[path[-1]]
        elif kind == 2 and isinstance(parent, list):
            parent.insert(path[-1], json.loads(json.dumps(parent[path[-1]])))
        elif kind == 3:
            other = rng.choice(nodes)[1]
            parent[path[-1]] = json.loads(json.dumps(other))
        elif kind == 4 and isinstance(parent, dict):
            parent[rng.choice(["x" * 300, "", "Ä" * 130, "__class__", str(path[-1]) + "_"])] = (
                parent.pop(path[-1])
            )
        else:
            parent[path[-1]] = _deep(rng.choice([10, 70, 500]))
    return data


def run_case(rng: random.Random, sources: list[tuple[str, bytes, Any]]) -> tuple[str, Any]:
    """One mutated workflow: ``("bytes", b"…")`` or ``("data"/"yaml", value)``."""
    _name, raw, data = rng.choice(sources)
    kind = rng.randrange(3)
    if kind == 0:
        return "bytes", mutate_bytes(rng, raw)
    mutated = mutate_data(rng, data)
    if kind == 1:
        return "data", mutated
    try:
        text = yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, RecursionError):
        return "data", mutated
    except ValueError:  # yaml refuses to print an int of more than 4,300 digits
        return "data", mutated
    return "yaml", text.encode("utf-8")


def fuzz(cases: int, seed: int, *, verbose: bool = False) -> dict[str, Any]:
    """Run ``cases`` mutated loads; the figures as a dict."""
    rng = random.Random(seed)
    sources = _sources()
    figures: dict[str, Any] = {
        "cases": 0,
        "loaded": 0,
        "library_errors": 0,
        "exceptions": [],
        "max_cpu_seconds": 0.0,
        "slow_loads": 0,
    }
    for _ in range(cases):
        kind, value = run_case(rng, sources)
        source: Any = io.BytesIO(value) if isinstance(value, bytes) else value
        start = time.process_time()
        try:
            load_workflow(source)
            figures["loaded"] += 1
        except SozialraumprozessError:
            figures["library_errors"] += 1
        except Exception as exc:
            detail = "".join(traceback.format_exception_only(exc)).strip()
            figures["exceptions"].append(f"{kind}: {detail[:300]}")
            if verbose:
                traceback.print_exc()
        took = time.process_time() - start
        figures["cases"] += 1
        figures["max_cpu_seconds"] = max(figures["max_cpu_seconds"], round(took, 4))
        if took > 1.0:
            figures["slow_loads"] += 1
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    start = time.monotonic()
    figures = fuzz(args.cases, args.seed, verbose=args.verbose)
    figures["wall_seconds"] = round(time.monotonic() - start, 1)
    figures["distinct_exceptions"] = sorted(set(figures["exceptions"]))[:50]
    figures["exceptions"] = len(figures["exceptions"])
    print(json.dumps(figures, indent=2))
    return 0 if figures["exceptions"] == 0 and figures["slow_loads"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
