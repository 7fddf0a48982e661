"""Semantic checks of a workflow: references, ids, reachability, gates, fields, checks.

What is particular to one gate kind or field type is checked by that unit
(:meth:`GateKind.check <sozialraumprozess.definition.kinds.GateKind.check>`; the
``keys``/``needs`` of each :class:`~sozialraumprozess.definition.fields.FieldType`).

These run on the raw file data, defensively, next to the structural schema
checks, so one run reports every problem of a file: a misspelt role in line 40
shows up together with a wrong type in line 12. Every lookup tolerates data of
the wrong shape (the schema check reports that).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence, Set as AbstractSet
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from sozialraumprozess.definition._phases_check import (
    check_phase_v2,
    check_transition_v2,
    phase_items,
)
from sozialraumprozess.definition.annual import check_annual_table
from sozialraumprozess.definition.dates import DateProblem, ImpossibleDateProblem, parse_date
from sozialraumprozess.definition.fields import FieldType, field_type, field_types
from sozialraumprozess.definition.fields.reference import reference_kinds
from sozialraumprozess.definition.issues import IssueCollector, PathKey
from sozialraumprozess.definition.kinds import gate_kinds
from sozialraumprozess.definition.model import (
    FORMAT,
    FORMAT_V1,
    V2_DECISION_RULES,
    FieldSpec,
    Label,
)
from sozialraumprozess.errors._base import closest, unknown_phrase
from sozialraumprozess.i18n import Message, msg

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
                ("indicator", "indicators"),
                ("target_group", "target_groups"),
            )
        }
        self.phases: list[tuple[int, str]] = [
            (i, p["id"])
            for i, p in enumerate(_list(data.get("phases")))
            if isinstance(p, dict) and isinstance(p.get("id"), str)
        ]
        self.known["phase"] = [pid for _, pid in self.phases]

    # -- helpers ---------------------------------------------------------------

    @property
    def format(self) -> str:
        """The declared file format (the current one when missing)."""
        value = self.data.get("format")
        return value if isinstance(value, str) else FORMAT

    def add(
        self,
        path: Sequence[PathKey],
        code: str,
        message: Message,
        hint: Message | None = None,
        *,
        key: bool = False,
    ) -> None:
        """Report an issue worded from catalog messages."""
        self.out.add(path, code, message, hint=hint, key=key)

    def ref(self, kind: str, value: Any, path: Sequence[PathKey]) -> bool:
        """Report ``value`` if it is a string naming no ``kind``; True if it is known."""
        if not isinstance(value, str):
            return False
        known = self.known[kind]
        if value in known:
            return True
        suggestion = closest(value, known)
        listed = ", ".join(known) if known else "–"
        hint = (
            msg("name.did-you-mean", name=suggestion)
            if suggestion is not None
            else msg("name.known", known=listed)
        )
        what = Label(de=unknown_phrase(kind, "de"), en=unknown_phrase(kind, "en").lower())
        self.add(path, "unknown-reference", msg("definition.unknown", what=what, name=value), hint)
        return False

    def refs(self, kind: str, values: Any, path: Sequence[PathKey]) -> None:
        seen: set[str] = set()
        for j, value in enumerate(_list(values)):
            self.ref(kind, value, [*path, j])
            if isinstance(value, str):
                if value in seen:
                    self.add([*path, j], "duplicate-entry", msg("definition.twice", value=value))
                seen.add(value)

    # -- sections ----------------------------------------------------------------

    def run(self) -> None:
        data = self.data
        for rid, role in _dict(data.get("roles")).items():
            self.refs("role", _dict(role).get("appointed_by"), ["roles", rid, "appointed_by"])
        self.id_lengths()
        for eid, event in _dict(data.get("events")).items():
            event = _dict(event)
            self.ref("role", event.get("organizer"), ["events", eid, "organizer"])
            self.ref("artifact", event.get("protocol"), ["events", eid, "protocol"])
            self.template(event.get("template"), ["events", eid, "template"])
            self.refs("target_group", event.get("target_groups"), ["events", eid, "target_groups"])
        for aid, artifact in _dict(data.get("artifacts")).items():
            artifact = _dict(artifact)
            self.ref("role", artifact.get("owner"), ["artifacts", aid, "owner"])
            self.ref("role", artifact.get("approved_by"), ["artifacts", aid, "approved_by"])
            self.template(artifact.get("template"), ["artifacts", aid, "template"])
            for name, spec in _dict(artifact.get("fields")).items():
                self.field(spec, ["artifacts", aid, "fields", name])
            if isinstance(artifact.get("items"), dict):
                self.items(artifact["items"], ["artifacts", aid, "items"])
        for did, decision in _dict(data.get("decisions")).items():
            self.ref("role", _dict(decision).get("body"), ["decisions", did, "body"])
            self.decision_v2(did, _dict(decision))
        for iid, indicator in _dict(data.get("indicators")).items():
            self.ref(
                "role", _dict(indicator).get("recorded_by"), ["indicators", iid, "recorded_by"]
            )
        self.phase_checks()
        self.transition_checks()
        self.graph_checks()
        check_annual_table(data, self)

    def items(self, items: dict[str, Any], path: list[PathKey]) -> None:
        """An artifact's ``items``: roles that move them, moves between known states."""
        self.refs("role", items.get("moved_by"), [*path, "moved_by"])
        kind = items.get("kind")
        kinds = [k.name for k in reference_kinds()]
        if isinstance(kind, str) and kind not in kinds:
            suggestion = closest(kind, kinds)
            self.add(
                [*path, "kind"],
                "unknown-reference-kind",
                msg("ref.unknown-kind", kind=kind),
                msg("name.did-you-mean", name=suggestion)
                if suggestion is not None
                else msg("name.known", known=", ".join(kinds) or "–"),
            )
        states = [k for k in _dict(items.get("states")) if isinstance(k, str)]
        for j, move in enumerate(_list(items.get("moves"))):
            for key in ("from", "to"):
                value = _dict(move).get(key)
                if not isinstance(value, str) or value in states:
                    continue
                suggestion = closest(value, states)
                hint = (
                    msg("name.did-you-mean", name=suggestion)
                    if suggestion is not None
                    else msg("name.known", known=", ".join(states) or "–")
                )
                self.add(
                    [*path, "moves", j, key],
                    "unknown-item-state",
                    msg("items.unknown-state", state=value),
                    hint,
                )

    def decision_v2(self, did: str, decision: dict[str, Any]) -> None:
        """``after``, ``adopts``, ``quorum_share`` and the ``taking_note`` rule (format v2)."""
        path: list[PathKey] = ["decisions", did]
        self.refs("decision", decision.get("after"), [*path, "after"])
        if did in _list(decision.get("after")):
            self.add([*path, "after"], "after-itself", msg("time.after-itself", decision=did))
        self.ref("artifact", decision.get("adopts"), [*path, "adopts"])
        if decision.get("rule") in V2_DECISION_RULES and self.data.get("format") == FORMAT_V1:
            self.add(
                [*path, "rule"],
                "needs-newer-format",
                msg("time.rule-needs-v2", rule=str(decision.get("rule")), format=FORMAT),
                msg("definition.needs-newer-format-hint", format=FORMAT),
            )
        if decision.get("quorum_share") is not None:
            body = _dict(_dict(self.data.get("roles")).get(str(decision.get("body"))))
            if body and not isinstance(body.get("seats"), int):
                self.add(
                    [*path, "quorum_share"],
                    "share-without-seats",
                    msg("time.share-without-seats", role=str(decision.get("body"))),
                    msg("time.share-without-seats-hint", role=str(decision.get("body"))),
                )

    def deadline(self, deadline: dict[str, Any], path: list[PathKey]) -> None:
        """A phase deadline: a fixed ``date``, or ``before`` an event ``by`` a period."""
        if not deadline:
            return
        fixed, before, by = deadline.get("date"), deadline.get("before"), deadline.get("by")
        self.ref("role", deadline.get("owner"), [*path, "owner"])
        if fixed is not None:
            try:
                parse_date(fixed)
            except ImpossibleDateProblem:
                self.add(
                    [*path, "date"],
                    "date-impossible",
                    msg("time.date-impossible", value=repr(fixed)),
                )
            except DateProblem:
                self.add([*path, "date"], "bad-date", msg("runtime.input.date", value=repr(fixed)))
        self.ref("event", before, [*path, "before"])
        if (fixed is None) == (before is None) or (before is None) != (by is None):
            self.add(path, "bad-deadline", msg("time.bad-deadline"), msg("time.bad-deadline-hint"))

    def id_lengths(self) -> None:
        """Ids become parts of file names (documents, stores): at most MAX_ID_CHARS."""
        for kind, ids in self.known.items():
            section = {
                "role": "roles",
                "event": "events",
                "artifact": "artifacts",
                "decision": "decisions",
                "target_group": "target_groups",
            }.get(kind)
            for index, name in enumerate(ids):
                if len(name) > MAX_ID_CHARS:
                    path: list[PathKey] = (
                        [section, name] if section else ["phases", self.phases[index][0], "id"]
                    )
                    text = msg("definition.id-too-long", limit=MAX_ID_CHARS, length=len(name))
                    self.add(path, "id-too-long", text, key=section is not None)
        wid = self.data.get("id")
        if isinstance(wid, str) and len(wid) > MAX_ID_CHARS:
            text = msg("definition.id-too-long", limit=MAX_ID_CHARS, length=len(wid))
            self.add(["id"], "id-too-long", text)

    def template(self, name: Any, path: Sequence[PathKey]) -> None:
        if not isinstance(name, str) or not name:
            return
        if any(len(part.encode("utf-8")) > 255 for part in name.split("/")):
            text = msg("definition.template-name-too-long", name=name[:60] + "…")
            self.add(path, "template-name-too-long", text)
            return
        if not template_name_ok(name):
            # said before looking, so the answer never tells whether such a file exists
            text = msg("definition.template-outside", name=name)
            self.add(path, "template-outside", text, msg("definition.template-outside-hint"))
            return
        if any((d / name).is_file() for d in self.template_dirs):
            return
        searched = ", ".join(str(d) for d in self.template_dirs)
        candidates = [
            p.name for d in self.template_dirs if d.is_dir() for p in d.iterdir() if p.is_file()
        ]
        suggestion = closest(name, candidates)
        hint = (
            msg("name.did-you-mean", name=suggestion)
            if suggestion is not None
            else msg("definition.unknown-template-hint")
        )
        text = msg("definition.unknown-template", name=name, searched=searched)
        self.add(path, "unknown-template", text, hint)

    def field(self, spec: Any, path: list[PathKey]) -> None:
        if not isinstance(spec, dict):
            return
        ftype = spec.get("type")
        if not isinstance(ftype, str):
            return
        for key, types in _type_keys().items():
            if key in spec and ftype not in types:
                self.add(
                    [*path, key],
                    "key-not-for-type",
                    msg(
                        "definition.key-not-for-type",
                        key=key,
                        types=" / ".join(types),
                        type=ftype,
                    ),
                    key=True,
                )
        kind = _field_type(ftype)
        needs = kind.needs if kind is not None else None
        if needs is not None and not spec.get(needs):
            self.add(
                path,
                "missing-key",
                msg("definition.field-type-needs-key", type=ftype, key=needs),
                msg("definition.field-type-needs-key-hint", key=needs),
            )
        low, high = spec.get("min"), spec.get("max")
        for key, bound in (("min", low), ("max", high)):
            if isinstance(bound, float) and not math.isfinite(bound):
                self.add([*path, key], "not-finite", msg("definition.not-finite", key=key))
        numeric = (int, float)
        if (
            isinstance(low, numeric)
            and isinstance(high, numeric)
            and not isinstance(low, bool)
            and not isinstance(high, bool)
            and low > high
        ):
            self.add(
                [*path, "min"],
                "min-above-max",
                msg("definition.min-above-max", low_key="min", low=low, high_key="max", high=high),
            )
        lo_items, hi_items = spec.get("min_items"), spec.get("max_items")
        if isinstance(lo_items, int) and isinstance(hi_items, int) and lo_items > hi_items:
            self.add(
                [*path, "min_items"],
                "min-above-max",
                msg(
                    "definition.min-above-max",
                    low_key="min_items",
                    low=lo_items,
                    high_key="max_items",
                    high=hi_items,
                ),
            )
        if kind is not None:
            kind.check_spec(spec, path, self)
        if "items" in (kind.keys if kind is not None else ()):
            self.field(spec.get("items"), [*path, "items"])
        for name, sub in _dict(spec.get("fields")).items():
            self.field(sub, [*path, "fields", name])

    def produced_up_to(self, index: int) -> set[str]:
        produced: set[str] = set()
        for phase in _list(self.data.get("phases"))[: index + 1]:
            produced.update(phase_items(phase, "artifacts"))  # strands' artifacts too
        return produced

    def criteria(
        self, criteria: Any, path: list[PathKey], phase_index: int, phase_events: set[str] | None
    ) -> None:
        context = _CriteriaContext(self, self.produced_up_to(phase_index), phase_events)
        kinds_known = gate_kinds()
        names = [kind.name for kind in kinds_known]
        for j, crit in enumerate(_list(criteria)):
            if not isinstance(crit, dict):
                continue
            cpath = [*path, j]
            found = [kind for kind in kinds_known if kind.name in crit]
            if len(found) > 1:
                self.add(
                    cpath,
                    "several-kinds",
                    msg("definition.several-kinds", kinds=", ".join(k.name for k in found)),
                    msg("definition.several-kinds-hint"),
                )
            if not found:
                # Unknown keys ('artefakt:') are reported by the schema check.
                options = {o for kind in kinds_known for o in kind.options}
                if crit and set(crit) <= {"message", *options}:
                    self.add(
                        cpath,
                        "missing-kind",
                        msg("definition.missing-kind"),
                        msg(
                            "definition.missing-kind-hint",
                            kinds=", ".join(names[:-1]),
                            last=names[-1],
                        ),
                    )
                continue
            for key in crit:
                owners = [kind.name for kind in kinds_known if key in kind.options]
                if owners and not any(kind.name in owners for kind in found):
                    self.add(
                        [*cpath, key],
                        "key-not-for-kind",
                        msg("definition.key-not-for-kind", key=key, kinds=", ".join(owners)),
                        key=True,
                    )
            for kind in found:
                kind.check(context, crit, [*cpath, kind.name], cpath)

    def phase_checks(self) -> None:
        seen: dict[str, int] = {}
        for i, phase in enumerate(_list(self.data.get("phases"))):
            if not isinstance(phase, dict):
                continue
            pid = phase.get("id")
            if isinstance(pid, str):
                if pid in seen:
                    text = msg("definition.duplicate-phase", id=pid, first=seen[pid])
                    self.add(["phases", i, "id"], "duplicate-id", text)
                else:
                    seen[pid] = i
            self.ref("role", phase.get("responsible"), ["phases", i, "responsible"])
            self.refs("role", phase.get("involved"), ["phases", i, "involved"])
            self.refs("role", phase.get("informed"), ["phases", i, "informed"])
            self.refs("event", phase.get("events"), ["phases", i, "events"])
            self.refs("artifact", phase.get("artifacts"), ["phases", i, "artifacts"])
            self.refs("decision", phase.get("decisions"), ["phases", i, "decisions"])
            for j, deadline in enumerate(_list(phase.get("deadlines"))):
                self.deadline(_dict(deadline), ["phases", i, "deadlines", j])
            self.ref("phase", phase.get("next"), ["phases", i, "next"])
            events = set(phase_items(phase, "events"))
            self.criteria(phase.get("exit"), ["phases", i, "exit"], i, events)
            check_phase_v2(self, i, phase)
        phase_ids = set(seen)
        for i, phase in enumerate(_list(self.data.get("phases"))):
            source = phase.get("renamed_from") if isinstance(phase, dict) else None
            if isinstance(source, str) and source in phase_ids:
                text = msg("definition.renamed-from-exists", id=source)
                self.add(["phases", i, "renamed_from"], "renamed-from-exists", text)

    def transition_checks(self) -> None:
        seen: dict[str, int] = {}
        index = {pid: i for i, pid in self.phases}
        for i, transition in enumerate(_list(self.data.get("transitions"))):
            if not isinstance(transition, dict):
                continue
            tid = transition.get("id")
            if isinstance(tid, str):
                if tid in seen:
                    text = msg("definition.duplicate-transition", id=tid, first=seen[tid])
                    self.add(["transitions", i, "id"], "duplicate-id", text)
                else:
                    seen[tid] = i
            source, target = transition.get("from"), transition.get("to")
            ok_from = self.ref("phase", source, ["transitions", i, "from"])
            ok_to = self.ref("phase", target, ["transitions", i, "to"])
            if ok_from and ok_to and source == target:
                text = msg("definition.self-transition", phase=source)
                self.add(["transitions", i, "to"], "self-transition", text)
            self.refs("role", transition.get("allowed"), ["transitions", i, "allowed"])
            phase_index = index.get(source, len(self.phases) - 1) if isinstance(source, str) else 0
            self.criteria(transition.get("exit"), ["transitions", i, "exit"], phase_index, None)
            check_transition_v2(self, i, transition)

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
                self.add(
                    ["phases", i, "id"],
                    "unreachable-phase",
                    msg("definition.unreachable-phase", phase=pid),
                    msg("definition.unreachable-phase-hint"),
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
                self.add(
                    ["phases", i, "id"],
                    "dead-end-phase",
                    msg("definition.dead-end-phase", phase=pid, last=last),
                    msg("definition.dead-end-phase-hint"),
                )


@frozen
class _CriteriaContext:
    """The :class:`LoadContext` a gate kind's check sees for one list of criteria."""

    checker: _Checker
    produced: AbstractSet[str]
    phase_events: AbstractSet[str] | None

    @property
    def data(self) -> dict[str, Any]:
        return self.checker.data

    @property
    def known(self) -> Mapping[str, Sequence[str]]:
        return self.checker.known

    def ref(self, kind: str, value: Any, path: Sequence[PathKey]) -> bool:
        return self.checker.ref(kind, value, path)

    def add(
        self,
        path: Sequence[PathKey],
        code: str,
        message: Message,
        hint: Message | None = None,
        *,
        key: bool = False,
    ) -> None:
        self.checker.add(path, code, message, hint, key=key)


def _field_type(name: str) -> FieldType | None:
    try:
        return field_type(name)
    except KeyError:  # reported by the schema check
        return None


def _type_keys() -> dict[str, tuple[str, ...]]:
    """Per type-specific key of a field spec, the field types accepting it (in spec order)."""
    types = field_types()
    order = [a.name for a in attrs.fields(FieldSpec)]
    keys = sorted({k for t in types for k in t.keys}, key=order.index)
    return {key: tuple(t.name for t in types if key in t.keys) for key in keys}


def _reach(start: list[str], neighbours: Callable[[str], set[str]]) -> set[str]:
    seen = set(start)
    stack = list(start)
    while stack:
        for nxt in neighbours(stack.pop()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


#: Longest id of a role, event, artifact, decision, phase or workflow: ids become
#: parts of file names (``<artifact>-v12.html``), which file systems cap at 255 bytes.
MAX_ID_CHARS = 100


def template_name_ok(name: str) -> bool:
    """True for a template name that stays inside the template folders.

    A relative path with ``/`` between parts, none of them empty, ``.`` or
    ``..``; no backslash, colon or NUL (no drive letters, no Windows separators).
    """
    if any(c in name for c in "\\:\0") or name.startswith("/"):
        return False
    if any(len(part.encode("utf-8")) > 255 for part in name.split("/")):
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


def check_semantics(data: Any, out: IssueCollector, template_dirs: Sequence[Path] = ()) -> None:
    """Add an issue for every semantic problem of the workflow ``data``."""
    if isinstance(data, dict):
        _Checker(data, out, template_dirs).run()
