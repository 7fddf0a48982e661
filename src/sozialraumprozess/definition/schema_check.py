"""Structural validation against the JSON Schema, explained in German and English.

jsonschema finds every structural problem at once (``Draft7Validator.iter_errors``);
this module turns each into an :class:`~sozialraumprozess.errors.Issue` with a
position, a path and a message a workflow author understands, with a
"Meinten Sie …?" hint for misspelt keys and values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import fastjsonschema

from sozialraumprozess.definition.issues import IssueCollector, PathKey
from sozialraumprozess.definition.model import DURATION_PATTERN, ID_PATTERN, WORKFLOW_ID_PATTERN
from sozialraumprozess.definition.schema import load_schema
from sozialraumprozess.errors import closest, did_you_mean

if TYPE_CHECKING:
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError

__all__ = ["check_structure"]

_TYPE_NAMES: dict[str, tuple[str, str]] = {
    "string": ("Text", "text"),
    "integer": ("ganze Zahl", "integer"),
    "number": ("Zahl", "number"),
    "boolean": ("Wahrheitswert (true/false)", "boolean (true/false)"),
    "array": ("Liste", "list"),
    "object": ("Zuordnung (schlüssel: wert)", "mapping (key: value)"),
    "null": ("leer", "empty"),
}


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


@lru_cache(maxsize=1)
def _validator() -> Draft7Validator:
    # Imported here: jsonschema is only needed to explain an invalid document.
    from jsonschema import Draft7Validator

    return Draft7Validator(load_schema())


def _id_hint(value: str) -> tuple[str, str]:
    slug = value.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        slug = slug.replace(a, b)
    slug = re.sub(r"[^a-z0-9_]+", "_", slug).strip("_")
    if slug and not slug[0].isalpha():
        slug = "x_" + slug
    if slug and re.match(ID_PATTERN, slug):
        return f"Zum Beispiel '{slug}'.", f"For example '{slug}'."
    return "", ""


def _pattern_issue(
    out: IssueCollector, path: Sequence[PathKey], value: Any, pattern: str, *, key: bool = False
) -> None:
    if pattern == DURATION_PATTERN:
        out.add(
            path,
            "bad-duration",
            de=f"{_short(value)} ist keine ISO-8601-Dauer",
            en=f"{_short(value)} is not an ISO 8601 duration",
            hint_de="Zum Beispiel P2M (zwei Monate), P6W (sechs Wochen), P1Y (ein Jahr).",
            hint_en="For example P2M (two months), P6W (six weeks), P1Y (one year).",
        )
        return
    if pattern in (ID_PATTERN, WORKFLOW_ID_PATTERN):
        allowed_de = "Kleinbuchstaben a–z, Ziffern und _"
        allowed_en = "lower-case letters a–z, digits and _"
        if pattern == WORKFLOW_ID_PATTERN:
            allowed_de += " und -"
            allowed_en += " and -"
        hint_de, hint_en = _id_hint(str(value))
        out.add(
            path,
            "bad-id",
            de=f"{_short(value)} ist keine gültige Kennung: nur {allowed_de}, "
            "am Anfang ein Buchstabe",
            en=f"{_short(value)} is not a valid id: only {allowed_en}, starting with a letter",
            hint_de=hint_de or None,
            hint_en=hint_en or None,
            key=key,
        )
        return
    out.add(
        path,
        "bad-format",
        de=f"{_short(value)} hat nicht das erwartete Format ({pattern})",
        en=f"{_short(value)} does not have the expected format ({pattern})",
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
        de = " oder ".join(_TYPE_NAMES.get(n, (n, n))[0] for n in names)
        en = " or ".join(_TYPE_NAMES.get(n, (n, n))[1] for n in names)
        found = _type_of(value)
        found_de, found_en = _TYPE_NAMES.get(found, (found, found))
        hint_de = hint_en = None
        if "string" in names and found in ("number", "integer", "boolean"):
            hint_de = f'In Anführungszeichen setzen: "{_short(value)}".'
            hint_en = f'Put it in quotes: "{_short(value)}".'
        if found == "null":
            hint_de = "Wert ergänzen oder den Schlüssel entfernen."
            hint_en = "Add a value or remove the key."
        shown = _short(value) if value is not None else ""
        out.add(
            path,
            "wrong-type",
            de=f"erwartet {de}, gefunden {found_de} {shown}".rstrip(),
            en=f"expected {en}, found {found_en} {shown}".rstrip(),
            hint_de=hint_de,
            hint_en=hint_en,
        )
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
                de=f"Pflichtangabe '{name}' fehlt",
                en=f"required key '{name}' is missing",
                hint_de=f"'{name}: …' ergänzen.",
                hint_en=f"Add '{name}: …'.",
            )
    elif kind == "additionalProperties" and isinstance(value, dict):
        allowed = list(schema.get("properties", {}))
        for name in value:
            if name in allowed:
                continue
            suggestion = closest(str(name), allowed)
            listed = ", ".join(allowed)
            out.add(
                [*path, name],
                "unknown-key",
                de=f"Unbekannter Schlüssel '{name}'",
                en=f"unknown key '{name}'",
                hint_de=did_you_mean(suggestion, "de") or f"Erlaubt: {listed}.",
                hint_en=did_you_mean(suggestion, "en") or f"Allowed: {listed}.",
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
            de=f"{_short(value)} ist nicht erlaubt; erlaubt sind: {', '.join(allowed)}",
            en=f"{_short(value)} is not allowed; allowed: {', '.join(allowed)}",
            hint_de=did_you_mean(suggestion, "de"),
            hint_en=did_you_mean(suggestion, "en"),
        )
    elif kind == "const":
        out.add(
            path,
            "not-allowed",
            de=f"{_short(value)} ist nicht erlaubt; erwartet: {error.validator_value}",
            en=f"{_short(value)} is not allowed; expected: {error.validator_value}",
        )
    elif kind == "pattern" and "propertyNames" in error.schema_path:
        _pattern_issue(out, [*path, str(value)], value, str(error.validator_value), key=True)
    elif kind == "pattern":
        _pattern_issue(out, path, value, str(error.validator_value))
    elif kind in ("minimum", "maximum"):
        de = "mindestens" if kind == "minimum" else "höchstens"
        en = "at least" if kind == "minimum" else "at most"
        out.add(
            path,
            "out-of-range",
            de=f"{_short(value)} ist zu {'klein' if kind == 'minimum' else 'groß'}; "
            f"erlaubt ist {de} {error.validator_value}",
            en=f"{_short(value)} is too {'small' if kind == 'minimum' else 'large'}; "
            f"must be {en} {error.validator_value}",
        )
    elif kind == "minItems":
        out.add(
            path,
            "too-few-items",
            de=f"Liste braucht mindestens {error.validator_value} Eintrag/Einträge",
            en=f"list needs at least {error.validator_value} item(s)",
        )
    elif kind == "minLength":
        out.add(path, "empty-text", de="Text darf nicht leer sein", en="text must not be empty")
    elif kind == "minProperties":
        if "check" in schema.get("properties", {}):
            out.add(
                path,
                "empty-criterion",
                de="Leeres Kriterium",
                en="empty criterion",
                hint_de="Eines von artifact, approval, event, decision oder check angeben.",
                hint_en="Give one of artifact, approval, event, decision or check.",
            )
        else:
            out.add(
                path,
                "empty-label",
                de="Leere Bezeichnung",
                en="empty label",
                hint_de="Text angeben oder {de: …, en: …}.",
                hint_en="Give a text or {de: …, en: …}.",
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
            found_de, found_en = _TYPE_NAMES.get(_type_of(value), ("?", "?"))
            out.add(
                path,
                "wrong-type",
                de=f"erwartet Text oder {{de: …, en: …}}, gefunden {found_de} {_short(value)}",
                en=f"expected text or {{de: …, en: …}}, found {found_en} {_short(value)}",
                hint_de="In Anführungszeichen setzen." if value is not None else None,
                hint_en="Put it in quotes." if value is not None else None,
            )
    else:  # pragma: no cover - every keyword in our schema is handled above
        out.add(path, "invalid", de=f"Ungültig: {error.message}", en=f"invalid: {error.message}")


def _fast_validator() -> Callable[[Any], Any]:
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
