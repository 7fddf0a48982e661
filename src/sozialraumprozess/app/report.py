"""The process report: its data (timeline, decisions, events, budget tables) and the
self-contained HTML page for the council or the public, plus writing all documents.

:func:`report_data` is what a front end needs to show the report its own way;
:func:`render_report` writes the bundled page.

Built from the variables every document sees
(:meth:`DocumentRenderer.page_context <sozialraumprozess.documents.DocumentRenderer>`)
plus what a report adds —
current blockers, budget figures, links to rendered documents and the workflow
diagram as inline SVG — and rendered with ``_bericht.html.j2`` through the
documents package's sandboxed Jinja environment (a ``_bericht.html.j2`` in a
``templates/`` folder beside a workflow file overrides the bundled one).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sozialraumprozess.i18n import Lang, Message, msg

if TYPE_CHECKING:
    from sozialraumprozess.definition.model import FieldSpec, Workflow
    from sozialraumprozess.documents import Document, DocumentMeta
    from sozialraumprozess.documents.render import DocumentRenderer
    from sozialraumprozess.documents.to_pdf import PdfAttachment
    from sozialraumprozess.documents.view import NamePolicy
    from sozialraumprozess.errors import DocumentError
    from sozialraumprozess.runtime.process import Process
    from sozialraumprozess.runtime.records import ProcessEvent

__all__ = [
    "MEDIA_TYPES",
    "REPORT_FORMATS",
    "REPORT_NAME",
    "REPORT_TEMPLATE",
    "budget_tables",
    "history_attachments",
    "render_report",
    "report_data",
    "report_document",
    "report_name",
    "write_documents",
]

#: The formats of the report and of documents (``all``: every one of them).
REPORT_FORMATS: tuple[str, ...] = ("md", "html", "docx", "odt", "pdf")
#: Media type per file suffix, for stores that keep documents.
MEDIA_TYPES: dict[str, str] = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
    "ics": "text/calendar; charset=utf-8",
}
#: Names of the files a process report's PDF embeds.
LOG_ATTACHMENT = "ereignisprotokoll.json"
HEAD_ATTACHMENT = "hashkette.json"

REPORT_TEMPLATE = "_bericht.html.j2"
#: A Markdown report template of one's own (none is bundled: Markdown is made from the page).
REPORT_TEMPLATE_MD = "_bericht.md.j2"
#: File name of the report in a run's files folder.
REPORT_NAME = "bericht.html"
#: File name of the public report (no personal names without consent).
PUBLIC_REPORT_NAME = "bericht-oeffentlich.html"


def report_name(lang: str = "de", *, public: bool = False) -> str:
    """The report's file name in a run's files folder, per language: German keeps
    ``bericht.html``, every other language adds its code (``bericht.en.html``), so a
    report in English never overwrites the German one."""
    name = PUBLIC_REPORT_NAME if public else REPORT_NAME
    if lang == "de":
        return name
    return name.removesuffix(".html") + f".{lang}.html"


#: The report page's fixed words (``r`` in its template), from the catalogs.
_TEXTS: dict[str, Message] = {
    "report": msg("app.report-report"),
    "overview": msg("app.report-overview"),
    "diagram": msg("app.report-diagram"),
    "timeline": msg("app.report-timeline"),
    "blockers": msg("app.report-blockers"),
    "no_blockers": msg("app.report-no-blockers"),
    "decisions": msg("app.report-decisions"),
    "no_decisions": msg("app.report-no-decisions"),
    "events": msg("app.report-events"),
    "no_events": msg("app.report-no-events"),
    "documents": msg("app.report-documents"),
    "no_documents": msg("app.report-no-documents"),
    "budget": msg("app.report-budget"),
    "no_budget": msg("app.report-no-budget"),
    "deadline": msg("app.report-deadline"),
    "overdue": msg("app.report-overdue"),
    "responsible": msg("app.report-responsible"),
    "role": msg("app.report-role"),
    "open": msg("app.report-open"),
    "votes": msg("app.report-votes"),
    "consensus": msg("app.report-consensus"),
    "present": msg("app.report-present"),
    "text": msg("app.report-text"),
    "not_rendered": msg("app.report-not-rendered"),
    "item": msg("app.report-item"),
    "generated": msg("app.report-generated"),
    "state": msg("app.report-state"),
    "cycle_n": msg("app.report-cycle-n"),
    "migrations": msg("app.report-migrations"),
    "migration_from": msg("app.report-migration-from"),
    "migration_to": msg("app.report-migration-to"),
    "migration_reason": msg("app.report-migration-reason"),
    "migration_date": msg("app.report-migration-date"),
}


def migrations(process: Process) -> list[dict[str, Any]]:
    """The run's moves to revised workflow versions: ``seq``, ``date`` (ISO), ``from``
    and ``to`` versions, ``mapping``, ``reason`` and ``who``."""
    return [
        {
            "seq": entry.seq,
            "date": entry.time.date().isoformat(),
            "from": entry.payload["from"]["version"],
            "to": entry.payload["to"]["version"],
            "mapping": entry.payload["mapping"],
            "reason": entry.payload["reason"],
            "who": entry.actor.label(),
        }
        for entry in process.log
        if entry.type == "workflow_migrated"
    ]


def _texts(lang: Lang) -> dict[str, str]:
    return {key: message.text(lang) for key, message in _TEXTS.items()}


def _money_columns(spec: FieldSpec) -> tuple[list[str], str | None]:
    """Money fields of a list item and the text field that names the item."""
    fields = spec.fields
    money = [f.name for f in fields if f.type == "money"]
    label = next((f.name for f in fields if f.type == "text"), None)
    return money, label


def _field_title(spec: FieldSpec, lang: Lang) -> str:
    return spec.title.get(lang) if spec.title is not None else spec.name


def budget_tables(process: Process, lang: Lang) -> list[dict[str, Any]]:
    """The money fields of every artifact's newest version, as tables with sums.

    Per artifact with money fields: ``title``, ``version``, ``cycle``, ``approved``,
    ``scalars`` (label, amount) for top-level money fields and ``tables`` for lists
    of objects with money fields (``title``, ``columns``, ``rows`` (label, amounts),
    ``sums``).
    """
    wf = process.workflow
    found: list[dict[str, Any]] = []
    for artifact in wf.artifacts:
        latest = process.latest(artifact.id)
        if latest is None:
            continue
        data = latest.data
        scalars: list[tuple[str, Any]] = []
        tables: list[dict[str, Any]] = []
        for spec in artifact.fields:
            title = _field_title(spec, lang)
            if spec.type == "money" and data.get(spec.name) is not None:
                scalars.append((title, data[spec.name]))
            elif spec.type == "list" and spec.items is not None and spec.items.type == "object":
                columns, label = _money_columns(spec.items)
                items = data.get(spec.name) or []
                if not columns or not items:
                    continue
                by_name = {f.name: f for f in spec.items.fields}
                heads = [_field_title(by_name[c], lang) for c in columns]
                rows = [
                    (
                        str(item.get(label, "")) if label else str(n),
                        [item.get(c) for c in columns],
                    )
                    for n, item in enumerate(items, 1)
                    if isinstance(item, Mapping)
                ]
                sums = [
                    sum(v for _, values in rows if (v := values[i]) is not None)
                    for i in range(len(columns))
                ]
                label_head = _field_title(by_name[label], lang) if label else None
                tables.append(
                    {
                        "title": title,
                        "label": label_head or _TEXTS["item"].text(lang),
                        "columns": heads,
                        "rows": rows,
                        "sums": sums,
                    }
                )
        if scalars or tables:
            found.append(
                {
                    "id": artifact.id,
                    "title": artifact.title.get(lang),
                    "version": latest.version,
                    "cycle": latest.cycle,
                    "approved": latest.approved,
                    "year": data.get("haushaltsjahr") or data.get("berichtsjahr"),
                    "scalars": scalars,
                    "tables": tables,
                }
            )
    return found


def _document_links(
    process: Process, documents_dir: Path | None, output: Path
) -> dict[tuple[str, int], str]:
    """Relative links from ``output`` to rendered artifact documents (HTML preferred)."""
    from sozialraumprozess.documents.plan import plan_documents

    links: dict[tuple[str, int], str] = {}
    if documents_dir is None or not documents_dir.is_dir():
        return links
    base = output.resolve().parent
    for spec in plan_documents(process):
        if spec.version is None or spec.kind not in ("artifact", "minutes"):
            continue
        subject = spec.subject
        if spec.kind == "minutes":
            protocol = process.workflow.event(spec.subject).protocol
            if protocol is None:
                continue
            subject = protocol
        for fmt in ("html", "md"):
            target = documents_dir / f"{spec.stem}.{fmt}"
            if target.is_file():
                rel = os.path.relpath(target.resolve(), base)
                links[(subject, spec.version)] = Path(rel).as_posix()
                break
    return links


def _role(wf: Workflow, role: str | None, lang: Lang) -> str:
    if role is None:
        return "–"
    try:
        return wf.role(role).title.get(lang)
    except KeyError:
        return role


def report_context(
    process: Process,
    context: dict[str, Any],
    *,
    lang: Lang,
    output: Path,
    documents_dir: Path | None,
) -> dict[str, Any]:
    """Every variable ``_bericht.html.j2`` sees: the documents' variables (``context``,
    from :meth:`DocumentRenderer.page_context`) plus the report's own."""
    from markupsafe import Markup

    from sozialraumprozess.app.svg import workflow_svg
    from sozialraumprozess.documents.budget import budget_context
    from sozialraumprozess.steering.indicators import monitoring_section

    wf = process.workflow
    now = context["generated_at"]
    links = _document_links(process, documents_dir, output)
    cycles: dict[int, list[Any]] = {}
    for visit in context["visits"]:
        cycles.setdefault(visit["cycle"], []).append(visit)
    documents: Sequence[Mapping[str, Any]] = context["documents"]
    deadline = process.deadline()
    phase = wf.phase(process.phase)
    context.update(
        r=_texts(lang),
        title=f"{_TEXTS['report'].text(lang)}: {process.sozialraum.name}",
        cycles=sorted(cycles.items()),
        blockers=[
            {"message": b.message(lang), "role": _role(wf, b.role, lang), "kind": b.kind}
            for b in process.blockers()
        ],
        responsible=_role(wf, phase.responsible, lang),
        deadline=deadline,
        overdue=process.overdue(now),
        document_rows=[
            {"doc": d, "href": links.get((d["artifact"], d["version"]))} for d in documents
        ],
        budget=budget_tables(process, lang),
        budget_reconciled=budget_context(process, lang, "html"),
        migrations=migrations(process),
        indicators=monitoring_section(process.workflow, process.state, lang),
        diagram=Markup(  # noqa: S704 - generated by workflow_svg, every text XML-escaped
            workflow_svg(
                wf, lang=lang, current=process.phase, visited={v.phase for v in process.visits}
            )
        ),
    )
    return context


