"""The gate kinds: one module per kind of exit criterion, registered here.

Each kind (``artifact``, ``approval``, ``event``, ``decision``, ``check``) is a
:class:`GateKind` in its own module that owns everything about it:

* its part of the workflow schema (:meth:`GateKind.schema`, ``options``);
* its semantic checks at load time (:meth:`GateKind.check`);
* how it is compiled for fast evaluation (:meth:`GateKind.compile`) and the
  :class:`Blocker` it produces, with its catalog message;
* how ``sozialraum show``, workflow pages and documents describe it
  (:meth:`GateKind.description`, :meth:`GateKind.document_text`).

Data flows one way, definition → runtime: a kind evaluates against the small
:class:`StateView` protocol (which the runtime's ``ProcessState`` satisfies) and is
compiled with a :class:`GateEnv` (the runtime's per-workflow plan), so nothing
here imports the runtime. That is also why :class:`Blocker` lives here; the
runtime re-exports it.

A new kind is one new module plus one line in :data:`_BUILTIN` below (or a call
of :func:`register` from an application or a test). See the how-to
``docs/how-to/add-a-gate-kind.md``.
"""

from __future__ import annotations

from sozialraumprozess.definition.kinds._base import (
    Blocker,
    DecisionView,
    Gate,
    GateEnv,
    GateKind,
    HeldView,
    ItemView,
    LoadContext,
    StateView,
    VersionView,
    Worded,
)
from sozialraumprozess.definition.kinds.approval import ApprovalKind
from sozialraumprozess.definition.kinds.artifact import ArtifactKind
from sozialraumprozess.definition.kinds.check import CheckKind
from sozialraumprozess.definition.kinds.decision import DecisionKind
from sozialraumprozess.definition.kinds.event import EventKind
from sozialraumprozess.definition.kinds.findings_addressed import FindingsAddressedKind
from sozialraumprozess.definition.kinds.goals_have_measures import GoalsHaveMeasuresKind
from sozialraumprozess.definition.kinds.indicators import IndicatorSnapshotKind
from sozialraumprozess.definition.kinds.items import AllItemsKind, ItemsKind, ItemsPerEntryKind
from sozialraumprozess.definition.kinds.measures_serve_goals import MeasuresServeGoalsKind
from sozialraumprozess.definition.kinds.participation import (
    ContributionsWeighedKind,
    FeedbackGivenKind,
)
from sozialraumprozess.definition.kinds.wait import WaitKind

__all__ = [
    "Blocker",
    "DecisionView",
    "Gate",
    "GateEnv",
    "GateKind",
    "HeldView",
    "ItemView",
    "LoadContext",
    "StateView",
    "VersionView",
    "Worded",
    "gate_kind",
    "gate_kinds",
    "register",
    "registry_version",
    "unregister",
]

# The built-in kinds, in schema and documentation order.
_BUILTIN: tuple[GateKind, ...] = (
    ArtifactKind(),
    ApprovalKind(),
    EventKind(),
    DecisionKind(),
    CheckKind(),
    ItemsKind(),
    AllItemsKind(),
    ItemsPerEntryKind(),
    WaitKind(),
    GoalsHaveMeasuresKind(),
    MeasuresServeGoalsKind(),
    FindingsAddressedKind(),
    IndicatorSnapshotKind(),
    ContributionsWeighedKind(),
    FeedbackGivenKind(),
)

_KINDS: dict[str, GateKind] = {kind.name: kind for kind in _BUILTIN}

#: Incremented on every change of the registry (caches of generated schemas key on it).
_VERSION = [0]


def gate_kinds() -> tuple[GateKind, ...]:
    """Every registered kind, built-ins first, in registration order."""
    return tuple(_KINDS.values())


def gate_kind(name: str) -> GateKind:
    """The kind registered as ``name``.

    Raises:
        KeyError: No kind of that name.
    """
    return _KINDS[name]


def register(kind: GateKind) -> GateKind:
    """Add ``kind`` (its :attr:`~GateKind.name` must be new); returns it.

    Register before loading workflows that use it: definitions loaded earlier
    keep the schema and plans they were checked and compiled with.

    Raises:
        ValueError: A kind of that name exists.
    """
    if kind.name in _KINDS:
        raise ValueError(f"gate kind {kind.name!r} is registered already")
    _KINDS[kind.name] = kind
    _VERSION[0] += 1
    return kind


def unregister(name: str) -> None:
    """Remove a kind added by :func:`register` (built-in kinds stay)."""
    if any(kind.name == name for kind in _BUILTIN):
        raise ValueError(f"gate kind {name!r} is built in")
    if _KINDS.pop(name, None) is not None:
        _VERSION[0] += 1


def registry_version() -> int:
    """A number that changes whenever a kind is registered or removed."""
    return _VERSION[0]
