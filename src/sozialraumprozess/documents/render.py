"""Rendering documents of a process: one artifact, one event, a phase, the whole process.

::

    >>> from sozialraumprozess import load_workflow
    >>> from sozialraumprozess.scenario.sample import run_sample
    >>> from sozialraumprozess.documents import DocumentRenderer
    >>> process = run_sample(load_workflow("generationengerechte-sozialraumentwicklung"))
    >>> doc = DocumentRenderer(process.workflow).render_artifact(process, "haushaltsansatz")
    >>> "| Sozialraumbudget | 10.000 € |" in doc.text
    True

Template choice per document (first that applies):

* artifact: the artifact's ``template:`` in the workflow, then ``<artifact id>.<fmt>.j2``
  from a user folder or ``templates/`` beside the workflow (never a bundled one by id:
  those are written for the bundled workflows and named there), then the generic
  ``artefakt.<fmt>.j2`` (every field as tables);
* minutes of a held event: the protocol artifact's ``template:``, then
  ``ergebnisprotokoll.<fmt>.j2``;
* invitation: the event's ``template:``, then ``einladung-<event id>.<fmt>.j2``,
  then ``einladung.<fmt>.j2``;
* phase report: ``phasenabschlussbericht-<phase id>.<fmt>.j2``, then
  ``phasenabschlussbericht.<fmt>.j2``; process report: ``prozessbericht.<fmt>.j2``;
  participation record (format v2): ``beteiligungsdokumentation.<fmt>.j2``.

A template named in the workflow stands for both formats: ``zielkatalog.md.j2``
renders Markdown, and its sibling ``zielkatalog.html.j2`` renders HTML.

DOCX, ODT and PDF are made from the HTML document (:data:`OUTPUT_FORMATS`): PDF/A-3b
with WeasyPrint (:mod:`.to_pdf`), DOCX through a Word template with Jinja tags
(:mod:`.to_docx`), ODT with odfdo (:mod:`.to_odt`). The Word or OpenDocument file
(the *layout*) is the first found on the search path of ``<template stem>.docx``
(``einladung.docx`` for invitations) and ``dokument.docx`` (bundled: a plain
layout; an office puts its letterhead as ``dokument.docx`` in its template folder);
ODT the same with ``.odt`` (without one: a plain document). The HTML's pictures
(inline SVG) go into DOCX and ODT as PNGs (:mod:`.pictures`).
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import attrs
from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.definition.sandbox import LimitExceeded, budget
from sozialraumprozess.documents import context as ctx
from sozialraumprozess.documents.blocks import html_blocks, markdown_text
from sozialraumprozess.documents.budget import budget_context, has_budget_lines
from sozialraumprozess.documents.formatting import format_date_long
from sozialraumprozess.documents.plan import DocumentSpec, plan_documents
from sozialraumprozess.documents.provenance import Document, DocumentMeta, add_footer, footer_text
from sozialraumprozess.documents.sandbox import (
    FORMATS,
    MAX_OUTPUT_CHARS,
    RENDER_SECONDS,
    RENDER_STEPS,
    CompiledTemplate,
    Format,
    TemplateSet,
    _undefined_name,
    template_search_path,
)
from sozialraumprozess.documents.strings import texts
from sozialraumprozess.documents.to_docx import docx_bytes, layout_candidates
from sozialraumprozess.documents.to_odt import odt_bytes
from sozialraumprozess.documents.to_pdf import PdfAttachment, pdf_bytes
from sozialraumprozess.documents.view import (
    INTERNAL,
    NamePolicy,
    ProcessView,
    build_view,
    markdown_escape,
)
from sozialraumprozess.errors import DocumentError, TemplateRenderError
from sozialraumprozess.i18n import LANGS, Lang, available_languages, msg
from sozialraumprozess.runtime.clock import Clock, SystemClock, as_utc
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.steering.chain import TEXTS

__all__ = ["BINARY_FORMATS", "OUTPUT_FORMATS", "DocumentRenderer", "template_set", "variant"]

#: Every format a document can be rendered to: the template formats (Markdown,
#: HTML) and the files made from the HTML (Word, OpenDocument, PDF/A).
OUTPUT_FORMATS: tuple[str, ...] = ("md", "html", "docx", "odt", "pdf")
#: The formats written as bytes (:attr:`Document.data`).
BINARY_FORMATS: frozenset[str] = frozenset({"docx", "odt", "pdf"})

_VIEW_CACHE = 4  # processes whose views a renderer keeps


@lru_cache(maxsize=16)
def template_set(search_path: tuple[Path, ...]) -> TemplateSet:
    """The shared, compiled-once :class:`TemplateSet` of a search path."""
    return TemplateSet(search_path)


def variant(name: str, fmt: str) -> str:
    """The ``fmt`` sibling of a template name: ``zielkatalog.md.j2`` → ``zielkatalog.html.j2``."""
    base = name[:-3] if name.endswith(".j2") else name
    for ext in (".md", ".html", ".htm"):
        if base.endswith(ext):
            base = base[: -len(ext)]
            break
    return f"{base}.{fmt}.j2"


#: The part every layout file of a format holds.
_LAYOUT_PART = {"docx": "word/document.xml", "odt": "content.xml"}


def _check_layout(path: Path, fmt: str) -> None:
    """Refuse a layout file that is not a DOCX (ODT) before handing it to the writer."""
    try:
        with zipfile.ZipFile(path) as archive:
            archive.getinfo(_LAYOUT_PART[fmt])
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        reason = str(exc) or type(exc).__name__
        raise DocumentError(
            "bad-layout", msg("doc.bad-layout", name=path.name, format=fmt, reason=reason)
        ) from None


def _check(fmt: str, lang: Lang, possible: Sequence[str] = FORMATS) -> Format:
    """The template format for output format ``fmt`` (the office formats: ``html``)."""
    if fmt not in possible:
        raise DocumentError(
            "bad-format", msg("doc.bad-format", format=fmt, possible=", ".join(possible))
        )
    if lang not in LANGS and lang not in available_languages():  # de/en without a look
        raise DocumentError(
            "bad-language",
            msg("doc.bad-language", lang=lang, possible=", ".join(available_languages())),
        )
    return "html" if fmt in BINARY_FORMATS else fmt  # type: ignore[return-value]


class DocumentRenderer:
    """Renders the documents of processes that run on one workflow.

    Templates are compiled once per search path and shared by all renderers; the
    read-only view of a process state is built once per state and language.

    Args:
        workflow: The workflow the processes run on.
        template_dirs: User template folders, searched first.
        workflow_path: The workflow file, so that ``templates/`` beside it is searched.
        clock: Where the generation time comes from (default: system clock, UTC).
        max_chars: Largest document, in characters.
        policy: How participant names appear: internal (default) or public,
            with the names of persons who consented (see :class:`NamePolicy`);
            the footer marks each document *intern* or *öffentlich*.
    """

    def __init__(
        self,
        workflow: Workflow,
        *,
        template_dirs: Sequence[str | os.PathLike[str]] = (),
        workflow_path: str | os.PathLike[str] | None = None,
        clock: Clock | None = None,
        max_chars: int = MAX_OUTPUT_CHARS,
        policy: NamePolicy = INTERNAL,
    ) -> None:
        self.workflow = workflow
        self.policy = policy
        self.templates = template_set(template_search_path(template_dirs, workflow_path))
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.max_chars = max_chars
        # id(process) -> (process, views); the process is held so that its id stays unique.
        self._views: OrderedDict[int, tuple[Process, dict[tuple[str, str], ProcessView]]] = (
            OrderedDict()
        )

    # ------------------------------------------------------------------ helpers

    def view(self, process: Process, lang: Lang = "de", fmt: str = "md") -> ProcessView:
        """The read-only view of ``process`` at its current state (cached per state)."""
        entry = self._views.get(id(process))
        if entry is None or entry[0] is not process:
            entry = (process, {})
            self._views[id(process)] = entry
            while len(self._views) > _VIEW_CACHE:
                self._views.popitem(last=False)
        self._views.move_to_end(id(process))
        per_lang = entry[1]
        found = per_lang.get((lang, fmt))
        if found is None or found.seq != process.state.seq:
            if process.workflow is not self.workflow and process.workflow != self.workflow:
                raise DocumentError(
                    "other-workflow",
                    msg(
                        "doc.other-workflow",
                        workflow=process.workflow.id,
                        expected=self.workflow.id,
                    ),
                )
            found = build_view(process, lang, fmt, self.policy)
            per_lang[(lang, fmt)] = found
        return found

    def _pick(self, candidates: Sequence[str | None], fmt: Format) -> CompiledTemplate:
        names = [c for c in candidates if c is not None]
        for name in names[:-1]:
            if self.templates.exists(name):
                return self.templates.get(name, fmt)
        return self.templates.get(names[-1], fmt)

    def _named(self, named: str | None, fmt: Format) -> str | None:
        return None if named is None else variant(named, fmt)

    def _emit(
        self,
        template: CompiledTemplate,
        context: Mapping[str, Any],
        meta: DocumentMeta,
    ) -> Document:
        text = template.render(context, self.max_chars)
        return Document(add_footer(text, meta), meta)

    def _meta(
        self,
        process: Process,
        template: CompiledTemplate,
        spec: DocumentSpec,
        title: str,
        lang: Lang,
        now: datetime,
    ) -> DocumentMeta:
        ref = process.pinned
        return DocumentMeta(
            kind=spec.kind,
            subject=spec.subject,
            title=title,
            path=f"{spec.stem}.{template.format}",
            format=template.format,
            lang=lang,
            template=template.name,
            template_file=template.filename,
            template_sha256=template.sha256,
            process_seq=process.state.seq,
            generated_at=now,
            workflow_id=ref.id,
            workflow_version=ref.version,
            workflow_hash=ref.content_hash,
            cycle=spec.cycle,
            version=spec.version,
            public=self.policy.public,
        )

    def _now(self, now: datetime | None) -> datetime:
        return as_utc(now if now is not None else self.clock.now())

    # ------------------------------------------------------------------ API

    def render(
        self,
        process: Process,
        spec: DocumentSpec,
        *,
        fmt: str = "md",
        lang: Lang = "de",
        now: datetime | None = None,
        attachments: Sequence[PdfAttachment] = (),
    ) -> Document:
        """Render one planned document (see :func:`plan_documents`).

        ``fmt`` is one of :data:`OUTPUT_FORMATS`; ``attachments`` are embedded in a
        PDF (ignored by the other formats).

        Raises:
            DocumentError: bad format/language, template not found; ``format-unavailable``
                (PDF without WeasyPrint/Pango), ``bad-layout`` (a DOCX/ODT layout file
                that is not one).
            TemplateRenderError: the template fails (file, line, variable).
        """
        form = _check(fmt, lang, OUTPUT_FORMATS)
        view = self.view(process, lang, form)
        moment = self._now(now)
        wf = self.workflow
        t = texts(lang)
        if spec.kind == "artifact":
            assert spec.version is not None  # noqa: S101 - plan invariant
            kind = wf.artifact(spec.subject)
            by_id = f"{kind.id}.{form}.j2"
            template = self._pick(
                [
                    self._named(kind.template, form),
                    by_id if self.templates.exists_outside_bundled(by_id) else None,
                    f"artefakt.{form}.j2",
                ],
                form,
            )
            context = ctx.artifact_context(view, spec.subject, spec.version, moment)
            if has_budget_lines(kind):  # a Haushaltsansatz: the reconciled budget too
                context["budget"] = budget_context(process, lang, form)
            title = f"{kind.title.get(lang)} ({t['version']} {spec.version})"
        elif spec.kind == "item":
            assert spec.index is not None  # noqa: S101 - plan invariant
            kind = wf.artifact(spec.subject)
            template = self._pick([self._named(kind.template, form), f"eintrag.{form}.j2"], form)
            context = ctx.item_context(view, spec.subject, spec.index, moment)
            title = f"{kind.title.get(lang)}: {spec.key}"
        elif spec.kind == "planned_invitation":
            assert spec.index is not None  # noqa: S101 - plan invariant
            event = wf.event(spec.subject)
            template = self._pick(
                [
                    self._named(event.template, form),
                    f"einladung-{event.id}.{form}.j2",
                    f"einladung.{form}.j2",
                ],
                form,
            )
            context = ctx.planned_invitation_context(view, spec.index, moment)
            title = f"{t['invitation']}: {event.title.get(lang)}"
        elif spec.kind in ("invitation", "minutes"):
            assert spec.index is not None  # noqa: S101 - plan invariant
            event = wf.event(spec.subject)
            if spec.kind == "minutes":
                assert event.protocol is not None  # noqa: S101 - plan invariant
                named = wf.artifact(event.protocol).template
                template = self._pick(
                    [self._named(named, form), f"ergebnisprotokoll.{form}.j2"], form
                )
                context = ctx.minutes_context(view, spec.index, moment)
                title = f"{t['minutes']}: {event.title.get(lang)}"
            else:
                template = self._pick(
                    [
                        self._named(event.template, form),
                        f"einladung-{event.id}.{form}.j2",
                        f"einladung.{form}.j2",
                    ],
                    form,
                )
                context = ctx.invitation_context(view, spec.index, moment)
                title = f"{t['invitation']}: {event.title.get(lang)}"
        elif spec.kind == "phase_report":
            assert spec.index is not None  # noqa: S101 - plan invariant
            template = self._pick(
                [
                    f"phasenabschlussbericht-{spec.subject}.{form}.j2",
                    f"phasenabschlussbericht.{form}.j2",
                ],
                form,
            )
            context = ctx.phase_context(view, wf, spec.index, moment)
            title = f"{t['phase_report']}: {wf.phase(spec.subject).title.get(lang)}"
        elif spec.kind == "chain":
            template = self.templates.get(f"wirkungskette.{form}.j2", form)
            context = ctx.base_context(view, moment, None)
            title = f"{TEXTS['title'].text(lang)}: {process.sozialraum.name}"
        elif spec.kind == "process_report":
            template = self.templates.get(f"prozessbericht.{form}.j2", form)
            context = ctx.base_context(view, moment, None)
            title = f"{t['process_report']}: {process.sozialraum.name}"
        elif spec.kind == "participation":  # format v2, issue 12 §6
            template = self.templates.get(f"beteiligungsdokumentation.{form}.j2", form)
            context = ctx.base_context(view, moment, None)
            heading = view.base["participation"]["labels"]["document"]
            title = f"{heading}: {process.sozialraum.name}"
        else:
            raise DocumentError("bad-kind", msg("doc.bad-kind", kind=spec.kind))
        context["title"] = markdown_escape(title) if form == "md" else title
        document = self._emit(
            template, context, self._meta(process, template, spec, title, lang, moment)
        )
        if fmt in BINARY_FORMATS:
            return self._office(process, document, fmt, attachments)
        return document

    def convert_page(
        self,
        process: Process,
        page: str,
        fmt: str,
        *,
        template: str,
        title: str,
        path: str,
        lang: Lang = "de",
        now: datetime | None = None,
        attachments: Sequence[PdfAttachment] = (),
    ) -> Document:
        """A page rendered with :meth:`render_page` (HTML, footer included) in ``fmt``:
        ``html`` as it is, ``md`` from its structure, ``docx``/``odt``/``pdf`` as documents.

        ``template`` names the page's template (its layout files are looked for as for
        documents, see :func:`.to_docx.layout_candidates`); ``path`` is its file name.

        Raises:
            DocumentError: bad format; ``format-unavailable``; ``bad-layout``.
        """
        _check(fmt, lang, OUTPUT_FORMATS)
        compiled = self.templates.get(template, "html")
        ref = process.pinned
        meta = DocumentMeta(
            kind="report",
            subject="process",
            title=title,
            path=path,
            format="html",
            lang=lang,
            template=compiled.name,
            template_file=compiled.filename,
            template_sha256=compiled.sha256,
            process_seq=process.state.seq,
            generated_at=self._now(now),
            workflow_id=ref.id,
            workflow_version=ref.version,
            workflow_hash=ref.content_hash,
            public=self.policy.public,
        )
        stem = path.rsplit(".", 1)[0]
        if fmt == "html":
            return Document(page, attrs.evolve(meta, path=f"{stem}.html"))
        if fmt == "md":
            text = markdown_text(html_blocks(page))
            return Document(text, attrs.evolve(meta, path=f"{stem}.md", format="md"))
        return self._office(process, Document(page, meta), fmt, attachments)

    def _office(
        self, process: Process, document: Document, fmt: str, attachments: Sequence[PdfAttachment]
    ) -> Document:
        """``document`` (HTML) as a DOCX, ODT or PDF file."""
        meta = document.meta
        stem = meta.path.rsplit(".", 1)[0]
        layout: Path | None = None
        if fmt in ("docx", "odt"):
            for name in layout_candidates(meta.template, fmt):
                layout = self.templates.find_file(name)
                if layout is not None:
                    _check_layout(layout, fmt)
                    break
        meta = attrs.evolve(
            meta,
            path=f"{stem}.{fmt}",
            format=fmt,
            layout=None if layout is None else layout.name,
            layout_sha256=None
            if layout is None
            else hashlib.sha256(layout.read_bytes()).hexdigest(),
        )
        if fmt == "pdf":
            data = pdf_bytes(
                document.text,
                title=meta.title,
                lang=meta.lang,
                moment=meta.generated_at,
                attachments=attachments,
            )
        else:
            try:
                if fmt == "docx":
                    assert layout is not None  # noqa: S101 - the bundled dokument.docx is there
                    data = self._docx(process, document, meta, layout)
                else:
                    data = odt_bytes(layout, html_blocks(document.text), meta.title)
            except (DocumentError, TemplateRenderError):
                raise
            except Exception as exc:  # a layout file its library cannot read or fill
                name = meta.layout or "?"
                reason = f"{type(exc).__name__}: {exc}"
                raise DocumentError(
                    "bad-layout", msg("doc.bad-layout", name=name, format=fmt, reason=reason)
                ) from None
        return Document(document.text, meta, data)

    def _docx(
        self, process: Process, document: Document, meta: DocumentMeta, layout: Path
    ) -> bytes:
        t = texts(meta.lang)
        variables = {
            "title": meta.title,
            "sozialraum": process.sozialraum.name,
            "workflow": f"{self.workflow.title.get(meta.lang)} ({meta.workflow_version})",
            "generated": format_date_long(meta.generated_at.date(), meta.lang),
            "classification": t["public"] if meta.public else t["internal"],
            "lang": meta.lang,
            "footer": footer_text(meta),
        }
        env = self.templates.environment("html")
        blocks = html_blocks(document.text)
        try:
            with budget(RENDER_STEPS, RENDER_SECONDS):
                return docx_bytes(layout, blocks, variables, env)
        except TemplateRenderError as exc:  # refused while compiling: name the layout file
            raise TemplateRenderError(
                exc.code, layout.name, exc.line, exc.detail, exc.variable
            ) from None
        except (LimitExceeded, TemplateError) as exc:
            line = getattr(exc, "lineno", None)
            text = exc.text.text("en") if isinstance(exc, LimitExceeded) else str(exc)
            if isinstance(exc, UndefinedError):
                raise TemplateRenderError(
                    "undefined", layout.name, line, text, _undefined_name(exc)
                ) from None
            code = (
                "syntax"
                if isinstance(exc, TemplateSyntaxError)
                else "security"
                if isinstance(exc, SecurityError)
                else "limit"
                if isinstance(exc, LimitExceeded)
                else "error"
            )
            raise TemplateRenderError(code, layout.name, line, text) from None

    def render_artifact(
        self,
        process: Process,
        artifact: str,
        version: int | None = None,
        *,
        fmt: str = "md",
        lang: Lang = "de",
        now: datetime | None = None,
    ) -> Document:
        """Render one version of an artifact (default: the newest).

        Raises:
            UnknownNameError: no such artifact in the workflow.
            DocumentError: ``no-version`` — the artifact (version) does not exist yet.
            TemplateRenderError: the template fails.
        """
        versions = process.versions(artifact)
        number = version if version is not None else len(versions)
        if not 1 <= number <= len(versions):
            title = self.workflow.artifact(artifact).title
            raise DocumentError("no-version", msg("doc.no-version", title=title, number=number))
        found = next(
            (
                s
                for s in plan_documents(process)
                if s.subject == artifact and s.version == number and s.kind == "artifact"
            ),
            None,
        )
        if found is None:  # a protocol version linked to an event: render it as an artifact
            record = versions[number - 1]
            number_of_phase = self.workflow.phase_index(record.phase) + 1
            stem = (
                f"zyklus-{record.cycle}/{number_of_phase:02d}-{record.phase}/{artifact}-v{number}"
            )
            found = DocumentSpec("artifact", artifact, stem, record.cycle, number)
        return self.render(process, found, fmt=fmt, lang=lang, now=now)

    def render_event(
        self,
        process: Process,
        index: int,
        kind: str = "minutes",
        *,
        fmt: str = "md",
        lang: Lang = "de",
        now: datetime | None = None,
    ) -> Document:
        """Render the invitation (``kind="invitation"``) or minutes of held event ``index``.

        ``index`` is the position in :attr:`Process.held_events` (negative counts from the end).

        Raises:
            DocumentError: ``no-event`` or ``no-minutes`` (no protocol was recorded).
        """
        held = process.held_events
        if not -len(held) <= index < len(held):
            raise DocumentError("no-event", msg("doc.no-event", number=index, count=len(held)))
        index %= len(held)
        for spec in plan_documents(process):
            if spec.index == index and spec.kind == kind:
                return self.render(process, spec, fmt=fmt, lang=lang, now=now)
        raise DocumentError(
            "no-minutes" if kind == "minutes" else "bad-kind",
            msg("doc.no-document", number=index, kind=kind),
        )

    def page_context(
        self,
        process: Process,
        *,
        fmt: str = "html",
        lang: Lang = "de",
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """The variables every document sees, as a start for a page of your own.

        Add your own variables and pass the result to :meth:`render_page`.
        """
        form = _check(fmt, lang)
        context = ctx.base_context(self.view(process, lang, form), self._now(now), None)
        marking = msg("doc.public") if self.policy.public else msg("doc.internal")
        context["classification"] = marking.text(lang)  # öffentlich / intern
        return context

    def render_page(self, template: str, context: Mapping[str, Any], *, fmt: str = "html") -> str:
        """Render ``template`` from this renderer's search path with ``context``.

        Same sandbox, strict variables and output cap as every document; no
        provenance footer (the page is the caller's).

        Raises:
            DocumentError: the template is not found.
            TemplateRenderError: the template fails (file, line, variable).
        """
        form = _check(fmt, "de")
        return self.templates.get(template, form).render(context, self.max_chars)

    def render_process(
        self,
        process: Process,
        *,
        fmt: str = "md",
        lang: Lang = "de",
        now: datetime | None = None,
        attachments: Sequence[PdfAttachment] = (),
    ) -> Document:
        """Render the Prozessbericht: phases and cycles, decisions, events, documents.

        ``attachments`` are embedded in a PDF (see
        :func:`sozialraumprozess.app.report.history_attachments` for the run's log
        and hash-chain head).
        """
        spec = DocumentSpec("process_report", "process", "prozessbericht")
        return self.render(process, spec, fmt=fmt, lang=lang, now=now, attachments=attachments)

    def render_all(
        self,
        process: Process,
        *,
        formats: Sequence[str] = ("md",),
        lang: Lang = "de",
        now: datetime | None = None,
        attachments: Sequence[PdfAttachment] = (),
    ) -> tuple[Document, ...]:
        """Every document the state allows, in every format given, with one generation time.

        ``attachments`` go into the Prozessbericht's PDF.
        """
        moment = self._now(now)
        specs = plan_documents(process)
        return tuple(
            self.render(
                process,
                spec,
                fmt=fmt,
                lang=lang,
                now=moment,
                attachments=attachments if spec.kind == "process_report" else (),
            )
            for fmt in formats
            for spec in specs
        )

    def write_all(
        self,
        process: Process,
        folder: str | os.PathLike[str],
        *,
        formats: Sequence[str] = ("md",),
        lang: Lang = "de",
        now: datetime | None = None,
        attachments: Sequence[PdfAttachment] = (),
    ) -> tuple[DocumentMeta, ...]:
        """Write every document the state allows below ``folder``; returns their metadata.

        File names are stable (see :mod:`.plan`); existing files are overwritten.
        Everything is rendered before the first file is written.
        """
        documents = self.render_all(
            process, formats=formats, lang=lang, now=now, attachments=attachments
        )
        root = Path(folder)
        for document in documents:
            target = root / document.meta.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(document.content)
        return tuple(d.meta for d in documents)
