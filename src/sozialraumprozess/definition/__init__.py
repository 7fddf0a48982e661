"""Workflow definitions: the file format, its model, loading and validation."""

from sozialraumprozess.definition.convert import structure_workflow, unstructure_workflow
from sozialraumprozess.definition.loader import (
    bundled_workflow_path,
    bundled_workflows,
    load_workflow,
)
from sozialraumprozess.definition.model import (
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
)
from sozialraumprozess.definition.schema import generate_schema, schema_json

__all__ = [
    "FORMAT",
    "ArtifactType",
    "Criterion",
    "DecisionType",
    "EventType",
    "FieldSpec",
    "Label",
    "Phase",
    "Role",
    "Transition",
    "Workflow",
    "bundled_workflow_path",
    "bundled_workflows",
    "generate_schema",
    "load_workflow",
    "schema_json",
    "structure_workflow",
    "unstructure_workflow",
]
