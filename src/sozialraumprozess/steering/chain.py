"""The *Wirkungskette*: finding → goal → measure → implementation → effect.

:func:`wirkungskette` reads a run's state through the workflow's chain plan
(:mod:`sozialraumprozess.definition.kinds._chain`: findings, goals, deferrals and
measures found by field type) and answers a :class:`Wirkungskette`: the goals in
hierarchy order, each finding with the goals that address it (or its deferral),
each measure with its goals, state and evaluation, the chain as table rows, and
the broken links the chain's gates would name. :meth:`Wirkungskette.to_dict` is
the JSON form (API, CLI ``--json``, document and report templates);
:func:`chain_svg` draws the chain as a static SVG (no JavaScript).

An indicator movement is the *effect*: what a measure's evaluation observed
(``indicators: [{indicator, change, note}]``) next to the goal's target
(``base → target`` by ``date``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import frozen

from sozialraumprozess.definition.fields._format import format_number
from sozialraumprozess.definition.fields.goals import LEVELS, level_title
from sozialraumprozess.definition.kinds._chain import (
    ChainFinding,
    ChainGoal,
    ChainMeasure,
    Deferral,
    chain_plan,
)
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.i18n import Lang, Message, msg
from sozialraumprozess.steering.indicators import Target

__all__ = [
    "Wirkungskette",
    "chain_svg",
    "chain_texts",
    "chain_used",
    "goal_targets",
    "wirkungskette",
]

#: The words of the chain's document and report section (``k`` in templates).
TEXTS: dict[str, Message] = {
    "title": msg("chain.title"),
    "finding": msg("chain.col-finding"),
    "findings": msg("chain.col-findings"),
    "goal": msg("chain.col-goal"),
    "goals": msg("chain.col-goals"),
    "level": msg("chain.col-level"),
    "targets": msg("chain.col-targets"),
    "measure": msg("chain.col-measure"),
    "measures": msg("chain.col-measures"),
    "implementation": msg("chain.col-implementation"),
    "effect": msg("chain.col-effect"),
    "broken": msg("chain.broken-head"),
    "complete": msg("chain.complete"),
    "diagram": msg("chain.diagram"),
    "id": msg("chain.key-id"),
    "priority": msg("chain.key-priority"),
    "source": msg("chain.key-source"),
    "parent": msg("chain.key-parent"),
    "deadline": msg("chain.key-deadline"),
    "field_of_action": msg("chain.key-field-of-action"),
    "addressed": msg("chain.key-findings"),
    "deferred": msg("chain.deferred-head"),
    "deferred_short": msg("chain.deferred-short"),
    "measure_list": msg("chain.col-measure-list"),
    "reason": msg("chain.key-reason"),
    "responsible": msg("chain.key-responsible"),
    "period": msg("chain.key-period"),
    "cost": msg("chain.key-cost"),
    "state": msg("chain.key-state"),
    "evaluation": msg("chain.key-evaluation"),
    "decision": msg("chain.key-decision"),
    "none": msg("chain.none"),
    "leitziel": msg("chain.level-leitziel"),
    "wirkungsziel": msg("chain.level-wirkungsziel"),
    "handlungsziel": msg("chain.level-handlungsziel"),
    "sum": msg("chain.sum"),
}


def chain_texts(lang: Lang) -> dict[str, str]:
    """The words of :data:`TEXTS` in ``lang``."""
    return {key: text.text(lang) for key, text in TEXTS.items()}


def chain_used(workflow: Workflow) -> bool:
    """True if ``workflow`` keeps findings, goals or measures."""
    return chain_plan(workflow).used


def _decision_title(decision: Any) -> Message | None:
    if decision == "fortsetzen":
        return msg("chain.decision-fortsetzen")
    if decision == "anpassen":
        return msg("chain.decision-anpassen")
    if decision == "beenden":
        return msg("chain.decision-beenden")
    return None


@frozen
class Wirkungskette:
    """A run's steering chain, computed from its state.

    Attributes:
        workflow: The definition the run follows.
        findings: Every finding (newest versions), in order.
        goals: Every goal, in hierarchy order (each Leitziel, then its
            Wirkungsziele, each followed by its Handlungsziele; goals without a
            known parent last).
        deferrals: Findings deferred with a reason.
        measures: Every measure item, in creation order.
    """

    workflow: Workflow
    findings: tuple[ChainFinding, ...]
    goals: tuple[ChainGoal, ...]
    deferrals: tuple[Deferral, ...]
    measures: tuple[ChainMeasure, ...]

    # -- links -----------------------------------------------------------------------

    def goals_of_finding(self, finding: str) -> list[ChainGoal]:
        """The goals that address ``finding``."""
        return [g for g in self.goals if finding in g.findings]

    def measures_of_goal(self, goal: str) -> list[ChainMeasure]:
        """The measures that cite ``goal``."""
        return [m for m in self.measures if goal in m.goals]

    def deferral(self, finding: str) -> Deferral | None:
        """The deferral of ``finding``, if it was deferred."""
        return next((d for d in self.deferrals if d.finding == finding), None)

    def depth(self, goal: ChainGoal) -> int:
        """0 for a Leitziel, 1 for a Wirkungsziel, 2 for a Handlungsziel."""
        return LEVELS.index(goal.level) if goal.level in LEVELS else 0

    def broken(self) -> list[Message]:
        """The broken links, worded like the chain's gates (empty: the chain holds)."""
        known = {g.id for g in self.goals}
        served = {g for m in self.measures if not m.stopped for g in m.goals}
        found: list[Message] = []
        for finding in self.findings:
            if (
                finding.priority == "A"
                and not self.goals_of_finding(finding.id)
                and self.deferral(finding.id) is None
            ):
                found.append(msg("chain.broken-finding", id=finding.id, text=finding.text))
        for goal in self.goals:
            if goal.level == "handlungsziel" and goal.id not in served:
                found.append(msg("chain.broken-goal", id=goal.id, title=goal.title))
        for measure in self.measures:
            if not measure.goals:
                found.append(msg("chain.broken-measure", key=measure.key))
            for goal_id in measure.goals:
                if goal_id not in known:
                    found.append(msg("chain.broken-link", key=measure.key, goal=goal_id))
        return found

    # -- display ---------------------------------------------------------------------

    def _state_title(self, measure: ChainMeasure, lang: Lang) -> str:
        lifecycle = self.workflow.artifact(measure.artifact).items
        state = lifecycle.state(measure.state) if lifecycle is not None else None
        return state.title.get(lang) if state is not None else measure.state

    def measure_title(self, measure: ChainMeasure) -> str:
        """What ``measure`` is called: its first text field, else its key."""
        spec = self.workflow.artifact(measure.artifact)
        for field in spec.fields:
            value = measure.data.get(field.name)
            if field.type == "text" and isinstance(value, str) and value.strip():
                return value
        return measure.key

    def _cost(self, measure: ChainMeasure) -> Any:
        spec = self.workflow.artifact(measure.artifact)
        return next(
            (measure.data.get(f.name) for f in spec.fields if f.type == "money"),
            None,
        )

    def effect(self, measure: ChainMeasure, lang: Lang = "de") -> str:
        """The evaluation of ``measure`` in one line: decision and indicator movement."""
        evaluation = measure.evaluation
        if evaluation is None:
            return "–"
        title = _decision_title(evaluation.get("decision"))
        parts = [title.text(lang)] if title is not None else []
        movement = _movement(evaluation, lang, self.workflow)
        if movement:
            parts.append(movement)
        return "; ".join(parts) or "–"

    def to_dict(self, lang: Lang = "de") -> dict[str, Any]:
        """The chain as JSON-compatible data in ``lang``.

        Keys: ``findings`` (id, text, priority, source, goals, deferred, open),
        ``goals`` (id, level, level_title, depth, title, parent, priority,
        field_of_action, indicators, deadline, findings, measures), ``measures``
        (artifact, key, title, state, state_title, goals, cost, evaluation, effect, data),
        ``rows`` (the table: finding, goal, level, measure, implementation, effect),
        ``broken`` (the broken links as text) and ``complete`` (no broken link).
        """
        broken = [m.text(lang) for m in self.broken()]
        return {
            "findings": [
                {
                    "id": f.id,
                    "text": f.text,
                    "priority": f.priority,
                    "source": f.source,
                    "goals": [g.id for g in self.goals_of_finding(f.id)],
                    "deferred": d.reason if (d := self.deferral(f.id)) is not None else None,
                    "open": not self.goals_of_finding(f.id) and self.deferral(f.id) is None,
                }
                for f in self.findings
            ],
            "goals": [
                {
                    "id": g.id,
                    "level": g.level,
                    "level_title": level_title(g.level).text(lang) if g.level else None,
                    "depth": self.depth(g),
                    "title": g.title,
                    "parent": g.parent,
                    "priority": g.priority,
                    "field_of_action": g.field_of_action,
                    "indicators": [dict(i) for i in g.indicators],
                    "targets": _targets(g, lang, self.workflow),
                    "deadline": g.deadline,
                    "findings": list(g.findings),
                    "measures": [m.key for m in self.measures_of_goal(g.id)],
                }
                for g in self.goals
            ],
            "measures": [
                {
                    "artifact": m.artifact,
                    "key": m.key,
                    "title": self.measure_title(m),
                    "state": m.state,
                    "state_title": self._state_title(m, lang),
                    "goals": list(m.goals),
                    "cost": self._cost(m),
                    "evaluation": dict(m.evaluation) if m.evaluation is not None else None,
                    "effect": self.effect(m, lang),
                    "data": dict(m.data),
                }
                for m in self.measures
            ],
            "rows": self.rows(lang),
            "broken": broken,
            "complete": not broken,
        }

    def rows(self, lang: Lang = "de") -> list[dict[str, Any]]:
        """The chain as table rows: one per goal and measure serving it (a goal without
        a measure gets one row), with the findings it addresses; then open or deferred
        findings no goal addresses, and measures citing no known goal."""
        known = {g.id for g in self.goals}
        out: list[dict[str, Any]] = []

        def row(
            findings: str, goal: ChainGoal | None, measure: ChainMeasure | None
        ) -> dict[str, Any]:
            return {
                "finding": findings,
                "goal": f"{goal.id} {goal.title}" if goal is not None else "–",
                "level": level_title(goal.level).text(lang) if goal and goal.level else "–",
                "targets": _targets(goal, lang, self.workflow) if goal is not None else "–",
                "measure": f"{measure.key}" if measure is not None else "–",
                "implementation": self._state_title(measure, lang) if measure else "–",
                "effect": self.effect(measure, lang) if measure is not None else "–",
            }

        for goal in self.goals:
            findings = ", ".join(goal.findings) or "–"
            measures = self.measures_of_goal(goal.id)
            if not measures:
                out.append(row(findings, goal, None))
            out.extend(row(findings, goal, m) for m in measures)
        for finding in self.findings:
            if self.goals_of_finding(finding.id):
                continue
            deferral = self.deferral(finding.id)
            note = (
                msg("chain.deferred", reason=deferral.reason)
                if deferral is not None
                else msg("chain.open")
            )
            out.append({**row(finding.id, None, None), "goal": note.text(lang)})
        for measure in self.measures:
            if not any(g in known for g in measure.goals):
                out.append(row("–", None, measure))
        return out


