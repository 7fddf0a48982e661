"""``sozialraum demo``, ``scenario`` and ``diagram``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sozialraumprozess.cli.common import (
    bad_parameter,
    json_option,
    lang_option,
    load_workflow_arg,
    open_service,
    slug,
)
from sozialraumprozess.cli.completion import complete_demo, complete_store, complete_workflow
from sozialraumprozess.cli.localized import command, option
from sozialraumprozess.cli.output import echo_json
from sozialraumprozess.i18n import Lang, msg

if TYPE_CHECKING:
    from sozialraumprozess.runtime.process import Process
    from sozialraumprozess.scenario.runner import StepResult

__all__ = ["COMMANDS", "DEFAULT_DEMO"]

#: The workflow whose bundled scenario ``demo`` runs by default (seed 004's six phases).
DEFAULT_DEMO = "generationengerechte-sozialraumentwicklung"


def _store_and_render(
    directory: str, process: Process, lang: Lang, workflow_path: Path | None
) -> dict[str, Any]:
    """Store ``process`` as a new run in the store ``directory`` (a folder or URL), reopen
    it from the store, render every document (Markdown and HTML) and the report."""
    from sozialraumprozess.cli.app import CliError
    from sozialraumprozess.storage.session import create_run

    service = open_service(directory, create=True)
    try:
        run_id = slug(process.sozialraum.name)
        if run_id in service.run_ids():
            problem = msg("cli.demo-run-exists", store=service.location, run_id=run_id)
            raise CliError(problem.text(lang), lang, "cli.demo-run-exists")
        create_run(service.store, run_id, process)
        if workflow_path is not None and service.workflow_files.path is not None:
            service.workflow_files.remember(run_id, workflow_path)
        stored = service.load(run_id)  # what the store really holds
        folder, metas, failures = service.render_documents(
            stored, formats=("md", "html"), lang=lang
        )
        for path, error in failures:
            warning = msg("cli.demo-not-rendered", path=path, message=error.message(lang))
            click.echo(warning.text(lang), err=True)
        report = service.render_report(stored, lang=lang)
    finally:
        service.close()
    return {
        "store": service.location,
        "run_id": run_id,
        "run_dir": str(stored.files),
        "documents_dir": str(folder),
        "documents": len(metas),
        "failed": [path for path, _ in failures],
        "report": str(report),
        "phase": stored.process.phase,
        "cycle": stored.process.cycle,
        "events": len(stored.process.log),
    }


def _print_stored(info: dict[str, Any], lang: Lang) -> None:
    stored = msg(
        "cli.stored-run", run_id=info["run_id"], events=info["events"], path=info["run_dir"]
    )
    click.echo(stored.text(lang))
    documents = msg("cli.stored-documents", files=info["documents"], path=info["documents_dir"])
    click.echo(documents.text(lang))
    click.echo(msg("cli.stored-report", path=info["report"]).text(lang))


@command(help=msg("cli.help.demo"), json_keys=msg("cli.help.demo.with-json"))
@click.argument("directory", metavar="STORE", shell_complete=complete_store)
@option(
    "--workflow",
    "-w",
    "workflow_id",
    default=DEFAULT_DEMO,
    show_default=True,
    metavar="ID",
    shell_complete=complete_demo,
    help=msg("cli.help.demo.workflow"),
)
@lang_option
@json_option
def demo(directory: str, workflow_id: str, lang: Lang, as_json: bool) -> None:
    """Run a bundled workflow's sample scenario into the store STORE, with documents.

    STORE is a folder or a URL such as sqlite:///path/file.db (created if
    needed). Stores the run (every event through the store), renders all documents
    (Markdown and HTML) and the HTML report, and prints where they are.

    \b
    With --json: an object with the keys store, run_id, run_dir,
    documents_dir, documents, failed, report, phase, cycle, events,
    steps, next_steps (command, subject, role, command_line: argv and shell).
    """
    from sozialraumprozess.cli.hints import command_line, step
    from sozialraumprozess.scenario.loader import bundled_scenario_path
    from sozialraumprozess.scenario.runner import run_scenario

    path = bundled_scenario_path(workflow_id)
    done = run_scenario(path, lang=lang)
    info = _store_and_render(directory, done.process, lang, None)
    info["steps"] = len(done.results)
    line = command_line(["status"], store=directory, run_id=info["run_id"])
    info["next_steps"] = [step("status", None, None, line)]
    if as_json:
        echo_json(info)
        return
    title = done.scenario.title or done.scenario.name
    click.echo(msg("cli.demo-head", title=title, steps=len(done.results)).text(lang))
    _print_stored(info, lang)
    click.echo(msg("cli.next-command", command=line["shell"]).text(lang))


@command(help=msg("cli.help.scenario"), json_keys=msg("cli.help.scenario.with-json"))
@click.argument("source", metavar="FILE|NAME")
@option(
    "--dir",
    "-d",
    "directory",
    default=None,
    metavar="STORE",
    help=msg("cli.help.scenario.dir"),
)
@lang_option
@json_option
def scenario(source: str, directory: str | None, lang: Lang, as_json: bool) -> None:
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
        problem = msg("cli.not-a-scenario", source=source, bundled=", ".join(bundled_scenarios()))
        raise bad_parameter(problem, lang, "FILE|NAME")
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
    phase = process.workflow.phase(process.phase).title
    passed = msg("cli.scenario-passed", steps=len(done.results), phase=phase, cycle=process.cycle)
    click.echo(passed.text(lang))
    if stored is not None:
        _print_stored(stored, lang)


@command(help=msg("cli.help.diagram"), json_keys=msg("cli.help.diagram.with-json"))
@click.argument("workflow", metavar="WORKFLOW", shell_complete=complete_workflow)
@option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "dot", "svg"]),
    default="mermaid",
    show_default=True,
    help=msg("cli.help.diagram.format"),
)
@option("--current", default=None, metavar="PHASE", help=msg("cli.help.diagram.current"))
@lang_option
@json_option
def diagram(workflow: str, fmt: str, current: str | None, lang: Lang, as_json: bool) -> None:
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
        from sozialraumprozess.app.svg import workflow_svg

        text = workflow_svg(wf, lang=lang, current=current) + "\n"
    if as_json:
        echo_json({"workflow": wf.id, "format": fmt, "current": current, "text": text})
        return
    click.echo(text, nl=False)


COMMANDS: list[click.Command] = [demo, scenario, diagram]
