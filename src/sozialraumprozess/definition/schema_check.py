"""Structural validation against the JSON Schema, explained in German and English.

jsonschema finds every structural problem at once (``Draft7Validator.iter_errors``);
this module turns each into an :class:`~sozialraumprozess.errors.Issue` with a
position, a path and a message a workflow author understands, with a
"Meinten Sie …?" hint for misspelt keys and values.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import fastjsonschema

from sozialraumprozess.definition import fields, kinds
from sozialraumprozess.definition.issues import IssueCollector, PathKey
from sozialraumprozess.definition.model import DURATION_PATTERN, ID_PATTERN, WORKFLOW_ID_PATTERN
from sozialraumprozess.definition.schema import load_schema, shipped_schema
from sozialraumprozess.errors._base import closest, did_you_mean_message
from sozialraumprozess.i18n import Message, joined, msg, plural

if TYPE_CHECKING:
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError

__all__ = ["check_structure"]

#: JSON Schema type → its name in messages.
_TYPE_NAMES: dict[str, Message] = {
    "string": msg("definition.type-string"),
    "integer": msg("definition.type-integer"),
    "number": msg("definition.type-number"),
    "boolean": msg("definition.type-boolean"),
    "array": msg("definition.type-array"),
    "object": msg("definition.type-object"),
    "null": msg("definition.type-null"),
}


def _type_name(name: str, unknown: str | None = None) -> Message | str:
    return _TYPE_NAMES.get(name, unknown if unknown is not None else name)


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    if value is True or value is False:
        text = "true" if value else "false"
    return text if len(text) <= 40 else text[:37] + "…"


def _versions() -> tuple[int, int]:
    """The registries' versions: validators are built per set of gate kinds and field types."""
    return (kinds.registry_version(), fields.registry_version())


def _validator() -> Draft7Validator:
    return _validator_for(*_versions())


@lru_cache(maxsize=2)
def _validator_for(kinds_version: int, fields_version: int) -> Draft7Validator:
    # Imported here: jsonschema is only needed to explain an invalid document.
    from jsonschema import Draft7Validator

    return Draft7Validator(load_schema())


def _id_hint(value: str) -> Message | None:
    slug = value.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        slug = slug.replace(a, b)
    slug = re.sub(r"[^a-z0-9_]+", "_", slug).strip("_")
    if slug and not slug[0].isalpha():
        slug = "x_" + slug
    if slug and re.match(ID_PATTERN, slug):
        return msg("definition.id-example", slug=slug)
    return None


def _pattern_issue(
    out: IssueCollector, path: Sequence[PathKey], value: Any, pattern: str, *, key: bool = False
) -> None:
    if pattern == DURATION_PATTERN:
        out.add(
            path,
            "bad-duration",
            msg("definition.bad-duration", value=_short(value)),
            hint=msg("definition.bad-duration-hint"),
        )
        return
    if pattern in (ID_PATTERN, WORKFLOW_ID_PATTERN):
        if pattern == WORKFLOW_ID_PATTERN:
            message = msg("definition.bad-workflow-id", value=_short(value))
        else:
            message = msg("definition.bad-id", value=_short(value))
        out.add(path, "bad-id", message, hint=_id_hint(str(value)), key=key)
        return
    out.add(
        path,
        "bad-format",
        msg("definition.bad-format", value=_short(value), pattern=pattern),
        key=key,
    )


