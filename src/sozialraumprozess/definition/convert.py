"""Converting between the workflow file's data (dicts) and the model (attrs), with cattrs.

The file format differs from the model in three places, all handled here from
the field metadata in :mod:`model`, so there is no per-class code:

* keyed sections (``roles``, ``artifacts``, ``fields`` …) are mappings in the file
  and tuples of objects carrying their id in the model;
* renamed keys (``from``/``to`` of a transition);
* labels are a plain string (in the workflow's language) or ``{de:, en:}``;
* an exit criterion is ``{artifact: x}`` / ``{check: expr, message: …}``.

Only validated data is structured: :func:`structure_workflow` assumes the checks in
:mod:`checks` passed (the loader guarantees that).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from sozialraumprozess.definition.kinds import gate_kinds
from sozialraumprozess.definition.model import (
    RENEW_ALL,
    AnnualTable,
    ArtifactType,
    Criterion,
    Deadline,
    DecisionType,
    EventType,
    FieldSpec,
    Indicator,
    ItemLifecycle,
    ItemMove,
    ItemState,
    Label,
    Phase,
    Renew,
    Role,
    Strand,
    TargetGroup,
    Transition,
    Workflow,
)

__all__ = ["structure_workflow", "unstructure_workflow"]

_CLASSES: tuple[type, ...] = (
    Role,
    TargetGroup,
    EventType,
    FieldSpec,
    ItemState,
    ItemMove,
    ItemLifecycle,
    ArtifactType,
    DecisionType,
    Strand,
    Deadline,
    Phase,
    Transition,
    Indicator,
    AnnualTable,
    Workflow,
)


def _keyed_hooks(conv: cattrs.Converter, item_type: type, id_attr: str) -> tuple[Any, Any]:
    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        return tuple(
            conv.structure({**(body or {}), id_attr: key}, item_type) for key, body in value.items()
        )

    def unstructure(value: tuple[Any, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for item in value:
            body = conv.unstructure(item)
            out[body.pop(id_attr)] = body
        return out

    return structure, unstructure


@lru_cache(maxsize=4)
def _converter(language: str) -> cattrs.Converter:
    conv = cattrs.Converter(omit_if_default=True, forbid_extra_keys=False)

    def structure_label(value: Any, _: Any) -> Label:
        if isinstance(value, str):
            return Label(**{language: value})
        return Label(de=value.get("de"), en=value.get("en"))

    def unstructure_label(label: Label) -> Any:
        texts = {k: v for k, v in (("de", label.de), ("en", label.en)) if v is not None}
        if list(texts) == [language]:
            return texts[language]
        return texts

    conv.register_structure_hook(Label, structure_label)
    conv.register_unstructure_hook(Label, unstructure_label)

    def structure_criterion(value: Any, _: Any) -> Criterion:
        kind = next(k.name for k in gate_kinds() if k.name in value)
        message = value.get("message")
        return Criterion(
            kind=kind,
            target=str(value[kind]),
            message=None if message is None else structure_label(message, Label),
            count=int(value.get("count", 1)),
            options=tuple(
                sorted(
                    (key, item)
                    for key, item in value.items()
                    if key not in (kind, "message", "count")
                )
            ),
            since=None if value.get("since") is None else str(value["since"]),
        )

    def unstructure_criterion(c: Criterion) -> dict[str, Any]:
        out: dict[str, Any] = {c.kind: c.target}
        if c.message is not None:
            out["message"] = unstructure_label(c.message)
        if c.count != 1:
            out["count"] = c.count
        out.update(c.options)
        if c.since is not None:
            out["since"] = c.since
        return out

    def structure_renew(value: Any, _: Any) -> Renew:
        if value is None or isinstance(value, str):
            return RENEW_ALL if value is not None else None  # `all` (the only text allowed)
        return tuple(str(v) for v in value)

    conv.register_structure_hook(Renew, structure_renew)
    conv.register_unstructure_hook(
        Renew, lambda value: list(value) if isinstance(value, tuple) else value
    )
    conv.register_structure_hook(Criterion, structure_criterion)
    conv.register_unstructure_hook(Criterion, unstructure_criterion)

    for cls in _CLASSES:
        overrides: dict[str, Any] = {}
        for a in attrs.fields(cls):
            if not a.init:
                continue
            meta = a.metadata
            if meta.get("keyed"):
                item_type = a.type.__args__[0]
                s, u = _keyed_hooks(conv, item_type, meta["keyed"])
                overrides[a.name] = override(
                    rename=meta.get("key"), struct_hook=s, unstruct_hook=u, omit_if_default=True
                )
            elif meta.get("key"):
                overrides[a.name] = override(rename=meta["key"])
        if cls is FieldSpec:  # labelled choices: a mapping value → label in the file
            overrides["choice_labels"] = override(omit=True)
        conv.register_structure_hook(cls, make_dict_structure_fn(cls, conv, **overrides))
        conv.register_unstructure_hook(
            cls, make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True, **overrides)
        )
    _choice_hooks(conv, structure_label, unstructure_label)
    return conv


def _choice_hooks(conv: cattrs.Converter, to_label: Any, from_label: Any) -> None:
    """``choices`` written as a mapping value → label become ``choices`` + ``choice_labels``."""
    plain_structure = conv.get_structure_hook(FieldSpec)
    plain_unstructure = conv.get_unstructure_hook(FieldSpec)

    def structure(value: Any, _: Any) -> FieldSpec:
        choices = value.get("choices")
        if not isinstance(choices, dict):
            return plain_structure(value, FieldSpec)  # type: ignore[no-any-return]
        spec: FieldSpec = plain_structure({**value, "choices": list(choices)}, FieldSpec)
        labels = tuple(to_label(label, Label) for label in choices.values())
        return attrs.evolve(spec, choice_labels=labels)

    def unstructure(spec: FieldSpec) -> dict[str, Any]:
        out: dict[str, Any] = plain_unstructure(spec)
        if spec.choice_labels:
            out["choices"] = {
                value: from_label(label)
                for value, label in zip(spec.choices, spec.choice_labels, strict=True)
            }
        return out

    conv.register_structure_hook(FieldSpec, structure)
    conv.register_unstructure_hook(FieldSpec, unstructure)


def structure_workflow(data: dict[str, Any]) -> Workflow:
    """Build a :class:`Workflow` from validated file data."""
    language = data.get("language", "de")
    return _converter(language).structure(data, Workflow)


def unstructure_workflow(workflow: Workflow) -> dict[str, Any]:
    """The workflow as file data (JSON/YAML-compatible); defaults are left out."""
    data: dict[str, Any] = _converter(workflow.language).unstructure(workflow)
    return {"format": workflow.format, **data}
