"""The application: one service per process, the routes, and errors as HTTP answers.

Run it with several worker processes (each opens its own store connections)::

    SOZIALRAUM_STORE=sqlite:///srv/sozialraum/prozesse.db \\
        uvicorn --factory sozialraum_web.app:create_app --workers 4

``SOZIALRAUM_STORE`` names the store by URL (``sqlite://…``, a folder, or
``postgresql://…`` where that store is installed). The store must exist: create
it once beforehand (``Service.open(url, create=True)``, or ``sozialraum store
upgrade --store URL`` for PostgreSQL); an application server never creates or
upgrades a store by itself.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from sozialraum_web import api, pages
from sozialraum_web.errors import WebError, error_body, status_of
from sozialraum_web.texts import words
from sozialraumprozess import Service, SozialraumprozessError
from sozialraumprozess.app.service import DEFAULT_ATTEMPTS


# --8<-- [start:service]
def open_service(url: str) -> Service:
    """The service over the store at ``url``, with retries and back-off for conflicts.

    When two requests change the same run at the same time, the second one to
    save meets a conflict; the service then reloads the run and runs its command
    again, waiting a random moment that doubles each time (5 ms, 10 ms, … at
    most 0.25 s), up to ``SOZIALRAUM_ATTEMPTS`` times. Only then does the client
    get 409.
    """
    attempts = int(os.environ.get("SOZIALRAUM_ATTEMPTS", DEFAULT_ATTEMPTS))
    return Service.open(url, attempts=attempts, backoff=0.005, max_backoff=0.25)


# --8<-- [end:service]


# --8<-- [start:create-app]
def create_app(store_url: str | None = None) -> FastAPI:
    """The web application over the store ``store_url`` (default: ``SOZIALRAUM_STORE``)."""
    url = store_url or os.environ["SOZIALRAUM_STORE"]

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = open_service(url)  # once per worker process
        try:
            yield
        finally:
            app.state.service.close()

    app = FastAPI(title="Sozialraumprozesse", lifespan=lifespan)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_exception_handler(SozialraumprozessError, refused)
    app.add_exception_handler(WebError, refused)
    app.add_exception_handler(RequestValidationError, invalid_request)
    return app


# --8<-- [end:create-app]


# --8<-- [start:handlers]
def refused(request: Request, error: Exception) -> Response:
    """A refusal as JSON (``/api/…``) or as an HTML page, with the mapped status."""
    if isinstance(error, WebError):
        status, body = error.status, error.body()
    elif isinstance(error, SozialraumprozessError):
        status = status_of(error)
        body = error_body(error, status)
    else:  # pragma: no cover - only registered for the two classes above
        raise error
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if request.url.path.startswith("/api/"):
        return JSONResponse(body, status_code=status, headers=headers)
    lang = request.query_params.get("lang", "de")
    return pages.TEMPLATES.TemplateResponse(
        request,
        "error.html",
        {
            "lang": lang,
            "t": words(lang),
            "error": body["error"],
            "run_id": request.path_params.get("run_id"),
        },
        status_code=status,
        headers=headers,
    )


# --8<-- [end:handlers]


def invalid_request(request: Request, error: Exception) -> Response:
    """A body or query that does not fit the route's model: 422 in the same shape."""
    problems = "; ".join(
        ".".join(str(part) for part in problem["loc"]) + ": " + problem["msg"]
        for problem in getattr(error, "errors", list)()
    )
    return refused(request, WebError(422, "bad-request", problems=problems))
