"""The plain reference rules of the gates and of completeness, kept as a test oracle.

This is the straightforward implementation the compiled engine (the gate kinds of
:mod:`sozialraumprozess.definition.kinds` compiled by ``runtime/_plan.py``, and
:func:`~sozialraumprozess.definition.fields.compile_gaps`) is held equal to, in
``tests/runtime/test_compiled.py``: no shortcuts, no reuse, every check through Jinja.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sozialraumprozess.definition.expressions import compile_check
from sozialraumprozess.definition.fields import Gap
from sozialraumprozess.definition.kinds import Blocker, Worded
from sozialraumprozess.definition.kinds.check import check_context, run_check
from sozialraumprozess.definition.model import Criterion, FieldSpec, Workflow
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime.state import ProcessState


def find_gaps(fields: Sequence[FieldSpec], data: Mapping[str, Any], path: str = "") -> list[Gap]:
    """Every empty required field and too-short list in valid ``data``, by path."""
    gaps: list[Gap] = []
    for spec in fields:
        value = data.get(spec.name)
        key = f"{path}.{spec.name}" if path else spec.name
        if (
            value is None
            or value == ""
            or value == []
            or value == {}
            or (isinstance(value, str) and not value.strip())
        ):
            if spec.required:
                gaps.append(Gap(key, "required"))
            elif spec.type == "list" and value is not None and (spec.min_items or 0) > 0:
                gaps.append(Gap(key, "min-items", spec.min_items or 0, 0))
            continue
        if spec.type == "list" or spec.type == "object":
            gaps.extend(_value_gaps(spec, value, key))
    return gaps


def _value_gaps(spec: FieldSpec, value: Any, path: str) -> list[Gap]:
    if spec.type == "object" and isinstance(value, Mapping):
        return find_gaps(spec.fields, value, path)
    if spec.type != "list" or not isinstance(value, list):
        return []
    gaps: list[Gap] = []
    if spec.min_items is not None and len(value) < spec.min_items:
        gaps.append(Gap(path, "min-items", spec.min_items, len(value)))
    items = spec.items
    if items is not None and (items.type == "list" or items.type == "object"):
        for index, item in enumerate(value):
            gaps.extend(_value_gaps(items, item, f"{path}[{index}]"))
    return gaps


def evaluate(
    workflow: Workflow, state: ProcessState, criteria: Sequence[Criterion], responsible: str
) -> tuple[Blocker, ...]:
    """The blockers among ``criteria`` in ``state``, in criterion order."""
    blockers: list[Blocker] = []
    context: dict[str, Any] | None = None
    for criterion in criteria:
        kind = criterion.kind
        if kind == "artifact":
            blockers.extend(_artifact(workflow, state, criterion))
        elif kind == "approval":
            blockers.extend(_approval(workflow, state, criterion))
        elif kind == "event":
            blockers.extend(_event(workflow, state, criterion))
        elif kind == "decision":
            blockers.extend(_decision(workflow, state, criterion))
        elif kind == "indicator_snapshot":
            blockers.extend(_snapshot(workflow, state, criterion, responsible))
        else:
            if context is None:
                context = _context(workflow, state)
            blockers.extend(
                run_check(compile_check(criterion.target), context, criterion, responsible)
            )
    return tuple(blockers)


def _context(workflow: Workflow, state: ProcessState) -> dict[str, Any]:
    artifacts = {}
    for artifact_id, versions in state.artifacts.items():
        if versions and state.is_current(versions[-1], workflow):
            artifacts[artifact_id] = versions[-1].data
    return check_context(state, artifacts)


def _artifact(workflow: Workflow, state: ProcessState, criterion: Criterion) -> list[Blocker]:
    spec = workflow.artifact(criterion.target)
    version = state.latest(spec.id)
    if version is None:
        return [
            Blocker(
                "artifact", criterion, spec.owner, "missing", msg("gate.missing", title=spec.title)
            )
        ]
    if not state.is_current(version, workflow):
        text = msg("gate.stale", title=spec.title, cycle=version.current_cycle)
        return [Blocker("artifact", criterion, spec.owner, "stale", text)]
    return [
        Blocker(
            "artifact",
            criterion,
            spec.owner,
            "incomplete",
            msg("gate.incomplete", title=spec.title, gap=gap.msg),
            gap.path,
        )
        for gap in find_gaps(spec.fields, version.data)
    ]


def _approval(workflow: Workflow, state: ProcessState, criterion: Criterion) -> list[Blocker]:
    spec = workflow.artifact(criterion.target)
    version = state.latest(spec.id)
    role = spec.approved_by
    if version is not None and not state.is_current(version, workflow):
        text = msg("gate.stale-approval", title=spec.title, cycle=version.current_cycle)
        return [Blocker("approval", criterion, role, "stale", text)]
    if version is not None and version.approved:
        return []
    by = workflow.role(role).title if role else "?"
    text = msg("gate.not-approved", title=spec.title, by=by)
    return [Blocker("approval", criterion, role, "not-approved", text)]


def _event(workflow: Workflow, state: ProcessState, criterion: Criterion) -> list[Blocker]:
    spec = workflow.event(criterion.target)
    visit = state.visit
    held = sum(1 for h in state.held if h.visit == visit and h.event == spec.id)
    if held >= criterion.count:
        return []
    if criterion.count == 1:
        text = msg("gate.not-held", title=spec.title)
    else:
        text = msg("gate.held-of", title=spec.title, held=held, needed=criterion.count)
    return [Blocker("event", criterion, spec.organizer, "not-held", text)]


def _decision(workflow: Workflow, state: ProcessState, criterion: Criterion) -> list[Blocker]:
    spec = workflow.decision(criterion.target)
    visit = state.visit
    for record in reversed(state.decisions):
        if record.visit != visit:
            break
        if record.decision == spec.id:
            if record.result.passed:
                return []
            text = msg("gate.not-passed", title=spec.title, result=Worded(record.result))
            return [Blocker("decision", criterion, spec.body, record.result.code, text)]
    return [
        Blocker(
            "decision", criterion, spec.body, "not-taken", msg("gate.not-taken", title=spec.title)
        )
    ]


def _snapshot(
    workflow: Workflow, state: ProcessState, criterion: Criterion, responsible: str
) -> list[Blocker]:
    """``indicator_snapshot``: every wanted indicator has a value in the current cycle."""
    from sozialraumprozess.definition.kinds.indicators import _Labels

    wanted = (
        [i.id for i in workflow.indicators] if criterion.target == "all" else [criterion.target]
    )
    have = {k for r in state.indicator_entries if r.cycle == state.cycle for k in r.values}
    missing = [i for i in wanted if i not in have]
    if not missing:
        return []
    labels = _Labels(tuple(workflow.indicator(i).label for i in missing))
    owner = workflow.indicator(missing[0]).recorded_by or responsible
    text = msg("indicators.gate-missing", cycle=state.cycle, indicators=labels)
    return [Blocker("indicator_snapshot", criterion, owner, "no-snapshot", text)]
