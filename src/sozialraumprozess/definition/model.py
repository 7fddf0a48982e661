"""The workflow definition model: immutable attrs classes built from a workflow file.

A :class:`Workflow` is pure data. It knows nothing about running processes; the
runtime reads it. Every attribute that appears in the file format carries its
documentation in ``metadata`` (see :func:`_doc`), from which the JSON Schema in
``schemas/workflow.schema.json`` and the format reference are generated, so the
model, the schema and the docs cannot drift apart.

Collections are tuples (ordered as in the file, hashable). Sections that the file
writes as mappings keyed by id (``roles``, ``events``, ``artifacts``,
``decisions``, ``fields``) become tuples of objects carrying that id; use the
lookup methods (:meth:`Workflow.role`, :meth:`Workflow.artifact`, …) to find one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Literal

import attrs
from attrs import field, frozen

from sozialraumprozess.errors import UnknownNameError
from sozialraumprozess.i18n import Lang

__all__ = [
    "FORMAT",
    "ID_PATTERN",
    "ArtifactType",
    "Criterion",
    "CriterionKind",
    "DecisionRule",
    "DecisionType",
    "EventType",
    "FieldSpec",
    "FieldType",
    "Label",
    "Phase",
    "Role",
    "Transition",
    "Workflow",
]

#: The format identifier every workflow file must declare.
FORMAT = "sozialraumprozess/v1"

#: Ids of roles, events, artifacts, decisions, phases, transitions and fields.
#: They must be usable as names in ``check`` expressions (``artifacts.zielkatalog``).
ID_PATTERN = r"^[a-z][a-z0-9_]*$"

#: Ids of whole workflows may also contain hyphens (they become file names).
WORKFLOW_ID_PATTERN = r"^[a-z][a-z0-9_-]*$"

#: ISO 8601 durations made of date parts: ``P2M``, ``P6W``, ``P1Y6M``, ``P10D``.
DURATION_PATTERN = r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$"

#: The built-in field types. Field types are an open set (a registry,
#: :mod:`sozialraumprozess.definition.fields`), so :attr:`FieldSpec.type` is a ``str``.
FieldType = Literal[
    "text", "integer", "number", "boolean", "date", "money", "choice", "list", "object"
]
DecisionRule = Literal["majority", "two_thirds", "unanimous", "consensus"]
#: The built-in gate kinds. Kinds are an open set (a registry,
#: :mod:`sozialraumprozess.definition.kinds`), so :attr:`Criterion.kind` is a ``str``.
CriterionKind = Literal["artifact", "approval", "event", "decision", "check"]

DECISION_RULES: tuple[DecisionRule, ...] = ("majority", "two_thirds", "unanimous", "consensus")
LANGUAGES = ("de", "en")


def _doc(
    description: str,
    *,
    key: str | None = None,
    default: Any = attrs.NOTHING,
    factory: Any = None,
    keyed: str | None = None,
    **schema: Any,
) -> Any:
    """An attrs field documented for the schema generator.

    Args:
        description: Hover text for editors and the format reference.
        key: The key in the file when it differs from the attribute name.
        default: Default value; a field without default is required in the file.
        factory: Default factory (for tuples).
        keyed: For tuples of objects written as a mapping in the file: the
            attribute of each object that holds the mapping key.
        **schema: Extra JSON Schema keywords (``pattern``, ``minimum``, ``examples``).
    """
    metadata = {"description": description, "key": key, "keyed": keyed, "schema": schema}
    if factory is not None:
        return field(factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


@frozen
class Label:
    """A text shown to people, in German and/or English.

    In the file a label is either a plain string (in the workflow's ``language``)
    or a mapping ``{de: …, en: …}``.
    """

    de: str | None = None
    en: str | None = None

    def get(self, lang: Lang = "de") -> str:
        """The text in ``lang``, falling back to the other language."""
        if lang == "en":
            return self.en if self.en is not None else (self.de or "")
        return self.de if self.de is not None else (self.en or "")

    def __str__(self) -> str:
        return self.get("de")


@frozen
class Role:
    """A role in the process: an organisation, a body or a function (e.g. ``kommune``)."""

    id: str = _doc("Role id, the key in `roles`.", pattern=ID_PATTERN)
    title: Label = _doc("Name shown to people, e.g. `Lokale Verantwortungsgemeinschaft`.")
    description: Label | None = _doc("What this role does in the process.", default=None)
    members: tuple[str, ...] = _doc(
        "Member groups of a body (e.g. Bürgerinnen und Bürger, Vereine, Schulen).", factory=tuple
    )
    appointed_by: tuple[str, ...] = _doc(
        "Role ids whose holders may add participants to this role, change or remove them "
        "(e.g. `[rat]`: the council registers its own members). Without it: the role "
        "itself and the current phase's `responsible` role; a role that takes decisions "
        "(`body`) or approves artifacts (`approved_by`) only by itself.",
        factory=tuple,
        minItems=1,
    )


@frozen
class EventType:
    """A kind of event held during the process (e.g. ``sozialraumkonferenz``)."""

    id: str = _doc("Event id, the key in `events`.", pattern=ID_PATTERN)
    title: Label = _doc("Name shown to people, e.g. `Gründungsveranstaltung`.")
    description: Label | None = _doc("Purpose and format of the event.", default=None)
    organizer: str | None = _doc("Role id that organises and records the event.", default=None)
    protocol: str | None = _doc(
        "Artifact id recorded for each holding (its minutes, e.g. `protokoll`).", default=None
    )
    template: str | None = _doc(
        "Template file name for the invitation/minutes of this event.", default=None
    )


@frozen
class FieldSpec:
    """One field of an artifact's data, with its type and constraints."""

    type: str = _doc("Field type.")  # one of the registered field types (definition.fields)
    name: str = _doc("Field name, the key in `fields`.", default="", pattern=ID_PATTERN)
    title: Label | None = _doc("Label shown in forms and documents.", default=None)
    description: Label | None = _doc("What belongs in the field.", default=None)
    required: bool = _doc(
        "The field must be filled for the artifact to be complete.", default=False
    )
    min: float | None = _doc("Smallest allowed value (integer, number, money).", default=None)
    max: float | None = _doc("Largest allowed value (integer, number, money).", default=None)
    min_items: int | None = _doc("Fewest list items (list).", default=None, minimum=0)
    max_items: int | None = _doc("Most list items (list).", default=None, minimum=0)
    choices: tuple[str, ...] = _doc("Allowed values (choice).", factory=tuple)
    items: FieldSpec | None = _doc("Type of each list item (list).", default=None)
    fields: tuple[FieldSpec, ...] = _doc(
        "Sub-fields by name (object).", factory=tuple, keyed="name"
    )


@frozen
class ArtifactType:
    """A kind of document or record the process produces (e.g. ``zielkatalog``)."""

    id: str = _doc("Artifact id, the key in `artifacts`.", pattern=ID_PATTERN)
    title: Label = _doc("Name shown to people, e.g. `Zielkatalog`.")
    owner: str = _doc("Role id that submits the artifact.")
    description: Label | None = _doc("Purpose of the artifact.", default=None)
    approved_by: str | None = _doc(
        "Role id that approves the artifact (needed for `approval` criteria).", default=None
    )
    template: str | None = _doc("Template file name that renders the artifact.", default=None)
    fields: tuple[FieldSpec, ...] = _doc(
        "The artifact's data fields by name.", factory=tuple, keyed="name"
    )
    retention: str | None = _doc(
        "How long a version and its documents are kept after it was submitted, as an "
        "ISO 8601 duration (P10Y); `sozialraum purge` removes what is older. A run is "
        "removed once every artifact type has a retention and the longest has passed "
        "since its last event.",
        default=None,
        pattern=DURATION_PATTERN,
        examples=["P6Y", "P10Y"],
    )


@frozen
class DecisionType:
    """A kind of resolution a body takes (e.g. ``zielbeschluss``)."""

    id: str = _doc("Decision id, the key in `decisions`.", pattern=ID_PATTERN)
    title: Label = _doc("Name shown to people, e.g. `Beschluss des Zielkatalogs`.")
    body: str = _doc("Role id of the body that decides.")
    rule: DecisionRule = _doc(
        "How the result is computed: majority (more yes than no), two_thirds (at least "
        "two thirds of yes+no), unanimous (no 'no' votes), consensus (recorded without votes).",
        default="majority",
        enum=list(DECISION_RULES),
    )
    quorum: int | None = _doc(
        "Minimum number of votes cast (yes + no + abstain) or, for consensus, of members "
        "present for the decision to count.",
        default=None,
        minimum=1,
    )
    description: Label | None = _doc("What is decided.", default=None)


@frozen
class Criterion:
    """One exit criterion of a phase or a transition.

    In the file a criterion is a mapping with exactly one of the keys
    ``artifact``, ``approval``, ``event``, ``decision`` or ``check`` (the
    registered gate kinds, :mod:`sozialraumprozess.definition.kinds`) plus
    ``message``, and ``count`` for events.
    """

    kind: str
    target: str
    message: Label | None = None
    count: int = 1

    @property
    def expression(self) -> str | None:
        """The Jinja expression of a ``check`` criterion, else ``None``."""
        return self.target if self.kind == "check" else None


@frozen
class Phase:
    """A phase of the process with its people, events, artifacts and exit gate."""

    id: str = _doc("Phase id, unique in the workflow.", pattern=ID_PATTERN)
    title: Label = _doc("Name shown to people, e.g. `Sozialraum analysieren`.")
    responsible: str = _doc("Role id responsible for the phase; it advances the process.")
    description: Label | None = _doc("What happens in the phase.", default=None)
    involved: tuple[str, ...] = _doc("Role ids that take part (consulted).", factory=tuple)
    informed: tuple[str, ...] = _doc("Role ids kept informed.", factory=tuple)
    duration: str | None = _doc(
        "Planned duration as an ISO 8601 duration (P2M, P6W, P1Y); gives a deadline "
        "from the phase's entry date.",
        default=None,
        pattern=DURATION_PATTERN,
        examples=["P2M", "P6W", "P1Y"],
    )
    events: tuple[str, ...] = _doc("Event ids held in this phase.", factory=tuple)
    artifacts: tuple[str, ...] = _doc("Artifact ids produced in this phase.", factory=tuple)
    exit: tuple[Criterion, ...] = _doc(
        "Exit criteria; all must hold before the process moves on.", factory=tuple
    )
    next: str | None = _doc(
        "Phase id that follows. Default: the next phase in the list; on the last phase "
        "`next` makes the process cyclic.",
        default=None,
    )


@frozen
class Transition:
    """A non-linear move between phases: a loop back or a shortcut."""

    id: str = _doc("Transition id, unique in the workflow.", pattern=ID_PATTERN)
    source: str = _doc("Phase id the transition starts from.", key="from")
    target: str = _doc("Phase id the transition leads to.", key="to")
    allowed: tuple[str, ...] = _doc("Role ids that may take the transition.")
    title: Label | None = _doc("Name shown to people.", default=None)
    description: Label | None = _doc("When and why to take it.", default=None)
    exit: tuple[Criterion, ...] = _doc(
        "Extra criteria that must hold to take the transition.", factory=tuple
    )


def canonical_json(data: Any) -> str:
    """The canonical JSON text of file data that :attr:`Workflow.content_hash` hashes."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _index(items: tuple[Any, ...], attr: str = "id") -> dict[str, Any]:
    return {getattr(item, attr): item for item in items}


@frozen
class Workflow:
    """A complete workflow definition (format ``sozialraumprozess/v1``)."""

    id: str = _doc("Workflow id (also its bundled name).", pattern=WORKFLOW_ID_PATTERN)
    version: str = _doc('Version of this workflow definition, e.g. `"1.0"` (a string).')
    title: Label = _doc("Title of the workflow.")
    phases: tuple[Phase, ...] = _doc("The phases in order; the first one is the start.", minItems=1)
    format: str = _doc("File format; must be `sozialraumprozess/v1`.", default=FORMAT, const=FORMAT)
    language: Literal["de", "en"] = _doc(
        "Language of plain-string labels.", default="de", enum=list(LANGUAGES)
    )
    source: str | None = _doc(
        "Where the process comes from (publication, municipality).", default=None
    )
    description: Label | None = _doc("What the workflow is for.", default=None)
    roles: tuple[Role, ...] = _doc("Roles by id.", factory=tuple, keyed="id")
    events: tuple[EventType, ...] = _doc("Event types by id.", factory=tuple, keyed="id")
    artifacts: tuple[ArtifactType, ...] = _doc("Artifact types by id.", factory=tuple, keyed="id")
    decisions: tuple[DecisionType, ...] = _doc("Decision types by id.", factory=tuple, keyed="id")
    transitions: tuple[Transition, ...] = _doc(
        "Extra transitions (loops back, shortcuts).", factory=tuple
    )
    _lookup: Mapping[str, Mapping[str, Any]] = field(
        init=False, eq=False, repr=False, hash=False, alias="_lookup"
    )
    _hash: list[str] = field(init=False, eq=False, repr=False, hash=False, alias="_hash")

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self,
            "_lookup",
            {
                "role": _index(self.roles),
                "event": _index(self.events),
                "artifact": _index(self.artifacts),
                "decision": _index(self.decisions),
                "phase": _index(self.phases),
                "transition": _index(self.transitions),
                "phase_index": {p.id: i for i, p in enumerate(self.phases)},
            },
        )
        object.__setattr__(self, "_hash", [])

    @property
    def content_hash(self) -> str:
        """``sha256:<hex>`` of the canonical JSON of :meth:`to_dict`; pins processes to it."""
        if not self._hash:
            text = canonical_json(self.to_dict())
            self._hash.append("sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest())
        return self._hash[0]

    def to_dict(self) -> dict[str, Any]:
        """The workflow as file data (JSON/YAML-compatible); ``load_workflow`` reads it back."""
        from sozialraumprozess.definition.convert import unstructure_workflow

        return unstructure_workflow(self)

    def _get(self, kind: str, name: str) -> Any:
        table = self._lookup[kind]
        try:
            return table[name]
        except KeyError:
            raise UnknownNameError(kind, name, tuple(table)) from None

    def role(self, role_id: str) -> Role:
        """The role with this id; raises :class:`UnknownNameError` with a hint."""
        return self._get("role", role_id)  # type: ignore[no-any-return]

    def event(self, event_id: str) -> EventType:
        """The event type with this id; raises :class:`UnknownNameError` with a hint."""
        return self._get("event", event_id)  # type: ignore[no-any-return]

    def artifact(self, artifact_id: str) -> ArtifactType:
        """The artifact type with this id; raises :class:`UnknownNameError` with a hint."""
        return self._get("artifact", artifact_id)  # type: ignore[no-any-return]

    def decision(self, decision_id: str) -> DecisionType:
        """The decision type with this id; raises :class:`UnknownNameError` with a hint."""
        return self._get("decision", decision_id)  # type: ignore[no-any-return]

    def phase(self, phase_id: str) -> Phase:
        """The phase with this id; raises :class:`UnknownNameError` with a hint."""
        return self._get("phase", phase_id)  # type: ignore[no-any-return]

    def transition(self, transition_id: str) -> Transition:
        """The extra transition with this id; raises :class:`UnknownNameError` with a hint."""
        return self._get("transition", transition_id)  # type: ignore[no-any-return]

    def phase_index(self, phase_id: str) -> int:
        """Position of the phase in the list (0-based)."""
        return self._get("phase_index", phase_id)  # type: ignore[no-any-return]

    @property
    def first_phase(self) -> Phase:
        """The phase every process starts in."""
        return self.phases[0]

    def next_phase(self, phase_id: str) -> str | None:
        """Id of the phase that follows ``phase_id`` on ``advance``; ``None`` if it is final."""
        phase = self.phase(phase_id)
        if phase.next is not None:
            return phase.next
        index = self.phase_index(phase_id)
        return self.phases[index + 1].id if index + 1 < len(self.phases) else None

    def is_final(self, phase_id: str) -> bool:
        """True if ``advance`` cannot leave this phase (last phase without ``next``)."""
        return self.next_phase(phase_id) is None

    @property
    def is_cyclic(self) -> bool:
        """True if the last phase leads back (``next``) and the process repeats."""
        return self.phases[-1].next is not None

    def is_backward(self, source: str, target: str) -> bool:
        """True if moving from ``source`` to ``target`` goes back (or stays) in the list."""
        return self.phase_index(target) <= self.phase_index(source)

    def transitions_from(self, phase_id: str) -> tuple[Transition, ...]:
        """The extra transitions that start in ``phase_id``."""
        return tuple(t for t in self.transitions if t.source == phase_id)

    def raci(self) -> dict[str, dict[str, str]]:
        """RACI matrix ``{role_id: {phase_id: letter}}``.

        ``R`` responsible for the phase, ``A`` approves an artifact produced in it
        or takes a decision required by its gate, ``C`` involved, ``I`` informed,
        ``""`` no part.
        """
        matrix: dict[str, dict[str, str]] = {r.id: {} for r in self.roles}
        for phase in self.phases:
            approvers = {
                a.approved_by
                for a in self.artifacts
                if a.id in phase.artifacts and a.approved_by is not None
            }
            approvers |= {
                self._lookup["decision"][c.target].body
                for c in phase.exit
                if c.kind == "decision" and c.target in self._lookup["decision"]
            }
            for role in self.roles:
                if role.id == phase.responsible:
                    letter = "R"
                elif role.id in approvers:
                    letter = "A"
                elif role.id in phase.involved:
                    letter = "C"
                elif role.id in phase.informed:
                    letter = "I"
                else:
                    letter = ""
                matrix[role.id][phase.id] = letter
        return matrix


for _cls in (
    Label,
    Role,
    EventType,
    FieldSpec,
    ArtifactType,
    DecisionType,
    Criterion,
    Phase,
    Transition,
    Workflow,
):
    attrs.resolve_types(_cls)
del _cls
