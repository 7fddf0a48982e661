"""Which documents a process state allows, and their stable file names.

:func:`plan_documents` lists, for every cycle so far: each artifact version,
an invitation and (if its protocol was recorded) the minutes of each held
event, a Phasenabschlussbericht for each phase visit that was left, and one
Prozessbericht. File names depend only on the log, never on the time of
rendering, so a folder written twice from the same state is identical::

    prozessbericht.md
    beteiligungsdokumentation.md      (once participation was recorded)
    zyklus-1/01-identifizieren/auftrag-v1.md
    zyklus-1/01-identifizieren/veranstaltungen/2025-03-04-multiplikatorenveranstaltung-einladung.md
    zyklus-1/01-identifizieren/veranstaltungen/2025-03-04-multiplikatorenveranstaltung-protokoll.md
    zyklus-1/01-identifizieren/phasenabschlussbericht.md
    zyklus-1/04-ziele_festlegen/zielkatalog-v1.md
"""

from __future__ import annotations

from attrs import frozen

from sozialraumprozess.runtime.process import Process
from sozialraumprozess.steering.chain import chain_used
from sozialraumprozess.steering.participation import has_participation

__all__ = ["DocumentSpec", "plan_documents", "slug"]


@frozen
class DocumentSpec:
    """One document the state allows (not yet rendered).

    Attributes:
        kind: ``artifact``, ``item``, ``invitation``, ``planned_invitation`` (an open
            planned event, format v2), ``minutes``, ``phase_report``, ``process_report``,
            ``chain`` (the *Wirkungskette*, when the workflow keeps a steering chain).
            ``participation`` (the Beteiligungsdokumentation, format v2).
        subject: Artifact id, event type id, phase id or ``process``.
        stem: The file name without the format suffix (``zyklus-1/…/zielkatalog-v1``).
        cycle: The cycle, ``None`` for the process report.
        version: Artifact version number (artifacts and minutes).
        index: Position of the held event (events), phase visit (phase reports) or
            item (items, in creation order).
        key: The item's key (items).
    """

    kind: str
    subject: str
    stem: str
    cycle: int | None = None
    version: int | None = None
    index: int | None = None
    key: str | None = None


#: German letters spelt out in file names (code points: the words' letters are data).
_UMLAUTS = str.maketrans({chr(0xE4): "ae", chr(0xF6): "oe", chr(0xFC): "ue", chr(0xDF): "ss"})


def slug(text: str) -> str:
    """A file name part for ``text``: ``Treffpunkt Süd`` → ``treffpunkt-sued``."""
    lowered = text.lower().translate(_UMLAUTS)
    out = "".join(c if c.isascii() and c.isalnum() else "-" for c in lowered)
    return "-".join(part for part in out.split("-") if part)[:60] or "eintrag"


def _folder(process: Process, cycle: int, phase: str) -> str:
    number = process.workflow.phase_index(phase) + 1
    return f"zyklus-{cycle}/{number:02d}-{phase}"


def plan_documents(process: Process) -> tuple[DocumentSpec, ...]:
    """Every document the current state of ``process`` allows, in a stable order."""
    specs: list[DocumentSpec] = [DocumentSpec("process_report", "process", "prozessbericht")]
    if has_participation(process):  # format v2, issue 12 §6
        specs.append(DocumentSpec("participation", "process", "beteiligungsdokumentation"))
    linked: set[tuple[str, int]] = set()
    used: set[str] = set()

    def unique(stem: str) -> str:
        candidate, n = stem, 1
        while candidate in used:
            n += 1
            candidate = f"{stem}-{n}"
        used.add(candidate)
        return candidate

    for index, held in enumerate(process.held_events):
        kind = process.workflow.event(held.event)
        base = unique(
            f"{_folder(process, held.cycle, held.phase)}/veranstaltungen/{held.date}-{held.event}"
        )
        specs.append(
            DocumentSpec("invitation", held.event, f"{base}-einladung", held.cycle, index=index)
        )
        if kind.protocol is not None and held.protocol is not None:
            linked.add((kind.protocol, held.protocol))
            specs.append(
                DocumentSpec(
                    "minutes", held.event, f"{base}-protokoll", held.cycle, held.protocol, index
                )
            )
    for index, plan in enumerate(process.planned_events):  # format v2: planned events
        if plan.status != "planned":
            continue  # held: the held event's invitation shows the plan; cancelled: none
        base = unique(
            f"{_folder(process, plan.cycle, plan.phase)}/veranstaltungen/"
            f"{plan.date}-{plan.event}-einladung"
        )
        specs.append(DocumentSpec("planned_invitation", plan.event, base, plan.cycle, index=index))
    for artifact in process.workflow.artifacts:
        for version in process.versions(artifact.id):
            if (artifact.id, version.version) in linked:
                continue
            folder = _folder(process, version.cycle, version.phase)
            stem = unique(f"{folder}/{artifact.id}-v{version.version}")
            specs.append(
                DocumentSpec("artifact", artifact.id, stem, version.cycle, version.version)
            )
    for artifact in process.workflow.artifacts:
        if artifact.items is None:
            continue
        for index, item in enumerate(process.state.items(artifact.id)):
            folder = _folder(process, item.cycle, item.phase)
            stem = unique(f"{folder}/{artifact.id}/{slug(item.key)}")
            specs.append(
                DocumentSpec("item", artifact.id, stem, item.cycle, item.version, index, item.key)
            )
    if chain_used(process.workflow):  # the steering chain: one Wirkungskette
        specs.append(DocumentSpec("chain", "process", unique("wirkungskette")))
    for index, visit in enumerate(process.visits):
        if visit.left_at is None:
            continue
        stem = unique(f"{_folder(process, visit.cycle, visit.phase)}/phasenabschlussbericht")
        specs.append(DocumentSpec("phase_report", visit.phase, stem, visit.cycle, index=index))
    return tuple(specs)
