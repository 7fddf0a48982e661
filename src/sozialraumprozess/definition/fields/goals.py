"""Field type ``goals`` (format v2): the goal hierarchy *Leitziel → Wirkungsziel → Handlungsziel*.

A list of records::

    {id, level, title, parent, priority, field_of_action,
     indicators: [{indicator, base, target, date}], deadline, findings: [ids]}

``level`` is ``leitziel`` (guiding goal), ``wirkungsziel`` (impact goal) or
``handlungsziel`` (operational goal). Checked when the data is submitted:

* ids are unique; every ``wirkungsziel`` has a ``parent`` that is a ``leitziel``
  of the list, every ``handlungsziel`` one that is a ``wirkungsziel``; a
  ``leitziel`` has none;
* every ``handlungsziel`` is measurable: at least one indicator with a target
  value and a date; every indicator given (on any level) has both;
* ``findings`` name findings (*Befunde*) of the run (kind ``finding``) and
  ``indicators[].indicator`` the workflow's indicators (kind ``indicator``, when
  the workflow declares them), both through the reference seam (:mod:`.reference`).

Each goal's ``id`` is an id of kind ``goal``: measures cite the goals they serve.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sozialraumprozess.definition.fields._base import Reference, problem
from sozialraumprozess.definition.fields._records import RecordsType, label_of
from sozialraumprozess.definition.fields.findings import PRIORITIES
from sozialraumprozess.definition.fields.reference import closest_id
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.i18n import Message, msg

__all__ = ["LEVELS", "PARENT_LEVEL", "GoalsType", "level_title"]

#: The levels of the hierarchy, top first.
LEVELS = ("leitziel", "wirkungsziel", "handlungsziel")

#: The level a goal's parent must have (``None``: no parent).
PARENT_LEVEL: dict[str, str | None] = {
    "leitziel": None,
    "wirkungsziel": "leitziel",
    "handlungsziel": "wirkungsziel",
}


def level_title(level: str) -> Message:
    """``Leitziel`` / ``guiding goal`` and so on."""
    if level == "leitziel":
        return msg("chain.level-leitziel")
    if level == "wirkungsziel":
        return msg("chain.level-wirkungsziel")
    return msg("chain.level-handlungsziel")


class GoalsType(RecordsType):
    """``type: goals``: the goal hierarchy, checked at submit time."""

    name = "goals"
    provides = "goal"
    id_key = "id"

    def record(self) -> tuple[FieldSpec, ...]:
        indicator = FieldSpec(
            "object",
            "indicator",
            fields=(
                FieldSpec(
                    "text", "indicator", title=label_of(msg("chain.key-indicator")), required=True
                ),
                FieldSpec("number", "base", title=label_of(msg("chain.key-base"))),
                FieldSpec("number", "target", title=label_of(msg("chain.key-target"))),
                FieldSpec("date", "date", title=label_of(msg("chain.key-target-date"))),
            ),
        )
        return (
            FieldSpec("text", "id", title=label_of(msg("chain.key-id")), required=True),
            FieldSpec(
                "choice",
                "level",
                title=label_of(msg("chain.key-level")),
                required=True,
                choices=LEVELS,
                choice_labels=tuple(label_of(level_title(level)) for level in LEVELS),
            ),
            FieldSpec("text", "title", title=label_of(msg("chain.key-goal")), required=True),
            FieldSpec("text", "parent", title=label_of(msg("chain.key-parent"))),
            FieldSpec(
                "choice",
                "priority",
                title=label_of(msg("chain.key-priority")),
                required=True,
                choices=PRIORITIES,
            ),
            FieldSpec("text", "field_of_action", title=label_of(msg("chain.key-field-of-action"))),
            FieldSpec(
                "list", "indicators", title=label_of(msg("chain.key-indicators")), items=indicator
            ),
            FieldSpec("date", "deadline", title=label_of(msg("chain.key-deadline"))),
            FieldSpec("finding-refs", "findings", title=label_of(msg("chain.key-findings"))),
        )

    def check_records(self, records: list[Any], path: str) -> list[FieldProblem]:
        """The hierarchy (parents of the right level) and measurable targets."""
        levels = {r["id"]: r.get("level") for r in records if isinstance(r.get("id"), str)}
        problems: list[FieldProblem] = []
        for index, goal in enumerate(records):
            at = f"{path}[{index}]"
            problems.extend(_parent_problems(goal, at, levels))
            problems.extend(_target_problems(goal, at))
        return problems

    def can_refer(self, spec: FieldSpec) -> bool:
        return True

    def references(self, spec: FieldSpec, value: Any, path: str) -> list[Reference]:
        """The findings each goal addresses and (kind ``indicator``) its indicators."""
        found = super().references(spec, value, path)
        if isinstance(value, list):
            for index, goal in enumerate(value):
                if isinstance(goal, Mapping) and isinstance(goal.get("indicators"), list):
                    for j, entry in enumerate(goal["indicators"]):
                        if isinstance(entry, Mapping) and isinstance(entry.get("indicator"), str):
                            found.append(
                                Reference(
                                    f"{path}[{index}].indicators[{j}].indicator",
                                    "indicator",
                                    entry["indicator"],
                                )
                            )
        return found


def _parent_problems(
    goal: Mapping[str, Any], at: str, levels: Mapping[str, Any]
) -> list[FieldProblem]:
    level, parent, gid = goal.get("level"), goal.get("parent"), goal.get("id")
    if level is None:
        return [problem(f"{at}.level", "goal-level", msg("chain.goal-no-level", id=gid))]
    wanted = PARENT_LEVEL.get(level)
    if wanted is None:
        if parent not in (None, ""):
            text = msg("chain.goal-leitziel-parent", id=gid)
            return [problem(f"{at}.parent", "parent-not-allowed", text)]
        return []
    if parent in (None, ""):
        text = msg(
            "chain.goal-no-parent", id=gid, level=level_title(level), wanted=level_title(wanted)
        )
        return [problem(f"{at}.parent", "no-parent", text)]
    if parent not in levels:
        fitting = [g for g, lv in levels.items() if lv == wanted]
        hint = closest_id(str(parent), fitting)
        if hint is None:
            text = msg(
                "chain.goal-unknown-parent",
                id=gid,
                parent=str(parent),
                wanted=level_title(wanted),
                known=", ".join(fitting) or "–",
            )
        else:
            text = msg(
                "chain.goal-unknown-parent-hint",
                id=gid,
                parent=str(parent),
                wanted=level_title(wanted),
                known=", ".join(fitting),
                hint=msg("name.did-you-mean", name=hint),
            )
        return [problem(f"{at}.parent", "unknown-parent", text)]
    if levels[parent] != wanted:
        text = msg(
            "chain.goal-parent-level",
            id=gid,
            parent=str(parent),
            level=level_title(level),
            wanted=level_title(wanted),
        )
        return [problem(f"{at}.parent", "parent-level", text)]
    return []


def _target_problems(goal: Mapping[str, Any], at: str) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    indicators = goal.get("indicators") or []
    measurable = False
    for j, entry in enumerate(indicators):
        missing = [k for k in ("target", "date") if entry.get(k) in (None, "")]
        if missing:
            text = msg(
                "chain.goal-target-incomplete",
                id=goal.get("id"),
                indicator=str(entry.get("indicator")),
                missing=", ".join(missing),
            )
            problems.append(problem(f"{at}.indicators[{j}]", "not-measurable", text))
        else:
            measurable = True
    if goal.get("level") == "handlungsziel" and not measurable and not problems:
        text = msg("chain.goal-not-measurable", id=goal.get("id"))
        problems.append(problem(f"{at}.indicators", "not-measurable", text))
    return problems
