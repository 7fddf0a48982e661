"""Workflow definitions: the file format, its model, loading and validation.

Names load on first use (PEP 562), so importing the model does not import the
YAML reader, the schema validators or Jinja.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sozialraumprozess._lazy import lazy_package

if TYPE_CHECKING:  # the one table of public names: type checkers read it, and so
    # does lazy_package at run time (each name loads on first use)
    from sozialraumprozess.definition.convert import (
        structure_workflow as structure_workflow,
        unstructure_workflow as unstructure_workflow,
    )
    from sozialraumprozess.definition.diff import (
        Change as Change,
        WorkflowDiff as WorkflowDiff,
        diff_workflows as diff_workflows,
    )
    from sozialraumprozess.definition.loader import (
        bundled_workflow_path as bundled_workflow_path,
        bundled_workflows as bundled_workflows,
        load_workflow as load_workflow,
    )
    from sozialraumprozess.definition.model import (
        FORMAT as FORMAT,
        FORMAT_V1 as FORMAT_V1,
        FORMATS as FORMATS,
        ArtifactType as ArtifactType,
        Criterion as Criterion,
        DecisionType as DecisionType,
        EventType as EventType,
        FieldSpec as FieldSpec,
        Indicator as Indicator,
        ItemLifecycle as ItemLifecycle,
        ItemMove as ItemMove,
        ItemState as ItemState,
        Label as Label,
        Phase as Phase,
        Role as Role,
        Strand as Strand,
        TargetGroup as TargetGroup,
        Transition as Transition,
        Workflow as Workflow,
    )
    from sozialraumprozess.definition.schema import (
        generate_schema as generate_schema,
        schema_json as schema_json,
    )

__all__, __getattr__, __dir__ = lazy_package(__name__, __file__)
