"""The reference seam: fields that provide ids of a kind, fields that refer to them.

A reference to an id the run does not hold (after the command) is refused with a
positioned, bilingual error with a did-you-mean, and nothing changes. Ids come
from provider fields, from item keys (``items: {kind: …}``), from what the
definition declares and from a kind's own ``collect``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest

from sozialraumprozess.definition import fields
from sozialraumprozess.definition.fields import FieldType, ReferenceKind, RefsType, RefType
from sozialraumprozess.definition.model import FieldSpec, Workflow
from sozialraumprozess.errors import FieldProblem, InvalidData, WorkflowError
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.references import known_ids
from sozialraumprozess.testing import workflow_from_string


class ToyIdsType(FieldType):
    """A list of texts, each an id of kind ``toy`` (a provider, for the test)."""

    name = "toy-ids"
    provides = "toy"

    def expected(self) -> Any:
        return msg("field.type-list")

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        return [] if isinstance(value, list) else [self.type_problem(path, value)]

    def provided(self, spec: FieldSpec, value: Any, kind: str) -> list[str]:
        return [v for v in value if isinstance(v, str)] if kind == "toy" else []


class ToyRefType(RefType):
    name = "toy-ref"
    kind: ClassVar[str] = "toy"


class ToyRefsType(RefsType):
    name = "toy-refs"
    kind: ClassVar[str] = "toy"


class DeclaredRefsType(RefsType):
    name = "declared-refs"
    kind: ClassVar[str] = "declared"


@pytest.fixture(autouse=True)
def toy_types() -> Iterator[None]:
    fields.register_kind(ReferenceKind("toy", msg("ref.kind-goal")))
    fields.register_kind(
        ReferenceKind(
            "declared",
            msg("ref.kind-finding"),
            declared=lambda wf: ("d1", "d2") if wf.id == "refs-demo" else None,
        )
    )
    for kind in (ToyIdsType(), ToyRefType(), ToyRefsType(), DeclaredRefsType()):
        fields.register(kind)
    yield
    for name in ("toy-ids", "toy-ref", "toy-refs", "declared-refs"):
        fields.unregister(name)
    fields.unregister_kind("toy")
    fields.unregister_kind("declared")


TEXT = """\
format: sozialraumprozess/v2
id: refs-demo
version: "1"
title: Referenzen
roles:
  kommune: {title: Kommune}
artifacts:
  katalog:
    title: Katalog
    owner: kommune
    fields:
      ids: {type: toy-ids}
      oben: {type: toy-ref}
  massnahme:
    title: Maßnahme
    owner: kommune
    items:
      kind: measure
      states:
        geplant: {title: Geplant}
        fertig: {title: Fertig}
    fields:
      dient: {type: toy-refs}
      gruppe:
        type: list
        items: {type: object, fields: {bezug: {type: toy-ref}}}
  liste:
    title: Liste
    owner: kommune
    fields:
      massnahmen: {type: measure-refs}
      erklaert: {type: declared-refs}
phases:
  - id: eins
    title: Eins
    responsible: kommune
    artifacts: [katalog, massnahme, liste]
