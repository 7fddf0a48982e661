"""Gate kinds over the items of an artifact type (format v2, ``items:`` on the artifact).

Three kinds, one question each, sharing the option ``state`` ("in this state or
one after it in the list of states"):

* ``- items: massnahme`` (``min: 3``, ``state: umgesetzt``): at least ``min``
  items (default 1), counting only those in ``state`` or beyond if given;
* ``- all_items: massnahme`` with ``state: evaluiert``: there is an item, and
  every item is in ``state`` or beyond;
* ``- items_per_entry: visitationsbericht`` with ``entries:
  treffpunkte.treffpunkte.name``: one item per entry of a list field of
  another artifact. An item belongs to an entry when the item's **key** equals
  the entry: the entry itself for a list of texts, or its sub-field named after
  the second dot for a list of objects (``<artifact>.<list field>[.<sub-field>]``).
  With ``state``, each entry's item must be in that state or beyond.

Items count in the current cycle like artifact versions do: created, changed or
moved in it, or not yet due in it (:meth:`GateEnv.is_current`). An item that
counts must also be complete (its required fields filled, lists long enough):
each incomplete one blocks as ``item-incomplete`` with its key and first gap.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sozialraumprozess.definition.issues import PathKey
from sozialraumprozess.definition.kinds._base import (
    Blocker,
    Gate,
    GateEnv,
    GateKind,
    ItemView,
    LoadContext,
    StateView,
)
from sozialraumprozess.definition.model import ArtifactType, Criterion, ItemLifecycle, Workflow
from sozialraumprozess.errors._base import closest
from sozialraumprozess.i18n import Message, msg

__all__ = ["AllItemsKind", "ItemsKind", "ItemsPerEntryKind", "entry_keys"]

_V2 = {"x-since": 2}

_STATE_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "title": "state",
    "description": "For `items`, `all_items`, `items_per_entry`: the item state (id) the "
    "items must have reached (that state or one after it).",
    **_V2,
}


# ---------------------------------------------------------------------- load time


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _item_artifact(ctx: LoadContext, target: Any, path: list[PathKey]) -> dict[str, Any] | None:
    """The raw ``items`` block of the targeted artifact, reporting a wrong target."""
    if not ctx.ref("artifact", target, path):
        return None
    items = _dict(_dict(ctx.data.get("artifacts")).get(target)).get("items")
    if not isinstance(items, dict):
        ctx.add(
            path,
            "not-an-item-artifact",
            msg("items.not-an-item-artifact", artifact=target),
            msg("items.not-an-item-artifact-hint", artifact=target),
        )
        return None
    if target not in ctx.produced:
        ctx.add(
            path,
            "artifact-not-produced",
            msg("definition.artifact-not-produced", artifact=target),
            msg("definition.artifact-not-produced-hint", artifact=target),
        )
    return items


def _check_state(
    ctx: LoadContext, items: dict[str, Any], criterion: dict[str, Any], cpath: list[PathKey]
) -> None:
    state = criterion.get("state")
    if not isinstance(state, str):
        return
    known = [s for s in _dict(items.get("states")) if isinstance(s, str)]
    if state in known:
        return
    suggestion = closest(state, known)
    hint = (
        msg("name.did-you-mean", name=suggestion)
        if suggestion is not None
        else msg("name.known", known=", ".join(known) or "–")
    )
    ctx.add([*cpath, "state"], "unknown-item-state", msg("items.unknown-state", state=state), hint)


def entry_keys(data: Mapping[str, Any] | None, field: str, sub: str | None) -> list[str]:
    """The entries of the list ``field`` in ``data`` as item keys (texts), in order.

    For a list of objects, ``sub`` names the sub-field holding the key. Blank
    and non-text entries are left out; repeated ones count once.
    """
    if not data:
        return []
    entries = data.get(field)
    if not isinstance(entries, list):
        return []
    keys: list[str] = []
    for entry in entries:
        value = entry.get(sub) if sub is not None and isinstance(entry, Mapping) else entry
        if isinstance(value, str) and value.strip() and value not in keys:
            keys.append(value)
    return keys


# ---------------------------------------------------------------------- evaluation


class _ItemGates:
    """What the three kinds share at compile time."""

    def __init__(self, criterion: Criterion, env: GateEnv) -> None:
        self.criterion = criterion
        self.spec: ArtifactType = env.workflow.artifact(criterion.target)
        lifecycle = self.spec.items
        if lifecycle is None:  # refused at load time
            raise ValueError(f"artifact {self.spec.id!r} has no items")
        self.lifecycle: ItemLifecycle = lifecycle
        self.aid = self.spec.id
        state = criterion.option("state")
        self.state = state if isinstance(state, str) else None
        #: The state ids that count as reached: ``state`` and every one after it.
        if self.state is None:
            self.reached: frozenset[str] | None = None
        else:
            at = self.lifecycle.index(self.state)
            self.reached = frozenset(s.id for s in self.lifecycle.states[at:])
        self.is_current = env.is_current
        self.find_gaps = env.gaps(self.aid)
        self.creator = self.spec.owner
        self.mover = self.lifecycle.moved_by[0] if self.lifecycle.moved_by else self.spec.owner
        self.state_title = (
            self.lifecycle.state(self.state).title  # type: ignore[union-attr]
            if self.state is not None
            else None
        )

    def items(self, state: StateView) -> list[ItemView]:
        """The artifact's items that count in the current cycle, in creation order."""
        found = state.item_entries.get(self.aid)
        if not found:
            return []
        is_current = self.is_current
        return [item for item in found.values() if is_current(item, state)]  # type: ignore[arg-type]

    def blocker(self, kind: str, role: str, code: str, text: Message) -> Blocker:
        return Blocker(kind, self.criterion, role, code, text)

    def incomplete(self, kind: str, items: list[ItemView], out: list[Blocker]) -> None:
        """One ``item-incomplete`` blocker per item of ``items`` with an empty required
        field or a too short list (the first gap named, with the item's key)."""
        for item in items:
            gaps = self.find_gaps(item.data)
            if gaps:
                gap = gaps[0]
                text = msg("items.incomplete", title=self.spec.title, key=item.key, gap=gap.msg)
                out.append(
                    Blocker(kind, self.criterion, self.creator, "item-incomplete", text, gap.path)
                )