def report_data(process: Process, lang: Lang = "de") -> dict[str, Any]:
    """The report's figures as JSON-compatible data, in ``lang``.

    Keys: ``sozialraum``, ``phase`` (id, title, responsible, responsible_title),
    ``cycle``, ``deadline``, ``overdue``, ``timeline`` (one entry per phase visit:
    phase, title, cycle, entered, left, via, reason), ``decisions`` (id, title,
    date, yes, no, abstain, consensus, present, text, passed, result),
    ``events`` (id, title, date, participants, cycle), ``blockers`` (kind, target,
    role, role_title, code, message), ``budget`` (see :func:`budget_tables`) and
    ``migrations`` (see :func:`migrations`), ``budget_reconciled`` (the budget per
    line and year, see :func:`sozialraumprozess.steering.budget.budget_data`),
    ``strands`` (format v2: id, title, responsible, responsible_title, required, done,
    blockers) and ``items`` (format v2: per item artifact with items, ``artifact``,
    ``title`` and ``items`` with key, state, state_title, version, cycle, data) and
    ``participation`` (format v2: see
    :func:`~sozialraumprozess.steering.participation.participation_report`).
    """
    from sozialraumprozess.steering.participation import participation_report

    wf = process.workflow

    def title(getter: Any, ident: str) -> str:
        try:
            return str(getter(ident).title.get(lang))
        except KeyError:
            return ident

    def day(moment: datetime | None) -> str | None:
        return None if moment is None else moment.date().isoformat()

    phase = wf.phase(process.phase)
    deadline = process.deadline()
    strand_titles = {s.id: s.title.get(lang) for s in phase.strands}
    return {
        "sozialraum": process.sozialraum.name,
        "participation": participation_report(process, lang),
        "phase": {
            "id": phase.id,
            "title": phase.title.get(lang),
            "responsible": phase.responsible,
            "responsible_title": _role(wf, phase.responsible, lang),
        },
        "cycle": process.cycle,
        "deadline": deadline.isoformat() if deadline else None,
        "overdue": process.overdue(),
        "timeline": [
            {
                "phase": v.phase,
                "title": title(wf.phase, v.phase),
                "cycle": v.cycle,
                "entered": day(v.entered_at),
                "left": day(v.left_at),
                "via": v.via,
                "reason": v.reason,
            }
            for v in process.visits
        ],
        "decisions": [
            {
                "id": d.decision,
                "title": title(wf.decision, d.decision),
                "date": d.date,
                "yes": d.yes,
                "no": d.no,
                "abstain": d.abstain,
                "consensus": d.consensus,
                "present": d.present,
                "text": d.text,
                "passed": d.result.passed,
                "result": d.result.message(lang),
            }
            for d in process.decisions
        ],
        "events": [
            {
                "id": h.event,
                "title": title(wf.event, h.event),
                "date": h.date,
                "participants": h.participants,
                "cycle": h.cycle,
            }
            for h in process.held_events
        ],
        "blockers": [
            {**b.to_dict(lang), "role_title": _role(wf, b.role, lang)} for b in process.blockers()
        ],
        "budget": [
            {
                **table,
                "scalars": [list(pair) for pair in table["scalars"]],
                "tables": [
                    {**t, "rows": [[label, list(values)] for label, values in t["rows"]]}
                    for t in table["tables"]
                ],
            }
            for table in budget_tables(process, lang)
        ],
        "migrations": migrations(process),
        "strands": [  # format v2: the current phase's strands
            {
                "id": strand.id,
                "title": strand_titles[strand.id],
                "responsible": strand.responsible,
                "responsible_title": _role(wf, strand.responsible, lang),
                "required": strand.required,
                "done": strand.done,
                "blockers": [b.to_dict(lang) for b in strand.blockers],
            }
            for strand in process.strands()
        ],
        "items": _item_data(process, lang),
        "budget_reconciled": _budget_data(process, lang),
    }


