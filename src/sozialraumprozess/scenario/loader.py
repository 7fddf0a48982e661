"""Reading scenario files, with every problem reported at its line."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from sozialraumprozess.definition.files import FileTooLarge, read_regular_file
from sozialraumprozess.definition.issues import IssueCollector, PathKey
from sozialraumprozess.definition.loader import bundled_workflows_dir
from sozialraumprozess.definition.yamlio import MAX_BYTES, read_yaml
from sozialraumprozess.errors import Issue, ScenarioError, UnknownNameError
from sozialraumprozess.errors._base import closest, did_you_mean_message
from sozialraumprozess.i18n import Lang, Message, Number, msg
from sozialraumprozess.scenario.model import (
    COMMAND_NAMES,
    SCENARIO_FORMAT,
    Expectation,
    Scenario,
    Step,
)

__all__ = ["bundled_scenario_path", "bundled_scenarios", "load_scenario"]

ScenarioSource = str | os.PathLike[str] | IO[str] | IO[bytes]

_TOP_KEYS = ("scenario", "workflow", "title", "sozialraum", "start", "steps")
_STEP_KEYS = ("by", "note", "expect", "error")
_EXPECT_KEYS = ("phase", "cycle", "can_advance", "blockers", "blockers_include", "versions")


def bundled_scenarios() -> tuple[str, ...]:
    """Names of the scenarios shipped with the package (one per bundled workflow)."""
    return tuple(
        sorted(
            p.name.removesuffix(".scenario.yaml")
            for p in bundled_workflows_dir().glob("*.scenario.yaml")
        )
    )


def bundled_scenario_path(name: str) -> Path:
    """Path of a bundled scenario; raises :class:`UnknownNameError` with a hint."""
    if name not in bundled_scenarios():
        raise UnknownNameError("scenario", name, bundled_scenarios())
    return bundled_workflows_dir() / f"{name}.scenario.yaml"


class _Reader:
    def __init__(self, out: IssueCollector) -> None:
        self.out = out

    def problem(self, path: list[PathKey], code: str, message: Message) -> None:
        self.out.add(path, code, message)

    def unknown_keys(
        self, data: Mapping[str, Any], allowed: tuple[str, ...], path: list[PathKey]
    ) -> None:
        for key in data:
            if key not in allowed:
                suggestion = closest(str(key), allowed)
                self.out.add(
                    [*path, key],
                    "unknown-key",
                    msg("definition.unknown-key", name=key),
                    hint=did_you_mean_message(suggestion)
                    or msg("definition.allowed", allowed=", ".join(allowed)),
                    key=True,
                )

    def text(
        self, data: Mapping[str, Any], key: str, path: list[PathKey], *, required: bool
    ) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem([*path, key], "missing-key", msg("definition.missing-key", name=key))
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem([*path, key], "wrong-type", msg("scenario.expected-text"))
            return None
        return str(value)

    def expectation(self, data: Any, path: list[PathKey]) -> Expectation | None:
        if not isinstance(data, dict):
            self.problem(path, "wrong-type", msg("scenario.expected-mapping"))
            return None
        self.unknown_keys(data, _EXPECT_KEYS, path)
        blockers = data.get("blockers")
        if blockers is not None and not (
            (isinstance(blockers, int) and not isinstance(blockers, bool))
            or (isinstance(blockers, list) and all(isinstance(b, str) for b in blockers))
        ):
            self.problem(
                [*path, "blockers"],
                "wrong-type",
                msg("scenario.expected-blockers"),
            )
            blockers = None
        include = data.get("blockers_include", [])
        if not (isinstance(include, list) and all(isinstance(b, str) for b in include)):
            self.problem(
                [*path, "blockers_include"],
                "wrong-type",
                msg("scenario.expected-messages"),
            )
            include = []
        versions = data.get("versions", {})
        if not (isinstance(versions, dict) and all(isinstance(v, int) for v in versions.values())):
            self.problem(
                [*path, "versions"],
                "wrong-type",
                msg("scenario.expected-versions"),
            )
            versions = {}
        for key, kind in (("cycle", int), ("can_advance", bool), ("phase", str)):
            if key in data and not isinstance(data[key], kind):
                self.problem([*path, key], "wrong-type", msg("scenario.wrong-type", key=key))
        return Expectation(
            phase=data.get("phase") if isinstance(data.get("phase"), str) else None,
            cycle=data.get("cycle") if isinstance(data.get("cycle"), int) else None,
            can_advance=data.get("can_advance")
            if isinstance(data.get("can_advance"), bool)
            else None,
            blockers=tuple(blockers) if isinstance(blockers, list) else blockers,
            blockers_include=tuple(include),
            versions=dict(versions),
        )

    def step(self, index: int, data: Any) -> Step | None:
        path: list[PathKey] = ["steps", index]
        line = self.out.document.locate(path)[0] if self.out.document is not None else None
        if not isinstance(data, dict):
            self.problem(
                path,
                "wrong-type",
                msg("scenario.step-not-a-mapping"),
            )
            return None
        commands = [k for k in data if k in COMMAND_NAMES]
        others = [k for k in data if k not in COMMAND_NAMES and k not in _STEP_KEYS]
        if len(commands) > 1:
            self.problem(
                path,
                "several-commands",
                msg("scenario.several-commands", commands=", ".join(commands)),
            )
            return None
        command = commands[0] if commands else None
        if command is None:
            if others:
                key = others[0]
                suggestion = closest(str(key), [*COMMAND_NAMES, *_STEP_KEYS])
                self.out.add(
                    [*path, key],
                    "unknown-command",
                    msg("scenario.unknown-command", name=key),
                    hint=did_you_mean_message(suggestion)
                    or msg("scenario.commands", commands=", ".join(COMMAND_NAMES)),
                    key=True,
                )
                return None
            if "expect" not in data:
                self.problem(
                    path,
                    "empty-step",
                    msg("scenario.empty-step"),
                )
                return None
        subject = data.get(command) if command else None
        if command is not None:
            if COMMAND_NAMES[command] and not isinstance(subject, str):
                self.problem(
                    [*path, command],
                    "missing-subject",
                    msg("scenario.missing-subject", command=command),
                )
                return None
            if not COMMAND_NAMES[command] and subject is not None:
                self.problem(
                    [*path, command],
                    "unexpected-subject",
                    msg("scenario.unexpected-subject", command=command),
                )
                return None
            if not isinstance(data.get("by"), str):
                self.problem(
                    [*path, "by"],
                    "missing-key",
                    msg("scenario.missing-by"),
                )
                return None
        error = data.get("error")
        error_type = error_contains = None
        if isinstance(error, str):
            error_type = error
        elif isinstance(error, dict) and isinstance(error.get("type"), str):
            error_type = error["type"]
            error_contains = (
                error.get("contains") if isinstance(error.get("contains"), str) else None
            )
        elif error is not None:
            self.problem(
                [*path, "error"],
                "wrong-type",
                msg("scenario.expected-error"),
            )
        expect = self.expectation(data["expect"], [*path, "expect"]) if "expect" in data else None
        return Step(
            index=index,
            line=line,
            command=command,
            subject=subject if isinstance(subject, str) else None,
            by=data.get("by"),
            args={k: data[k] for k in others},
            error=error_type,
            error_contains=error_contains,
            expect=expect,
            note=str(data.get("note", "")),
        )


def load_scenario(source: ScenarioSource, *, lang: Lang = "de") -> Scenario:
    """Read and check a scenario file (path, open file, or bundled scenario name).

    Raises:
        ScenarioError: With every problem of the file (line, path, message).
        UnknownNameError: ``source`` is neither a file nor a bundled scenario.
    """
    if isinstance(source, str | os.PathLike):
        text = os.fspath(source)
        path = Path(text)
        if not path.is_file() and not text.endswith((".yaml", ".yml")) and "/" not in text:
            path = bundled_scenario_path(text)
        name = os.fspath(source) if Path(text).is_file() else str(path)
        out = IssueCollector(name)
        try:
            raw = read_regular_file(path, MAX_BYTES)
        except FileTooLarge:
            out.add([], "too-large", msg("definition.file-too-large", limit=Number(MAX_BYTES)))
            raise ScenarioError(out.sorted(), lang=lang) from None
        except OSError as exc:
            raise ScenarioError([_file_issue(name, exc)], lang=lang) from exc
        document = read_yaml(raw, name, out)
        base: str | None = str(path.resolve().parent)
    else:
        name = str(getattr(source, "name", "<stream>"))
        out = IssueCollector(name)
        document = read_yaml(source, name, out)
        base = None
    out.document = document
    if document is None or not isinstance(document.data, dict):
        if document is not None:
            out.add([], "not-a-mapping", msg("scenario.not-a-mapping"))
        raise ScenarioError(out.sorted(), lang=lang)
    data = document.data
    reader = _Reader(out)
    reader.unknown_keys(data, _TOP_KEYS, [])
    fmt = data.get("scenario")
    if fmt != SCENARIO_FORMAT:
        out.add(
            ["scenario"],
            "unknown-format",
            msg("scenario.unknown-format", format=SCENARIO_FORMAT, found=repr(fmt)),
        )
    workflow = reader.text(data, "workflow", [], required=True)
    sozialraum = data.get("sozialraum")
    if not isinstance(sozialraum, dict) or not isinstance(sozialraum.get("name"), str):
        out.add(
            ["sozialraum"],
            "missing-key",
            msg("scenario.sozialraum-needs-name"),
        )
        sozialraum = {}
    raw_start = data.get("start")
    start: dict[str, Any] = raw_start if isinstance(raw_start, dict) else {}
    started_by = reader.text(start, "by", ["start"], required=True)
    date = reader.text(start, "date", ["start"], required=False) or "2025-01-13"
    step_days = start.get("step_days", 1)
    if not isinstance(step_days, int) or isinstance(step_days, bool) or step_days < 0:
        out.add(
            ["start", "step_days"],
            "wrong-type",
            msg("scenario.expected-count"),
        )
        step_days = 1
    raw_steps = data.get("steps")
    steps: list[Step] = []
    if not isinstance(raw_steps, list) or not raw_steps:
        out.add(
            ["steps"],
            "missing-key",
            msg("scenario.no-steps"),
        )
    else:
        for index, raw in enumerate(raw_steps):
            step = reader.step(index, raw)
            if step is not None:
                steps.append(step)
    if out.issues:
        raise ScenarioError(out.sorted(), lang=lang)
    return Scenario(
        name=Path(name).name.removesuffix(".scenario.yaml").removesuffix(".yaml"),
        workflow=str(workflow),
        sozialraum=dict(sozialraum),
        started_by=str(started_by),
        start=date,
        step_days=step_days,
        steps=tuple(steps),
        title=str(data.get("title", "")),
        base=base,
        file=name,
    )


def _file_issue(name: str, exc: OSError) -> Issue:
    return Issue(
        name, None, None, "", "no-file", msg("scenario.file-not-readable", reason=exc.strerror)
    )
