"""Gate kind ``check``: a Jinja expression over the process that must be true.

The expression sees a read-only context (:func:`check_context`): ``artifacts``
(the data of each artifact's newest current version), ``events`` and
``decisions`` (of the current cycle) and ``process``. It runs in the sandbox
(:mod:`..expressions`); an expression that fails blocks as ``check-error`` with
the reason, a false one as ``check-failed`` with the criterion's ``message``.

Compiled gates take two shortcuts, both shown to matter by
``benchmarks/sweep_100k.py`` (most processes of a sweep sit in a phase whose
check reads an artifact not yet submitted):

* a check that reads nothing but ``artifacts.<id>…`` (its *guard*,
  :func:`._checkexpr.check_guard`) is not run while that artifact is missing or
  out of date: its outcome for that case is computed once, on an empty context;
* a simple check runs as plain Python on the plain path
  (:func:`._checkfast.compile_fast`), and through Jinja whenever anything is off it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sozialraumprozess.definition.expressions import analyse_expression, compile_check
from sozialraumprozess.definition.issues import PathKey
from sozialraumprozess.definition.kinds._base import (
    Blocker,
    Gate,
    GateEnv,
    GateKind,
    LoadContext,
    StateView,
)
from sozialraumprozess.definition.kinds._checkexpr import check_guard, check_names, is_pure
from sozialraumprozess.definition.kinds._checkfast import Fallback, compile_fast
from sozialraumprozess.definition.kinds._renew import renewals
from sozialraumprozess.definition.model import FORMAT_V1, Criterion, FieldSpec, Label, Workflow
from sozialraumprozess.definition.sandbox import LimitExceeded, Refused
from sozialraumprozess.errors._base import closest
from sozialraumprozess.i18n import Message, msg

__all__ = ["CheckKind", "check_context", "current_data", "date_fields", "run_check"]

_MISSING = re.compile(r"has no attribute '([^']+)'")
_EMPTY_CONTEXT: dict[str, Any] = {"artifacts": {}, "events": {}, "decisions": {}, "process": {}}


def _text(criterion: Criterion) -> Message:
    """The text of a failed check: its ``message``, else the expression."""
    if criterion.message is not None:
        return msg("gate.label", label=criterion.message)
    return msg("gate.check-failed", expression=criterion.target)


def run_check(
    check: Callable[..., Any],
    context: dict[str, Any],
    criterion: Criterion,
    responsible: str,
    failed: Blocker | None = None,
) -> list[Blocker]:
    """The blockers of one compiled ``check`` over ``context`` (``failed``: reused if given)."""
    try:
        ok = bool(check(**context))
    except (LimitExceeded, Refused) as exc:  # a bound of the sandbox: say which
        text = msg("gate.check-error", check=_text(criterion), reason=exc.text)
        return [Blocker("check", criterion, responsible, "check-error", text)]
    except Exception as exc:  # any failure of a user expression blocks the gate
        reason: Any = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        missing = _MISSING.search(reason)
        if missing:
            reason = msg("gate.check-name-missing", name=missing.group(1))
        text = msg("gate.check-error", check=_text(criterion), reason=reason)
        return [Blocker("check", criterion, responsible, "check-error", text)]
    if ok:
        return []
    return [failed or Blocker("check", criterion, responsible, "check-failed", _text(criterion))]


def current_data(env: GateEnv, state: StateView) -> dict[str, Any]:
    """The ``artifacts`` part of :func:`check_context`: data of current newest versions."""
    cycle, is_current = state.cycle, env.is_current
    # With renewals (format v2 ``renew``) only ``is_current`` knows: no shortcut.
    shortcut = not renewals(state)
    data: dict[str, Any] = {}
    for artifact, versions in state.artifact_entries.items():
        if versions:
            version = versions[-1]
            if (shortcut and version.current_cycle >= cycle) or is_current(version, state):
                data[artifact] = version.data
    return data


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def date_fields(workflow: Workflow) -> Callable[[dict[str, Any]], dict[str, Any]] | None:
    """For format v2: a function giving ``artifacts`` data with date fields as dates.

    ``None`` if no artifact has a ``date`` field (at the top level, in objects or
    in lists of them); the data itself is never changed (converted copies).
    """

    def converter(spec: FieldSpec) -> Callable[[Any], Any] | None:
        if spec.type == "date":
            return lambda value: date.fromisoformat(value) if isinstance(value, str) else value
        if spec.type == "list" and spec.items is not None:
            inner = converter(spec.items)
            if inner is not None:
                each = inner
                return lambda value: [each(v) for v in value] if isinstance(value, list) else value
        if spec.type == "object":
            return _object(spec.fields)
        return None

    def _object(specs: tuple[FieldSpec, ...]) -> Callable[[Any], Any] | None:
        parts = {s.name: c for s in specs if (c := converter(s)) is not None}
        if not parts:
            return None

        def convert(value: Any) -> Any:
            if not isinstance(value, dict):
                return value
            return {k: parts[k](v) if k in parts else v for k, v in value.items()}

        return convert

    per_artifact = {a.id: c for a in workflow.artifacts if (c := _object(a.fields)) is not None}
    if not per_artifact:
        return None

    def convert_all(artifacts: dict[str, Any]) -> dict[str, Any]:
        return {a: per_artifact[a](d) if a in per_artifact else d for a, d in artifacts.items()}

    return convert_all


def check_context(
    state: StateView, artifacts: dict[str, Any], *, dated: bool = False
) -> dict[str, Any]:
    """The read-only data ``check`` expressions see (plain dicts and lists).

    ``artifacts``: the data of every artifact's newest version that is current
    (see :func:`current_data`); ``events``: per event id, the holdings of the
    current cycle; ``decisions``: per decision id, the newest one of the current
    cycle (with ``passed``); ``process``: ``phase``, ``cycle`` and ``sozialraum``.

    ``dated`` (format v2): dates are :class:`datetime.date` values (their
    differences are ``timedelta`` with ``.days``), holdings have ``until``,
    decisions ``amount`` and ``adopted``, and ``process`` has ``entered``,
    ``started`` and ``planned`` (open planned events by event id). See
    :data:`~sozialraumprozess.definition.expressions.CONTEXT_ATTRIBUTES`.
    """
    events: dict[str, list[dict[str, Any]]] = {}
    renewed = renewals(state)  # format v2 ``renew``: what came before a renewal is gone
    for held in state.held_entries:
        if held.cycle == state.cycle and (
            not renewed or getattr(held, "seq", 0) >= renewed.get(("event", held.event), 0)
        ):
            holding: dict[str, Any] = {
                "date": held.date,
                "participants": held.participants,
                "notes": held.notes,
                "phase": held.phase,
            }
            if dated:
                holding["date"], holding["until"] = _day(held.date), _day(held.until)
            events.setdefault(held.event, []).append(holding)
    decisions: dict[str, dict[str, Any]] = {}
    for record in state.decision_entries:
        if record.cycle == state.cycle and (
            not renewed
            or getattr(record, "seq", 0) >= renewed.get(("decision", record.decision), 0)
        ):
            decisions[record.decision] = {
                "date": record.date,
                "yes": record.yes,
                "no": record.no,
                "abstain": record.abstain,
                "consensus": record.consensus,
                "passed": record.result.passed,
                "text": record.text,
            }
            if dated:
                decisions[record.decision].update(
                    date=_day(record.date), amount=record.amount, adopted=record.adopted
                )
    room = state.sozialraum
    process = {
        "phase": state.phase,
        "cycle": state.cycle,
        "sozialraum": {
            "name": room.name if room else "",
            "description": room.description if room else "",
            "data": room.data if room else {},
        },
    }
    if dated:
        process["entered"] = state.entered_on
        process["started"] = state.started_on
        process["planned"] = {
            plan.event: {
                "date": _day(plan.date),
                "until": _day(plan.until),
                "time": plan.time,
                "place": plan.place,
                "planned_on": plan.planned_on,
            }
            for plan in state.plan_entries
            if plan.status == "planned"
        }
    return {"artifacts": artifacts, "events": events, "decisions": decisions, "process": process}


class CheckKind(GateKind):
    """``- check: <expression>`` with ``message``: the expression is true."""

    name = "check"
    doc = (
        "A Jinja expression over `artifacts`, `events`, `decisions` and `process` "
        "that must be true, e.g. `artifacts.zielkatalog.ziele | length >= 3`. Needs `message`."
    )
    codes = ("check-failed", "check-error")

    def check(
        self,
        ctx: LoadContext,
        criterion: dict[str, Any],
        path: list[PathKey],
        cpath: list[PathKey],
    ) -> None:
        if "message" not in criterion:
            ctx.add(
                cpath,
                "check-without-message",
                msg("definition.check-without-message"),
                msg("definition.check-without-message-hint"),
            )
        expression = criterion[self.name]
        if not isinstance(expression, str):
            return
        known: dict[str, Iterable[str]] = {
            "artifacts": ctx.known["artifact"],
            "events": ctx.known["event"],
            "decisions": ctx.known["decision"],
        }
        version = 1 if ctx.data.get("format") == FORMAT_V1 else 2
        fields = None
        if version > 1:
            artifacts = ctx.data.get("artifacts")
            fields = {
                aid: tuple(spec["fields"]) if isinstance(spec.get("fields"), dict) else ()
                for aid, spec in (artifacts.items() if isinstance(artifacts, dict) else ())
                if isinstance(spec, dict)
            }
        for problem in analyse_expression(expression, known, version, fields):
            hint = None
            if problem.unknown is not None:
                suggestion = closest(problem.unknown[1], problem.unknown[2])
                if suggestion is not None:
                    hint = msg("name.did-you-mean", name=suggestion)
            text = msg("definition.bad-expression", text=Label(de=problem.de, en=problem.en))
            ctx.add(path, "bad-expression", text, hint)

    def is_pure(self, criterion: Criterion) -> bool:
        return is_pure(criterion.target)

    def compile(self, criterion: Criterion, responsible: str, env: GateEnv) -> Gate:
        check = compile_check(criterion.target)
        failed = Blocker("check", criterion, responsible, "check-failed", _text(criterion))
        guard = check_guard(criterion.target)
        # The outcome while the guard artifact is not in the context, computed once.
        absent = (
            run_check(check, _EMPTY_CONTEXT, criterion, responsible, failed)
            if guard is not None
            else []
        )
        is_current = env.is_current
        # An expression that reads only ``artifacts`` gets only that part of the
        # context built (the parts it never reads cannot change its result).
        only_artifacts = check_names(criterion.target) == frozenset({"artifacts"})
        fast = compile_fast(criterion.target)
        dated = env.workflow.format != FORMAT_V1  # format v2: dates are dates
        convert = date_fields(env.workflow) if dated else None

        def artifacts_of(state: StateView) -> dict[str, Any]:
            data = current_data(env, state)
            return data if convert is None else convert(data)

        def gate(state: StateView, out: list[Blocker], cell: list[dict[str, Any]]) -> None:
            if guard is not None:
                versions = state.artifact_entries.get(guard)
                if not versions or not is_current(versions[-1], state):
                    out.extend(absent)
                    return
            if cell:
                context = cell[0]
            elif only_artifacts:
                context = {**_EMPTY_CONTEXT, "artifacts": artifacts_of(state)}
            else:
                context = check_context(state, artifacts_of(state), dated=dated)
                cell.append(context)
            if fast is not None:
                try:
                    ok = bool(fast(context))
                except Fallback:  # off the plain path: Jinja decides, as always
                    pass
                else:
                    if not ok:
                        out.append(failed)
                    return
            out.extend(run_check(check, context, criterion, responsible, failed))

        return gate

    def describe(self, workflow: Workflow, criterion: Criterion) -> Message:
        return msg("gate.describe-check", text=criterion.message or criterion.target)

    def description(self, workflow: Workflow, criterion: Criterion) -> Message:
        return self.describe(workflow, criterion)

    def document_text(self, workflow: Workflow, criterion: Criterion) -> Message:
        return msg("gate.label", label=criterion.message or criterion.target)
