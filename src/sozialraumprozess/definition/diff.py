"""What changed between two versions of a workflow, in plain German and English.

:func:`diff_workflows` compares two loaded :class:`Workflow` objects and returns a
:class:`WorkflowDiff`: a list of :class:`Change` entries, each worded from the
message catalogs and assigned to the phase it concerns (artifacts to the phase
that produces them, events to the phases that hold them, decisions to the phases
whose exit criteria ask for them), so a consultant reads the revision phase by
phase. Phases are matched by id; a new phase that declares ``renamed_from`` is
matched to the old phase of that id (a rename, not a removal plus an addition).

Parts the diff knows by name (phases, gates, roles, event types, artifact types
and their fields, decision types, transitions) get their own wording; any other
attribute — including keys added to the format later — is reported generically
as "'key' changed: old → new", so nothing that changes is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Literal

import attrs
from attrs import frozen

from sozialraumprozess.definition.describe import describe_criterion
from sozialraumprozess.definition.model import (
    ArtifactType,
    Criterion,
    FieldSpec,
    Label,
    Phase,
    Workflow,
)
from sozialraumprozess.i18n import Lang, Message, check_lang, msg

__all__ = ["Change", "ChangeKind", "WorkflowDiff", "diff_workflows"]

#: What happened to a part of the workflow.
ChangeKind = Literal["added", "removed", "renamed", "moved", "changed"]


@frozen
class Change:
    """One change between two workflow versions.

    Attributes:
        kind: ``added``, ``removed``, ``renamed``, ``moved`` or ``changed``.
        area: What kind of part changed: ``workflow``, ``phase``, ``gate``, ``role``,
            ``event``, ``artifact``, ``field``, ``decision`` or ``transition``.
        subject: The id of the part (``artifact.field`` for fields).
        phase: The phase id the change belongs to (in the new version where it
            exists there), or ``None`` for changes to the whole workflow.
        message: The change in words (a catalog message).
    """

    kind: ChangeKind
    area: str
    subject: str
    phase: str | None
    message: Message

    def to_dict(self, lang: Lang = "de") -> dict[str, Any]:
        """A JSON-ready dict; ``text`` in ``lang``."""
        return {
            "kind": self.kind,
            "area": self.area,
            "subject": self.subject,
            "phase": self.phase,
            "text": self.message.text(check_lang(lang)),
        }


@frozen
class WorkflowDiff:
    """The changes from ``old`` to ``new``, in the order a reader goes through them."""

    old: Workflow
    new: Workflow
    changes: tuple[Change, ...]

    def __bool__(self) -> bool:
        return bool(self.changes)

    def groups(self) -> list[tuple[str | None, list[Change]]]:
        """Changes grouped by phase: the whole workflow first, then phases in new order.

        Phases that exist only in the old version follow in their old order.
        """
        order: list[str | None] = [None, *(p.id for p in self.new.phases)]
        order += [p.id for p in self.old.phases if p.id not in order]
        by_phase: dict[str | None, list[Change]] = {}
        for change in self.changes:
            by_phase.setdefault(change.phase, []).append(change)
        return [(key, by_phase[key]) for key in order if key in by_phase]

    def heading(self, phase: str | None, lang: Lang = "de") -> str:
        """The heading of a group: the phase's number and title, or the whole workflow."""
        lang = check_lang(lang)
        if phase is None:
            return msg("diff.group-workflow").text(lang)
        for number, item in enumerate(self.new.phases, start=1):
            if item.id == phase:
                return msg("diff.group-phase", number=number, title=item.title).text(lang)
        old = self.old.phase(phase)
        return msg("diff.group-old-phase", title=old.title).text(lang)

    def text(self, lang: Lang = "de") -> str:
        """The diff as plain text, grouped by phase."""
        lang = check_lang(lang)
        lines = [
            msg(
                "diff.title",
                title=self.new.title,
                old=self.old.version,
                new=self.new.version,
            ).text(lang)
        ]
        if not self.changes:
            lines.append(msg("diff.none").text(lang))
        for phase, changes in self.groups():
            lines.append("")
            lines.append(self.heading(phase, lang))
            lines.extend(f"  - {change.message.text(lang)}" for change in changes)
        return "\n".join(lines) + "\n"

    def to_dict(self, lang: Lang = "de") -> dict[str, Any]:
        """A JSON-ready dict for tools: versions, hashes and the changes by phase."""
        lang = check_lang(lang)
        return {
            "workflow": self.new.id,
            "old": {"version": self.old.version, "hash": self.old.content_hash},
            "new": {"version": self.new.version, "hash": self.new.content_hash},
            "groups": [
                {
                    "phase": phase,
                    "heading": self.heading(phase, lang),
                    "changes": [change.to_dict(lang) for change in changes],
                }
                for phase, changes in self.groups()
            ],
        }


