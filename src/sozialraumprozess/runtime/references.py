"""Checking the references in a command's data against the run's current state.

The seam's runtime half (the definition half, kinds and reference field types,
is :mod:`sozialraumprozess.definition.fields.reference`). :func:`check_references`
is asked by every command that brings artifact data — submit, item create, item
change — after the field types have validated the data. It finds the references
in the data (:func:`~sozialraumprozess.definition.fields.reference.references_in`)
and answers a :class:`~sozialraumprozess.errors.FieldProblem` (code
``unknown-reference``, with the path, the known ids and a did-you-mean) for each id
the run would not hold *after* the command: the ids are collected from the current
state with the command's own artifact or item replaced by the new data, so a goal
catalogue may refer to goals it introduces itself.

Artifacts whose fields hold no reference type cost one set lookup per command.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import frozen

from sozialraumprozess.definition.fields import registry_version
from sozialraumprozess.definition.fields.reference import (
    closest_id,
    fields_provide,
    fields_refer,
    ids_in,
    kinds_version,
    reference_kind,
    reference_kinds,
    references_in,
    titles_in,
)
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import FieldProblem
from sozialraumprozess.i18n import Lang, msg
from sozialraumprozess.runtime._cache import DefinitionCache

__all__ = ["check_references", "known_ids", "known_titles"]

#: How many known ids an error lists at most.
_LISTED = 12


@frozen
class _Plan:
    """Where the ids of each kind come from in one workflow, and which artifacts refer."""

    version: tuple[int, int]
    referring: frozenset[str]
    providers: Mapping[str, tuple[str, ...]]  # kind → artifacts whose fields provide it
    keyed: Mapping[str, tuple[str, ...]]  # kind → item artifacts whose keys are of it


def _version() -> tuple[int, int]:
    return registry_version(), kinds_version()


def _build(workflow: Workflow) -> _Plan:
    providers: dict[str, list[str]] = {}
    keyed: dict[str, list[str]] = {}
    referring: set[str] = set()
    for artifact in workflow.artifacts:
        if fields_refer(artifact.fields):
            referring.add(artifact.id)
        for kind in fields_provide(artifact.fields):
            providers.setdefault(kind, []).append(artifact.id)
        if artifact.items is not None and artifact.items.kind is not None:
            keyed.setdefault(artifact.items.kind, []).append(artifact.id)
    return _Plan(
        _version(),
        frozenset(referring),
        {k: tuple(v) for k, v in providers.items()},
        {k: tuple(v) for k, v in keyed.items()},
    )


_PLANS: DefinitionCache[_Plan] = DefinitionCache(_build)


def _plan(workflow: Workflow) -> _Plan:
    plan = _PLANS.get(workflow)
    if plan.version != _version():  # a type or kind was (un)registered since
        _PLANS.clear()
        plan = _PLANS.get(workflow)
    return plan


def known_ids(
    state: Any,
    workflow: Workflow,
    kind: str,
    *,
    artifact: str | None = None,
    key: str | None = None,
    data: Mapping[str, Any] | None = None,
) -> list[str] | None:
    """The ids of ``kind`` the run holds, in order found; ``None`` if the workflow uses none.

    With ``artifact`` (and ``key`` for an item) and ``data``: as they would be after
    that artifact (item) got ``data``.
    """
    plan = _plan(workflow)
    spec = reference_kind(kind)
    declared = spec.declared(workflow) if spec.declared is not None else None
    providers = plan.providers.get(kind, ())
    keyed = plan.keyed.get(kind, ())
    if declared is None and not providers and not keyed and spec.collect is None:
        return None
    found: list[str] = list(declared or ())
    for aid in providers:
        fields = workflow.artifact(aid).fields
        if workflow.artifact(aid).items is not None:
            items = state.item_entries.get(aid, {})
            for item_key, item in items.items():
                if aid == artifact and item_key == key:
                    continue
                found.extend(ids_in(fields, item.data, kind))
            if aid == artifact and data is not None:
                found.extend(ids_in(fields, data, kind))
        elif aid == artifact and data is not None:
            found.extend(ids_in(fields, data, kind))
        else:
            versions = state.artifact_entries.get(aid)
            if versions:
                found.extend(ids_in(fields, versions[-1].data, kind))
    for aid in keyed:
        found.extend(state.item_entries.get(aid, {}))
        if aid == artifact and key is not None and key not in state.item_entries.get(aid, {}):
            found.append(key)
    if spec.collect is not None:
        found.extend(spec.collect(state, workflow))
    return list(dict.fromkeys(found))


def known_titles(state: Any, workflow: Workflow, kind: str, lang: Lang = "de") -> dict[str, str]:
    """What the ids of ``kind`` the run holds are called in ``lang``: as the kind
    names the ids the workflow declares, and as the fields that provide them name
    them (for documents; ids without a name are left out)."""
    spec = reference_kind(kind)
    found: dict[str, str] = dict(spec.named(workflow, lang)) if spec.named is not None else {}
    for aid in _plan(workflow).providers.get(kind, ()):
        fields = workflow.artifact(aid).fields
        if workflow.artifact(aid).items is not None:
            for item in state.item_entries.get(aid, {}).values():
                found.update(titles_in(fields, item.data, kind))
        else:
            versions = state.artifact_entries.get(aid)
            if versions:
                found.update(titles_in(fields, versions[-1].data, kind))
    return found


def check_references(
    state: Any,
    workflow: Workflow,
    artifact: str,
    data: Mapping[str, Any],
    key: str | None = None,
) -> list[FieldProblem]:
    """A problem for every reference in ``data`` (for ``artifact``, item ``key``) to an unknown id.

    Ids are checked against the run as it would be after the command; references of
    a kind the workflow does not use are not checked.
    """
    plan = _plan(workflow)
    if artifact not in plan.referring:
        return []
    refs = references_in(workflow.artifact(artifact).fields, data)
    if not refs:
        return []
    problems: list[FieldProblem] = []
    known: dict[str, list[str] | None] = {}
    names = {k.name for k in reference_kinds()}
    for ref in refs:
        if ref.kind not in names:
            continue
        if ref.kind not in known:
            known[ref.kind] = known_ids(
                state, workflow, ref.kind, artifact=artifact, key=key, data=data
            )
        ids = known[ref.kind]
        if ids is None or ref.id in ids:
            continue
        title = reference_kind(ref.kind).title
        hint = closest_id(ref.id, ids)
        listed = ", ".join(ids[:_LISTED]) + (", …" if len(ids) > _LISTED else "")
        if not ids:
            text = msg("ref.unknown-none", kind=title, id=ref.id)
        elif hint is None:
            text = msg("ref.unknown", kind=title, id=ref.id, known=listed)
        else:
            text = msg(
                "ref.unknown-hint",
                kind=title,
                id=ref.id,
                known=listed,
                hint=msg("name.did-you-mean", name=hint),
            )
        problems.append(FieldProblem.of(ref.path, "unknown-reference", text))
    return problems
