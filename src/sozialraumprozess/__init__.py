"""sozialraumprozess: run Sozialraum development processes as auditable workflows.

Load a workflow definition, validated with every problem explained::

    >>> from sozialraumprozess import load_workflow
    >>> workflow = load_workflow("generationengerechte-sozialraumentwicklung")
    >>> [phase.id for phase in workflow.phases][:2]
    ['identifizieren', 'analysieren']
"""

from sozialraumprozess.definition import (
    FORMAT,
    ArtifactType,
    Criterion,
    DecisionType,
    EventType,
    FieldSpec,
    Label,
    Phase,
    Role,
    Transition,
    Workflow,
    bundled_workflows,
    generate_schema,
    load_workflow,
)
from sozialraumprozess.errors import (
    CommandRejected,
    DefinitionMismatch,
    FieldProblem,
    InvalidData,
    Issue,
    PermissionDenied,
    ProcessError,
    ReplayError,
    SozialraumprozessError,
    TransitionBlocked,
    TransitionNotAvailable,
    UnknownNameError,
    WorkflowError,
)
from sozialraumprozess.runtime import (
    Blocker,
    Clock,
    FixedClock,
    Process,
    ProcessEvent,
    SystemClock,
)

__all__ = [
    "FORMAT",
    "ArtifactType",
    "Blocker",
    "Clock",
    "CommandRejected",
    "Criterion",
    "DecisionType",
    "DefinitionMismatch",
    "EventType",
    "FieldProblem",
    "FieldSpec",
    "FixedClock",
    "InvalidData",
    "Issue",
    "Label",
    "PermissionDenied",
    "Phase",
    "Process",
    "ProcessError",
    "ProcessEvent",
    "ReplayError",
    "Role",
    "SozialraumprozessError",
    "SystemClock",
    "Transition",
    "TransitionBlocked",
    "TransitionNotAvailable",
    "UnknownNameError",
    "Workflow",
    "WorkflowError",
    "bundled_workflows",
    "generate_schema",
    "load_workflow",
]