def _number(value: Any, lang: Lang) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value, lang)
    return "–"


def _indicator(workflow: Workflow, name: Any, lang: Lang) -> str:
    """The declared indicator's label in ``lang``; an undeclared id as written."""
    for indicator in workflow.indicators:
        if indicator.id == name:
            return indicator.label.get(lang)
    return str(name)


def _targets(goal: ChainGoal | None, lang: Lang, workflow: Workflow) -> str:
    """``zwar: 0 → 1 (31.12.2030)`` per indicator of ``goal``, joined with ``; ``."""
    if goal is None or not goal.indicators:
        return "–"
    from sozialraumprozess.definition.fields._format import format_date_short

    parts = []
    for entry in goal.indicators:
        base = entry.get("base")
        start = f"{_number(base, lang)} → " if base is not None else ""
        day = entry.get("date")
        when = f" ({format_date_short(day, lang)})" if isinstance(day, str) else ""
        name = _indicator(workflow, entry.get("indicator"), lang)
        parts.append(f"{name}: {start}{_number(entry.get('target'), lang)}{when}")
    return "; ".join(parts)


def goal_targets(chain: Wirkungskette) -> dict[str, Target]:
    """The target of each indicator the goals name with a numeric target value, for
    the indicator charts: per indicator the first goal in hierarchy order that sets
    one (a Leitziel's before its Wirkungs- and Handlungsziele), with its date."""
    found: dict[str, Target] = {}
    for goal in chain.goals:
        for entry in goal.indicators:
            name, value, day = entry.get("indicator"), entry.get("target"), entry.get("date")
            if not isinstance(name, str) or name in found:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            deadline = dt.date.fromisoformat(day) if isinstance(day, str) else None
            found[name] = Target(float(value), deadline)
    return found


