"""Scenario files: a process run written down as data, with expectations.

A scenario names a workflow, the Sozialraum, a clock, and a list of steps. Each
step is one command of :class:`~sozialraumprozess.runtime.process.Process`
(``submit: zielkatalog``, ``advance:`` …) with who acts (``by``) and the
command's arguments, optionally the error it must raise (``error``), or an
``expect`` block checking the state afterwards. Workflow authors use scenarios
to test their workflows; the bundled scenarios are the runnable examples of
the docs.

Example::

    scenario: sozialraumprozess-scenario/v1
    workflow: generationengerechte-sozialraumentwicklung
    sozialraum: {name: Schwerte-Ost}
    start: {by: kommune, date: "2025-01-13"}
    steps:
      - advance:
        by: kommune
        error: TransitionBlocked
      - submit: auftrag
        by: kommune
        data: {titel: …}
      - expect: {phase: identifizieren, blockers: 5}
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from attrs import field, frozen

__all__ = ["COMMAND_NAMES", "SCENARIO_FORMAT", "Expectation", "Scenario", "Step"]

#: The format identifier every scenario file declares.
SCENARIO_FORMAT = "sozialraumprozess-scenario/v1"

#: Step commands: the Process methods a scenario may call, and whether they take a subject.
COMMAND_NAMES: dict[str, bool] = {
    "set_participant": True,
    "submit": True,
    "approve": True,
    "confirm": True,
    "record_event": True,
    "record_decision": True,
    "advance": False,
    "take_transition": True,
    "skip": False,
    "create_item": True,
    "change_item": True,
    "move_item": True,
    "evaluate_measure": True,
    "plan_event": True,
    "reschedule_event": True,
    "cancel_event": True,
    "record_indicators": True,  # the subject is the Stichtag
    "record_sozialraum": False,
    "record_reach": True,
    "record_contribution": True,
    "weigh_contribution": True,
    "record_feedback": True,
}


@frozen
class Expectation:
    """What must hold after a step (every given key is checked)."""

    phase: str | None = None
    cycle: int | None = None
    can_advance: bool | None = None
    #: Number of blockers, or the exact German blocker messages in order.
    blockers: int | tuple[str, ...] | None = None
    #: German blocker messages that must be among the blockers.
    blockers_include: tuple[str, ...] = ()
    #: Number of versions per artifact id.
    versions: Mapping[str, int] = field(factory=dict, hash=False)


@frozen
class Step:
    """One step: a command (with ``by`` and arguments) and/or an expectation.

    Attributes:
        index: Position in the list of steps (0-based).
        line: Line of the step in the file (1-based), if known.
        command: A key of :data:`COMMAND_NAMES`, or ``None`` for a pure ``expect`` step.
        subject: The command's first argument (artifact, event, decision … id).
        by: Who acts: a role id or a participant's name.
        args: Further keyword arguments of the command.
        error: Name of the error class the command must raise (e.g. ``PermissionDenied``).
        error_contains: Text the error's German message must contain.
        expect: Checks after the step.
        note: Why the step is there, for readers.
    """

    index: int
    line: int | None
    command: str | None
    subject: str | None = None
    by: str | None = None
    args: Mapping[str, Any] = field(factory=dict, hash=False)
    error: str | None = None
    error_contains: str | None = None
    expect: Expectation | None = None
    note: str = ""


@frozen
class Scenario:
    """A parsed scenario file."""

    name: str
    workflow: str
    sozialraum: Mapping[str, Any] = field(hash=False)
    started_by: str
    start: str
    step_days: int
    steps: tuple[Step, ...]
    title: str = ""
    #: Folder of the scenario file, for resolving a relative workflow path.
    base: str | None = None
    #: The file the scenario was read from (for error positions).
    file: str = "<scenario>"

    def workflow_path(self) -> Path | None:
        """The workflow file the scenario names, resolved next to the scenario file;
        ``None`` for a bundled workflow id."""
        if not self.workflow.endswith((".yaml", ".yml")):
            return None
        return (Path(self.base or ".") / self.workflow).resolve()
