"""The application layer: store URLs, opening runs, status with owners, commands with
retry on conflict, report data and the portfolio from run summaries."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sozialraumprozess.app import (
    ConflictRetriesExhausted,
    RunNotChosen,
    Service,
    StoreScheme,
    WorkflowFileMissing,
    known_schemes,
    open_store,
    register_scheme,
    stores as stores_module,
)
from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.errors import NotAStore, PermissionDenied, TransitionBlocked
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario import bundled_scenario_path, run_scenario
from sozialraumprozess.storage import FolderStore, SqliteStore, create_run
from sozialraumprozess.storage.base import RunStore

SIX = "generationengerechte-sozialraumentwicklung"
ANNUAL = "sozialraumprojekte-jahresbilanz"


@pytest.fixture(params=["folder", "sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store URL of each built-in kind."""
    if request.param == "folder":
        return str(tmp_path / "store")
    return f"sqlite://{tmp_path / 'prozesse.db'}"


@pytest.fixture
def service(url: str) -> Iterator[Service]:
    """A service over a new store with one six-phase run 'schwerte-ost'."""
    found = Service.open(url, create=True)
    found.start("schwerte-ost", load_workflow(SIX), sozialraum="Schwerte-Ost")
    yield found
    found.close()


class TestStoreUrls:
    def test_path_file_and_sqlite_urls(self, tmp_path: Path) -> None:
        """A plain path and file:// open folder stores, sqlite:// a SQLite file."""
        assert isinstance(open_store(tmp_path / "a", create=True), FolderStore)
        assert isinstance(open_store(f"file://{tmp_path / 'b'}", create=True), FolderStore)
        store = open_store(f"sqlite://{tmp_path / 'c.db'}", create=True)
        assert isinstance(store, SqliteStore)
        assert store.location == str(tmp_path / "c.db")
        store.close()
        assert {"folder", "sqlite"} <= set(known_schemes())

    def test_missing_store_is_not_created_unless_asked(self, tmp_path: Path) -> None:
        """Without create=True a missing store is refused and nothing is written."""
        with pytest.raises(NotAStore):
            open_store(f"sqlite://{tmp_path / 'none.db'}")
        with pytest.raises(NotAStore):
            open_store(tmp_path / "none")
        assert list(tmp_path.iterdir()) == []

    def test_unknown_scheme_names_the_known_ones(self) -> None:
        """An unregistered scheme: NotAStore naming the schemes there are, in both languages."""
        with pytest.raises(NotAStore) as info:
            open_store("mongodb://host/db")
        assert "unknown URL scheme 'mongodb://' (known: " in info.value.message("en")
        assert "postgresql://" in info.value.message("en")
        assert "sqlite://" in info.value.message("en")
        assert "unbekanntes URL-Schema" in info.value.message("de")

    def test_a_new_scheme_plugs_in_with_one_registration(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """register_scheme makes a store kind openable by URL for every front end."""
        monkeypatch.setattr(stores_module, "_SCHEMES", dict(stores_module._SCHEMES))
        opened: list[tuple[str, bool]] = []

        def open_memo(target: str, create: bool) -> RunStore:
            opened.append((target, create))
            return SqliteStore(tmp_path / f"{target.replace('/', '_')}.db", create=create)

        register_scheme(
            StoreScheme(
                "memo",
                open_memo,
                owns=lambda store: False,
                run_files=lambda store, run_id: None,
                workflow_note=lambda store: None,
            )
        )
        service = Service.open("memo://server/db", create=True)
        service.start("r1", load_workflow(SIX), sozialraum="A")
        assert opened == [("server/db", True)]
        assert service.status("r1")["phase"]["id"] == "identifizieren"
        service.close()


class TestOpening:
    def test_pick_run(self, service: Service) -> None:
        """One run needs no id; none or several are refused with the ids."""
        assert service.pick_run(None) == "schwerte-ost"
        service.start("westend", load_workflow(SIX), sozialraum="Westend")
        with pytest.raises(RunNotChosen) as info:
            service.pick_run(None)
        assert info.value.run_ids == ("schwerte-ost", "westend")
        assert "choose one with --run: schwerte-ost, westend" in info.value.message("en")

    def test_empty_store(self, tmp_path: Path) -> None:
        """A store without runs: RunNotChosen saying how to create one."""
        empty = Service.open(tmp_path / "leer", create=True)
        with pytest.raises(RunNotChosen) as info:
            empty.pick_run(None)
        assert "sozialraum init" in info.value.message("de")

    def test_run_on_a_workflow_file_without_copy_uses_the_noted_file(
        self, tmp_path: Path, six_phase_path: Path
    ) -> None:
        """A run stored without a definition copy loads through its noted workflow file;
        if that file is gone, WorkflowFileMissing names it."""
        own = tmp_path / "eigen.yaml"
        own.write_text(  # another version than the bundled one, whatever that is
            re.sub(r'version: "\d+\.', 'version: "9.', six_phase_path.read_text("utf-8"), count=1)
        )
        workflow = load_workflow(str(own))
        service = Service.open(tmp_path / "s", create=True)
        process = Process.start(workflow, sozialraum="A", by="kommune")
        assert isinstance(service.store, FolderStore)
        service.store.create("a", process.log, _summary("a", process))  # no copy stored
        service.workflow_files.remember("a", own)
        assert service.load("a").workflow_path == own.resolve()
        assert Service.open(tmp_path / "s").load("a").process.workflow.version.startswith("9.")
        own.unlink()
        with pytest.raises(WorkflowFileMissing) as info:
            Service.open(tmp_path / "s").load("a")
        assert str(own) in info.value.message("en")


def _summary(run_id: str, process: Process) -> Any:
    from sozialraumprozess.storage.summary import summarize

    return summarize(run_id, process)


class TestStatus:
    def test_open_items_with_owners_and_next_steps(self, service: Service) -> None:
        """Status names each open item with the role that owns it and the next steps."""
        status = service.status("schwerte-ost", lang="en")
        open_items = {(i["kind"], i["id"]): i["role"] for i in status["open"]}
        assert open_items[("artifact", "auftrag")] == "kommune"
        assert open_items[("event", "multiplikatorenveranstaltung")] == "kommune"
        assert open_items[("decision", "auftragsbeschluss")] == "rat"
        steps = {(s["command"], s["subject"]): s for s in status["next_steps"]}
        assert steps[("submit", "auftrag")]["roles"] == ["kommune"]
        assert steps[("advance", None)] == {
            "command": "advance",
            "subject": None,
            "roles": ["kommune"],
            "role": "kommune",
            "possible": False,
        }
        assert steps[("decide", "auftragsbeschluss")]["role"] == "rat"
        assert status["blockers"][0]["message"].isascii()

    def test_history_and_report_data(self, service: Service) -> None:
        """History rows and the report's data (timeline, decisions, budget) in a language."""
        service.decide(
            "schwerte-ost", "auftragsbeschluss", date="2025-01-28", yes=31, no=4, by="rat"
        )
        rows = service.history("schwerte-ost", lang="en")
        assert [r["what"] for r in rows] == [
            "process started: Schwerte-Ost",
            "decision: Political mandate for social-space development (2025-01-28, 31/4/0)",
        ]
        data = service.report_data("schwerte-ost", lang="en")
        assert [t["phase"] for t in data["timeline"]] == ["identifizieren"]
        assert data["decisions"][0]["passed"] is True
        assert data["decisions"][0]["result"] == "passed: 31 yes, 4 no"
        assert data["budget"] == []
        json.dumps(data)  # JSON-compatible


class TestCommands:
    def test_command_result(self, service: Service) -> None:
        """A command returns the value, a message in any language and the JSON answer."""
        done = service.set_participant(
            "schwerte-ost", "Anna Berger", ["sozialraumkoordination"], kind="person", by="kommune"
        )
        assert done.value.name == "Anna Berger"
        assert done.attempts == 1
        assert done.message.text("de") == "Beteiligt: Anna Berger (sozialraumkoordination)"
        answer = done.to_dict("en")
        assert answer["event"]["type"] == "participant_set"
        assert answer["message"] == "participant: Anna Berger (sozialraumkoordination)"

    def test_refusals_are_not_retried_and_store_nothing(self, service: Service) -> None:
        """Blocked or not permitted: raised at once, no event stored."""
        with pytest.raises(TransitionBlocked):
            service.advance("schwerte-ost", by="kommune")
        with pytest.raises(PermissionDenied):
            service.approve("schwerte-ost", "sozialraumabgrenzung", by="rat")
        assert service.store.summary("schwerte-ost").version == 1

    def test_update_retries_after_a_conflict(self, service: Service) -> None:
        """Another writer saves while the command runs: reload, run again, save both."""
        calls: list[int] = []
        other = Service(service.store)

        def fn(process: Process) -> str:
            calls.append(len(process.log))
            if len(calls) == 1:  # a concurrent writer gets in first
                other.set_participant("schwerte-ost", "Zwischen", ["kommune"], by="kommune")
            process.set_participant("Anna", ["kommune"], by="kommune")
            return "done"

        done = service.update("schwerte-ost", fn)
        assert (done.value, done.attempts, calls) == ("done", 2, [1, 2])
        names = [p.name for p in service.load("schwerte-ost").process.participants]
        assert names == ["Zwischen", "Anna"]

    def test_update_gives_up_after_the_attempts(self, service: Service) -> None:
        """A conflict on every attempt: ConflictRetriesExhausted, nothing of fn stored."""
        other = Service(service.store)
        service.backoff = 0.0

        def fn(process: Process) -> None:
            other.set_participant("schwerte-ost", f"X{len(process.log)}", ["kommune"], by="kommune")
            process.set_participant("Anna", ["kommune"], by="kommune")

        with pytest.raises(ConflictRetriesExhausted) as info:
            service.update("schwerte-ost", fn, attempts=3)
        assert info.value.attempts == 3
        assert info.value.message("en").startswith(
            "Run 'schwerte-ost': gave up after 3 attempts because other writers"
        )
        assert "nach 3 Versuchen aufgegeben" in info.value.message("de")
        names = [p.name for p in service.load("schwerte-ost").process.participants]
        assert "Anna" not in names
        assert len(names) == 3


class TestPortfolio:
    def test_from_summaries_without_replay(self, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
        """Blocker counts and annual rows come from the summaries: no run is replayed."""
        service = Service.open(url, create=True)
        done = run_scenario(bundled_scenario_path(ANNUAL))
        create_run(service.store, "bilanz", done.process)
        service.start("schwerte-ost", load_workflow(SIX), sozialraum="Schwerte-Ost")
        expected = service.portfolio(lang="en")

        def no_replay(*args: Any, **kwargs: Any) -> None:
            raise AssertionError("replayed")

        monkeypatch.setattr(Process, "replay", no_replay)
        found = service.portfolio(lang="en")
        assert found == expected
        runs = {r["run_id"]: r for r in found["runs"]}
        assert runs["schwerte-ost"]["blockers"] == 6
        assert runs["bilanz"]["blockers"] == len(done.process.blockers())
        assert runs["schwerte-ost"]["phase_title"] == "Identify the Sozialraum"
        assert found["annual"]
        assert {row["run_id"] for row in found["annual"]} == {"bilanz"}
        assert found["annual"][0]["year"] is not None

    def test_old_summaries_are_completed_by_replay(self, tmp_path: Path) -> None:
        """A summary without the portfolio fields (an older store or writer): the run is
        replayed for them and the answer is the same."""
        path = tmp_path / "p.db"
        service = Service.open(f"sqlite://{path}", create=True)
        done = run_scenario(bundled_scenario_path(ANNUAL))
        create_run(service.store, "bilanz", done.process)
        expected = service.portfolio()
        service.close()
        with sqlite3.connect(path) as conn:  # what an older library leaves behind
            conn.execute("UPDATE runs SET details = NULL")
            _reseal(conn)
        assert Service.open(f"sqlite://{path}").portfolio() == expected
        with sqlite3.connect(path) as conn:  # stale: an older writer appended since
            conn.execute(
                """UPDATE runs SET details = '{"version": 1, "blockers": 99, "annual": []}'"""
            )
            _reseal(conn)
        assert Service.open(f"sqlite://{path}").portfolio() == expected

    def test_folder_summary_without_fields(self, tmp_path: Path) -> None:
        """run.json written without the portfolio fields still gives the full portfolio."""
        service = Service.open(tmp_path / "s", create=True)
        done = run_scenario(bundled_scenario_path(ANNUAL))
        create_run(service.store, "bilanz", done.process)
        expected = service.portfolio()
        run_json = tmp_path / "s" / "runs" / "bilanz" / "run.json"
        data = json.loads(run_json.read_text("utf-8"))
        assert data["summary"]["blockers"] == expected["runs"][0]["blockers"]
        del data["summary"]["blockers"], data["summary"]["annual"]
        run_json.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", "utf-8")
        assert Service.open(tmp_path / "s").portfolio() == expected


def _reseal(conn: sqlite3.Connection) -> None:
    """Give changed ``runs`` rows their seal again, as a writer that keeps it would."""
    from sozialraumprozess.storage.chain import seal
    from sozialraumprozess.storage.migrations import SEALED

    for row in conn.execute(f"SELECT {SEALED} FROM runs").fetchall():  # noqa: S608
        conn.execute("UPDATE runs SET seal = ? WHERE run_id = ?", (seal(row), row[0]))
