"""Per-definition caches: bounded (least recently used dropped) and clearable.

What is built once per workflow definition — its phase machine, its compiled
gates — is kept in a :class:`DefinitionCache`, keyed by the definition's content
hash. A cache keeps at most :data:`MAX_DEFINITIONS` definitions, so an
application whose users edit workflows all day does not grow without end;
:func:`clear_caches` empties every such cache at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from sozialraumprozess.definition.model import Workflow

__all__ = ["MAX_DEFINITIONS", "DefinitionCache", "clear_caches", "on_clear"]

#: How many definitions each per-definition cache keeps.
MAX_DEFINITIONS = 64

_T = TypeVar("_T")
_LOCK = threading.RLock()  # re-entrant: a build may ask another cache for its value
_CLEARERS: list[Callable[[], None]] = []


class DefinitionCache(Generic[_T]):
    """Values built by ``build(workflow)`` once per content hash, the newest ``maxsize`` kept.

    Args:
        build: Makes the value for a workflow.
        maxsize: How many definitions to keep (default :data:`MAX_DEFINITIONS`).
    """

    def __init__(self, build: Callable[[Workflow], _T], maxsize: int = MAX_DEFINITIONS) -> None:
        if maxsize < 1:
            raise ValueError(f"maxsize must be at least 1, got {maxsize}")
        self.build = build
        self.maxsize = maxsize
        self._values: OrderedDict[str, _T] = OrderedDict()
        on_clear(self.clear)

    def get(self, workflow: Workflow) -> _T:
        """The value for ``workflow``, built on first use (and again after eviction)."""
        key = workflow.content_hash
        values = self._values
        value = values.get(key)
        if value is not None:
            try:  # noqa: SIM105 - quicker than contextlib.suppress; runs once per process built
                values.move_to_end(key)
            except KeyError:  # dropped by another thread meanwhile: the value is still valid
                pass
            return value
        with _LOCK:
            value = values.get(key)
            if value is None:
                value = values[key] = self.build(workflow)
                while len(values) > self.maxsize:
                    values.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, workflow: object) -> bool:
        return isinstance(workflow, Workflow) and workflow.content_hash in self._values

    def clear(self) -> None:
        """Drop every value."""
        with _LOCK:
            self._values.clear()


def on_clear(clear: Callable[[], None]) -> None:
    """Register ``clear`` to be called by :func:`clear_caches`."""
    _CLEARERS.append(clear)


def clear_caches() -> None:
    """Empty every per-definition cache (phase machines, compiled gates, …).

    Processes already built keep working with what they hold; the next process
    of a workflow builds its machine and gates again.
    """
    with _LOCK:
        for clear in _CLEARERS:
            clear()
