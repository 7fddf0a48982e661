"""The JSON Schema (Draft-07) of the workflow file format, generated from the model.

The schema is derived from the attrs classes in :mod:`model` and their field
metadata, and from the registered gate kinds (each gives its criterion key's
schema) and field types (the ``type`` enum), so it cannot drift from them. The copy shipped in
``schemas/workflow.schema.json`` (for editors) is tested to equal
:func:`generate_schema`; ``sozialraum schema`` prints it.
"""

from __future__ import annotations

import json
import types
import typing
from functools import lru_cache
from importlib.resources import files
from typing import Any

import attrs

from sozialraumprozess.definition import fields, kinds
from sozialraumprozess.definition.fields import field_types
from sozialraumprozess.definition.kinds import gate_kinds
from sozialraumprozess.definition.model import (
    FORMAT,
    ID_PATTERN,
    Criterion,
    FieldSpec,
    Label,
    Workflow,
)

__all__ = ["SCHEMA_ID", "generate_schema", "load_schema", "schema_json"]

SCHEMA_ID = "https://sozialraumprozess.de/schemas/workflow/v1.json"


def _label_schema() -> dict[str, Any]:
    text = {"type": "string", "minLength": 1}
    return {
        "title": "Label",
        "description": "A text for people: a plain string (in the workflow's `language`) "
        "or a mapping with `de` and/or `en`.",
        "anyOf": [
            {**text, "description": "Text in the workflow's language."},
            {
                "type": "object",
                "description": "Text per language.",
                "properties": {
                    "de": {**text, "title": "de", "description": "German text."},
                    "en": {**text, "title": "en", "description": "English text."},
                },
                "additionalProperties": False,
                "minProperties": 1,
            },
        ],
    }


def _criterion_schema() -> dict[str, Any]:
    kinds = gate_kinds()
    properties: dict[str, Any] = {kind.name: kind.schema() for kind in kinds}
    properties["message"] = {
        "$ref": "#/definitions/label",
        "title": "message",
        "description": "What the criterion demands, shown when it blocks (required for `check`).",
    }
    for kind in kinds:
        properties.update(kind.option_schemas())
    names = [f"`{kind.name}`" for kind in kinds]
    one_of = f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]
    return {
        "title": "Exit criterion",
        "description": f"Exactly one of {one_of}.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "minProperties": 1,
    }


def _type_schema(tp: Any, meta: typing.Mapping[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) > 1:  # e.g. `renew`: a list of ids or `all`
            return {"anyOf": [_type_schema(a, meta) for a in inner]}
        return _type_schema(inner[0], meta)
    if origin is typing.Literal:
        return {"type": "string", "enum": list(args)}
    if origin is tuple:
        item = args[0]
        keyed = meta.get("keyed")
        if keyed:  # a mapping id → item; the item schema has no id (it is the key)
            return {
                "type": "object",
                "propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": _ref(item, skip=keyed),
            }
        return {"type": "array", "items": _type_schema(item, {})}
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    return _ref(tp)


def _ref(cls: Any, *, skip: str | None = None) -> dict[str, Any]:
    names = {Label: "label", Criterion: "criterion", FieldSpec: "field"}
    if cls in names:
        return {"$ref": f"#/definitions/{names[cls]}"}
    return _object_schema(cls, skip=skip)


def _object_schema(cls: type, *, skip: str | None = None) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for a in attrs.fields(cls):
        if not a.init or a.name == skip or "description" not in a.metadata:
            continue
        meta = a.metadata
        key = meta.get("key") or a.name
        prop = _type_schema(a.type, meta)
        extra = dict(meta.get("schema", {}))
        if prop.get("type") == "array" and "minItems" in extra:
            prop["minItems"] = extra.pop("minItems")
        if "$ref" in prop:
            prop = {"$ref": prop["$ref"]}
        if "properties" in prop:  # an inline object (items): the key's own words win
            prop = {k: v for k, v in prop.items() if k not in ("title", "description")}
        prop = {"title": key, "description": meta["description"], **prop, **extra}
        if a.default is attrs.NOTHING:
            required.append(key)
        elif not isinstance(a.default, attrs.Factory) and a.default is not None:  # type: ignore[arg-type]
            prop["default"] = a.default
        properties[key] = prop
    schema: dict[str, Any] = {
        "title": cls.__name__,
        "description": (cls.__doc__ or "").strip().splitlines()[0].replace("``", "`"),
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    return schema


def generate_schema() -> dict[str, Any]:
    """Build the Draft-07 JSON Schema of the workflow format (v2, which reads v1) from the model."""
    root = _object_schema(Workflow)
    root["required"] = ["format", *root["required"]]  # has a default in Python, not in files
    # An indicator's unit is a label whose plain text may be empty (``unit: ""``: a count
    # without a unit), as it could be when units were plain text.
    unit = root["properties"]["indicators"]["additionalProperties"]["properties"]["unit"]
    del unit["$ref"]
    plain, per_language = _label_schema()["anyOf"]
    unit["anyOf"] = [{"type": "string", "description": plain["description"]}, per_language]
    field_schema = _object_schema(FieldSpec, skip="name")
    field_schema["properties"]["type"]["enum"] = [t.name for t in field_types()]
    choices = field_schema["properties"]["choices"]
    field_schema["properties"]["choices"] = {
        "title": choices["title"],
        "description": choices["description"],
        "anyOf": [
            {**{k: v for k, v in choices.items() if k not in ("title", "description")}},
            {
                "type": "object",
                "description": "Value → label shown in documents (format v2).",
                "propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": {"$ref": "#/definitions/label"},
                "minProperties": 1,
            },
        ],
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "sozialraumprozess workflow",
        "description": "A Sozialraum development process: phases, roles, artifacts, events, "
        f"decisions and gates (format {FORMAT}).",
        **{k: v for k, v in root.items() if k not in ("title", "description")},
        "definitions": {
            "label": _label_schema(),
            "criterion": _criterion_schema(),
            "field": field_schema,
        },
    }


def schema_json() -> str:
    """The generated schema as pretty-printed JSON text (as shipped)."""
    return json.dumps(generate_schema(), ensure_ascii=False, indent=2) + "\n"


def load_schema() -> dict[str, Any]:
    """The schema the loader checks files against.

    The copy shipped with the package (``schemas/workflow.schema.json``), or, once
    a gate kind or field type was registered beyond the built-in ones, the schema
    generated for the registries as they are.
    """
    return _load_schema(kinds.registry_version(), fields.registry_version())


@lru_cache(maxsize=2)
def _load_schema(kinds_version: int, fields_version: int) -> dict[str, Any]:
    if kinds_version or fields_version > _BUILTIN_FIELDS_VERSION:
        return generate_schema()
    return shipped_schema()


@lru_cache(maxsize=1)
def shipped_schema() -> dict[str, Any]:
    """The schema shipped with the package (``schemas/workflow.schema.json``); do not change it."""
    text = (files("sozialraumprozess") / "schemas" / "workflow.schema.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


# The field registry's version once the built-in types are registered.
_BUILTIN_FIELDS_VERSION = fields.registry_version()
