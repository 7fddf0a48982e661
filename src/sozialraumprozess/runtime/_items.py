"""The item commands of :class:`.process.Process` (format v2): create, change, move.

An artifact type with ``items`` exists once per item. Each command checks, in
order, names (the artifact, the item's key), permission, the rules (the artifact
belongs to the current phase, the key is new or known, the move is allowed) and
the data (validated by the field types), then appends one typed event
(:class:`ItemCreated`, :class:`ItemChanged`, :class:`ItemMoved`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sozialraumprozess.definition.model import ArtifactType, ItemLifecycle, Label
from sozialraumprozess.errors import CommandRejected, FieldProblem, InvalidData
from sozialraumprozess.errors._base import closest, did_you_mean_message
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime import _inputs
from sozialraumprozess.runtime._commands import on_artifact
from sozialraumprozess.runtime.events import ItemChanged, ItemCreated, ItemMoved
from sozialraumprozess.runtime.records import ItemRecord
from sozialraumprozess.runtime.references import check_references
from sozialraumprozess.runtime.validation import validate_fields

if TYPE_CHECKING:
    from sozialraumprozess.runtime.process import Process

__all__ = ["KEY_MAX", "change_item", "create_item", "lifecycle_of", "move_item"]

#: The longest item key (characters).
KEY_MAX = 200


def lifecycle_of(spec: ArtifactType) -> ItemLifecycle:
    """The artifact's item lifecycle; refused for an artifact without ``items``."""
    if spec.items is None:
        raise CommandRejected("not-an-item-artifact", msg("items.no-items", title=spec.title))
    return spec.items


def _key_problems(key: Any) -> list[FieldProblem]:
    if (
        not isinstance(key, str)
        or not key.strip()
        or key != key.strip()
        or len(key) > KEY_MAX
        or any(ord(c) < 32 or ord(c) == 127 for c in key)
    ):
        return [FieldProblem.of("key", "key", msg("items.bad-key", value=repr(key), max=KEY_MAX))]
    return []


def _note_problems(note: Any) -> list[FieldProblem]:
    if note is not None and not isinstance(note, str):
        return [FieldProblem.of("note", "type", msg("runtime.note-type"))]
    return []


def _existing(process: Process, spec: ArtifactType, key: str) -> ItemRecord:
    items = process.state.item_entries.get(spec.id, {})
    found = items.get(key)
    if found is None:
        hint = did_you_mean_message(closest(key, list(items)))
        text = (
            msg("items.unknown-item", title=spec.title, key=key)
            if hint is None
            else msg("items.unknown-item-hint", title=spec.title, key=key, hint=hint)
        )
        raise CommandRejected("unknown-item", text)
    return found.record()


def create_item(
    process: Process,
    artifact: str,
    key: str,
    data: Mapping[str, Any] | None,
    by: str,
    note: str | None,
) -> ItemRecord:
    spec, actor = on_artifact(process, artifact, by, "create_item", lifecycle_of)
    problems = _key_problems(key)
    if not problems and key in process.state.item_entries.get(artifact, {}):
        raise CommandRejected("item-exists", msg("items.exists", title=spec.title, key=key))
    data = {} if data is None else data
    problems += validate_fields(spec.fields, data) + _note_problems(note)
    if not problems:
        problems = check_references(process.state, process.workflow, artifact, data, key)
    if problems:
        raise InvalidData("artifact", artifact, problems)
    process._commit(ItemCreated(artifact, key, _inputs.copy_json(data), note), actor)
    return process.state.item_entries[artifact][key].record()


def change_item(
    process: Process,
    artifact: str,
    key: str,
    data: Mapping[str, Any],
    by: str,
    note: str | None,
) -> ItemRecord:
    spec, actor = on_artifact(process, artifact, by, "change_item", lifecycle_of)
    problems = _key_problems(key)
    if problems:
        raise InvalidData("artifact", artifact, problems)
    _existing(process, spec, key)
    problems = validate_fields(spec.fields, data) + _note_problems(note)
    problems += check_references(process.state, process.workflow, artifact, data, key)
    if problems:
        raise InvalidData("artifact", artifact, problems)
    process._commit(ItemChanged(artifact, key, _inputs.copy_json(data), note), actor)
    return process.state.item_entries[artifact][key].record()


def move_item(
    process: Process, artifact: str, key: str, to: str, by: str, note: str | None
) -> ItemRecord:
    spec, actor = on_artifact(process, artifact, by, "move_item", lifecycle_of)
    lifecycle = lifecycle_of(spec)
    problems = _key_problems(key)
    if problems:
        raise InvalidData("artifact", artifact, problems)
    item = _existing(process, spec, key)
    target = lifecycle.state(to) if isinstance(to, str) else None
    if target is None:
        known = [s.id for s in lifecycle.states]
        hint = did_you_mean_message(closest(str(to), known))
        text = msg("items.unknown-state-known", state=str(to), known=", ".join(known))
        if hint is not None:
            text = msg("items.with-hint", text=text, hint=hint)
        raise InvalidData("artifact", artifact, [FieldProblem.of("to", "unknown-state", text)])
    allowed = lifecycle.allowed_moves(item.state)
    if to not in allowed:
        current = lifecycle.state(item.state)
        titles = [lifecycle.state(s).title for s in allowed]  # type: ignore[union-attr]
        raise CommandRejected(
            "move-not-allowed",
            msg(
                "items.move-not-allowed",
                key=key,
                source=current.title if current is not None else Label(de=item.state),
                target=target.title,
                allowed=_titles(titles),
            ),
        )
    problems = _note_problems(note)
    if problems:
        raise InvalidData("artifact", artifact, problems)
    process._commit(ItemMoved(artifact, key, item.state, to, note), actor)
    return process.state.item_entries[artifact][key].record()


class _Titles:
    """State titles joined, worded per language (a message parameter)."""

    def __init__(self, titles: list[Label]) -> None:
        self.titles = titles

    def get(self, lang: str = "de") -> str:
        return ", ".join(t.get(lang) for t in self.titles) if self.titles else "–"  # type: ignore[arg-type]


def _titles(titles: list[Label]) -> _Titles:
    return _Titles(titles)
