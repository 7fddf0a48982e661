"""A realistic sample run of the six-phase workflow, for tests, the demo and documents.

The Sozialraum and all people are fictitious; events, phases, the TRIAS staff
shares, the cooperation agreements, the five-year targets and the budget figures
(15.400 €, 10.000 €, 20.400 €, 5.000 €) follow the source presentation
"Generationengerechte Sozialraumentwicklung" (Stadt Schwerte).

The run is data: the bundled scenario file
``workflows/generationengerechte-sozialraumentwicklung.scenario.yaml`` is the
single source (the demo, the docs and these tests all play it). Here it is cut
into :data:`SCENARIO`, one :class:`PhaseScript` per phase of the first cycle,
each a list of :class:`Step` s ending with the move to the next phase, and
:data:`CYCLE_TWO_STEPS`; the scenario's ``expect`` checks and deliberately
refused steps are left out.
Two steps deliberately fail a gate first (an incomplete Sozialraumabgrenzung, a
rejected first vote on the Zielkatalog) and are then put right, as in real life.
:func:`run_sample` plays it on a new process.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from attrs import field, frozen

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.runtime.clock import Clock, FixedClock
from sozialraumprozess.runtime.process import Process

__all__ = [
    "SCENARIO",
    "SOZIALRAUM",
    "PhaseScript",
    "Step",
    "run_sample",
    "sample_clock",
    "start_sample",
]

#: The workflow the sample is written for.
WORKFLOW_ID = "generationengerechte-sozialraumentwicklung"


@frozen
class Step:
    """One command of the sample run.

    Attributes:
        command: A :class:`Process` method name (``submit``, ``record_event`` …).
        by: Who acts (role id or participant name).
        args: Positional argument (``subject``) and keyword arguments. A
            ``protocol`` of ``"latest"`` means the newest ``protokoll`` version.
        note: What the step stands for, for people reading the run.
    """

    command: str
    by: str
    subject: str | None = None
    args: dict[str, Any] = field(factory=dict, hash=False)
    note: str = ""

    def run(self, process: Process) -> Any:
        """Run the step on ``process``; returns what the command returns."""
        from sozialraumprozess.scenario.runner import apply_step  # the scenario package runs steps

        return apply_step(process, self)


@frozen
class PhaseScript:
    """The steps taken in one phase visit; the last step leaves the phase."""

    phase: str
    steps: tuple[Step, ...]


def _load() -> tuple[dict[str, Any], tuple[PhaseScript, ...], tuple[Step, ...]]:
    """Cut the bundled scenario into phase scripts (first cycle) and the cycle-2 steps."""
    from sozialraumprozess.scenario.loader import bundled_scenario_path, load_scenario

    scenario = load_scenario(bundled_scenario_path(WORKFLOW_ID))
    scripts: list[PhaseScript] = []
    current: list[Step] = []
    phases = _PHASE_ORDER
    for raw in scenario.steps:
        if raw.command is None or raw.error is not None or raw.by is None:
            continue  # checks and deliberately refused steps
        step = Step(raw.command, raw.by, raw.subject, dict(raw.args), raw.note)
        current.append(step)
        if raw.command == "advance" and len(scripts) < len(phases):
            scripts.append(PhaseScript(phases[len(scripts)], tuple(current)))
            current = []
    return dict(scenario.sozialraum), tuple(scripts), tuple(current)


#: The phases of the six-phase workflow, in order.
_PHASE_ORDER = (
    "identifizieren",
    "analysieren",
    "visionen_entwickeln",
    "ziele_festlegen",
    "massnahmen_planen",
    "umsetzung_sichern",
)

#: The Sozialraum of the sample (name, description, data).
#: The first cycle, phase by phase, ending with the move back into the analysis.
#: Steps of cycle 2 in the analysis phase: confirm the profile, renew the report.
SOZIALRAUM, SCENARIO, CYCLE_TWO_STEPS = _load()


def sample_clock() -> FixedClock:
    """A clock starting Monday 13 January 2025, 08:00 UTC, one day per command."""
    return FixedClock(datetime(2025, 1, 13, 8, 0, tzinfo=UTC), step=timedelta(days=1))


def start_sample(workflow: Workflow, clock: Clock | None = None) -> Process:
    """Start the sample process (by ``kommune``) on ``workflow``."""
    return Process.start(
        workflow,
        sozialraum=SOZIALRAUM["name"],
        description=SOZIALRAUM["description"],
        data=SOZIALRAUM["data"],
        by="kommune",
        clock=clock if clock is not None else sample_clock(),
    )


def run_sample(workflow: Workflow, *, until: str | None = None, cycle: int = 1) -> Process:
    """A process played through the sample.

    Args:
        workflow: The six-phase workflow.
        until: Stop on entering this phase (in ``cycle``) before any of its steps;
            ``None`` plays the whole first cycle (ending in cycle 2, analysis).
        cycle: The cycle in which ``until`` is meant.
    """
    process = start_sample(workflow)
    for script in SCENARIO:
        if until == script.phase and process.cycle == cycle:
            return process
        for step in script.steps:
            step.run(process)
    return process
