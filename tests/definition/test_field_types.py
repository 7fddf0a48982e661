"""A field type is one unit plus a registration: a toy type, defined and registered
here without touching ``src``, is validated at load time and on submit, checked for
completeness by the gate, formatted, and part of the schema.

Also: the built-in types' ``format`` (what documents show) and the registry.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sozialraumprozess.definition import fields
from sozialraumprozess.definition.fields import FieldType, format_value, problem, shown
from sozialraumprozess.definition.model import FieldSpec, Label
from sozialraumprozess.definition.schema import generate_schema, load_schema
from sozialraumprozess.errors import FieldProblem, InvalidData
from sozialraumprozess.i18n import Message, msg
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.testing import workflow_from_string

from .conftest import issues_of, variant

# --------------------------------------------------------------------------- the toy type


class EmailType(FieldType):
    """``type: email``: a text with an ``@``; shown in lower case."""

    name = "email"

    def expected(self) -> Message:
        return msg("gate.label", label=Label(de="E-Mail-Adresse", en="an e-mail address"))

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        if not isinstance(value, str):
            return [self.type_problem(path, value)]
        if "@" not in value:
            text = Label(de=f"Keine E-Mail-Adresse: {shown(value)}", en=f"no e-mail: {value}")
            return [problem(path, "email", msg("gate.label", label=text))]
        return []

    def format(self, value: Any, lang: str = "de", spec: FieldSpec | None = None) -> str:
        if value is None or value == "":
            return super().format(value, lang)
        return str(value).lower()


@pytest.fixture
def email() -> Iterator[EmailType]:
    kind = fields.register(EmailType())
    yield kind
    fields.unregister(kind.name)


WITH_EMAIL = variant(
    "      ziele: {type: list, min_items: 1, items: {type: text}}\n",
    "      ziele: {type: list, min_items: 1, items: {type: text}}\n"
    "      kontakt: {type: email, required: true}\n",
)


def test_unregistered_type_is_unknown_to_the_schema() -> None:
    (issue,) = issues_of(WITH_EMAIL)
    assert (issue.code, issue.path) == ("not-allowed", "artifacts.zielkatalog.fields.kontakt.type")


def test_a_registered_type_is_validated_at_load_time(email: EmailType) -> None:
    workflow = workflow_from_string(WITH_EMAIL, "w.yaml")
    assert workflow.artifact("zielkatalog").fields[1] == FieldSpec(
        "email", "kontakt", required=True
    )
    assert load_schema()["definitions"]["field"]["properties"]["type"]["enum"][-1] == "email"
    # The keys of other types are refused for it.
    (issue,) = issues_of(variant("type: email,", "type: email, min: 3,", WITH_EMAIL))
    assert (issue.code, issue.path) == (
        "key-not-for-type",
        "artifacts.zielkatalog.fields.kontakt.min",
    )
    assert issue.message_en == (
        "'min' applies only to fields of type integer / number / money, not 'email'"
    )


def test_a_registered_type_validates_submits_and_gaps(email: EmailType) -> None:
    workflow = workflow_from_string(WITH_EMAIL, "w.yaml")
    process = Process.start(workflow, sozialraum="Nord", by="kommune")
    with pytest.raises(InvalidData) as info:
        process.submit("zielkatalog", {"kontakt": "nirgends"}, by="vg")
    (bad,) = info.value.problems
    assert (bad.path, bad.code, bad.message("en")) == (
        "kontakt",
        "email",
        "kontakt: no e-mail: nirgends",
    )
    with pytest.raises(InvalidData) as info:
        process.submit("zielkatalog", {"kontakt": 3}, by="vg")
    assert info.value.problems[0].message_de == "E-Mail-Adresse erwartet, erhalten: 3"
    # Valid but without the required field: the gate reports the gap.
    process.submit("zielkatalog", {"ziele": ["a"]}, by="vg")
    process.advance(by="kommune")
    gaps = [b for b in process.blockers() if b.code == "incomplete"]
    assert [b.message("de") for b in gaps] == [
        "Artefakt 'Zielkatalog': Pflichtfeld 'kontakt' ist leer"
    ]


def test_a_registered_type_formats_and_is_in_the_schema(email: EmailType) -> None:
    spec = FieldSpec("email", "kontakt")
    assert format_value(spec, "Anna@Example.ORG") == "anna@example.org"
    assert format_value(spec, None) == "–"
    listed = FieldSpec("list", "kontakte", items=spec)
    assert format_value(listed, ["A@B", "C@D"], "en") == "a@b, c@d"
    assert "email" in generate_schema()["definitions"]["field"]["properties"]["type"]["enum"]


@pytest.mark.parametrize(
    ("spec", "value", "de", "en"),
    [
        (FieldSpec("text", "x"), "Hallo", "Hallo", "Hallo"),
        (FieldSpec("text", "x"), "", "–", "–"),
        (FieldSpec("integer", "x"), 6180, "6.180", "6,180"),
        (FieldSpec("number", "x"), 27.4, "27,4", "27.4"),
        (FieldSpec("money", "x"), 15400.5, "15.400,50 €", "€15,400.50"),
        (FieldSpec("boolean", "x"), False, "nein", "no"),
        (FieldSpec("date", "x"), "2017-11-08", "08.11.2017", "08/11/2017"),
        (FieldSpec("choice", "x", choices=("offen_x",)), "offen_x", "offen x", "offen x"),
        (FieldSpec("list", "x", items=FieldSpec("money")), [1, 2.5], "1 €, 2,50 €", "€1, €2.50"),
        (
            FieldSpec("object", "x", fields=(FieldSpec("date", "d"), FieldSpec("text", "t"))),
            {"d": "2025-01-13", "t": None},
            "d: 13.01.2025",
            "d: 13/01/2025",
        ),
        (FieldSpec("object", "x", fields=(FieldSpec("text", "t"),)), {}, "–", "–"),
        (FieldSpec("number", "x"), None, "–", "–"),
    ],
)
def test_builtin_types_format(spec: FieldSpec, value: Any, de: str, en: str) -> None:
    assert (format_value(spec, value, "de"), format_value(spec, value, "en")) == (de, en)


def test_documents_format_by_field_type() -> None:
    from sozialraumprozess.documents.formatting import FILTERS, format_field

    assert format_field(3, FieldSpec("money", "x")) == "3 €"
    assert format_field("handlungsziel", {"type": "choice"}, "de") == "Handlungsziel"
    assert FILTERS["feld"] is FILTERS["field"]


def test_the_registry() -> None:
    assert [t.name for t in fields.field_types()] == [
        "text",
        "integer",
        "number",
        "boolean",
        "date",
        "money",
        "choice",
        "list",
        "object",
        "file",
        "goal-ref",
        "goal-refs",
        "finding-ref",
        "finding-refs",
        "measure-ref",
        "measure-refs",
        "findings",
        "goals",
        "deferred-findings",
        "evaluation",
        "indicator-ref",
        "indicator-refs",
        "budget-lines",
        "budget-line-ref",
        "contribution-ref",
        "contribution-refs",
    ]
    with pytest.raises(ValueError, match="registered already"):
        fields.register(fields.field_type("text"))
    with pytest.raises(ValueError, match="built in"):
        fields.unregister("money")
