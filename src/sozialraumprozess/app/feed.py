"""Following a store's change feed: every new event of every run, as it is stored.

:func:`follow` yields the changes after a position and then waits for more:
on a store that can be woken (PostgreSQL's ``LISTEN``/``NOTIFY``,
``store.wait_for_changes``) it sleeps until a writer commits; on the others it
asks again every ``poll`` seconds. ``sozialraum follow`` prints what it yields.

At-least-once delivery: keep the position of the last change you *handled*, and
save it only after handling. After a crash you start again from the saved position
and may see a change a second time, never miss one::

    position = read_saved_position()          # 0 the first time
    for change in follow(store, after=position):
        deliver(change)                       # idempotent: keyed by (run, seq)
        save_position(change.position)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from sozialraumprozess.storage.base import RunStore
from sozialraumprozess.storage.feed import DEFAULT_LIMIT, Change, check_after

__all__ = ["follow"]


def follow(
    store: RunStore,
    after: int = 0,
    *,
    once: bool = False,
    poll: float = 1.0,
    batch: int = DEFAULT_LIMIT,
    stop: Callable[[], bool] | None = None,
) -> Iterator[Change]:
    """The changes after position ``after``, then each new one as it is stored.

    Args:
        store: The store.
        after: The last position already handled (0: from the beginning).
        once: Stop when the changes stored so far are given (do not wait).
        poll: Seconds between two looks, on stores that cannot wake a follower;
            the longest sleep before ``stop`` is asked again on those that can.
        batch: How many changes to read at a time.
        stop: Asked before each wait; true ends the iteration.

    Raises:
        ValueError: ``after`` is negative, ``poll`` not positive or ``batch`` below 1.
    """
    check_after(after, batch)
    if poll <= 0:
        raise ValueError(f"poll must be a positive number of seconds, not {poll!r}")
    wait = getattr(store, "wait_for_changes", None)
    position = after
    while True:
        found = store.changes(after=position, limit=batch)
        for change in found:
            yield change
            position = change.position
        if len(found) == batch:
            continue  # more may be waiting already
        if once or (stop is not None and stop()):
            return
        if wait is not None:
            wait(position, poll)
        else:
            time.sleep(poll)
