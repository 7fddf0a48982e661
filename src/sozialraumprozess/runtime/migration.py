"""What moving a running process to a revised workflow means for *this* process.

:func:`check_migration` compares the definition a process runs on with a revised
one (:func:`~sozialraumprozess.definition.diff.diff_workflows`) and reads each
change against the process's phase, cycle and data. Every finding is classed:

``safe``
    Nothing to do: e.g. a new exit criterion of a phase the process has already
    completed this cycle counts as met (*Bestandsschutz*), a change to a phase
    still ahead applies once the process gets there.
``attention``
    The process can move, but someone will meet the change: a new required field
    that the current version of an artifact lacks is asked for at the next
    submission; an exit criterion of the current phase that is not met yet.
    An artifact dropped from a phase's list stays in the history and no
    longer counts.
``blocks``
    The process cannot move as asked: its current (or a visited) phase does not
    exist in the revision and no ``--map old=new`` says where it went, the
    revision is of another workflow, or it is the version the process runs on, or
    it removes an artifact, event or decision type the process has records of
    (their documents need the definition: drop it from the phase instead).

:meth:`Process.migrate <sozialraumprozess.runtime.process.Process.migrate>`
refuses a migration with a blocking finding and otherwise appends one
``workflow_migrated`` event; the report is what ``sozialraum migrate --dry-run``
shows.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from attrs import frozen

from sozialraumprozess.definition.diff import Change, diff_workflows
from sozialraumprozess.definition.model import Label, Workflow
from sozialraumprozess.i18n import Lang, Message, check_lang, msg
from sozialraumprozess.runtime.records import WorkflowRef

if TYPE_CHECKING:
    from sozialraumprozess.runtime.process import Process

__all__ = ["LEVELS", "Finding", "Level", "MigrationReport", "check_migration"]

#: How a finding weighs: nothing to do, someone will meet it, or the move is refused.
Level = Literal["safe", "attention", "blocks"]

#: The levels, mildest first.
LEVELS: tuple[Level, ...] = ("safe", "attention", "blocks")


@frozen
class Finding:
    """One consequence of a migration for one process.

    Attributes:
        level: ``safe``, ``attention`` or ``blocks``.
        message: What it means, as a catalog message.
    """

    level: Level
    message: Message

    def to_dict(self, lang: Lang = "de") -> dict[str, Any]:
        """``{"level", "text"}`` with the text in ``lang``."""
        return {"level": self.level, "text": self.message.text(check_lang(lang))}


@frozen
class MigrationReport:
    """The compatibility report of one process and one revised definition.

    Attributes:
        source: The definition the process runs on.
        target: The revised definition.
        phase: The process's current phase (old id).
        new_phase: Where it stands after the move (``None`` if that is unknown).
        mapping: The phase mapping a migration records: old id → new id, from
            ``--map`` and from phases that declare ``renamed_from``.
        findings: Every finding, blocking ones first.
    """

    source: WorkflowRef
    target: WorkflowRef
    phase: str
    new_phase: str | None
    mapping: tuple[tuple[str, str], ...]
    findings: tuple[Finding, ...]

    @property
    def blocked(self) -> bool:
        """Whether a finding blocks the migration."""
        return any(f.level == "blocks" for f in self.findings)

    def count(self, level: Level) -> int:
        """How many findings have ``level``."""
        return sum(1 for f in self.findings if f.level == level)

    def text(self, lang: Lang = "de") -> str:
        """The report as lines a consultant reads (a summary, then one line per finding)."""
        lang = check_lang(lang)
        lines = [
            msg(
                "migration.summary",
                old=self.source.version,
                new=self.target.version,
                safe=self.count("safe"),
                attention=self.count("attention"),
                blocks=self.count("blocks"),
            ).text(lang)
        ]
        labels = {
            "safe": msg("migration.level-safe"),
            "attention": msg("migration.level-attention"),
            "blocks": msg("migration.level-blocks"),
        }
        lines += [f"  [{labels[f.level].text(lang)}] {f.message.text(lang)}" for f in self.findings]
        return "\n".join(lines) + "\n"

    def to_dict(self, lang: Lang = "de") -> dict[str, Any]:
        """A JSON-ready dict for tools."""
        lang = check_lang(lang)
        return {
            "from": _ref(self.source),
            "to": _ref(self.target),
            "phase": self.phase,
            "new_phase": self.new_phase,
            "mapping": dict(self.mapping),
            "blocked": self.blocked,
            "findings": [f.to_dict(lang) for f in self.findings],
        }


#: Diff messages of a removed artifact, event or decision type.
_TYPE_REMOVED = frozenset(("diff.artifact-removed", "diff.event-removed", "diff.decision-removed"))


def _ref(ref: WorkflowRef) -> dict[str, str]:
    return {"id": ref.id, "version": ref.version, "content_hash": ref.content_hash}


def check_migration(
    process: Process, target: Workflow, mapping: Mapping[str, str]
) -> MigrationReport:
    """The compatibility report of moving ``process`` to ``target`` (see the module)."""
    return _Check(process, target, mapping).report()


class _Check:
    def __init__(self, process: Process, target: Workflow, mapping: Mapping[str, str]) -> None:
        self.process = process
        self.old = process.workflow
        self.new = target
        self.findings: list[Finding] = []
        self.old_ids = [p.id for p in self.old.phases]
        self.new_ids = [p.id for p in target.phases]
        self.mapping: dict[str, str] = {}
        for phase in target.phases:
            source = getattr(phase, "renamed_from", None)
            if isinstance(source, str) and source in self.old_ids:
                self.mapping[source] = phase.id
        for old_id, new_id in mapping.items():
            if old_id not in self.old_ids:
                self.block(msg("migration.map-unknown-old", phase=old_id))
            elif new_id not in self.new_ids:
                self.block(msg("migration.map-unknown-new", phase=new_id, old=old_id))
            else:
                self.mapping[old_id] = new_id

    def block(self, message: Message) -> None:
        self.findings.append(Finding("blocks", message))

    def add(self, level: Level, message: Message) -> None:
        self.findings.append(Finding(level, message))

    def mapped(self, phase: str) -> str | None:
        if phase in self.mapping:
            return self.mapping[phase]
        return phase if phase in self.new_ids else None

    def report(self) -> MigrationReport:
        state = self.process.state
        if self.new.id != self.old.id:
            self.block(msg("migration.other-workflow", id=self.new.id, pinned=self.old.id))
        if self.new.content_hash == self.old.content_hash:
            self.block(msg("migration.same-version", version=self.new.version))
        phase = state.phase
        new_phase = self.mapped(phase)
        old_title = self.old.phase(phase).title
        if new_phase is None:
            self.block(msg("migration.phase-gone", title=old_title, phase=phase))
        else:
            self.add(
                "safe",
                msg(
                    "migration.phase-kept",
                    title=old_title,
                    new=self.new.phase(new_phase).title,
                    number=self.new_ids.index(new_phase) + 1,
                ),
            )
        for visited in dict.fromkeys(v.phase for v in state.visit_entries):
            if visited != phase and self.mapped(visited) is None:
                title = self.old.phase(visited).title if visited in self.old_ids else visited
                self.block(msg("migration.visited-gone", title=title, phase=visited))
        if new_phase is not None:
            done = {self.mapped(p) for p in state.cycle_phases if p != phase}
            for change in diff_workflows(self.old, self.new).changes:
                self.classify(change, new_phase, done)
            if not self.blocked_so_far():
                self.trial(new_phase)
        order = {level: index for index, level in enumerate(reversed(LEVELS))}
        findings = sorted(self.findings, key=lambda f: order[f.level])
        return MigrationReport(
            WorkflowRef(self.old.id, self.old.version, self.old.content_hash),
            WorkflowRef(self.new.id, self.new.version, self.new.content_hash),
            phase,
            new_phase,
            tuple(sorted((k, v) for k, v in self.mapping.items() if k != v)),
            tuple(findings),
        )

    def blocked_so_far(self) -> bool:
        return any(f.level == "blocks" for f in self.findings)

    def classify(self, change: Change, current: str, done: set[str | None]) -> None:
        text = change.message
        if change.phase is not None and change.area != "phase" and change.phase in self.new_ids:
            number = self.new_ids.index(change.phase) + 1
            text = msg("migration.in-phase", number=number, change=text)
        if change.area == "gate" and change.kind in ("added", "changed"):
            if change.phase in done:
                self.add("safe", msg("migration.gate-done", change=text))
            elif change.phase == current:
                self.add("attention", msg("migration.gate-current", change=text))
            else:
                self.add("safe", msg("migration.gate-later", change=text))
            return
        if change.area == "field" and change.kind in ("added", "changed"):
            self.field(change)
            return
        removed_with_records = (
            change.message.code in _TYPE_REMOVED  # the type itself, not its place in a phase
            and self.has_records(change.area, change.subject)
        )
        if removed_with_records:  # its documents and history rows need the type's definition
            self.block(msg("migration.records-need-type", change=text, id=change.subject))
            return
        dropped_with_records = (
            change.kind == "removed"
            and change.area in ("artifact", "event")
            and self.has_records(change.area, change.subject)
        )
        if dropped_with_records:
            self.add("attention", msg("migration.records-kept", change=text))
            return
        if change.kind == "removed" and change.area == "role":
            names = [
                p.name
                for p in self.process.state.participants.values()
                if change.subject in p.roles
            ]
            if names:
                self.add(
                    "attention",
                    msg("migration.role-participants", change=text, names=", ".join(names)),
                )
                return
        if change.area == "decision" and change.kind == "changed":
            if self.has_records("decision", change.subject):
                self.add("safe", msg("migration.decisions-kept", change=text))
                return
            if change.phase == current:
                self.add("attention", msg("migration.decision-pending", change=text))
                return
        self.add("safe", msg("migration.change", change=text))

    def has_records(self, area: str, ident: str) -> bool:
        state = self.process.state
        if area == "artifact":
            return bool(state.artifact_entries.get(ident))
        if area == "event":
            return any(h.event == ident for h in state.held_entries)
        return any(d.decision == ident for d in state.decision_entries)

    def field(self, change: Change) -> None:
        artifact_id, _, name = change.subject.partition(".")
        spec = self.new.artifact(artifact_id).field(name)
        latest = self.process.latest(artifact_id)
        if spec is None or latest is None:
            self.add("safe", msg("migration.change", change=change.message))
            return
        value = latest.data.get(name)
        empty = value is None or value == "" or value == [] or value == {}
        if spec.required and empty:
            self.add(
                "attention",
                msg(
                    "migration.field-missing",
                    title=self.new.artifact(artifact_id).title,
                    version=latest.version,
                    field=spec.title or Label(de=name, en=name),
                ),
            )
        elif not empty and change.message.code == "diff.field-type":
            self.add("attention", msg("migration.field-retyped", change=change.message))
        else:
            self.add("safe", msg("migration.change", change=change.message))

    def trial(self, new_phase: str) -> None:
        """Move a copy of the process and list what the current phase then still lacks."""
        from sozialraumprozess.runtime.events import WorkflowMigrated
        from sozialraumprozess.runtime.process import Process

        process = self.process
        trial = Process(process.workflow, clock=process.clock)
        trial.state = copy.deepcopy(process.state)
        event = WorkflowMigrated(
            process.pinned,
            WorkflowRef(self.new.id, self.new.version, self.new.content_hash),
            tuple(sorted(self.mapping.items())),
            "trial",
        )
        actor = process.log[-1].actor
        trial._commit(event, actor, switch_to=self.new)
        before = {b.msg.text("de") for b in process.blockers()}
        for blocker in trial.blockers():
            if blocker.msg.text("de") not in before:
                title = self.new.phase(new_phase).title
                self.add(
                    "attention", msg("migration.new-blocker", title=title, blocker=blocker.msg)
                )
