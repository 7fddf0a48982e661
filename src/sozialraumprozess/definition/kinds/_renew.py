"""Renewal (format v2 ``renew``): what a move back asked for again no longer counts.

A transition back (or the cycle edge) may declare ``renew``; the fold then keeps,
per ``(kind, id)``, the seq of that move in ``state.renewed``. A version submitted
before it blocks as ``renew`` (not as ``stale``: a confirmation does not renew it,
only a new version does).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sozialraumprozess.definition.kinds._base import Blocker, StateView, VersionView
from sozialraumprozess.definition.model import ArtifactType, Criterion
from sozialraumprozess.i18n import msg

__all__ = ["renewals", "renewed_blocker"]

_NONE: Mapping[tuple[str, str], int] = {}


def renewals(state: StateView) -> Mapping[tuple[str, str], int]:
    """``state.renewed`` (empty for states without renewals)."""
    found: Mapping[tuple[str, str], int] | None = getattr(state, "renewed", None)
    return found or _NONE


def renewed_blocker(
    kind: str, criterion: Criterion, spec: ArtifactType, version: VersionView, state: StateView
) -> Blocker | None:
    """The ``renew`` blocker if ``version`` precedes a renewal of its artifact, else ``None``."""
    renewed = renewals(state)
    seq: Any = getattr(version, "seq", None)
    if not renewed or seq is None or seq >= renewed.get(("artifact", spec.id), 0):
        return None
    role = spec.owner if kind == "artifact" else spec.approved_by
    text = msg("phases.renew-artifact", title=spec.title, version=getattr(version, "version", "?"))
    return Blocker(kind, criterion, role, "renew", text)