def _budget_data(process: Process, lang: Lang) -> dict[str, Any]:
    from sozialraumprozess.steering.budget import budget_data

    return budget_data(process, lang)


def report_html(
    process: Process,
    output: Path,
    *,
    lang: Lang = "de",
    documents_dir: Path | None = None,
    workflow_path: Path | None = None,
    now: datetime | None = None,
    policy: NamePolicy | None = None,
) -> str:
    """The report of ``process`` as HTML text, its links relative to ``output`` (where
    it would be written; nothing is written). ``policy`` says how participant names
    appear (default: internal use).

    Raises:
        DocumentError, TemplateRenderError: the template is missing or fails.
    """
    renderer, context = _report_setup(
        process, output, lang, documents_dir, workflow_path, now, policy
    )
    return renderer.render_page(REPORT_TEMPLATE, context)


def _report_setup(
    process: Process,
    output: Path,
    lang: Lang,
    documents_dir: Path | None,
    workflow_path: Path | None,
    now: datetime | None,
    policy: NamePolicy | None,
) -> tuple[DocumentRenderer, dict[str, Any]]:
    """The renderer of the run's documents and the report page's context."""
    from sozialraumprozess.documents.render import DocumentRenderer

    renderer = DocumentRenderer(process.workflow, workflow_path=workflow_path, **_policy(policy))
    context = report_context(
        process,
        renderer.page_context(process, lang=lang, now=now),
        lang=lang,
        output=output,
        documents_dir=documents_dir,
    )
    return renderer, context


