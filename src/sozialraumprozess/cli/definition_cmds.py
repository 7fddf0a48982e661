"""Commands about workflow definitions: validate, workflows, show, schema."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

from sozialraumprozess.cli.output import echo_json, print_table

__all__ = ["COMMANDS", "json_option", "lang_option"]

F = TypeVar("F", bound=Callable[..., Any])


def lang_option(func: F) -> F:
    """``--lang de|en`` (env ``SOZIALRAUM_LANG``), German by default."""
    return click.option(
        "--lang",
        type=click.Choice(["de", "en"]),
        default="de",
        envvar="SOZIALRAUM_LANG",
        show_default=True,
        help="Sprache der Ausgabe / language of the output.",
    )(func)


def json_option(func: F) -> F:
    """``--json``: machine-readable output."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@lang_option
@json_option
def validate(files: tuple[str, ...], lang: str, as_json: bool) -> None:
    """Check workflow files and explain every problem.

    Prints one line per problem, ``FILE:LINE:COL: PATH: MESSAGE``, followed by
    the source line. Exit code 0: all valid; 1: problems found; 2: usage error.

    \b
    With --json: a JSON list of objects with the keys
    file, line, column, path, message, hint, code.
    """
    from sozialraumprozess.definition.loader import load_workflow
    from sozialraumprozess.errors import Issue, WorkflowError

    issues: list[Issue] = []
    invalid = 0
    for name in files:
        if not os.path.exists(name):
            raise click.BadParameter(
                f"Datei nicht gefunden: {name}" if lang == "de" else f"file not found: {name}",
                param_hint="FILES",
            )
        try:
            load_workflow(name, lang=lang)
        except WorkflowError as error:
            invalid += 1
            issues.extend(error.issues)
    if as_json:
        echo_json([issue.to_dict(lang) for issue in issues])
    else:
        for issue in issues:
            click.echo(issue.format(lang))
        if lang == "en":
            summary = (
                f"{len(issues)} problem(s) in {invalid} of {len(files)} file(s)"
                if issues
                else f"{len(files)} file(s) valid"
            )
        else:
            summary = (
                f"{len(issues)} Problem(e) in {invalid} von {len(files)} Datei(en)"
                if issues
                else f"{len(files)} Datei(en) gültig"
            )
        click.echo(summary, err=bool(issues))
    if invalid:
        raise SystemExit(1)


@click.command()
@lang_option
@json_option
def workflows(lang: str, as_json: bool) -> None:
    """List the bundled workflows (id, title, phases)."""
    from sozialraumprozess.definition.loader import bundled_workflows, load_workflow

    rows: list[dict[str, Any]] = []
    for workflow_id in bundled_workflows():
        workflow = load_workflow(workflow_id, lang=lang)
        rows.append(
            {
                "id": workflow.id,
                "version": workflow.version,
                "title": workflow.title.get(lang),
                "phases": [p.id for p in workflow.phases],
                "cyclic": workflow.is_cyclic,
            }
        )
    if as_json:
        echo_json(rows)
        return
    headers = ["ID", "Titel" if lang == "de" else "Title", "Phasen" if lang == "de" else "Phases"]
    print_table(headers, [(r["id"], r["title"], len(r["phases"])) for r in rows])


@click.command()
@click.argument("workflow")
@lang_option
@json_option
def show(workflow: str, lang: str, as_json: bool) -> None:
    """Show a workflow: phases with gates, roles, transitions and a RACI matrix.

    WORKFLOW is the id of a bundled workflow or a path to a workflow file.
    """
    from sozialraumprozess.definition.convert import unstructure_workflow
    from sozialraumprozess.definition.describe import describe_criterion, describe_duration
    from sozialraumprozess.definition.loader import load_workflow

    wf = load_workflow(workflow, lang=lang)
    de = lang == "de"
    if as_json:
        echo_json({"workflow": unstructure_workflow(wf), "raci": wf.raci()})
        return
    click.echo(f"{wf.title.get(lang)} ({wf.id}, Version {wf.version})")
    if wf.source:
        click.echo(f"{'Quelle' if de else 'Source'}: {wf.source}")
    click.echo()
    click.echo("Phasen" if de else "Phases")
    for number, phase in enumerate(wf.phases, 1):
        role = wf.role(phase.responsible).title.get(lang)
        line = f"{number}. {phase.title.get(lang)} [{phase.id}]"
        details = [f"{'verantwortlich' if de else 'responsible'}: {role}"]
        if phase.duration:
            details.append(
                f"{'Dauer' if de else 'duration'}: {describe_duration(phase.duration, lang)}"
            )
        click.echo(f"{line} – {', '.join(details)}")
        if phase.events:
            names = ", ".join(wf.event(e).title.get(lang) for e in phase.events)
            click.echo(f"   {'Veranstaltungen' if de else 'Events'}: {names}")
        if phase.artifacts:
            names = ", ".join(wf.artifact(a).title.get(lang) for a in phase.artifacts)
            click.echo(f"   {'Artefakte' if de else 'Artifacts'}: {names}")
        if phase.exit:
            click.echo(f"   {'Abschlusskriterien' if de else 'Exit criteria'}:")
            for criterion in phase.exit:
                click.echo(f"     - {describe_criterion(wf, criterion, lang)}")
        nxt = wf.next_phase(phase.id)
        if nxt is None:
            click.echo(f"   → {'Ende' if de else 'end'}")
        elif wf.is_backward(phase.id, nxt):
            click.echo(f"   ↺ {nxt} ({'neuer Zyklus' if de else 'new cycle'})")
        else:
            click.echo(f"   → {nxt}")
    if wf.transitions:
        click.echo()
        click.echo("Übergänge" if de else "Transitions")
        for t in wf.transitions:
            allowed = ", ".join(wf.role(r).title.get(lang) for r in t.allowed)
            title = f" – {t.title.get(lang)}" if t.title else ""
            click.echo(f"  {t.id}: {t.source} → {t.target}{title} ({allowed})")
    click.echo()
    print_table(
        ["ID", "Rolle" if de else "Role"],
        [(r.id, r.title.get(lang)) for r in wf.roles],
        title="Rollen" if de else "Roles",
    )
    click.echo()
    raci = wf.raci()
    headers = ["Rolle" if de else "Role", *[str(i) for i in range(1, len(wf.phases) + 1)]]
    rows = [[r.id, *[raci[r.id][p.id] or "·" for p in wf.phases]] for r in wf.roles]
    legend = (
        "RACI (R verantwortlich, A beschließt/gibt frei, C beteiligt, I informiert)"
        if de
        else "RACI (R responsible, A approves/decides, C consulted, I informed)"
    )
    print_table(headers, rows, title=legend)


@click.command()
def schema() -> None:
    """Print the JSON Schema (Draft-07) of the workflow file format."""
    from sozialraumprozess.definition.schema import schema_json

    click.echo(schema_json(), nl=False)


COMMANDS = [validate, workflows, show, schema]
