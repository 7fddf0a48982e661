"""Semantic checks of a workflow: references, ids, reachability, gates, fields, checks.

These run on the raw file data, defensively, next to the structural schema
checks, so one run reports every problem of a file: a misspelt role in line 40
shows up together with a wrong type in line 12. Every lookup tolerates data of
the wrong shape (the schema check reports that).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from sozialraumprozess.definition.expressions import analyse_expression
from sozialraumprozess.definition.issues import IssueCollector, PathKey
from sozialraumprozess.definition.model import CRITERION_KINDS
from sozialraumprozess.errors import closest, did_you_mean, unknown_phrase

__all__ = ["check_semantics"]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class _Checker:
    def __init__(
        self, data: dict[str, Any], out: IssueCollector, template_dirs: Sequence[Path]
    ) -> None:
        self.data = data
        self.out = out
        self.template_dirs = template_dirs
        self.known: dict[str, list[str]] = {
            kind: [k for k in _dict(data.get(section)) if isinstance(k, str)]
            for kind, section in (
                ("role", "roles"),
                ("event", "events"),
                ("artifact", "artifacts"),
                ("decision", "decisions"),
            )
        }
        self.phases: list[tuple[int, str]] = [
            (i, p["id"])
            for i, p in enumerate(_list(data.get("phases")))
            if isinstance(p, dict) and isinstance(p.get("id"), str)
        ]
        self.known["phase"] = [pid for _, pid in self.phases]

    # -- helpers ---------------------------------------------------------------

    def ref(self, kind: str, value: Any, path: Sequence[PathKey]) -> bool:
        """Report ``value`` if it is a string naming no ``kind``; True if it is known."""
        if not isinstance(value, str):
            return False
        known = self.known[kind]
        if value in known:
            return True
        suggestion = closest(value, known)
        listed = ", ".join(known) if known else "–"
        self.out.add(
            path,
            "unknown-reference",
            de=f"{unknown_phrase(kind, 'de')} '{value}'",
            en=f"{unknown_phrase(kind, 'en').lower()} '{value}'",
            hint_de=did_you_mean(suggestion, "de") or f"Bekannt: {listed}.",
            hint_en=did_you_mean(suggestion, "en") or f"Known: {listed}.",
        )
        return False

    def refs(self, kind: str, values: Any, path: Sequence[PathKey]) -> None:
        seen: set[str] = set()
        for j, value in enumerate(_list(values)):
            self.ref(kind, value, [*path, j])
            if isinstance(value, str):
                if value in seen:
                    self.out.add(
                        [*path, j],
                        "duplicate-entry",
                        de=f"'{value}' steht doppelt in der Liste",
                        en=f"'{value}' appears twice in the list",
                    )
                seen.add(value)

    # -- sections ----------------------------------------------------------------

    def run(self) -> None:
        data = self.data
        for eid, event in _dict(data.get("events")).items():
            event = _dict(event)
            self.ref("role", event.get("organizer"), ["events", eid, "organizer"])
            self.ref("artifact", event.get("protocol"), ["events", eid, "protocol"])
            self.template(event.get("template"), ["events", eid, "template"])
        for aid, artifact in _dict(data.get("artifacts")).items():
            artifact = _dict(artifact)
            self.ref("role", artifact.get("owner"), ["artifacts", aid, "owner"])
            self.ref("role", artifact.get("approved_by"), ["artifacts", aid, "approved_by"])
            self.template(artifact.get("template"), ["artifacts", aid, "template"])
            for name, spec in _dict(artifact.get("fields")).items():
                self.field(spec, ["artifacts", aid, "fields", name])
        for did, decision in _dict(data.get("decisions")).items():
            self.ref("role", _dict(decision).get("body"), ["decisions", did, "body"])
        self.phase_checks()
        self.transition_checks()
        self.graph_checks()

    def template(self, name: Any, path: Sequence[PathKey]) -> None:
        if not isinstance(name, str) or not name:
            return
        if any((d / name).is_file() for d in self.template_dirs):
            return
        searched = ", ".join(str(d) for d in self.template_dirs)
        candidates = [
            p.name for d in self.template_dirs if d.is_dir() for p in d.iterdir() if p.is_file()
        ]
        suggestion = closest(name, candidates)
        self.out.add(
            path,
            "unknown-template",
            de=f"Vorlage '{name}' nicht gefunden (gesucht in: {searched})",
            en=f"template '{name}' not found (searched: {searched})",
            hint_de=did_you_mean(suggestion, "de")
            or "Die Datei in einen Ordner 'templates/' neben der Workflow-Datei legen.",
            hint_en=did_you_mean(suggestion, "en")
            or "Put the file in a 'templates/' folder next to the workflow file.",
        )

    def field(self, spec: Any, path: list[PathKey]) -> None:
        if not isinstance(spec, dict):
            return
        ftype = spec.get("type")
        if not isinstance(ftype, str):
            return
        allowed_for = {
            "min": ("integer", "number", "money"),
            "max": ("integer", "number", "money"),
            "min_items": ("list",),
            "max_items": ("list",),
            "choices": ("choice",),
            "items": ("list",),
            "fields": ("object",),
        }
        for key, types in allowed_for.items():
            if key in spec and ftype not in types:
                self.out.add(
                    [*path, key],
                    "key-not-for-type",
                    de=f"'{key}' gilt nur für Felder vom Typ {' / '.join(types)}, "
                    f"nicht für '{ftype}'",
                    en=f"'{key}' applies only to fields of type {' / '.join(types)}, not '{ftype}'",
                    key=True,
                )
        needs = {"choice": "choices", "list": "items", "object": "fields"}
        if ftype in needs and not spec.get(needs[ftype]):
            key = needs[ftype]
            self.out.add(
                path,
                "missing-key",
                de=f"Feld vom Typ '{ftype}' braucht '{key}'",
                en=f"a field of type '{ftype}' needs '{key}'",
                hint_de=f"'{key}: …' ergänzen.",
                hint_en=f"Add '{key}: …'.",
            )
        low, high = spec.get("min"), spec.get("max")
        for key, bound in (("min", low), ("max", high)):
            if isinstance(bound, float) and not math.isfinite(bound):
                self.out.add(
                    [*path, key],
                    "not-finite",
                    de=f"'{key}' muss eine endliche Zahl sein",
                    en=f"'{key}' must be a finite number",
                )
        numeric = (int, float)
        if (
            isinstance(low, numeric)
            and isinstance(high, numeric)
            and not isinstance(low, bool)
            and not isinstance(high, bool)
            and low > high
        ):
            self.out.add(
                [*path, "min"],
                "min-above-max",
                de=f"min ({low}) ist größer als max ({high})",
                en=f"min ({low}) is greater than max ({high})",
            )
        lo_items, hi_items = spec.get("min_items"), spec.get("max_items")
        if isinstance(lo_items, int) and isinstance(hi_items, int) and lo_items > hi_items:
            self.out.add(
                [*path, "min_items"],
                "min-above-max",
                de=f"min_items ({lo_items}) ist größer als max_items ({hi_items})",
                en=f"min_items ({lo_items}) is greater than max_items ({hi_items})",
            )
        if ftype == "list":
            self.field(spec.get("items"), [*path, "items"])
        for name, sub in _dict(spec.get("fields")).items():
            self.field(sub, [*path, "fields", name])

    def produced_up_to(self, index: int) -> set[str]:
        produced: set[str] = set()
        for phase in _list(self.data.get("phases"))[: index + 1]:
            produced.update(a for a in _list(_dict(phase).get("artifacts")) if isinstance(a, str))
        return produced

    def criteria(
        self, criteria: Any, path: list[PathKey], phase_index: int, phase_events: set[str] | None
    ) -> None:
        produced = self.produced_up_to(phase_index)
        for j, crit in enumerate(_list(criteria)):
            if not isinstance(crit, dict):
                continue
            cpath = [*path, j]
            kinds = [k for k in CRITERION_KINDS if k in crit]
            if len(kinds) > 1:
                self.out.add(
                    cpath,
                    "several-kinds",
                    de=f"Ein Kriterium darf nur eine Art haben, gefunden: {', '.join(kinds)}",
                    en=f"a criterion must have exactly one kind, found: {', '.join(kinds)}",
                    hint_de="Jede Art als eigenen Listeneintrag ('- …') schreiben.",
                    hint_en="Write each kind as its own list item ('- …').",
                )
            if not kinds:
                # Unknown keys ('artefakt:') are reported by the schema check.
                if crit and set(crit) <= {"message", "count"}:
                    self.out.add(
                        cpath,
                        "missing-kind",
                        de="Kriterium ohne Art",
                        en="criterion without a kind",
                        hint_de="Eines von artifact, approval, event, decision oder check angeben.",
                        hint_en="Give one of artifact, approval, event, decision or check.",
                    )
                continue
            if "count" in crit and "event" not in crit:
                self.out.add(
                    [*cpath, "count"],
                    "key-not-for-kind",
                    de="'count' gilt nur für event-Kriterien",
                    en="'count' applies only to event criteria",
                    key=True,
                )
            for kind in kinds:
                target = crit[kind]
                tpath = [*cpath, kind]
                if kind in ("artifact", "approval"):
                    if self.ref("artifact", target, tpath):
                        self.artifact_gate(kind, target, tpath, produced)
                elif kind == "event":
                    if (
                        self.ref("event", target, tpath)
                        and phase_events is not None
                        and target not in phase_events
                    ):
                        self.out.add(
                            tpath,
                            "event-not-in-phase",
                            de=f"Veranstaltung '{target}' wird in dieser Phase nicht abgehalten",
                            en=f"event '{target}' is not held in this phase",
                            hint_de=f"'{target}' unter 'events' der Phase ergänzen.",
                            hint_en=f"Add '{target}' to the phase's 'events'.",
                        )
                elif kind == "decision":
                    self.ref("decision", target, tpath)
                elif kind == "check":
                    self.check(crit, target, tpath, cpath)

    def artifact_gate(
        self, kind: str, target: str, path: list[PathKey], produced: set[str]
    ) -> None:
        if target not in produced:
            self.out.add(
                path,
                "artifact-not-produced",
                de=f"Keine Phase bis hierher erstellt das Artefakt '{target}'",
                en=f"no phase up to here produces the artifact '{target}'",
                hint_de=f"'{target}' unter 'artifacts' dieser oder einer früheren Phase ergänzen.",
                hint_en=f"Add '{target}' to 'artifacts' of this or an earlier phase.",
            )
        if kind == "approval":
            artifact = _dict(_dict(self.data.get("artifacts")).get(target))
            if artifact and not artifact.get("approved_by"):
                self.out.add(
                    path,
                    "no-approver",
                    de=f"Artefakt '{target}' hat kein 'approved_by'; niemand kann es freigeben",
                    en=f"artifact '{target}' has no 'approved_by'; nobody can approve it",
                    hint_de=f"Beim Artefakt '{target}' 'approved_by: <rolle>' ergänzen.",
                    hint_en=f"Add 'approved_by: <role>' to artifact '{target}'.",
                )

    def check(
        self, crit: dict[str, Any], expr: Any, path: list[PathKey], cpath: list[PathKey]
    ) -> None:
        if "message" not in crit:
            self.out.add(
                cpath,
                "check-without-message",
                de="Ein check-Kriterium braucht eine 'message'",
                en="a check criterion needs a 'message'",
                hint_de="'message: {de: …, en: …}' ergänzen; sie erklärt, was fehlt.",
                hint_en="Add 'message: {de: …, en: …}'; it explains what is missing.",
            )
        if not isinstance(expr, str):
            return
        known: dict[str, Iterable[str]] = {
            "artifacts": self.known["artifact"],
            "events": self.known["event"],
            "decisions": self.known["decision"],
        }
        for problem in analyse_expression(expr, known):
            hint_de = hint_en = None
            if problem.unknown is not None:
                suggestion = closest(problem.unknown[1], problem.unknown[2])
                hint_de, hint_en = did_you_mean(suggestion, "de"), did_you_mean(suggestion, "en")
            self.out.add(
                path,
                "bad-expression",
                de=problem.de,
                en=problem.en,
                hint_de=hint_de,
                hint_en=hint_en,
            )

    def phase_checks(self) -> None:
        seen: dict[str, int] = {}
        for i, phase in enumerate(_list(self.data.get("phases"))):
            if not isinstance(phase, dict):
                continue
            pid = phase.get("id")
            if isinstance(pid, str):
                if pid in seen:
                    self.out.add(
                        ["phases", i, "id"],
                        "duplicate-id",
                        de=f"Phase '{pid}' ist doppelt (zuerst phases[{seen[pid]}])",
                        en=f"duplicate phase '{pid}' (first phases[{seen[pid]}])",
                    )
                else:
                    seen[pid] = i
            self.ref("role", phase.get("responsible"), ["phases", i, "responsible"])
            self.refs("role", phase.get("involved"), ["phases", i, "involved"])
            self.refs("role", phase.get("informed"), ["phases", i, "informed"])
            self.refs("event", phase.get("events"), ["phases", i, "events"])
            self.refs("artifact", phase.get("artifacts"), ["phases", i, "artifacts"])
            self.ref("phase", phase.get("next"), ["phases", i, "next"])
            events = {e for e in _list(phase.get("events")) if isinstance(e, str)}
            self.criteria(phase.get("exit"), ["phases", i, "exit"], i, events)

    def transition_checks(self) -> None:
        seen: dict[str, int] = {}
        index = {pid: i for i, pid in self.phases}
        for i, transition in enumerate(_list(self.data.get("transitions"))):
            if not isinstance(transition, dict):
                continue
            tid = transition.get("id")
            if isinstance(tid, str):
                if tid in seen:
                    self.out.add(
                        ["transitions", i, "id"],
                        "duplicate-id",
                        de=f"Übergang '{tid}' ist doppelt (zuerst transitions[{seen[tid]}])",
                        en=f"duplicate transition '{tid}' (first transitions[{seen[tid]}])",
                    )
                else:
                    seen[tid] = i
            source, target = transition.get("from"), transition.get("to")
            ok_from = self.ref("phase", source, ["transitions", i, "from"])
            ok_to = self.ref("phase", target, ["transitions", i, "to"])
            if ok_from and ok_to and source == target:
                self.out.add(
                    ["transitions", i, "to"],
                    "self-transition",
                    de=f"Übergang führt von '{source}' wieder nach '{source}'",
                    en=f"transition leads from '{source}' back to '{source}'",
                )
            self.refs("role", transition.get("allowed"), ["transitions", i, "allowed"])
            phase_index = index.get(source, len(self.phases) - 1) if isinstance(source, str) else 0
            self.criteria(transition.get("exit"), ["transitions", i, "exit"], phase_index, None)

    def graph_checks(self) -> None:
        phases = self.phases
        if not phases or len({pid for _, pid in phases}) != len(phases):
            return
        raw = _list(self.data.get("phases"))
        ids = [pid for _, pid in phases]
        edges: dict[str, set[str]] = {pid: set() for pid in ids}
        for pos, (i, pid) in enumerate(phases):
            nxt = _dict(raw[i]).get("next")
            if isinstance(nxt, str):
                if nxt not in edges:
                    return  # reported as unknown; a graph check would only add noise
                edges[pid].add(nxt)
            elif pos + 1 < len(phases):
                edges[pid].add(phases[pos + 1][1])
        for transition in _list(self.data.get("transitions")):
            t = _dict(transition)
            source, target = t.get("from"), t.get("to")
            if not (isinstance(source, str) and isinstance(target, str)):
                continue  # wrong type, reported by the schema check
            if source not in edges or target not in edges:
                return  # an unknown phase, reported as such
            edges[source].add(target)
        reachable = _reach([ids[0]], edges.__getitem__)
        for i, pid in phases:
            if pid not in reachable:
                self.out.add(
                    ["phases", i, "id"],
                    "unreachable-phase",
                    de=f"Phase '{pid}' ist von der ersten Phase aus nicht erreichbar",
                    en=f"phase '{pid}' cannot be reached from the first phase",
                    hint_de="'next' der vorigen Phasen prüfen oder einen Übergang "
                    "(transitions) ergänzen.",
                    hint_en="Check 'next' of the earlier phases or add a transition.",
                )
        # Only the last phase can close the process: it is final or carries the
        # cycle edge (`next`). Every phase must be able to get there.
        last = ids[-1]
        reverse: dict[str, set[str]] = {pid: set() for pid in ids}
        for src, dests in edges.items():
            for dst in dests:
                reverse[dst].add(src)
        closing = _reach([last], reverse.__getitem__)
        for i, pid in phases:
            if pid in reachable and pid not in closing:
                self.out.add(
                    ["phases", i, "id"],
                    "dead-end-phase",
                    de=f"Von Phase '{pid}' führt kein Weg zur letzten Phase '{last}' "
                    "(weder Abschluss noch neuer Zyklus möglich)",
                    en=f"no way leads from phase '{pid}' to the last phase '{last}' "
                    "(neither an end nor a new cycle is reachable)",
                    hint_de="'next' prüfen oder einen Übergang (transitions) ergänzen.",
                    hint_en="Check 'next' or add a transition.",
                )


def _reach(start: list[str], neighbours: Callable[[str], set[str]]) -> set[str]:
    seen = set(start)
    stack = list(start)
    while stack:
        for nxt in neighbours(stack.pop()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def check_semantics(data: Any, out: IssueCollector, template_dirs: Sequence[Path] = ()) -> None:
    """Add an issue for every semantic problem of the workflow ``data``."""
    if isinstance(data, dict):
        _Checker(data, out, template_dirs).run()
