"""Participation accounted for (issue 12 §6): what a process knows of it, as records.

Per held event (a holding, named by the ``seq`` of its ``event_held`` log entry):

* :class:`Reach` — how many people of each declared target group it reached
  (``target_groups`` of the workflow, format v2);
* :class:`Contribution` — what was proposed there (with an id), and what became
  of it: ``adopted`` (*übernommen*), ``partly_adopted`` (*teilweise übernommen*)
  or ``not_adopted`` (*nicht übernommen*), with the reason and the goals or
  measures that took it up (by id, through the reference kinds);
* :class:`Feedback` — that participants were told (*Rückmeldung*): when, how,
  about which contributions.

The fold (:mod:`._fold`) keeps them in one :class:`Participation` per process
(``state.participation``): a shared empty one until the first participation
event, so processes without any carry nothing (``benchmarks/sweep_100k.py``,
memory per process). The records are frozen; the fold replaces a contribution
when it is weighed or fed back.
"""

from __future__ import annotations

from datetime import date

from attrs import define, field, frozen

from sozialraumprozess.runtime.records import Actor

__all__ = [
    "NO_PARTICIPATION",
    "OUTCOMES",
    "Contribution",
    "Feedback",
    "Participation",
    "Reach",
]

#: What became of a contribution, in the order documents list them.
OUTCOMES = ("adopted", "partly_adopted", "not_adopted")


@frozen
class Reach:
    """The target groups a holding of an event reached.

    Attributes:
        event: The event type id.
        held: The ``seq`` of the holding's ``event_held`` entry.
        counts: ``(target group id, number of people)``, sorted by id.
        recorded_by: Who recorded it.
        seq: The ``seq`` of the recording (a later one replaces it).
    """

    event: str
    held: int
    counts: tuple[tuple[str, int], ...]
    recorded_by: Actor
    seq: int

    @property
    def total(self) -> int:
        """The people reached, over every group (a person may count in two groups)."""
        return sum(count for _, count in self.counts)


@frozen
class Contribution:
    """A contribution (*Beitrag*) made at a holding of an event, and what became of it.

    Attributes:
        id: Its id, unique in the process (``ZW-1``).
        event: The event type id.
        held: The ``seq`` of the holding's ``event_held`` entry.
        text: What was proposed.
        group: The target group it came from, if recorded.
        note: A remark.
        cycle: The cycle of the holding it was made at.
        recorded_by: Who recorded it.
        seq: The ``seq`` of its recording.
        outcome: ``adopted``, ``partly_adopted``, ``not_adopted``; ``None`` until weighed.
        reason: Why (the weighing's reason).
        links: ``(kind, id)`` of the goals, measures … that took it up.
        weighed_by: Who weighed it (last).
        weighed_on: The day it was weighed (last).
        weighed_seq: The ``seq`` of the last weighing.
        told: The ``seq`` of the feedback that told participants of the current
            weighing (``None``: not told yet, or weighed again since).
    """

    id: str
    event: str
    held: int
    text: str
    group: str | None
    note: str | None
    cycle: int
    recorded_by: Actor
    seq: int
    outcome: str | None = None
    reason: str | None = None
    links: tuple[tuple[str, str], ...] = ()
    weighed_by: Actor | None = None
    weighed_on: date | None = None
    weighed_seq: int | None = None
    told: int | None = None

    @property
    def weighed(self) -> bool:
        """True once it has an outcome."""
        return self.outcome is not None


@frozen
class Feedback:
    """Participants of a holding were told what became of their contributions.

    Attributes:
        event: The event type id.
        held: The ``seq`` of the holding's ``event_held`` entry.
        on: The day they were told.
        how: How (letter, notice board, the next conference …).
        contributions: The contribution ids it told of.
        note: A remark.
        recorded_by: Who recorded it.
        seq: The ``seq`` of the recording.
    """

    event: str
    held: int
    on: date
    how: str
    contributions: tuple[str, ...]
    note: str | None
    recorded_by: Actor
    seq: int


@define(weakref_slot=False)
class Participation:
    """Everything a process knows of participation (changed by the fold only).

    Attributes:
        reach: Per holding (``seq`` of its ``event_held`` entry), the latest reach.
        contributions: Every contribution by id, in the order recorded.
        feedback: Every feedback, in order.
    """

    reach: dict[int, Reach] = field(factory=dict)
    contributions: dict[str, Contribution] = field(factory=dict)
    feedback: list[Feedback] = field(factory=list)

    def of_holding(self, held: int) -> list[Contribution]:
        """The contributions made at one holding, in order."""
        return [c for c in self.contributions.values() if c.held == held]


#: The participation of every process without any: shared, never changed (the
#: fold puts one of its own in place on the first participation event).
NO_PARTICIPATION = Participation()
