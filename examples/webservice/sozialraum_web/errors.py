"""Library errors as HTTP answers: one table of statuses, one body shape.

Every refusal of the library is a
:class:`~sozialraumprozess.SozialraumprozessError` that carries its message
(German and English, from the library's catalogs) and, where it has them, the
structured blockers and field problems. The service answers with the status
of the first matching class in ``STATUS_OF`` and this body::

    {"error": {"status": 423, "type": "TransitionBlocked", "code": "...",
               "message": {"de": "...", "en": "..."},
               "blockers": [{"kind", "target", "role", "code", "path",
                             "message": {"de", "en"}}],
               "problems": [{"path", "code", "message": {"de", "en"}}]}}
"""

from __future__ import annotations

import re
from typing import Any

from sozialraum_web.texts import text
from sozialraumprozess import (
    CommandRejected,
    ConflictError,
    InvalidData,
    InvalidRunId,
    IssueReport,
    PermissionDenied,
    RunNotFound,
    SozialraumprozessError,
    StoreUnavailable,
    TransitionBlocked,
    TransitionNotAvailable,
    UnknownNameError,
)
from sozialraumprozess.i18n import LANGS

# --8<-- [start:status-table]
#: The HTTP status of each kind of refusal; the first class that matches wins.
STATUS_OF: list[tuple[type[SozialraumprozessError], int]] = [
    (PermissionDenied, 403),  # the acting participant may not do this
    (RunNotFound, 404),  # no run with this id
    (ConflictError, 409),  # still conflicting after every retry; or the run id is taken
    (TransitionBlocked, 423),  # exit criteria unmet: the body lists every blocker
    (InvalidData, 422),  # submitted data invalid: the body lists every field problem
    (InvalidRunId, 422),
    (UnknownNameError, 422),  # an artifact, event, decision … the workflow lacks
    (IssueReport, 422),  # a workflow or data file with problems
    (CommandRejected, 422),  # a rule of the process forbids it (e.g. nothing to approve)
    (TransitionNotAvailable, 422),  # no such move from this phase
    (StoreUnavailable, 503),  # the database server cannot be reached: try again later
]


def status_of(error: SozialraumprozessError) -> int:
    """The HTTP status for ``error``: from ``STATUS_OF``, else 500 (a damaged store …)."""
    if isinstance(error, UnknownNameError) and error.kind == "actor":
        return 403  # the authenticated user is no participant of this run
    for kind, status in STATUS_OF:
        if isinstance(error, kind):
            return status
    return 500


# --8<-- [end:status-table]


def kebab(name: str) -> str:
    """``TransitionBlocked`` → ``transition-blocked`` (for errors without a catalog code)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


# --8<-- [start:error-body]
def in_every_language(message: Any) -> dict[str, str]:
    """``{"de": …, "en": …}`` from anything with ``message(lang)``."""
    return {lang: message.message(lang) for lang in LANGS}


def error_body(error: SozialraumprozessError, status: int) -> dict[str, Any]:
    """The JSON body for a refused request (see the module docstring)."""
    blockers = []
    if isinstance(error, TransitionBlocked):
        for blocker in error.blockers:
            row = blocker.to_dict()
            row["message"] = in_every_language(blocker)
            blockers.append(row)
    problems = []
    if isinstance(error, InvalidData):
        problems = [
            {"path": p.path, "code": p.code, "message": in_every_language(p)}
            for p in error.problems
        ]
    return {
        "error": {
            "status": status,
            "type": type(error).__name__,
            "code": error.code if error.code != "error" else kebab(type(error).__name__),
            "message": in_every_language(error),
            "blockers": blockers,
            "problems": problems,
        }
    }


# --8<-- [end:error-body]


class WebError(Exception):
    """A refusal of the web layer itself (not logged in, a malformed request),
    worded from :mod:`sozialraum_web.texts`."""

    def __init__(self, status: int, key: str, **params: Any) -> None:
        self.status = status
        self.key = key
        self.params = params
        super().__init__(key)

    def body(self) -> dict[str, Any]:
        """The same body shape as :func:`error_body`."""
        return {
            "error": {
                "status": self.status,
                "type": "WebError",
                "code": f"web.{self.key}",
                "message": {lang: text(self.key, lang, **self.params) for lang in LANGS},
                "blockers": [],
                "problems": [],
            }
        }