def _movement(evaluation: Mapping[str, Any], lang: Lang, workflow: Workflow) -> str:
    entries = evaluation.get("indicators")
    if not isinstance(entries, list):
        return ""
    parts = []
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        change = entry.get("change")
        sign = "+" if isinstance(change, int | float) and change > 0 else ""
        text = f"{_indicator(workflow, entry.get('indicator'), lang)} {sign}{_number(change, lang)}"
        parts.append(text)
    return ", ".join(parts)


def _ordered(goals: Sequence[ChainGoal]) -> tuple[ChainGoal, ...]:
    """Goals depth-first from each Leitziel; goals whose parent is unknown last."""
    children: dict[str | None, list[ChainGoal]] = {}
    ids = {g.id for g in goals}
    for goal in goals:
        parent = goal.parent if goal.parent in ids else None
        children.setdefault(parent, []).append(goal)
    out: list[ChainGoal] = []
    seen: set[str] = set()

    def walk(goal: ChainGoal) -> None:
        if goal.id in seen:
            return
        seen.add(goal.id)
        out.append(goal)
        for child in children.get(goal.id, ()):
            walk(child)

    for root in children.get(None, ()):
        walk(root)
    out.extend(g for g in goals if g.id not in seen)
    return tuple(out)


def wirkungskette(workflow: Workflow, state: Any) -> Wirkungskette:
    """The steering chain of a run in ``state`` (the runtime's process state)."""
    plan = chain_plan(workflow)
    return Wirkungskette(
        workflow,
        tuple(plan.read_findings(state)),
        _ordered(plan.read_goals(state)),
        tuple(plan.read_deferrals(state)),
        tuple(plan.read_measures(state)),
    )


