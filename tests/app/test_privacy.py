"""Personal data under the DSGVO: names and contact data stay out of the log, can be
exported (Art. 15) and erased (Art. 17) without touching the log, and the public
documents name no person without consent.

The erasure test looks for the name's bytes in *every* byte the store keeps: each
file of a folder store, and a SQLite store's database file, its free pages, WAL
and shared-memory file.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from sozialraumprozess.app import Service
from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.errors import CommandRejected, InvalidData
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.pseudonyms import is_person_id
from sozialraumprozess.scenario.sample import SCENARIO, sample_clock, start_sample
from sozialraumprozess.storage import FolderStore, SqliteStore
from sozialraumprozess.storage.session import create_run


def _as_read(markdown: str) -> str:
    """Markdown text as a reader sees it: user text escapes ``[`` and ``]``."""
    return markdown.replace("\\[", "[").replace("\\]", "]")


SIX = load_workflow("generationengerechte-sozialraumentwicklung")
NAME = "Anna Berger"
CONTACT = "sozialraumkoordination@example.org"
FIXTURES = Path(__file__).parents[1] / "storage" / "fixtures"


def two_phases() -> Process:
    """The sample run's first two phases: Anna Berger is added (with contact data),
    submits, records events and acts in 19 events."""
    process = start_sample(SIX)
    for script in SCENARIO[:2]:
        for step in script.steps:
            step.run(process)
    return process


def every_byte(root: Path) -> bytes:
    """Every byte of every file under ``root`` (for SQLite: the file and its -wal, -shm)."""
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    if root.is_file():
        files += [p for p in (Path(f"{root}-wal"), Path(f"{root}-shm")) if p.exists()]
    return b"".join(p.read_bytes() for p in files)


@pytest.fixture(params=["folder", "sqlite"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def service(kind: str, tmp_path: Path) -> Iterator[tuple[Service, Path]]:
    root = tmp_path / ("store" if kind == "folder" else "runs.sqlite")
    store = FolderStore(root) if kind == "folder" else SqliteStore(root)
    create_run(store, "ost", two_phases())
    app = Service(store, clock=sample_clock())
    yield app, root
    app.close()


def stored_log(app: Service, root: Path) -> bytes:
    if root.is_file():
        conn = sqlite3.connect(root)
        rows = conn.execute("SELECT seq, event FROM events ORDER BY run_id, seq").fetchall()
        conn.close()
        return "\n".join(f"{seq} {event}" for seq, event in rows).encode()
    return (root / "runs" / "ost" / "events.jsonl").read_bytes()


class TestTheLogHoldsNoNames:
    def test_events_name_participants_by_pseudonym(self, service: tuple[Service, Path]) -> None:
        app, root = service
        log = stored_log(app, root)
        assert NAME.encode() not in log
        assert CONTACT.encode() not in log
        assert b'"participant":"person:' in log
        assert NAME.encode() in every_byte(root)  # in the person directory (the test can fail)

    def test_reading_puts_names_and_contacts_back(self, service: tuple[Service, Path]) -> None:
        app, _ = service
        process = app.load("ost").process
        assert process.state.participants[NAME].contact == CONTACT
        assert sum(e.actor.participant == NAME for e in process.log) > 5
        assert [p.name for p in process.participants] == [p.name for p in two_phases().participants]

    def test_a_new_participant_may_not_be_named_like_a_pseudonym(self) -> None:
        process = start_sample(SIX)
        with pytest.raises(InvalidData) as info:
            process.set_participant("person:0123456789abcdef", ["bewohnerschaft"], by="kommune")
        assert info.value.problems[0].code == "person-id"


class TestErasure:
    def test_no_byte_of_the_name_is_left_and_the_run_still_works(
        self, service: tuple[Service, Path], kind: str
    ) -> None:
        app, root = service
        if kind == "folder":  # the SQLite store keeps no local files
            app.render_documents("ost")
            app.render_report("ost")
        before_log = stored_log(app, root)
        before = every_byte(root)
        assert NAME.encode() in before
        assert CONTACT.encode() in before

        erasure = app.erase_person("ost", NAME)

        after = every_byte(root)
        assert NAME.encode() not in after
        assert CONTACT.encode() not in after
        assert b"Berger" not in after
        assert stored_log(app, root) == before_log  # the log (and its hash chain) is untouched
        assert is_person_id(erasure.person_id)
        if kind == "folder":
            assert erasure.removed_files  # rendered documents that showed her
        opened = app.load("ost")  # opens, replays, checks the stored summary
        process = opened.process
        assert NAME not in process.state.participants
        erased = process.state.participants[erasure.person_id]
        assert (erased.roles, erased.contact) == (("sozialraumkoordination",), None)
        acts = [e for e in process.log if e.actor.participant == erasure.person_id]
        assert len(acts) > 5
        assert process.phase == two_phases().phase

    def test_documents_show_the_erased_person_as_erased(
        self, service: tuple[Service, Path], tmp_path: Path
    ) -> None:
        app, _ = service
        app.erase_person("ost", NAME)
        for lang, shown in (("de", "[gelöscht]"), ("en", "[erased]")):
            folder = tmp_path / f"docs-{lang}"
            _, _, failures = app.render_documents("ost", lang=lang, folder=folder)  # type: ignore[arg-type]
            assert not failures
            texts = _as_read("".join(p.read_text("utf-8") for p in folder.rglob("*.md")))
            assert shown in texts
            assert NAME not in texts
            assert "person:" not in texts

    def test_history_shows_the_erased_person_as_erased(self, service: tuple[Service, Path]) -> None:
        app, _ = service
        app.erase_person("ost", NAME)
        rows = app.history("ost", lang="en")
        assert "participant: [erased] (sozialraumkoordination)" in [r["what"] for r in rows]
        assert "[erased] (sozialraumkoordination)" in [r["who"] for r in rows]
        assert NAME not in str(rows)

    def test_erasing_twice_or_an_unknown_name_is_refused(
        self, service: tuple[Service, Path]
    ) -> None:
        app, _ = service
        app.erase_person("ost", NAME)
        for name in (NAME, "Niemand", "person:0123456789abcdef", ""):
            with pytest.raises(CommandRejected) as info:
                app.erase_person("ost", name)
            assert info.value.code == "unknown-person"
        assert info.value.message("en").startswith("Run 'ost' has no participant ''")


class TestExport:
    def test_export_gathers_participant_contacts_consents_and_actions(
        self, service: tuple[Service, Path]
    ) -> None:
        app, _ = service
        app.record_consent("ost", NAME, "publication", "2025-01-20")
        data = app.export_person(NAME)
        assert data["name"] == NAME
        [run] = data["runs"]
        assert run["run_id"] == "ost"
        assert is_person_id(run["person_id"])
        assert run["participant"] == {
            "roles": ["sozialraumkoordination"],
            "kind": "person",
            "contact": CONTACT,
            "active": True,
        }
        assert [c[1] for c in run["contacts"]] == [CONTACT]
        assert run["consents"] == [{"purpose": "publication", "date": "2025-01-20"}]
        assert len(run["actions"]) > 5
        assert {a["role"] for a in run["actions"]} == {"sozialraumkoordination"}
        assert run["in_log"] == []

    def test_after_erasure_there_is_nothing_to_export(self, service: tuple[Service, Path]) -> None:
        app, _ = service
        app.erase_person("ost", NAME)
        assert app.export_person(NAME)["runs"] == []


class TestPublicDocuments:
    def test_the_public_report_names_no_person_without_consent(self, tmp_path: Path) -> None:
        app = Service(FolderStore(tmp_path / "store"), clock=sample_clock())
        create_run(app.store, "ost", two_phases())
        internal = app.render_report("ost", output=tmp_path / "intern.html")
        public = app.render_report("ost", output=tmp_path / "public.html", public=True)
        assert "· Intern</p>" in internal.read_text("utf-8")
        text = public.read_text("utf-8")
        assert NAME not in text
        assert CONTACT not in text
        assert "· Öffentlich</p>" in text
        app.close()

    def test_public_documents_follow_the_same_rule(self, tmp_path: Path) -> None:
        app = Service(FolderStore(tmp_path / "store"), clock=sample_clock())
        create_run(app.store, "ost", two_phases())
        folder, metas, _ = app.render_documents("ost", folder=tmp_path / "pub", public=True)
        assert metas
        assert all(m.public for m in metas)
        texts = _as_read("".join(p.read_text("utf-8") for p in folder.rglob("*") if p.is_file()))
        assert NAME not in texts
        assert CONTACT not in texts
        assert "[nicht veröffentlicht] (Sozialraumkoordination)" in texts
        assert "· Öffentlich" in texts
        assert "· Intern" not in texts
        internal = "".join(
            p.read_text("utf-8")
            for p in app.render_documents("ost", folder=tmp_path / "int")[0].rglob("*")
            if p.is_file()
        )
        assert f"{NAME} (Sozialraumkoordination)" in internal

        app.record_consent("ost", NAME, "publication", "2025-02-01")
        folder, _, _ = app.render_documents("ost", folder=tmp_path / "pub2", public=True)
        texts = _as_read("".join(p.read_text("utf-8") for p in folder.rglob("*") if p.is_file()))
        assert f"{NAME} (Sozialraumkoordination)" in texts
        app.close()

    def test_consent_needs_a_person_a_purpose_and_a_date(self, tmp_path: Path) -> None:
        app = Service(FolderStore(tmp_path / "store"), clock=sample_clock())
        create_run(app.store, "ost", two_phases())
        cases = [
            ("Niemand", "publication", "2025-01-01", "unknown-person"),
            (NAME, " ", "2025-01-01", "bad-purpose"),
            (NAME, "publication", "2025-13-01", "bad-date"),
        ]
        for name, purpose, day, code in cases:
            with pytest.raises(CommandRejected) as info:
                app.record_consent("ost", name, purpose, day)
            assert info.value.code == code
        assert app.store.read_people("ost").by_name(NAME).consents == ()  # type: ignore[union-attr]
        app.close()


class TestOlderRuns:
    """A run stored before personal data was kept apart holds names in its log."""

    @pytest.fixture
    def old(self, tmp_path: Path) -> Service:
        shutil.copytree(FIXTURES / "folder-v2", tmp_path / "store")
        return Service(FolderStore(tmp_path / "store"), clock=sample_clock())

    def test_it_opens_and_replays_unchanged(self, old: Service) -> None:
        process = old.load("schwerte-ost").process
        assert NAME in process.state.participants
        assert old.store.read_people("schwerte-ost").persons == {}

    def test_erasure_is_refused_naming_the_events(self, old: Service, tmp_path: Path) -> None:
        log = (tmp_path / "store" / "runs" / "schwerte-ost" / "events.jsonl").read_bytes()
        with pytest.raises(CommandRejected) as info:
            old.erase_person("schwerte-ost", NAME)
        assert info.value.code == "name-in-log"
        message = info.value.message("en")
        assert message.startswith(
            "The name 'Anna Berger' is in the log of run 'schwerte-ost' itself (events "
        )
        assert "cannot be changed" in message
        assert (tmp_path / "store" / "runs" / "schwerte-ost" / "events.jsonl").read_bytes() == log

    def test_new_events_are_written_with_pseudonyms(self, old: Service, tmp_path: Path) -> None:
        old.set_participant(
            "schwerte-ost", "Neue Bewohnerin", ["bewohnerschaft"], kind="person", by="kommune"
        )
        lines = (tmp_path / "store" / "runs" / "schwerte-ost" / "events.jsonl").read_bytes()
        assert b"Neue Bewohnerin" not in lines
        people = old.store.read_people("schwerte-ost")
        assert people.since == len(lines.splitlines())
        old.erase_person("schwerte-ost", "Neue Bewohnerin")
        assert b"Neue Bewohnerin" not in every_byte(tmp_path / "store")
        assert NAME in old.load("schwerte-ost").process.state.participants
