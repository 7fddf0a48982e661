"""Reading the steering chain out of a run: findings, goals, deferrals, measures.

Shared by the chain's gate kinds (``goals_have_measures``, ``measures_serve_goals``,
``findings_addressed``) and by :mod:`sozialraumprozess.steering.chain`. Where the
pieces sit is found by field type, not by name:

* **findings** — every ``findings`` field of an artifact (top level), newest version;
* **goals** — every ``goals`` field, newest version;
* **deferred findings** — every ``deferred-findings`` field, newest version;
* **measures** — the items of every artifact whose ``items:`` declares
  ``kind: measure``; the goals a measure serves are the ids in its ``goal-ref`` /
  ``goal-refs`` fields, its evaluation the value of its ``evaluation`` field.

A measure whose evaluation decided ``beenden`` (stop) no longer serves its goals
(it still shows in the chain).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from attrs import frozen

from sozialraumprozess.definition.fields.reference import references_in
from sozialraumprozess.definition.model import ArtifactType, Workflow

__all__ = [
    "MEASURE",
    "ChainFinding",
    "ChainGoal",
    "ChainMeasure",
    "ChainPlan",
    "Deferral",
    "chain_plan",
    "load_time_fields",
    "load_time_items",
]

#: The kind of id (``items: {kind: measure}``) that makes an item artifact hold measures.
MEASURE = "measure"


@frozen
class ChainFinding:
    """A finding (*Befund*): ``id``, ``text``, ``priority`` (A/B/C), where it was found."""

    id: str
    text: str
    priority: str | None
    source: str | None
    artifact: str


@frozen
class ChainGoal:
    """A goal of the hierarchy, as submitted (see ``definition/fields/goals.py``)."""

    id: str
    level: str | None
    title: str
    parent: str | None
    priority: str | None
    indicators: tuple[Mapping[str, Any], ...]
    deadline: str | None
    findings: tuple[str, ...]
    field_of_action: str | None
    artifact: str


@frozen
class Deferral:
    """A finding deferred with its reason."""

    finding: str
    reason: str
    artifact: str


@frozen
class ChainMeasure:
    """A measure item: its key, state, the goals it cites, its data and evaluation."""

    artifact: str
    key: str
    state: str
    goals: tuple[str, ...]
    data: Mapping[str, Any]
    evaluation: Mapping[str, Any] | None

    @property
    def stopped(self) -> bool:
        """True if its evaluation decided to stop it (``beenden``)."""
        return self.evaluation is not None and self.evaluation.get("decision") == "beenden"


def _fields_of_type(spec: ArtifactType, type_name: str) -> tuple[str, ...]:
    return tuple(f.name for f in spec.fields if f.type == type_name)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _records(data: Mapping[str, Any], names: Sequence[str]) -> Iterable[Mapping[str, Any]]:
    for name in names:
        value = data.get(name)
        if isinstance(value, list):
            yield from (r for r in value if isinstance(r, Mapping))


class _Parsed:
    """What was read out of one data mapping, keyed by the mapping's identity.

    Replayed processes share their events' data (the fold keeps the event's
    mapping), so a sweep reading the same goal catalogue in many processes parses
    it once. The cache holds the mapping itself, so an id is never reused while
    its entry lives; it is emptied when full.
    """

    _MAX = 512

    def __init__(self) -> None:
        self.found: dict[tuple[int, str], tuple[Any, Any]] = {}

    def get(self, data: Any, what: str, read: Any) -> Any:
        key = (id(data), what)
        hit = self.found.get(key)
        if hit is not None and hit[0] is data:
            return hit[1]
        value = read(data)
        if len(self.found) >= self._MAX:
            self.found.clear()
        self.found[key] = (data, value)
        return value


_PARSED = _Parsed()


@frozen
class ChainPlan:
    """Where a workflow keeps the pieces of its steering chain (by field type).

    Attributes:
        findings: ``(artifact, field names)`` of every artifact with ``findings`` fields.
        goals: The same for ``goals`` fields.
        deferrals: The same for ``deferred-findings`` fields.
        measures: The item artifacts of kind ``measure``.
    """

    workflow: Workflow
    findings: tuple[tuple[str, tuple[str, ...]], ...]
    goals: tuple[tuple[str, tuple[str, ...]], ...]
    deferrals: tuple[tuple[str, tuple[str, ...]], ...]
    measures: tuple[str, ...]

    @property
    def key(self) -> str:
        """The definition's content hash: what is read depends on its field types."""
        return self.workflow.content_hash

    @property
    def used(self) -> bool:
        """True if the workflow keeps any piece of the chain."""
        return bool(self.findings or self.goals or self.measures)

    # -- reading a state -----------------------------------------------------------

    @staticmethod
    def _newest(state: Any, artifact: str) -> Mapping[str, Any] | None:
        versions = state.artifact_entries.get(artifact)
        return versions[-1].data if versions else None

    def _read(
        self,
        state: Any,
        sources: tuple[tuple[str, tuple[str, ...]], ...],
        tag: str,
        parser: Callable[[str, Sequence[str]], Any],
    ) -> list[Any]:
        """The entries ``parser`` reads from the newest version of each source artifact
        (parsed once per data mapping, see :data:`_PARSED`), in artifact and list order."""
        found: list[Any] = []
        for artifact, names in sources:
            data = self._newest(state, artifact)
            if data is not None:
                found.extend(
                    _PARSED.get(data, f"{tag}:{self.key}:{artifact}", parser(artifact, names))
                )
        return found

    def read_findings(self, state: Any) -> list[ChainFinding]:
        """Every finding of the newest versions, in artifact and list order."""
        return self._read(state, self.findings, "f", _findings)

    def read_goals(self, state: Any) -> list[ChainGoal]:
        """Every goal of the newest versions, in artifact and list order."""
        return self._read(state, self.goals, "g", _goals)

    def read_deferrals(self, state: Any) -> list[Deferral]:
        """Every deferred finding of the newest versions (with a non-blank reason)."""
        return self._read(state, self.deferrals, "d", _deferrals)

    def read_measures(self, state: Any) -> list[ChainMeasure]:
        """Every measure item, in artifact and creation order."""
        found: list[ChainMeasure] = []
        for artifact in self.measures:
            items = state.item_entries.get(artifact)
            if not items:
                continue
            read = _measure_parts(self.workflow.artifact(artifact))
            for item in items.values():
                goals, evaluation = _PARSED.get(item.data, f"m:{self.key}:{artifact}", read)
                found.append(
                    ChainMeasure(artifact, item.key, item.state, goals, item.data, evaluation)
                )
        return found


