"""demo, scenario, report (also in headless Chromium), diagram, portfolio, --json keys,
and the start-up imports."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from .conftest import SIX, sozialraum

STATUS_KEYS = {
    "run_id", "store", "sozialraum", "workflow", "phase", "cycle", "entered", "deadline",
    "overdue", "blockers", "can_advance", "advance_by", "next_phase", "transitions", "open",
    "events", "next_phase_title", "role_titles", "next_steps", "strands", "planned",
    "deadlines",
}  # fmt: skip
HISTORY_KEYS = {"seq", "time", "date", "who", "actor", "type", "what", "payload"}
BLOCKER_KEYS = {"kind", "target", "role", "code", "path", "message"}


class TestDemo:
    def test_demo_writes_run_documents_and_report(self, demo_dir: Path) -> None:
        """The demo stores the run, renders Markdown and HTML documents and the report."""
        run = demo_dir / "runs" / "schwerte-ost-beispiel"
        assert (run / "events.jsonl").is_file()
        documents = run / "documents"
        assert (documents / "prozessbericht.md").is_file()
        assert (documents / "prozessbericht.html").is_file()
        assert len(list(documents.rglob("*.html"))) == len(list(documents.rglob("*.md"))) > 20
        report = (run / "bericht.html").read_text("utf-8")
        assert "Schwerte-Ost (Beispiel)" in report
        assert "<script" not in report
        assert not re.search(r"(src|href)=\"(https?:)?//", report)  # nothing from the network
        assert "15.400 €" in report  # seed 004's budget, German money format
        # The three budget sums reconcile: plan = Ansatz 25.400 €, Ist 15.880,50 €.
        section = report[report.index('id="haushalt"') :]
        assert '<td class="num">25.400 €</td><td class="num">25.400 €</td>' in section
        assert "15.880,50 €" in section
        assert "50.800 €" not in report
        assert "<svg" in section  # the plan / committed / spent chart

    def test_demo_report_links_resolve(self, demo_dir: Path) -> None:
        """Every document link in the report points to a file next to it."""
        report = demo_dir / "runs" / "schwerte-ost-beispiel" / "bericht.html"
        # (in-page references of the inline charts, xlink:href="#…", and the inline icon,
        # href="data:,", are no document links)
        links = re.findall(r'(?<!:)href="(?!data:)([^"#][^"]*)"', report.read_text("utf-8"))
        assert links
        for link in links:
            if link.startswith("#"):  # inside the page (a chart's own SVG references)
                continue
            assert (report.parent / link).is_file(), link

    def test_demo_twice_into_the_same_folder_is_refused(self, demo_dir: Path) -> None:
        """A second demo into the same store: exit 1, message, no traceback."""
        result = sozialraum("demo", str(demo_dir))
        assert result.returncode == 1
        assert "schwerte-ost-beispiel" in result.stderr
        assert "Traceback" not in result.stderr

    def test_status_and_history_on_the_demo(self, demo_dir: Path) -> None:
        """The demo run answers status and history; "überfällig" exactly when it is."""
        status = sozialraum("status", str(demo_dir))
        assert status.returncode == 0, status.stderr
        assert "Zyklus      2" in status.stdout
        deadline = json.loads(sozialraum("status", str(demo_dir), "--json").stdout)["deadline"]
        overdue = datetime.now(UTC).date() > date.fromisoformat(deadline)
        assert ("überfällig" in status.stdout) is overdue
        history = sozialraum("history", str(demo_dir))
        assert history.returncode == 0
        assert "Beschluss: Politischer Auftrag zur Sozialraumentwicklung" in history.stdout


class TestJson:
    def test_status_json_keys(self, demo_dir: Path) -> None:
        """status --json: the keys documented in its help."""
        result = sozialraum("status", str(demo_dir), "--json")
        data = json.loads(result.stdout)
        assert set(data) == STATUS_KEYS
        assert data["phase"]["id"] == "analysieren"
        assert data["cycle"] == 2
        assert data["overdue"] is (datetime.now(UTC).date() > date.fromisoformat(data["deadline"]))
        # the demo follows the dates of its data: cycle 2 starts after the last decision
        assert data["entered"] >= "2026-11-26"
        help_text = sozialraum("status", "--help").stdout
        for key in STATUS_KEYS:
            assert key in help_text

    def test_status_json_blockers(self, store: Path) -> None:
        """Each blocker in status --json has kind, target, role, code, path, message."""
        data = json.loads(sozialraum("status", str(store), "--json", "--lang", "en").stdout)
        assert len(data["blockers"]) == 6
        assert all(set(b) == BLOCKER_KEYS for b in data["blockers"])
        assert data["blockers"][0]["message"].startswith("Decision")

    def test_history_json_keys(self, demo_dir: Path) -> None:
        """history --json: one object per event with the documented keys."""
        rows = json.loads(sozialraum("history", str(demo_dir), "--json").stdout)
        assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
        assert all(set(r) == HISTORY_KEYS for r in rows)
        assert rows[0]["type"] == "process_started"
        help_text = sozialraum("history", "--help").stdout
        for key in HISTORY_KEYS:
            assert key in help_text

    def test_validate_json_keys(self, six_phase_path: Path) -> None:
        """validate --json of a valid file: an empty list; keys are in the help."""
        result = sozialraum("validate", "--json", str(six_phase_path))
        assert result.returncode == 0
        assert json.loads(result.stdout) == []
        help_text = sozialraum("validate", "--help").stdout
        for key in ("file", "line", "column", "path", "message", "hint", "code"):
            assert key in help_text


class TestScenario:
    def test_bundled_scenario_prints_steps(self) -> None:
        """One ✓ line per step with file:line; summary at the end."""
        result = sozialraum("scenario", "fachtag-sozialraumorientierung")
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert all(line.startswith("✓") for line in lines[:-1])
        assert re.search(r"fachtag-sozialraumorientierung\.scenario\.yaml:\d+\)$", lines[0])
        assert "Schritte erfolgreich" in lines[-1]

    def test_failing_step_exit_1_with_file_line(self, tmp_path: Path) -> None:
        """A step that fails: exit 1 and FILE:LINE: message on stderr."""
        path = tmp_path / "kaputt.scenario.yaml"
        path.write_text(
            "scenario: sozialraumprozess-scenario/v1\n"
            f"workflow: {SIX}\n"
            "sozialraum: {name: Testraum}\n"
            "start: {by: kommune, date: '2025-01-13'}\n"
            "steps:\n"
            "- advance:\n"
            "  by: kommune\n",
            "utf-8",
        )
        result = sozialraum("scenario", str(path))
        assert result.returncode == 1
        assert f"{path}:6:" in result.stderr
        assert "TransitionBlocked" in result.stderr
        assert "Traceback" not in result.stderr

    def test_scenario_with_dir_stores_and_renders(self, tmp_path: Path) -> None:
        """--dir stores the finished run and renders its documents."""
        target = tmp_path / "lauf"
        result = sozialraum("scenario", "fachtag-sozialraumorientierung", "--dir", str(target))
        assert result.returncode == 0, result.stderr
        status = json.loads(sozialraum("status", str(target), "--json").stdout)
        assert status["workflow"]["id"] == "fachtag-sozialraumorientierung"
        assert list((target / "runs").glob("*/documents/prozessbericht.html"))

    def test_unknown_scenario_is_a_usage_error(self) -> None:
        """Neither file nor bundled name: exit 2 listing the bundled ones."""
        result = sozialraum("scenario", "gibtsnicht")
        assert result.returncode == 2
        assert SIX in result.stderr


class TestDiagramAndPortfolio:
    @pytest.mark.parametrize(
        ("fmt", "needle"),
        [("mermaid", "class analysieren current"), ("dot", "fillcolor"), ("svg", "<svg")],
    )
    def test_diagram_formats(self, fmt: str, needle: str) -> None:
        """Mermaid, DOT and SVG, with the current phase highlighted."""
        result = sozialraum("diagram", SIX, "--format", fmt, "--current", "analysieren")
        assert result.returncode == 0, result.stderr
        assert needle in result.stdout

    def test_diagram_unknown_phase_exit_1(self) -> None:
        """An unknown --current phase: exit 1 with a hint."""
        result = sozialraum("diagram", SIX, "--current", "analysiren")
        assert result.returncode == 1
        assert "analysieren" in result.stderr

    def test_portfolio_runs_and_annual_table(self, demo_dir: Path, store: Path) -> None:
        """Every run in one table; the jahresbericht rows in one comparable table."""
        result = sozialraum("portfolio", str(demo_dir), str(store), "--json")
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert [r["sozialraum"] for r in data["runs"]] == [
            "Schwerte-Ost (Beispiel)",
            "Schwerte-Ost",
        ]
        assert data["runs"][1]["blockers"] == 6
        assert {r["projekt"] for r in data["annual"]} >= {"Anlaufstelle"}
        text = sozialraum("portfolio", str(demo_dir), str(store)).stdout
        assert "Jahrestabelle" in text
        assert "15.400 €" in text

    def test_portfolio_without_annual_reports(self, store: Path) -> None:
        """Runs without a jahresbericht: the run table and a note, exit 0."""
        result = sozialraum("portfolio", str(store))
        assert result.returncode == 0
        assert "noch kein Jahresbericht" in result.stdout


def test_render_command(store: Path) -> None:
    """render writes the documents of the state and prints their paths."""
    result = sozialraum("render", str(store), "--format", "md")
    assert result.returncode == 0, result.stderr
    paths = [Path(p) for p in result.stdout.splitlines()]
    assert paths
    assert all(p.is_file() and p.suffix == ".md" for p in paths)


def test_imports_stay_light() -> None:
    """The CLI module and the package import no runtime, storage, Jinja or YAML."""
    code = (
        "import sys, sozialraumprozess.cli, sozialraumprozess\n"
        "heavy = ['jinja2', 'yaml', 'transitions', 'sozialraumprozess.runtime',"
        " 'sozialraumprozess.storage', 'sozialraumprozess.documents']\n"
        "print([m for m in heavy if m in sys.modules])\n"
        "from sozialraumprozess import Process, FolderStore\n"
        "import sozialraumprozess as s\n"
        "print(all(getattr(s, n) is not None for n in s.__all__))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.splitlines() == ["[]", "True"]


# --------------------------------------------------------------------------- browser

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed; .ci/run installs Debian's 'chromium' package")
        pytest.skip("chromium is not installed (apt-get install chromium); CI=true fails instead")
    return found


def test_report_in_headless_chromium(demo_dir: Path, tmp_path: Path) -> None:
    """The report opens from disk in Chromium without console errors and shows the
    Sozialraum, the current phase and the decisions."""
    browser = _chromium()
    report = demo_dir / "runs" / "schwerte-ost-beispiel" / "bericht.html"
    result = subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            report.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console
    dom = result.stdout
    assert '<h1 id="sozialraum">Schwerte-Ost (Beispiel)</h1>' in dom
    assert '<dd id="current-phase">Sozialraum analysieren</dd>' in dom
    assert '<g class="phase current" data-phase="analysieren">' in dom
    decisions = dom[dom.index('<table id="decisions">') :]
    decisions = decisions[: decisions.index("</table>")]
    for title in ("Politischer Auftrag zur Sozialraumentwicklung", "Haushaltsansatz einstellen"):
        assert title in decisions
    assert "abgelehnt" in decisions  # the first vote on the Zielkatalog failed
