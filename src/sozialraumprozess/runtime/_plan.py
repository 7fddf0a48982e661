"""The gates of one workflow, compiled once per definition and shared by its processes.

:func:`workflow_plan` returns the :class:`WorkflowPlan` of a workflow, built once
per content hash (two definitions that differ in anything get different plans).
A plan compiles each phase's and transition's exit criteria on first use, each by
its gate kind (:meth:`GateKind.compile
<sozialraumprozess.definition.kinds.GateKind.compile>`), into small gate callables;
it is the :class:`~sozialraumprozess.definition.kinds.GateEnv` they are compiled
with:

* artifact schemas become completeness checkers
  (:func:`~sozialraumprozess.definition.fields.compile_gaps`);
* "is this version current" is a set test on the phases producing the artifact.

This is the only gate engine; the tests hold it equal to a plain reference
implementation kept in ``tests/runtime/oracle.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sozialraumprozess.definition.fields import GapFinder, compile_gaps
from sozialraumprozess.definition.kinds import Blocker, Gate, StateView, VersionView, gate_kind
from sozialraumprozess.definition.kinds._checkexpr import check_guard, check_names
from sozialraumprozess.definition.model import Criterion, Workflow
from sozialraumprozess.runtime._cache import DefinitionCache, on_clear
from sozialraumprozess.runtime._machine import PhaseMachine, phase_machine

__all__ = ["WorkflowPlan", "check_guard", "check_names", "shared", "workflow_plan"]


class WorkflowPlan:
    """Compiled gates and lookups of one workflow definition.

    Attributes:
        content_hash: The definition's content hash (the cache key).
        producers: Per artifact id, the phases that produce it.
        role_ids: Every role id, in definition order.
    """

    def __init__(self, workflow: Workflow) -> None:
        self.workflow = workflow
        self.content_hash = workflow.content_hash
        self.producers: dict[str, frozenset[str]] = {
            a.id: frozenset(p.id for p in workflow.phases if a.id in p.artifacts)
            for a in workflow.artifacts
        }
        self.role_ids: tuple[str, ...] = tuple(role.id for role in workflow.roles)
        #: True if every criterion is a pure function of the state (for checks: names
        #: from the context only, no ``random`` filter): blockers of a state can be reused.
        criteria = [c for p in workflow.phases for c in p.exit]
        criteria += [c for t in workflow.transitions for c in t.exit]
        self.pure = all(gate_kind(c.kind).is_pure(c) for c in criteria)
        self._gaps: dict[str, GapFinder] = {}
        self._phases: dict[str, tuple[Gate, ...]] = {}
        self._transitions: dict[str, tuple[Gate, ...]] = {}

    # ------------------------------------------------------------------ use

    def phase_blockers(self, state: StateView) -> tuple[Blocker, ...]:
        """The blockers of the current phase's exit gate."""
        gates = self._phases.get(state.phase)
        if gates is None:
            phase = self.workflow.phase(state.phase)
            gates = self._phases[state.phase] = self._compile(phase.exit, phase.responsible)
        return _run(gates, state)

    def transition_blockers(self, transition: str, state: StateView) -> tuple[Blocker, ...]:
        """The blockers of a named transition's own criteria."""
        gates = self._transitions.get(transition)
        if gates is None:
            spec = self.workflow.transition(transition)
            gates = self._transitions[transition] = self._compile(spec.exit, spec.allowed[0])
        return _run(gates, state)

    def gaps(self, artifact: str) -> GapFinder:
        """The compiled completeness checker of an artifact type."""
        finder = self._gaps.get(artifact)
        if finder is None:
            finder = self._gaps[artifact] = compile_gaps(self.workflow.artifact(artifact).fields)
        return finder

    def is_current(self, version: VersionView, state: StateView) -> bool:
        """True unless ``version`` is from an earlier cycle that has since passed its phase.

        A version counts in the current cycle if it was submitted or confirmed in
        it, or if the current cycle has not (yet) entered a phase producing it.
        """
        if version.current_cycle >= state.cycle:
            return True
        producers = self.producers.get(version.artifact)
        if producers is None:  # not an artifact of this workflow
            return True
        return producers.isdisjoint(state.cycle_phases)

    # ------------------------------------------------------------------ compile

    def _compile(self, criteria: Sequence[Criterion], responsible: str) -> tuple[Gate, ...]:
        return tuple(gate_kind(c.kind).compile(c, responsible, self) for c in criteria)


def _run(gates: tuple[Gate, ...], state: StateView) -> tuple[Blocker, ...]:
    out: list[Blocker] = []
    cell: list[dict[str, Any]] = []
    for gate in gates:
        gate(state, out, cell)
    return tuple(out)


_CACHE: DefinitionCache[WorkflowPlan] = DefinitionCache(WorkflowPlan)


def workflow_plan(workflow: Workflow) -> WorkflowPlan:
    """The shared :class:`WorkflowPlan` of ``workflow`` (built once per content hash)."""
    return _CACHE.get(workflow)


def shared(workflow: Workflow) -> tuple[Workflow, PhaseMachine, WorkflowPlan]:
    """``(workflow, phase_machine(workflow), workflow_plan(workflow))``.

    The last answer is kept and returned again while the same workflow object
    asks (an identity test instead of two hash lookups per process).
    """
    global _LAST
    last = _LAST
    if last is not None and last[0] is workflow:
        return last
    last = _LAST = (workflow, phase_machine(workflow), workflow_plan(workflow))
    return last


_LAST: tuple[Workflow, PhaseMachine, WorkflowPlan] | None = None


def _forget_last() -> None:
    global _LAST
    _LAST = None


on_clear(_forget_last)
