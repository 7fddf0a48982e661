"""Kind ``contribution`` of the reference seam, and its reference field types.

Contributions (*Beiträge*) are recorded for held events by the participation
commands (``record_contribution``, issue 12 §6), not by a field: their ids come
from the run (:attr:`ReferenceKind.collect` reads the state's ``participation``).
A field of type ``contribution-ref`` / ``contribution-refs`` refers to them — a
measure naming the contributions it took up, say — and an unknown id is refused
with a positioned, bilingual did-you-mean like every reference.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sozialraumprozess.definition.fields.reference import ReferenceKind, RefsType, RefType
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.i18n import msg

__all__ = ["CONTRIBUTION_KIND", "ContributionRefType", "ContributionRefsType"]


def _recorded(state: Any, workflow: Workflow) -> Iterable[str]:
    """The ids of the contributions recorded in the run so far."""
    participation = getattr(state, "participation", None)
    contributions = getattr(participation, "contributions", None)
    return list(contributions) if contributions else []


#: The kind, registered by :mod:`sozialraumprozess.definition.fields`.
CONTRIBUTION_KIND = ReferenceKind(
    "contribution", msg("participation.kind-contribution"), collect=_recorded
)


class ContributionRefType(RefType):
    """``type: contribution-ref``: the id of one contribution (*Beitrag*) of a held event."""

    name = "contribution-ref"
    kind = "contribution"


class ContributionRefsType(RefsType):
    """``type: contribution-refs``: ids of contributions (e.g. those a measure took up)."""

    name = "contribution-refs"
    kind = "contribution"
