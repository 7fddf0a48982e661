"""What every gate kind is made of: the :class:`GateKind` base, :class:`Blocker`, and
the small read-only views of a process state and of the compiled plan it works on.

A gate kind never imports the runtime. It evaluates against :class:`StateView`
(the few attributes of the process state it reads — the runtime's
``ProcessState`` satisfies it) and is compiled with the help of a :class:`GateEnv`
(the runtime's per-workflow plan satisfies it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Set as AbstractSet
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from attrs import frozen

from sozialraumprozess.definition.issues import PathKey
from sozialraumprozess.definition.model import Criterion, Workflow
from sozialraumprozess.i18n import Lang, Message, check_lang, msg

if TYPE_CHECKING:
    from sozialraumprozess.definition.fields import GapFinder

__all__ = [
    "Blocker",
    "DecisionView",
    "Gate",
    "GateEnv",
    "GateKind",
    "HeldView",
    "ItemView",
    "LoadContext",
    "StateView",
    "VersionView",
    "Worded",
]


@frozen
class Blocker:
    """One unmet exit criterion, with who can resolve it and why it blocks.

    Attributes:
        kind: The criterion kind (a registered gate kind: ``artifact``, ``approval``,
            ``event``, ``decision``, ``check`` …; kinds are an open set, see
            :mod:`sozialraumprozess.definition.kinds`).
        criterion: The criterion from the definition.
        role: The role that owns it (artifact owner, approver, organiser, body; the
            phase's responsible role for checks).
        code: Why it is unmet: ``missing``, ``stale``, ``incomplete``, ``not-approved``,
            ``not-held``, ``not-taken``, ``rejected``, ``no-quorum``, ``no-consensus``,
            ``check-failed``, ``check-error`` (each kind lists its own in ``codes``).
        msg: The explanation as a catalog message.
        path: For ``incomplete``: the field path (``einwohnerzahl``, ``ziele[0].titel``).
        strand: The strand of the phase the criterion belongs to (format v2), if any.
    """

    kind: str
    criterion: Criterion
    role: str | None
    code: str
    msg: Message
    path: str | None = None
    strand: str | None = None

    @property
    def target(self) -> str:
        """The artifact/event/decision id, or the expression of a check."""
        return self.criterion.target

    def message(self, lang: Lang = "de") -> str:
        """The explanation in ``lang``.

        Raises:
            ValueError: No catalog for ``lang``.
        """
        return self.msg.text(check_lang(lang))

    @property
    def message_de(self) -> str:
        """The explanation in German."""
        return self.msg.text("de")

    @property
    def message_en(self) -> str:
        """The explanation in English."""
        return self.msg.text("en")

    def to_dict(self, lang: Lang = "de") -> dict[str, Any]:
        """JSON-compatible: ``kind``, ``target``, ``role``, ``code``, ``path``, ``message``
        (and ``strand`` for a criterion of a strand)."""
        data = {
            "kind": self.kind,
            "target": self.target,
            "role": self.role,
            "code": self.code,
            "path": self.path,
            "message": self.message(lang),
        }
        if self.strand is not None:
            data["strand"] = self.strand
        return data


@frozen
class Worded:
    """Something worded per language by a function (a message parameter).

    ``Worded(result.message)`` shows a decision result in the language of the
    message it is part of. Two are equal when their sources are.
    """

    source: Any

    def get(self, lang: Lang = "de") -> str:
        """The text in ``lang``."""
        return str(self.source.message(lang))


# ---------------------------------------------------------------------- state views


class VersionView(Protocol):
    """An artifact version as the gates read it (the attributes of ``ArtifactVersion``)."""

    @property
    def artifact(self) -> str: ...
    @property
    def data(self) -> Mapping[str, Any]: ...
    @property
    def approved_by(self) -> Any: ...
    @property
    def current_cycle(self) -> int: ...
    @property
    def version(self) -> int: ...


class HeldView(Protocol):
    """A held event as the gates read it (the attributes of ``HeldEvent``)."""

    @property
    def event(self) -> str: ...
    @property
    def visit(self) -> int: ...
    @property
    def cycle(self) -> int: ...
    @property
    def date(self) -> str: ...
    @property
    def participants(self) -> Any: ...
    @property
    def notes(self) -> Any: ...
    @property
    def phase(self) -> str: ...
    @property
    def until(self) -> str | None: ...


#: A calendar day (an alias: views have attributes named ``date``).
Day = date


class PlanView(Protocol):
    """A planned event as the gates read it (the attributes of ``PlannedEvent``)."""

    @property
    def event(self) -> str: ...
    @property
    def date(self) -> str: ...
    @property
    def until(self) -> str | None: ...
    @property
    def time(self) -> str | None: ...
    @property
    def place(self) -> str | None: ...
    @property
    def planned_on(self) -> Day: ...
    @property
    def status(self) -> str: ...


class ResultView(Protocol):
    """A decision's computed result (``DecisionResult``)."""

    @property
    def passed(self) -> bool: ...
    @property
    def code(self) -> str: ...
    def message(self, lang: Lang = "de") -> str: ...


class DecisionView(Protocol):
    """A recorded decision as the gates read it (the attributes of ``DecisionRecord``)."""

    @property
    def decision(self) -> str: ...
    @property
    def visit(self) -> int: ...
    @property
    def cycle(self) -> int: ...
    @property
    def result(self) -> ResultView: ...
    @property
    def date(self) -> str: ...
    @property
    def yes(self) -> Any: ...
    @property
    def no(self) -> Any: ...
    @property
    def abstain(self) -> Any: ...
    @property
    def consensus(self) -> Any: ...
    @property
    def text(self) -> Any: ...
    @property
    def adopted(self) -> int | None: ...
    @property
    def amount(self) -> Any: ...


class SozialraumView(Protocol):
    """The social space (``Sozialraum``)."""

    @property
    def name(self) -> str: ...
    @property
    def description(self) -> Any: ...
    @property
    def data(self) -> Any: ...


class ItemView(Protocol):
    """An item as the gates read it (the attributes of ``ItemRecord``)."""

    @property
    def artifact(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def data(self) -> Mapping[str, Any]: ...
    @property
    def current_cycle(self) -> int: ...


class StateView(Protocol):
    """What a gate reads of a process state (the runtime's ``ProcessState``).

    The collections are the fold's *entries*: objects with the attributes of the
    public records (``ArtifactVersion``, ``HeldEvent``, ``DecisionRecord``), kept
    up to date in place. A gate reads them and nothing else of them; reading the
    records instead (``state.artifacts`` …) would build them for every process a
    sweep gates (``benchmarks/sweep_100k.py``).
    """

    @property
    def artifact_entries(self) -> Mapping[str, Sequence[VersionView]]: ...
    @property
    def held_entries(self) -> Sequence[HeldView]: ...
    @property
    def item_entries(self) -> Mapping[str, Mapping[str, ItemView]]: ...
    @property
    def decision_entries(self) -> Sequence[DecisionView]: ...
    @property
    def visit(self) -> int: ...
    @property
    def cycle(self) -> int: ...
    @property
    def cycle_phases(self) -> AbstractSet[str]: ...
    @property
    def phase(self) -> str: ...
    @property
    def sozialraum(self) -> SozialraumView | None: ...
    @property
    def today(self) -> date | None:
        """The day time rules are judged on (``None``: the system's today)."""
        ...

    @property
    def entered_on(self) -> date | None:
        """The effective day the current phase was entered."""
        ...

    @property
    def started_on(self) -> date | None:
        """The effective day the process started."""
        ...

    @property
    def plan_entries(self) -> Sequence[PlanView]: ...


#: ``gate(state, out, cell)`` appends the criterion's blockers to ``out``; ``cell``
#: holds the ``check`` context once a check of the same gate has built it.
Gate = Callable[[StateView, list[Blocker], list[dict[str, Any]]], None]


class GateEnv(Protocol):
    """What compiling a gate may ask of the per-workflow plan (the runtime's ``WorkflowPlan``)."""

    @property
    def workflow(self) -> Workflow: ...

    def is_current(self, version: VersionView, state: StateView) -> bool:
        """True unless ``version`` is from an earlier cycle that has passed its phase."""
        ...

    def gaps(self, artifact: str) -> GapFinder:
        """The compiled completeness checker of an artifact type."""
        ...


# ---------------------------------------------------------------------- load time


class LoadContext(Protocol):
    """What a kind's load-time check sees of the workflow file being checked."""

    @property
    def data(self) -> dict[str, Any]:
        """The raw file data (any shape: read defensively)."""
        ...

    @property
    def known(self) -> Mapping[str, Sequence[str]]:
        """Declared ids per kind: ``role``, ``event``, ``artifact``, ``decision``, ``phase``."""
        ...

    @property
    def produced(self) -> AbstractSet[str]:
        """Artifacts produced by the phases up to the criterion's phase."""
        ...

    @property
    def phase_events(self) -> AbstractSet[str] | None:
        """The events of the criterion's phase (``None`` for transition criteria)."""
        ...

    def ref(self, kind: str, value: Any, path: Sequence[PathKey]) -> bool:
        """Report ``value`` if it names no ``kind``; True if it is known."""
        ...

    def add(
        self,
        path: Sequence[PathKey],
        code: str,
        message: Message,
        hint: Message | None = None,
        *,
        key: bool = False,
    ) -> None:
        """Report an issue at ``path`` (at its key if ``key``)."""
        ...


# ---------------------------------------------------------------------- the unit


class GateKind:
    """One kind of exit criterion: everything about it in one place.

    Subclass it in one module and register an instance in
    :mod:`sozialraumprozess.definition.kinds` (see the how-to "Add a gate kind").

    Attributes:
        name: The key in the file (``{artifact: x}``) and :attr:`Criterion.kind`.
        doc: The schema's description of the key (editor hover text).
        codes: The blocker codes it produces.
        options: Further criterion keys only this kind accepts (``count`` for events).
    """

    name: ClassVar[str]
    doc: ClassVar[str]
    codes: ClassVar[tuple[str, ...]] = ()
    options: ClassVar[tuple[str, ...]] = ()

    # -- schema ------------------------------------------------------------------

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of the criterion key :attr:`name` (its value: an id)."""
        return {"type": "string", "minLength": 1, "title": self.name, "description": self.doc}

    def option_schemas(self) -> dict[str, dict[str, Any]]:
        """The JSON Schema of each of :attr:`options`."""
        return {}

    # -- load time ---------------------------------------------------------------

    def check(
        self,
        ctx: LoadContext,
        criterion: dict[str, Any],
        path: list[PathKey],
        cpath: list[PathKey],
    ) -> None:
        """Report semantic problems of ``criterion`` (raw data; ``path``: its key)."""

    # -- evaluation --------------------------------------------------------------

    def compile(self, criterion: Criterion, responsible: str, env: GateEnv) -> Gate:
        """The gate callable of ``criterion`` (``responsible``: the phase's role)."""
        raise NotImplementedError

    def is_pure(self, criterion: Criterion) -> bool:
        """True if its blockers depend on the process state only (blockers may be reused)."""
        return True

    # -- descriptions ------------------------------------------------------------

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        """What the criterion demands, one line, without its ``message``."""
        raise NotImplementedError

    def description(self, workflow: Workflow, criterion: Criterion) -> Message:
        """What the criterion demands (``sozialraum show``, workflow pages).

        :meth:`describe`, followed by the criterion's ``message`` if it has one.
        """
        text = self.describe(workflow, criterion)
        if criterion.message is None:
            return text
        return msg("gate.with-message", text=text, message=criterion.message)

    def document_text(self, workflow: Workflow, criterion: Criterion) -> Message:
        """The criterion as a phase report lists it (``Dokument: Zielkatalog``)."""
        return self.describe(workflow, criterion)
