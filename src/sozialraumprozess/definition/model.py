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
import re
from collections.abc import Mapping
from typing import Any, Literal

import attrs
from attrs import field, frozen

from sozialraumprozess.definition.dates import DURATION_PATTERN as _DURATION_PATTERN
from sozialraumprozess.errors import UnknownNameError
from sozialraumprozess.i18n import Lang

__all__ = [
    "FORMAT",
    "FORMATS",
    "FORMAT_V1",
    "ID_PATTERN",
    "RENEW_ALL",
    "AnnualTable",
    "ArtifactType",
    "Criterion",
    "CriterionKind",
    "Deadline",
    "DecisionRule",
    "DecisionType",
    "EventType",
    "FieldSpec",
    "FieldType",
    "Indicator",
    "ItemLifecycle",
    "ItemMove",
    "ItemState",
    "Label",
    "Phase",
    "Renew",
    "Role",
    "Strand",
    "TargetGroup",
    "Transition",
    "Workflow",
]

#: The format identifier of the current workflow file format (v2).
FORMAT = "sozialraumprozess/v2"

#: The first format. Every v1 file is a valid v2 file and is read as one; only
#: keys marked ``since=2`` (``x-since`` in the schema) are refused in a v1 file.
FORMAT_V1 = "sozialraumprozess/v1"

#: Every format this version reads, oldest first.
FORMATS = (FORMAT_V1, FORMAT)

#: Ids of roles, events, artifacts, decisions, phases, transitions and fields.
#: They must be usable as names in ``check`` expressions (``artifacts.zielkatalog``).
ID_PATTERN = r"^[a-z][a-z0-9_]*$"

#: Ids of whole workflows may also contain hyphens (they become file names).
WORKFLOW_ID_PATTERN = r"^[a-z][a-z0-9_-]*$"

#: Durations made of date parts: ISO 8601 (``P2M``, ``P6W``, ``P1Y6M``, ``P10D``) or
#: plain German (``2 Monate``, ``6 Wochen``, ``1 Jahr 6 Monate``; see
#: :mod:`sozialraumprozess.definition.dates`).
DURATION_PATTERN = _DURATION_PATTERN

#: The built-in field types. Field types are an open set (a registry,
#: :mod:`sozialraumprozess.definition.fields`), so :attr:`FieldSpec.type` is a ``str``.
FieldType = Literal[
    "text", "integer", "number", "boolean", "date", "money", "choice", "list", "object", "file"
]
#: Which way an indicator is good: ``higher-is-better`` (e.g. a participation rate) or
#: ``higher-is-worse`` (e.g. the SGB II quota).
Direction = Literal["higher-is-better", "higher-is-worse"]
DIRECTIONS: tuple[Direction, ...] = ("higher-is-better", "higher-is-worse")
DecisionRule = Literal["majority", "two_thirds", "unanimous", "consensus", "taking_note"]
#: The built-in gate kinds. Kinds are an open set (a registry,
#: :mod:`sozialraumprozess.definition.kinds`), so :attr:`Criterion.kind` is a ``str``.
CriterionKind = Literal["artifact", "approval", "event", "decision", "check"]

DECISION_RULES: tuple[DecisionRule, ...] = (
    "majority",
    "two_thirds",
    "unanimous",
    "consensus",
    "taking_note",
)
#: Decision rules new in format v2 (refused in a v1 file).
V2_DECISION_RULES = ("taking_note",)
#: A quorum written as a share of a body's seats: ``50 %``, ``50%``, ``33,3 %``.
SHARE_PATTERN = r"^\d{1,3}(?:[.,]\d+)? ?%$"
LANGUAGES = ("de", "en")


