"""The one place that uses ``transitions``: a shared phase machine per workflow.

One :class:`transitions.Machine` is built per workflow definition (cached by
the definition's content hash in a bounded :class:`._cache.DefinitionCache`) and
shared by every process of that workflow. It is created with ``model=None`` and
``auto_transitions=False``; processes are never attached (no ``add_model``).
When the machine is built, every trigger it allows is fired once from every
phase on a tiny mutable :class:`_Cursor`; commands look those answers up. A move
the machine does not allow is :class:`TransitionNotAvailable`.

Triggers: ``advance`` (each phase to its ``next`` phase) and ``via:<id>`` for
every named transition. Gates, roles and history are not the machine's
business; the process checks them before it moves. Importing this module does
not change the ``transitions`` logger.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from transitions import Machine

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import TransitionNotAvailable
from sozialraumprozess.runtime._cache import DefinitionCache

__all__ = ["ADVANCE", "PhaseMachine", "per_definition", "phase_machine", "trigger_for"]

#: The trigger of the default move to the next phase.
ADVANCE = "advance"
_VIA = "via:"


def trigger_for(transition_id: str | None) -> str:
    """The machine trigger for a named transition, or ``advance`` for ``None``."""
    return ADVANCE if transition_id is None else _VIA + transition_id


def _public(trigger: str) -> str:
    return trigger[len(_VIA) :] if trigger.startswith(_VIA) else trigger


class _Cursor:
    """The only object the machine ever touches: one mutable phase attribute."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


class PhaseMachine:
    """The phase graph of one workflow, backed by one shared transitions ``Machine``.

    Attributes:
        backward: Every ``(trigger, source, target)`` the machine allows, mapped to
            ``workflow.is_backward(source, target)``; replays check stored moves
            against it without firing.
    """

    def __init__(self, workflow: Workflow) -> None:
        phases = [phase.id for phase in workflow.phases]
        moves: list[dict[str, str]] = []
        for phase in workflow.phases:
            target = workflow.next_phase(phase.id)
            if target is not None:
                moves.append({"trigger": ADVANCE, "source": phase.id, "dest": target})
        for transition in workflow.transitions:
            moves.append(
                {
                    "trigger": trigger_for(transition.id),
                    "source": transition.source,
                    "dest": transition.target,
                }
            )
        self._machine = Machine(
            model=None,
            states=phases,
            initial=phases[0],
            transitions=moves,
            auto_transitions=False,
            send_event=False,
        )
        self.backward: dict[tuple[str, str, str], bool] = {
            (m["trigger"], m["source"], m["dest"]): workflow.is_backward(m["source"], m["dest"])
            for m in moves
        }
        # The machine's answers, asked once per (phase, trigger) when the workflow is
        # first used: commands then look the move up instead of firing the machine
        # (benchmarks/sweep_100k.py: firing cost about 3 µs per command, and each
        # firing logs ~10 records on the ``transitions`` logger, whose level this
        # library leaves as the application set it).
        self._moves: dict[tuple[str, str], str] = {}
        self._available: dict[str, tuple[str, ...]] = {}
        for phase_id in phases:
            triggers = self._machine.get_triggers(phase_id)
            self._available[phase_id] = tuple(_public(t) for t in triggers)
            for trigger in triggers:
                cursor = _Cursor(phase_id)
                self._machine.events[trigger].trigger(cursor)
                self._moves[(phase_id, trigger)] = cursor.state

    def fire(self, phase: str, trigger: str) -> str:
        """The phase reached by firing ``trigger`` in ``phase`` (the machine's answer).

        Raises:
            TransitionNotAvailable: The machine has no such move from ``phase``.
        """
        target = self._moves.get((phase, trigger))
        if target is None:
            raise TransitionNotAvailable(phase, _public(trigger), self.available(phase))
        return target

    def available(self, phase: str) -> tuple[str, ...]:
        """The moves possible from ``phase``: ``advance`` and/or transition ids."""
        return self._available.get(phase, ())


_T = TypeVar("_T")


def per_definition(
    cache: DefinitionCache[_T], workflow: Workflow, build: Callable[[Workflow], _T]
) -> _T:
    """``cache.get(workflow)`` (``build`` is the cache's own builder; kept for callers)."""
    return cache.get(workflow)


_CACHE: DefinitionCache[PhaseMachine] = DefinitionCache(PhaseMachine)


def phase_machine(workflow: Workflow) -> PhaseMachine:
    """The shared :class:`PhaseMachine` of ``workflow`` (built once per content hash)."""
    return _CACHE.get(workflow)
