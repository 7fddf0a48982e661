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

import attrs

from sozialraumprozess.definition.fields import GapFinder, compile_gaps
from sozialraumprozess.definition.kinds import Blocker, Gate, StateView, VersionView, gate_kind
from sozialraumprozess.definition.kinds._checkexpr import check_guard, check_names
from sozialraumprozess.definition.model import (
    RENEW_ALL,
    Criterion,
    Phase,
    Renew,
    Strand,
    Transition,
    Workflow,
)
from sozialraumprozess.i18n import msg
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
            a.id: frozenset(p.id for p in workflow.phases if a.id in p.all_artifacts)
            for a in workflow.artifacts
        }
        self.role_ids: tuple[str, ...] = tuple(role.id for role in workflow.roles)
        #: True if every criterion is a pure function of the state (for checks: names
        #: from the context only, no ``random`` filter): blockers of a state can be reused.
        criteria = [c for p in workflow.phases for c in p.exit]
        criteria += [c for t in workflow.transitions for c in t.exit]
        # Format v2: strands' criteria and transition conditions.
        criteria += [c for p in workflow.phases for s in p.strands for c in s.exit]
        criteria += [Criterion("check", t.when) for t in workflow.transitions if t.when]
        self.pure = all(gate_kind(c.kind).is_pure(c) for c in criteria)
        #: Per transition id (and ``"advance:" + phase`` for the cycle edge), what a move
        #: along it renews: ``(kind, id)`` pairs (format v2 ``renew``).
        self.renewals: dict[str, frozenset[tuple[str, str]]] = {
            t.id: _renewal_set(workflow, workflow.phase(t.target), t.renew)
            for t in workflow.transitions
            if t.renew
        }
        for phase in workflow.phases:
            target = workflow.next_phase(phase.id)
            if phase.renew and target is not None:
                key = "advance:" + phase.id
                self.renewals[key] = _renewal_set(workflow, workflow.phase(target), phase.renew)
        if self.renewals:  # only then may a version be asked for again
            self.is_current = self._is_current_renewing  # type: ignore[method-assign]
        #: Per phase id, its transitions taken by ``advance`` when their condition holds.
        self.auto: dict[str, tuple[Transition, ...]] = {}
        for transition in workflow.transitions:
            if transition.auto and transition.when:
                self.auto.setdefault(transition.source, ())
                self.auto[transition.source] += (transition,)
        self._gaps: dict[str, GapFinder] = {}
        self._phases: dict[str, tuple[Gate, ...]] = {}
        self._transitions: dict[str, tuple[Gate, ...]] = {}
        self._strands: dict[tuple[str, str], tuple[Gate, ...]] = {}
        self._conditions: dict[str, tuple[Gate, ...]] = {}

    # ------------------------------------------------------------------ use

    def phase_blockers(self, state: StateView) -> tuple[Blocker, ...]:
        """The blockers of the current phase's exit gate."""
        gates = self._phases.get(state.phase)
        if gates is None:
            phase = self.workflow.phase(state.phase)
            gates = self._compile(phase.exit, phase.responsible)
            for strand in phase.required_strands:  # format v2: the required strands' gates
                gates += self._strand_gates(phase, strand)
            self._phases[state.phase] = gates
        return _run(gates, state)

    def strand_blockers(self, phase: str, strand: str, state: StateView) -> tuple[Blocker, ...]:
        """The blockers of one strand of ``phase`` (empty: the strand is done)."""
        spec = self.workflow.phase(phase)
        found = next(s for s in spec.strands if s.id == strand)
        return _run(self._strand_gates(spec, found), state)

    def transition_blockers(self, transition: str, state: StateView) -> tuple[Blocker, ...]:
        """The blockers of a named transition's condition (``when``) and own criteria."""
        gates = self._transitions.get(transition)
        if gates is None:
            spec = self.workflow.transition(transition)
            gates = self._condition(spec) + self._compile(spec.exit, spec.allowed[0])
            self._transitions[transition] = gates
        return _run(gates, state)

    def condition_holds(self, transition: Transition, state: StateView) -> bool:
        """True if ``transition`` has no ``when`` or its condition holds in ``state``."""
        if not transition.when:
            return True
        return not _run(self._condition(transition), state)

    def auto_route(self, state: StateView) -> Transition | None:
        """The transition ``advance`` takes from the current phase: the first ``auto``
        transition whose condition holds (``None``: the default move to the next phase)."""
        for transition in self.auto.get(state.phase, ()):
            if self.condition_holds(transition, state):
                return transition
        return None

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

    def _is_current_renewing(self, version: VersionView, state: StateView) -> bool:
        """:meth:`is_current`, and not asked for again by a renewal since it was submitted."""
        renewed: Any = getattr(state, "renewed", None)
        if renewed and getattr(version, "seq", 0) < renewed.get(("artifact", version.artifact), 0):
            return False
        return WorkflowPlan.is_current(self, version, state)

    # ------------------------------------------------------------------ compile

    def _compile(self, criteria: Sequence[Criterion], responsible: str) -> tuple[Gate, ...]:
        return tuple(gate_kind(c.kind).compile(c, responsible, self) for c in criteria)

    def _strand_gates(self, phase: Phase, strand: Strand) -> tuple[Gate, ...]:
        key = (phase.id, strand.id)
        gates = self._strands.get(key)
        if gates is None:
            inner = self._compile(strand.exit, strand.responsible)
            owner = self.workflow.role(strand.responsible).title
            gates = self._strands[key] = (_in_strand(inner, strand, owner),)
        return gates

    def _condition(self, transition: Transition) -> tuple[Gate, ...]:
        gates = self._conditions.get(transition.id)
        if gates is None:
            if not transition.when:
                gates = ()
            else:
                check = Criterion("check", transition.when)
                inner = gate_kind("check").compile(check, transition.allowed[0], self)
                gates = (_as_condition(inner, transition),)
            self._conditions[transition.id] = gates
        return gates


