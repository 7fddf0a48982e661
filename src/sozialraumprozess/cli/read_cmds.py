"""Commands that read a run: status and history."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from sozialraumprozess.cli.common import dir_argument, open_the_run, run_option, t
from sozialraumprozess.cli.definition_cmds import json_option, lang_option
from sozialraumprozess.cli.output import echo_json, print_table

if TYPE_CHECKING:
    from sozialraumprozess.cli.common import OpenedRun
    from sozialraumprozess.runtime.process import Process
    from sozialraumprozess.runtime.records import ProcessEvent

__all__ = ["COMMANDS", "describe_event", "refresh_status_cache", "status_data"]


# --------------------------------------------------------------------------- status


def _role_title(data: dict[str, Any], role: str | None) -> str | None:
    if role is None:
        return None
    return str(data["role_titles"].get(role, role))


def _open_items(process: Process, lang: str) -> list[dict[str, Any]]:
    """Artifacts, events and decisions of the phase that are still open, with their owner."""
    wf = process.workflow
    phase = wf.phase(process.phase)
    state = process.state
    visit_seq = process.visits[-1].seq if process.visits else 0
    items: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for artifact in phase.artifacts:
        spec = wf.artifact(artifact)
        latest = process.latest(artifact)
        if latest is not None and state.is_current(latest, wf):
            if spec.approved_by is None or latest.approved:
                continue
            what, role = "approval", spec.approved_by
        else:
            what, role = "artifact", spec.owner
        seen.add((what, artifact))
        items.append({"kind": what, "id": artifact, "title": spec.title.get(lang), "role": role})
    for event_id in phase.events:
        spec_e = wf.event(event_id)
        if any(h.event == event_id and h.seq > visit_seq for h in process.held_events):
            continue
        seen.add(("event", event_id))
        items.append(
            {
                "kind": "event",
                "id": event_id,
                "title": spec_e.title.get(lang),
                "role": spec_e.organizer,
            }
        )
    for blocker in process.blockers():
        if blocker.kind != "decision" or ("decision", blocker.target) in seen:
            continue
        seen.add(("decision", blocker.target))
        items.append(
            {
                "kind": "decision",
                "id": blocker.target,
                "title": wf.decision(blocker.target).title.get(lang),
                "role": blocker.role,
            }
        )
    return items


def status_data(process: Process, run_id: str, store: str, lang: str) -> dict[str, Any]:
    """Everything ``status`` shows, JSON-compatible (see the command's help for the keys)."""
    wf = process.workflow
    phase = wf.phase(process.phase)
    deadline = process.deadline()
    blockers = process.blockers()
    final = wf.is_final(process.phase)
    entered = process.visits[-1].entered_at.date() if process.visits else None
    transitions = [
        {
            "id": tr.id,
            "title": tr.title.get(lang) if tr.title else tr.id,
            "to": tr.target,
            "allowed": list(tr.allowed),
            "blockers": [b.to_dict(lang) for b in process.blockers(tr.id)],
        }
        for tr in wf.transitions_from(process.phase)
    ]
    return {
        "run_id": run_id,
        "store": store,
        "sozialraum": process.sozialraum.name,
        "workflow": {"id": wf.id, "version": wf.version, "title": wf.title.get(lang)},
        "phase": {
            "id": phase.id,
            "title": phase.title.get(lang),
            "number": wf.phase_index(phase.id) + 1,
            "of": len(wf.phases),
            "responsible": phase.responsible,
            "final": final,
        },
        "cycle": process.cycle,
        "entered": entered.isoformat() if entered else None,
        "deadline": deadline.isoformat() if deadline else None,
        "overdue": process.overdue(),
        "blockers": [b.to_dict(lang) for b in blockers],
        "can_advance": process.can_advance(),
        "advance_by": [] if final else list(process.allowed("advance")),
        "next_phase": wf.next_phase(process.phase),
        "transitions": transitions,
        "open": _open_items(process, lang),
        "events": len(process.log),
        "next_phase_title": (
            wf.phase(nxt).title.get(lang) if (nxt := wf.next_phase(process.phase)) else None
        ),
        "role_titles": {r.id: r.title.get(lang) for r in wf.roles},
    }


def refresh_status_cache(opened: OpenedRun) -> dict[str, dict[str, Any]]:
    """Keep the status of ``opened`` for the next ``sozialraum status`` (best effort).

    Returns the status data it computed, per language.
    """
    from sozialraumprozess.cli.status_cache import write_status_cache

    process = opened.process
    location = opened.store.location
    by_lang = {lang: status_data(process, opened.run_id, location, lang) for lang in ("de", "en")}
    write_status_cache(opened.store.run_dir(opened.run_id), by_lang)
    return by_lang


def _fmt_date(value: str | None, lang: str) -> str:
    if value is None:
        return "–"
    day = date.fromisoformat(value)
    return day.strftime("%d.%m.%Y") if lang == "de" else value


_KIND = {
    "artifact": ("Artefakt", "artifact"),
    "approval": ("Freigabe", "approval"),
    "event": ("Veranstaltung", "event"),
    "decision": ("Beschluss", "decision"),
    "check": ("Prüfung", "check"),
}


def _print_status(data: dict[str, Any], lang: str) -> None:
    de = lang == "de"
    ph = data["phase"]
    deadline = _fmt_date(data["deadline"], lang)
    if data["overdue"]:
        deadline += " – " + t(lang, "überfällig", "overdue")
    rows = [
        ("Sozialraum", data["sozialraum"]),
        (
            "Workflow",
            f"{data['workflow']['title']} ({data['workflow']['id']}, "
            f"{data['workflow']['version']})",
        ),
        ("Phase", f"{ph['number']}/{ph['of']} {ph['title']} [{ph['id']}]"),
        (t(lang, "Zyklus", "Cycle"), str(data["cycle"])),
        (t(lang, "Seit", "Entered"), _fmt_date(data["entered"], lang)),
        (t(lang, "Frist", "Deadline"), deadline),
        (t(lang, "Prozess", "Run"), f"{data['run_id']} ({data['store']})"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        click.echo(f"{key.ljust(width)}  {value}")
    click.echo()
    blockers = data["blockers"]
    if blockers:
        print_table(
            ["#", t(lang, "Art", "Kind"), t(lang, "Offen", "Open"), t(lang, "Rolle", "Role")],
            [
                (
                    i,
                    _KIND.get(b["kind"], (b["kind"], b["kind"]))[0 if de else 1],
                    b["message"],
                    _role_title(data, b["role"]) or "–",
                )
                for i, b in enumerate(blockers, 1)
            ],
            title=t(lang, f"Blocker ({len(blockers)})", f"Blockers ({len(blockers)})"),
        )
    elif ph["final"]:
        click.echo(
            t(lang, "Alle Kriterien erfüllt (letzte Phase).", "All criteria met (final phase).")
        )
    else:
        click.echo(t(lang, "Keine Blocker.", "No blockers."))
    click.echo()
    click.echo(t(lang, "Als Nächstes", "Next"))
    who = ", ".join(_role_title(data, r) or r for r in data["advance_by"]) or "–"
    if ph["final"]:
        click.echo(
            t(
                lang,
                "  Weiter: nicht möglich (letzte Phase)",
                "  advance: not possible (final phase)",
            )
        )
    elif data["can_advance"]:
        target = data["next_phase_title"]
        click.echo(
            t(
                lang,
                f"  Weiter möglich → {target}: sozialraum advance --as ROLLE ({who})",
                f"  advance possible → {target}: sozialraum advance --as ROLE ({who})",
            )
        )
    else:
        click.echo(
            t(
                lang,
                f"  Weiter: blockiert ({len(blockers)} Kriterien offen; darf: {who})",
                f"  advance: blocked ({len(blockers)} criteria open; allowed: {who})",
            )
        )
    for tr in data["transitions"]:
        allowed = ", ".join(_role_title(data, r) or r for r in tr["allowed"])
        state = (
            t(lang, "möglich", "possible")
            if not tr["blockers"]
            else t(lang, f"{len(tr['blockers'])} offen", f"{len(tr['blockers'])} open")
        )
        click.echo(
            f"  {t(lang, 'Übergang', 'transition')} {tr['id']} → {tr['to']}: {tr['title']} "
            f"({state}; {allowed})"
        )
    for item in data["open"]:
        kind = _KIND.get(item["kind"], (item["kind"], item["kind"]))[0 if de else 1]
        role = _role_title(data, item["role"]) or "–"
        click.echo(f"  {t(lang, 'Offen', 'open')}: {kind} {item['title']} [{item['id']}] – {role}")


@click.command()
@dir_argument
@run_option
@lang_option
@json_option
def status(directory: str, run_id: str | None, lang: str, as_json: bool) -> None:
    """Show where a run stands: phase, cycle, deadline, blockers and what can be done next.

    \b
    With --json: an object with the keys run_id, store, sozialraum, workflow
    (id, version, title), phase (id, title, number, of, responsible, final),
    cycle, entered, deadline, overdue, blockers (kind, target, role, code,
    path, message), can_advance, advance_by, next_phase, next_phase_title,
    transitions (id, title, to, allowed, blockers), open (kind, id, title,
    role), events, role_titles (role id → title).
    """
    from sozialraumprozess.cli.status_cache import cached_status

    data = cached_status(directory, run_id, lang)
    if data is None:
        data = refresh_status_cache(open_the_run(directory, run_id, lang))[lang]
    if as_json:
        echo_json(data)
        return
    _print_status(data, lang)


# --------------------------------------------------------------------------- history


def describe_event(event: ProcessEvent, process: Process, lang: str, counts: dict[str, int]) -> str:
    """One line saying what a log event did (``counts``: submissions per artifact so far)."""
    wf = process.workflow
    p = event.payload

    def title(kind: str, ident: str) -> str:
        try:
            if kind == "artifact":
                return wf.artifact(ident).title.get(lang)
            if kind == "event":
                return wf.event(ident).title.get(lang)
            if kind == "decision":
                return wf.decision(ident).title.get(lang)
            return wf.phase(ident).title.get(lang)
        except KeyError:
            return ident

    kind = event.type
    if kind == "process_started":
        return t(
            lang,
            f"Prozess gestartet: {p['sozialraum']['name']}",
            f"process started: {p['sozialraum']['name']}",
        )
    if kind == "participant_set":
        return t(lang, "Beteiligte", "participant") + f": {p['name']} ({', '.join(p['roles'])})"
    if kind == "artifact_submitted":
        counts[p["artifact"]] = counts.get(p["artifact"], 0) + 1
        return t(lang, "Eingereicht", "submitted") + (
            f": {title('artifact', p['artifact'])} v{counts[p['artifact']]}"
        )
    if kind in ("artifact_approved", "artifact_confirmed"):
        verb = (
            t(lang, "Freigegeben", "approved")
            if kind == "artifact_approved"
            else t(lang, "Bestätigt", "confirmed")
        )
        return f"{verb}: {title('artifact', p['artifact'])} v{p['version']}"
    if kind == "event_held":
        extra = (
            f", {p['participants']} {t(lang, 'Teilnehmende', 'participants')}"
            if (p.get("participants") is not None)
            else ""
        )
        return t(lang, "Veranstaltung", "event") + (
            f": {title('event', p['event'])} ({p['date']}{extra})"
        )
    if kind == "decision_recorded":
        if p.get("yes") is not None:
            votes = f"{p['yes']}/{p['no']}/{p.get('abstain') or 0}"
        else:
            votes = (
                t(lang, "Konsens", "consensus")
                if p.get("consensus")
                else t(lang, "kein Konsens", "no consensus")
            )
        return t(lang, "Beschluss", "decision") + (
            f": {title('decision', p['decision'])} ({p['date']}, {votes})"
        )
    if kind == "phase_advanced":
        return t(lang, "Phase", "phase") + (
            f": {title('phase', p['from'])} → {title('phase', p['to'])}"
        )
    if kind == "transition_taken":
        reason = f" – {p['reason']}" if p.get("reason") else ""
        return t(lang, "Übergang", "transition") + (
            f" {p['transition']}: {title('phase', p['from'])} → {title('phase', p['to'])}{reason}"
        )
    return kind


@click.command()
@dir_argument
@run_option
@lang_option
@json_option
def history(directory: str, run_id: str | None, lang: str, as_json: bool) -> None:
    """Show the event log of a run as a table (seq, time, who, what).

    \b
    With --json: a list of objects with the keys seq, time (ISO 8601 UTC),
    who, actor (role, participant), type, what, payload.
    """
    opened = open_the_run(directory, run_id, lang)
    process = opened.process
    counts: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    for event in process.log:
        rows.append(
            {
                "seq": event.seq,
                "time": event.time.isoformat().replace("+00:00", "Z"),
                "who": event.actor.label(),
                "actor": {"role": event.actor.role, "participant": event.actor.participant},
                "type": event.type,
                "what": describe_event(event, process, lang, counts),
                "payload": event.payload,
            }
        )
    if as_json:
        echo_json(rows)
        return
    print_table(
        ["#", t(lang, "Zeit (UTC)", "Time (UTC)"), t(lang, "Wer", "Who"), t(lang, "Was", "What")],
        [(r["seq"], r["time"][:16].replace("T", " "), r["who"], r["what"]) for r in rows],
    )


COMMANDS: list[click.Command] = [status, history]