def _item_data(process: Process, lang: Lang) -> list[dict[str, Any]]:
    """The items of every item artifact (format v2) that has some, with their states."""
    out = []
    for spec in process.workflow.artifacts:
        lifecycle = spec.items
        found = process.items(spec.id) if lifecycle is not None else ()
        if lifecycle is None or not found:
            continue
        rows = []
        for item in found:
            state = lifecycle.state(item.state)
            rows.append(
                {
                    "key": item.key,
                    "state": item.state,
                    "state_title": state.title.get(lang) if state is not None else item.state,
                    "version": item.version,
                    "cycle": item.cycle,
                    "data": item.data,
                }
            )
        out.append({"artifact": spec.id, "title": spec.title.get(lang), "items": rows})
    return out


def history_attachments(
    events: Sequence[ProcessEvent], *, run_id: str | None = None, store_head: str | None = None
) -> tuple[PdfAttachment, PdfAttachment]:
    """The run's history for a PDF/A archive copy: the event log and its hash-chain head.

    ``events`` as the store keeps them (participants as person ids: see
    :meth:`sozialraumprozess.app.service.Service.history_attachments`); a process's
    own ``log`` carries the names, and its head differs from the stored one.

    ``ereignisprotokoll.json``: ``{"run_id", "chain_format", "events": [...]}``, each
    event as stored (its JSON) with its ``hash``; ``hashkette.json``: ``{"run_id",
    "chain_format", "genesis", "events", "head", "store_head"}``. The hashes are
    recomputed from the log by the chain's rules (:mod:`sozialraumprozess.storage.chain`),
    so anyone can check the embedded log against the head; ``store_head`` is the head
    the store recorded (from ``verify``), when given.
    """
    import json

    from sozialraumprozess.documents.to_pdf import PdfAttachment
    from sozialraumprozess.runtime.serialize import event_to_dict
    from sozialraumprozess.storage.chain import CHAIN_FORMAT, GENESIS, canonical, link

    head = GENESIS
    chained = []
    for event in events:
        data = event_to_dict(event)
        head = link(head, canonical(data))
        chained.append({**data, "hash": head})
    log = {"run_id": run_id, "chain_format": CHAIN_FORMAT, "events": chained}
    chain = {
        "run_id": run_id,
        "chain_format": CHAIN_FORMAT,
        "genesis": GENESIS,
        "events": len(chained),
        "head": head,
        "store_head": store_head,
    }

    def encode(data: dict[str, Any]) -> bytes:
        return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()

    return (
        PdfAttachment(LOG_ATTACHMENT, encode(log), msg("app.report-log-attachment").text("de")),
        PdfAttachment(HEAD_ATTACHMENT, encode(chain), msg("app.report-head-attachment").text("de")),
    )


