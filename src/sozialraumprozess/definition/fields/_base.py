"""What every field type is made of: the :class:`FieldType` base and :class:`Gap`.

A field type answers, for one :class:`~sozialraumprozess.definition.model.FieldSpec`
of its type: which keys of a field spec it accepts (its part of the schema),
whether a submitted value is valid (:meth:`FieldType.validate`), how a filled
value can still have gaps (lists and objects: :meth:`FieldType.gap_walker`,
:meth:`FieldType.gap_complete`), and how a value is shown (:meth:`FieldType.format`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Literal, Protocol

from attrs import frozen

from sozialraumprozess.definition.fields._format import EMPTY
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.i18n import Lang, Message, check_lang, msg

__all__ = [
    "Complete",
    "FieldType",
    "Gap",
    "GapCode",
    "Reference",
    "SpecContext",
    "TitleOf",
    "Walker",
    "problem",
    "shown",
]

#: Why valid data is incomplete.
GapCode = Literal["required", "min-items"]


#: ``title_of(kind, id)``: what a run calls an id of ``kind`` (``None``: it does not
#: name it), for showing references in documents (see :meth:`FieldType.display`).
TitleOf = Callable[[str, str], "str | None"]


@frozen
class Gap:
    """A missing piece of otherwise valid data.

    Attributes:
        path: The field's path, e.g. ``ziele[0].titel``.
        code: ``required`` (empty required field) or ``min-items`` (list too short).
        min_items: For ``min-items``: how many items are needed.
        count: For ``min-items``: how many there are.
    """

    path: str
    code: GapCode
    min_items: int = 0
    count: int = 0

    @property
    def msg(self) -> Message:
        """The gap as a catalog message."""
        if self.code == "min-items":
            return msg("field.gap-min-items", path=self.path, min=self.min_items, given=self.count)
        return msg("field.gap-required", path=self.path)

    def message(self, lang: Lang = "de") -> str:
        """``Pflichtfeld 'x' ist leer`` / ``required field 'x' is empty`` and similar."""
        return self.msg.text(check_lang(lang))


@frozen
class Reference:
    """A reference to an id of a kind, found in submitted data.

    Attributes:
        path: Where in the data, e.g. ``dient[1]`` or ``ziele[2].ueberziel``.
        kind: The kind of id (``goal``, ``indicator`` …; see :mod:`.reference`).
        id: The id referred to.
    """

    path: str
    kind: str
    id: str


#: A compiled walker appends the gaps of a filled ``value`` at ``path`` to ``gaps``.
Walker = Callable[[Any, str, list[Gap]], None]
#: ``complete(value) -> bool``: True if the walker would report no gap (no paths built).
Complete = Callable[[Any], bool]


def shown(value: Any) -> str:
    """``value`` as JSON, cut to 40 characters (for messages)."""
    if isinstance(value, int) and value.bit_length() > 256:  # json.dumps refuses 4,300+ digits
        return ("-" if value < 0 else "") + f"~10^{int(value.bit_length() * 0.30103)}"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"


def problem(path: str, code: str, message: Message) -> FieldProblem:
    """A :class:`FieldProblem` worded from a catalog message."""
    return FieldProblem(path, code, message.text("de"), message.text("en"))


class SpecContext(Protocol):
    """What a field type's load-time check (:meth:`FieldType.check_spec`) may use."""

    @property
    def format(self) -> str:
        """The file's declared format (``sozialraumprozess/v1`` or ``…/v2``)."""
        ...

    def add(
        self,
        path: Sequence[str | int],
        code: str,
        message: Message,
        hint: Message | None = None,
        *,
        key: bool = False,
    ) -> None:
        """Report an issue at ``path`` (at its key if ``key``)."""
        ...


class FieldType:
    """One field type: everything about it in one place.

    Subclass it in one module and register an instance in
    :mod:`sozialraumprozess.definition.fields` (see the how-to "Add a field type").

    Attributes:
        name: The ``type:`` of a field spec.
        keys: The type-specific keys of a field spec it accepts (``min``, ``choices`` …).
        needs: A key that fields of the type must give (``choices`` for ``choice``).
    """

    name: ClassVar[str]
    keys: ClassVar[tuple[str, ...]] = ()
    needs: ClassVar[str | None] = None
    #: The kind of id a value of the type provides (``goal`` …; see :mod:`.reference`).
    provides: ClassVar[str | None] = None

    def expected(self) -> Message:
        """What a value of the type is, for "… erwartet" (``Text``, ``Ganzzahl`` …)."""
        raise NotImplementedError

    def type_problem(self, path: str, value: Any, code: str = "type") -> FieldProblem:
        """``<type> erwartet, erhalten: <value>``."""
        return problem(path, code, msg("field.expected", type=self.expected(), value=shown(value)))

    # -- load time ---------------------------------------------------------------

    def check_spec(self, spec: dict[str, Any], path: list[str | int], ctx: SpecContext) -> None:
        """Report problems of a field spec of the type (raw file data) at load time."""

    # -- validation --------------------------------------------------------------

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        """Every problem of a non-``None`` ``value`` of the field ``spec`` at ``path``."""
        raise NotImplementedError

    # -- completeness ------------------------------------------------------------

    def empty_min(self, spec: FieldSpec) -> int:
        """How many items an empty but present value lacks (a list's ``min_items``)."""
        return 0

    def gap_walker(self, spec: FieldSpec) -> Walker | None:
        """The walker of a filled value's gaps; ``None`` if a filled value has none."""
        return None

    def gap_complete(self, spec: FieldSpec) -> Complete | None:
        """The fast "no gaps" test of a filled value; ``None`` if it never has one."""
        return None

    # -- references (see :mod:`.reference`) -----------------------------------------

    def provides_kinds(self, spec: FieldSpec) -> frozenset[str]:
        """The kinds of id a value of the field provides (default: :attr:`provides`)."""
        return frozenset(() if self.provides is None else (self.provides,))

    def provided(self, spec: FieldSpec, value: Any, kind: str) -> list[str]:
        """The ids of ``kind`` that the non-``None`` ``value`` provides (default: none)."""
        return []

    def provided_titles(self, spec: FieldSpec, value: Any, kind: str) -> dict[str, str]:
        """What the ids of ``kind`` that ``value`` provides are called, for documents
        (default: nothing; documents then show a reference by its id)."""
        return {}

    def can_refer(self, spec: FieldSpec) -> bool:
        """True if a value of the field can hold a reference (default: no)."""
        return False

    def references(self, spec: FieldSpec, value: Any, path: str) -> list[Reference]:
        """The references in the non-``None`` ``value`` at ``path`` (default: none)."""
        return []

    # -- display -----------------------------------------------------------------

    def display(
        self,
        value: Any,
        lang: Lang = "de",
        spec: FieldSpec | None = None,
        title_of: TitleOf | None = None,
    ) -> str:
        """``value`` as a document of a run shows it: where it refers to something,
        ``title_of(kind, id)`` may name it (default: :meth:`format`)."""
        return self.format(value, lang, spec)

    def format(self, value: Any, lang: Lang = "de", spec: FieldSpec | None = None) -> str:
        """``value`` as documents show it in ``lang``; ``–`` when empty."""
        if value is None or value == "":
            return EMPTY
        return str(value)


def is_mapping(value: Any) -> bool:
    """True for dicts and other mappings (an exact-type test first: it is in hot loops)."""
    return type(value) is dict or isinstance(value, Mapping)