def diff_workflows(old: Workflow, new: Workflow) -> WorkflowDiff:
    """Compare two versions of a workflow.

    Args:
        old: The version processes run on today.
        new: The revised version.

    Returns:
        The changes, each assigned to a phase and worded in both languages.
    """
    return WorkflowDiff(old, new, tuple(_Differ(old, new).changes()))


# Attributes worded by a dedicated comparison; everything else is compared generically.
_SKIP_WORKFLOW = {
    "id",
    "version",
    "phases",
    "roles",
    "events",
    "artifacts",
    "decisions",
    "transitions",
}
_SKIP_PHASE = {"id", "title", "events", "artifacts", "exit", "renamed_from"}
_SKIP_FIELD = {"name", "required", "type"}


class _Differ:
    def __init__(self, old: Workflow, new: Workflow) -> None:
        self.old = old
        self.new = new
        # new phase id -> old phase id (same id, or declared renamed_from)
        self.match: dict[str, str] = {}
        old_ids = {p.id for p in old.phases}
        for phase in new.phases:
            source = getattr(phase, "renamed_from", None)
            if phase.id in old_ids:
                self.match[phase.id] = phase.id
            elif source in old_ids:
                self.match[phase.id] = str(source)
        self.matched_old = set(self.match.values())
        renamed = {source: target for target, source in self.match.items() if source != target}
        if renamed:  # references to a renamed phase are not changes of their own
            self.old = _rename_references(old, renamed)

    def changes(self) -> Iterator[Change]:
        yield from self._workflow()
        yield from self._roles()
        yield from self._phases()
        yield from self._keyed("event", self.old.events, self.new.events, self._event_phase)
        yield from self._artifacts()
        yield from self._decisions()
        yield from self._transitions()

    # -- where a part belongs ------------------------------------------------------------

    def _phase_of(self, test: Any) -> str | None:
        for phase in self.new.phases:
            if test(phase):
                return phase.id
        for phase in self.old.phases:
            if test(phase):
                return phase.id
        return None

    def _event_phase(self, event_id: str) -> str | None:
        return self._phase_of(lambda p: event_id in p.events)

    def _artifact_phase(self, artifact_id: str) -> str | None:
        return self._phase_of(lambda p: artifact_id in p.artifacts)

    def _decision_phase(self, decision_id: str) -> str | None:
        return self._phase_of(
            lambda p: any(c.kind == "decision" and c.target == decision_id for c in p.exit)
        )

    # -- the parts -------------------------------------------------------------------------

    def _workflow(self) -> Iterator[Change]:
        yield from _attributes(self.old, self.new, _SKIP_WORKFLOW, "workflow", self.new.id, None)

    def _roles(self) -> Iterator[Change]:
        yield from self._keyed("role", self.old.roles, self.new.roles, lambda _id: None)

    def _phases(self) -> Iterator[Change]:
        old_by_id = {p.id: p for p in self.old.phases}
        for phase in self.new.phases:
            source = self.match.get(phase.id)
            if source is None:
                yield Change(
                    "added", "phase", phase.id, phase.id, msg("diff.phase-added", title=phase.title)
                )
                continue
            before = old_by_id[source]
            if source != phase.id:
                yield Change(
                    "renamed",
                    "phase",
                    phase.id,
                    phase.id,
                    msg("diff.phase-renamed", old=source, new=phase.id),
                )
            yield from self._phase(before, phase)
        for phase in self.old.phases:
            if phase.id not in self.matched_old:
                yield Change(
                    "removed",
                    "phase",
                    phase.id,
                    phase.id,
                    msg("diff.phase-removed", title=phase.title),
                )
        yield from self._order()

    def _order(self) -> Iterator[Change]:
        old_order = [p.id for p in self.old.phases if p.id in self.matched_old]
        new_order = [self.match[p.id] for p in self.new.phases if p.id in self.match]
        if old_order == new_order:
            return
        position = {source: index for index, source in enumerate(old_order, start=1)}
        for index, source in enumerate(new_order, start=1):
            if position[source] != index:
                target = next(p for p in self.new.phases if self.match.get(p.id) == source)
                yield Change(
                    "moved",
                    "phase",
                    target.id,
                    target.id,
                    msg("diff.phase-moved", title=target.title, old=position[source], new=index),
                )

    def _phase(self, old: Phase, new: Phase) -> Iterator[Change]:
        if old.title != new.title:
            yield Change(
                "changed",
                "phase",
                new.id,
                new.id,
                msg("diff.phase-title", old=old.title, new=new.title),
            )
        for event_id in _added(old.events, new.events):
            event = self.new.event(event_id)
            yield Change(
                "added", "event", event_id, new.id, msg("diff.phase-event-added", title=event.title)
            )
        for event_id in _added(new.events, old.events):
            event = self.old.event(event_id)
            yield Change(
                "removed",
                "event",
                event_id,
                new.id,
                msg("diff.phase-event-removed", title=event.title),
            )
        for artifact_id in _added(old.artifacts, new.artifacts):
            artifact = self.new.artifact(artifact_id)
            yield Change(
                "added",
                "artifact",
                artifact_id,
                new.id,
                msg("diff.phase-artifact-added", title=artifact.title),
            )
        for artifact_id in _added(new.artifacts, old.artifacts):
            artifact = self.old.artifact(artifact_id)
            yield Change(
                "removed",
                "artifact",
                artifact_id,
                new.id,
                msg("diff.phase-artifact-removed", title=artifact.title),
            )
        yield from self._gates(old.exit, new.exit, new.id)
        yield from _attributes(old, new, _SKIP_PHASE, "phase", new.id, new.id)

    def _gates(
        self, old: tuple[Criterion, ...], new: tuple[Criterion, ...], phase: str
    ) -> Iterator[Change]:
        old_keys = {_gate_key(c): c for c in old}
        new_keys = {_gate_key(c): c for c in new}
        for key, criterion in new_keys.items():
            if key not in old_keys:
                yield Change(
                    "added",
                    "gate",
                    criterion.target,
                    phase,
                    msg("diff.gate-added", gate=self._describe(self.new, criterion)),
                )
            elif old_keys[key] != criterion:
                yield Change(
                    "changed",
                    "gate",
                    criterion.target,
                    phase,
                    msg(
                        "diff.gate-changed",
                        old=self._describe(self.old, old_keys[key]),
                        new=self._describe(self.new, criterion),
                    ),
                )
        for key, criterion in old_keys.items():
            if key not in new_keys:
                yield Change(
                    "removed",
                    "gate",
                    criterion.target,
                    phase,
                    msg("diff.gate-removed", gate=self._describe(self.old, criterion)),
                )

    def _describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        return _Described(workflow, criterion).message()

    def _keyed(
        self,
        area: str,
        old: Iterable[Any],
        new: Iterable[Any],
        phase_of: Any,
    ) -> Iterator[Change]:
        old_by_id = {item.id: item for item in old}
        new_by_id = {item.id: item for item in new}
        for item_id, item in new_by_id.items():
            before = old_by_id.get(item_id)
            if before is None:
                yield Change(
                    "added", area, item_id, phase_of(item_id), _added_message(area, item.title)
                )
            else:
                yield from _attributes(
                    before, item, {"id"}, area, item_id, phase_of(item_id), title=item.title
                )
        for item_id, item in old_by_id.items():
            if item_id not in new_by_id:
                yield Change(
                    "removed", area, item_id, phase_of(item_id), _removed_message(area, item.title)
                )

    def _artifacts(self) -> Iterator[Change]:
        old_by_id = {a.id: a for a in self.old.artifacts}
        new_by_id = {a.id: a for a in self.new.artifacts}
        for artifact_id, artifact in new_by_id.items():
            phase = self._artifact_phase(artifact_id)
            before = old_by_id.get(artifact_id)
            if before is None:
                yield Change(
                    "added",
                    "artifact",
                    artifact_id,
                    phase,
                    _added_message("artifact", artifact.title),
                )
                continue
            yield from _attributes(
                before,
                artifact,
                {"id", "fields"},
                "artifact",
                artifact_id,
                phase,
                title=artifact.title,
            )
            yield from _fields(before, artifact, phase)
        for artifact_id, artifact in old_by_id.items():
            if artifact_id not in new_by_id:
                yield Change(
                    "removed",
                    "artifact",
                    artifact_id,
                    self._artifact_phase(artifact_id),
                    _removed_message("artifact", artifact.title),
                )

    def _decisions(self) -> Iterator[Change]:
        old_by_id = {d.id: d for d in self.old.decisions}
        new_by_id = {d.id: d for d in self.new.decisions}
        for decision_id, decision in new_by_id.items():
            phase = self._decision_phase(decision_id)
            before = old_by_id.get(decision_id)
            if before is None:
                yield Change(
                    "added",
                    "decision",
                    decision_id,
                    phase,
                    _added_message("decision", decision.title),
                )
                continue
            if before.rule != decision.rule:
                yield Change(
                    "changed",
                    "decision",
                    decision_id,
                    phase,
                    msg(
                        "diff.decision-rule",
                        title=decision.title,
                        old=_rule(before.rule),
                        new=_rule(decision.rule),
                    ),
                )
            yield from _attributes(
                before,
                decision,
                {"id", "rule"},
                "decision",
                decision_id,
                phase,
                title=decision.title,
            )
        for decision_id, decision in old_by_id.items():
            if decision_id not in new_by_id:
                yield Change(
                    "removed",
                    "decision",
                    decision_id,
                    self._decision_phase(decision_id),
                    _removed_message("decision", decision.title),
                )

    def _transitions(self) -> Iterator[Change]:
        old_by_id = {t.id: t for t in self.old.transitions}
        new_by_id = {t.id: t for t in self.new.transitions}
        for transition_id, transition in new_by_id.items():
            before = old_by_id.get(transition_id)
            title = transition.title or Label(de=transition_id, en=transition_id)
            if before is None:
                yield Change(
                    "added",
                    "transition",
                    transition_id,
                    transition.source,
                    msg(
                        "diff.transition-added",
                        title=title,
                        source=transition.source,
                        target=transition.target,
                    ),
                )
                continue
            yield from self._gates(before.exit, transition.exit, transition.source)
            yield from _attributes(
                before,
                transition,
                {"id", "exit"},
                "transition",
                transition_id,
                transition.source,
                title=title,
            )
        for transition_id, transition in old_by_id.items():
            if transition_id not in new_by_id:
                title = transition.title or Label(de=transition_id, en=transition_id)
                yield Change(
                    "removed",
                    "transition",
                    transition_id,
                    transition.source if transition.source in self.match else None,
                    msg("diff.transition-removed", title=title),
                )