def report_document(
    process: Process,
    output: Path,
    *,
    fmt: str = "html",
    lang: Lang = "de",
    documents_dir: Path | None = None,
    workflow_path: Path | None = None,
    now: datetime | None = None,
    policy: NamePolicy | None = None,
    attachments: Sequence[PdfAttachment] = (),
) -> Document:
    """The report of ``process`` in ``fmt`` (one of :data:`REPORT_FORMATS`), its links
    relative to ``output``; nothing is written. ``attachments`` go into a PDF.

    Markdown is made from the HTML page's structure (or from a ``_bericht.md.j2`` on
    the template search path, if there is one); DOCX, ODT and PDF/A as for documents.

    Raises:
        DocumentError, TemplateRenderError: bad format, the template is missing or fails.
    """
    from sozialraumprozess.documents import Document

    renderer, context = _report_setup(
        process, output, lang, documents_dir, workflow_path, now, policy
    )
    if fmt == "md" and renderer.templates.exists(REPORT_TEMPLATE_MD):
        import attrs

        page = renderer.render_page(REPORT_TEMPLATE_MD, context, fmt="md")
        found = renderer.convert_page(
            process,
            page,
            "html",
            template=REPORT_TEMPLATE,
            title=context["title"],
            path=output.name,
            lang=lang,
            now=now,
        )
        meta = attrs.evolve(
            found.meta,
            path=output.with_suffix(".md").name,
            format="md",
            template=REPORT_TEMPLATE_MD,
            template_sha256=renderer.templates.get(REPORT_TEMPLATE_MD, "md").sha256,
        )
        return Document(page, meta)
    page = renderer.render_page(REPORT_TEMPLATE, context)
    return renderer.convert_page(
        process,
        page,
        fmt,
        template=REPORT_TEMPLATE,
        title=context["title"],
        path=output.name,
        lang=lang,
        now=now,
        attachments=attachments,
    )


