"""The state-changing commands, one request model each, shared by the REST API and the forms.

Each model is the request body of one command (``POST /api/runs/{id}/submit``
…) and knows which :class:`~sozialraumprozess.app.Service` method runs it. The
service loads the run, runs the command as the acting participant, saves, and
retries with back-off when another request saved the same run in between.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from sozialraumprozess import CommandResult
from sozialraumprozess.app import Service


class Command(BaseModel):
    """A command's request body."""

    model_config = ConfigDict(extra="forbid")

    def run(self, service: Service, run_id: str, by: str) -> CommandResult:
        """Run the command on ``run_id`` as ``by``."""
        raise NotImplementedError


class Submit(Command):
    """A new version of an artifact."""

    artifact: str
    data: dict[str, Any]
    note: str | None = None

    def run(self, service: Service, run_id: str, by: str) -> CommandResult:
        return service.submit(run_id, self.artifact, self.data, by=by, note=self.note)


class Approve(Command):
    """Approve the newest version of an artifact."""

    artifact: str

    def run(self, service: Service, run_id: str, by: str) -> CommandResult:
        return service.approve(run_id, self.artifact, by=by)


class Confirm(Command):
    """Confirm the newest version of an artifact again (in a later cycle)."""

    artifact: str

    def run(self, service: Service, run_id: str, by: str) -> CommandResult:
        return service.confirm(run_id, self.artifact, by=by)


class RecordEvent(Command):
    """An event that was held."""

    event: str
    date: datetime.date
    participants: int | None = None
    notes: str | None = None
    protocol: int | Literal["latest"] | None = None

    def run(self, service: Service, run_id: str, by: str) -> CommandResult:
        return service.record_event(
            run_id,
            self.event,
            date=self.date,
            by=by,
            participants=self.participants,
            notes=self.notes,
            protocol=self.protocol,
        )


class Decide(Command):
    """A decision taken (votes, or consensus)."""

    decision: str
    date: datetime.date
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    consensus: bool | None = None
    present: int | None = None
    text: str | None = None

    def run(self, service: Service, run_id: str, by: str) -> CommandResult:
        return service.decide(
            run_id,
            self.decision,
            date=self.date,
            by=by,
            yes=self.yes,
            no=self.no,
            abstain=self.abstain,
            consensus=self.consensus,
            present=self.present,
            text=self.text,
        )


class Advance(Command):
    """Move to the next phase (refused with every blocker while the gate is not met)."""

    def run(self, service: Service, run_id: str, by: str) -> CommandResult:
        return service.advance(run_id, by=by)


class TakeTransition(Command):
    """Take a named transition (a loop back, a shortcut)."""

    transition: str
    reason: str | None = None

    def run(self, service: Service, run_id: str, by: str) -> CommandResult:
        return service.transition(run_id, self.transition, by=by, reason=self.reason)


class SetParticipant(Command):
    """Add a participant with roles, or change one."""

    name: str
    roles: list[str]
    kind: str = "organisation"
    contact: str | None = None
    active: bool = True

    def run(self, service: Service, run_id: str, by: str) -> CommandResult:
        return service.set_participant(
            run_id,
            self.name,
            self.roles,
            by=by,
            kind=self.kind,
            contact=self.contact,
            active=self.active,
        )


#: Every command by the name in its URL.
COMMANDS: dict[str, type[Command]] = {
    "submit": Submit,
    "approve": Approve,
    "confirm": Confirm,
    "events": RecordEvent,
    "decisions": Decide,
    "advance": Advance,
    "transitions": TakeTransition,
    "participants": SetParticipant,
}