def _findings(artifact: str, names: Sequence[str]) -> Any:
    def read(data: Mapping[str, Any]) -> tuple[ChainFinding, ...]:
        return tuple(
            ChainFinding(
                r["id"],
                str(r.get("text") or ""),
                _text(r.get("priority")),
                _text(r.get("source")),
                artifact,
            )
            for r in _records(data, names)
            if isinstance(r.get("id"), str)
        )

    return read


def _goals(artifact: str, names: Sequence[str]) -> Any:
    def read(data: Mapping[str, Any]) -> tuple[ChainGoal, ...]:
        found = []
        for r in _records(data, names):
            if not isinstance(r.get("id"), str):
                continue
            indicators = r.get("indicators")
            findings = r.get("findings")
            found.append(
                ChainGoal(
                    r["id"],
                    _text(r.get("level")),
                    str(r.get("title") or ""),
                    _text(r.get("parent")),
                    _text(r.get("priority")),
                    tuple(i for i in indicators if isinstance(i, Mapping))
                    if isinstance(indicators, list)
                    else (),
                    _text(r.get("deadline")),
                    tuple(f for f in findings if isinstance(f, str))
                    if isinstance(findings, list)
                    else (),
                    _text(r.get("field_of_action")),
                    artifact,
                )
            )
        return tuple(found)

    return read


def _deferrals(artifact: str, names: Sequence[str]) -> Any:
    def read(data: Mapping[str, Any]) -> tuple[Deferral, ...]:
        found = []
        for r in _records(data, names):
            finding, reason = r.get("finding"), r.get("reason")
            if isinstance(finding, str) and isinstance(reason, str) and reason.strip():
                found.append(Deferral(finding, reason, artifact))
        return tuple(found)

    return read


def _measure_parts(spec: ArtifactType) -> Any:
    evaluation = _fields_of_type(spec, "evaluation")

    def read(data: Mapping[str, Any]) -> tuple[tuple[str, ...], Mapping[str, Any] | None]:
        goals = tuple(
            dict.fromkeys(ref.id for ref in references_in(spec.fields, data) if ref.kind == "goal")
        )
        value = next((data[n] for n in evaluation if isinstance(data.get(n), Mapping)), None)
        return goals, value

    return read


def _build(workflow: Workflow) -> ChainPlan:
    findings: list[tuple[str, tuple[str, ...]]] = []
    goals: list[tuple[str, tuple[str, ...]]] = []
    deferrals: list[tuple[str, tuple[str, ...]]] = []
    measures: list[str] = []
    for spec in workflow.artifacts:
        for out, type_name in (
            (findings, "findings"),
            (goals, "goals"),
            (deferrals, "deferred-findings"),
        ):
            names = _fields_of_type(spec, type_name)
            if names:
                out.append((spec.id, names))
        if spec.items is not None and spec.items.kind == MEASURE:
            measures.append(spec.id)
    return ChainPlan(workflow, tuple(findings), tuple(goals), tuple(deferrals), tuple(measures))


_PLANS: dict[str, ChainPlan] = {}


def chain_plan(workflow: Workflow) -> ChainPlan:
    """Where ``workflow`` keeps its chain (built once per definition)."""
    plan = _PLANS.get(workflow.content_hash)
    if plan is None:
        plan = _build(workflow)
        if len(_PLANS) > 64:
            _PLANS.clear()
        _PLANS[workflow.content_hash] = plan
    return plan


def load_time_fields(data: Mapping[str, Any], artifact: Any) -> dict[str, str]:
    """The raw ``fields`` of ``artifact`` in a workflow file's data: name → type."""
    artifacts = data.get("artifacts")
    spec = artifacts.get(artifact) if isinstance(artifacts, dict) else None
    fields = spec.get("fields") if isinstance(spec, dict) else None
    if not isinstance(fields, dict):
        return {}
    return {
        str(name): str(f.get("type"))
        for name, f in fields.items()
        if isinstance(f, dict) and isinstance(f.get("type"), str)
    }


def load_time_items(data: Mapping[str, Any], artifact: Any) -> Mapping[str, Any] | None:
    """The raw ``items`` block of ``artifact`` in a workflow file's data, if any."""
    artifacts = data.get("artifacts")
    spec = artifacts.get(artifact) if isinstance(artifacts, dict) else None
    items = spec.get("items") if isinstance(spec, dict) else None
    return items if isinstance(items, dict) else None
