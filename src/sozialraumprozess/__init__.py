"""sozialraumprozess: run Sozialraum development processes as auditable workflows.

Load a workflow definition, validated with every problem explained::

    >>> from sozialraumprozess import load_workflow
    >>> workflow = load_workflow("generationengerechte-sozialraumentwicklung")
    >>> [phase.id for phase in workflow.phases][:2]
    ['identifizieren', 'analysieren']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # type checkers see the real imports; at run time names load on first use
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
    from sozialraumprozess.documents import Document, DocumentMeta, DocumentRenderer
    from sozialraumprozess.errors import (
        CommandRejected,
        ConflictError,
        CorruptRunError,
        DefinitionMismatch,
        DefinitionUnavailable,
        DocumentError,
        FieldProblem,
        InvalidData,
        InvalidRunId,
        Issue,
        NotAStore,
        PermissionDenied,
        ProcessError,
        ReplayError,
        RunNotFound,
        SozialraumprozessError,
        StoreError,
        TemplateRenderError,
        TransitionBlocked,
        TransitionNotAvailable,
        UnknownNameError,
        UnsupportedFormat,
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
    from sozialraumprozess.storage import (
        FolderStore,
        Run,
        RunStore,
        RunSummary,
        SqliteStore,
        create_run,
        open_run,
    )

__all__ = [
    "FORMAT",
    "ArtifactType",
    "Blocker",
    "Clock",
    "CommandRejected",
    "ConflictError",
    "CorruptRunError",
    "Criterion",
    "DecisionType",
    "DefinitionMismatch",
    "DefinitionUnavailable",
    "Document",
    "DocumentError",
    "DocumentMeta",
    "DocumentRenderer",
    "EventType",
    "FieldProblem",
    "FieldSpec",
    "FixedClock",
    "FolderStore",
    "InvalidData",
    "InvalidRunId",
    "Issue",
    "Label",
    "NotAStore",
    "PermissionDenied",
    "Phase",
    "Process",
    "ProcessError",
    "ProcessEvent",
    "ReplayError",
    "Role",
    "Run",
    "RunNotFound",
    "RunStore",
    "RunSummary",
    "SozialraumprozessError",
    "SqliteStore",
    "StoreError",
    "SystemClock",
    "TemplateRenderError",
    "Transition",
    "TransitionBlocked",
    "TransitionNotAvailable",
    "UnknownNameError",
    "UnsupportedFormat",
    "Workflow",
    "WorkflowError",
    "bundled_workflows",
    "create_run",
    "generate_schema",
    "load_workflow",
    "open_run",
]

#: The module each public name comes from (PEP 562 lazy loading).
_ORIGIN: dict[str, str] = {
    "FORMAT": "sozialraumprozess.definition",
    "ArtifactType": "sozialraumprozess.definition",
    "Blocker": "sozialraumprozess.runtime",
    "Clock": "sozialraumprozess.runtime",
    "CommandRejected": "sozialraumprozess.errors",
    "ConflictError": "sozialraumprozess.errors",
    "CorruptRunError": "sozialraumprozess.errors",
    "Criterion": "sozialraumprozess.definition",
    "DecisionType": "sozialraumprozess.definition",
    "DefinitionMismatch": "sozialraumprozess.errors",
    "DefinitionUnavailable": "sozialraumprozess.errors",
    "Document": "sozialraumprozess.documents",
    "DocumentError": "sozialraumprozess.errors",
    "DocumentMeta": "sozialraumprozess.documents",
    "DocumentRenderer": "sozialraumprozess.documents",
    "EventType": "sozialraumprozess.definition",
    "FieldProblem": "sozialraumprozess.errors",
    "FieldSpec": "sozialraumprozess.definition",
    "FixedClock": "sozialraumprozess.runtime",
    "FolderStore": "sozialraumprozess.storage",
    "InvalidData": "sozialraumprozess.errors",
    "InvalidRunId": "sozialraumprozess.errors",
    "Issue": "sozialraumprozess.errors",
    "Label": "sozialraumprozess.definition",
    "NotAStore": "sozialraumprozess.errors",
    "PermissionDenied": "sozialraumprozess.errors",
    "Phase": "sozialraumprozess.definition",
    "Process": "sozialraumprozess.runtime",
    "ProcessError": "sozialraumprozess.errors",
    "ProcessEvent": "sozialraumprozess.runtime",
    "ReplayError": "sozialraumprozess.errors",
    "Role": "sozialraumprozess.definition",
    "Run": "sozialraumprozess.storage",
    "RunNotFound": "sozialraumprozess.errors",
    "RunStore": "sozialraumprozess.storage",
    "RunSummary": "sozialraumprozess.storage",
    "SozialraumprozessError": "sozialraumprozess.errors",
    "SqliteStore": "sozialraumprozess.storage",
    "StoreError": "sozialraumprozess.errors",
    "SystemClock": "sozialraumprozess.runtime",
    "TemplateRenderError": "sozialraumprozess.errors",
    "Transition": "sozialraumprozess.definition",
    "TransitionBlocked": "sozialraumprozess.errors",
    "TransitionNotAvailable": "sozialraumprozess.errors",
    "UnknownNameError": "sozialraumprozess.errors",
    "UnsupportedFormat": "sozialraumprozess.errors",
    "Workflow": "sozialraumprozess.definition",
    "WorkflowError": "sozialraumprozess.errors",
    "bundled_workflows": "sozialraumprozess.definition",
    "create_run": "sozialraumprozess.storage",
    "generate_schema": "sozialraumprozess.definition",
    "load_workflow": "sozialraumprozess.definition",
    "open_run": "sozialraumprozess.storage",
}


def __getattr__(name: str) -> Any:
    """Import a public name on first use, so ``import sozialraumprozess`` stays cheap."""
    module = _ORIGIN.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
