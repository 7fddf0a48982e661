"""Semantic checks of the format-v2 phase constructs: strands, optional phases,
conditional transitions (``when``/``auto``) and renewals (``renew``).

Called by :mod:`.semantic` on the raw file data (read defensively like there);
every problem is reported with its position, all at once, unknown names with a
did-you-mean.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sozialraumprozess.definition.expressions import analyse_expression
from sozialraumprozess.definition.issues import PathKey
from sozialraumprozess.definition.model import RENEW_ALL, Label
from sozialraumprozess.errors._base import closest
from sozialraumprozess.i18n import msg

if TYPE_CHECKING:
    from sozialraumprozess.definition.semantic import _Checker

__all__ = ["check_phase_v2", "check_transition_v2", "phase_items"]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def phase_items(phase: Any, key: str) -> list[str]:
    """The ids a raw phase lists under ``key`` (``artifacts``/``events``), its strands' too."""
    phase = _dict(phase)
    items = [x for x in _list(phase.get(key)) if isinstance(x, str)]
    for strand in _dict(phase.get("strands")).values():
        items += [x for x in _list(_dict(strand).get(key)) if isinstance(x, str)]
    return items


def _unknown_hint(name: str, known: Sequence[str]) -> Any:
    suggestion = closest(name, known)
    if suggestion is not None:
        return msg("name.did-you-mean", name=suggestion)
    return msg("name.known", known=", ".join(known) if known else "–")


def check_phase_v2(checker: _Checker, index: int, phase: dict[str, Any]) -> None:
    """Strands, ``requires``, ``optional`` and ``renew`` of the raw phase at ``index``."""
    path: list[PathKey] = ["phases", index]
    strands = _dict(phase.get("strands"))
    seen: dict[str, str] = {}  # artifact/event id -> where it is listed first
    for key in ("artifacts", "events"):
        for item in _list(phase.get(key)):
            if isinstance(item, str):
                seen.setdefault(f"{key}:{item}", "")
    for sid, strand in strands.items():
        spath: list[PathKey] = [*path, "strands", sid]
        strand = _dict(strand)
        checker.ref("role", strand.get("responsible"), [*spath, "responsible"])
        checker.refs("event", strand.get("events"), [*spath, "events"])
        checker.refs("artifact", strand.get("artifacts"), [*spath, "artifacts"])
        for key in ("artifacts", "events"):
            for j, item in enumerate(_list(strand.get(key))):
                if not isinstance(item, str):
                    continue
                first = seen.get(f"{key}:{item}")
                if first is not None:
                    where = first or str(phase.get("id", index))
                    checker.add(
                        [*spath, key, j],
                        "listed-twice",
                        msg("phases.listed-twice", item=item, strand=sid, first=where),
                        msg("phases.listed-twice-hint"),
                    )
                else:
                    seen[f"{key}:{item}"] = str(sid)
        events = set(phase_items(phase, "events"))
        checker.criteria(strand.get("exit"), [*spath, "exit"], index, events)
    requires = phase.get("requires")
    if requires is not None and not strands:
        checker.add(
            [*path, "requires"],
            "requires-without-strands",
            msg("phases.requires-without-strands"),
            key=True,
        )
    elif strands:
        known = [s for s in strands if isinstance(s, str)]
        for j, sid in enumerate(_list(requires)):
            if isinstance(sid, str) and sid not in known:
                checker.add(
                    [*path, "requires", j],
                    "unknown-reference",
                    msg("phases.unknown-strand", name=sid, phase=str(phase.get("id", index))),
                    _unknown_hint(sid, known),
                )
    phases = _list(checker.data.get("phases"))
    is_last = index == len(phases) - 1
    if phase.get("optional") is True and is_last and phase.get("next") is None:
        checker.add(
            [*path, "optional"],
            "optional-final-phase",
            msg("phases.optional-final"),
            msg("phases.optional-final-hint"),
            key=True,
        )
    if "renew" in phase:
        nxt = phase.get("next")
        order = [p.get("id") for p in (_dict(q) for q in phases)]
        back = isinstance(nxt, str) and nxt in order and order.index(nxt) <= index
        if not back:
            checker.add(
                [*path, "renew"],
                "renew-not-backward",
                msg("phases.renew-phase-not-backward"),
                msg("phases.renew-phase-not-backward-hint"),
                key=True,
            )
        else:
            _check_renew(checker, phase.get("renew"), [*path, "renew"])


def check_transition_v2(checker: _Checker, index: int, transition: dict[str, Any]) -> None:
    """``when``, ``auto`` and ``renew`` of the raw transition at ``index``."""
    path: list[PathKey] = ["transitions", index]
    when = transition.get("when")
    if isinstance(when, str):
        check_expression(checker, when, [*path, "when"])
    if transition.get("auto") is True and when is None:
        checker.add(
            [*path, "auto"],
            "auto-without-when",
            msg("phases.auto-without-when"),
            msg("phases.auto-without-when-hint"),
            key=True,
        )
    if "renew" in transition:
        order = [p.get("id") for p in (_dict(q) for q in _list(checker.data.get("phases")))]
        source, target = transition.get("from"), transition.get("to")
        if source in order and target in order and order.index(target) > order.index(source):
            checker.add(
                [*path, "renew"],
                "renew-not-backward",
                msg("phases.renew-not-backward", source=str(source), target=str(target)),
                msg("phases.renew-not-backward-hint"),
                key=True,
            )
        else:
            _check_renew(checker, transition.get("renew"), [*path, "renew"])


def check_expression(checker: _Checker, expression: str, path: list[PathKey]) -> None:
    """Report the problems of a condition like those of a ``check`` criterion."""
    known: dict[str, Iterable[str]] = {
        "artifacts": checker.known["artifact"],
        "events": checker.known["event"],
        "decisions": checker.known["decision"],
    }
    for problem in analyse_expression(expression, known):
        hint = None
        if problem.unknown is not None:
            suggestion = closest(problem.unknown[1], problem.unknown[2])
            if suggestion is not None:
                hint = msg("name.did-you-mean", name=suggestion)
        text = msg("definition.bad-expression", text=Label(de=problem.de, en=problem.en))
        checker.add(path, "bad-expression", text, hint)


def _check_renew(checker: _Checker, value: Any, path: list[PathKey]) -> None:
    if value == RENEW_ALL or not isinstance(value, list):
        return  # `all`, or a wrong type (reported by the schema check)
    known = [
        *checker.known["artifact"],
        *checker.known["event"],
        *checker.known["decision"],
    ]
    for j, item in enumerate(value):
        if isinstance(item, str) and item not in known:
            checker.add(
                [*path, j],
                "unknown-reference",
                msg("phases.unknown-renew", name=item),
                _unknown_hint(item, known),
            )
