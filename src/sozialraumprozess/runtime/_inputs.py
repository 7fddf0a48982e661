"""Validating and copying the arguments of commands into the values of typed events.

Every function returns the checked value (a record or an event, see
:mod:`.events`) or raises :class:`InvalidData` naming every invalid argument by
its name (``date``, ``yes``, ``roles[1]`` …). Dates are taken as
:class:`datetime.date` or ISO text ``YYYY-MM-DD`` and kept as ISO text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sozialraumprozess.definition.dates import DateProblem, ImpossibleDateProblem, parse_date
from sozialraumprozess.definition.fields.number import MAX_NUMBER
from sozialraumprozess.definition.model import DecisionType, Workflow
from sozialraumprozess.errors import FieldProblem, InvalidData
from sozialraumprozess.errors._base import closest
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime.events import (
    DecisionRecorded,
    EventHeld,
    EventPlanned,
    EventRescheduled,
)
from sozialraumprozess.runtime.records import Participant, Sozialraum
from sozialraumprozess.runtime.validation import check_json

__all__ = [
    "copy_json",
    "decision_of",
    "effective_date",
    "held_of",
    "iso_date",
    "not_future",
    "participant_of",
    "plan_of",
    "read_date",
    "reschedule_of",
    "sozialraum_of",
]


def copy_json(value: Any) -> Any:
    """A deep copy of JSON-compatible data (tuples become lists)."""
    if isinstance(value, Mapping):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [copy_json(item) for item in value]
    return value


def iso_date(name: str, value: Any, problems: list[FieldProblem]) -> str:
    """``value`` (a :class:`datetime.date`, ISO ``2025-03-04`` or German ``04.03.2025``)
    as ``YYYY-MM-DD``.

    A problem is added to ``problems`` (and ``value`` returned as it is) unless
    ``value`` is a date (not a datetime) or date text: code ``date`` for a wrongly
    written date, ``date-impossible`` for a day that does not exist (``2025-13-01``).
    """
    day = read_date(name, value, problems)
    return value if day is None else day.isoformat()


def read_date(name: str, value: Any, problems: list[FieldProblem]) -> date | None:
    """``value`` as a date (see :func:`iso_date`), or ``None`` with a problem added."""
    try:
        return parse_date(value)
    except ImpossibleDateProblem:
        problems.append(
            FieldProblem.of(name, "date-impossible", msg("time.date-impossible", value=repr(value)))
        )
    except DateProblem:
        problems.append(FieldProblem.of(name, "date", msg("runtime.input.date", value=repr(value))))
    return None


def not_future(name: str, day: date | None, today: date, problems: list[FieldProblem]) -> None:
    """Add a problem if ``day`` lies after ``today`` (a held event, a decision, a command)."""
    if day is not None and day > today:
        problems.append(
            FieldProblem.of(
                name,
                "future",
                msg("time.date-future", value=day.isoformat(), today=today.isoformat()),
            )
        )


def effective_date(
    kind: str, subject: str, value: Any, today: date, not_before: date | None = None
) -> date | None:
    """The effective date of a command (``date=``): ``None`` if not given.

    Raises:
        InvalidData: ``value`` is not a date, lies in the future, or lies before
            ``not_before`` (the day the current phase was entered).
    """
    if value is None:
        return None
    problems: list[FieldProblem] = []
    day = read_date("date", value, problems)
    not_future("date", day, today, problems)
    if day is not None and not_before is not None and day < not_before:
        problems.append(
            FieldProblem.of(
                "date",
                "before-phase",
                msg(
                    "time.date-before-phase",
                    value=day.isoformat(),
                    entered=not_before.isoformat(),
                ),
            )
        )
    if problems:
        raise InvalidData(kind, subject, problems)
    return day


def _count(name: str, value: Any, problems: list[FieldProblem], *, required: bool) -> None:
    if value is None and not required:
        return
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_NUMBER:
        shown = repr(value) if not isinstance(value, int) or value.bit_length() < 256 else "…"
        problems.append(FieldProblem.of(name, "type", msg("runtime.input.count", value=shown)))


def _text(name: str, value: Any, problems: list[FieldProblem], *, required: bool) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(
            FieldProblem.of(
                name,
                "type" if not isinstance(value, str) else "required",
                msg("runtime.input.text", value=repr(value)),
            )
        )


def _absent(name: str, value: Any, rule: str, problems: list[FieldProblem]) -> None:
    if value is not None:
        problems.append(
            FieldProblem.of(name, "not-allowed", msg("runtime.input.not-allowed", rule=rule))
        )


def sozialraum_of(name: Any, description: Any, data: Any) -> Sozialraum:
    """The Sozialraum of the start event."""
    problems: list[FieldProblem] = []
    _text("name", name, problems, required=True)
    _text("description", description, problems, required=False)
    if data is not None and not isinstance(data, Mapping):
        problems.append(FieldProblem.of("data", "type", msg("runtime.input.object")))
    elif data is not None:
        problems.extend(check_json(data, "data"))
    if problems:
        raise InvalidData("process", str(name), problems)
    return Sozialraum(name, description or "", copy_json(data or {}))


def participant_of(
    workflow: Workflow,
    name: Any,
    roles: Any,
    kind: Any,
    contact: Any,
    active: Any,
) -> Participant:
    """The participant a ``ParticipantSet`` event sets."""
    problems: list[FieldProblem] = []
    _text("name", name, problems, required=True)
    role_ids = tuple(role.id for role in workflow.roles)
    if isinstance(name, str) and name in role_ids:
        problems.append(
            FieldProblem.of("name", "role-name", msg("runtime.input.role-name", name=name))
        )
    if isinstance(roles, str) or not isinstance(roles, Sequence) or not roles:
        problems.append(FieldProblem.of("roles", "type", msg("runtime.input.roles")))
        roles = ()
    for index, role in enumerate(roles):
        if role not in role_ids:
            hint = closest(str(role), role_ids)
            message = (
                msg(
                    "runtime.input.unknown-role-hint",
                    role=str(role),
                    hint=msg("name.did-you-mean", name=hint),
                )
                if hint
                else msg("runtime.input.unknown-role", role=str(role))
            )
            problems.append(FieldProblem.of(f"roles[{index}]", "unknown-role", message))
    if kind not in ("person", "organisation"):
        problems.append(
            FieldProblem.of("kind", "choice", msg("runtime.input.kind", value=repr(kind)))
        )
    _text("contact", contact, problems, required=False)
    if not isinstance(active, bool):
        problems.append(FieldProblem.of("active", "type", msg("runtime.input.boolean")))
    if problems:
        raise InvalidData("participant", str(name), problems)
    return Participant(name, tuple(dict.fromkeys(roles)), kind, contact, active)


def held_of(
    event_id: str,
    held_on: Any,
    participants: Any,
    notes: Any,
    protocol: Any,
    protocol_versions: int | None,
    today: date | None = None,
    until: Any = None,
) -> EventHeld:
    """The ``EventHeld`` event for these arguments.

    Args:
        protocol_versions: How many versions of the event's protocol artifact
            exist, or ``None`` if the event type has no protocol artifact.
        today: The process's today: a held date (or ``until``) after it is refused.
        until: The last day of an event spanning a period.
    """
    problems: list[FieldProblem] = []
    day = read_date("date", held_on, problems)
    held_on = held_on if day is None else day.isoformat()
    if today is not None:
        not_future("date", day, today, problems)
    last = None
    if until is not None:
        last = read_date("until", until, problems)
        if today is not None:
            not_future("until", last, today, problems)
        _until_not_before(day, last, problems)
    _count("participants", participants, problems, required=False)
    _text("notes", notes, problems, required=False)
    if protocol is not None:
        if protocol_versions is None:
            problems.append(
                FieldProblem.of("protocol", "not-allowed", msg("runtime.input.no-protocol"))
            )
        elif (
            not isinstance(protocol, int)
            or isinstance(protocol, bool)
            or not 1 <= protocol <= protocol_versions
        ):
            problems.append(
                FieldProblem.of(
                    "protocol",
                    "unknown-version",
                    msg(
                        "runtime.input.protocol-version",
                        protocol=repr(protocol),
                        existing=protocol_versions,
                    ),
                )
            )
    if problems:
        raise InvalidData("event", event_id, problems)
    return EventHeld(
        event_id, held_on, participants, notes, protocol, None if last is None else last.isoformat()
    )


def decision_of(
    spec: DecisionType,
    decided_on: Any,
    yes: Any,
    no: Any,
    abstain: Any,
    consensus: Any,
    present: Any,
    text: Any,
    today: date | None = None,
    amount: Any = None,
    adopted: int | None = None,
) -> DecisionRecorded:
    """The ``DecisionRecorded`` event; votes or consensus as the rule demands.

    ``today``: a decision dated after it is refused; ``amount``: required for a
    decision type with ``amount: true`` (euros, cents at most), refused otherwise;
    ``adopted``: the version of the ``adopts`` artifact.
    """
    problems: list[FieldProblem] = []
    day = read_date("date", decided_on, problems)
    decided_on = decided_on if day is None else day.isoformat()
    if today is not None:
        not_future("date", day, today, problems)
    _amount(spec, amount, problems)
    if spec.rule == "taking_note":
        for name, value in (("yes", yes), ("no", no), ("abstain", abstain)):
            _absent(name, value, spec.rule, problems)
        _absent("consensus", consensus, spec.rule, problems)
    elif spec.rule == "consensus":
        for name, value in (("yes", yes), ("no", no), ("abstain", abstain)):
            _absent(name, value, spec.rule, problems)
        if not isinstance(consensus, bool):
            problems.append(
                FieldProblem.of("consensus", "required", msg("runtime.input.consensus"))
            )
    else:
        _count("yes", yes, problems, required=True)
        _count("no", no, problems, required=True)
        _count("abstain", abstain, problems, required=False)
        _absent("consensus", consensus, spec.rule, problems)
    _count("present", present, problems, required=False)
    _text("text", text, problems, required=False)
    if problems:
        raise InvalidData("decision", spec.id, problems)
    return DecisionRecorded(
        spec.id,
        decided_on,
        yes,
        no,
        (abstain or 0) if spec.rule not in ("consensus", "taking_note") else None,
        consensus,
        present,
        text,
        amount,
        adopted,
    )


def _amount(spec: DecisionType, amount: Any, problems: list[FieldProblem]) -> None:
    if not spec.amount:
        if amount is not None:
            problems.append(
                FieldProblem.of("amount", "not-allowed", msg("time.amount-not-allowed"))
            )
        return
    if (
        not isinstance(amount, int | float)
        or isinstance(amount, bool)
        or amount != amount  # NaN
        or amount < 0
        or amount in (float("inf"),)
    ):
        problems.append(
            FieldProblem.of("amount", "required", msg("time.amount-required", value=repr(amount)))
        )
    elif abs(amount * 100 - round(amount * 100)) > 1e-6:
        problems.append(FieldProblem.of("amount", "cents", msg("field.cents", value=repr(amount))))


_CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _time_of_day(value: Any, problems: list[FieldProblem]) -> None:
    if value is not None and (not isinstance(value, str) or not _CLOCK_TIME.match(value)):
        problems.append(FieldProblem.of("time", "time", msg("time.bad-time", value=repr(value))))


def _end_time(value: Any, start: Any, problems: list[FieldProblem]) -> None:
    """``end`` is ``HH:MM`` and, with a start time, later than it."""
    if value is None:
        return
    if not isinstance(value, str) or not _CLOCK_TIME.match(value):
        problems.append(FieldProblem.of("end", "time", msg("time.bad-time", value=repr(value))))
    elif isinstance(start, str) and _CLOCK_TIME.match(start) and value <= start:
        problems.append(
            FieldProblem.of("end", "before-start", msg("invite.end-before", end=value, start=start))
        )


def _text_list(name: str, value: Any, problems: list[FieldProblem]) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        problems.append(FieldProblem.of(name, "type", msg("time.text-list", value=repr(value))))
        return ()
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            problems.append(
                FieldProblem.of(f"{name}[{index}]", "type", msg("time.text-list", value=repr(item)))
            )
    return tuple(value)


def plan_days(
    event_id: str, on: Any, until: Any, today: date, problems: list[FieldProblem]
) -> tuple[date | None, date | None]:
    """The planned first and last day (``None`` where invalid; problems added)."""
    day = read_date("on", on, problems)
    last = None if until is None else read_date("until", until, problems)
    if day is not None and day < today:
        problems.append(
            FieldProblem.of(
                "on",
                "past",
                msg("time.plan-in-past", value=day.isoformat(), today=today.isoformat()),
            )
        )
    _until_not_before(day, last, problems)
    return day, last


def _until_not_before(day: date | None, last: date | None, problems: list[FieldProblem]) -> None:
    """A problem if the last day ``until`` lies before the first day."""
    if last is not None and day is not None and last < day:
        problems.append(
            FieldProblem.of(
                "until",
                "before-start",
                msg("time.until-before", until=last.isoformat(), start=day.isoformat()),
            )
        )


def _plan_dates(
    event_id: str, day: date | None, last: date | None, problems: list[FieldProblem]
) -> tuple[str, str | None]:
    """The first and last day of a plan as stored (ISO); the input refused if any problem
    was found (the shared end of :func:`plan_of` and :func:`reschedule_of`)."""
    if problems or day is None:
        raise InvalidData("event", event_id, problems)
    return day.isoformat(), None if last is None else last.isoformat()


def plan_of(
    workflow: Workflow,
    event_id: str,
    on: Any,
    time: Any,
    until: Any,
    place: Any,
    agenda: Any,
    invited: Any,
    note: Any,
    today: date,
    end: Any = None,
    reply_by: Any = None,
) -> EventPlanned:
    """The ``EventPlanned`` event (the notice period is checked by the command)."""
    problems: list[FieldProblem] = []
    day, last = plan_days(event_id, on, until, today, problems)
    _time_of_day(time, problems)
    _end_time(end, time, problems)
    reply = None if reply_by is None else read_date("reply_by", reply_by, problems)
    if reply is not None and day is not None and reply > day:
        problems.append(
            FieldProblem.of(
                "reply_by",
                "after-event",
                msg("invite.reply-after-event", reply=reply.isoformat(), day=day.isoformat()),
            )
        )
    _text("place", place, problems, required=False)
    items = _text_list("agenda", agenda, problems)
    roles = _text_list("invited", invited, problems)
    role_ids = tuple(role.id for role in workflow.roles)
    for index, role in enumerate(roles):
        if isinstance(role, str) and role not in role_ids:
            hint = closest(role, role_ids)
            message = (
                msg(
                    "runtime.input.unknown-role-hint",
                    role=role,
                    hint=msg("name.did-you-mean", name=hint),
                )
                if hint
                else msg("runtime.input.unknown-role", role=role)
            )
            problems.append(FieldProblem.of(f"invited[{index}]", "unknown-role", message))
    _text("note", note, problems, required=False)
    first, until_day = _plan_dates(event_id, day, last, problems)
    return EventPlanned(
        event_id,
        first,
        time,
        until_day,
        place,
        items,
        tuple(dict.fromkeys(roles)),
        note,
        end,
        None if reply is None else reply.isoformat(),
    )


def reschedule_of(
    event_id: str, on: Any, time: Any, until: Any, place: Any, reason: Any, today: date
) -> EventRescheduled:
    """The ``EventRescheduled`` event."""
    problems: list[FieldProblem] = []
    day, last = plan_days(event_id, on, until, today, problems)
    _time_of_day(time, problems)
    _text("place", place, problems, required=False)
    _text("reason", reason, problems, required=False)
    first, until_day = _plan_dates(event_id, day, last, problems)
    return EventRescheduled(event_id, first, time, until_day, place, reason)
