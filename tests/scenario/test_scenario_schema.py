"""The JSON Schema of scenario files: generated from the scenario model, shipped, current,
and it accepts every bundled scenario (so editors complete and check them)."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from sozialraumprozess.cli import sozialraum as cli_group
from sozialraumprozess.definition.issues import IssueCollector
from sozialraumprozess.definition.yamlio import read_yaml
from sozialraumprozess.scenario.loader import bundled_scenario_path, bundled_scenarios
from sozialraumprozess.scenario.model import COMMAND_NAMES
from sozialraumprozess.scenario.schema import generate_scenario_schema, scenario_schema_json

SHIPPED = files("sozialraumprozess") / "schemas" / "scenario.schema.json"


def validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(generate_scenario_schema())


def read(text: str) -> Any:
    document = read_yaml(text, "s.yaml", IssueCollector("s.yaml"))
    assert document is not None
    return document.data


def test_the_shipped_schema_is_what_the_model_generates() -> None:
    assert SHIPPED.read_text("utf-8") == scenario_schema_json(), (
        "Regenerate: sozialraum schema --scenario > "
        "src/sozialraumprozess/schemas/scenario.schema.json"
    )
    jsonschema.Draft7Validator.check_schema(generate_scenario_schema())


def test_the_cli_prints_it() -> None:
    result = CliRunner().invoke(cli_group, ["schema", "--scenario"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == generate_scenario_schema()


def test_every_command_of_the_scenario_model_has_a_step_schema() -> None:
    steps = generate_scenario_schema()["properties"]["steps"]["items"]["anyOf"]
    assert [s["title"] for s in steps] == [*COMMAND_NAMES, "expect"]
    move = next(s for s in steps if s["title"] == "move_item")
    assert move["required"] == ["move_item", "by", "key", "to"]
    assert move["properties"]["to"]["description"].startswith("The state id to move to")


@pytest.mark.parametrize("name", bundled_scenarios())
def test_every_bundled_scenario_is_valid(name: str) -> None:
    data = read(bundled_scenario_path(name).read_text("utf-8"))
    assert [e.message for e in validator().iter_errors(data)] == []


@pytest.mark.parametrize(
    "step",
    [
        "{move_item: bericht, by: team, key: Nord, state: besucht}",  # `to`, not `state`
        "{create_item: bericht, by: team}",  # no key
        "{advance: x, by: kommune}",  # advance takes no subject
        "{submit: plan, data: {}}",  # no by
        "{expect: {phase: 3}}",
        "{record_event: e, by: r, date: '2025-01-01', protocol: neueste}",
    ],
)
def test_a_wrong_step_is_refused(step: str) -> None:
    text = (
        "scenario: sozialraumprozess-scenario/v1\nworkflow: w\nsozialraum: {name: N}\n"
        f"start: {{by: kommune}}\nsteps:\n  - {step}\n"
    )
    assert list(validator().iter_errors(read(text)))
