"""The variables each kind of document gets, on top of the shared :class:`ProcessView`.

Every template sees ``workflow``, ``process``, ``sozialraum``, ``participants``,
``visits``, ``events``, ``decisions``, ``documents`` (see :mod:`.view`), plus
``lang``, ``t`` (fixed texts), ``generated_at`` and ``cycle``, and per kind:

* artifact: ``artifact`` (its type and fields), ``version``, ``data``, ``event``
  (``None``) and ``event_decisions`` (empty);
* minutes: as artifact, with ``event`` (the held event) and ``event_decisions``
  (the decisions of that cycle taken on the event's date);
* invitation: ``event``, ``agenda`` (item titles), ``place`` and ``invitees``;
* item (format v2): ``artifact``, ``item`` (key, state, state_title, version …)
  and ``data``;
* phase report: ``visit``, ``phase``, ``criteria`` and the visit's
  ``visit_documents``, ``visit_events``, ``visit_decisions``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sozialraumprozess.definition.kinds import gate_kind
from sozialraumprozess.definition.model import Criterion, Workflow
from sozialraumprozess.documents.strings import texts
from sozialraumprozess.documents.view import ProcessView, markdown_escape
from sozialraumprozess.i18n import Lang

__all__ = [
    "artifact_context",
    "base_context",
    "criterion_text",
    "invitation_context",
    "item_context",
    "minutes_context",
    "phase_context",
    "planned_invitation_context",
]

Context = dict[str, Any]


def base_context(view: ProcessView, generated_at: datetime, cycle: int | None) -> Context:
    """The variables every document has."""
    context: Context = dict(view.base)
    context.update(
        lang=view.lang,
        t=texts(view.lang),
        generated_at=generated_at,
        cycle=cycle if cycle is not None else view.base["process"]["cycle"],
    )
    return context


def _version(view: ProcessView, artifact: str, number: int) -> Mapping[str, Any]:
    return view.versions[artifact][number - 1]


def artifact_context(
    view: ProcessView, artifact: str, number: int, generated_at: datetime
) -> Context:
    """Variables of one artifact version's document."""
    version = _version(view, artifact, number)
    context = base_context(view, generated_at, version["cycle"])
    context.update(
        artifact=view.base["workflow"]["artifacts"][artifact],
        version=version,
        data=version["data"],
        event=None,
        event_decisions=(),
    )
    return context


def item_context(view: ProcessView, artifact: str, index: int, generated_at: datetime) -> Context:
    """Variables of one item's document: ``artifact``, ``item`` and its ``data``.

    ``index``: the item's position among the artifact's items (creation order).
    """
    found = next(f for f in view.base["items"] if f["artifact"] == artifact)
    item = found["items"][index]
    context = base_context(view, generated_at, item["cycle"])
    context.update(
        artifact=view.base["workflow"]["artifacts"][artifact], item=item, data=item["data"]
    )
    return context


def _event_decisions(view: ProcessView, event: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(
        d
        for d in view.base["decisions"]
        if d["cycle"] == event["cycle"] and d["date"] == event["date"]
    )


def minutes_context(view: ProcessView, index: int, generated_at: datetime) -> Context:
    """Variables of the Ergebnisprotokoll of the held event ``index``."""
    event = view.base["events"][index]
    context = artifact_context(view, event["protocol_artifact"], event["protocol"], generated_at)
    context.update(event=event, event_decisions=_event_decisions(view, event))
    return context


def invitation_context(view: ProcessView, index: int, generated_at: datetime) -> Context:
    """Variables of the invitation to the held event ``index``.

    The agenda and the place come from the event's protocol if one was recorded,
    else from its plan (format v2: ``plan_event``); ``plan`` is the planned event
    (time, until, invited roles, sender) or ``None``.
    """
    event = view.base["events"][index]
    context = base_context(view, generated_at, event["cycle"])
    agenda: tuple[str, ...] = ()
    place = None
    plan = _plan_of(view, event.get("plan"))
    if event["protocol"] is not None and event["protocol_artifact"] is not None:
        data = _version(view, event["protocol_artifact"], event["protocol"])["data"]
        agenda = tuple(item.get("titel", "") for item in data.get("tagesordnung", ()))
        place = data.get("ort")
    if plan is not None:
        agenda = agenda or plan["agenda"]
        place = place or plan["place"]
    invitees = tuple(p for p in view.base["participants"] if p["active"])
    context.update(event=event, agenda=agenda, place=place, invitees=invitees, plan=plan)
    return context


def _plan_of(view: ProcessView, seq: int | None) -> Any:
    if seq is None:
        return None
    return next((p for p in view.base.get("planned", ()) if p["seq"] == seq), None)


def planned_invitation_context(view: ProcessView, index: int, generated_at: datetime) -> Context:
    """Variables of the invitation to the planned event ``index`` (format v2).

    The same names as :func:`invitation_context`: ``event`` (the planned event:
    title, date, time, until, place, organizer, phase_title …), ``agenda``,
    ``place``, ``invitees``, and ``plan`` (the same planned event, with
    ``invited`` role titles, ``sender`` and ``planned_on``: the invitation's date).
    """
    plan = view.base["planned"][index]
    context = base_context(view, generated_at, plan["cycle"])
    invitees = tuple(p for p in view.base["participants"] if p["active"])
    context.update(
        event=plan, agenda=plan["agenda"], place=plan["place"], invitees=invitees, plan=plan
    )
    return context


def criterion_text(criterion: Criterion, workflow: Workflow, lang: Lang) -> str:
    """A human description of an exit criterion (``Dokument: Zielkatalog``), by its gate kind."""
    return gate_kind(criterion.kind).document_text(workflow, criterion).text(lang)


def phase_context(
    view: ProcessView, workflow: Workflow, index: int, generated_at: datetime
) -> Context:
    """Variables of the Phasenabschlussbericht of phase visit ``index``."""
    visits = view.base["visits"]
    visit = visits[index]
    following = visits[index + 1] if index + 1 < len(visits) else None
    until = following["seq"] if following is not None else view.seq + 1
    # Advancing needs every exit criterion met; a transition or an open visit proves nothing.
    met = True if following is not None and following["via"] == "advance" else None
    context = base_context(view, generated_at, visit["cycle"])
    phase = workflow.phase(visit["phase"])
    esc = markdown_escape if view.format == "md" else str

    def inside(item: Mapping[str, Any]) -> bool:
        return bool(visit["seq"] <= item["seq"] < until)

    context.update(
        visit=visit,
        phase=view.base["workflow"]["phases"][workflow.phase_index(phase.id)],
        criteria=tuple(
            MappingProxyType(
                {"kind": c.kind, "text": esc(criterion_text(c, workflow, view.lang)), "met": met}
            )
            for c in phase.exit
        ),
        visit_documents=tuple(d for d in view.base["documents"] if inside(d)),
        visit_events=tuple(e for e in view.base["events"] if inside(e)),
        visit_decisions=tuple(d for d in view.base["decisions"] if inside(d)),
    )
    return context
