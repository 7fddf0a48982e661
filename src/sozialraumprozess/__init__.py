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
    Issue,
    SozialraumprozessError,
    UnknownNameError,
    WorkflowError,
)

__all__ = [
    "FORMAT",
    "ArtifactType",
    "Criterion",
    "DecisionType",
    "EventType",
    "FieldSpec",
    "Issue",
    "Label",
    "Phase",
    "Role",
    "SozialraumprozessError",
    "Transition",
    "UnknownNameError",
    "Workflow",
    "WorkflowError",
    "bundled_workflows",
    "generate_schema",
    "load_workflow",
]
