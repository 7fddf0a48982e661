"""The ``evaluate_measure`` command of :class:`.process.Process` (format v2).

Measures (*Maßnahmen*) are items; this records a measure's evaluation at the cycle's end.

A measure is an item of an artifact whose ``items:`` declares ``kind: measure``
(see :mod:`sozialraumprozess.definition.kinds._chain`). Its evaluation is the
value of its ``evaluation`` field: the decision (*fortsetzen / anpassen /
beenden*), the reasons and the indicator movement observed.
:func:`evaluate_measure` records it as one change of the item's data (the other
fields kept) and moves the item to the lifecycle's last state (``evaluiert``)
unless it is there already — the move is checked first, so a refused move
changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sozialraumprozess.definition.kinds._chain import MEASURE
from sozialraumprozess.errors import CommandRejected
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime.records import ItemRecord

if TYPE_CHECKING:
    from sozialraumprozess.runtime.process import Process

__all__ = ["evaluate_measure", "measure_artifacts", "only_measure_artifact"]


def measure_artifacts(process: Process) -> list[str]:
    """The ids of the run's item artifacts of kind ``measure``."""
    return [
        a.id for a in process.workflow.artifacts if a.items is not None and a.items.kind == MEASURE
    ]


def evaluate_measure(
    process: Process,
    artifact: str,
    key: str,
    *,
    decision: Any,
    reasons: Any,
    indicators: Sequence[Mapping[str, Any]] = (),
    date: Any = None,
    by: str,
    note: str | None = None,
    move: bool = True,
) -> ItemRecord:
    """Record the evaluation of the measure ``key`` (and move it to the last state).

    Args:
        key: The measure item's key.
        decision: ``fortsetzen``, ``anpassen`` or ``beenden``.
        reasons: Why.
        indicators: The movement observed: ``[{indicator, change, note}]``.
        date: The day of the evaluation (``YYYY-MM-DD``), if to be recorded.
        artifact: The measure artifact (an item artifact of kind ``measure``).
        by: Who records it (role, participant name or actor).
        move: Move the item to the lifecycle's last state (default).

    Raises:
        CommandRejected: no measure artifact (or several and none named), the move
            is not allowed from the item's state.
        InvalidData: the evaluation is invalid (decision, indicators …), changing nothing.
        UnknownNameError, PermissionDenied: as for every item command.
    """
    spec = process.workflow.artifact(artifact)
    lifecycle = spec.items
    field = next((f.name for f in spec.fields if f.type == "evaluation"), None)
    if lifecycle is None or field is None:
        raise CommandRejected("no-evaluation-field", msg("chain.no-evaluation", title=spec.title))
    process._actor(by, "evaluate_measure", artifact)  # refused as this command, not a part
    item = process.state.item(artifact, key)
    last = lifecycle.states[-1].id
    if (
        move
        and item is not None
        and item.state != last
        and last not in lifecycle.allowed_moves(item.state)
    ):
        current = lifecycle.state(item.state)
        raise CommandRejected(
            "move-not-allowed",
            msg(
                "chain.evaluate-move",
                key=key,
                state=current.title if current is not None else item.state,
                target=lifecycle.states[-1].title,
            ),
        )
    evaluation: dict[str, Any] = {"decision": decision, "reasons": reasons}
    if date is not None:
        evaluation["date"] = date
    if indicators:
        evaluation["indicators"] = [dict(i) if isinstance(i, Mapping) else i for i in indicators]
    data = dict(item.data) if item is not None else {}
    data[field] = evaluation
    changed = process.change_item(artifact, key=key, data=data, by=by, note=note)
    if move and changed.state != last:
        return process.move_item(artifact, key=key, to=last, by=by, note=note)
    return changed


def only_measure_artifact(process: Process) -> str:
    """The workflow's measure artifact, refused when it has none or several."""
    return _only_measure_artifact(process)


def _only_measure_artifact(process: Process) -> str:
    found = measure_artifacts(process)
    if len(found) != 1:
        raise CommandRejected(
            "which-measure-artifact",
            msg("chain.which-measure-artifact", known=", ".join(found) or "–"),
        )
    return found[0]
