"""Clocks: where a process gets the time of its events from.

Every event records a UTC time taken from a :class:`Clock`. Production code uses
:class:`SystemClock`; tests and simulations pass a :class:`FixedClock`, which
returns a fixed time or steps forward by a fixed amount on every call.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "FixedClock", "SystemClock", "as_utc", "catch_up", "format_time", "parse_time"]


@runtime_checkable
class Clock(Protocol):
    """Anything with a ``now()`` returning a timezone-aware datetime."""

    def now(self) -> datetime:
        """The current time (timezone-aware)."""
        ...


def as_utc(moment: datetime) -> datetime:
    """``moment`` converted to UTC; naive datetimes are refused.

    Raises:
        ValueError: ``moment`` has no timezone.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime without timezone: {moment.isoformat()}")
    return moment.astimezone(UTC)


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        """``datetime.now(UTC)``."""
        return datetime.now(UTC)


class FixedClock:
    """A controllable clock for tests, demos and simulations.

    Each call of :meth:`now` returns the current time and then moves it forward by
    ``step`` (zero by default: a fixed clock). :meth:`set` and :meth:`advance` move
    it explicitly.

    Args:
        start: The first time returned (timezone-aware).
        step: How far each call of :meth:`now` moves the clock.
    """

    def __init__(self, start: datetime, step: timedelta = timedelta(0)) -> None:
        self._now = as_utc(start)
        self.step = step

    def now(self) -> datetime:
        """The current time; then the clock moves on by ``step``."""
        current = self._now
        self._now = current + self.step
        return current

    def peek(self) -> datetime:
        """The time the next :meth:`now` returns, without moving the clock."""
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to ``moment`` (timezone-aware)."""
        self._now = as_utc(moment)

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self._now += delta


def catch_up(clock: Clock, day: str) -> None:
    """Move a :class:`FixedClock` forward to 08:00 UTC of ``day`` (``YYYY-MM-DD``).

    Scenarios and demos use it so that a command about an event dated ``day`` is
    not recorded before that day: phase entry dates and deadlines then follow the
    dates in the data. A clock already past ``day``, another kind of clock, or a
    ``day`` that is not a date leaves everything as it is.
    """
    if not isinstance(clock, FixedClock):
        return
    try:
        moment = datetime.fromisoformat(day).replace(hour=8, minute=0, tzinfo=UTC)
    except ValueError:
        return
    if moment > clock.peek():
        clock.set(moment)


def format_time(moment: datetime) -> str:
    """``moment`` as ISO 8601 UTC text ending in ``Z`` (as stored in event logs)."""
    return as_utc(moment).isoformat().replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    """An ISO 8601 time as written by :func:`format_time`.

    Raises:
        ValueError: ``text`` is not such a time.
    """
    if not isinstance(text, str):
        raise ValueError(f"expected an ISO time string, got {text!r}")
    return as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
