"""``sozialraum render`` (documents) and ``report`` (one self-contained HTML page)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from sozialraumprozess.cli.common import (
    dir_argument,
    json_option,
    lang_option,
    run_option,
    service_at,
    store_option,
    usage_error,
)
from sozialraumprozess.cli.localized import command, option
from sozialraumprozess.cli.output import echo_json
from sozialraumprozess.i18n import Lang, msg, plural

if TYPE_CHECKING:
    from sozialraumprozess.app.service import OpenRun, Service

__all__ = ["COMMANDS", "REPORT_NAME"]

#: File name of the report in the run's folder.
REPORT_NAME = "bericht.html"
#: The formats of documents and of the report.
FORMATS: tuple[str, ...] = ("md", "html", "docx", "odt", "pdf")


@command(help=msg("cli.help.report"), json_keys=msg("cli.help.report.with-json"))
@dir_argument
@store_option
@run_option
@option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    metavar="FILE",
    help=msg("cli.help.report.output"),
)
@option("--public", is_flag=True, default=False, help=msg("cli.help.report.public"))
@option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, "all"]),
    default="html",
    show_default=True,
    help=msg("cli.help.report.format"),
)
@lang_option
@json_option
def report(
    directory: str | None,
    store: str | None,
    run_id: str | None,
    output: str | None,
    public: bool,
    fmt: str,
    lang: Lang,
    as_json: bool,
) -> None:
    """Write the process report: one self-contained HTML page for council or public.

    Phase timeline with cycles, current blockers, decisions with votes, events,
    budget figures, documents (linked when rendered with 'sozialraum render') and
    the workflow diagram with the current phase highlighted (inline SVG). The
    page needs no JavaScript and no network. Prints the path written. The
    default file is bericht.html in the run's folder (bericht.en.html with
    --lang en, so both languages stay side by side; folder store:
    STORE/runs/RUN_ID/; SQLite store FILE.db: FILE-runs/RUN_ID/ beside it).

    \b
    --format: md, html (default), docx (Word, laid out in dokument.docx or
    bericht.docx from the template folders), odt (LibreOffice), pdf (PDF/A-3b
    with the run's event log and hash-chain head embedded) or all; other
    formats than html replace the file's suffix (bericht.pdf).

    \b
    With --json: an object with the keys path, run_id, phase, cycle (and paths,
    every file written).
    """
    formats = FORMATS if fmt == "all" else (fmt,)
    with service_at(store, directory) as service:
        opened = service.open_run(run_id)
        if output == "-":  # to stdout: nothing is written (a read-only store works)
            if len(formats) > 1:
                raise usage_error(msg("cli.report-one-format-to-stdout"), lang)
            if fmt == "html":
                click.echo(service.report_text(opened, lang=lang), nl=False)
            else:
                stream = click.get_binary_stream("stdout")
                stream.write(service.report_content(opened, fmt=fmt, lang=lang))
                stream.flush()
            return
        if output is None and opened.files is None:  # a server store: no folder of its own
            raise usage_error(msg("cli.report-needs-output", store=service.location), lang)
        written = [
            service.render_report(
                opened,
                lang=lang,
                output=_with_format(Path(output), form, fmt) if output else None,
                public=public,
                fmt=form,
            )
            for form in formats
        ]
    if as_json:
        echo_json(
            {
                "path": str(written[0]),
                "paths": [str(path) for path in written],
                "run_id": opened.run_id,
                "phase": opened.process.phase,
                "cycle": opened.process.cycle,
            }
        )
        return
    for path in written:
        click.echo(str(path))
    click.echo(msg("cli.report-written").text(lang), err=True)


def _with_format(output: Path, form: str, asked: str) -> Path:
    """``output`` for format ``form``: as given for one format, else with its suffix."""
    return output if asked != "all" else output.with_suffix(f".{form}")


# --------------------------------------------------------------------------- render


@command(help=msg("cli.help.render"), json_keys=msg("cli.help.render.with-json"))
@dir_argument
@store_option
@run_option
@option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, "both", "all"]),
    default="both",
    show_default=True,
    help=msg("cli.help.render.format"),
)
@option(
    "--output",
    "-o",
    "folder",
    type=click.Path(file_okay=False),
    default=None,
    metavar="DIR",
    help=msg("cli.help.render.output"),
)
@option("--public", is_flag=True, default=False, help=msg("cli.help.render.public"))
@lang_option
@json_option
def render(
    directory: str | None,
    store: str | None,
    run_id: str | None,
    fmt: str,
    folder: str | None,
    public: bool,
    lang: Lang,
    as_json: bool,
) -> None:
    """Write every document the run's state allows into the run's documents/ folder.

    Prints the path of each file written. A document whose template fails is
    reported on stderr (file, line) and skipped; the exit code is then 1.
    --format: md, html, both (md and html, the default), docx, odt, pdf
    (PDF/A-3b; the Prozessbericht's embeds the event log and hash-chain head)
    or all. Every planned event also gets an iCalendar file (.ics).

    \b
    With --json: an object with the keys folder and documents (a list of
    objects with path, kind, title, format) and failed (paths not written).
    """
    formats = ("md", "html") if fmt == "both" else FORMATS if fmt == "all" else (fmt,)
    with service_at(store, directory) as service:
        opened = service.open_run(run_id)
        if folder is None and opened.files is None:  # a server store keeps them itself
            _render_into_store(service, opened, formats, lang, as_json)
            return
        target, metas, failures = service.render_documents(
            opened,
            formats=formats,
            lang=lang,
            folder=Path(folder) if folder else None,
            public=public,
        )
    for path, error in failures:
        problem = msg("cli.document-failed", path=path, message=error.message(lang))
        click.echo(problem.text(lang), err=True)
    if as_json:
        echo_json(
            {
                "folder": str(target),
                "documents": [
                    {
                        "path": str(target / m.path),
                        "kind": m.kind,
                        "title": m.title,
                        "format": m.format,
                    }
                    for m in metas
                ],
                "failed": [path for path, _ in failures],
            }
        )
        return
    for meta in metas:
        click.echo(str(target / meta.path))
    click.echo(plural("cli.documents-written", len(metas), folder=str(target)).text(lang), err=True)
    if failures:
        raise SystemExit(1)


def _render_into_store(
    service: Service, opened: OpenRun, formats: tuple[str, ...], lang: Lang, as_json: bool
) -> None:
    """``render`` on a store without local files: the documents go into the store
    (a PostgreSQL store keeps them in the database, for every application server)."""
    metas, failures = service.store_documents(opened, formats=formats, lang=lang)
    for path, error in failures:
        problem = msg("cli.document-failed", path=path, message=error.message(lang))
        click.echo(problem.text(lang), err=True)
    if as_json:
        echo_json(
            {
                "folder": None,
                "store": service.location,
                "documents": [
                    {"path": m.path, "kind": m.kind, "title": m.title, "format": m.format}
                    for m in metas
                ],
                "failed": [path for path, _ in failures],
            }
        )
    else:
        for meta in metas:
            click.echo(meta.path)
        done = plural("cli.documents-stored", len(metas), store=service.location)
        click.echo(done.text(lang), err=True)
    if failures:
        raise SystemExit(1)


COMMANDS: list[click.Command] = [render, report]
