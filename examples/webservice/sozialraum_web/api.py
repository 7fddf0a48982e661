"""The REST API: runs, their status, history, documents and report, and every command.

Reading routes and command routes are plain ``def`` functions: FastAPI runs
each on a worker thread, so the library's blocking calls (the store, the
replay) never stall the event loop. Every refusal becomes an HTTP status with
the bilingual message in the body (see :mod:`sozialraum_web.errors`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict

from sozialraum_web import documents
from sozialraum_web.commands import (
    Advance,
    Approve,
    Command,
    Confirm,
    Decide,
    RecordEvent,
    SetParticipant,
    Submit,
    TakeTransition,
)
from sozialraum_web.deps import ActorDep, LangDep, ServiceDep, get_actor, workflow
from sozialraumprozess import CommandResult, Service
from sozialraumprozess.i18n import Lang

# Every route needs a known token, reading ones too: a run holds names and contacts.
router = APIRouter(prefix="/api", dependencies=[Depends(get_actor)])


class StartRun(BaseModel):
    """The body of ``POST /api/runs``."""

    model_config = ConfigDict(extra="forbid")

    run_id: str
    workflow: str
    sozialraum: str
    description: str = ""


@router.get("/runs")
def list_runs(service: ServiceDep, lang: LangDep) -> list[dict[str, Any]]:
    """Every run with phase, cycle, deadline and its number of blockers (no replay)."""
    return [dict(run) for run in service.portfolio(lang=lang)["runs"]]


@router.post("/runs", status_code=201)
def start_run(body: StartRun, service: ServiceDep, actor: ActorDep, lang: LangDep) -> Any:
    """Start a process; the acting participant must be the first phase's responsible role."""
    opened = service.start(
        body.run_id,
        workflow(body.workflow),
        sozialraum=body.sozialraum,
        description=body.description,
        by=actor,
    )
    return service.status(opened, lang=lang)


@router.get("/runs/{run_id}")
def run_status(run_id: str, service: ServiceDep, lang: LangDep) -> Any:
    """Where the run stands: phase, deadline, blockers with owners, open items, next steps."""
    return service.status(run_id, lang=lang)


@router.get("/runs/{run_id}/history")
def run_history(run_id: str, service: ServiceDep, lang: LangDep) -> list[dict[str, Any]]:
    """The run's events, one row each (seq, time, who, type, what, payload)."""
    return service.history(run_id, lang=lang)


@router.get("/runs/{run_id}/participants")
def run_participants(run_id: str, service: ServiceDep) -> list[dict[str, Any]]:
    """The run's participants with their roles."""
    return service.participants(run_id)


@router.get("/runs/{run_id}/report")
def run_report(run_id: str, service: ServiceDep, lang: LangDep) -> dict[str, Any]:
    """The report's figures: timeline, decisions, events, blockers, budget."""
    return service.report_data(run_id, lang=lang)


@router.get("/runs/{run_id}/documents")
def run_documents(run_id: str, service: ServiceDep) -> list[dict[str, Any]]:
    """Every document the run's state allows, with the address of its HTML."""
    opened = service.load(run_id)
    return [
        {
            "path": spec.stem,
            "kind": spec.kind,
            "subject": spec.subject,
            "cycle": spec.cycle,
            "version": spec.version,
            "url": f"/runs/{run_id}/documents/{spec.stem}.html",
        }
        for spec in documents.planned(opened.process)
    ]


# --8<-- [start:changes]
@router.get("/changes")
def changes(
    service: ServiceDep,
    after: Annotated[int, Query(ge=0, description="the last position already handled")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """The change feed: the events of every run after position ``after``, in the order
    they were stored. A follower handles them, then remembers the last position."""
    return [change.to_dict() for change in service.store.changes(after, limit)]


# --8<-- [end:changes]


# --8<-- [start:commands]
def run_command(
    command: Command, service: Service, run_id: str, actor: str, lang: Lang
) -> dict[str, Any]:
    """Run one command; the answer says what was recorded and how many attempts it took."""
    done: CommandResult = command.run(service, run_id, actor)
    return done.to_dict(lang) | {"attempts": done.attempts}


@router.post("/runs/{run_id}/submit")
def submit(run_id: str, body: Submit, service: ServiceDep, actor: ActorDep, lang: LangDep) -> Any:
    """Submit a new version of an artifact."""
    return run_command(body, service, run_id, actor, lang)


# --8<-- [end:commands]


@router.post("/runs/{run_id}/approve")
def approve(run_id: str, body: Approve, service: ServiceDep, actor: ActorDep, lang: LangDep) -> Any:
    """Approve the newest version of an artifact."""
    return run_command(body, service, run_id, actor, lang)


@router.post("/runs/{run_id}/confirm")
def confirm(run_id: str, body: Confirm, service: ServiceDep, actor: ActorDep, lang: LangDep) -> Any:
    """Confirm the newest version of an artifact again."""
    return run_command(body, service, run_id, actor, lang)


@router.post("/runs/{run_id}/events")
def record_event(
    run_id: str, body: RecordEvent, service: ServiceDep, actor: ActorDep, lang: LangDep
) -> Any:
    """Record an event that was held."""
    return run_command(body, service, run_id, actor, lang)


@router.post("/runs/{run_id}/decisions")
def decide(run_id: str, body: Decide, service: ServiceDep, actor: ActorDep, lang: LangDep) -> Any:
    """Record a decision."""
    return run_command(body, service, run_id, actor, lang)


@router.post("/runs/{run_id}/advance")
def advance(run_id: str, service: ServiceDep, actor: ActorDep, lang: LangDep) -> Any:
    """Move to the next phase; 423 with every blocker while the gate is not met."""
    return run_command(Advance(), service, run_id, actor, lang)


@router.post("/runs/{run_id}/transitions")
def take_transition(
    run_id: str, body: TakeTransition, service: ServiceDep, actor: ActorDep, lang: LangDep
) -> Any:
    """Take a named transition."""
    return run_command(body, service, run_id, actor, lang)


@router.post("/runs/{run_id}/participants")
def set_participant(
    run_id: str, body: SetParticipant, service: ServiceDep, actor: ActorDep, lang: LangDep
) -> Any:
    """Add or change a participant."""
    return run_command(body, service, run_id, actor, lang)
