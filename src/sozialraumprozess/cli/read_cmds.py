"""Commands that read a run: status and history (data from :mod:`sozialraumprozess.app`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from sozialraumprozess.cli.common import (
    Read,
    read_options,
    store_url,
)
from sozialraumprozess.cli.hints import COMMAND_OF_KIND, echo_step_command, with_command_lines
from sozialraumprozess.cli.localized import command
from sozialraumprozess.cli.output import echo_json, print_table
from sozialraumprozess.i18n import Lang, Message, msg, plural

__all__ = ["COMMANDS"]


# --------------------------------------------------------------------------- status


def _role_title(data: dict[str, Any], role: str | None) -> str | None:
    if role is None:
        return None
    return str(data["role_titles"].get(role, role))


def _fmt_date(value: str | None, lang: Lang) -> str:
    if value is None:
        return "–"
    day = date.fromisoformat(value)
    return day.strftime("%d.%m.%Y") if lang == "de" else value


_KIND: dict[str, Message] = {
    "artifact": msg("cli.kind-artifact"),
    "approval": msg("cli.kind-approval"),
    "event": msg("cli.kind-event"),
    "decision": msg("cli.kind-decision"),
    "check": msg("cli.kind-check"),
    "items": msg("cli.kind-items"),
    "all_items": msg("cli.kind-items"),
    "items_per_entry": msg("cli.kind-items"),
    "item_create": msg("cli.kind-item-create"),
    "item_move": msg("cli.kind-item-move"),
    "wait": msg("time.cli-kind-wait"),
}


def _kind(kind: str, lang: Lang) -> str:
    found = _KIND.get(kind)
    return found.text(lang) if found is not None else kind


def _print_strands(data: dict[str, Any], say: Any) -> None:
    """The strands of the current phase (format v2) and where each stands."""
    strands = data.get("strands") or []
    if not strands:
        return
    rows = []
    for strand in strands:
        state = msg("doc.strand-done") if strand["done"] else msg("doc.strand-open")
        text = say(state)
        if not strand["done"]:
            text += f" ({len(strand['blockers'])})"
        if not strand["required"]:
            text += " – " + say(msg("doc.strand-optional"))
        role = _role_title(data, strand["responsible"]) or "–"
        rows.append((strand["title"], role, text))
    print_table(
        [say(msg("doc.strand")), say(msg("cli.head-role")), say(msg("doc.strand-state"))],
        rows,
        title=say(msg("doc.strands")),
    )
    click.echo()


def _print_status(data: dict[str, Any], lang: Lang) -> None:
    def say(message: Message) -> str:
        return message.text(lang)

    ph = data["phase"]
    deadline = _fmt_date(data["deadline"], lang)
    if data["overdue"]:
        deadline += " – " + say(msg("cli.overdue"))
    rows = [
        ("Sozialraum", data["sozialraum"]),
        (
            "Workflow",
            f"{data['workflow']['title']} ({data['workflow']['id']}, "
            f"{data['workflow']['version']})",
        ),
        ("Phase", f"{ph['number']}/{ph['of']} {ph['title']} [{ph['id']}]"),
        (say(msg("cli.label-cycle")), str(data["cycle"])),
        (say(msg("cli.label-entered")), _fmt_date(data["entered"], lang)),
        (say(msg("cli.label-deadline")), deadline),
        (say(msg("cli.label-run")), f"{data['run_id']} ({data['store']})"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        click.echo(f"{key.ljust(width)}  {value}")
    click.echo()
    _print_strands(data, say)
    for plan in data.get("planned", ()):
        day = _fmt_date(plan["date"], lang)
        if plan["until"]:
            day += " – " + _fmt_date(plan["until"], lang)
        extra = ", ".join(x for x in (plan["time"], plan["place"]) if x)
        line = msg("time.cli-planned-line", title=plan["title"], day=day, extra=extra or "–")
        click.echo(say(line))
    for found in data.get("deadlines", ()):
        day = _fmt_date(found["date"], lang)
        click.echo(say(msg("time.cli-deadline-line", title=found["title"], day=day)))
    if data.get("planned") or data.get("deadlines"):
        click.echo()
    blockers = data["blockers"]
    if blockers:
        print_table(
            [
                "#",
                say(msg("cli.head-kind")),
                say(msg("cli.head-open")),
                say(msg("cli.head-role")),
            ],
            [
                (i, _kind(b["kind"], lang), b["message"], _role_title(data, b["role"]) or "–")
                for i, b in enumerate(blockers, 1)
            ],
            title=say(msg("cli.blockers-title", blockers=len(blockers))),
        )
    elif ph["final"]:
        click.echo(say(msg("cli.final-all-met")))
    else:
        click.echo(say(msg("cli.no-blockers")))
    click.echo()
    click.echo(say(msg("cli.next-head")))
    who = ", ".join(_role_title(data, r) or r for r in data["advance_by"]) or "–"
    if ph["final"]:
        click.echo("  " + say(msg("cli.advance-final")))
    elif data["can_advance"]:
        line = msg("cli.advance-possible", target=data["next_phase_title"], roles=who)
        click.echo("  " + say(line))
    else:
        criteria = plural("cli.criteria-open", len(blockers))
        click.echo("  " + say(msg("cli.advance-blocked", criteria=criteria, roles=who)))
    echo_step_command(data, "advance", None)
    if ph.get("optional") and not ph["final"]:
        who = _role_title(data, ph["responsible"]) or ph["responsible"]
        click.echo("  " + say(msg("phases.cli-skip-possible", roles=who)))
        echo_step_command(data, "skip", None)
    for tr in data["transitions"]:
        allowed = ", ".join(_role_title(data, r) or r for r in tr["allowed"])
        if tr["blockers"]:
            state = msg("cli.transition-open", blockers=len(tr["blockers"]))
        else:
            state = msg("cli.transition-possible")
        line = msg(
            "cli.transition-line",
            id=tr["id"],
            to=tr["to"],
            title=tr["title"],
            state=state,
            roles=allowed,
        )
        click.echo("  " + say(line))
        echo_step_command(data, "transition", tr["id"])
    for item in data["open"]:
        role = _role_title(data, item["role"]) or "–"
        line = msg(
            "cli.open-line",
            kind=_kind(item["kind"], lang),
            title=item["title"],
            id=item["id"],
            role=role,
        )
        click.echo("  " + say(line))
        echo_step_command(data, COMMAND_OF_KIND[item["kind"]], item["id"])


@command(help=msg("cli.help.status"), json_keys=msg("cli.help.status.with-json"))
@read_options
def status(read: Read) -> None:
    """Show where a run stands: phase, cycle, deadline, blockers and what can be done next.

    \b
    With --json: an object with the keys run_id, store, sozialraum, workflow
    (id, version, title), phase (id, title, number, of, responsible, final),
    cycle, entered, deadline, overdue, blockers (kind, target, role, code,
    path, message), can_advance, advance_by, next_phase, next_phase_title,
    transitions (id, title, to, allowed, blockers), open (kind, id, title,
    role), planned (event, title, date, time, until, place), deadlines
    (title, date, role), next_steps
    (command, subject, roles, role: the one that owns it,
    possible, command_line: argv and shell of the full command, with --store,
    --run and --as, to paste from any folder), events, role_titles (role id →
    title).
    """
    from sozialraumprozess.cli.status_cache import stored_status

    lang = read.lang
    url = store_url(read.store, read.directory)
    # From the run summary the store keeps (no replay) when it is current; else load.
    data = stored_status(url, read.run_id, lang)
    if data is None:
        data = dict(read.fetch(lambda service, run: service.status(run, lang=lang)))
    data = with_command_lines(data, url)
    if read.as_json:
        echo_json(data)
        return
    _print_status(data, lang)


# --------------------------------------------------------------------------- history


@command(help=msg("cli.help.history"), json_keys=msg("cli.help.history.with-json"))
@read_options
def history(read: Read) -> None:
    """Show the event log of a run as a table (seq, time, who, what).

    \b
    With --json: a list of objects with the keys seq, time (ISO 8601 UTC,
    when recorded), date (when it happened), who, actor (role, participant),
    type, what, payload.
    """
    lang = read.lang
    rows = read.fetch(lambda service, run: service.history(run, lang=lang))
    if read.as_json:
        echo_json(rows)
        return
    print_table(
        [
            "#",
            msg("cli.head-time").text(lang),
            msg("cli.head-who").text(lang),
            msg("cli.head-what").text(lang),
        ],
        [(r["seq"], r["time"][:16].replace("T", " "), r["who"], r["what"]) for r in rows],
    )


COMMANDS: list[click.Command] = [status, history]
