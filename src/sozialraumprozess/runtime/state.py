"""Process state as a fold over the event log.

:func:`apply` is the only code that changes a :class:`ProcessState`; it takes one
:class:`~.records.ProcessEvent` and the workflow. :func:`fold` applies a whole log
to a new state (through :func:`apply_all`, the same checks in one loop), so a
process rebuilt from its events is equal (``==``) to the live one. ``apply``
checks an event before it changes anything (a stored log that does not fit the
workflow raises :class:`ReplayError` and leaves the state as it was).

The state keeps the record objects (:mod:`._state`); the handlers, one per event
class, live in :mod:`._fold`.
"""

from __future__ import annotations

from sozialraumprozess.runtime._fold import apply, apply_all, fold
from sozialraumprozess.runtime._state import ProcessState

__all__ = ["ProcessState", "apply", "apply_all", "fold"]
