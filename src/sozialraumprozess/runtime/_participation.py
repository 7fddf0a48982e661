"""The participation commands of :class:`.process.Process` (format v2, issue 12 §6).

``record_reach``, ``record_contribution``, ``weigh_contribution`` and
``record_feedback`` each check, in order, names (the event, its holding, the
contribution), permission (the event's organiser, as for recording the event),
then the data — every problem at once, by path, with a did-you-mean for an
unknown target group, contribution or linked id — and append one typed event.
Nothing changes when a check fails.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sozialraumprozess.definition.fields.number import MAX_NUMBER
from sozialraumprozess.definition.fields.reference import reference_kinds
from sozialraumprozess.errors import CommandRejected, FieldProblem, InvalidData
from sozialraumprozess.errors._base import closest
from sozialraumprozess.i18n import Message, msg
from sozialraumprozess.runtime import _inputs
from sozialraumprozess.runtime.events import (
    ContributionRecorded,
    ContributionWeighed,
    FeedbackGiven,
    ReachRecorded,
)
from sozialraumprozess.runtime.participation import OUTCOMES, Contribution, Feedback, Reach
from sozialraumprozess.runtime.permissions import allowed_roles, resolve_actor
from sozialraumprozess.runtime.references import known_ids

if TYPE_CHECKING:
    from sozialraumprozess.runtime._state import HeldEntry
    from sozialraumprozess.runtime.process import Process

__all__ = [
    "ID_MAX",
    "TEXT_MAX",
    "holding",
    "record_contribution",
    "record_feedback",
    "record_reach",
    "weigh_contribution",
]

#: The longest contribution id (characters).
ID_MAX = 64
#: The longest text of a contribution, reason or feedback (characters).
TEXT_MAX = 4000
#: How many known ids an error lists at most.
_LISTED = 12


def _hint(name: str, known: Sequence[str]) -> Message:
    """``Meinten Sie …?`` for a close name, else the list of known ones."""
    suggestion = closest(name, known)
    if suggestion is not None:
        return msg("name.did-you-mean", name=suggestion)
    listed = ", ".join(known[:_LISTED]) + (", …" if len(known) > _LISTED else "")
    return msg("name.known", known=listed or "–")


def holding(process: Process, event: str, held_on: Any = None) -> HeldEntry:
    """The holding of ``event`` a participation command is about.

    The latest holding, or the latest on the day ``held_on``.

    Raises:
        UnknownNameError: ``event`` is not an event type of the workflow.
        InvalidData: ``held_on`` is not a date.
        CommandRejected: the event has not been held (on that day).
    """
    spec = process.workflow.event(event)
    day = None
    if held_on is not None:
        problems: list[FieldProblem] = []
        day = _inputs.iso_date("held_on", held_on, problems)
        if problems:
            raise InvalidData("event", event, problems)
    for entry in reversed(process.state.held_entries):
        if entry.event == event and (day is None or entry.date == day):
            return entry
    if day is None:
        raise CommandRejected("not-held", msg("participation.not-held", title=spec.title))
    days = [h.date for h in process.state.held_entries if h.event == event]
    raise CommandRejected(
        "not-held-on",
        msg(
            "participation.not-held-on",
            title=spec.title,
            day=day,
            days=", ".join(days) or "–",
        ),
    )


def _event_actor(process: Process, by: str, command: str, event: str, subject: str) -> Any:
    """The actor, if ``by`` may run ``command`` for ``event`` (errors name ``subject``)."""
    allowed = allowed_roles(process.workflow, process.state.phase, "record_event", event)
    return resolve_actor(
        process.workflow,
        process.state.participants,
        by,
        command,
        subject,
        allowed,
        process._plan.role_ids,
    )


def _group_problem(process: Process, path: str, group: Any) -> FieldProblem | None:
    known = [g.id for g in process.workflow.target_groups]
    if isinstance(group, str) and group in known:
        return None
    if not isinstance(group, str):
        return FieldProblem.of(path, "type", msg("runtime.input.text", value=repr(group)))
    return FieldProblem.of(
        path,
        "unknown-target-group",
        msg("participation.unknown-group", group=group, hint=_hint(group, known)),
    )


def _text(name: str, value: Any, problems: list[FieldProblem], *, required: bool) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or not value.strip():
        problems.append(
            FieldProblem.of(
                name,
                "required" if isinstance(value, str) or value is None else "type",
                msg("runtime.input.text", value=repr(value)),
            )
        )
    elif len(value) > TEXT_MAX:
        problems.append(
            FieldProblem.of(name, "too-long", msg("participation.too-long", max=TEXT_MAX))
        )


def record_reach(process: Process, event: str, counts: Any, held_on: Any, by: str) -> Reach:
    held = holding(process, event, held_on)
    actor = _event_actor(process, by, "record_reach", event, event)
    problems: list[FieldProblem] = []
    pairs: list[tuple[str, int]] = []
    if not isinstance(counts, Mapping) or not counts:
        problems.append(FieldProblem.of("counts", "required", msg("participation.counts")))
    else:
        for group, count in counts.items():
            path = f"counts.{group}"
            found = _group_problem(process, path, group)
            if found is not None:
                problems.append(found)
                continue
            if (
                not isinstance(count, int)
                or isinstance(count, bool)
                or not 0 <= count <= MAX_NUMBER
            ):
                problems.append(
                    FieldProblem.of(path, "type", msg("runtime.input.count", value=repr(count)))
                )
                continue
            pairs.append((group, count))
    if problems:
        raise InvalidData("event", event, problems)
    process._commit(ReachRecorded(event, held.seq, tuple(sorted(pairs))), actor)
    return process.state.participation.reach[held.seq]


def _id_problems(cid: Any, known: Mapping[str, Contribution]) -> list[FieldProblem]:
    if (
        not isinstance(cid, str)
        or not cid.strip()
        or cid != cid.strip()
        or len(cid) > ID_MAX
        or any(ord(c) < 32 or ord(c) == 127 or c in ",;" for c in cid)
    ):
        text = msg("participation.bad-id", value=repr(cid), max=ID_MAX)
        return [FieldProblem.of("id", "id", text)]
    if cid in known:
        return [FieldProblem.of("id", "exists", msg("participation.id-exists", id=cid))]
    return []


def record_contribution(
    process: Process,
    contribution: str,
    event: str,
    text: Any,
    group: Any,
    held_on: Any,
    note: Any,
    by: str,
) -> Contribution:
    held = holding(process, event, held_on)
    actor = _event_actor(process, by, "record_contribution", event, event)
    problems = _id_problems(contribution, process.state.participation.contributions)
    _text("text", text, problems, required=True)
    if group is not None:
        found = _group_problem(process, "group", group)
        if found is not None:
            problems.append(found)
    _text("note", note, problems, required=False)
    if problems:
        raise InvalidData("contribution", str(contribution), problems)
    recorded = ContributionRecorded(contribution, event, held.seq, text, group, note)
    process._commit(recorded, actor)
    return process.state.participation.contributions[contribution]


def known_contribution(process: Process, contribution: Any) -> Contribution:
    """The recorded contribution ``contribution``.

    Raises:
        InvalidData: no contribution has that id (path ``contribution``, did-you-mean).
    """
    known = process.state.participation.contributions
    if isinstance(contribution, str) and contribution in known:
        return known[contribution]
    name = contribution if isinstance(contribution, str) else repr(contribution)
    problem = FieldProblem.of(
        "contribution",
        "unknown-contribution",
        msg("participation.unknown-id", id=name, hint=_hint(name, list(known))),
    )
    raise InvalidData("contribution", name, [problem])


def _link_problems(
    process: Process, links: Any
) -> tuple[list[FieldProblem], list[tuple[str, str]]]:
    """Check ``{kind: [ids]}`` against the run's ids of each kind (the reference seam)."""
    problems: list[FieldProblem] = []
    pairs: list[tuple[str, str]] = []
    if links is None:
        return problems, pairs
    if not isinstance(links, Mapping):
        problems.append(FieldProblem.of("links", "type", msg("participation.links-type")))
        return problems, pairs
    kinds = [k.name for k in reference_kinds() if k.name != "contribution"]
    for kind, ids in links.items():
        path = f"links.{kind}"
        if kind not in kinds:
            text = msg("participation.unknown-kind", kind=repr(kind), hint=_hint(str(kind), kinds))
            problems.append(FieldProblem.of(path, "unknown-kind", text))
            continue
        given = [ids] if isinstance(ids, str) else ids
        if not isinstance(given, Sequence) or not all(isinstance(i, str) for i in given):
            problems.append(FieldProblem.of(path, "type", msg("participation.links-type")))
            continue
        known = known_ids(process.state, process.workflow, kind) or []
        for index, ref in enumerate(given):
            if ref in known:
                pairs.append((kind, ref))
                continue
            where = f"{path}[{index}]"
            problems.append(
                FieldProblem.of(
                    where,
                    "unknown-reference",
                    msg("participation.unknown-link", kind=kind, id=ref, hint=_hint(ref, known)),
                )
            )
    return problems, sorted(dict.fromkeys(pairs), key=lambda pair: pair[0])


