"""Gates that explain themselves: every unmet exit criterion as a :class:`Blocker`.

Only what belongs to the current situation counts:

* ``artifact``/``approval``: the newest version, if it is current in this cycle
  (submitted or confirmed in it); a version from an earlier cycle is reported as
  ``aus Zyklus N — neu zu bestätigen``;
* ``event``: events of that type held during the current phase visit;
* ``decision``: the newest decision of that type taken during the current visit;
* ``check``: the expression over ``artifacts`` (current data), ``events`` and
  ``decisions`` (of the current cycle) and ``process``.

:func:`evaluate` is the plain reference implementation. Processes use the same
rules compiled once per workflow (:mod:`._plan`), which the tests hold equal to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from attrs import frozen

from sozialraumprozess.definition.expressions import compile_check
from sozialraumprozess.definition.model import (
    ArtifactType,
    Criterion,
    DecisionType,
    EventType,
    Workflow,
)
from sozialraumprozess.runtime.records import DecisionResult
from sozialraumprozess.runtime.state import ProcessState
from sozialraumprozess.runtime.validation import Gap, find_gaps

__all__ = ["Blocker", "check_context", "check_labels", "evaluate", "run_check"]

_MISSING = re.compile(r"has no attribute '([^']+)'")


@frozen
class Blocker:
    """One unmet exit criterion, with who can resolve it and why it blocks.

    Attributes:
        kind: The criterion kind: ``artifact``, ``approval``, ``event``, ``decision``, ``check``.
        criterion: The criterion from the definition.
        role: The role that owns it (artifact owner, approver, organiser, body; the
            phase's responsible role for checks).
        code: Why it is unmet: ``missing``, ``stale``, ``incomplete``, ``not-approved``,
            ``not-held``, ``not-taken``, ``rejected``, ``no-quorum``, ``no-consensus``,
            ``check-failed``, ``check-error``.
        message_de: The explanation in German.
        message_en: The explanation in English.
        path: For ``incomplete``: the field path (``einwohnerzahl``, ``ziele[0].titel``).
    """

    kind: str
    criterion: Criterion
    role: str | None
    code: str
    message_de: str
    message_en: str
    path: str | None = None

    @property
    def target(self) -> str:
        """The artifact/event/decision id, or the expression of a check."""
        return self.criterion.target

    def message(self, lang: str = "de") -> str:
        """The explanation in ``lang``."""
        return self.message_en if lang == "en" else self.message_de

    def to_dict(self, lang: str = "de") -> dict[str, Any]:
        """JSON-compatible: ``kind``, ``target``, ``role``, ``code``, ``path``, ``message``."""
        return {
            "kind": self.kind,
            "target": self.target,
            "role": self.role,
            "code": self.code,
            "path": self.path,
            "message": self.message(lang),
        }


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
        else:
            if context is None:
                context = check_context(workflow, state)
            blockers.extend(_check(criterion, context, responsible))
    return tuple(blockers)


# The blockers, one constructor per reason: the reference rules below and the
# compiled gates (:mod:`._plan`) build every blocker through these.


def missing(criterion: Criterion, spec: ArtifactType) -> Blocker:
    """No version of the artifact exists."""
    de, en = spec.title.get("de"), spec.title.get("en")
    return Blocker(
        "artifact",
        criterion,
        spec.owner,
        "missing",
        f"Artefakt '{de}' fehlt",
        f"Artifact '{en}' is missing",
    )


def stale(kind: str, criterion: Criterion, spec: ArtifactType, cycle: int) -> Blocker:
    """The newest version (``kind`` ``artifact``) or its approval is from ``cycle``."""
    de, en = spec.title.get("de"), spec.title.get("en")
    if kind == "artifact":
        return Blocker(
            "artifact",
            criterion,
            spec.owner,
            "stale",
            f"Artefakt '{de}' aus Zyklus {cycle} — neu zu bestätigen",
            f"Artifact '{en}' from cycle {cycle} — to be confirmed again",
        )
    return Blocker(
        "approval",
        criterion,
        spec.approved_by,
        "stale",
        f"Freigabe von '{de}' aus Zyklus {cycle} — neu zu bestätigen",
        f"Approval of '{en}' from cycle {cycle} — to be confirmed again",
    )


def incomplete(criterion: Criterion, spec: ArtifactType, gap: Gap) -> Blocker:
    """The newest version has ``gap``."""
    de, en = spec.title.get("de"), spec.title.get("en")
    return Blocker(
        "artifact",
        criterion,
        spec.owner,
        "incomplete",
        f"Artefakt '{de}': {gap.message('de')}",
        f"Artifact '{en}': {gap.message('en')}",
        gap.path,
    )


def not_approved(workflow: Workflow, criterion: Criterion, spec: ArtifactType) -> Blocker:
    """The newest version is not approved."""
    de, en = spec.title.get("de"), spec.title.get("en")
    role = spec.approved_by
    by_de = workflow.role(role).title.get("de") if role else "?"
    by_en = workflow.role(role).title.get("en") if role else "?"
    return Blocker(
        "approval",
        criterion,
        role,
        "not-approved",
        f"Artefakt '{de}' ist nicht freigegeben (Freigabe durch {by_de})",
        f"Artifact '{en}' is not approved (approval by {by_en})",
    )


def not_held(criterion: Criterion, spec: EventType, held: int) -> Blocker:
    """The event was held ``held`` times in this visit, fewer than ``criterion.count``."""
    de, en = spec.title.get("de"), spec.title.get("en")
    if criterion.count == 1:
        text_de = f"Veranstaltung '{de}' nicht abgehalten"
        text_en = f"Event '{en}' not held"
    else:
        text_de = f"Veranstaltung '{de}': {held} von {criterion.count} abgehalten"
        text_en = f"Event '{en}': {held} of {criterion.count} held"
    return Blocker("event", criterion, spec.organizer, "not-held", text_de, text_en)


def not_taken(criterion: Criterion, spec: DecisionType) -> Blocker:
    """No decision of the type in this visit."""
    de, en = spec.title.get("de"), spec.title.get("en")
    return Blocker(
        "decision",
        criterion,
        spec.body,
        "not-taken",
        f"Beschluss '{de}' fehlt",
        f"Decision '{en}' has not been taken",
    )


def not_passed(criterion: Criterion, spec: DecisionType, result: DecisionResult) -> Blocker:
    """The newest decision of the type in this visit did not pass."""
    de, en = spec.title.get("de"), spec.title.get("en")
    return Blocker(
        "decision",
        criterion,
        spec.body,
        result.code,
        f"Beschluss '{de}' nicht gefasst: {result.message('de')}",
        f"Decision '{en}' not passed: {result.message('en')}",
    )


# The reference rules.


def _artifact(workflow: Workflow, state: ProcessState, criterion: Criterion) -> list[Blocker]:
    spec = workflow.artifact(criterion.target)
    version = state.latest(spec.id)
    if version is None:
        return [missing(criterion, spec)]
    if not state.is_current(version, workflow):
        return [stale("artifact", criterion, spec, version.current_cycle)]
    return [incomplete(criterion, spec, gap) for gap in find_gaps(spec.fields, version.data)]


def _approval(workflow: Workflow, state: ProcessState, criterion: Criterion) -> list[Blocker]:
    spec = workflow.artifact(criterion.target)
    version = state.latest(spec.id)
    if version is not None and not state.is_current(version, workflow):
        return [stale("approval", criterion, spec, version.current_cycle)]
    if version is not None and version.approved:
        return []
    return [not_approved(workflow, criterion, spec)]


def _event(workflow: Workflow, state: ProcessState, criterion: Criterion) -> list[Blocker]:
    spec = workflow.event(criterion.target)
    visit = state.visit
    held = sum(1 for h in state.held if h.visit == visit and h.event == spec.id)
    return [] if held >= criterion.count else [not_held(criterion, spec, held)]


def _decision(workflow: Workflow, state: ProcessState, criterion: Criterion) -> list[Blocker]:
    spec = workflow.decision(criterion.target)
    visit = state.visit
    for record in reversed(state.decisions):
        if record.visit != visit:
            break
        if record.decision == spec.id:
            return [] if record.result.passed else [not_passed(criterion, spec, record.result)]
    return [not_taken(criterion, spec)]


def check_labels(criterion: Criterion) -> tuple[str, str]:
    """The German and English text of a failed ``check`` criterion."""
    label = criterion.message
    de = label.get("de") if label else f"Prüfung nicht erfüllt: {criterion.target}"
    en = label.get("en") if label else f"Check not met: {criterion.target}"
    return de, en


def _check(criterion: Criterion, context: dict[str, Any], responsible: str) -> list[Blocker]:
    de, en = check_labels(criterion)
    return run_check(compile_check(criterion.target), context, criterion, responsible, de, en)


def run_check(
    check: Callable[..., Any],
    context: dict[str, Any],
    criterion: Criterion,
    responsible: str,
    de: str,
    en: str,
    failed: Blocker | None = None,
) -> list[Blocker]:
    """The blockers of one compiled ``check`` over ``context`` (``failed``: reused if given)."""
    try:
        ok = bool(check(**context))
    except Exception as exc:  # any failure of a user expression blocks the gate
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        missing = _MISSING.search(reason)
        if missing:
            reason_de = f"'{missing.group(1)}' fehlt"
            reason_en = f"'{missing.group(1)}' is missing"
        else:
            reason_de = reason_en = reason
        return [
            Blocker(
                "check",
                criterion,
                responsible,
                "check-error",
                f"{de} (nicht prüfbar: {reason_de})",
                f"{en} (cannot be checked: {reason_en})",
            )
        ]
    if ok:
        return []
    return [failed or Blocker("check", criterion, responsible, "check-failed", de, en)]


def check_context(
    workflow: Workflow, state: ProcessState, artifacts: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The read-only data ``check`` expressions see (plain dicts and lists).

    ``artifacts``: the data of every artifact's newest version that is current
    (computed here unless given); ``events``: per event id, the holdings of the
    current cycle; ``decisions``: per decision id, the newest one of the current
    cycle (with ``passed``); ``process``: ``phase``, ``cycle`` and ``sozialraum``.
    """
    if artifacts is None:
        artifacts = {}
        for artifact_id, versions in state.artifacts.items():
            if versions and state.is_current(versions[-1], workflow):
                artifacts[artifact_id] = versions[-1].data
    events: dict[str, list[dict[str, Any]]] = {}
    for held in state.held:
        if held.cycle == state.cycle:
            events.setdefault(held.event, []).append(
                {
                    "date": held.date,
                    "participants": held.participants,
                    "notes": held.notes,
                    "phase": held.phase,
                }
            )
    decisions: dict[str, dict[str, Any]] = {}
    for record in state.decisions:
        if record.cycle == state.cycle:
            decisions[record.decision] = {
                "date": record.date,
                "yes": record.yes,
                "no": record.no,
                "abstain": record.abstain,
                "consensus": record.consensus,
                "passed": record.result.passed,
                "text": record.text,
            }
    room = state.sozialraum
    process = {
        "phase": state.phase,
        "cycle": state.cycle,
        "sozialraum": {
            "name": room.name if room else "",
            "description": room.description if room else "",
            "data": room.data if room else {},
        },
    }
    return {"artifacts": artifacts, "events": events, "decisions": decisions, "process": process}