# ---------------------------------------------------------------------- diagram

_COL_W = 210
_GAP_X = 56
_NODE_H = 30
_GAP_Y = 10
_TOP = 34
_CHARS = 30
_OK = "#2b5d8a"
_BAD = "#b3261e"


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _short(text: str) -> str:
    return text if len(text) <= _CHARS else text[: _CHARS - 1].rstrip() + "…"


def chain_svg(chain: Wirkungskette, lang: Lang = "de") -> str:
    """The chain as a static ``<svg>``: four columns (findings, goals, measures,
    effect) of boxes joined by lines; broken links in red (open findings of
    priority A, Handlungsziele without a measure, measures without a known goal).
    Every text is XML-escaped; the full text is each box's ``<title>``."""
    known = {g.id for g in chain.goals}
    served = {g for m in chain.measures if not m.stopped for g in m.goals}
    columns: list[list[tuple[str, str, str, bool, int]]] = [[], [], [], []]
    for f in chain.findings:
        bad = f.priority == "A" and not chain.goals_of_finding(f.id) and not chain.deferral(f.id)
        label = f"{f.id} ({f.priority or '–'}) {f.text}"
        columns[0].append((f"f:{f.id}", label, label, bad, 0))
    for g in chain.goals:
        bad = g.level == "handlungsziel" and g.id not in served
        label = f"{g.id} {g.title}"
        full = f"{level_title(g.level).text(lang) if g.level else ''}: {label}"
        columns[1].append((f"g:{g.id}", label, full, bad, chain.depth(g)))
    for m in chain.measures:
        bad = not m.goals or any(g not in known for g in m.goals)
        label = f"{m.key} · {chain._state_title(m, lang)}"
        columns[2].append((f"m:{m.key}", label, label, bad, 0))
        if m.evaluation is not None:
            effect = chain.effect(m, lang)
            columns[3].append((f"e:{m.key}", effect, effect, False, 0))
    heads = [
        msg("chain.col-findings"),
        msg("chain.col-goals"),
        msg("chain.col-measures"),
        msg("chain.col-effect"),
    ]
    where: dict[str, tuple[float, float, float]] = {}
    rows = max((len(c) for c in columns), default=0) or 1
    width = 4 * _COL_W + 3 * _GAP_X + 20
    height = _TOP + rows * (_NODE_H + _GAP_Y) + 10
    aria = msg("chain.diagram").text(lang)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wirkungskette" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_escape(aria)}">',
        '<g font-size="12" fill="#1a1a1a">',
    ]
    boxes: list[str] = []
    for index, column in enumerate(columns):
        x0 = 10 + index * (_COL_W + _GAP_X)
        boxes.append(
            f'<text x="{x0}" y="18" font-weight="bold">{_escape(heads[index].text(lang))}</text>'
        )
        for row, (node, label, full, bad, depth) in enumerate(column):
            x = x0 + depth * 12
            w = _COL_W - depth * 12
            y = _TOP + row * (_NODE_H + _GAP_Y)
            where[node] = (x, y, x0 + _COL_W)
            colour = _BAD if bad else _OK
            dash = ' stroke-dasharray="4 3"' if bad else ""
            boxes.append(
                f'<g><title>{_escape(full)}</title><rect x="{x}" y="{y}" width="{w}" '
                f'height="{_NODE_H}" rx="5" fill="#fbfcfd" stroke="{colour}" '
                f'stroke-width="{2 if bad else 1}"{dash} />'
                f'<text x="{x + 6}" y="{y + 19}">{_escape(_short(label))}</text></g>'
            )
    lines: list[str] = []

    def link(source: str, target: str) -> None:
        if source not in where or target not in where:
            return
        (_, sy, x1), (tx, ty, _) = where[source], where[target]
        y1, y2 = sy + _NODE_H / 2, ty + _NODE_H / 2
        mid = (x1 + tx) / 2
        lines.append(
            f'<path d="M{x1:g},{y1:g} C{mid:g},{y1:g} {mid:g},{y2:g} {tx:g},{y2:g}" '
            f'fill="none" stroke="#7a8ea3" stroke-width="1.2" />'
        )

    for g in chain.goals:
        for finding_id in g.findings:
            link(f"f:{finding_id}", f"g:{g.id}")
    for m in chain.measures:
        for g_id in m.goals:
            link(f"g:{g_id}", f"m:{m.key}")
        link(f"m:{m.key}", f"e:{m.key}")
    parts.extend(lines)
    parts.extend(boxes)
    parts.append("</g></svg>")
    return "".join(parts)