def _linkable(process: Process) -> bool:
    """True if the workflow uses ids a contribution can be linked to (goals, measures …)."""
    return any(
        known_ids(process.state, process.workflow, kind.name) is not None
        for kind in reference_kinds()
        if kind.name != "contribution"
    )


def weigh_contribution(
    process: Process,
    contribution: str,
    outcome: Any,
    reason: Any,
    links: Any,
    by: str,
    on: Any = None,
) -> Contribution:
    found = known_contribution(process, contribution)
    allowed = allowed_roles(process.workflow, process.state.phase, "record_event", found.event)
    actor = resolve_actor(
        process.workflow,
        process.state.participants,
        by,
        "weigh_contribution",
        contribution,
        allowed,
        process._plan.role_ids,
    )
    problems: list[FieldProblem] = []
    if outcome not in OUTCOMES:
        shown = outcome if isinstance(outcome, str) else repr(outcome)
        text = msg(
            "participation.unknown-outcome",
            outcome=shown,
            hint=_hint(shown, list(OUTCOMES)),
        )
        problems.append(FieldProblem.of("outcome", "choice", text))
    _text("reason", reason, problems, required=outcome in ("partly_adopted", "not_adopted"))
    link_problems, pairs = _link_problems(process, links)
    problems.extend(link_problems)
    if (
        outcome in ("adopted", "partly_adopted")
        and not pairs
        and not link_problems
        and _linkable(process)
    ):
        problems.append(FieldProblem.of("links", "required", msg("participation.links-required")))
    if problems:
        raise InvalidData("contribution", contribution, problems)
    day = process._effective("contribution", contribution, on)
    process._commit(ContributionWeighed(contribution, outcome, reason, tuple(pairs)), actor, day)
    return process.state.participation.contributions[contribution]


