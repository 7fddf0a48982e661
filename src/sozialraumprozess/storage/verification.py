"""What verifying a run's hash chain found (see :meth:`.base.RunStore.verify`)."""

from __future__ import annotations

from attrs import frozen

__all__ = ["Verification"]


@frozen
class Verification:
    """A run whose stored chain was recomputed from its first event to its last.

    A damaged chain is never a ``Verification``: the store raises
    :class:`~sozialraumprozess.errors.CorruptRunError` naming the first bad event.

    Attributes:
        run_id: The run.
        events: The number of events checked.
        head: The hash of the last event (64 hex digits; pin it in the minutes),
            or ``None`` if the run was stored before chains and not upgraded yet.
        where: The file (or database) holding the log, for messages.
    """

    run_id: str
    events: int
    head: str | None
    where: str

    @property
    def chained(self) -> bool:
        """True if the run has a chain (``head`` is set)."""
        return self.head is not None
