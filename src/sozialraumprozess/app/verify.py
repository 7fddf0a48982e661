"""Verifying stored runs: recompute every hash chain and name the first bad event.

``sozialraum verify`` and :meth:`~sozialraumprozess.app.Service.verify` use this.
A run is :class:`RunCheck` ``ok`` with its head (pin it in the council's minutes
or the report), or carries the :class:`~sozialraumprozess.errors.StoreError`
that names what is wrong (file and line, or run and seq).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from attrs import frozen

from sozialraumprozess.errors import StoreError
from sozialraumprozess.i18n import Lang

if TYPE_CHECKING:
    from sozialraumprozess.storage.base import RunStore
    from sozialraumprozess.storage.verification import Verification

__all__ = ["RunCheck", "verify_runs"]


@frozen
class RunCheck:
    """The outcome of verifying one run (or, with ``run_id`` ``None``, the store file).

    Attributes:
        run_id: The run, or ``None`` for a check of the store file as a whole.
        result: The verified chain, or ``None`` if the check failed.
        error: What is wrong, or ``None``.
    """

    run_id: str | None
    result: Verification | None
    error: StoreError | None = None

    @property
    def ok(self) -> bool:
        """True if the run (or file) passed."""
        return self.error is None

    def to_dict(self, lang: Lang = "de") -> dict[str, Any]:
        """``run_id``, ``ok``, ``events``, ``head``, ``chained``, ``error`` (``code``,
        ``message``, ``file``, ``line``) as JSON data."""
        error = None
        if self.error is not None:
            error = {
                "code": self.error.code,
                "message": self.error.message(lang),
                "file": getattr(self.error, "path", None),
                "line": getattr(self.error, "line", None),
            }
        result = self.result
        return {
            "run_id": self.run_id,
            "ok": self.ok,
            "events": None if result is None else result.events,
            "head": None if result is None else result.head,
            "chained": None if result is None else result.chained,
            "error": error,
        }


def verify_runs(store: RunStore, run_ids: Sequence[str], *, whole_store: bool) -> list[RunCheck]:
    """Verify each run of ``run_ids``; with ``whole_store``, also the store file itself
    where the store can check it (SQLite: ``PRAGMA quick_check``), first.

    Never raises for a damaged run: its error is in its :class:`RunCheck`.
    """
    checks: list[RunCheck] = []
    check_file = getattr(store, "check_file", None)
    if whole_store and callable(check_file):
        try:
            check_file()
            checks.append(RunCheck(None, None))
        except StoreError as error:
            checks.append(RunCheck(None, None, error))
    for run_id in run_ids:
        try:
            checks.append(RunCheck(run_id, store.verify(run_id)))
        except StoreError as error:
            checks.append(RunCheck(run_id, None, error))
    return checks
