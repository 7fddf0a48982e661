"""The loader fuzzer (``fuzz_loader.py``) in the default suite: 2,000 seeded cases.

Issue 13, "Must hold": 0 exceptions other than the library's own error type and
0 loads over 1 s CPU. (On main before issue 13, the same 2,000 cases gave two
tracebacks and one load of 21 s CPU.)
"""

from __future__ import annotations

import random

from tests.security.fuzz_loader import _sources, fuzz, mutate_bytes, mutate_data

from sozialraumprozess.errors import SozialraumprozessError


def test_two_thousand_mutated_workflows_load_or_fail_cleanly() -> None:
    """Every case returns a workflow or raises our error, each within 1 s CPU."""
    figures = fuzz(2000, seed=13)
    assert figures["cases"] == 2000
    assert figures["exceptions"] == []
    assert figures["slow_loads"] == 0
    assert figures["max_cpu_seconds"] < 1.0
    # the mutations reach both outcomes: some still load, most are refused
    assert figures["loaded"] > 50
    assert figures["library_errors"] > 1000


def test_the_mutators_change_their_input_and_are_repeatable() -> None:
    """Same seed, same cases; a mutation never leaves the workflow as it was."""
    name, raw, data = _sources()[0]
    first = [mutate_bytes(random.Random(i), raw) for i in range(20)]
    again = [mutate_bytes(random.Random(i), raw) for i in range(20)]
    assert first == again
    assert all(case != raw for case in first)
    assert all(mutate_data(random.Random(i), data) != data for i in range(20))
    assert issubclass(SozialraumprozessError, Exception), name
