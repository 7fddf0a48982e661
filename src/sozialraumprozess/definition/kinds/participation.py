"""Gate kinds over participation (format v2, issue 12 §6): contributions weighed, participants told.

* ``- contributions_weighed: zukunftswerkstatt``: every contribution recorded for
  a holding of the event in this cycle has been weighed (*übernommen / teilweise
  übernommen / nicht übernommen*). The blocker names the contributions still
  open and belongs to the event's organiser, who weighs them.
* ``- feedback_given: zukunftswerkstatt``: participants were told (*Rückmeldung*)
  what became of every contribution of the event in this cycle — each weighed
  one has a feedback recorded after its (last) weighing. Unweighed ones block
  too: nobody can be told of them yet.

Both hold trivially while the event has no contributions in this cycle (pair
them with ``- event: …`` to demand the event itself). The kinds read the state's
``participation`` (the runtime's :class:`~sozialraumprozess.runtime.participation.Participation`)
through the small views below, so nothing here imports the runtime.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Protocol

from sozialraumprozess.definition.issues import PathKey
from sozialraumprozess.definition.kinds._base import (
    Blocker,
    Gate,
    GateEnv,
    GateKind,
    LoadContext,
    StateView,
)
from sozialraumprozess.definition.model import Criterion, Workflow
from sozialraumprozess.i18n import Message, msg, plural

__all__ = ["ContributionsWeighedKind", "FeedbackGivenKind", "open_contributions"]

_V2 = {"x-since": 2}
#: How many contribution ids a blocker lists at most.
_LISTED = 10


class ContributionView(Protocol):
    """A contribution as the gates read it (the attributes of ``Contribution``)."""

    @property
    def id(self) -> str: ...
    @property
    def event(self) -> str: ...
    @property
    def cycle(self) -> int: ...
    @property
    def outcome(self) -> str | None: ...
    @property
    def told(self) -> int | None: ...


def _contributions(state: StateView) -> Mapping[str, ContributionView]:
    participation = getattr(state, "participation", None)
    found: Mapping[str, ContributionView] = getattr(participation, "contributions", {})
    return found


def open_contributions(state: StateView, event: str, *, told: bool) -> list[str]:
    """Ids of the event's contributions in the current cycle not yet weighed (or told)."""
    cycle = state.cycle
    return [
        c.id
        for c in _contributions(state).values()
        if c.event == event
        and c.cycle == cycle
        and (c.outcome is None or (told and c.told is None))
    ]


def _listed(ids: list[str]) -> str:
    shown = ", ".join(ids[:_LISTED])
    return shown + (", …" if len(ids) > _LISTED else "")


class _ParticipationKind(GateKind):
    """Shared by the two kinds: the target is an event id; evaluation lists open ids."""

    codes: ClassVar[tuple[str, ...]]
    told: ClassVar[bool]

    def schema(self) -> dict[str, Any]:
        return {**super().schema(), **_V2}

    def check(
        self,
        ctx: LoadContext,
        criterion: dict[str, Any],
        path: list[PathKey],
        cpath: list[PathKey],
    ) -> None:
        ctx.ref("event", criterion[self.name], path)

    def _text(self, title: Any, ids: list[str]) -> Message:
        raise NotImplementedError

    def compile(self, criterion: Criterion, responsible: str, env: GateEnv) -> Gate:
        spec = env.workflow.event(criterion.target)
        eid, title, owner = spec.id, spec.title, spec.organizer or responsible
        told = self.told
        code = self.codes[0]
        kind = self.name

        def gate(state: StateView, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            if not _contributions(state):
                return
            ids = open_contributions(state, eid, told=told)
            if ids:
                out.append(Blocker(kind, criterion, owner, code, self._text(title, ids)))

        return gate


class ContributionsWeighedKind(_ParticipationKind):
    """``- contributions_weighed: <event>``: every contribution of it has been weighed."""

    name = "contributions_weighed"
    doc = (
        "Every contribution recorded for the event (id) in this cycle has been weighed "
        "(adopted, partly adopted or not adopted, with the reason)."
    )
    codes = ("unweighed",)
    told = False

    def _text(self, title: Any, ids: list[str]) -> Message:
        return plural("participation.gate-unweighed", len(ids), title=title, ids=_listed(ids))

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        return msg("participation.describe-weighed", title=workflow.event(criterion.target).title)


class FeedbackGivenKind(_ParticipationKind):
    """``- feedback_given: <event>``: participants were told what became of every contribution."""

    name = "feedback_given"
    doc = (
        "Participants were told (feedback) what became of every contribution recorded "
        "for the event (id) in this cycle."
    )
    codes = ("not-told",)
    told = True

    def _text(self, title: Any, ids: list[str]) -> Message:
        return plural("participation.gate-not-told", len(ids), title=title, ids=_listed(ids))

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        return msg("participation.describe-told", title=workflow.event(criterion.target).title)