def render_report(
    process: Process,
    output: Path,
    *,
    lang: Lang = "de",
    documents_dir: Path | None = None,
    workflow_path: Path | None = None,
    now: datetime | None = None,
    policy: NamePolicy | None = None,
    fmt: str = "html",
    attachments: Sequence[PdfAttachment] = (),
) -> Path:
    """Write the report of ``process`` to ``output`` in ``fmt``; returns the path written.

    ``policy`` says how participant names appear (default: internal use);
    ``attachments`` are embedded in a PDF (see :func:`history_attachments`).

    Raises:
        DocumentError, TemplateRenderError: the template is missing or fails.
    """
    document = report_document(
        process,
        output,
        fmt=fmt,
        lang=lang,
        documents_dir=documents_dir,
        workflow_path=workflow_path,
        now=now,
        policy=policy,
        attachments=attachments,
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(document.content)
    return output


def write_documents(
    process: Process,
    folder: Path,
    *,
    formats: Sequence[str],
    lang: Lang,
    workflow_path: Path | None = None,
    policy: NamePolicy | None = None,
    attachments: Sequence[PdfAttachment] = (),
    calendars: bool = True,
) -> tuple[list[DocumentMeta], list[tuple[str, DocumentError]]]:
    """Write every document the state allows; a template that fails skips only its document.

    ``policy`` says how participant names appear (default: internal use);
    ``attachments`` go into the Prozessbericht's PDF. With ``calendars``, an
    iCalendar file for each planned event is written too (its metadata has kind
    ``calendar`` and format ``ics``; see :mod:`sozialraumprozess.documents.ics`).

    Returns the metadata of the documents written and ``(path, error)`` for each
    document that could not be rendered (all rendered before the first is written).
    """
    from sozialraumprozess.documents.plan import plan_documents
    from sozialraumprozess.documents.render import DocumentRenderer
    from sozialraumprozess.errors import DocumentError

    renderer = DocumentRenderer(process.workflow, workflow_path=workflow_path, **_policy(policy))
    moment = renderer.clock.now()
    planned = plan_documents(process)
    documents = []
    failures: list[tuple[str, DocumentError]] = []
    for fmt in formats:
        for spec in planned:
            extra = attachments if spec.kind == "process_report" else ()
            try:
                documents.append(
                    renderer.render(
                        process, spec, fmt=fmt, lang=lang, now=moment, attachments=extra
                    )
                )
            except DocumentError as error:
                failures.append((f"{spec.stem}.{fmt}", error))
    if calendars:
        documents += _calendar_documents(process, lang, moment, renderer.policy.public)
    for document in documents:
        target = folder / document.meta.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(document.content)
    return [d.meta for d in documents], failures


def _calendar_documents(
    process: Process, lang: Lang, moment: datetime, public: bool
) -> list[Document]:
    """The planned events' iCalendar files, as documents."""
    import hashlib

    from sozialraumprozess.documents import Document, DocumentMeta
    from sozialraumprozess.documents.ics import calendar_files

    ref = process.pinned
    found = []
    for calendar in calendar_files(process, lang):
        plan = process.planned_events[calendar.index]
        meta = DocumentMeta(
            kind="calendar",
            subject=plan.event,
            title=process.workflow.event(plan.event).title.get(lang),
            path=calendar.path,
            format="ics",
            lang=lang,
            template="icalendar",
            template_file="",
            template_sha256=hashlib.sha256(b"").hexdigest(),
            process_seq=process.state.seq,
            generated_at=moment,
            workflow_id=ref.id,
            workflow_version=ref.version,
            workflow_hash=ref.content_hash,
            cycle=plan.cycle,
            public=public,
        )
        found.append(Document(calendar.data.decode("utf-8"), meta, calendar.data))
    return found


def _policy(policy: NamePolicy | None) -> dict[str, Any]:
    return {} if policy is None else {"policy": policy}
