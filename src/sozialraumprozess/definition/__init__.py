"""Workflow definitions: the file format, its model, loading and validation.

Names load on first use (PEP 562), so importing the model does not import the
YAML reader, the schema validators or Jinja.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sozialraumprozess._lazy import lazy_attributes

if TYPE_CHECKING:
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

_MODEL = "sozialraumprozess.definition.model"
_ORIGIN: dict[str, str] = {
    **dict.fromkeys(
        ["FORMAT", "ArtifactType", "Criterion", "DecisionType", "EventType", "FieldSpec",
         "Label", "Phase", "Role", "Transition", "Workflow"],
        _MODEL,
    ),
    **dict.fromkeys(
        ["bundled_workflow_path", "bundled_workflows", "load_workflow"],
        "sozialraumprozess.definition.loader",
    ),
    **dict.fromkeys(["generate_schema", "schema_json"], "sozialraumprozess.definition.schema"),
    **dict.fromkeys(
        ["structure_workflow", "unstructure_workflow"], "sozialraumprozess.definition.convert"
    ),
}  # fmt: skip


__getattr__, __dir__ = lazy_attributes(__name__, _ORIGIN, __all__)
