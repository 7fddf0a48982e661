"""The JSON Schema: generated from the model, shipped, complete, and agreeing with the loader."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import attrs
import pytest
from jsonschema import Draft7Validator

from sozialraumprozess import load_workflow
from sozialraumprozess.definition import model
from sozialraumprozess.definition.loader import bundled_workflow_path, bundled_workflows
from sozialraumprozess.definition.schema import generate_schema, load_schema

CONTRACT = {
    "root": {
        "format",
        "id",
        "version",
        "title",
        "language",
        "source",
        "roles",
        "events",
        "artifacts",
        "decisions",
        "phases",
        "transitions",
    },
    "artifact": {"fields", "owner", "template", "approved_by"},
    "decision": {"body", "rule", "quorum"},
    "phase": {
        "id",
        "title",
        "responsible",
        "involved",
        "duration",
        "events",
        "artifacts",
        "exit",
        "next",
    },
    "criterion": {"artifact", "event", "decision", "approval", "check", "message"},
    "transition": {"id", "from", "to", "allowed"},
}


def test_shipped_schema_is_the_generated_one() -> None:
    """schemas/workflow.schema.json is exactly what the model generates (no drift)."""
    shipped = (files("sozialraumprozess") / "schemas" / "workflow.schema.json").read_text("utf-8")
    assert json.loads(shipped) == generate_schema(), (
        "Regenerate with: sozialraum schema > src/sozialraumprozess/schemas/workflow.schema.json"
    )


def test_schema_is_valid_draft_07() -> None:
    """The schema itself is a valid Draft-07 schema (editors rely on it)."""
    schema = load_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)


def test_contract_keys_are_all_present() -> None:
    """The keys of DESIGN.md §3 are the format's contract: none renamed or dropped."""
    schema = load_schema()
    props = schema["properties"]
    assert set(props) >= CONTRACT["root"]
    assert set(props["artifacts"]["additionalProperties"]["properties"]) >= CONTRACT["artifact"]
    assert set(props["decisions"]["additionalProperties"]["properties"]) >= CONTRACT["decision"]
    assert set(props["phases"]["items"]["properties"]) >= CONTRACT["phase"]
    assert set(schema["definitions"]["criterion"]["properties"]) >= CONTRACT["criterion"]
    assert set(props["transitions"]["items"]["properties"]) >= CONTRACT["transition"]


def _properties(node: Any, path: str = "$") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            found.append((f"{path}.{name}", prop))
        for key, value in node.items():
            found.extend(_properties(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.extend(_properties(value, f"{path}[{i}]"))
    return found


def test_every_property_has_title_and_description() -> None:
    """Titles and descriptions become editor hover texts."""
    missing = [
        p
        for p, prop in _properties(load_schema())
        if not (prop.get("title") and prop.get("description"))
    ]
    assert missing == []


def test_every_model_attribute_is_in_the_schema() -> None:
    """Each documented attrs field of the model appears as a schema property."""
    schema = load_schema()
    names = {p.rsplit(".", 1)[1] for p, _ in _properties(schema)}
    for cls in (
        model.Role,
        model.EventType,
        model.ArtifactType,
        model.DecisionType,
        model.Phase,
        model.Transition,
        model.Workflow,
        model.FieldSpec,
    ):
        for a in attrs.fields(cls):
            if a.init and "description" in a.metadata and not a.metadata.get("skip"):
                key = a.metadata.get("key") or a.name
                if a.name in ("id", "name") and cls not in (
                    model.Phase,
                    model.Transition,
                    model.Workflow,
                ):
                    continue  # keyed sections: the id is the mapping key
                assert key in names, f"{cls.__name__}.{a.name}"


@pytest.mark.parametrize("workflow_id", bundled_workflows())
def test_bundled_workflows_validate_against_the_schema(workflow_id: str) -> None:
    """Bundled files pass jsonschema as editors see them, and carry the schema modeline."""
    import yaml

    path = bundled_workflow_path(workflow_id)
    text = path.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/workflow.schema.json\n")
    assert (path.parent / "../schemas/workflow.schema.json").resolve().is_file()
    errors = list(Draft7Validator(load_schema()).iter_errors(yaml.safe_load(text)))
    assert errors == []
    load_workflow(path)


def test_format_reference_doc_is_up_to_date() -> None:
    """docs/reference/workflow-format.md is generated from the schema and committed."""
    from pathlib import Path

    from sozialraumprozess.definition.reference import format_reference

    doc = Path(__file__).resolve().parents[2] / "docs" / "reference" / "workflow-format.md"
    assert doc.read_text("utf-8") == format_reference(), (
        "Regenerate: python -m sozialraumprozess.definition.reference > "
        "docs/reference/workflow-format.md"
    )
    for key in (
        "`approved_by`",
        "`quorum`",
        "`responsible`",
        "`min_items`",
        "`allowed`",
        "`check`",
    ):
        assert key in doc.read_text("utf-8")