def _doc(
    description: str,
    *,
    key: str | None = None,
    default: Any = attrs.NOTHING,
    factory: Any = None,
    keyed: str | None = None,
    since: int = 1,
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
        since: The format version that introduced the key (2: refused in a
            ``sozialraumprozess/v1`` file, with a hint to declare v2).
        **schema: Extra JSON Schema keywords (``pattern``, ``minimum``, ``examples``).
    """
    if since > 1:
        schema = {**schema, "x-since": since}
        description = f"{description} (format v{since})"
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
    seats: int | None = _doc(
        "Number of members (seats) of a body, e.g. 17 for a committee; a decision's "
        "`quorum_share` counts against it.",
        default=None,
        minimum=1,
        since=2,
    )
    appointed_by: tuple[str, ...] = _doc(
        "Role ids whose holders may add participants to this role, change or remove them "
        "(e.g. `[rat]`: the council registers its own members). Without it: the role "
        "itself and the current phase's `responsible` role; a role that takes decisions "
        "(`body`) or approves artifacts (`approved_by`) only by itself.",
        factory=tuple,
        minItems=1,
    )


#: The kinds of target group: an age group or another group of people.
TARGET_GROUP_KINDS = ("age", "group")


@frozen
class TargetGroup:
    """A group of people the participation is meant to reach (e.g. ``jugendliche``).

    Age groups (``kind: age``) and other groups (``kind: group``: Alleinerziehende,
    Vereine …) are declared once per workflow; held events record how many people
    of each group they reached.
    """

    id: str = _doc("Target group id, the key in `target_groups`.", pattern=ID_PATTERN)
    title: Label = _doc("Name shown to people, e.g. `Jugendliche (14–17 Jahre)`.")
    kind: Literal["age", "group"] = _doc(
        "`age` for an age group, `group` for any other group of people.",
        default="group",
        enum=list(TARGET_GROUP_KINDS),
    )
    description: Label | None = _doc("Who belongs to the group.", default=None)


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
    target_groups: tuple[str, ...] = _doc(
        "Target group ids (declared in `target_groups`) the event means to reach; the "
        "participation document shows which of them a holding reached.",
        factory=tuple,
        since=2,
    )
    notice: str | None = _doc(
        "Notice period (Ladungsfrist): the invitation must go out at least this long "
        "before the event, e.g. `7 Tage`, `P1W`. Planning or rescheduling the event "
        "later than that is refused.",
        default=None,
        pattern=DURATION_PATTERN,
        examples=["7 Tage", "2 Wochen", "P7D"],
        since=2,
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
    choices: tuple[str, ...] = _doc(
        "Allowed values (choice): a list of values, or (format v2) a mapping value → label "
        "(`{offen: {de: Offen, en: Open}}`); documents show the label.",
        factory=tuple,
    )
    items: FieldSpec | None = _doc("Type of each list item (list).", default=None)
    fields: tuple[FieldSpec, ...] = _doc(
        "Sub-fields by name (object).", factory=tuple, keyed="name"
    )
    earliest: str | None = _doc(
        "Earliest allowed day (date), `YYYY-MM-DD` or `TT.MM.JJJJ`.",
        default=None,
        since=2,
        examples=["2025-01-01"],
    )
    latest: str | None = _doc(
        "Latest allowed day (date), `YYYY-MM-DD` or `TT.MM.JJJJ`.",
        default=None,
        since=2,
        examples=["2025-12-31"],
    )
    accept: tuple[str, ...] = _doc(
        "Allowed file types (file) by extension, e.g. `[pdf, png]`; default: every type the "
        "store accepts.",
        factory=tuple,
        since=2,
    )
    max_size: int | None = _doc(
        "Largest allowed file in bytes (file); the store's own limit applies too.",
        default=None,
        minimum=1,
        since=2,
    )
    budget: Literal["planned", "spent"] | None = _doc(
        "What the amount counts as in the budget reconciliation (money): `planned` (Plan) "
        "or `spent` (Ist), for the budget line named by the `budget-line-ref` field beside it.",
        default=None,
        since=2,
        enum=["planned", "spent"],
    )
    #: The labels of labelled ``choices`` (written as a mapping), in the order of
    #: ``choices``; empty for a plain list of choices. Not a key of its own in the file.
    choice_labels: tuple[Label, ...] = field(factory=tuple)

    def choice_label(self, value: str) -> Label | None:
        """The label of the choice ``value``, if the choices carry labels."""
        if self.choice_labels and value in self.choices:
            return self.choice_labels[self.choices.index(value)]
        return None


@frozen
class ItemState:
    """One state in the lifecycle of an item (e.g. ``geplant``)."""

    id: str = _doc("State id, the key in `states`.", pattern=ID_PATTERN)
    title: Label = _doc("Name shown to people, e.g. `In Umsetzung`.")
    description: Label | None = _doc("What the state means.", default=None)


@frozen
class ItemMove:
    """An allowed move of an item between two states."""

    source: str = _doc("State id the move starts from.", key="from")
    target: str = _doc("State id the move leads to.", key="to")


@frozen
class ItemLifecycle:
    """Items of an artifact type: one record per item, each with its own state.

    An artifact type with ``items`` exists once per item (one report per visited
    meeting point, one record per measure). Each item has a key (its name, e.g.
    the meeting point), data (the artifact's ``fields``, versioned) and a state
    from ``states``; new items start in the first state.
    """

    states: tuple[ItemState, ...] = _doc(
        "The item's states by id, in order; new items start in the first.",
        keyed="id",
        minProperties=1,
    )
    moves: tuple[ItemMove, ...] = _doc(
        "Allowed moves between states. Default: from each state to the next one in order.",
        factory=tuple,
    )
    moved_by: tuple[str, ...] = _doc(
        "Role ids that may move items between states. Default: the artifact's owner.",
        factory=tuple,
    )
    key: Label | None = _doc(
        "What an item's key names, e.g. `Treffpunkt` or `Maßnahme` (shown with the key).",
        default=None,
    )
    kind: str | None = _doc(
        "The kind of id an item's key is, e.g. `measure`: fields that refer to that kind "
        "(`measure-refs`) accept the keys of this artifact's items.",
        default=None,
        since=2,
        examples=["measure"],
    )

    def state(self, state_id: str) -> ItemState | None:
        """The state with this id, or ``None``."""
        for state in self.states:
            if state.id == state_id:
                return state
        return None

    def index(self, state_id: str) -> int:
        """Position of the state in ``states`` (-1 if unknown)."""
        for i, state in enumerate(self.states):
            if state.id == state_id:
                return i
        return -1

    def allowed_moves(self, state_id: str) -> tuple[str, ...]:
        """The states an item in ``state_id`` may move to."""
        if self.moves:
            return tuple(m.target for m in self.moves if m.source == state_id)
        i = self.index(state_id)
        return (self.states[i + 1].id,) if 0 <= i < len(self.states) - 1 else ()


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
    items: ItemLifecycle | None = _doc(
        "The artifact exists once per item, each with its own states (e.g. one report per "
        "visited meeting point, one record per measure); `fields` are each item's data.",
        default=None,
        since=2,
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

    def field(self, name: str) -> FieldSpec | None:
        """The data field called ``name``, or ``None`` if the artifact has none."""
        return next((f for f in self.fields if f.name == name), None)


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
    quorum_share: str | None = _doc(
        "Quorum as a share of the body's `seats`, e.g. `50 %`: at least that share "
        "(rounded up) must have voted (or, for consensus and taking note, be present).",
        default=None,
        pattern=SHARE_PATTERN,
        examples=["50 %"],
        since=2,
    )
    after: tuple[str, ...] = _doc(
        "Decision ids that must have been taken (passed, or noted) in this cycle before "
        "this one may be recorded (Beratungsfolge: committee before council).",
        factory=tuple,
        since=2,
    )
    adopts: str | None = _doc(
        "Artifact id the decision adopts: recording it records the artifact's newest "
        "version, and a newer version makes the `decision` gate ask for a new decision.",
        default=None,
        since=2,
    )
    amount: bool = _doc(
        "The decision grants an amount of money (a Verfügungsfonds grant): recording it "
        "needs `amount` in euros.",
        default=False,
        since=2,
    )


@frozen
class Criterion:
    """One exit criterion of a phase or a transition.

    In the file a criterion is a mapping with exactly one of the keys
    ``artifact``, ``approval``, ``event``, ``decision`` or ``check`` (the
    registered gate kinds, :mod:`sozialraumprozess.definition.kinds`) plus
    ``message``, and ``count`` for events, ``since`` for ``wait``.
    """

    kind: str
    target: str
    message: Label | None = None
    count: int = 1
    #: Further options of the kind (``state``, ``min``, ``entries`` …) as sorted pairs.
    options: tuple[tuple[str, Any], ...] = ()

    def option(self, name: str, default: Any = None) -> Any:
        """The value of the kind option ``name`` (``default`` if not given)."""
        for key, value in self.options:
            if key == name:
                return value
        return default

    since: str | None = None

    @property
    def expression(self) -> str | None:
        """The Jinja expression of a ``check`` criterion, else ``None``."""
        return self.target if self.kind == "check" else None


@frozen
class Strand:
    """A parallel strand of a phase (format v2): worked in any order, by its own role.

    A strand is done while its exit criteria hold (there is no "done" event: a
    newer incomplete version opens it again). The phase closes when its required
    strands (:attr:`Phase.requires`, default: all) are done and its own exit
    criteria hold.
    """

    id: str = _doc("Strand id, the key in the phase's `strands`.", pattern=ID_PATTERN)
    title: Label = _doc("Name shown to people, e.g. `Teilplan Kita`.")
    responsible: str = _doc("Role id responsible for the strand (owns its `check` criteria).")
    exit: tuple[Criterion, ...] = _doc(
        "Exit criteria of the strand (at least one); it is done while all hold.", minItems=1
    )
    description: Label | None = _doc("What happens in the strand.", default=None)
    events: tuple[str, ...] = _doc("Event ids held in this strand.", factory=tuple)
    artifacts: tuple[str, ...] = _doc("Artifact ids produced in this strand.", factory=tuple)


#: ``renew: all``: every artifact, event and decision of the target phase.
RENEW_ALL: Literal["all"] = "all"

#: What a move back renews: ids, ``all``, or nothing.
Renew = tuple[str, ...] | Literal["all"] | None


@frozen
class Deadline:
    """A deadline of a phase (format v2): a fixed date, or a period before a planned event.

    ``date: 2025-03-31`` (a Land's application cut-off) or ``before: sitzung`` with
    ``by: 6 Wochen`` ("spätestens 6 Wochen vor der Sitzung": the day of the open plan
    of ``sitzung`` minus six weeks). Deadlines inform: status shows them and whether
    they have passed; nothing moves by itself.
    """

    title: Label = _doc("What is due, e.g. `Antrag beim Land einreichen`.")
    date: str | None = _doc(
        "The fixed day (`2025-03-31` or `31.03.2025`).", default=None, examples=["31.03.2025"]
    )
    before: str | None = _doc(
        "Event id: the deadline lies `by` before the day the event is planned for.",
        default=None,
    )
    by: str | None = _doc(
        "With `before`: how long before (`6 Wochen`, `P6W`).",
        default=None,
        pattern=DURATION_PATTERN,
        examples=["6 Wochen", "P6W"],
    )
    owner: str | None = _doc("Role id the deadline is for.", default=None)


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
        "Planned duration, ISO 8601 (P2M, P6W, P1Y) or plain German (2 Monate, 6 Wochen, "
        "1 Jahr); gives a deadline from the phase's entry date.",
        default=None,
        pattern=DURATION_PATTERN,
        examples=["P2M", "2 Monate", "P6W", "6 Wochen"],
    )
    events: tuple[str, ...] = _doc("Event ids held in this phase.", factory=tuple)
    artifacts: tuple[str, ...] = _doc("Artifact ids produced in this phase.", factory=tuple)
    decisions: tuple[str, ...] = _doc(
        "Decision ids recorded in this phase besides those its exit criteria and "
        "transitions name (a decision belongs to the phases that name it).",
        factory=tuple,
        since=2,
    )
    deadlines: tuple[Deadline, ...] = _doc(
        "Deadlines of the phase: a fixed `date`, or `by` a period `before` a planned "
        "event (status shows them).",
        factory=tuple,
        since=2,
    )
    exit: tuple[Criterion, ...] = _doc(
        "Exit criteria; all must hold before the process moves on.", factory=tuple
    )
    next: str | None = _doc(
        "Phase id that follows. Default: the next phase in the list; on the last phase "
        "`next` makes the process cyclic.",
        default=None,
    )
    renamed_from: str | None = _doc(
        "The id this phase had in the previous version of the workflow; `sozialraum diff` "
        "and `migrate` then treat it as the same phase, renamed.",
        default=None,
        pattern=ID_PATTERN,
        since=2,
    )
    strands: tuple[Strand, ...] = _doc(
        "Parallel strands by id, each with its own role, artifacts, events and exit "
        "criteria; the phase closes when the required ones are done.",
        factory=tuple,
        keyed="id",
        since=2,
    )
    requires: tuple[str, ...] | None = _doc(
        "Strand ids that must be done before the phase closes (default: all strands).",
        default=None,
        since=2,
    )
    optional: bool = _doc(
        "The phase may be skipped (command `skip`, with a reason) by its responsible role.",
        default=False,
        since=2,
    )
    renew: Renew = _doc(
        "On a phase whose `next` leads back (the cycle edge): artifact, event and decision "
        "ids (or `all`: everything of the target phase) that no longer count after the "
        "move until submitted, held or decided again.",
        default=None,
        since=2,
    )

    @property
    def all_artifacts(self) -> tuple[str, ...]:
        """The phase's artifacts followed by those of its strands."""
        if not self.strands:
            return self.artifacts
        return self.artifacts + tuple(a for s in self.strands for a in s.artifacts)

    @property
    def all_events(self) -> tuple[str, ...]:
        """The phase's events followed by those of its strands."""
        if not self.strands:
            return self.events
        return self.events + tuple(e for s in self.strands for e in s.events)

    @property
    def required_strands(self) -> tuple[Strand, ...]:
        """The strands that must be done (``requires``, default: all)."""
        if self.requires is None:
            return self.strands
        return tuple(s for s in self.strands if s.id in self.requires)

    def strand_of(self, kind: str, item: str) -> Strand | None:
        """The strand listing artifact/event ``item`` (``kind``), or ``None``."""
        for strand in self.strands:
            if item in (strand.artifacts if kind == "artifact" else strand.events):
                return strand
        return None


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
    when: str | None = _doc(
        "Condition (a check expression, like `check:`): the transition is offered only "
        "while it holds.",
        default=None,
        since=2,
        examples=["decisions.anhoerung_beantragt.passed"],
    )
    auto: bool = _doc(
        "Taken by `advance` when `when` holds (after the phase's exit criteria), instead "
        "of moving to the next phase.",
        default=False,
        since=2,
    )
    renew: Renew = _doc(
        "Artifact, event and decision ids (or `all`: everything of the target phase) "
        "that no longer count after the move until submitted, held or decided again.",
        default=None,
        since=2,
    )


@frozen
class Indicator:
    """An indicator of the Sozialraum's monitoring (*Sozialraummonitoring*, format v2).

    Values are recorded per reference date (*Stichtag*) during the run; every cycle's
    values form a snapshot that is compared with the previous cycle and with the
    reference value (e.g. the city average).
    """

    id: str = _doc("Indicator id, the key in `indicators`.", pattern=ID_PATTERN)
    label: Label = _doc("Name shown to people, e.g. `SGB-II-Quote`.")
    direction: Direction = _doc(
        "Which way is good: `higher-is-better` (e.g. a participation rate) or "
        "`higher-is-worse` (e.g. the SGB II quota).",
        enum=list(DIRECTIONS),
    )
    unit: Label | None = _doc(
        "Unit of the values, e.g. `%`, `Personen` or `{de: Personen, en: people}`.",
        default=None,
    )
    unit_singular: Label | None = _doc(
        "The unit after the number 1 (also +1 and -1), e.g. `{de: Gruppe, en: group}` "
        "where `unit` is `{de: Gruppen, en: groups}`; without it `unit` is used.",
        default=None,
        since=2,
    )
    source: Label | None = _doc(
        "Where the values come from, e.g. `Kommunalstatistik, Stichtag 31.12.`.", default=None
    )
    reference: float | None = _doc(
        "Reference value to compare with, e.g. the city average.", default=None
    )
    reference_label: Label | None = _doc(
        "What the reference value is, e.g. `Stadtdurchschnitt`.", default=None
    )
    recorded_by: str | None = _doc(
        "Role id that records the values (default: the current phase's responsible role).",
        default=None,
    )


def canonical_json(data: Any) -> str:
    """The canonical JSON text of file data that :attr:`Workflow.content_hash` hashes."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _index(items: tuple[Any, ...], attr: str = "id") -> dict[str, Any]:
    return {getattr(item, attr): item for item in items}


_DECISION_READ = re.compile(r"""\bdecisions\s*(?:\.\s*(\w+)|\[\s*['"](\w+)['"]\s*\])""")


def _named_decisions(criteria: tuple[Criterion, ...]) -> set[str]:
    named: set[str] = set()
    for criterion in criteria:
        if criterion.kind == "decision":
            named.add(criterion.target)
        elif criterion.kind == "check":
            named.update(a or b for a, b in _DECISION_READ.findall(criterion.target))
    return named


def _decision_phases(workflow: Workflow) -> dict[str, frozenset[str]]:
    """Decision id → the phases it belongs to (see :meth:`Workflow.decision_phases`)."""
    phases: dict[str, set[str]] = {}
    for phase in workflow.phases:
        named = set(phase.decisions) | _named_decisions(phase.exit)
        for transition in workflow.transitions:
            if transition.source == phase.id:
                named |= _named_decisions(transition.exit)
        for decision in named:
            phases.setdefault(decision, set()).add(phase.id)
    return {decision: frozenset(ids) for decision, ids in phases.items()}


@frozen
class AnnualTable:
    """The standardised annual table (format v2): which artifact and fields make a row.

    Seed 001's wish (comparable annual reports in table form): the rows are the
    entries of a list field of an artifact's newest version, one table across many
    Sozialräume (``sozialraum programme``, ``sozialraum portfolio``).
    """

    artifact: str = _doc(
        "Artifact id whose newest version gives the rows, e.g. `jahresbericht`.",
        pattern=ID_PATTERN,
    )
    rows: str = _doc(
        "List field of that artifact (a list of objects): one row per entry, e.g. `projekte`.",
        pattern=ID_PATTERN,
    )
    columns: tuple[str, ...] = _doc(
        "Sub-fields of the entries shown as columns, in order, e.g. `[projekt, ziel, ergebnis]`.",
        minItems=1,
    )
    year: str | None = _doc(
        "Field of the artifact (integer) holding the year of the report, e.g. `berichtsjahr`.",
        default=None,
        pattern=ID_PATTERN,
    )
    title: Label | None = _doc("Title of the table.", default=None)


@frozen
class Workflow:
    """A complete workflow definition (format ``sozialraumprozess/v2``; v1 files read as v2)."""

    id: str = _doc("Workflow id (also its bundled name).", pattern=WORKFLOW_ID_PATTERN)
    version: str = _doc('Version of this workflow definition, e.g. `"1.0"` (a string).')
    title: Label = _doc("Title of the workflow.")
    phases: tuple[Phase, ...] = _doc("The phases in order; the first one is the start.", minItems=1)
    format: str = _doc(
        "File format: `sozialraumprozess/v2` (or `sozialraumprozess/v1`, read as v2; "
        "keys new in v2 need `sozialraumprozess/v2`).",
        default=FORMAT,
        enum=list(FORMATS),
    )
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
    indicators: tuple[Indicator, ...] = _doc(
        "Indicators of the Sozialraum's monitoring by id: label, unit, source, direction "
        "and a reference value such as the city average; values are recorded per "
        "reference date (Stichtag).",
        factory=tuple,
        keyed="id",
        since=2,
    )
    target_groups: tuple[TargetGroup, ...] = _doc(
        "Target groups by id (age groups and other groups) whose participation held events record.",
        factory=tuple,
        keyed="id",
        since=2,
    )
    annual_table: AnnualTable | None = _doc(
        "The standardised annual table: which artifact's list field makes the rows and "
        "which of its fields the columns (one comparable table across Sozialräume).",
        default=None,
        since=2,
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
                "indicator": _index(self.indicators),
                "target_group": _index(self.target_groups),
                "phase_index": {p.id: i for i, p in enumerate(self.phases)},
                "decision_phases": _decision_phases(self),
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

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id; raises :class:`UnknownNameError` with a hint."""
        return self._get("indicator", indicator_id)  # type: ignore[no-any-return]

    def target_group(self, group_id: str) -> TargetGroup:
        """The target group with this id; raises :class:`UnknownNameError` with a hint."""
        return self._get("target_group", group_id)  # type: ignore[no-any-return]

    def decision_phases(self, decision_id: str) -> frozenset[str]:
        """The phase ids a decision may be recorded in (empty if it names no phase).

        A decision belongs to a phase that lists it in ``decisions``, names it in
        an exit criterion (``decision: <id>``, or a ``check`` reading
        ``decisions.<id>``), or starts a transition whose criteria name it.
        """
        found: frozenset[str] = self._lookup["decision_phases"].get(decision_id, frozenset())
        return found

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
    TargetGroup,
    EventType,
    FieldSpec,
    ItemState,
    ItemMove,
    ItemLifecycle,
    ArtifactType,
    DecisionType,
    Criterion,
    Strand,
    Deadline,
    Phase,
    Transition,
    Indicator,
    AnnualTable,
    Workflow,
):
    attrs.resolve_types(_cls)
del _cls