@frozen
class _Described:
    """A criterion described in its workflow, as a message-like parameter."""

    workflow: Workflow
    criterion: Criterion

    def get(self, lang: Lang = "de") -> str:
        return describe_criterion(self.workflow, self.criterion, lang)

    def message(self) -> Message:
        return msg("diff.quoted", text=self)


def _rename_references(workflow: Workflow, renamed: dict[str, str]) -> Workflow:
    """``workflow`` with every reference to a renamed phase written with its new id."""

    def rename(phase_id: str) -> str:
        return renamed.get(phase_id, phase_id)

    phases = tuple(
        attrs.evolve(p, next=None if p.next is None else rename(p.next)) for p in workflow.phases
    )
    transitions = tuple(
        attrs.evolve(t, source=rename(t.source), target=rename(t.target))
        for t in workflow.transitions
    )
    return attrs.evolve(workflow, phases=phases, transitions=transitions)


def _gate_key(criterion: Criterion) -> tuple[str, str]:
    return criterion.kind, criterion.target


def _added(before: Iterable[str], after: Iterable[str]) -> list[str]:
    known = set(before)
    return [item for item in after if item not in known]


def _fields(old: ArtifactType, new: ArtifactType, phase: str | None) -> Iterator[Change]:
    old_fields = {f.name: f for f in old.fields}
    new_fields = {f.name: f for f in new.fields}
    for name, spec in new_fields.items():
        subject = f"{new.id}.{name}"
        before = old_fields.get(name)
        title = spec.title or Label(de=name, en=name)
        if before is None:
            code_message = (
                msg("diff.field-added-required", artifact=new.title, field=title)
                if spec.required
                else msg("diff.field-added", artifact=new.title, field=title)
            )
            yield Change("added", "field", subject, phase, code_message)
            continue
        if before.required != spec.required:
            message = (
                msg("diff.field-now-required", artifact=new.title, field=title)
                if spec.required
                else msg("diff.field-now-optional", artifact=new.title, field=title)
            )
            yield Change("changed", "field", subject, phase, message)
        if before.type != spec.type:
            yield Change(
                "changed",
                "field",
                subject,
                phase,
                msg(
                    "diff.field-type",
                    artifact=new.title,
                    field=title,
                    old=before.type,
                    new=spec.type,
                ),
            )
        yield from _attributes(
            before, spec, _SKIP_FIELD, "field", subject, phase, title=_FieldTitle(new, title)
        )
    for name, spec in old_fields.items():
        if name not in new_fields:
            title = spec.title or Label(de=name, en=name)
            yield Change(
                "removed",
                "field",
                f"{new.id}.{name}",
                phase,
                msg("diff.field-removed", artifact=new.title, field=title),
            )


