"""All errors raised by sozialraumprozess.

Every error the library raises on purpose derives from one base class, so an
application can catch them all at once. Each error keeps the data a program
needs as attributes and builds a message a person understands from them;
messages are German by default and English (or any language with a catalog)
on request; their texts live in the message catalogs (:mod:`sozialraumprozess.i18n`).
``WorkflowError`` and ``ScenarioError`` carry :class:`Issue` objects; their
common base :class:`IssueReport` holds that handling (``except IssueReport``
catches both); neither is a subclass of the other.

::

    SozialraumprozessError
    ├── IssueReport              a file has problems (carries every Issue, with positions)
    │   ├── WorkflowError        a workflow file is invalid
    │   └── ScenarioError        a scenario file is invalid or one of its steps failed
    ├── UnknownNameError         a role/artifact/phase/... id that the workflow lacks
    │                            (also a KeyError)
    ├── ProcessError             a command on a running process was refused
    │   ├── PermissionDenied     the acting role may not run the command (names who may)
    │   ├── TransitionBlocked    exit criteria unmet (carries every Blocker)
    │   ├── TransitionNotAvailable  no such move from the current phase
    │   ├── InvalidData          submitted data is invalid (carries every FieldProblem)
    │   ├── CommandRejected      a rule of the process forbids the command (code + text)
    │   ├── MigrationBlocked     a move to a revised workflow has blocking findings
    │   ├── DefinitionMismatch   process pinned to another workflow id/version/hash
    │   │   └── DefinitionUnavailable  a stored run's pinned definition is not at hand
    │   └── ReplayError          a stored event log cannot be replayed (or read)
    ├── DocumentError            a document cannot be produced (code + text)
    │   └── TemplateRenderError  a template fails: syntax, missing variable, refused
    │                            construct, output too large (names file, line, variable)
    └── StoreError               a store refused to save or load a run
        ├── ConflictError        a stale writer: expected version != stored version
        │   └── ConflictRetriesExhausted  still conflicting after every retry
        ├── CorruptRunError      damaged run data (names file and line)
        ├── RunNotFound          no run with this id in the store
        ├── InvalidRunId         a run id with '/', '..', control characters, ...
        ├── NotAStore            a path that is not a store of this library
        ├── UnsupportedFormat    a newer (or unknown) on-disk format version
        ├── StoreUnwritable      full disk, read-only store, I/O error (nothing stored)
        ├── StoreLinkRefused     a symbolic link inside a store (never followed)
        ├── StoreUnavailable     a server store cannot be reached or used (or broke
        │                        during a write: says whether it was stored)
        └── StoreUpgradeNeeded   a server store's schema is older: `sozialraum store upgrade`
"""

from sozialraumprozess.errors._base import (
    Issue,
    IssueReport,
    ScenarioError,
    SozialraumprozessError,
    UnknownNameError,
    WorkflowError,
)
from sozialraumprozess.errors._documents import DocumentError, TemplateRenderError
from sozialraumprozess.errors._process import (
    CommandRejected,
    DefinitionMismatch,
    DefinitionUnavailable,
    FieldProblem,
    InvalidData,
    MigrationBlocked,
    PermissionDenied,
    ProcessError,
    ReplayError,
    TransitionBlocked,
    TransitionNotAvailable,
)
from sozialraumprozess.errors._storage import (
    AttachmentRefused,
    ConflictError,
    ConflictRetriesExhausted,
    CorruptRunError,
    InvalidRunId,
    NotAStore,
    RunNotFound,
    StoreError,
    StoreLinkRefused,
    StoreUnavailable,
    StoreUnwritable,
    StoreUpgradeNeeded,
    UnsupportedFormat,
)

__all__ = [
    "AttachmentRefused",
    "CommandRejected",
    "ConflictError",
    "ConflictRetriesExhausted",
    "CorruptRunError",
    "DefinitionMismatch",
    "DefinitionUnavailable",
    "DocumentError",
    "FieldProblem",
    "InvalidData",
    "InvalidRunId",
    "Issue",
    "IssueReport",
    "MigrationBlocked",
    "NotAStore",
    "PermissionDenied",
    "ProcessError",
    "ReplayError",
    "RunNotFound",
    "ScenarioError",
    "SozialraumprozessError",
    "StoreError",
    "StoreLinkRefused",
    "StoreUnavailable",
    "StoreUnwritable",
    "StoreUpgradeNeeded",
    "TemplateRenderError",
    "TransitionBlocked",
    "TransitionNotAvailable",
    "UnknownNameError",
    "UnsupportedFormat",
    "WorkflowError",
]
