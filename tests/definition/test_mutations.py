"""Mutated versions of the bundled workflow never raise anything but WorkflowError."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from sozialraumprozess import Workflow, WorkflowError, load_workflow
from sozialraumprozess.testing import workflow_from_string

pytestmark = pytest.mark.slow  # hundreds of hypothesis mutations: not in the quick suite

SIX = "generationengerechte-sozialraumentwicklung"
BASE = load_workflow(SIX).to_dict()

Path = tuple[str | int, ...]


def all_paths(node: Any, path: Path = ()) -> list[Path]:
    found: list[Path] = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(all_paths(value, (*path, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.extend(all_paths(value, (*path, i)))
    return found


PATHS = all_paths(BASE)
REFERENCE_WORDS = [
    "kommune",
    "rat",
    "zielkatalog",
    "zielbeschluss",
    "analysieren",
    "workshop",
    "verantwortungsgemeinschaft",
    "protokoll",
    "P2M",
    "majority",
    "list",
    "text",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(REFERENCE_WORDS),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def parent_and_key(data: Any, path: Path) -> tuple[Any, str | int]:
    node = data
    for step in path[:-1]:
        node = node[step]
    return node, path[-1]


def check(result: Any) -> None:
    """A mutated workflow either loads (and round-trips) or raises WorkflowError."""
    try:
        workflow = result()
    except WorkflowError as error:
        problems = error.issues
    else:
        problems = ()
    if problems:
        for issue in problems:
            assert issue.message("de")
            assert issue.message("en")
            assert issue.format()
        return
    assert isinstance(workflow, Workflow)
    assert load_workflow(workflow.to_dict()) == workflow


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mutations=st.lists(
        st.tuples(st.sampled_from(["delete", "replace", "insert"]), st.sampled_from(PATHS), values),
        min_size=1,
        max_size=3,
    )
)
def test_mutated_dicts_raise_only_workflow_errors(
    mutations: list[tuple[str, Path, Any]],
) -> None:
    """Deleted keys, wrong types, renamed references and random scalars."""
    data = copy.deepcopy(BASE)
    for action, path, value in mutations:
        try:
            parent, key = parent_and_key(data, path)
            if action == "delete":
                del parent[key]
            elif action == "replace":
                parent[key] = value
            elif isinstance(parent, dict):
                parent[f"{key}_x"] = value
            elif isinstance(parent, list):
                parent.insert(int(key), value)
        except (KeyError, IndexError, TypeError, ValueError):
            continue  # an earlier mutation removed or replaced this path (a list: int('id'))
    check(lambda: load_workflow(data))


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_mutated_yaml_text_raises_only_workflow_errors(data: st.DataObject) -> None:
    """Deleted lines, changed characters and indentation in the YAML text."""
    from sozialraumprozess.definition.loader import bundled_workflow_path

    lines = bundled_workflow_path(SIX).read_text("utf-8").splitlines()
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "indent", "dedent", "chars", "word"]))
        if action == "delete":
            del lines[i]
        elif action == "indent":
            lines[i] = "  " + lines[i]
        elif action == "dedent":
            lines[i] = lines[i][2:]
        elif action == "chars":
            pos = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + data.draw(st.text(max_size=3)) + lines[i][pos:]
        else:
            lines[i] = lines[i].replace(":", ": " + data.draw(st.sampled_from(REFERENCE_WORDS)), 1)
    check(lambda: workflow_from_string("\n".join(lines) + "\n", "mutated.yaml"))
