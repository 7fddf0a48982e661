"""Validating and copying the arguments of commands into the values of typed events.

Every function returns the checked value (a record or an event, see
:mod:`.events`) or raises :class:`InvalidData` naming every invalid argument by
its name (``date``, ``yes``, ``roles[1]`` …). Dates are taken as
:class:`datetime.date` or ISO text ``YYYY-MM-DD`` and kept as ISO text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sozialraumprozess.definition.fields.number import MAX_NUMBER
from sozialraumprozess.definition.model import DecisionType, Workflow
from sozialraumprozess.errors import FieldProblem, InvalidData
from sozialraumprozess.errors._base import closest
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime.events import DecisionRecorded, EventHeld
from sozialraumprozess.runtime.records import Participant, Sozialraum
from sozialraumprozess.runtime.validation import check_json

__all__ = [
    "copy_json",
    "decision_of",
    "held_of",
    "iso_date",
    "participant_of",
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
    """``value`` (a :class:`datetime.date` or ISO text) as ``YYYY-MM-DD``.

    A problem is added to ``problems`` (and ``value`` returned as it is) unless
    ``value`` is a date (not a datetime) or ISO date text.
    """
    if type(value) is date:
        return value.isoformat()
    ok = isinstance(value, str) and len(value) == 10
    if ok:
        try:
            date.fromisoformat(value)
        except ValueError:
            ok = False
    if not ok:
        problems.append(FieldProblem.of(name, "date", msg("runtime.input.date", value=repr(value))))
    return value  # type: ignore[no-any-return]


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
) -> EventHeld:
    """The ``EventHeld`` event for these arguments.

    Args:
        protocol_versions: How many versions of the event's protocol artifact
            exist, or ``None`` if the event type has no protocol artifact.
    """
    problems: list[FieldProblem] = []
    held_on = iso_date("date", held_on, problems)
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
    return EventHeld(event_id, held_on, participants, notes, protocol)


def decision_of(
    spec: DecisionType,
    decided_on: Any,
    yes: Any,
    no: Any,
    abstain: Any,
    consensus: Any,
    present: Any,
    text: Any,
) -> DecisionRecorded:
    """The ``DecisionRecorded event; votes or consensus as the rule demands."""
    problems: list[FieldProblem] = []
    decided_on = iso_date("date", decided_on, problems)
    if spec.rule == "consensus":
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
        (abstain or 0) if spec.rule != "consensus" else None,
        consensus,
        present,
        text,
    )