def _in_strand(inner: tuple[Gate, ...], strand: Strand, owner: Any) -> Gate:
    """One gate running a strand's gates, its blockers naming the strand and its owner."""

    def gate(state: StateView, out: list[Blocker], cell: list[dict[str, Any]]) -> None:
        found: list[Blocker] = []
        for each in inner:
            each(state, found, cell)
        for blocker in found:
            text = msg("phases.strand-blocker", strand=strand.title, owner=owner, text=blocker.msg)
            role = blocker.role if blocker.role is not None else strand.responsible
            out.append(attrs.evolve(blocker, msg=text, strand=strand.id, role=role))

    return gate


def _as_condition(inner: Gate, transition: Transition) -> Gate:
    """The condition gate of a transition: a failed ``when`` blocks as ``condition-unmet``."""
    title = transition.title or transition.id

    def gate(state: StateView, out: list[Blocker], cell: list[dict[str, Any]]) -> None:
        found: list[Blocker] = []
        inner(state, found, cell)
        for blocker in found:
            if blocker.code == "check-failed":
                text = msg(
                    "phases.condition-unmet", transition=title, expression=transition.when or ""
                )
                blocker = attrs.evolve(blocker, code="condition-unmet", msg=text)
            out.append(blocker)

    return gate


def _renewal_set(workflow: Workflow, target: Phase, renew: Renew) -> frozenset[tuple[str, str]]:
    """The ``(kind, id)`` pairs ``renew`` names; ``all``: those of the ``target`` phase."""
    if renew == RENEW_ALL:
        criteria = [*target.exit, *(c for s in target.strands for c in s.exit)]
        pairs = {("artifact", a) for a in target.all_artifacts}
        pairs |= {("event", e) for e in target.all_events}
        pairs |= {("decision", c.target) for c in criteria if c.kind == "decision"}
        pairs |= {("event", c.target) for c in criteria if c.kind == "event"}
        pairs |= {("artifact", c.target) for c in criteria if c.kind in ("artifact", "approval")}
        return frozenset(pairs)
    sections = {
        "artifact": {a.id for a in workflow.artifacts},
        "event": {e.id for e in workflow.events},
        "decision": {d.id for d in workflow.decisions},
    }
    return frozenset(
        (kind, item) for item in renew or () for kind, ids in sections.items() if item in ids
    )


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
