"""The check gate's fast path, case by case (the property test in test_compiled.py
draws these only by chance): what it leaves to Jinja, and that what it answers is
Jinja's answer."""

from __future__ import annotations

from typing import Any

import pytest

from sozialraumprozess.definition.expressions import compile_check
from sozialraumprozess.definition.kinds._checkfast import Fallback, compile_fast


@pytest.mark.parametrize(
    "expression",
    [
        "artifacts.k.ziele | join(sep=', ') | length > 3",  # a keyword argument
        "artifacts.k.ziele | join(*artifacts.k.sep)",  # a starred argument
        "artifacts.k.ziele | default(artifacts.k.andere) | length > 0",  # not a literal
        "artifacts[artifacts.k.name] | length > 0",  # a computed key
        "loop.index > 1",  # not a name of the check context
        "artifacts.k.liste[0] > 1",  # a key that is a number
    ],
)
def test_expressions_outside_the_subset_are_left_to_jinja(expression: str) -> None:
    assert compile_fast(expression) is None


def context(k: Any) -> dict[str, Any]:
    return {"artifacts": {"k": k}, "events": {}, "decisions": {}, "process": {"cycle": 1}}


@pytest.mark.parametrize(
    ("expression", "k", "expected"),
    [
        ("artifacts.k.liste | length >= 2", {"liste": [1, 2]}, True),
        ("artifacts.k.liste | count == 0", {"liste": ""}, True),
        ("artifacts.k.liste | list | length", {"liste": [3, 4, 5]}, 3),
        ("artifacts.k.v | selectattr('ok') | list | length", {"v": [{"ok": 1}, {"ok": 0}]}, 1),
        ("artifacts['k'].name == 'x'", {"name": "x"}, True),
    ],
)
def test_answers_of_the_fast_path_are_jinjas(expression: str, k: Any, expected: Any) -> None:
    fast = compile_fast(expression)
    assert fast is not None
    assert fast(context(k)) == expected
    assert compile_check(expression)(**context(k)) == expected


@pytest.mark.parametrize(
    "expression",
    ["artifacts.k.wert | length > 0", "artifacts.k.wert | list | length > 0"],
)
def test_the_length_or_list_of_a_number_falls_back_to_jinja(expression: str) -> None:
    fast = compile_fast(expression)
    assert fast is not None
    with pytest.raises(Fallback):
        fast(context({"wert": 5}))
    with pytest.raises(TypeError):  # Jinja itself refuses: the gate reports it
        compile_check(expression)(**context({"wert": 5}))
