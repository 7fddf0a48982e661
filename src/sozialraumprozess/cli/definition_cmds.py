"""Commands about workflow definitions: validate, workflows, show, diff, schema."""

from __future__ import annotations

import os
from typing import Any

import click

from sozialraumprozess.cli.common import bad_parameter, json_option, lang_option
from sozialraumprozess.cli.completion import complete_workflow
from sozialraumprozess.cli.localized import command, option
from sozialraumprozess.cli.output import echo_json, print_table
from sozialraumprozess.i18n import Lang, msg

__all__ = ["COMMANDS", "json_option", "lang_option"]


@command(help=msg("cli.help.validate"), json_keys=msg("cli.help.validate.with-json"))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@lang_option
@json_option
def validate(files: tuple[str, ...], lang: Lang, as_json: bool) -> None:
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
            raise bad_parameter(msg("cli.file-not-found", path=name), lang, "FILES")
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
        if issues:
            summary = msg(
                "cli.validate-problems", problems=len(issues), invalid=invalid, files=len(files)
            )
        else:
            summary = msg("cli.validate-valid", files=len(files))
        click.echo(summary.text(lang), err=bool(issues))
    if invalid:
        raise SystemExit(1)


@command(help=msg("cli.help.workflows"), json_keys=msg("cli.help.workflows.with-json"))
@lang_option
@json_option
def workflows(lang: Lang, as_json: bool) -> None:
    """List the bundled workflows (id, title, phases).

    \b
    With --json: a list of objects with the keys id, version, title, phases, cyclic.
    """
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
    headers = ["ID", msg("cli.head-title").text(lang), msg("cli.head-phases").text(lang)]
    print_table(headers, [(r["id"], r["title"], len(r["phases"])) for r in rows])


@command(help=msg("cli.help.show"), json_keys=msg("cli.help.show.with-json"))
@click.argument("workflow", shell_complete=complete_workflow)
@lang_option
@json_option
def show(workflow: str, lang: Lang, as_json: bool) -> None:
    """Show a workflow: phases with gates, roles, transitions and a RACI matrix.

    WORKFLOW is the id of a bundled workflow or a path to a workflow file.

    \b
    With --json: an object with the keys workflow (the definition) and raci.
    """
    from sozialraumprozess.definition.convert import unstructure_workflow
    from sozialraumprozess.definition.describe import describe_criterion, describe_duration
    from sozialraumprozess.definition.loader import load_workflow

    wf = load_workflow(workflow, lang=lang)
    if as_json:
        echo_json({"workflow": unstructure_workflow(wf), "raci": wf.raci()})
        return

    def say(code_message: Any) -> str:
        return str(code_message.text(lang))

    click.echo(say(msg("cli.show-head", title=wf.title, id=wf.id, version=wf.version)))
    if wf.source:
        click.echo(say(msg("cli.show-source", source=wf.source)))
    click.echo()
    click.echo(say(msg("cli.head-phases")))
    for number, phase in enumerate(wf.phases, 1):
        role = wf.role(phase.responsible).title
        details = [say(msg("cli.show-responsible", role=role))]
        if phase.duration:
            duration = describe_duration(phase.duration, lang)
            details.append(say(msg("cli.show-duration", duration=duration)))
        if phase.optional:
            details.append(say(msg("phases.show-optional")))
        click.echo(f"{number}. {phase.title.get(lang)} [{phase.id}] – {', '.join(details)}")
        if phase.events:
            names = ", ".join(wf.event(e).title.get(lang) for e in phase.events)
            click.echo("   " + say(msg("cli.show-events", names=names)))
        if phase.artifacts:
            names = ", ".join(wf.artifact(a).title.get(lang) for a in phase.artifacts)
            click.echo("   " + say(msg("cli.show-artifacts", names=names)))
        if phase.exit:
            click.echo("   " + say(msg("cli.show-exit-criteria")))
            for criterion in phase.exit:
                click.echo(f"     - {describe_criterion(wf, criterion, lang)}")
        required = {s.id for s in phase.required_strands}
        for strand in phase.strands:  # format v2
            owner = wf.role(strand.responsible).title
            line = msg("phases.show-strand", title=strand.title, id=strand.id, role=owner)
            extra = "" if strand.id in required else " – " + say(msg("doc.strand-optional"))
            click.echo("   " + say(line) + extra)
            for criterion in strand.exit:
                click.echo(f"     - {describe_criterion(wf, criterion, lang)}")
        nxt = wf.next_phase(phase.id)
        if nxt is None:
            click.echo("   → " + say(msg("cli.show-end")))
        elif wf.is_backward(phase.id, nxt):
            new_cycle = say(msg("cli.show-new-cycle"))
            click.echo(f"   ↺ {nxt} ({new_cycle})")
        else:
            click.echo(f"   → {nxt}")
    if wf.transitions:
        click.echo()
        click.echo(say(msg("cli.show-transitions")))
        for t in wf.transitions:
            allowed = ", ".join(wf.role(r).title.get(lang) for r in t.allowed)
            title = f" – {t.title.get(lang)}" if t.title else ""
            click.echo(f"  {t.id}: {t.source} → {t.target}{title} ({allowed})")
            if t.when:  # format v2
                if t.auto:
                    condition = msg("phases.show-when-auto", expression=t.when)
                else:
                    condition = msg("phases.show-when", expression=t.when)
                click.echo("    " + say(condition))
    click.echo()
    print_table(
        ["ID", say(msg("cli.head-role"))],
        [(r.id, r.title.get(lang)) for r in wf.roles],
        title=say(msg("cli.head-roles")),
    )
    click.echo()
    raci = wf.raci()
    headers = [say(msg("cli.head-role")), *[str(i) for i in range(1, len(wf.phases) + 1)]]
    rows = [[r.id, *[raci[r.id][p.id] or "·" for p in wf.phases]] for r in wf.roles]
    print_table(headers, rows, title=say(msg("cli.show-raci-legend")))


@command(help=msg("cli.help.schema"))
@option("--scenario", "scenario", is_flag=True, default=False, help=msg("cli.help.schema.scenario"))
@lang_option
@json_option
def schema(scenario: bool, lang: Lang, as_json: bool) -> None:
    """Print the JSON Schema (Draft-07) of the workflow file format (with --scenario:
    of scenario files).

    The schema is JSON already; --json prints it the same way (the option is
    there so every command takes it). --lang does not change the schema.
    """
    if scenario:
        from sozialraumprozess.scenario.schema import scenario_schema_json

        click.echo(scenario_schema_json(), nl=False)
        return
    from sozialraumprozess.definition.schema import schema_json

    click.echo(schema_json(), nl=False)


@command(help=msg("cli.help.diff"), json_keys=msg("cli.help.diff.with-json"))
@click.argument("old", shell_complete=complete_workflow)
@click.argument("new", shell_complete=complete_workflow)
@lang_option
@json_option
def diff(old: str, new: str, lang: Lang, as_json: bool) -> None:
    """Show what changed between two versions of a workflow, phase by phase."""
    from sozialraumprozess.definition.diff import diff_workflows
    from sozialraumprozess.definition.loader import load_workflow

    changes = diff_workflows(load_workflow(old, lang=lang), load_workflow(new, lang=lang))
    if as_json:
        echo_json(changes.to_dict(lang))
        return
    click.echo(changes.text(lang), nl=False)


COMMANDS = [validate, workflows, show, diff, schema]
