"""A Markdown page describing a workflow: diagram, phases and gates, RACI, artifacts.

The docs have one generated page per bundled workflow (``docs/workflows/<id>.md``);
a test keeps them identical to :func:`workflow_page`. Use it for your own
workflows, too::

    from sozialraumprozess import load_workflow
    from sozialraumprozess.definition.pages import workflow_page

    print(workflow_page(load_workflow("mein-prozess.yaml")))
"""

from __future__ import annotations

from sozialraumprozess.definition.describe import describe_criterion, describe_duration
from sozialraumprozess.definition.diagram import to_mermaid
from sozialraumprozess.definition.model import FieldSpec, ItemLifecycle, Phase, Workflow

__all__ = ["workflow_page"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _field_rows(fields: tuple[FieldSpec, ...], prefix: str = "") -> list[str]:
    rows = []
    for spec in fields:
        name = f"{prefix}{spec.name}"
        kind: str = spec.type
        if spec.type == "choice":
            kind += ": " + ", ".join(spec.choices)
        if spec.type == "list" and spec.items is not None:
            kind = f"list of {spec.items.type}"
        limits = []
        if spec.min is not None:
            limits.append(f"≥ {spec.min:g}")
        if spec.max is not None:
            limits.append(f"≤ {spec.max:g}")
        if spec.min_items is not None:
            limits.append(f"≥ {spec.min_items} items")
        title = spec.title.get("de") if spec.title else ""
        rows.append(
            f"| `{name}` | {_cell(title)} | {_cell(kind)} | {'yes' if spec.required else ''} "
            f"| {', '.join(limits)} |"
        )
        if spec.type == "object":
            rows.extend(_field_rows(spec.fields, f"{name}."))
        if spec.type == "list" and spec.items is not None and spec.items.type == "object":
            rows.extend(_field_rows(spec.items.fields, f"{name}[]."))
    return rows


def _item_lines(wf: Workflow, lifecycle: ItemLifecycle) -> list[str]:
    """An item artifact's lifecycle (format v2): key, states in order, moves, who moves."""
    states = " → ".join(f"{s.title.get('de')} (`{s.id}`)" for s in lifecycle.states)
    lines = ["One record per item" + (f" ({lifecycle.key.get('de')})" if lifecycle.key else "")]
    lines[0] += f"; states: {states}."
    if lifecycle.moves:
        moves = ", ".join(f"`{m.source}` → `{m.target}`" for m in lifecycle.moves)
        lines[0] += f" Moves: {moves}."
    else:
        lines[0] += " Each moves on to the next state."
    movers = lifecycle.moved_by
    if movers:
        lines[0] += " Moved by " + ", ".join(wf.role(r).title.get("de") for r in movers) + "."
    return [*lines, ""]


def workflow_page(workflow: Workflow) -> str:
    """The Markdown page of ``workflow`` (English headings, German labels)."""
    wf = workflow
    out = [
        f"# {wf.title.get('de')}",
        "",
        f"<!-- Generated from {wf.id}.yaml by sozialraumprozess.definition.pages; do not edit. -->",
        "",
        f"*{wf.title.get('en')}* · id `{wf.id}` · version {wf.version}",
        "",
    ]
    if wf.description:
        out += [wf.description.get("de"), ""]
    if wf.source:
        out += [f"**Source:** {wf.source}", ""]
    out += [
        "Run its scenario and see the documents it produces:",
        "",
        "```sh",
        f"sozialraum scenario {wf.id}",
        "```",
        "",
        "## Diagram",
        "",
        "```mermaid",
        to_mermaid(wf).rstrip(),
        "```",
        "",
        "## Phases and gates",
        "",
    ]
    for number, phase in enumerate(wf.phases, 1):
        role = wf.role(phase.responsible).title.get("de")
        out.append(f"### {number}. {phase.title.get('de')}")
        out.append("")
        meta = [f"id `{phase.id}`", f"responsible: {role}"]
        if phase.duration:
            meta.append(f"duration: {describe_duration(phase.duration, 'en')}")
        if phase.optional:
            meta.append("optional (may be skipped with a reason)")
        out += [" · ".join(meta), ""]
        if phase.description:
            out += [phase.description.get("de"), ""]
        if phase.events:
            out.append(
                "- **Events:** " + ", ".join(wf.event(e).title.get("de") for e in phase.events)
            )
        if phase.artifacts:
            out.append(
                "- **Artifacts:** "
                + ", ".join(wf.artifact(a).title.get("de") for a in phase.artifacts)
            )
        if phase.exit:
            out.append("- **Exit criteria (gate):**")
            out += [f"    - {describe_criterion(wf, c, 'de')}" for c in phase.exit]
        out += _strand_lines(wf, phase)
        target = wf.next_phase(phase.id)
        if target is None:
            out.append("- **Next:** end of the process")
        elif wf.is_backward(phase.id, target):
            renew = f"; renews: {_renew_text(phase.renew)}" if phase.renew else ""
            out.append(f"- **Next:** `{target}` (new cycle{renew})")
        else:
            out.append(f"- **Next:** `{target}`")
        out.append("")
    if wf.transitions:
        out += [
            "## Transitions",
            "",
            "| Id | From | To | Who may | Title |",
            "|---|---|---|---|---|",
        ]
        for t in wf.transitions:
            title = _cell(t.title.get("de")) if t.title else ""
            who = ", ".join(t.allowed)
            out.append(f"| `{t.id}` | `{t.source}` | `{t.target}` | {who} | {title} |")
        out.append("")
        notes = [
            f"- `{t.id}`: {_cell(t.description.get('de'))}" for t in wf.transitions if t.description
        ]
        out += notes
        if notes:
            out.append("")
        for t in wf.transitions:  # format v2: conditions and renewals
            if t.when:
                how = "taken by `advance`" if t.auto else "offered only"
                out.append(f"- `{t.id}`: {how} while `{_cell(t.when)}` holds.")
            if t.renew:
                out.append(f"- `{t.id}` renews: {_renew_text(t.renew)}.")
        if any(t.when or t.renew for t in wf.transitions):
            out.append("")
    out += ["## Roles", "", "| Id | Role | Description |", "|---|---|---|"]
    for r in wf.roles:
        description = r.description.get("de") if r.description else ""
        if r.members:
            description += " Members: " + ", ".join(r.members) + "."
        out.append(f"| `{r.id}` | {_cell(r.title.get('de'))} | {_cell(description.strip())} |")
    raci = wf.raci()
    out += [
        "",
        "## RACI matrix",
        "",
        "R responsible · A approves or decides · C consulted (involved) · I informed",
        "",
        "| Role | " + " | ".join(str(i) for i in range(1, len(wf.phases) + 1)) + " |",
        "|---|" + "---|" * len(wf.phases),
    ]
    for r in wf.roles:
        letters = [raci[r.id][p.id] or "·" for p in wf.phases]
        out.append(f"| {_cell(r.title.get('de'))} | " + " | ".join(letters) + " |")
    out += ["", "## Artifacts", ""]
    for a in wf.artifacts:
        owner = wf.role(a.owner).title.get("de")
        line = f"### {a.title.get('de')} (`{a.id}`)"
        out += [line, "", f"Submitted by {owner}"]
        if a.approved_by:
            out[-1] += f", approved by {wf.role(a.approved_by).title.get('de')}"
        out[-1] += "."
        out.append("")
        if a.description:
            out += [a.description.get("de"), ""]
        if a.items is not None:
            out += _item_lines(wf, a.items)
        if a.fields:
            out += ["| Field | Label | Type | Required | Limits |", "|---|---|---|---|---|"]
            out += _field_rows(a.fields)
            out.append("")
    if wf.annual_table is not None:  # format v2: the standardised annual table
        table = wf.annual_table
        title = table.title.get("de") if table.title is not None else "Annual table"
        out += [
            "## Annual table",
            "",
            f"{title}: one row per entry of `{table.artifact}.{table.rows}`"
            + (f", year from `{table.year}`" if table.year else "")
            + "; columns "
            + ", ".join(f"`{c}`" for c in table.columns)
            + " (`sozialraum programme`, `sozialraum portfolio`; CSV and XLSX export).",
            "",
        ]
    if wf.events:
        out += ["## Events", "", "| Id | Event | Organiser | Minutes |", "|---|---|---|---|"]
        for e in wf.events:
            organizer = wf.role(e.organizer).title.get("de") if e.organizer else ""
            protocol = wf.artifact(e.protocol).title.get("de") if e.protocol else ""
            title = _cell(e.title.get("de"))
            if e.notice is not None:  # format v2
                title += f" (notice period: {e.notice})"
            out.append(f"| `{e.id}` | {title} | {organizer} | {protocol} |")
        out.append("")
    if wf.decisions:
        out += [
            "## Decisions",
            "",
            "| Id | Decision | Body | Rule | Quorum |",
            "|---|---|---|---|---|",
        ]
        for d in wf.decisions:
            body = wf.role(d.body).title.get("de")
            quorum = "" if d.quorum is None else str(d.quorum)
            if d.quorum_share is not None:  # format v2
                quorum = ", ".join(q for q in (quorum, f"{d.quorum_share} of the seats") if q)
            rule = str(d.rule)
            extra = [f"after {', '.join(f'`{a}`' for a in d.after)}"] if d.after else []
            if d.adopts is not None:
                extra.append(f"adopts a version of `{d.adopts}`")
            if d.amount:
                extra.append("grants an amount")
            if extra:
                rule += " (" + "; ".join(extra) + ")"
            out.append(f"| `{d.id}` | {_cell(d.title.get('de'))} | {body} | {rule} | {quorum} |")
        out.append("")
        notes = [
            f"- `{d.id}`: {_cell(d.description.get('de'))}" for d in wf.decisions if d.description
        ]
        out += notes
        if notes:
            out.append("")
    return "\n".join(out)


def _renew_text(renew: tuple[str, ...] | str | None) -> str:
    if renew == "all" or renew is None:
        return "everything of the target phase"
    return ", ".join(f"`{item}`" for item in renew)


def _strand_lines(wf: Workflow, phase: Phase) -> list[str]:
    """The strands of a phase (format v2), each with its role, items and gate."""
    if not phase.strands:
        return []
    required = {s.id for s in phase.required_strands}
    lines = [
        "- **Strands** (worked in parallel; the phase closes when the required ones are done):"
    ]
    for strand in phase.strands:
        role = wf.role(strand.responsible).title.get("de")
        note = "" if strand.id in required else " (not required)"
        lines.append(f"    - **{strand.title.get('de')}** (`{strand.id}`), {role}{note}")
        items = [wf.artifact(a).title.get("de") for a in strand.artifacts]
        items += [wf.event(e).title.get("de") for e in strand.events]
        if items:
            lines.append("        - " + ", ".join(items))
        lines += [f"        - {describe_criterion(wf, c, 'de')}" for c in strand.exit]
    return lines
