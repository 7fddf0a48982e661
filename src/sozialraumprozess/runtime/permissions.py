"""Who may run which command, read from the workflow definition.

=================  ==========================================================
command            allowed roles
=================  ==========================================================
start              the first phase's ``responsible`` role
set_participant    per role granted, changed or taken away: the role's
                   ``appointed_by``; without it the role itself and the current
                   phase's ``responsible`` role — for a role that decides or
                   approves (a decision's ``body``, an artifact's ``approved_by``)
                   only the role itself (see :func:`appointers`)
submit             the artifact's ``owner``
approve            the artifact's ``approved_by``
confirm            the artifact's ``approved_by`` (or its ``owner`` without one)
record_event       the event's ``organizer`` (or the ``responsible`` role of its
                   strand, else of the phase)
plan_event         the event's ``organizer`` (or the phase's ``responsible``)
reschedule_event   the event's ``organizer`` (or the phase's ``responsible``)
cancel_event       the event's ``organizer`` (or the phase's ``responsible``)
record_decision    the decision's ``body``
advance            the current phase's ``responsible`` role
take_transition    the transition's ``allowed`` roles
migrate            the current phase's ``responsible`` role
skip               the current (optional) phase's ``responsible`` role
create_item        the item artifact's ``owner``
change_item        the item artifact's ``owner``
move_item          the item artifact's ``items.moved_by`` (default: its ``owner``)
evaluate_measure   who may both change and move the measure (the ``owner`` if it may move)
record_indicators  per indicator: its ``recorded_by`` (default: the current
                   phase's ``responsible`` role)
record_sozialraum  the first phase's ``responsible`` role and the current
                   phase's ``responsible`` role
record_reach       the event's ``organizer`` (as ``record_event``)
record_contribution  the event's ``organizer`` (as ``record_event``)
weigh_contribution the ``organizer`` of the contribution's event (``allowed_roles``
                   takes the event id; :meth:`Process.allowed` the contribution id)
record_feedback    the event's ``organizer`` (as ``record_event``)
=================  ==========================================================

``by=`` names a role id or a participant; a participant acts in the first of
its roles that is allowed. ``by=`` is a *claim*: the library checks what the
claimed role or participant may do, not who is typing. Applications map their
authenticated user to it (see ``docs/how-to/web-application.md``, "Who may act").
"""

from __future__ import annotations

from collections.abc import Mapping

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import PermissionDenied, UnknownNameError
from sozialraumprozess.runtime.records import Actor, Participant

__all__ = ["COMMANDS", "allowed_roles", "appointers", "deciding_roles", "resolve_actor"]

#: Every command of a process, for permission tables.
COMMANDS = (
    "start",
    "set_participant",
    "submit",
    "approve",
    "confirm",
    "record_event",
    "record_decision",
    "advance",
    "take_transition",
    "migrate",
    "skip",
    "create_item",
    "change_item",
    "move_item",
    "evaluate_measure",
    "plan_event",
    "reschedule_event",
    "cancel_event",
    "record_indicators",
    "record_sozialraum",
    "record_reach",
    "record_contribution",
    "weigh_contribution",
    "record_feedback",
)

_EVENT_COMMANDS = frozenset(
    (
        "record_event",
        "plan_event",
        "reschedule_event",
        "cancel_event",
        # participation (issue 12 §6): whoever records the event accounts for it
        "record_reach",
        "record_contribution",
        "weigh_contribution",
        "record_feedback",
    )
)


