"""Per-definition caches are bounded (least recently used dropped) and can be cleared."""

from __future__ import annotations

import logging

import attrs
import pytest

from sozialraumprozess.definition.model import Label, Workflow
from sozialraumprozess.runtime import _machine, _plan, clear_caches
from sozialraumprozess.runtime._cache import MAX_DEFINITIONS, DefinitionCache
from sozialraumprozess.runtime.process import Process


def _variant(workflow: Workflow, n: int) -> Workflow:
    """The workflow with another title: another content hash, the same phases."""
    return attrs.evolve(workflow, title=Label(f"Variante {n}"))


def test_a_cache_keeps_the_newest_definitions(workflow: Workflow) -> None:
    built: list[str] = []

    def build(w: Workflow) -> str:
        built.append(w.content_hash)
        return w.content_hash

    cache: DefinitionCache[str] = DefinitionCache(build, maxsize=3)
    variants = [_variant(workflow, n) for n in range(5)]
    for v in variants[:3]:
        assert cache.get(v) == v.content_hash
    cache.get(variants[0])  # used again: now the newest
    cache.get(variants[3])  # drops the least recently used: variant 1
    assert len(cache) == 3
    assert variants[0] in cache
    assert variants[1] not in cache
    assert cache.get(variants[0]) == variants[0].content_hash
    assert built.count(variants[0].content_hash) == 1
    cache.get(variants[1])
    assert built.count(variants[1].content_hash) == 2  # built again after it was dropped
    with pytest.raises(ValueError, match="at least 1"):
        DefinitionCache(build, maxsize=0)


def test_machines_and_plans_stay_bounded(workflow: Workflow) -> None:
    for n in range(MAX_DEFINITIONS + 10):
        variant = _variant(workflow, n)
        Process.start(variant, sozialraum="S", by="kommune").blockers()
    assert len(_machine._CACHE) == MAX_DEFINITIONS
    assert len(_plan._CACHE) == MAX_DEFINITIONS


def test_clear_caches_empties_them_and_processes_keep_working(workflow: Workflow) -> None:
    process = Process.start(workflow, sozialraum="S", by="kommune")
    before = process.blockers()
    assert len(_machine._CACHE) >= 1
    assert len(_plan._CACHE) >= 1
    clear_caches()
    assert len(_machine._CACHE) == 0
    assert len(_plan._CACHE) == 0
    assert _plan._LAST is None
    assert process.blockers() == before
    again = Process.start(workflow, sozialraum="S", by="kommune")
    assert again.blockers() == before
    assert workflow in _machine._CACHE


def test_importing_the_library_leaves_the_transitions_logger_alone() -> None:
    """The application decides how loud ``transitions`` is, not this library."""
    import subprocess
    import sys

    code = (
        "import logging; logging.getLogger('transitions').setLevel(logging.DEBUG)\n"
        "import sozialraumprozess\n"
        "from sozialraumprozess import Process, load_workflow\n"
        "w = load_workflow('generationengerechte-sozialraumentwicklung')\n"
        "Process.start(w, sozialraum='X', by='kommune')\n"
        "print(logging.getLogger('transitions').level)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == str(logging.DEBUG)
