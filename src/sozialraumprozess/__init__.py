"""sozialraumprozess: run Sozialraum development processes as auditable workflows.

Load a workflow definition, validated with every problem explained::

    >>> from sozialraumprozess import load_workflow
    >>> workflow = load_workflow("generationengerechte-sozialraumentwicklung")
    >>> [phase.id for phase in workflow.phases][:2]
    ['identifizieren', 'analysieren']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sozialraumprozess._lazy import lazy_package

if TYPE_CHECKING:  # the one table of public names: type checkers read it, and so
    # does lazy_package at run time (each name loads on first use)
    from sozialraumprozess.app import (
        CommandResult as CommandResult,
        Service as Service,
        StoreScheme as StoreScheme,
        open_store as open_store,
        register_scheme as register_scheme,
    )
    from sozialraumprozess.definition import (
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
        WorkflowDiff as WorkflowDiff,
        bundled_workflows as bundled_workflows,
        diff_workflows as diff_workflows,
        generate_schema as generate_schema,
        load_workflow as load_workflow,
    )
    from sozialraumprozess.documents import (
        OUTPUT_FORMATS as OUTPUT_FORMATS,
        CalendarFile as CalendarFile,
        Document as Document,
        DocumentMeta as DocumentMeta,
        DocumentRenderer as DocumentRenderer,
        PdfAttachment as PdfAttachment,
        calendar_files as calendar_files,
        event_calendar as event_calendar,
    )
    from sozialraumprozess.errors import (
        AttachmentRefused as AttachmentRefused,
        CommandRejected as CommandRejected,
        ConflictError as ConflictError,
        ConflictRetriesExhausted as ConflictRetriesExhausted,
        CorruptRunError as CorruptRunError,
        DefinitionMismatch as DefinitionMismatch,
        DefinitionUnavailable as DefinitionUnavailable,
        DocumentError as DocumentError,
        FieldProblem as FieldProblem,
        InvalidData as InvalidData,
        InvalidRunId as InvalidRunId,
        Issue as Issue,
        IssueReport as IssueReport,
        MigrationBlocked as MigrationBlocked,
        NotAStore as NotAStore,
        PermissionDenied as PermissionDenied,
        ProcessError as ProcessError,
        ReplayError as ReplayError,
        RunNotFound as RunNotFound,
        ScenarioError as ScenarioError,
        SozialraumprozessError as SozialraumprozessError,
        StoreError as StoreError,
        StoreLinkRefused as StoreLinkRefused,
        StoreUnavailable as StoreUnavailable,
        StoreUnwritable as StoreUnwritable,
        StoreUpgradeNeeded as StoreUpgradeNeeded,
        TemplateRenderError as TemplateRenderError,
        TransitionBlocked as TransitionBlocked,
        TransitionNotAvailable as TransitionNotAvailable,
        UnknownNameError as UnknownNameError,
        UnsupportedFormat as UnsupportedFormat,
        WorkflowError as WorkflowError,
    )
    from sozialraumprozess.i18n import Lang as Lang, Message as Message
    from sozialraumprozess.runtime import (
        Actor as Actor,
        ArtifactVersion as ArtifactVersion,
        Blocker as Blocker,
        Clock as Clock,
        Contribution as Contribution,
        DecisionRecord as DecisionRecord,
        DecisionResult as DecisionResult,
        Feedback as Feedback,
        FixedClock as FixedClock,
        HeldEvent as HeldEvent,
        ItemRecord as ItemRecord,
        MigrationReport as MigrationReport,
        Participant as Participant,
        Participation as Participation,
        PhaseVisit as PhaseVisit,
        Process as Process,
        ProcessEvent as ProcessEvent,
        Reach as Reach,
        Sozialraum as Sozialraum,
        StrandState as StrandState,
        SystemClock as SystemClock,
        WorkflowRef as WorkflowRef,
        clear_caches as clear_caches,
    )
    from sozialraumprozess.steering.chain import (
        Wirkungskette as Wirkungskette,
        chain_svg as chain_svg,
        wirkungskette as wirkungskette,
    )
    from sozialraumprozess.storage import (
        Change as Change,
        FolderStore as FolderStore,
        PostgresStore as PostgresStore,
        Run as Run,
        RunStore as RunStore,
        RunSummary as RunSummary,
        SqliteStore as SqliteStore,
        create_run as create_run,
        open_run as open_run,
    )

__all__, __getattr__, __dir__ = lazy_package(__name__, __file__)
