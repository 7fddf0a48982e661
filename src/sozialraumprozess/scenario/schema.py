"""The JSON Schema (Draft-07) of scenario files, generated from the scenario model.

Generated, so it cannot drift: the step commands are :data:`COMMAND_NAMES`, and
each command's arguments are the keyword arguments of the
:class:`~sozialraumprozess.runtime.process.Process` method of the same name
(their types from the annotations, their descriptions from the docstring's
``Args:``); the ``expect`` block is :class:`~.model.Expectation`. A command added
to the scenario model (and to ``Process``) appears here by itself. The copy
shipped in ``schemas/scenario.schema.json`` (for editors) is tested to equal
:func:`generate_scenario_schema`; ``sozialraum schema --scenario`` prints it.
"""

from __future__ import annotations

import inspect
import json
import re
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import attrs

from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario.model import COMMAND_NAMES, SCENARIO_FORMAT, Expectation

__all__ = ["SCENARIO_SCHEMA_ID", "generate_scenario_schema", "scenario_schema_json"]

SCENARIO_SCHEMA_ID = "https://sozialraumprozess.de/schemas/scenario/v1.json"

#: What a step may say besides its command and arguments.
_STEP_KEYS: dict[str, dict[str, Any]] = {
    "by": {
        "type": "string",
        "minLength": 1,
        "description": "Who acts: a role id or a participant's name.",
    },
    "note": {"type": "string", "description": "Why the step is there, for readers."},
    "error": {
        "description": "The error the command must raise: its class name "
        "(`PermissionDenied`), or `{type, contains}` with text its German message contains.",
        "anyOf": [
            {"type": "string", "minLength": 1},
            {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "minLength": 1, "description": "Error class."},
                    "contains": {
                        "type": "string",
                        "description": "Text the German message must contain.",
                    },
                },
                "required": ["type"],
                "additionalProperties": False,
            },
        ],
    },
    "expect": {"$ref": "#/definitions/expect"},
}

#: Arguments a scenario writes differently from the Python call.
_SCENARIO_FORMS: dict[tuple[str, str], dict[str, Any]] = {
    ("record_event", "protocol"): {
        "anyOf": [{"type": "integer", "minimum": 1}, {"const": "latest"}],
    },
}

_EXPECT_DOCS = {
    "phase": "The phase id the process is in.",
    "cycle": "The cycle number.",
    "can_advance": "Whether `advance` would succeed.",
    "blockers": "Number of blockers, or the exact German blocker messages in order.",
    "blockers_include": "German blocker messages that must be among the blockers.",
    "versions": "Number of versions per artifact id.",
}


def _json_type(tp: Any) -> dict[str, Any]:
    """The JSON Schema of a Python annotation (the few kinds commands take)."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [_json_type(a) for a in args if a is not type(None)]
        schema = inner[0] if len(inner) == 1 else {"anyOf": inner}
        if type(None) in args:
            return {"anyOf": [schema, {"type": "null"}]}
        return schema
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if tp is date:
        return {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
    if origin in (Mapping, dict) or tp in (Mapping, dict):
        return {"type": "object"}
    if origin in (Sequence, list, tuple) or tp in (Sequence, list, tuple):
        item = _json_type(args[0]) if args else {}
        return {"type": "array", "items": item}
    return {}


def _arg_docs(doc: str) -> dict[str, str]:
    """``{name: description}`` from a Google-style docstring's ``Args:`` section."""
    section = re.search(r"\n\s*Args:\n(.*?)(?:\n\s*\n|\Z)", doc, re.S)
    if section is None:
        return {}
    docs: dict[str, str] = {}
    name = None
    for line in section.group(1).splitlines():
        found = re.match(r"\s+(\w+): (.*)", line)
        if found and len(found.group(0)) - len(found.group(0).lstrip()) <= 12:
            name = found.group(1)
            docs[name] = found.group(2).strip()
        elif name is not None:
            docs[name] += " " + line.strip()
    return docs


