"""Validating and copying the arguments of commands into JSON-compatible payloads.

Every function returns the payload or raises :class:`InvalidData` naming every
invalid argument by its name (``date``, ``yes``, ``roles[1]`` …).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sozialraumprozess.definition.model import DecisionType, Workflow
from sozialraumprozess.errors import FieldProblem, InvalidData, closest, did_you_mean
from sozialraumprozess.runtime.validation import check_json

__all__ = [
    "copy_json",
    "decision_payload",
    "event_payload",
    "participant_payload",
    "sozialraum_payload",
]


def copy_json(value: Any) -> Any:
    """A deep copy of JSON-compatible data (tuples become lists)."""
    if isinstance(value, Mapping):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [copy_json(item) for item in value]
    return value


def _iso_date(name: str, value: Any, problems: list[FieldProblem]) -> None:
    ok = isinstance(value, str) and len(value) == 10
    if ok:
        try:
            date.fromisoformat(value)
        except ValueError:
            ok = False
    if not ok:
        problems.append(
            FieldProblem(
                name,
                "date",
                f"Datum im Format JJJJ-MM-TT erwartet, erhalten: {value!r}",
                f"expected a date YYYY-MM-DD, got {value!r}",
            )
        )


def _count(name: str, value: Any, problems: list[FieldProblem], *, required: bool) -> None:
    if value is None and not required:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        problems.append(
            FieldProblem(
                name,
                "type",
                f"Ganzzahl ≥ 0 erwartet, erhalten: {value!r}",
                f"expected an integer ≥ 0, got {value!r}",
            )
        )


def _text(name: str, value: Any, problems: list[FieldProblem], *, required: bool) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(
            FieldProblem(
                name,
                "type" if not isinstance(value, str) else "required",
                f"Text erwartet, erhalten: {value!r}",
                f"expected text, got {value!r}",
            )
        )


def _absent(name: str, value: Any, rule: str, problems: list[FieldProblem]) -> None:
    if value is not None:
        problems.append(
            FieldProblem(
                name,
                "not-allowed",
                f"Bei der Regel '{rule}' nicht anzugeben",
                f"must not be given under the rule '{rule}'",
            )
        )


def sozialraum_payload(name: Any, description: Any, data: Any) -> dict[str, Any]:
    """The ``sozialraum`` part of the start event."""
    problems: list[FieldProblem] = []
    _text("name", name, problems, required=True)
    _text("description", description, problems, required=False)
    if data is not None and not isinstance(data, Mapping):
        problems.append(
            FieldProblem("data", "type", "Objekt erwartet", "expected an object (mapping)")
        )
    elif data is not None:
        problems.extend(check_json(data, "data"))
    if problems:
        raise InvalidData("process", str(name), problems)
    return {"name": name, "description": description or "", "data": copy_json(data or {})}


def participant_payload(
    workflow: Workflow,
    name: Any,
    roles: Any,
    kind: Any,
    contact: Any,
    active: Any,
) -> dict[str, Any]:
    """The payload of ``participant_set``."""
    problems: list[FieldProblem] = []
    _text("name", name, problems, required=True)
    role_ids = tuple(role.id for role in workflow.roles)
    if isinstance(name, str) and name in role_ids:
        problems.append(
            FieldProblem(
                "name",
                "role-name",
                f"'{name}' ist eine Rollen-ID; Beteiligte brauchen einen eigenen Namen",
                f"'{name}' is a role id; participants need a name of their own",
            )
        )
    if isinstance(roles, str) or not isinstance(roles, Sequence) or not roles:
        problems.append(
            FieldProblem(
                "roles", "type", "Liste von Rollen-IDs erwartet", "expected a list of role ids"
            )
        )
        roles = ()
    for index, role in enumerate(roles):
        if role not in role_ids:
            hint = closest(str(role), role_ids)
            de = f"Unbekannte Rolle '{role}'."
            en = f"Unknown role '{role}'."
            if hint:
                de += f" {did_you_mean(hint, 'de')}"
                en += f" {did_you_mean(hint, 'en')}"
            problems.append(FieldProblem(f"roles[{index}]", "unknown-role", de, en))
    if kind not in ("person", "organisation"):
        problems.append(
            FieldProblem(
                "kind",
                "choice",
                f"'person' oder 'organisation' erwartet, erhalten: {kind!r}",
                f"expected 'person' or 'organisation', got {kind!r}",
            )
        )
    _text("contact", contact, problems, required=False)
    if not isinstance(active, bool):
        problems.append(
            FieldProblem("active", "type", "Wahrheitswert erwartet", "expected a boolean")
        )
    if problems:
        raise InvalidData("participant", str(name), problems)
    return {
        "name": name,
        "roles": list(dict.fromkeys(roles)),
        "kind": kind,
        "contact": contact,
        "active": active,
    }


def event_payload(
    event_id: str,
    held_on: Any,
    participants: Any,
    notes: Any,
    protocol: Any,
    protocol_versions: int | None,
) -> dict[str, Any]:
    """The payload of ``event_held``.

    Args:
        protocol_versions: How many versions of the event's protocol artifact
            exist, or ``None`` if the event type has no protocol artifact.
    """
    problems: list[FieldProblem] = []
    _iso_date("date", held_on, problems)
    _count("participants", participants, problems, required=False)
    _text("notes", notes, problems, required=False)
    if protocol is not None:
        if protocol_versions is None:
            problems.append(
                FieldProblem(
                    "protocol",
                    "not-allowed",
                    "Diese Veranstaltung hat kein Protokoll-Artefakt",
                    "this event type has no protocol artifact",
                )
            )
        elif (
            not isinstance(protocol, int)
            or isinstance(protocol, bool)
            or not 1 <= protocol <= protocol_versions
        ):
            problems.append(
                FieldProblem(
                    "protocol",
                    "unknown-version",
                    f"Protokoll-Version {protocol!r} gibt es nicht ({protocol_versions} vorhanden)",
                    f"protocol version {protocol!r} does not exist ({protocol_versions} exist)",
                )
            )
    if problems:
        raise InvalidData("event", event_id, problems)
    return {
        "event": event_id,
        "date": held_on,
        "participants": participants,
        "notes": notes,
        "protocol": protocol,
    }


def decision_payload(
    spec: DecisionType,
    decided_on: Any,
    yes: Any,
    no: Any,
    abstain: Any,
    consensus: Any,
    present: Any,
    text: Any,
) -> dict[str, Any]:
    """The payload of ``decision_recorded``; votes or consensus as the rule demands."""
    problems: list[FieldProblem] = []
    _iso_date("date", decided_on, problems)
    if spec.rule == "consensus":
        for name, value in (("yes", yes), ("no", no), ("abstain", abstain)):
            _absent(name, value, spec.rule, problems)
        if not isinstance(consensus, bool):
            problems.append(
                FieldProblem(
                    "consensus",
                    "required",
                    "Angabe erforderlich, ob Konsens erreicht wurde (true/false)",
                    "state whether consensus was reached (true/false)",
                )
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
    return {
        "decision": spec.id,
        "date": decided_on,
        "yes": yes,
        "no": no,
        "abstain": (abstain or 0) if spec.rule != "consensus" else None,
        "consensus": consensus,
        "present": present,
        "text": text,
    }
