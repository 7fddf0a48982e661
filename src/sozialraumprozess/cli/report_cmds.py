"""``sozialraum render`` (documents) and ``report`` (one self-contained HTML page)."""

from __future__ import annotations

from pathlib import Path

import click

from sozialraumprozess.cli.common import dir_argument, open_the_run, run_option, t
from sozialraumprozess.cli.definition_cmds import json_option, lang_option
from sozialraumprozess.cli.output import echo_json

__all__ = ["COMMANDS", "REPORT_NAME"]

#: File name of the report in the run's folder.
REPORT_NAME = "bericht.html"


@click.command()
@dir_argument
@run_option
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE",
    help="Zieldatei (Standard: DIR/runs/RUN_ID/bericht.html) / output file.",
)
@lang_option
@json_option
def report(
    directory: str, run_id: str | None, output: str | None, lang: str, as_json: bool
) -> None:
    """Write the process report: one self-contained HTML page for council or public.

    Phase timeline with cycles, current blockers, decisions with votes, events,
    budget figures, documents (linked when rendered with 'sozialraum render') and
    the workflow diagram with the current phase highlighted (inline SVG). The
    page needs no JavaScript and no network. Prints the path written.

    \b
    With --json: an object with the keys path, run_id, phase, cycle.
    """
    from sozialraumprozess.cli.report import render_report

    opened = open_the_run(directory, run_id, lang)
    target = Path(output) if output else opened.run_dir() / REPORT_NAME
    written = render_report(
        opened.process,
        target,
        lang=lang,
        documents_dir=opened.run_dir() / "documents",
        workflow_path=opened.workflow_path,
    )
    if as_json:
        echo_json(
            {
                "path": str(written),
                "run_id": opened.run_id,
                "phase": opened.process.phase,
                "cycle": opened.process.cycle,
            }
        )
        return
    click.echo(str(written))
    click.echo(t(lang, "Bericht geschrieben", "report written"), err=True)


# --------------------------------------------------------------------------- render


@click.command()
@dir_argument
@run_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "both"]),
    default="both",
    show_default=True,
    help="Markdown, HTML oder beides.",
)
@lang_option
@json_option
def render(directory: str, run_id: str | None, fmt: str, lang: str, as_json: bool) -> None:
    """Write every document the run's state allows into the run's documents/ folder.

    Prints the path of each file written. A document whose template fails is
    reported on stderr (file, line) and skipped; the exit code is then 1.

    \b
    With --json: an object with the keys folder and documents (a list of
    objects with path, kind, title, format) and failed (paths not written).
    """
    from sozialraumprozess.cli.report import write_documents

    opened = open_the_run(directory, run_id, lang)
    formats = ("md", "html") if fmt == "both" else (fmt,)
    folder = opened.documents_dir()
    metas, failures = write_documents(
        opened.process, folder, formats=formats, lang=lang, workflow_path=opened.workflow_path
    )
    for path, error in failures:
        click.echo(f"{t(lang, 'Fehler', 'Error')}: {path}: {error.message(lang)}", err=True)
    if as_json:
        echo_json(
            {
                "folder": str(folder),
                "documents": [
                    {
                        "path": str(folder / m.path),
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
        click.echo(str(folder / meta.path))
    click.echo(
        t(lang, f"{len(metas)} Dokumente in {folder}", f"{len(metas)} documents in {folder}"),
        err=True,
    )
    if failures:
        raise SystemExit(1)


COMMANDS: list[click.Command] = [render, report]