def _report(error: ValidationError, out: IssueCollector) -> None:
    path: list[PathKey] = list(error.absolute_path)
    kind = error.validator
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind == "type":
        expected = error.validator_value
        names = [str(n) for n in (expected if isinstance(expected, list) else [expected])]
        wanted = joined((_type_name(n) for n in names), msg("definition.or"))
        found = _type_of(value)
        hint = None
        if "string" in names and found in ("number", "integer", "boolean"):
            hint = msg("definition.quote-value", value=_short(value))
        if found == "null":
            hint = msg("definition.add-value")
        if value is None:
            message = msg("definition.wrong-type-empty", expected=wanted, found=_type_name(found))
        else:
            message = msg(
                "definition.wrong-type",
                expected=wanted,
                found=_type_name(found),
                value=_short(value),
            )
        out.add(path, "wrong-type", message, hint=hint)
    elif kind == "required":
        for name in error.validator_value:  # type: ignore[union-attr]
            present = list(value) if isinstance(value, dict) else []
            known = schema.get("properties", {})
            unknown = [k for k in present if k not in known]
            if name in present or any(closest(str(k), [name]) for k in unknown):
                continue  # present, or misspelt: the unknown-key issue carries the hint
            out.add(
                [*path, name],
                "missing-key",
                msg("definition.missing-key", name=name),
                hint=msg("definition.missing-key-hint", name=name),
            )
    elif kind == "additionalProperties" and isinstance(value, dict):
        allowed = list(schema.get("properties", {}))
        for name in value:
            if name in allowed:
                continue
            suggestion = closest(str(name), allowed)
            out.add(
                [*path, name],
                "unknown-key",
                msg("definition.unknown-key", name=name),
                hint=did_you_mean_message(suggestion)
                or msg("definition.allowed", allowed=", ".join(allowed)),
                key=True,
            )
    elif kind == "propertyNames":
        _pattern_issue(out, [*path, str(value)], value, ID_PATTERN, key=True)
    elif kind == "enum":
        allowed = [str(a) for a in error.validator_value]  # type: ignore[union-attr]
        suggestion = closest(str(value), allowed)
        out.add(
            path,
            "not-allowed",
            msg("definition.not-allowed", value=_short(value), allowed=", ".join(allowed)),
            hint=did_you_mean_message(suggestion),
        )
    elif kind == "const":
        out.add(
            path,
            "not-allowed",
            msg("definition.not-expected", value=_short(value), expected=error.validator_value),
        )
    elif kind == "pattern" and "propertyNames" in error.schema_path:
        _pattern_issue(out, [*path, str(value)], value, str(error.validator_value), key=True)
    elif kind == "pattern":
        _pattern_issue(out, path, value, str(error.validator_value))
    elif kind == "minimum":
        limit = error.validator_value
        out.add(path, "out-of-range", msg("definition.too-small", value=_short(value), limit=limit))
    elif kind == "maximum":
        limit = error.validator_value
        out.add(path, "out-of-range", msg("definition.too-large", value=_short(value), limit=limit))
    elif kind == "minItems":
        count = int(error.validator_value)  # type: ignore[arg-type]
        out.add(path, "too-few-items", plural("definition.too-few-items", count))
    elif kind == "minLength":
        out.add(path, "empty-text", msg("definition.empty-text"))
    elif kind == "minProperties":
        if "check" in schema.get("properties", {}):
            out.add(
                path,
                "empty-criterion",
                msg("definition.empty-criterion"),
                hint=msg("definition.empty-criterion-hint"),
            )
        else:
            out.add(
                path,
                "empty-label",
                msg("definition.empty-label"),
                hint=msg("definition.empty-label-hint"),
            )
    elif kind == "anyOf":
        # The only anyOf in the schema is a label: str | {de, en}. Report the
        # object branch's problems when an object was given, else the type.
        before = len(out)
        if isinstance(value, dict):
            for sub in error.context or ():
                if list(sub.relative_schema_path)[:1] == [1]:  # the {de:, en:} branch
                    _report(sub, out)
        if len(out) == before:
            out.add(
                path,
                "wrong-type",
                msg(
                    "definition.wrong-type-label",
                    found=_type_name(_type_of(value), "?"),
                    value=_short(value),
                ),
                hint=msg("definition.quote-it") if value is not None else None,
            )
    else:  # pragma: no cover - every keyword in our schema is handled above
        out.add(path, "invalid", msg("definition.invalid", detail=error.message))


def _fast_validator() -> Callable[[Any], Any]:
    return _fast_validator_for(*_versions())


@lru_cache(maxsize=2)
def _fast_validator_for(kinds_version: int, fields_version: int) -> Callable[[Any], Any]:
    if load_schema() is not shipped_schema():  # a gate kind or field type was registered
        # A copy: fastjsonschema rewrites the $refs of what it compiles.
        return fastjsonschema.compile(copy.deepcopy(load_schema()), use_default=False)
    # Precompiled from the shipped schema (compiling it here cost 50-190 ms per
    # validate/init, see benchmarks/cli_startup.py); regenerate with
    # python3 -m sozialraumprozess.definition._validator_gen
    from sozialraumprozess.definition._validator import validate

    fast: Callable[[Any], Any] = validate
    return fast


def check_structure(data: Any, out: IssueCollector) -> None:
    """Add an issue for every structural problem of ``data`` against the schema.

    A compiled validator (fastjsonschema, ~1 ms) answers "valid?" first; only an
    invalid document goes through jsonschema, which reports every error (~9 ms).
    """
    try:
        _fast_validator()(data)
    except fastjsonschema.JsonSchemaException:
        pass
    else:
        return
    for error in _validator().iter_errors(data):
        _report(error, out)
