"""``sozialraum participation …`` (issue 12 §6): reach, contribute, weigh, feedback, show,
with --json; refusals exit 1 with the process's positioned message and store nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from sozialraumprozess.cli import sozialraum as cli_group

WORKFLOW = """\
format: sozialraumprozess/v2
id: beteiligung
version: "1"
title: Beteiligung
target_groups:
  kinder: {title: {de: Kinder, en: Children}, kind: age}
  aeltere: {title: {de: Ältere, en: Older people}, kind: age}
roles:
  kommune: {title: Kommune}
  team: {title: Team}
events:
  werkstatt: {title: Zukunftswerkstatt, organizer: team, target_groups: [kinder, aeltere]}
phases:
  - id: eins
    title: Eins
    responsible: kommune
    events: [werkstatt]
    exit: [{contributions_weighed: werkstatt}, {feedback_given: werkstatt}]
  - id: zwei
    title: Zwei
    responsible: kommune
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli_group, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_participation_from_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "wf.yaml").write_text(WORKFLOW, "utf-8")
    store = str(tmp_path / "st")
    code, out = run("init", store, "--workflow", str(tmp_path / "wf.yaml"), "--sozialraum", "N")
    assert code == 0, out
    team = ["--store", store, "--as", "team"]
    today = date.today().isoformat()
    code, out = run("event", "werkstatt", "--date", today, "--participants", "20", *team)
    assert code == 0, out
    code, out = run("participation", "reach", "werkstatt", "kinder=12", "aeltere=8", *team)
    assert (code, out.splitlines()[0]) == (
        0,
        "Erreichte Zielgruppen für 'Zukunftswerkstatt' erfasst: 20 Personen",
    )
    code, out = run("participation", "reach", "werkstatt", "kindr=3", *team, "--lang", "en")
    assert code == 1
    assert (
        "counts.kindr: Target group 'kindr' is not declared in the workflow. Did you mean 'kinder'?"
    ) in out
    code, out = run("participation", "reach", "werkstatt", "kinder", *team)
    assert code == 2
    assert "Erwartet GRUPPE=ANZAHL, erhalten: 'kinder'" in out
    code, out = run(
        "participation", "contribute", "werkstatt", "ZW-1", "--text", "Bolzplatz",
        "--group", "kinder", *team, "--json",
    )  # fmt: skip
    assert code == 0, out
    answer = json.loads(out)
    assert answer["event"]["type"] == "contribution_recorded"
    assert [b["code"] for b in answer["blockers"]] == ["unweighed", "not-told"]
    code, out = run("participation", "weigh", "ZW-2", "not_adopted", "--reason", "x", *team)
    assert code == 1
    assert "contribution: Beitrag 'ZW-2' ist nicht erfasst. Meinten Sie 'ZW-1'?" in out
    code, out = run("participation", "weigh", "ZW-1", "adopted", "--link", "goal", *team)
    assert code == 2
    assert "Erwartet ART:ID" in out
    code, out = run(
        "participation", "weigh", "ZW-1", "not_adopted", "--reason", "Keine Fläche", *team
    )
    assert code == 0, out
    code, out = run("participation", "feedback", "werkstatt", "--how", "Aushang", *team)
    assert code == 0, out
    assert out.splitlines()[0] == (
        "Rückmeldung an die Teilnehmenden von 'Zukunftswerkstatt' erfasst (ein Beitrag)"
    )
    code, out = run("participation", "show", "--store", store, "--json")
    assert code == 0, out
    shown = json.loads(out)
    (holding,) = shown["holdings"]
    assert (holding["reached"], holding["untold"], holding["open"]) == (20, [], [])
    assert holding["contributions"][0]["outcome_title"] == "nicht übernommen"
    code, out = run("participation", "show", "--store", store, "--lang", "en")
    assert code == 0, out
    assert "Zukunftswerkstatt on" in out
    assert "1 contribution: 0 adopted, 0 partly, 1 not adopted, 0 open" in out
    code, out = run("status", "--store", store, "--json")
    assert json.loads(out)["blockers"] == []
