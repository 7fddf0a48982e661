"""The Wirkungskette (finding → goal → measure → implementation → effect): computed,
drawn, recorded through the API and the command line, and shown in documents."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.steering.test_goal_hierarchy import FINDINGS, TEXT, goals

from sozialraumprozess.cli import sozialraum as cli_group
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import CommandRejected, InvalidData
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.steering.chain import chain_svg, wirkungskette
from sozialraumprozess.testing import workflow_from_string


@pytest.fixture(scope="module")
def workflow() -> Workflow:
    return workflow_from_string(TEXT)


def planned(workflow: Workflow) -> Process:
    """Findings, goals and two measures: ZWAR serves H1, Lotsen names no goal."""
    clock = FixedClock(datetime(2025, 3, 1, tzinfo=UTC), step=timedelta(hours=1))
    process = Process.start(workflow, sozialraum="Nord", by="kommune", clock=clock)
    process.submit("analyse", {"befunde": FINDINGS}, by="kommune")
    process.submit("ziele", {"ziele": goals()}, by="vg")
    process.create_item(
        "massnahme", key="ZWAR", data={"titel": "ZWAR-Gruppe", "dient": ["H1"]}, by="kommune"
    )
    process.create_item("massnahme", key="Lotsen", data={"titel": "Lotsen"}, by="kommune")
    return process


def test_the_chain_as_data(workflow: Workflow) -> None:
    process = planned(workflow)
    chain = wirkungskette(workflow, process.state).to_dict("de")
    assert [g["id"] for g in chain["goals"]] == ["L1", "W1", "H1"]
    assert [g["depth"] for g in chain["goals"]] == [0, 1, 2]
    assert chain["goals"][2]["targets"] == "zwar: 0 → 1 (31.12.2030)"
    assert chain["goals"][2]["measures"] == ["ZWAR"]
    assert [(f["id"], f["goals"], f["open"]) for f in chain["findings"]] == [
        ("B1", ["W1", "H1"], False),
        ("B2", [], True),
        ("B3", [], True),
    ]
    assert chain["broken"] == [
        "Befund B2 „Kaum Beteiligung“ (Priorität A) wird von keinem Ziel aufgegriffen und ist "
        "nicht begründet zurückgestellt",
        "Maßnahme Lotsen nennt kein Ziel",
    ]
    assert chain["complete"] is False
    rows = [(r["finding"], r["goal"], r["measure"], r["implementation"]) for r in chain["rows"]]
    assert rows == [
        ("–", "L1 Partizipation", "–", "–"),
        ("B1", "W1 Tragende soziale Infrastruktur", "–", "–"),
        ("B1", "H1 ZWAR-Netzwerk gründen", "ZWAR", "Geplant"),
        ("B2", "offen – von keinem Ziel aufgegriffen", "–", "–"),
        ("B3", "offen – von keinem Ziel aufgegriffen", "–", "–"),
        ("–", "–", "Lotsen", "Geplant"),
    ]
    english = wirkungskette(workflow, process.state).to_dict("en")
    assert english["broken"][1] == "measure Lotsen names no goal"


def test_evaluating_a_measure_records_decision_reasons_and_movement(workflow: Workflow) -> None:
    process = planned(workflow)
    with pytest.raises(CommandRejected) as refused:
        process.evaluate_measure(
            "massnahme", key="ZWAR", decision="fortsetzen", reasons="gut", by="kommune"
        )
    assert refused.value.message("en") == (
        "measure 'ZWAR' cannot move from 'Geplant' to 'Evaluiert'; move it on first"
    )
    assert process.state.item("massnahme", "ZWAR").version == 1  # type: ignore[union-attr]
    process.move_item("massnahme", key="ZWAR", to="begonnen", by="kommune")
    process.move_item("massnahme", key="ZWAR", to="umgesetzt", by="kommune")
    with pytest.raises(InvalidData) as error:
        process.evaluate_measure(
            "massnahme", key="ZWAR", decision="weiter", reasons="gut", by="kommune"
        )
    assert [p.path for p in error.value.problems] == ["bewertung.decision"]
    item = process.evaluate_measure(
        "massnahme",
        key="ZWAR",
        decision="anpassen",
        reasons="Gründung verschoben",
        indicators=[{"indicator": "zwar", "change": 0, "note": "noch keine Gruppe"}],
        date="2025-11-30",
        by="kommune",
    )
    assert item.state == "evaluiert"
    assert item.data["titel"] == "ZWAR-Gruppe"
    assert item.data["bewertung"] == {
        "decision": "anpassen",
        "reasons": "Gründung verschoben",
        "date": "2025-11-30",
        "indicators": [{"indicator": "zwar", "change": 0, "note": "noch keine Gruppe"}],
    }
    assert [e.type for e in process.log[-2:]] == ["item_changed", "item_moved"]
    chain = wirkungskette(workflow, process.state)
    assert chain.to_dict("en")["measures"][0]["effect"] == "Adapt; zwar 0"


def test_the_diagram_is_static_escaped_and_marks_broken_links(workflow: Workflow) -> None:
    process = planned(workflow)
    process.create_item("massnahme", key="<b>&", data={"titel": "x", "dient": ["W1"]}, by="kommune")
    svg = chain_svg(wirkungskette(workflow, process.state), "de")
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert "<script" not in svg
    assert "<b>" not in svg
    assert "&lt;b&gt;&amp;" in svg
    assert svg.count('stroke="#b3261e"') == 2  # B2 (priority A) open; Lotsen without a goal
    assert svg == chain_svg(wirkungskette(workflow, process.state), "de")  # deterministic


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli_group, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_chain_and_evaluation_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "wf.yaml").write_text(TEXT, "utf-8")
    store = str(tmp_path / "st")
    code, out = cli("init", store, "--workflow", str(tmp_path / "wf.yaml"), "--sozialraum", "N")
    assert code == 0, out
    where = ["--store", store]
    data = tmp_path / "d.json"
    data.write_text(json.dumps({"befunde": FINDINGS}), "utf-8")
    assert cli("submit", "analyse", "--data", str(data), *where, "--as", "kommune")[0] == 0
    data.write_text(json.dumps({"ziele": goals()}), "utf-8")
    assert cli("submit", "ziele", "--data", str(data), *where, "--as", "vg")[0] == 0
    data.write_text(json.dumps({"titel": "ZWAR", "dient": ["H9"]}), "utf-8")
    code, out = cli("item", "create", "massnahme", "ZWAR", "--data", str(data), *where,
                    "--as", "kommune", "--lang", "en")  # fmt: skip
    assert code == 1
    assert "dient[0]: there is no goal 'H9' (known: L1, W1, H1). Did you mean 'H1'?" in out
    data.write_text(json.dumps({"titel": "ZWAR", "dient": ["H1"]}), "utf-8")
    assert cli("item", "create", "massnahme", "ZWAR", "--data", str(data), *where,
               "--as", "kommune")[0] == 0  # fmt: skip
    for state in ("begonnen", "umgesetzt"):
        assert cli("item", "move", "massnahme", "ZWAR", state, *where, "--as", "kommune")[0] == 0
    evaluate = ["measure", "evaluate", "ZWAR", "--decision", "fortsetzen", "--reason", "läuft"]
    code, out = cli(*evaluate, "--indicator", "zwar=+1", *where, "--as", "kommune", "--json")
    assert code == 0, out
    answer = json.loads(out)
    assert answer["event"]["type"] == "item_moved"
    code, out = cli("measure", "evaluate", "ZWAR", "--decision", "fortsetzen", "--reason", "x",
                    "--indicator", "zwar", *where, "--as", "kommune", "--lang", "en")  # fmt: skip
    assert code == 2
    assert "'zwar' is not an indicator movement of the form ID=NUMBER" in out
    svg = tmp_path / "kette.svg"
    code, out = cli("chain", *where, "--json", "--svg", str(svg))
    assert code == 0, out
    chain: dict[str, Any] = json.loads(out)
    assert chain["measures"][0]["evaluation"]["indicators"] == [{"indicator": "zwar", "change": 1}]
    assert chain["measures"][0]["state"] == "evaluiert"
    assert svg.read_text("utf-8") == chain["svg"]
    code, out = cli("chain", *where, "--lang", "en")
    assert code == 0, out
    assert "Broken links:" in out
    assert "finding B2" in out


def test_the_six_phase_demo_shows_the_chain(tmp_path: Path) -> None:
    code, out = cli("demo", str(tmp_path / "demo"), "--json")
    assert code == 0, out
    answer = json.loads(out)
    assert answer["failed"] == []
    documents = Path(answer["documents_dir"])
    text = (documents / "wirkungskette.md").read_text("utf-8")
    assert "| H2 | Handlungsziel | Der Sozialraum verfügt über ein ZWAR-Netzwerk |" in text
    assert "Anpassen; ZWAR-Gruppen 0" in text  # the indicator by its label
    assert "Die Kette ist geschlossen: keine Lücken." in text
    html = (documents / "wirkungskette.html").read_text("utf-8")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="wirkungskette"' in html
    report = Path(answer["report"]).read_text("utf-8")
    assert 'id="wirkungskette"' in report
    assert 'class="wirkungskette"' in report
    catalogue = next(documents.glob("zyklus-1/04-ziele_festlegen/zielkatalog-v2.md"))
    assert "| L1 | Leitziel | Erreichen einer größtmöglichen Partizipation |" in (
        catalogue.read_text("utf-8")
    )
    plan = next(documents.glob("zyklus-1/05-massnahmen_planen/massnahmenplan-v1.md"))
    assert "**25.400 €**" in plan.read_text("utf-8")


def test_what_is_read_depends_on_the_definition_not_only_on_the_data(workflow: Workflow) -> None:
    """Replayed processes share their events' data, so the chain reads each mapping once
    per definition; another definition (the same run replayed on a revision) reads anew."""
    from sozialraumprozess.definition.kinds._chain import chain_plan

    process = planned(workflow)
    renamed = workflow_from_string(TEXT.replace("ziele: {type: goals", "liste: {type: goals"))
    assert [g.id for g in chain_plan(workflow).read_goals(process.state)] == ["L1", "W1", "H1"]
    assert chain_plan(renamed).read_goals(process.state) == []
    assert len(chain_plan(workflow).read_goals(process.state)) == 3
