"""``sozialraum demo``, ``scenario`` and ``diagram``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sozialraumprozess.cli.common import load_workflow_arg, slug, t
from sozialraumprozess.cli.definition_cmds import json_option, lang_option
from sozialraumprozess.cli.output import echo_json

if TYPE_CHECKING:
    from sozialraumprozess.runtime.process import Process
    from sozialraumprozess.scenario.runner import StepResult

__all__ = ["COMMANDS", "DEFAULT_DEMO"]

#: The workflow whose bundled scenario ``demo`` runs by default (seed 004's six phases).
DEFAULT_DEMO = "generationengerechte-sozialraumentwicklung"


def _store_and_render(
    directory: str, process: Process, lang: str, workflow_path: Path | None
) -> dict[str, Any]:
    """Store ``process`` as a new run in the folder store ``directory``, reopen it from
    the store, render every document (Markdown and HTML) and the report."""
    from sozialraumprozess.cli.common import remember_workflow
    from sozialraumprozess.cli.report import render_report, write_documents
    from sozialraumprozess.cli.report_cmds import REPORT_NAME
    from sozialraumprozess.storage.folder import FolderStore
    from sozialraumprozess.storage.session import create_run, open_run

    store = FolderStore(directory)
    run_id = slug(process.sozialraum.name)
    if store.run_dir(run_id).exists():
        raise click.ClickException(
            t(
                lang,
                f"{store.root} enthält den Prozess '{run_id}' schon; einen anderen Ordner "
                "wählen oder diesen löschen",
                f"{store.root} already holds the run '{run_id}'; choose another folder "
                "or delete it",
            )
        )
    create_run(store, run_id, process)
    if workflow_path is not None:
        remember_workflow(store, run_id, workflow_path)
    stored = open_run(store, run_id, process.workflow).process  # what the store really holds
    folder = store.documents_dir(run_id)
    metas, failures = write_documents(
        stored, folder, formats=("md", "html"), lang=lang, workflow_path=workflow_path
    )
    for path, error in failures:
        message = error.message(lang)
        click.echo(
            t(
                lang,
                f"Warnung: {path} nicht erzeugt: {message}",
                f"warning: {path} not rendered: {message}",
            ),
            err=True,
        )
    report = render_report(
        stored,
        store.run_dir(run_id) / REPORT_NAME,
        lang=lang,
        documents_dir=folder,
        workflow_path=workflow_path,
    )
    return {
        "store": str(store.root),
        "run_id": run_id,
        "run_dir": str(store.run_dir(run_id)),
        "documents_dir": str(folder),
        "documents": len(metas),
        "failed": [path for path, _ in failures],
        "report": str(report),
        "phase": stored.phase,
        "cycle": stored.cycle,
        "events": len(stored.log),
    }


def _print_stored(info: dict[str, Any], lang: str) -> None:
    click.echo(
        t(
            lang,
            f"Gespeichert: Prozess '{info['run_id']}' ({info['events']} Ereignisse) in "
            f"{info['run_dir']}",
            f"stored: run '{info['run_id']}' ({info['events']} events) in {info['run_dir']}",
        )
    )
    click.echo(
        t(
            lang,
            f"Dokumente:   {info['documents']} Dateien in {info['documents_dir']}",
            f"documents:   {info['documents']} files in {info['documents_dir']}",
        )
    )
    click.echo(f"{t(lang, 'Bericht:', 'report:')}     {info['report']}")


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option(
    "--workflow",
    "-w",
    "workflow_id",
    default=DEFAULT_DEMO,
    show_default=True,
    metavar="ID",
    help="Mitgelieferter Workflow, dessen Beispielszenario läuft.",
)
@lang_option
@json_option
def demo(directory: str, workflow_id: str, lang: str, as_json: bool) -> None:
    """Run a bundled workflow's sample scenario into a folder store DIR, with documents.

    Stores the run (every event through the store), renders all documents
    (Markdown and HTML) and the HTML report, and prints where they are.

    \b
    With --json: an object with the keys store, run_id, run_dir,
    documents_dir, documents, failed, report, phase, cycle, events,
    steps.
    """
    from sozialraumprozess.scenario.loader import bundled_scenario_path
    from sozialraumprozess.scenario.runner import run_scenario

    path = bundled_scenario_path(workflow_id)
    done = run_scenario(path, lang=lang)
    info = _store_and_render(directory, done.process, lang, None)
    info["steps"] = len(done.results)
    if as_json:
        echo_json(info)
        return
    click.echo(
        t(
            lang,
            f"Demo: {done.scenario.title or done.scenario.name} – {len(done.results)} Schritte",
            f"demo: {done.scenario.title or done.scenario.name} – {len(done.results)} steps",
        )
    )
    _print_stored(info, lang)
    click.echo(t(lang, "Weiter mit: sozialraum status ", "next: sozialraum status ") + directory)


@click.command()
@click.argument("source", metavar="FILE|NAME")
@click.option(
    "--dir",
    "-d",
    "directory",
    default=None,
    type=click.Path(file_okay=False),
    help="Den Lauf außerdem in diesem Speicher ablegen und Dokumente erzeugen.",
)
@lang_option
@json_option
def scenario(source: str, directory: str | None, lang: str, as_json: bool) -> None:
    """Run a scenario file (or a bundled scenario NAME) and print one line per step.

    Exit 1 at the first failing step, with its FILE:LINE and what went wrong.
    With --dir, the finished run is also stored there and its documents rendered.

    \b
    With --json: an object with the keys scenario, title, workflow, steps (a
    list of index, line, description), phase, cycle, and with --dir: stored.
    """
    from sozialraumprozess.scenario.loader import bundled_scenarios, load_scenario
    from sozialraumprozess.scenario.runner import run_scenario

    if not Path(source).exists() and source not in bundled_scenarios():
        raise click.BadParameter(
            t(
                lang,
                f"weder Datei noch mitgeliefertes Szenario: {source} "
                f"(mitgeliefert: {', '.join(bundled_scenarios())})",
                f"neither a file nor a bundled scenario: {source} "
                f"(bundled: {', '.join(bundled_scenarios())})",
            ),
            param_hint="FILE|NAME",
        )
    loaded = load_scenario(source, lang=lang)

    def on_step(result: StepResult) -> None:
        if not as_json:
            line = f"{loaded.file}:{result.step.line}" if result.step.line else loaded.file
            click.echo(f"✓ {result.step.index + 1:>3} {result.description}  ({line})")

    done = run_scenario(loaded, lang=lang, on_step=on_step)
    workflow_path = loaded.workflow_path()
    stored = _store_and_render(directory, done.process, lang, workflow_path) if directory else None
    process = done.process
    if as_json:
        data: dict[str, Any] = {
            "scenario": loaded.file,
            "title": loaded.title,
            "workflow": process.workflow.id,
            "steps": [
                {"index": r.step.index, "line": r.step.line, "description": r.description}
                for r in done.results
            ],
            "phase": process.phase,
            "cycle": process.cycle,
        }
        if stored is not None:
            data["stored"] = stored
        echo_json(data)
        return
    phase = process.workflow.phase(process.phase).title.get(lang)
    click.echo(
        t(
            lang,
            f"{len(done.results)} Schritte erfolgreich; Phase: {phase}, Zyklus {process.cycle}",
            f"{len(done.results)} steps passed; phase: {phase}, cycle {process.cycle}",
        )
    )
    if stored is not None:
        _print_stored(stored, lang)


@click.command()
@click.argument("workflow", metavar="WORKFLOW")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "dot", "svg"]),
    default="mermaid",
    show_default=True,
    help="Mermaid, Graphviz DOT oder SVG.",
)
@click.option("--current", default=None, metavar="PHASE", help="Hervorgehobene Phase.")
@lang_option
@json_option
def diagram(workflow: str, fmt: str, current: str | None, lang: str, as_json: bool) -> None:
    """Print a workflow's diagram as Mermaid, Graphviz DOT or SVG text.

    WORKFLOW is a bundled workflow id or a workflow file. No native tool needed.

    \b
    With --json: an object with the keys workflow, format, current, text.
    """
    wf, _ = load_workflow_arg(workflow, lang)
    if fmt == "mermaid":
        from sozialraumprozess.definition.diagram import to_mermaid

        text = to_mermaid(wf, lang=lang, current=current)
    elif fmt == "dot":
        from sozialraumprozess.definition.diagram import to_dot

        text = to_dot(wf, lang=lang, current=current)
    else:
        from sozialraumprozess.cli.svg import workflow_svg

        text = workflow_svg(wf, lang=lang, current=current) + "\n"
    if as_json:
        echo_json({"workflow": wf.id, "format": fmt, "current": current, "text": text})
        return
    click.echo(text, nl=False)


COMMANDS: list[click.Command] = [demo, scenario, diagram]
