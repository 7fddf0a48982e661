"""Errors of the application layer (all are :class:`~sozialraumprozess.errors.StoreError`)."""

from __future__ import annotations

from collections.abc import Sequence

from sozialraumprozess.errors import StoreError
from sozialraumprozess.i18n import msg

__all__ = ["InvalidIdempotencyKey", "RunNotChosen", "WorkflowFileMissing"]


class RunNotChosen(StoreError):
    """No run id was given and the store does not hold exactly one run.

    Attributes:
        store: The store's location.
        run_ids: The runs it holds (empty: none yet).
    """

    def __init__(self, store: str, run_ids: Sequence[str]) -> None:
        self.store = store
        self.run_ids = tuple(run_ids)
        if self.run_ids:
            message = msg("app.several-runs", store=store, runs=", ".join(self.run_ids))
        else:
            message = msg("app.no-run", store=store)
        super().__init__(message)


class WorkflowFileMissing(StoreError):
    """A run was started on a workflow file that is gone, and the store has no copy.

    Attributes:
        run_id: The run.
        path: The workflow file noted for it.
    """

    def __init__(self, run_id: str, path: str) -> None:
        self.run_id = run_id
        self.path = path
        super().__init__(msg("app.workflow-file-missing", run_id=run_id, path=path))


class InvalidIdempotencyKey(StoreError, ValueError):
    """An idempotency key that cannot be stored: 1–128 printable characters without
    spaces at either end (also a ``ValueError``).

    Attributes:
        key: The key as given.
    """

    def __init__(self, key: object) -> None:
        self.key = key
        super().__init__(msg("chain.bad-key", key=repr(key)))