def allowed_roles(
    workflow: Workflow, phase: str, command: str, subject: str | None = None
) -> tuple[str, ...]:
    """The role ids that may run ``command`` (on ``subject``) while in ``phase``.

    Raises:
        UnknownNameError: ``subject`` is not defined in the workflow.
        ValueError: ``command`` is not one of :data:`COMMANDS`.
    """
    if command == "start":
        return (workflow.first_phase.responsible,)
    if command == "set_participant" and subject is not None:
        return appointers(workflow, phase, subject)
    if command in ("set_participant", "advance", "migrate", "skip"):
        return (workflow.phase(phase).responsible,)
    if command in ("submit", "approve", "confirm"):
        artifact = workflow.artifact(subject or "")
        if command == "submit":
            return (artifact.owner,)
        if command == "approve":
            return (artifact.approved_by,) if artifact.approved_by else ()
        return (artifact.approved_by or artifact.owner,)
    if command in _EVENT_COMMANDS:
        event = workflow.event(subject or "")
        if event.organizer:
            return (event.organizer,)
        spec = workflow.phase(phase)
        strand = spec.strand_of("event", event.id) if spec.strands else None
        return (strand.responsible if strand is not None else spec.responsible,)
    if command == "record_decision":
        return (workflow.decision(subject or "").body,)
    if command == "evaluate_measure":  # a change and a move in one step
        change = allowed_roles(workflow, phase, "change_item", subject)
        move = allowed_roles(workflow, phase, "move_item", subject)
        return tuple(r for r in change if r in move) or change
    if command in ("create_item", "change_item", "move_item"):
        artifact = workflow.artifact(subject or "")
        if command == "move_item" and artifact.items is not None and artifact.items.moved_by:
            return artifact.items.moved_by
        return (artifact.owner,)
    if command == "take_transition":
        return workflow.transition(subject or "").allowed
    if command == "record_indicators":
        recorder = workflow.indicator(subject or "").recorded_by
        return (recorder or workflow.phase(phase).responsible,)
    if command == "record_sozialraum":
        first, current = workflow.first_phase.responsible, workflow.phase(phase).responsible
        return (first,) if first == current else (first, current)
    raise ValueError(f"unknown command: {command}")


def deciding_roles(workflow: Workflow) -> frozenset[str]:
    """The roles that decide or approve: every decision's ``body``, every ``approved_by``."""
    bodies = {decision.body for decision in workflow.decisions}
    return frozenset(
        bodies | {a.approved_by for a in workflow.artifacts if a.approved_by is not None}
    )


def appointers(workflow: Workflow, phase: str, role: str) -> tuple[str, ...]:
    """The role ids that may grant ``role`` to a participant (or change or take it away).

    The role's ``appointed_by`` when the workflow gives it. Without it: the role
    itself and the responsible role of ``phase``; a role that takes decisions or
    approves artifacts (:func:`deciding_roles`) is appointed only by itself, so
    whoever runs the process cannot make up members of a council.

    Raises:
        UnknownNameError: ``role`` is not a role of the workflow.
    """
    spec = workflow.role(role)
    if spec.appointed_by:
        return spec.appointed_by
    responsible = workflow.phase(phase).responsible
    if role in deciding_roles(workflow) or responsible == role:
        return (role,)
    return (role, responsible)


def resolve_actor(
    workflow: Workflow,
    participants: Mapping[str, Participant],
    by: str,
    command: str,
    subject: str | None,
    allowed: tuple[str, ...],
    role_ids: tuple[str, ...] | None = None,
) -> Actor:
    """The :class:`Actor` for ``by`` if it may run the command.

    ``role_ids`` (every role id of ``workflow``, in order) may be given to save
    collecting them on every call.

    Raises:
        UnknownNameError: ``by`` is neither a role id nor a participant's name.
        PermissionDenied: ``by`` holds none of the ``allowed`` roles.
    """
    participant = participants.get(by)
    if participant is not None:
        held = participant.roles if participant.active else ()
        for role in held:
            if role in allowed:
                return Actor(role, participant.name)
        raise PermissionDenied(by, held, command, subject, allowed)
    known_roles = role_ids if role_ids is not None else tuple(r.id for r in workflow.roles)
    if by not in known_roles:
        raise UnknownNameError("actor", by, known_roles + tuple(participants))
    if by in allowed:
        return Actor(by)
    raise PermissionDenied(by, (by,), command, subject, allowed)
