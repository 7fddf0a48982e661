"""The HTML interface: server-rendered pages and plain forms, no JavaScript.

Each form posts one command to ``/runs/{id}/do/{command}``; the answer is a
redirect back to the run's page (post/redirect/get), which shows what was done.
A refusal shows the error page with the message and, for a blocked move, every
blocker with the role that owns it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from sozialraum_web import documents
from sozialraum_web.actors import acting_participant
from sozialraum_web.commands import COMMANDS
from sozialraum_web.deps import (
    TOKEN_COOKIE,
    ActorDep,
    LangDep,
    ServiceDep,
    bearer_token,
    workflow,
)
from sozialraum_web.errors import WebError
from sozialraum_web.texts import words
from sozialraumprozess import bundled_workflows
from sozialraumprozess.i18n import Lang

router = APIRouter()
TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")


def page(request: Request, name: str, lang: Lang, **context: Any) -> HTMLResponse:
    """Render template ``name`` with the page texts in ``lang``."""
    return TEMPLATES.TemplateResponse(request, name, {"lang": lang, "t": words(lang), **context})


@router.get("/", response_class=HTMLResponse)
def index(request: Request, service: ServiceDep, lang: LangDep) -> HTMLResponse:
    """The login form; once logged in, every run and a form to start one."""
    actor = acting_participant(bearer_token(request))
    return page(
        request,
        "index.html",
        lang,
        runs=service.portfolio(lang=lang)["runs"] if actor else [],
        workflows=sorted(_workflow_titles(lang).items()),
        actor=actor,
    )


def _workflow_titles(lang: Lang) -> dict[str, str]:
    return {wid: workflow(wid).title.get(lang) for wid in bundled_workflows()}


@router.post("/login")
def login(token: Annotated[str, Form()], lang: LangDep) -> Response:
    """Keep the access token in a cookie the browser sends only to this site."""
    response = RedirectResponse(f"/?lang={lang}", status_code=303)
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
    return response


@router.post("/logout")
def logout(lang: LangDep) -> Response:
    """Forget the access token."""
    response = RedirectResponse(f"/?lang={lang}", status_code=303)
    response.delete_cookie(TOKEN_COOKIE)
    return response


@router.post("/runs")
def start_run(
    run_id: Annotated[str, Form()],
    workflow_id: Annotated[str, Form(alias="workflow")],
    sozialraum: Annotated[str, Form()],
    service: ServiceDep,
    actor: ActorDep,
    lang: LangDep,
    description: Annotated[str, Form()] = "",
) -> Response:
    """Start a process and show it."""
    service.start(
        run_id, workflow(workflow_id), sozialraum=sozialraum, description=description, by=actor
    )
    return RedirectResponse(f"/runs/{run_id}?lang={lang}", status_code=303)


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(
    request: Request,
    run_id: str,
    service: ServiceDep,
    actor: ActorDep,
    lang: LangDep,
    done: int | None = None,
) -> HTMLResponse:
    """Status, blockers with owners, open items, participants, history, documents, forms."""
    opened = service.load(run_id)  # one replay for everything the page shows
    status = service.status(opened, lang=lang)
    history = service.history(opened, lang=lang)
    wf = opened.process.workflow
    return page(
        request,
        "run.html",
        lang,
        run_id=run_id,
        status=status,
        history=list(reversed(history)),
        done=next((row for row in history if row["seq"] == done), None),
        participants=service.participants(opened),
        documents=documents.planned(opened.process),
        artifacts=[(a.id, a.title.get(lang)) for a in wf.artifacts],
        events=[(e.id, e.title.get(lang)) for e in wf.events],
        decisions=[(d.id, d.title.get(lang)) for d in wf.decisions],
        transitions=[(tr["id"], tr["title"]) for tr in status["transitions"]],
    )


# --8<-- [start:form]
@router.post("/runs/{run_id}/do/{name}")
async def command_form(
    request: Request, run_id: str, name: str, service: ServiceDep, actor: ActorDep, lang: LangDep
) -> Response:
    """Run the command of one form, then show the run again (post/redirect/get)."""
    if name not in COMMANDS:
        raise WebError(404, "bad-request", problems=name)
    form = await request.form()
    fields: dict[str, Any] = {
        key: value for key, value in form.items() if isinstance(value, str) and value.strip()
    }
    if "data" in fields:  # the artifact's fields, as JSON
        try:
            fields["data"] = json.loads(fields["data"])
        except ValueError as error:
            raise WebError(422, "bad-json", reason=str(error)) from None
    if "roles" in fields:  # comma-separated role ids
        fields["roles"] = [role.strip() for role in fields["roles"].split(",") if role.strip()]
    try:
        command = COMMANDS[name].model_validate(fields)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, p['loc']))}: {p['msg']}" for p in error.errors())
        raise WebError(422, "bad-request", problems=problems) from None
    # The library blocks (store, replay): run it on a worker thread, not the event loop.
    done = await run_in_threadpool(command.run, service, run_id, actor)
    seq = done.opened.process.log[-1].seq
    return RedirectResponse(f"/runs/{run_id}?lang={lang}&done={seq}", status_code=303)


# --8<-- [end:form]


@router.get("/runs/{run_id}/documents/{path:path}.html", response_class=HTMLResponse)
def document_page(
    run_id: str, path: str, service: ServiceDep, actor: ActorDep, lang: LangDep
) -> str:
    """One document as HTML, rendered from the run's current state."""
    return documents.render(service.load(run_id), path, lang)


@router.get("/runs/{run_id}/report.html", response_class=HTMLResponse)
def report_page(run_id: str, service: ServiceDep, actor: ActorDep, lang: LangDep) -> str:
    """The process report."""
    return documents.report(service.load(run_id), lang)