def record_feedback(
    process: Process,
    event: str,
    how: Any,
    contributions: Any,
    held_on: Any,
    note: Any,
    by: str,
    on: Any = None,
) -> Feedback:
    held = holding(process, event, held_on)
    actor = _event_actor(process, by, "record_feedback", event, event)
    problems: list[FieldProblem] = []
    _text("how", how, problems, required=True)
    _text("note", note, problems, required=False)
    made = process.state.participation.of_holding(held.seq)
    if contributions is None:
        told = [c.id for c in made if c.weighed and c.told is None]
        if not told and not problems:
            spec = process.workflow.event(event)
            raise CommandRejected(
                "nothing-to-tell", msg("participation.nothing-to-tell", title=spec.title)
            )
    else:
        told = []
        ids = [c.id for c in made]
        given = [contributions] if isinstance(contributions, str) else contributions
        if not isinstance(given, Sequence):
            given = [given]
        for index, cid in enumerate(given):
            path = f"contributions[{index}]"
            if not isinstance(cid, str) or cid not in ids:
                name = cid if isinstance(cid, str) else repr(cid)
                text = msg("participation.not-of-holding", id=name, hint=_hint(name, ids))
                problems.append(FieldProblem.of(path, "unknown-contribution", text))
            elif not process.state.participation.contributions[cid].weighed:
                problems.append(
                    FieldProblem.of(path, "not-weighed", msg("participation.not-weighed", id=cid))
                )
            else:
                told.append(cid)
        if not given:
            problems.append(
                FieldProblem.of("contributions", "required", msg("participation.none-given"))
            )
    day = _feedback_day(process, event, held.date, on, problems)
    if problems:
        raise InvalidData("event", event, problems)
    feedback = FeedbackGiven(event, held.seq, how, tuple(dict.fromkeys(told)), note)
    process._commit(feedback, actor, day)
    return process.state.participation.feedback[-1]


def _feedback_day(
    process: Process, event: str, held_on: str, on: Any, problems: list[FieldProblem]
) -> date | None:
    """The day participants were told: not in the future, not before the holding."""
    if on is None:
        return None
    day = _inputs.read_date("date", on, problems)
    if day is None:
        return None
    _inputs.not_future("date", day, process.today(), problems)
    if day < date.fromisoformat(held_on):
        problems.append(
            FieldProblem.of(
                "date",
                "before-holding",
                msg("participation.before-holding", value=day.isoformat(), held=held_on),
            )
        )
    return day
