"""Running a scenario on a new process and checking every expectation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from attrs import frozen

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import Issue, ScenarioError, SozialraumprozessError
from sozialraumprozess.i18n import Lang, Message, joined, msg, plural
from sozialraumprozess.runtime.clock import FixedClock, catch_up
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario.loader import ScenarioSource, load_scenario
from sozialraumprozess.scenario.model import Expectation, Scenario, Step

__all__ = ["ScenarioRun", "StepLike", "StepResult", "apply_step", "run_scenario"]


@frozen
class StepResult:
    """What one step did: ``ok``, and a short description (German)."""

    step: Step
    ok: bool
    description: str


@frozen
class ScenarioRun:
    """A finished scenario: the process it built and one result per step."""

    scenario: Scenario
    process: Process
    results: tuple[StepResult, ...]


def _describe(step: Step) -> str:
    if step.command is None:
        return "expect"
    subject = f" {step.subject}" if step.subject else ""
    return f"{step.command}{subject} ({step.by})"


class StepLike(Protocol):
    """What :func:`apply_step` needs of a step (a scenario :class:`Step`, a sample step)."""

    @property
    def command(self) -> str | None: ...
    @property
    def subject(self) -> str | None: ...
    @property
    def by(self) -> str | None: ...
    @property
    def args(self) -> Mapping[str, Any]: ...


def apply_step(process: Process, step: StepLike) -> Any:
    """Run one step's command on ``process``; returns what the command returns.

    A dated event or decision is never recorded before its date (the clock catches
    up), and ``protocol: latest`` means the newest version of the event's minutes.
    """
    kwargs = dict(step.args)
    if isinstance(kwargs.get("date"), str):
        catch_up(process.clock, kwargs["date"])
    if kwargs.get("protocol") == "latest" and step.subject is not None:
        artifact = process.workflow.event(step.subject).protocol
        kwargs["protocol"] = len(process.versions(artifact)) if artifact else None
    method: Callable[..., Any] = getattr(process, str(step.command))
    if step.subject is None:
        return method(by=step.by, **kwargs)
    return method(step.subject, by=step.by, **kwargs)


@frozen
class _ErrorText:
    """An error's message as a message parameter: worded in the language shown."""

    error: SozialraumprozessError

    def get(self, lang: Lang = "de") -> str:
        return self.error.message(lang)


def _check(process: Process, expect: Expectation) -> list[Message]:
    """Every unmet expectation."""
    problems: list[Message] = []
    if expect.phase is not None and process.phase != expect.phase:
        problems.append(msg("scenario.phase-is", phase=process.phase, expected=expect.phase))
    if expect.cycle is not None and process.cycle != expect.cycle:
        problems.append(msg("scenario.cycle-is", cycle=process.cycle, expected=expect.cycle))
    if expect.can_advance is not None and process.can_advance() != expect.can_advance:
        problems.append(
            msg(
                "scenario.can-advance-is",
                value=process.can_advance(),
                expected=expect.can_advance,
            )
        )
    messages = [b.message("de") for b in process.blockers()]
    if isinstance(expect.blockers, int) and len(messages) != expect.blockers:
        problems.append(
            plural(
                "scenario.blocker-count",
                len(messages),
                expected=expect.blockers,
                messages=repr(messages),
            )
        )
    elif isinstance(expect.blockers, tuple) and list(expect.blockers) != messages:
        problems.append(
            msg(
                "scenario.blockers-are",
                messages=repr(messages),
                expected=repr(list(expect.blockers)),
            )
        )
    for wanted in expect.blockers_include:
        if wanted not in messages:
            problems.append(msg("scenario.blocker-missing", wanted=wanted, messages=repr(messages)))
    for artifact, count in expect.versions.items():
        have = len(process.versions(artifact))
        if have != count:
            problems.append(plural("scenario.versions", have, artifact=artifact, expected=count))
    return problems


def _resolve_workflow(scenario: Scenario) -> Workflow:
    return load_workflow(scenario.workflow_path() or scenario.workflow)


def run_scenario(
    source: ScenarioSource | Scenario,
    *,
    workflow: Workflow | None = None,
    lang: Lang = "de",
    on_step: Callable[[StepResult], None] | None = None,
) -> ScenarioRun:
    """Play a scenario on a new process; stop at the first step that fails.

    Args:
        source: A scenario file (path or open file), a bundled scenario name, or a
            loaded :class:`Scenario`.
        workflow: The workflow to run on; default: the one the scenario names
            (a bundled id, or a path relative to the scenario file).
        lang: Language of error messages.
        on_step: Called after every successful step (for progress output).

    Raises:
        ScenarioError: The file is invalid, or a step failed: an unexpected error,
            an expected error that did not come, or an unmet ``expect`` — reported
            at the step's line.
        WorkflowError: The named workflow is invalid.
    """
    scenario = source if isinstance(source, Scenario) else load_scenario(source, lang=lang)
    if workflow is None:
        workflow = _resolve_workflow(scenario)
    start = datetime.fromisoformat(scenario.start)
    if start.tzinfo is None:  # a plain date starts at 08:00 UTC
        start = start.replace(hour=start.hour or 8, tzinfo=UTC)
    clock = FixedClock(start, step=timedelta(days=scenario.step_days))
    sozialraum = scenario.sozialraum
    process = Process.start(
        workflow,
        sozialraum=str(sozialraum["name"]),
        description=str(sozialraum.get("description", "")),
        data=sozialraum.get("data"),
        by=scenario.started_by,
        clock=clock,
    )
    results: list[StepResult] = []
    for step in scenario.steps:
        problems: list[Message] = []
        if step.command is not None:
            try:
                apply_step(process, step)
            except SozialraumprozessError as error:
                kind = type(error).__name__
                said = _ErrorText(error)
                if step.error is None:
                    problems.append(msg("scenario.unexpected-error", kind=kind, message=said))
                elif kind != step.error:
                    problems.append(
                        msg("scenario.wrong-error", expected=step.error, kind=kind, message=said)
                    )
                elif step.error_contains and step.error_contains not in error.message("de"):
                    problems.append(
                        msg(
                            "scenario.error-lacks",
                            wanted=step.error_contains,
                            message=error.message("de"),  # what was searched, in both languages
                        )
                    )
            except TypeError as error:  # wrong or missing arguments in the file
                problems.append(
                    msg("scenario.wrong-arguments", command=step.command, error=str(error))
                )
            else:
                if step.error is not None:
                    problems.append(msg("scenario.no-error", expected=step.error))
        if step.expect is not None and not problems:
            problems.extend(_check(process, step.expect))
        if problems:
            raise ScenarioError([_issue(scenario.file, step, problems)], lang=lang)
        result = StepResult(step, True, _describe(step))
        results.append(result)
        if on_step is not None:
            on_step(result)
    return ScenarioRun(scenario, process, tuple(results))


def _issue(name: str, step: Step, problems: list[Message]) -> Issue:
    return Issue(
        file=name,
        line=step.line,
        column=3 if step.line is not None else None,
        path=f"steps[{step.index}]",
        code="step-failed",
        msg=msg(
            "scenario.step-failed",
            number=step.index + 1,
            step=_describe(step),
            problems=joined(problems, "; "),
        ),
    )
