"""Scenario files: process runs as data, for examples, demos and workflow tests."""

from sozialraumprozess.scenario.loader import (
    bundled_scenario_path,
    bundled_scenarios,
    load_scenario,
)
from sozialraumprozess.scenario.model import SCENARIO_FORMAT, Expectation, Scenario, Step
from sozialraumprozess.scenario.runner import (
    ScenarioRun,
    StepLike,
    StepResult,
    apply_step,
    run_scenario,
)

__all__ = [
    "SCENARIO_FORMAT",
    "Expectation",
    "Scenario",
    "ScenarioRun",
    "Step",
    "StepLike",
    "StepResult",
    "apply_step",
    "bundled_scenario_path",
    "bundled_scenarios",
    "load_scenario",
    "run_scenario",
]