def _keys(keys: list[str]) -> str:
    shown = keys[:8]
    text = ", ".join(shown)
    return text + (f" … (+{len(keys) - len(shown)})" if len(keys) > len(shown) else "")


class ItemsKind(GateKind):
    """``- items: <artifact>`` (``min: n``, ``state: s``): at least n items (in s or beyond)."""

    name = "items"
    doc = (
        "At least `min` items (default 1) of the item artifact (id) exist; with `state`, "
        "counting only items in that state or beyond (format v2)."
    )
    codes = ("too-few-items", "item-incomplete")
    options = ("min", "state")

    def schema(self) -> dict[str, Any]:
        return {**super().schema(), **_V2}

    def option_schemas(self) -> dict[str, dict[str, Any]]:
        return {
            "min": {
                "type": "integer",
                "minimum": 1,
                "default": 1,
                "title": "min",
                "description": "For `items`: how many items there must be at least.",
                **_V2,
            },
            "state": dict(_STATE_SCHEMA),
        }

    def check(
        self,
        ctx: LoadContext,
        criterion: dict[str, Any],
        path: list[PathKey],
        cpath: list[PathKey],
    ) -> None:
        items = _item_artifact(ctx, criterion[self.name], path)
        if items is not None:
            _check_state(ctx, items, criterion, cpath)

    def compile(self, criterion: Criterion, responsible: str, env: GateEnv) -> Gate:
        share = _ItemGates(criterion, env)
        needed = int(criterion.option("min", 1))
        reached = share.reached
        title, state_title = share.spec.title, share.state_title

        def gate(state: StateView, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            items = share.items(state)
            have = len(items)
            counting = items if reached is None else [i for i in items if i.state in reached]
            counted = len(counting)
            share.incomplete(self.name, counting, out)
            if counted >= needed:
                return
            role = share.creator if have < needed else share.mover
            if state_title is None:
                text = msg("items.too-few", title=title, have=counted, needed=needed)
            else:
                text = msg(
                    "items.too-few-in-state",
                    title=title,
                    state=state_title,
                    have=counted,
                    needed=needed,
                )
            out.append(share.blocker(self.name, role, "too-few-items", text))

        return gate

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        spec = workflow.artifact(criterion.target)
        needed = int(criterion.option("min", 1))
        state = _state_title(spec, criterion)
        if state is None:
            return msg("items.describe-min", title=spec.title, needed=needed)
        return msg("items.describe-min-state", title=spec.title, needed=needed, state=state)


class AllItemsKind(GateKind):
    """``- all_items: <artifact>`` with ``state: s``: items exist and all are in s or beyond."""

    name = "all_items"
    doc = (
        "Every item of the item artifact (id) is in `state` or beyond, and there is at "
        "least one (format v2)."
    )
    codes = ("no-items", "items-not-in-state", "item-incomplete")
    options = ("state",)

    def schema(self) -> dict[str, Any]:
        return {**super().schema(), **_V2}

    def option_schemas(self) -> dict[str, dict[str, Any]]:
        return {"state": dict(_STATE_SCHEMA)}

    def check(
        self,
        ctx: LoadContext,
        criterion: dict[str, Any],
        path: list[PathKey],
        cpath: list[PathKey],
    ) -> None:
        items = _item_artifact(ctx, criterion[self.name], path)
        if items is None:
            return
        if "state" not in criterion:
            ctx.add(
                cpath,
                "missing-key",
                msg("definition.missing-key", name="state"),
                msg("items.all-items-needs-state-hint"),
            )
        _check_state(ctx, items, criterion, cpath)

    def compile(self, criterion: Criterion, responsible: str, env: GateEnv) -> Gate:
        share = _ItemGates(criterion, env)
        reached = share.reached or frozenset(s.id for s in share.lifecycle.states)
        title, state_title = share.spec.title, share.state_title
        none = share.blocker(self.name, share.creator, "no-items", msg("items.none", title=title))

        def gate(state: StateView, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            items = share.items(state)
            if not items:
                out.append(none)
                return
            share.incomplete(self.name, items, out)
            behind = [i.key for i in items if i.state not in reached]
            if behind:
                text = msg(
                    "items.not-in-state",
                    title=title,
                    state=state_title,
                    keys=_keys(behind),
                    count=len(behind),
                )
                out.append(share.blocker(self.name, share.mover, "items-not-in-state", text))

        return gate

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        spec = workflow.artifact(criterion.target)
        return msg("items.describe-all", title=spec.title, state=_state_title(spec, criterion))


class ItemsPerEntryKind(GateKind):
    """``- items_per_entry: <artifact>`` with ``entries: a.list[.sub]``: one item per entry."""

    name = "items_per_entry"
    doc = (
        "One item of the item artifact (id) per entry of a list field of another artifact "
        "(`entries`); an item belongs to the entry its key equals (format v2)."
    )
    codes = ("no-entries", "items-missing", "items-not-in-state", "item-incomplete")
    options = ("entries", "state")

    def schema(self) -> dict[str, Any]:
        return {**super().schema(), **_V2}

    def option_schemas(self) -> dict[str, dict[str, Any]]:
        return {
            "entries": {
                "type": "string",
                "pattern": r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$",
                "title": "entries",
                "description": "For `items_per_entry`: the list whose entries need an item, "
                "as `<artifact>.<list field>` (a list of texts) or "
                "`<artifact>.<list field>.<sub-field>` (a list of objects: the sub-field "
                "holding the entry's name). An item belongs to the entry its key equals.",
                "examples": ["treffpunkte.treffpunkte.name"],
                **_V2,
            },
            "state": dict(_STATE_SCHEMA),
        }

    def check(
        self,
        ctx: LoadContext,
        criterion: dict[str, Any],
        path: list[PathKey],
        cpath: list[PathKey],
    ) -> None:
        items = _item_artifact(ctx, criterion[self.name], path)
        if items is not None:
            _check_state(ctx, items, criterion, cpath)
        entries = criterion.get("entries")
        if entries is None:
            ctx.add(
                cpath,
                "missing-key",
                msg("definition.missing-key", name="entries"),
                msg("items.entries-hint"),
            )
            return
        if not isinstance(entries, str) or entries.count(".") not in (1, 2):
            return  # the schema reports the shape
        artifact, field, *rest = entries.split(".")
        epath = [*cpath, "entries"]
        if not ctx.ref("artifact", artifact, epath):
            return
        fields = _dict(_dict(_dict(ctx.data.get("artifacts")).get(artifact)).get("fields"))
        spec = fields.get(field)
        if not isinstance(spec, dict):
            _unknown_field(ctx, epath, artifact, field, fields)
            return
        if spec.get("type") != "list":
            ctx.add(epath, "not-a-list", msg("items.entries-not-a-list", path=entries))
            return
        inner = _dict(spec.get("items"))
        if rest:
            subs = _dict(inner.get("fields"))
            if inner.get("type") != "object" or rest[0] not in subs:
                _unknown_field(ctx, epath, artifact, f"{field}.{rest[0]}", subs)
        elif inner.get("type") == "object":
            ctx.add(
                epath,
                "entries-need-subfield",
                msg("items.entries-need-subfield", path=entries),
                msg("items.entries-need-subfield-hint", path=entries),
            )

    def compile(self, criterion: Criterion, responsible: str, env: GateEnv) -> Gate:
        share = _ItemGates(criterion, env)
        artifact, field, *rest = str(criterion.option("entries")).split(".")
        sub = rest[0] if rest else None
        source = env.workflow.artifact(artifact)
        reached = share.reached
        title, state_title = share.spec.title, share.state_title
        no_entries = share.blocker(
            self.name,
            source.owner,
            "no-entries",
            msg("items.no-entries", title=title, source=source.title),
        )
        is_current = env.is_current

        def gate(state: StateView, out: list[Blocker], _: list[dict[str, Any]]) -> None:
            versions = state.artifact_entries.get(artifact)
            version = versions[-1] if versions else None
            if version is None or not is_current(version, state):
                out.append(no_entries)
                return
            keys = entry_keys(version.data, field, sub)
            if not keys:
                out.append(no_entries)
                return
            items = {item.key: item for item in share.items(state)}
            share.incomplete(self.name, [items[k] for k in keys if k in items], out)
            missing = [k for k in keys if k not in items]
            if missing:
                text = msg(
                    "items.missing-for",
                    title=title,
                    keys=_keys(missing),
                    count=len(missing),
                    total=len(keys),
                )
                out.append(share.blocker(self.name, share.creator, "items-missing", text))
            if reached is not None:
                behind = [k for k in keys if k in items and items[k].state not in reached]
                if behind:
                    text = msg(
                        "items.not-in-state",
                        title=title,
                        state=state_title,
                        keys=_keys(behind),
                        count=len(behind),
                    )
                    out.append(share.blocker(self.name, share.mover, "items-not-in-state", text))

        return gate

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        spec = workflow.artifact(criterion.target)
        artifact, name, *_ = str(criterion.option("entries")).split(".")
        source = workflow.artifact(artifact)
        found = source.field(name)
        field = found.title if found is not None and found.title is not None else name
        state = _state_title(spec, criterion)
        if state is None:
            return msg("items.describe-per", title=spec.title, source=source.title, field=field)
        return msg(
            "items.describe-per-state",
            title=spec.title,
            source=source.title,
            field=field,
            state=state,
        )


def _state_title(spec: ArtifactType, criterion: Criterion) -> Any:
    state = criterion.option("state")
    if spec.items is None or not isinstance(state, str):
        return None
    found = spec.items.state(state)
    return found.title if found is not None else state


def _unknown_field(
    ctx: LoadContext, path: list[PathKey], artifact: str, field: str, known: dict[str, Any]
) -> None:
    names = [k for k in known if isinstance(k, str)]
    suggestion = closest(field.rsplit(".", 1)[-1], names)
    hint = (
        msg("name.did-you-mean", name=suggestion)
        if suggestion is not None
        else msg("name.known", known=", ".join(names) or "–")
    )
    ctx.add(path, "unknown-field", msg("items.unknown-field", artifact=artifact, field=field), hint)
