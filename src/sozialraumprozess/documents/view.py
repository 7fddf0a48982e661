"""The read-only view of a process that templates see.

Templates never get the :class:`~sozialraumprozess.runtime.Process` or the
:class:`~sozialraumprozess.definition.Workflow` objects: they get fresh,
immutable copies made of :class:`types.MappingProxyType` mappings, tuples,
strings, numbers, dates and datetimes — the workflow, the process, the
Sozialraum, participants, phase visits, held events, decisions and document
versions. Artifact data is deep-copied the same way (lists become tuples).

For Markdown, every text that comes from people (artifact data, names, notes,
titles) is escaped while the view is built (:func:`markdown_escape`: line breaks
become spaces, and every character with a meaning in CommonMark gets a
backslash), so user text can neither open raw HTML, become a link or an image,
nor break a table row or start a heading or list; ids stay as they are. HTML is
escaped by Jinja's autoescaping.

:class:`ProcessView` holds these parts for one process state, language and
format; it is built once and shared by every document rendered from that state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from attrs import frozen

from sozialraumprozess.definition.model import ArtifactType, FieldSpec, Label, Workflow
from sozialraumprozess.documents.strings import is_year, outcome_label, via_label
from sozialraumprozess.i18n import Lang, msg
from sozialraumprozess.runtime.decisions import vote_summary
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.pseudonyms import display_name, is_person_id
from sozialraumprozess.runtime.records import (
    Actor,
    ArtifactVersion,
    DecisionRecord,
    HeldEvent,
    ItemRecord,
    PlannedEvent,
)

__all__ = [
    "INTERNAL",
    "NamePolicy",
    "ProcessView",
    "build_view",
    "freeze",
    "item_view",
    "markdown_escape",
    "version_view",
]

View = MappingProxyType[str, Any]
Escape = Callable[[str], str]


#: Characters that mean something in CommonMark (inline or at a line's start);
#: each gets a backslash (CommonMark allows one before any ASCII punctuation).
_MD_SPECIAL = re.compile(r"([\\`\[\]<>!|#&])")
#: Line breaks of every kind (a break would end a table row or start a block).
_MD_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
#: What starts a list, a setext underline or an ordered list at a line's start.
_MD_LEAD = re.compile(r"^(\s*)([-+=*_~])")
_MD_NUMBERED = re.compile(r"^(\s*\d+)([.)])")


def markdown_escape(text: str) -> str:
    """``text`` as literal text in CommonMark, fit for a paragraph, heading or table cell.

    Line breaks become spaces; backslash, backtick, ``[ ] < > ! | # &`` get a
    backslash (so no link, image, raw HTML, entity, code span or table cell border
    comes from it); a leading ``- + = * _ ~`` or the ``.``/``)`` of a leading
    ``1.`` is escaped too (no list, rule or fence). Emphasis stays possible: it
    cannot carry a link and ids with ``_`` stay readable.
    """
    if _MD_BREAKS.search(text):
        text = _MD_BREAKS.sub(" ", text)
    if _MD_SPECIAL.search(text):
        text = _MD_SPECIAL.sub(r"\\\1", text)
    lead = _MD_LEAD.match(text) or _MD_NUMBERED.match(text)
    if lead:
        text = text[: lead.start(2)] + "\\" + text[lead.start(2) :]
    return text


def _same(text: str) -> str:
    return text


def freeze(value: Any, esc: Escape = _same) -> Any:
    """A deep read-only copy of JSON-like data: mappings → MappingProxyType, lists → tuples.

    Args:
        value: The data.
        esc: Applied to every string value (not to keys).
    """
    if isinstance(value, str):
        return esc(value)
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): freeze(v, esc) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v, esc) for v in value)
    return value


def _v(**items: Any) -> View:
    return MappingProxyType(items)


def _label(label: Label | None, lang: Lang, esc: Escape = _same) -> str | None:
    return None if label is None else esc(label.get(lang))


def _field(spec: FieldSpec, lang: Lang, esc: Escape) -> View:
    fields = tuple(_field(f, lang, esc) for f in spec.fields)
    return _v(
        name=spec.name,
        type=spec.type,
        year=is_year(spec),
        title=_label(spec.title, lang, esc) or spec.name,
        required=spec.required,
        choices=spec.choices,
        labels=MappingProxyType(
            {
                v: esc(label.get(lang))
                for v, label in zip(spec.choices, spec.choice_labels, strict=False)
            }
        ),
        items=None if spec.items is None else _field(spec.items, lang, esc),
        fields=fields,
        by_name=MappingProxyType({f["name"]: f for f in fields}),
    )


def _titles(fields: tuple[View, ...]) -> View:
    """``{name: title}`` of fields and, for lists of objects, ``{list.item: title}``."""
    titles: dict[str, str] = {}
    for f in fields:
        titles[f["name"]] = f["title"]
        inner = f["items"]["fields"] if f["items"] is not None else f["fields"]
        for sub in inner:
            titles[f"{f['name']}.{sub['name']}"] = sub["title"]
    return MappingProxyType(titles)


def _artifact(a: ArtifactType, lang: Lang, esc: Escape) -> View:
    fields = tuple(_field(f, lang, esc) for f in a.fields)
    return _v(
        id=a.id,
        title=esc(a.title.get(lang)),
        description=_label(a.description, lang, esc),
        owner=a.owner,
        approved_by=a.approved_by,
        fields=fields,
        titles=_titles(fields),
    )


def _workflow(workflow: Workflow, lang: Lang, esc: Escape) -> View:
    roles = {
        r.id: _v(
            id=r.id, title=esc(r.title.get(lang)), description=_label(r.description, lang, esc)
        )
        for r in workflow.roles
    }
    return _v(
        id=workflow.id,
        version=workflow.version,
        title=esc(workflow.title.get(lang)),
        description=_label(workflow.description, lang, esc),
        source=None if workflow.source is None else esc(workflow.source),
        content_hash=workflow.content_hash,
        roles=MappingProxyType(roles),
        phases=tuple(
            _v(
                id=p.id,
                number=i + 1,
                title=esc(p.title.get(lang)),
                description=_label(p.description, lang, esc),
                responsible=p.responsible,
                duration=p.duration,
                events=p.events,
                artifacts=p.artifacts,
            )
            for i, p in enumerate(workflow.phases)
        ),
        artifacts=MappingProxyType({a.id: _artifact(a, lang, esc) for a in workflow.artifacts}),
        events=MappingProxyType(
            {
                e.id: _v(
                    id=e.id,
                    title=esc(e.title.get(lang)),
                    description=_label(e.description, lang, esc),
                    organizer=e.organizer,
                    protocol=e.protocol,
                )
                for e in workflow.events
            }
        ),
        decisions=MappingProxyType(
            {
                d.id: _v(
                    id=d.id,
                    title=esc(d.title.get(lang)),
                    body=d.body,
                    rule=d.rule,
                    quorum=d.quorum,
                )
                for d in workflow.decisions
            }
        ),
    )


@frozen
class NamePolicy:
    """How participant names appear in documents.

    Erased persons (a bare pseudonymous id) always appear as "[gelöscht]" /
    "[erased]". In a *public* document a natural person (a participant of
    kind ``person``) appears by name only if listed in ``consented`` (consent
    for ``publication``), else as "[nicht veröffentlicht]" / "[withheld]",
    without contact data.

    Attributes:
        public: Render for the public (*öffentlich*) instead of internal use (*intern*).
        consented: Names of persons who consented to publication.
    """

    public: bool = False
    consented: frozenset[str] = frozenset()

    def shown(self, name: str, process: Process, lang: Lang) -> str:
        """The text shown for participant ``name``."""
        if is_person_id(name):
            return display_name(name, lang)
        if self.public and name not in self.consented:
            participant = process.state.participants.get(name)
            if participant is None or participant.kind == "person":
                return msg("people.withheld").text(lang)
        return name

    def hides_contact(self, name: str) -> bool:
        """True if the contact data of ``name`` must not be shown."""
        return is_person_id(name) or (self.public and name not in self.consented)


INTERNAL = NamePolicy()


def role_title(workflow: Workflow, role: str, lang: Lang) -> str:
    """The title of role ``role`` in ``lang`` (the id itself if the workflow has no such role)."""
    found = next((r for r in workflow.roles if r.id == role), None)
    return role if found is None else found.title.get(lang)


def _actor(
    actor: Actor | None,
    esc: Escape,
    names: Callable[[str], str] | None = None,
    workflow: Workflow | None = None,
    lang: Lang = "de",
) -> str | None:
    """Who acted, by role title (``Kommune``) or ``Name (Kommune)``; never the role id."""
    if actor is None:
        return None
    role = actor.role if workflow is None else role_title(workflow, actor.role, lang)
    if actor.participant is None:
        return esc(role)
    name = actor.participant if names is None else names(actor.participant)
    if name == role:
        return esc(role)
    return esc(f"{name} ({role})")


def version_view(
    version: ArtifactVersion,
    workflow: Workflow,
    lang: Lang,
    esc: Escape = _same,
    names: Callable[[str], str] | None = None,
) -> View:
    """One artifact version: metadata plus its frozen ``data``."""
    return _v(
        artifact=version.artifact,
        title=esc(workflow.artifact(version.artifact).title.get(lang)),
        version=version.version,
        cycle=version.cycle,
        phase=version.phase,
        phase_title=esc(workflow.phase(version.phase).title.get(lang)),
        submitted_by=_actor(version.submitted_by, esc, names, workflow, lang),
        submitted_at=version.submitted_at,
        approved=version.approved,
        approved_by=_actor(version.approved_by, esc, names, workflow, lang),
        approved_at=version.approved_at,
        confirmed_cycles=version.confirmed_cycles,
        note=None if version.note is None else esc(version.note),
        seq=version.seq,
        data=freeze(version.data, esc),
    )


def _decision(
    record: DecisionRecord,
    workflow: Workflow,
    lang: Lang,
    esc: Escape,
    names: Callable[[str], str] | None = None,
) -> View:
    kind = workflow.decision(record.decision)
    votes = None
    if record.yes is not None:
        votes = vote_summary(record.yes, record.no or 0, record.abstain or 0, lang)
    return _v(
        decision=record.decision,
        title=esc(kind.title.get(lang)),
        body=esc(workflow.role(kind.body).title.get(lang)),
        date=record.date,
        yes=record.yes,
        no=record.no,
        abstain=record.abstain,
        consensus=record.consensus,
        present=record.present,
        text=None if record.text is None else esc(record.text),
        passed=record.result.passed,
        code=record.result.code,
        summary=record.result.message(lang),
        votes=votes,
        amount=record.amount,
        adopted=record.adopted,
        outcome=outcome_label(record.result.code, record.yes, record.no, lang),
        phase=record.phase,
        cycle=record.cycle,
        recorded_by=_actor(record.recorded_by, esc, names, workflow, lang),
        seq=record.seq,
    )


def _plan(
    plan: PlannedEvent,
    workflow: Workflow,
    lang: Lang,
    index: int,
    esc: Escape,
    names: Callable[[str], str] | None = None,
    contact: Callable[[Actor], str | None] | None = None,
) -> View:
    """A planned event (format v2): the facts its invitation needs.

    ``sender`` is who planned it (``Name (Rolle)``), ``sender_name`` and
    ``sender_role`` the two parts, ``contact`` the sender's contact data (the
    participant's, else the first active member of the sender's role with one).
    """
    kind = workflow.event(plan.event)
    organizer = esc(workflow.role(kind.organizer).title.get(lang)) if kind.organizer else None
    roles = {r.id: esc(r.title.get(lang)) for r in workflow.roles}
    actor = plan.planned_by
    sender_role = esc(role_title(workflow, actor.role, lang))
    sender_name = None
    if actor.participant is not None:
        shown = actor.participant if names is None else names(actor.participant)
        sender_name = None if shown == role_title(workflow, actor.role, lang) else esc(shown)
    found = None if contact is None else contact(actor)
    return _v(
        index=index,
        event=plan.event,
        title=esc(kind.title.get(lang)),
        description=_label(kind.description, lang, esc),
        organizer=organizer,
        date=plan.date,
        time=plan.time,
        end=plan.end,
        until=plan.until,
        reply_by=plan.reply_by,
        place=None if plan.place is None else esc(plan.place),
        agenda=tuple(esc(item) for item in plan.agenda),
        invited=tuple(roles.get(r, r) for r in plan.invited),
        note=None if plan.note is None else esc(plan.note),
        sender=_actor(actor, esc, names, workflow, lang),
        sender_name=sender_name,
        sender_role=sender_role,
        contact=None if found is None else esc(found),
        planned_on=plan.planned_on.isoformat(),
        status=plan.status,
        previous=plan.previous,
        reason=None if plan.reason is None else esc(plan.reason),
        phase=plan.phase,
        phase_title=esc(workflow.phase(plan.phase).title.get(lang)),
        cycle=plan.cycle,
        seq=plan.seq,
    )


def _event(
    held: HeldEvent,
    workflow: Workflow,
    lang: Lang,
    index: int,
    esc: Escape,
    names: Callable[[str], str] | None = None,
) -> View:
    kind = workflow.event(held.event)
    organizer = esc(workflow.role(kind.organizer).title.get(lang)) if kind.organizer else None
    return _v(
        index=index,
        event=held.event,
        title=esc(kind.title.get(lang)),
        description=_label(kind.description, lang, esc),
        organizer=organizer,
        date=held.date,
        participants=held.participants,
        notes=None if held.notes is None else esc(held.notes),
        protocol=held.protocol,
        protocol_artifact=kind.protocol,
        phase=held.phase,
        phase_title=esc(workflow.phase(held.phase).title.get(lang)),
        cycle=held.cycle,
        recorded_by=_actor(held.recorded_by, esc, names, workflow, lang),
        seq=held.seq,
        until=held.until,
        plan=held.plan,
    )


@frozen
class ProcessView:
    """The read-only parts shared by every document of one process state.

    Attributes:
        seq: The process state (sequence number of the last log event).
        lang: The language of labels and texts.
        format: ``md`` (text escaped for Markdown) or ``html``.
        base: The template variables common to all documents: ``workflow``,
            ``process``, ``sozialraum``, ``participants``, ``visits``, ``events``,
            ``decisions``, ``documents``, ``items`` (format v2: per item artifact
            with items, its ``title``, ``key_title`` and ``items``), ``planned``
            (planned events, format v2), ``participation`` (format v2: see
            :func:`~sozialraumprozess.steering.participation.participation_report`,
            plus ``recorded``, ``summary`` and ``labels``).
        versions: Every artifact version as a view, per artifact id.
    """

    seq: int
    lang: Lang
    format: str
    base: Mapping[str, Any]
    versions: Mapping[str, tuple[View, ...]]


def item_view(item: ItemRecord, workflow: Workflow, lang: Lang, esc: Escape = _same) -> View:
    """One item of an item artifact: key, state (id and title), version, its frozen ``data``."""
    spec = workflow.artifact(item.artifact)
    state = spec.items.state(item.state) if spec.items is not None else None
    return _v(
        artifact=item.artifact,
        title=esc(spec.title.get(lang)),
        key=esc(item.key),
        state=item.state,
        state_title=esc(state.title.get(lang)) if state is not None else item.state,
        version=item.version,
        cycle=item.cycle,
        phase=item.phase,
        phase_title=esc(workflow.phase(item.phase).title.get(lang)),
        created_by=_actor(item.created_by, esc, None, workflow, lang),
        created_at=item.created_at,
        moves=item.moves,
        seq=item.seq,
        data=freeze(item.data, esc),
    )


def _item_lists(process: Process, lang: Lang, esc: Escape) -> tuple[View, ...]:
    """Per item artifact with items: its title, what a key names, and its items."""
    workflow = process.workflow
    lists = []
    for spec in workflow.artifacts:
        if spec.items is None:
            continue
        found = process.state.items(spec.id)
        if not found:
            continue
        lists.append(
            _v(
                artifact=spec.id,
                title=esc(spec.title.get(lang)),
                key_title=_label(spec.items.key, lang, esc),
                items=tuple(item_view(i, workflow, lang, esc) for i in found),
            )
        )
    return tuple(lists)


def _chain(process: Process, lang: Lang, fmt: str, esc: Escape) -> dict[str, Any]:
    """The steering chain's variables: ``k`` (its words), ``kette`` (the
    *Wirkungskette*, ``None`` if the workflow keeps none) and, in HTML,
    ``kette_svg`` (its diagram)."""
    from sozialraumprozess.steering.chain import (
        chain_svg,
        chain_texts,
        chain_used,
        wirkungskette,
    )

    found: dict[str, Any] = {"k": freeze(chain_texts(lang), esc), "kette": None, "kette_svg": None}
    if not chain_used(process.workflow):
        return found
    chain = wirkungskette(process.workflow, process.state)
    found["kette"] = freeze(chain.to_dict(lang), esc)
    if fmt == "html":
        from markupsafe import Markup

        found["kette_svg"] = Markup(chain_svg(chain, lang))  # noqa: S704 - every text escaped
    return found


def _monitoring(process: Process, lang: Lang, fmt: str, esc: Escape) -> Any:
    """The Sozialraum's monitoring for documents (``None`` without declared indicators):
    the current cycle's indicator rows, and for HTML the charts. Documents show it only
    when they belong to the current cycle (older ones keep to their own figures)."""
    if not process.workflow.indicators:
        return None
    from sozialraumprozess.steering.indicators import monitoring_section

    section = monitoring_section(process.workflow, process.state, lang, charts=fmt == "html")
    rows = tuple(freeze(row, esc) for row in section["rows"])
    return _v(
        t=freeze(section["t"], esc),
        cycle=section["cycle"],
        rows=rows,
        charts=tuple(section["charts"]),
    )


def _participation(process: Process, lang: Lang, esc: Escape) -> View:
    """Participation per held event (issue 12 §6), with its labels and summary line."""
    from sozialraumprozess.steering import participation as steering

    report = steering.participation_report(process, lang)
    frozen: View = freeze(
        {
            **report,
            "recorded": steering.has_participation(process),
            "summary": steering.participation_summary(report, lang),
            "labels": steering.participation_labels(lang),
        },
        esc,
    )
    return frozen


def _title_of(process: Process, lang: Lang, esc: Escape) -> Callable[[str, str], str | None]:
    """``title_of(kind, id)``: what the run calls an id it refers to (the ``feld``
    filter's names for references), read per kind on first use."""
    from sozialraumprozess.runtime.references import known_titles

    known: dict[str, dict[str, str]] = {}

    def title_of(kind: str, ident: str) -> str | None:
        if kind not in known:
            found = known_titles(process.state, process.workflow, kind, lang)
            known[kind] = {k: esc(v) for k, v in found.items()}
        return known[kind].get(ident)

    return title_of


def build_view(
    process: Process, lang: Lang = "de", fmt: str = "md", policy: NamePolicy = INTERNAL
) -> ProcessView:
    """The read-only view of ``process`` at its current state, in ``lang``, for ``fmt``.

    ``policy`` says how participant names appear (see :class:`NamePolicy`).
    """
    esc = markdown_escape if fmt == "md" else _same

    def names(name: str) -> str:
        return policy.shown(name, process, lang)

    workflow = process.workflow
    state = process.state
    room = process.sozialraum

    transitions = {t.id: t.title for t in workflow.transitions}

    def contact(actor: Actor) -> str | None:
        """The contact data of who acted: the participant's, else the role's first."""
        people = process.participants
        if actor.participant is not None:
            own = [p for p in people if p.name == actor.participant]
        else:
            own = [p for p in people if p.active and actor.role in p.roles]
        for person in own:
            if person.contact is None:
                continue
            if person.kind == "person" and policy.hides_contact(person.name):
                continue
            return person.contact
        return None

    versions = {
        artifact: tuple(version_view(v, workflow, lang, esc, names) for v in found)
        for artifact, found in state.artifacts.items()
    }
    documents = tuple(
        sorted((v for found in versions.values() for v in found), key=lambda v: v["seq"])
    )
    visits = tuple(
        _v(
            phase=visit.phase,
            title=esc(workflow.phase(visit.phase).title.get(lang)),
            number=workflow.phase_index(visit.phase) + 1,
            cycle=visit.cycle,
            entered_at=visit.entered_at,
            left_at=visit.left_at,
            via=visit.via,
            via_title=esc(via_label(visit.via, lang, transitions)),
            reason=None if visit.reason is None else esc(visit.reason),
            seq=visit.seq,
        )
        for visit in process.visits
    )
    roles = {r.id: esc(r.title.get(lang)) for r in workflow.roles}
    strands = tuple(  # format v2: the current phase's strands and where they stand
        _v(
            id=strand.id,
            title=esc(spec.title.get(lang)),
            responsible=roles.get(strand.responsible, strand.responsible),
            required=strand.required,
            done=strand.done,
            open=tuple(esc(b.message(lang)) for b in strand.blockers),
        )
        for strand, spec in zip(process.strands(), workflow.phase(state.phase).strands, strict=True)
    )
    base = _v(
        workflow=_workflow(workflow, lang, esc),
        process=_v(
            seq=state.seq,
            phase=state.phase,
            phase_title=esc(workflow.phase(state.phase).title.get(lang)),
            cycle=state.cycle,
            started_at=visits[0]["entered_at"] if visits else None,
            workflow_hash=process.pinned.content_hash,
        ),
        sozialraum=_v(
            name=esc(room.name), description=esc(room.description), data=freeze(room.data, esc)
        ),
        participants=tuple(
            _v(
                name=esc(names(p.name)),
                roles=tuple(roles.get(r, r) for r in p.roles),
                kind=p.kind,
                contact=None
                if p.contact is None or (p.kind == "person" and policy.hides_contact(p.name))
                else esc(p.contact),
                active=p.active,
            )
            for p in process.participants
        ),
        visits=visits,
        events=tuple(
            _event(h, workflow, lang, i, esc, names) for i, h in enumerate(process.held_events)
        ),
        decisions=tuple(_decision(d, workflow, lang, esc, names) for d in process.decisions),
        planned=tuple(
            _plan(p, workflow, lang, i, esc, names, contact)
            for i, p in enumerate(process.planned_events)
        ),
        documents=documents,
        strands=strands,
        items=_item_lists(process, lang, esc),
        title_of=_title_of(process, lang, esc),
        **_chain(process, lang, fmt, esc),
        monitoring=_monitoring(process, lang, fmt, esc),
        indikatoren=freeze({i.id: i.label.get(lang) for i in process.workflow.indicators}, esc),
        participation=_participation(process, lang, esc),
    )
    return ProcessView(state.seq, lang, fmt, base, MappingProxyType(versions))
