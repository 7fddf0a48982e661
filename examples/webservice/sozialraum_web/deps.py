"""What every request needs: the service, the acting participant and the language."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from fastapi import Depends, Query, Request

from sozialraum_web.actors import acting_participant
from sozialraum_web.errors import WebError
from sozialraumprozess import UnknownNameError, Workflow, bundled_workflows, load_workflow
from sozialraumprozess.app import Service
from sozialraumprozess.i18n import LANGS, Lang

#: The cookie the HTML pages keep the access token in (set by the login form).
TOKEN_COOKIE = "sozialraum_token"  # noqa: S105 - a cookie name, not a secret


def get_service(request: Request) -> Service:
    """The one service of this process, opened at start-up (see :func:`.app.create_app`)."""
    service: Service = request.app.state.service
    return service


# --8<-- [start:actor]
def bearer_token(request: Request) -> str | None:
    """The token of ``Authorization: Bearer …``, or else of the login cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.cookies.get(TOKEN_COOKIE)


def get_actor(request: Request) -> str:
    """The acting participant; 401 without a known token."""
    actor = acting_participant(bearer_token(request))
    if actor is None:
        raise WebError(401, "not-authenticated")
    return actor


# --8<-- [end:actor]


def get_lang(lang: Annotated[str, Query(description="de or en")] = "de") -> Lang:
    """The language asked for with ``?lang=`` (German by default)."""
    for known in LANGS:
        if lang == known:
            return known
    raise UnknownNameError("language", lang, LANGS)


@cache
def workflow(workflow_id: str) -> Workflow:
    """A bundled workflow by id, loaded once per process."""
    if workflow_id not in bundled_workflows():
        raise UnknownNameError("workflow", workflow_id, bundled_workflows())
    return load_workflow(workflow_id)


ServiceDep = Annotated[Service, Depends(get_service)]
ActorDep = Annotated[str, Depends(get_actor)]
LangDep = Annotated[Lang, Depends(get_lang)]
