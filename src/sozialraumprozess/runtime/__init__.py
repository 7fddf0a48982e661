"""The process runtime: run a workflow for a Sozialraum as an auditable event log.

::

    >>> from sozialraumprozess import Process, load_workflow
    >>> workflow = load_workflow("generationengerechte-sozialraumentwicklung")
    >>> process = Process.start(workflow, sozialraum="Schwerte-Ost", by="kommune")
    >>> print(process.blockers()[1].message())
    Artefakt 'Auftrag / Projektsteckbrief' fehlt
"""

from sozialraumprozess.runtime._cache import clear_caches
from sozialraumprozess.runtime.clock import Clock, FixedClock, SystemClock
from sozialraumprozess.runtime.gates import Blocker
from sozialraumprozess.runtime.migration import Finding, MigrationReport
from sozialraumprozess.runtime.participation import Contribution, Feedback, Participation, Reach
from sozialraumprozess.runtime.permissions import COMMANDS, allowed_roles
from sozialraumprozess.runtime.process import Process, StrandState
from sozialraumprozess.runtime.records import (
    Actor,
    ArtifactVersion,
    DecisionRecord,
    DecisionResult,
    HeldEvent,
    ItemRecord,
    Participant,
    PhaseVisit,
    ProcessEvent,
    Sozialraum,
    WorkflowRef,
)
from sozialraumprozess.runtime.serialize import PROCESS_FORMAT
from sozialraumprozess.runtime.state import ProcessState

__all__ = [
    "COMMANDS",
    "PROCESS_FORMAT",
    "Actor",
    "ArtifactVersion",
    "Blocker",
    "Clock",
    "Contribution",
    "DecisionRecord",
    "DecisionResult",
    "Feedback",
    "Finding",
    "FixedClock",
    "HeldEvent",
    "ItemRecord",
    "MigrationReport",
    "Participant",
    "Participation",
    "PhaseVisit",
    "Process",
    "ProcessEvent",
    "ProcessState",
    "Reach",
    "Sozialraum",
    "StrandState",
    "SystemClock",
    "WorkflowRef",
    "allowed_roles",
    "clear_caches",
]
