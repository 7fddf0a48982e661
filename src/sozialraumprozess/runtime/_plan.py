"""The gates of one workflow, compiled once per definition and shared by its processes.

:func:`workflow_plan` returns the :class:`WorkflowPlan` of a workflow, built once
per content hash (two definitions that differ in anything get different plans).
A plan compiles each phase's and transition's exit criteria into small gate
callables on first use and gives exactly the blockers :func:`.gates.evaluate`
gives, in the same order, with the same messages:

* artifact schemas become completeness checkers (:func:`._schema.compile_gaps`);
* blockers that do not depend on the state (``missing``, ``not-approved``,
  ``not-taken``, ``check-failed`` …) are built once and reused (they are frozen);
* a ``check`` that reads nothing but ``artifacts.<id>…`` is not run through Jinja
  while that artifact is missing or out of date: its outcome for that case is
  computed once, by running the same expression on an empty context;
* a simple check runs as plain Python on the plain path (:mod:`._checks`), and
  through Jinja whenever anything is off it;
* "is this version current" is a set test on the phases producing the artifact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sozialraumprozess.definition.expressions import compile_check
from sozialraumprozess.definition.model import Criterion, Workflow
from sozialraumprozess.runtime import gates
from sozialraumprozess.runtime._cache import DefinitionCache, on_clear
from sozialraumprozess.runtime._checks import Fallback, compile_fast
from sozialraumprozess.runtime._expr import check_guard, check_names, is_pure
from sozialraumprozess.runtime._machine import PhaseMachine, phase_machine
from sozialraumprozess.runtime._schema import GapFinder, compile_gaps
from sozialraumprozess.runtime.gates import Blocker, check_context, check_labels, run_check
from sozialraumprozess.runtime.records import ArtifactVersion
from sozialraumprozess.runtime.state import ProcessState

__all__ = ["WorkflowPlan", "check_guard", "check_names", "shared", "workflow_plan"]

#: ``gate(state, out, context_cell)`` appends the criterion's blockers to ``out``;
#: ``context_cell`` holds the check context once a check has built it.
Gate = Callable[[ProcessState, list[Blocker], list[dict[str, Any]]], None]

_EMPTY_CONTEXT: dict[str, Any] = {"artifacts": {}, "events": {}, "decisions": {}, "process": {}}


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
        #: True if every check is a pure function of the state (names from the
        #: context only, no ``random`` filter): the blockers of a state can be reused.
        criteria = [c for p in workflow.phases for c in p.exit]
        criteria += [c for t in workflow.transitions for c in t.exit]
        self.pure = all(is_pure(c.target) for c in criteria if c.kind == "check")
        self._gaps: dict[str, GapFinder] = {}
        self._phases: dict[str, tuple[Gate, ...]] = {}
        self._transitions: dict[str, tuple[Gate, ...]] = {}

    # ------------------------------------------------------------------ use

    def phase_blockers(self, state: ProcessState) -> tuple[Blocker, ...]:
        """The blockers of the current phase's exit gate."""
        gates = self._phases.get(state.phase)
        if gates is None:
            phase = self.workflow.phase(state.phase)
            gates = self._phases[state.phase] = self._compile(phase.exit, phase.responsible)
        return _run(gates, state)

    def transition_blockers(self, transition: str, state: ProcessState) -> tuple[Blocker, ...]:
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

    def is_current(self, version: ArtifactVersion, state: ProcessState) -> bool:
        """:meth:`ProcessState.is_current`, with the producing phases looked up once."""
        if version.current_cycle >= state.cycle:
            return True
        producers = self.producers.get(version.artifact)
        if producers is None:  # not an artifact of this workflow: the slow, exact way
            return state.is_current(version, self.workflow)
        return producers.isdisjoint(state.cycle_phases)

    def current_data(self, state: ProcessState) -> dict[str, Any]:
        """The ``artifacts`` part of :func:`.gates.check_context`."""
        is_current = self.is_current
        data: dict[str, Any] = {}
        for artifact, versions in state.artifacts.items():
            if versions:
                v = versions[-1]
                if is_current(v, state):
                    data[artifact] = v.data
        return data

    # ------------------------------------------------------------------ compile

    def _compile(self, criteria: Sequence[Criterion], responsible: str) -> tuple[Gate, ...]:
        compilers: dict[str, Callable[[Criterion, str], Gate]] = {
            "artifact": self._artifact,
            "approval": self._approval,
            "event": self._event,
            "decision": self._decision,
        }
        return tuple(compilers.get(c.kind, self._check)(c, responsible) for c in criteria)

    def _artifact(self, criterion: Criterion, responsible: str) -> Gate:
        spec = self.workflow.artifact(criterion.target)
        aid = spec.id
        absent = gates.missing(criterion, spec)
        find_gaps = self.gaps(aid)
        is_current = self.is_current

        def gate(state: ProcessState, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            versions = state.artifacts.get(aid)
            if not versions:
                out.append(absent)
                return
            version = versions[-1]
            if not is_current(version, state):
                out.append(gates.stale("artifact", criterion, spec, version.current_cycle))
                return
            for gap in find_gaps(version.data):
                out.append(gates.incomplete(criterion, spec, gap))

        return gate

    def _approval(self, criterion: Criterion, responsible: str) -> Gate:
        workflow = self.workflow
        spec = workflow.artifact(criterion.target)
        aid = spec.id
        not_approved: list[Blocker] = []  # built on first use (it looks up the role)
        is_current = self.is_current

        def gate(state: ProcessState, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            versions = state.artifacts.get(aid)
            version = versions[-1] if versions else None
            if version is not None and not is_current(version, state):
                out.append(gates.stale("approval", criterion, spec, version.current_cycle))
                return
            if version is not None and version.approved_by is not None:
                return
            if not not_approved:
                not_approved.append(gates.not_approved(workflow, criterion, spec))
            out.append(not_approved[0])

        return gate

    def _event(self, criterion: Criterion, responsible: str) -> Gate:
        spec = self.workflow.event(criterion.target)
        eid, count = spec.id, criterion.count
        none_held = gates.not_held(criterion, spec, 0)

        def gate(state: ProcessState, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            visit = state.visit
            held = 0
            for record in reversed(state.held):  # visits only grow: the current ones are last
                if record.visit != visit:
                    break
                if record.event == eid:
                    held += 1
            if held < count:
                out.append(none_held if held == 0 else gates.not_held(criterion, spec, held))

        return gate

    def _decision(self, criterion: Criterion, responsible: str) -> Gate:
        spec = self.workflow.decision(criterion.target)
        did = spec.id
        not_taken = gates.not_taken(criterion, spec)

        def gate(state: ProcessState, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            visit = state.visit
            for record in reversed(state.decisions):
                if record.visit != visit:
                    break
                if record.decision == did:
                    result = record.result
                    if not result.passed:
                        out.append(gates.not_passed(criterion, spec, result))
                    return
            out.append(not_taken)

        return gate

    def _check(self, criterion: Criterion, responsible: str) -> Gate:
        workflow = self.workflow
        de, en = check_labels(criterion)
        check = compile_check(criterion.target)
        failed = Blocker("check", criterion, responsible, "check-failed", de, en)
        guard = check_guard(criterion.target)
        # The outcome while the guard artifact is not in the context, computed once.
        absent = (
            run_check(check, _EMPTY_CONTEXT, criterion, responsible, de, en, failed)
            if guard is not None
            else []
        )
        is_current = self.is_current
        # An expression that reads only ``artifacts`` gets only that part of the
        # context built (the parts it never reads cannot change its result).
        only_artifacts = check_names(criterion.target) == frozenset({"artifacts"})
        current_data = self.current_data
        fast = compile_fast(criterion.target)

        def gate(state: ProcessState, out: list[Blocker], cell: list[dict[str, Any]]) -> None:
            if guard is not None:
                versions = state.artifacts.get(guard)
                if not versions or not is_current(versions[-1], state):
                    out.extend(absent)
                    return
            if cell:
                context = cell[0]
            elif only_artifacts:
                context = {**_EMPTY_CONTEXT, "artifacts": current_data(state)}
            else:
                context = check_context(workflow, state, current_data(state))
                cell.append(context)
            if fast is not None:
                try:
                    ok = bool(fast(context))
                except Fallback:  # off the plain path: Jinja decides, as always
                    pass
                else:
                    if not ok:
                        out.append(failed)
                    return
            out.extend(run_check(check, context, criterion, responsible, de, en, failed))

        return gate


def _run(gates: tuple[Gate, ...], state: ProcessState) -> tuple[Blocker, ...]:
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