def _command_schema(command: str, takes_subject: bool) -> dict[str, Any]:
    method = getattr(Process, command)
    hints = typing.get_type_hints(method)
    params = list(inspect.signature(method).parameters.values())[1:]
    docs = _arg_docs(inspect.getdoc(method) or "")
    summary = (inspect.getdoc(method) or command).splitlines()[0]
    properties: dict[str, Any] = {}
    required = [command, "by"]
    subject = None
    for param in params:
        if param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and subject is None:
            subject = param.name
            continue
        if param.name in _STEP_KEYS or param.kind in (
            inspect.Parameter.VAR_POSITIONAL,
            inspect.Parameter.VAR_KEYWORD,
        ):
            continue
        schema = _SCENARIO_FORMS.get((command, param.name)) or _json_type(hints[param.name])
        description = docs.get(param.name, f"Argument `{param.name}` of `{command}`.")
        properties[param.name] = {"description": description, **schema}
        if param.default is inspect.Parameter.empty:
            required.append(param.name)
    if takes_subject:
        what = docs.get(subject or "", "its subject (an id)")
        head = {"type": "string", "minLength": 1, "description": f"{summary} Subject: {what}"}
    else:
        head = {"type": "null", "description": f"{summary} (written `{command}:` alone)"}
    return {
        "title": command,
        "description": summary,
        "type": "object",
        "properties": {command: head, **_STEP_KEYS, **properties},
        "required": required,
        "additionalProperties": False,
    }


def _expect_schema() -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for a in attrs.fields(Expectation):
        tp = typing.get_type_hints(Expectation)[a.name]
        if a.name == "blockers":
            schema: dict[str, Any] = {
                "anyOf": [
                    {"type": "integer", "minimum": 0},
                    {"type": "array", "items": {"type": "string"}},
                ]
            }
        elif a.name == "versions":
            schema = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}
        else:
            schema = _json_type(tp)
            if "anyOf" in schema and {"type": "null"} in schema["anyOf"]:
                schema = next(s for s in schema["anyOf"] if s != {"type": "null"})
        properties[a.name] = {"description": _EXPECT_DOCS.get(a.name, a.name), **schema}
    return {
        "title": "expect",
        "description": "What must hold after the step (every key given is checked).",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def generate_scenario_schema() -> dict[str, Any]:
    """Build the Draft-07 JSON Schema of scenario files from the scenario model."""
    commands = [_command_schema(name, subject) for name, subject in COMMAND_NAMES.items()]
    expect_only = {
        "title": "expect",
        "description": "A step that only checks the state.",
        "type": "object",
        "properties": {"expect": {"$ref": "#/definitions/expect"}, "note": _STEP_KEYS["note"]},
        "required": ["expect"],
        "additionalProperties": False,
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCENARIO_SCHEMA_ID,
        "title": "sozialraumprozess scenario",
        "description": "A process run written down as data, with expectations "
        f"(format {SCENARIO_FORMAT}).",
        "type": "object",
        "properties": {
            "scenario": {
                "const": SCENARIO_FORMAT,
                "description": f"The file format: `{SCENARIO_FORMAT}`.",
            },
            "workflow": {
                "type": "string",
                "minLength": 1,
                "description": "A bundled workflow id, or a workflow file (`.yaml`) "
                "relative to this file.",
            },
            "title": {"type": "string", "description": "What the scenario shows."},
            "sozialraum": {
                "type": "object",
                "description": "The Sozialraum the process is run for.",
                "properties": {
                    "name": {"type": "string", "minLength": 1, "description": "Its name."},
                    "description": {"type": "string", "description": "Its description."},
                    "data": {"type": "object", "description": "Further data (area …)."},
                },
                "required": ["name"],
                "additionalProperties": False,
            },
            "start": {
                "type": "object",
                "description": "Who starts the process, and the clock.",
                "properties": {
                    "by": {
                        "type": "string",
                        "minLength": 1,
                        "description": "The first phase's responsible role.",
                    },
                    "date": {
                        "type": "string",
                        "description": "When the clock starts (ISO date or date-time; "
                        "default 2025-01-13).",
                    },
                    "step_days": {
                        "type": "integer",
                        "minimum": 0,
                        "default": 1,
                        "description": "Days the clock moves on with each recorded event.",
                    },
                },
                "required": ["by"],
                "additionalProperties": False,
            },
            "steps": {
                "type": "array",
                "minItems": 1,
                "description": "The steps, in order: a command (with `by` and its "
                "arguments) and/or an `expect` block.",
                "items": {"anyOf": [*commands, expect_only]},
            },
        },
        "required": ["scenario", "workflow", "sozialraum", "start", "steps"],
        "additionalProperties": False,
        "definitions": {"expect": _expect_schema()},
    }


def scenario_schema_json() -> str:
    """The generated schema as pretty-printed JSON text (as shipped)."""
    return json.dumps(generate_scenario_schema(), ensure_ascii=False, indent=2) + "\n"
