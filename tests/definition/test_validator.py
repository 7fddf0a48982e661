"""The precompiled schema validator: current with the shipped schema, and judging like it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import fastjsonschema
import pytest
import yaml
from jsonschema import Draft7Validator

from sozialraumprozess import load_workflow
from sozialraumprozess.definition import _validator
from sozialraumprozess.definition._validator_gen import generate_validator_source, schema_digest
from sozialraumprozess.definition.loader import bundled_workflow_path, bundled_workflows
from sozialraumprozess.definition.schema import load_schema
from sozialraumprozess.errors import WorkflowError

REGENERATE = "python3 -m sozialraumprozess.definition._validator_gen"


def _bundled(workflow_id: str) -> dict[str, Any]:
    data = yaml.safe_load(bundled_workflow_path(workflow_id).read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def _drop_id(d: dict[str, Any]) -> None:
    del d["id"]


def _unknown_key(d: dict[str, Any]) -> None:
    d["phasen"] = []


def _phases_not_a_list(d: dict[str, Any]) -> None:
    d["phases"] = "analysieren"


def _bad_id_pattern(d: dict[str, Any]) -> None:
    d["phases"][0]["id"] = "Analyse Phase"


def _empty_label(d: dict[str, Any]) -> None:
    d["title"] = ""


def _bad_duration(d: dict[str, Any]) -> None:
    d["phases"][0]["duration"] = "drei Wochen"


def _wrong_format(d: dict[str, Any]) -> None:
    d["format"] = "sozialraumprozess/v9"


def _label_with_french(d: dict[str, Any]) -> None:
    d["title"] = {"fr": "Processus"}


MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    f.__name__.lstrip("_"): f
    for f in (
        _drop_id,
        _unknown_key,
        _phases_not_a_list,
        _bad_id_pattern,
        _empty_label,
        _bad_duration,
        _wrong_format,
        _label_with_french,
    )
}


def _accepts(validate: Callable[[Any], Any], data: Any) -> bool:
    try:
        validate(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def test_validator_is_current_with_the_shipped_schema() -> None:
    """The committed validator was generated from the schema as it is shipped now."""
    assert schema_digest(load_schema()) == _validator.SCHEMA_DIGEST, (
        f"definition/_validator.py is out of date with the schema: run {REGENERATE}"
    )


def test_digest_ignores_layout_but_not_content() -> None:
    schema = load_schema()
    assert schema_digest(copy.deepcopy(schema)) == schema_digest(schema)
    changed = copy.deepcopy(schema)
    changed["title"] = changed["title"] + "!"
    assert schema_digest(changed) != schema_digest(schema)


@pytest.mark.parametrize("workflow_id", bundled_workflows())
def test_bundled_workflows_are_valid(workflow_id: str) -> None:
    assert _accepts(_validator.validate, _bundled(workflow_id))


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_judges_like_jsonschema_and_a_fresh_compile(mutation: str) -> None:
    """Each broken document is refused by the precompiled validator, as by the others."""
    data = _bundled("generationengerechte-sozialraumentwicklung")
    MUTATIONS[mutation](data)
    schema = copy.deepcopy(load_schema())  # fastjsonschema rewrites its $refs in place
    assert list(Draft7Validator(schema).iter_errors(data)), "the mutation must break the schema"
    assert not _accepts(fastjsonschema.compile(schema, use_default=False), data)
    assert not _accepts(_validator.validate, data)


def test_generated_source_is_a_working_validator() -> None:
    """The generator's output, run as a module, carries the digest and validates."""
    namespace: dict[str, Any] = {}
    exec(compile(generate_validator_source(), "_validator.py", "exec"), namespace)  # noqa: S102
    assert namespace["SCHEMA_DIGEST"] == schema_digest(load_schema())
    good = _bundled("generationengerechte-sozialraumentwicklung")
    assert _accepts(namespace["validate"], good)
    bad = copy.deepcopy(good)
    _drop_id(bad)
    assert not _accepts(namespace["validate"], bad)


def test_loading_a_workflow_compiles_no_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """validate/init use the shipped validator: nothing compiles the schema at run time."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("fastjsonschema.compile called at run time")

    monkeypatch.setattr(fastjsonschema, "compile", refuse)
    workflow = load_workflow(bundled_workflow_path("generationengerechte-sozialraumentwicklung"))
    assert workflow.id == "generationengerechte-sozialraumentwicklung"
    broken = _bundled("generationengerechte-sozialraumentwicklung")
    _unknown_key(broken)
    with pytest.raises(WorkflowError, match="phasen"):
        load_workflow(broken)