@frozen
class _FieldTitle:
    artifact: ArtifactType
    field: Label

    def get(self, lang: Lang = "de") -> str:
        return f"{self.artifact.title.get(lang)} › {self.field.get(lang)}"


def _attributes(
    old: Any,
    new: Any,
    skip: set[str],
    area: str,
    subject: str,
    phase: str | None,
    *,
    title: Any = None,
) -> Iterator[Change]:
    """Generic changes of the attributes not worded by a dedicated comparison."""
    for attribute in attrs.fields(type(new)):
        if attribute.name in skip or "description" not in attribute.metadata:
            continue
        before = getattr(old, attribute.name, None)
        after = getattr(new, attribute.name, None)
        if before == after:
            continue
        key = attribute.metadata.get("key") or attribute.name
        values = {"key": key, "old": _Value(before), "new": _Value(after)}
        message = (
            msg("diff.value-changed", **values)
            if title is None
            else msg("diff.value-changed-of", title=title, **values)
        )
        yield Change("changed", area, subject, phase, message)


@frozen
class _Value:
    """A value of the file shown in a change line (labels in the reader's language)."""

    value: Any

    def get(self, lang: Lang = "de") -> str:
        return _show(self.value, lang)


def _show(value: Any, lang: Lang) -> str:
    if value is None or value == ():
        return "—"
    if isinstance(value, Label):
        return value.get(lang)
    if isinstance(value, bool):
        return (msg("diff.yes") if value else msg("diff.no")).text(lang)
    if isinstance(value, tuple):
        return ", ".join(_show(item, lang) for item in value)
    if isinstance(value, FieldSpec):
        return value.type
    if attrs.has(type(value)):
        return getattr(value, "id", None) or type(value).__name__
    return str(value)


def _rule(rule: str) -> Message:
    return {
        "majority": msg("diff.rule-majority"),
        "two_thirds": msg("diff.rule-two-thirds"),
        "unanimous": msg("diff.rule-unanimous"),
        "consensus": msg("diff.rule-consensus"),
    }.get(rule, msg("diff.quoted", text=rule))


def _added_message(area: str, title: Label) -> Message:
    return {
        "role": msg("diff.role-added", title=title),
        "event": msg("diff.event-added", title=title),
        "artifact": msg("diff.artifact-added", title=title),
        "decision": msg("diff.decision-added", title=title),
    }[area]


def _removed_message(area: str, title: Label) -> Message:
    return {
        "role": msg("diff.role-removed", title=title),
        "event": msg("diff.event-removed", title=title),
        "artifact": msg("diff.artifact-removed", title=title),
        "decision": msg("diff.decision-removed", title=title),
    }[area]