"""


@pytest.fixture
def workflow() -> Workflow:
    return workflow_from_string(TEXT)


def started(workflow: Workflow) -> Process:
    clock = FixedClock(datetime(2025, 3, 1, tzinfo=UTC), step=timedelta(hours=1))
    return Process.start(workflow, sozialraum="Nord", by="kommune", clock=clock)


def problems(error: pytest.ExceptionInfo[InvalidData]) -> list[tuple[str, str, str, str]]:
    return [(p.path, p.code, p.message("de"), p.message("en")) for p in error.value.problems]


def test_an_artifact_may_refer_to_ids_it_provides_itself(workflow: Workflow) -> None:
    process = started(workflow)
    process.submit("katalog", {"ids": ["Z1", "Z2"], "oben": "Z2"}, by="kommune")
    assert process.state.latest("katalog") is not None


def test_unknown_id_is_refused_with_position_hint_and_nothing_changes(workflow: Workflow) -> None:
    process = started(workflow)
    with pytest.raises(InvalidData) as error:
        process.submit("katalog", {"ids": ["Z1", "Z2"], "oben": "Z1x"}, by="kommune")
    assert problems(error) == [
        (
            "oben",
            "unknown-reference",
            "oben: Ziel 'Z1x' gibt es nicht (bekannt: Z1, Z2). Meinten Sie 'Z1'?",
            "oben: there is no goal 'Z1x' (known: Z1, Z2). Did you mean 'Z1'?",
        )
    ]
    assert process.state.latest("katalog") is None
    assert [e.type for e in process.log] == ["process_started"]


def test_item_create_and_change_check_references_against_the_current_state(
    workflow: Workflow,
) -> None:
    process = started(workflow)
    with pytest.raises(InvalidData) as error:
        process.create_item("massnahme", key="M1", data={"dient": ["Z1"]}, by="kommune")
    assert problems(error) == [
        (
            "dient[0]",
            "unknown-reference",
            "dient[0]: Ziel 'Z1' gibt es nicht (noch keine angelegt)",
            "dient[0]: there is no goal 'Z1' (none exists yet)",
        )
    ]
    assert process.state.items("massnahme") == []
    process.submit("katalog", {"ids": ["Z1", "Z2"]}, by="kommune")
    process.create_item("massnahme", key="M1", data={"dient": ["Z1"]}, by="kommune")
    before = len(process.log)
    with pytest.raises(InvalidData) as error:
        process.change_item(
            "massnahme",
            key="M1",
            data={"dient": ["Z2", "Y"], "gruppe": [{"bezug": "Z1"}, {"bezug": "Z22"}]},
            by="kommune",
        )
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("dient[1]", "unknown-reference"),
        ("gruppe[1].bezug", "unknown-reference"),
    ]
    assert "Meinten Sie 'Z2'?" in error.value.problems[1].message("de")
    assert len(process.log) == before
    assert process.state.item("massnahme", "M1").data == {"dient": ["Z1"]}  # type: ignore[union-attr]


def test_item_keys_provide_ids_of_the_declared_kind(workflow: Workflow) -> None:
    process = started(workflow)
    process.submit("katalog", {"ids": ["Z1"]}, by="kommune")
    process.create_item("massnahme", key="Lotsen", data={"dient": ["Z1"]}, by="kommune")
    process.submit("liste", {"massnahmen": ["Lotsen"]}, by="kommune")
    with pytest.raises(InvalidData) as error:
        process.submit("liste", {"massnahmen": ["Lotse"]}, by="kommune")
    assert error.value.problems[0].message("en") == (
        "massnahmen[0]: there is no measure 'Lotse' (known: Lotsen). Did you mean 'Lotsen'?"
    )
    assert known_ids(process.state, workflow, "measure") == ["Lotsen"]


def test_declared_ids_count_and_an_undeclared_kind_is_not_checked(workflow: Workflow) -> None:
    process = started(workflow)
    process.submit("liste", {"erklaert": ["d1", "d2"]}, by="kommune")
    with pytest.raises(InvalidData) as error:
        process.submit("liste", {"erklaert": ["d3"]}, by="kommune")
    assert error.value.problems[0].code == "unknown-reference"
    other = workflow_from_string(TEXT.replace("id: refs-demo", "id: other"))
    process = started(other)
    assert known_ids(process.state, other, "declared") is None
    process.submit("liste", {"erklaert": ["anything"]}, by="kommune")


def test_reference_values_are_validated_as_ids(workflow: Workflow) -> None:
    process = started(workflow)
    with pytest.raises(InvalidData) as error:
        process.submit("katalog", {"ids": ["Z1"], "oben": 7}, by="kommune")
    assert [(p.path, p.code) for p in error.value.problems] == [("oben", "reference")]
    with pytest.raises(InvalidData) as error:
        process.create_item("massnahme", key="M", data={"dient": ["Z1", "Z1", " x"]}, by="kommune")
    assert [(p.path, p.code) for p in error.value.problems] == [
        ("dient[1]", "duplicate"),
        ("dient[2]", "reference"),
    ]


def test_unknown_item_kind_is_a_load_error_with_a_hint() -> None:
    with pytest.raises(WorkflowError) as error:
        workflow_from_string(TEXT.replace("kind: measure", "kind: measures"))
    issue = error.value.issues[0]
    assert issue.code == "unknown-reference-kind"
    assert issue.path == "artifacts.massnahme.items.kind"
    assert "measure" in issue.message("en")


def test_reference_types_need_format_v2() -> None:
    text = """\
format: sozialraumprozess/v1
id: v1
version: "1"
title: v1
roles: {kommune: {title: Kommune}}
artifacts:
  a: {title: A, owner: kommune, fields: {z: {type: goal-refs}}}
phases: [{id: eins, title: Eins, responsible: kommune, artifacts: [a]}]
"""
    with pytest.raises(WorkflowError) as error:
        workflow_from_string(text)
    assert [i.code for i in error.value.issues] == ["needs-newer-format"]


def test_registries_refuse_a_second_kind_of_the_same_name() -> None:
    with pytest.raises(ValueError, match="registered already"):
        fields.register_kind(ReferenceKind("goal", msg("ref.kind-goal")))
    assert [k.name for k in fields.reference_kinds()][:3] == ["goal", "finding", "measure"]
    assert fields.field_type("goal-refs").expected().text("en") == "a list of ids (goal)"
