"""The store contract: one pytest suite that every store (a ``RunStore``) passes.

Public as :class:`sozialraumprozess.testing.StoreContract` (see
``docs/how-to/write-a-store.md``). It needs pytest, which the library itself
does not: this module is imported only when ``StoreContract`` is asked for.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from attrs import evolve

from sozialraumprozess.definition.fields.file import MAX_ATTACHMENT_BYTES
from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import (
    AttachmentRefused,
    ConflictError,
    CorruptRunError,
    InvalidRunId,
    RunNotFound,
)
from sozialraumprozess.runtime.clock import format_time
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.pseudonyms import is_person_id
from sozialraumprozess.runtime.records import ProcessEvent
from sozialraumprozess.runtime.serialize import event_to_dict
from sozialraumprozess.scenario.sample import sample_clock, start_sample
from sozialraumprozess.storage.base import RunStore, run_pages
from sozialraumprozess.storage.chain import GENESIS, canonical, is_hash, link
from sozialraumprozess.storage.definitions import StoredDefinition
from sozialraumprozess.storage.people import erased
from sozialraumprozess.storage.session import create_run, open_run
from sozialraumprozess.storage.summary import summarize

__all__ = ["StoreContract"]

_SIX_PHASE = "generationengerechte-sozialraumentwicklung"

#: A workflow no resolver knows: its runs load only through the store's copy.
_OWN_WORKFLOW = """\
format: sozialraumprozess/v1
id: store-contract
version: "1"
title: Store contract
roles:
  r: {title: R}
phases:
  - {id: erste, title: Erste, responsible: r}
  - {id: zweite, title: Zweite, responsible: r}
"""

_BAD_IDS = ("", ".", "..", ".hidden", "a/b", "a\\b", "../escape", "nul\x00byte", "x" * 129)


def _own_workflow() -> Workflow:
    from sozialraumprozess.testing import workflow_from_string

    return workflow_from_string(_OWN_WORKFLOW, "store-contract.yaml")


def _names(process: Process) -> list[str]:
    return sorted(p.name for p in process.participants)


def _head(events: Sequence[ProcessEvent]) -> str:
    """The chain head of ``events`` as :mod:`sozialraumprozess.storage.chain` defines it."""
    head = GENESIS
    for event in events:
        head = link(head, canonical(event_to_dict(event)))
    return head


def _stored_head(store: RunStore, run_id: str, events: Sequence[ProcessEvent]) -> str:
    """The chain head of ``events`` as the store keeps them: participants named by the
    pseudonymous ids of the run's person directory (see :mod:`.storage.people`)."""
    from sozialraumprozess.storage.people import pseudonymize

    stored, _ = pseudonymize(events, store.read_people(run_id))
    return _head(stored)


class StoreContract:
    """What every store must do, as pytest tests. Subclass it once per store::

        from sozialraumprozess.testing import StoreContract

        class TestMyStore(StoreContract):
            def make_store(self, tmp_path):
                return MyStore(tmp_path / "store")

            def corrupt_event(self, store, tmp_path, run_id, seq): ...
            def corrupt_definition(self, store, tmp_path, content_hash): ...
            def rewrite_event(self, store, tmp_path, run_id, seq, data): ...
            def stored_bytes(self, store, tmp_path): ...

    ``make_store(tmp_path)`` must give an empty store the first time it is called
    with a ``tmp_path`` (every test has its own) and another handle on the same
    store on later calls with the same path (as a second program would open it).
    The ``corrupt_*`` and ``rewrite_event`` hooks damage or change stored data the
    way only the store's author knows how (a file, a row); the contract then checks
    that the store refuses it. Every store keeps the hash chain of
    :mod:`sozialraumprozess.storage.chain` (the same hashes for the same events
    in every store) and names the first changed event by its seq.
    ``stored_bytes`` gives every byte the store keeps, to check that erased
    personal data leaves no copy (see :mod:`sozialraumprozess.storage.people`).

    Every test here uses only the :class:`~sozialraumprozess.storage.RunStore`
    protocol and the session functions :func:`~sozialraumprozess.storage.create_run`
    and :func:`~sozialraumprozess.storage.open_run`.
    """

    # ------------------------------------------------------------------ the hooks

    def make_store(self, tmp_path: Path) -> RunStore:
        """A store at ``tmp_path``: empty at the first call, the same store later."""
        raise NotImplementedError(f"{type(self).__name__} must implement make_store(tmp_path)")

    def corrupt_event(self, store: RunStore, tmp_path: Path, run_id: str, seq: int) -> None:
        """Damage stored event ``seq`` of run ``run_id`` so it cannot be decoded.

        ``seq`` is never the run's last event. Write bytes that are not a JSON
        object (e.g. ``{"broken"``) where the event is kept.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement corrupt_event")

    def corrupt_definition(self, store: RunStore, tmp_path: Path, content_hash: str) -> None:
        """Change the stored definition copy ``content_hash`` so it no longer has that hash.

        Keep it a readable workflow (change its title, say): the store must notice
        by the hash, not by a parse error.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement corrupt_definition")

    def rewrite_event(
        self, store: RunStore, tmp_path: Path, run_id: str, seq: int, data: dict[str, Any]
    ) -> None:
        """Replace the content of stored event ``seq`` with the JSON object ``data``,
        leaving its stored hash as it is (what an editor of the file or row would do).

        ``data`` is a valid event (another participant's name, say): the store must
        notice by the chain, not by a parse error.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement rewrite_event")

    def stored_bytes(self, store: RunStore, tmp_path: Path) -> bytes:
        """Every byte the store keeps: each file, each database page including free
        pages and logs (SQLite: the file, ``-wal`` and ``-shm``; a server database:
        a dump of every table, as raw as the server gives it).

        The contract checks with it that an erased name leaves no copy behind.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement stored_bytes")

    # ------------------------------------------------------------------ fixtures

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[RunStore]:
        """A new, empty store made by :meth:`make_store`."""
        opened = self.make_store(tmp_path)
        yield opened
        opened.close()

    @pytest.fixture
    def reopen(self, tmp_path: Path) -> Iterator[Callable[[], RunStore]]:
        """Opens another handle on the test's store (closed after the test)."""
        handles: list[RunStore] = []

        def again() -> RunStore:
            handles.append(self.make_store(tmp_path))
            return handles[-1]

        yield again
        for handle in handles:
            handle.close()

    @pytest.fixture(scope="class")
    def workflow(self) -> Workflow:
        """The bundled six-phase workflow."""
        return load_workflow(_SIX_PHASE)

    @pytest.fixture
    def process(self, workflow: Workflow) -> Process:
        """A started six-phase process with two participants (three events)."""
        process = start_sample(workflow)
        process.set_participant("Erste", ["kommune"], by="kommune")
        process.set_participant("Zweite", ["kommune"], by="kommune")
        return process

    # ------------------------------------------------------------------ create, load

    def test_new_store_is_empty(self, store: RunStore) -> None:
        """A new store has no runs and no definition copies, and says where it is."""
        assert store.list_runs() == []
        assert store.list_definitions() == []
        assert isinstance(store.location, str)
        assert store.location

    def test_create_then_load(self, store: RunStore, process: Process) -> None:
        """A created run reads back event for event and replays to the same state."""
        version = store.create(
            "r1", process.log, summarize("r1", process), workflow=process.workflow
        )
        assert version == len(process.log) == 3
        assert store.read_events("r1") == process.log
        loaded = store.load("r1")
        assert loaded.log == process.log
        assert loaded.to_dict() == process.to_dict()
        assert store.summary("r1") == summarize("r1", process)

    def test_second_handle_sees_the_run(
        self, store: RunStore, reopen: Callable[[], RunStore], process: Process
    ) -> None:
        """What one handle stored, another handle on the same store reads."""
        create_run(store, "r1", process)
        other = reopen()
        assert other.read_events("r1") == process.log
        assert [s.run_id for s in other.list_runs()] == ["r1"]

    def test_load_with_the_given_workflow(self, store: RunStore, process: Process) -> None:
        """``load(run_id, workflow)`` replays with the definition given."""
        create_run(store, "r1", process)
        assert store.load("r1", process.workflow).log == process.log

    def test_create_existing_run_conflicts(self, store: RunStore, process: Process) -> None:
        """Creating a run id that exists raises ConflictError (expected 0) and changes nothing."""
        create_run(store, "r1", process)
        other = start_sample(process.workflow)
        with pytest.raises(ConflictError) as caught:
            store.create("r1", other.log, summarize("r1", other), workflow=other.workflow)
        assert (caught.value.run_id, caught.value.expected, caught.value.actual) == ("r1", 0, 3)
        assert caught.value.message("en") == "Run 'r1' already exists (version 3)."
        assert store.read_events("r1") == process.log

    def test_create_refuses_events_not_starting_at_one(
        self, store: RunStore, process: Process
    ) -> None:
        """Events must start at seq 1 without gaps; the summary must describe them."""
        with pytest.raises(ValueError, match="seq"):
            store.create("r1", process.log[1:], summarize("r1", process))
        with pytest.raises(ValueError, match="version"):
            store.create("r1", process.log, evolve(summarize("r1", process), version=2))
        assert store.list_runs() == []

    # ------------------------------------------------------------------ personal data

    def test_personal_data_reads_back_but_is_kept_apart(
        self,
        store: RunStore,
        reopen: Callable[[], RunStore],
        process: Process,
        tmp_path: Path,
    ) -> None:
        """Names and contact data read back as given; the person directory holds them."""
        process.set_participant(
            "Anna Berger", ["kommune"], kind="person", contact="anna@example.org", by="kommune"
        )
        run = create_run(store, "r1", process)
        run.process.set_participant("Bernd Vogel", ["kommune"], kind="person", by="Anna Berger")
        run.save()
        other = reopen()
        assert other.read_events("r1") == run.process.log
        assert other.load("r1").to_dict() == run.process.to_dict()
        people = other.read_people("r1")
        assert people.since == 1
        anna = people.by_name("Anna Berger")
        assert anna is not None
        assert is_person_id(anna.id)
        assert anna.contacts == ((4, "anna@example.org"),)
        assert people.by_name("Bernd Vogel") is not None
        assert "Anna Berger" in self.stored_bytes(other, tmp_path).decode("utf-8", "replace")

    def test_erasure_leaves_no_byte_of_the_name(
        self,
        store: RunStore,
        reopen: Callable[[], RunStore],
        process: Process,
        tmp_path: Path,
    ) -> None:
        """``update_people(erase=True)`` leaves no copy of what it removed; the run still
        loads, with the person named by their id."""
        process.set_participant(
            "Anna Berger", ["kommune"], kind="person", contact="anna@example.org", by="kommune"
        )
        run = create_run(store, "r1", process)
        run.process.set_participant("Vierte", ["kommune"], by="Anna Berger")
        run.save()
        anna = store.read_people("r1").by_name("Anna Berger")
        assert anna is not None
        store.update_people("r1", lambda people: erased(people, anna.id, "2026-01-01"), erase=True)
        other = reopen()
        everything = self.stored_bytes(other, tmp_path)
        assert b"Anna Berger" not in everything
        assert b"anna@example.org" not in everything
        loaded = other.load("r1")
        assert anna.id in loaded.state.participants
        assert loaded.log[-1].actor.participant == anna.id
        assert other.read_people("r1").persons[anna.id].erased == "2026-01-01"

    def test_people_of_an_unknown_run(self, store: RunStore) -> None:
        """``read_people`` and ``update_people`` of a missing run raise RunNotFound."""
        with pytest.raises(RunNotFound):
            store.read_people("nirgends")
        with pytest.raises(RunNotFound):
            store.update_people("nirgends", lambda people: people)

    # ------------------------------------------------------------------ append

    def test_append_with_the_expected_version(self, store: RunStore, process: Process) -> None:
        """An append based on the stored version lands and returns the new version."""
        run = create_run(store, "r1", process)
        run.process.set_participant("Dritte", ["kommune"], by="kommune")
        event = run.process.log[-1]
        version = store.append(
            "r1", [event], expected_version=3, summary=summarize("r1", run.process)
        )
        assert version == 4
        assert store.read_events("r1") == run.process.log
        assert store.summary("r1").version == 4
        assert _names(store.load("r1")) == ["Dritte", "Erste", "Zweite"]

    def test_stale_append_conflicts_and_changes_nothing(
        self, store: RunStore, reopen: Callable[[], RunStore], process: Process
    ) -> None:
        """A writer that missed another's save gets ConflictError with both versions."""
        create_run(store, "r1", process)
        first = open_run(store, "r1")
        second = open_run(reopen(), "r1")
        first.process.set_participant("Vom Ersten", ["kommune"], by="kommune")
        assert first.save() == 4
        second.process.set_participant("Vom Zweiten", ["kommune"], by="kommune")
        with pytest.raises(ConflictError) as caught:
            second.save()
        assert (caught.value.run_id, caught.value.expected, caught.value.actual) == ("r1", 3, 4)
        assert caught.value.message("en") == (
            "Conflict on run 'r1': expected version 3, but the store has version 4. "
            "Reload the run and try again."
        )
        assert store.read_events("r1") == first.process.log
        again = second.reload()  # the documented way out: reload, apply again, save
        again.process.set_participant("Vom Zweiten", ["kommune"], by="kommune")
        assert again.save() == 5
        assert _names(store.load("r1")) == ["Erste", "Vom Ersten", "Vom Zweiten", "Zweite"]

    def test_append_refuses_a_gap_or_a_wrong_summary(
        self, store: RunStore, process: Process
    ) -> None:
        """Events must continue the expected version; nothing is stored otherwise."""
        run = create_run(store, "r1", process)
        stored = process.log
        run.process.set_participant("A", ["kommune"], by="kommune")
        run.process.set_participant("B", ["kommune"], by="kommune")
        summary = summarize("r1", run.process)
        with pytest.raises(ValueError, match="seq"):
            store.append("r1", run.process.log[4:], expected_version=3, summary=summary)
        with pytest.raises(ValueError, match="version"):
            store.append(
                "r1", run.process.log[3:], expected_version=3, summary=evolve(summary, version=4)
            )
        assert store.read_events("r1") == stored

    def test_append_to_a_missing_run(self, store: RunStore, process: Process) -> None:
        """Appending to a run that does not exist raises RunNotFound."""
        process.set_participant("Dritte", ["kommune"], by="kommune")
        with pytest.raises(RunNotFound) as caught:
            store.append(
                "fehlt", process.log[3:], expected_version=3, summary=summarize("fehlt", process)
            )
        assert caught.value.run_id == "fehlt"

    # ------------------------------------------------------------------ not found, bad ids

    @pytest.mark.parametrize("operation", ["load", "read_events", "summary", "delete"])
    def test_missing_run(self, store: RunStore, operation: str) -> None:
        """Every read (and delete) of a missing run raises RunNotFound naming id and store."""
        with pytest.raises(RunNotFound) as caught:
            getattr(store, operation)("fehlt")
        assert caught.value.run_id == "fehlt"
        assert caught.value.message("en") == f"No run 'fehlt' in store {store.location}."
        assert caught.value.message("de") == f"Kein Lauf 'fehlt' im Speicher {store.location}."

    @pytest.mark.parametrize("run_id", _BAD_IDS)
    def test_invalid_run_ids_are_refused(
        self, store: RunStore, process: Process, run_id: str
    ) -> None:
        """Ids that cannot be names raise InvalidRunId (a ValueError) before anything is written."""
        with pytest.raises(InvalidRunId) as caught:
            store.create(run_id, process.log, summarize(run_id, process), workflow=process.workflow)
        assert isinstance(caught.value, ValueError)
        assert caught.value.run_id == run_id
        for operation in ("load", "read_events", "summary", "delete"):
            with pytest.raises(InvalidRunId):
                getattr(store, operation)(run_id)
        process.set_participant("Dritte", ["kommune"], by="kommune")
        with pytest.raises(InvalidRunId):
            store.append(
                run_id, process.log[3:], expected_version=3, summary=summarize(run_id, process)
            )
        assert store.list_runs() == []
        assert store.list_definitions() == []

    # ------------------------------------------------------------------ listing

    def test_list_runs_sorted_and_filtered(self, store: RunStore, workflow: Workflow) -> None:
        """``list_runs`` returns summaries sorted by id, filtered by workflow, phase, deadline."""
        own = _own_workflow()
        late = start_sample(workflow)  # phase identifizieren, deadline 2025-04-13
        create_run(store, "b-sechs", late)
        first = Process.start(own, sozialraum="Kontrakt", by="r", clock=sample_clock())
        create_run(store, "a-eigen", first)
        moved = Process.start(own, sozialraum="Kontrakt", by="r", clock=sample_clock())
        moved.advance(by="r")
        create_run(store, "c-eigen", moved)

        every = store.list_runs()
        assert [s.run_id for s in every] == ["a-eigen", "b-sechs", "c-eigen"]
        # listed summaries may leave out the status facts (``summary`` has them)
        assert [evolve(s, status=None) for s in every] == [
            evolve(store.summary(s.run_id), status=None) for s in every
        ]
        assert [s.run_id for s in store.list_runs(workflow="store-contract")] == [
            "a-eigen",
            "c-eigen",
        ]
        assert [s.run_id for s in store.list_runs(phase="zweite")] == ["c-eigen"]
        assert [s.run_id for s in store.list_runs(workflow=_SIX_PHASE, phase="zweite")] == []
        assert [s.run_id for s in store.list_runs(overdue_at=date(2025, 4, 14))] == ["b-sechs"]
        assert store.list_runs(overdue_at=date(2025, 4, 13)) == []  # due that day: not overdue
        assert store.list_runs(workflow="gibt-es-nicht") == []

    def test_list_runs_in_pages(self, store: RunStore, workflow: Workflow) -> None:
        """``after`` and ``limit`` page the listing: pages follow each other by the last
        run id, add up to the whole listing (filters applied), and a bad limit is
        refused before anything is read."""
        own = _own_workflow()
        for n in range(7):
            process = Process.start(own, sozialraum="Kontrakt", by="r", clock=sample_clock())
            if n % 3 == 0:
                process.advance(by="r")
            create_run(store, f"lauf-{n}", process)
        create_run(store, "anderer", start_sample(workflow))
        every = [s.run_id for s in store.list_runs()]
        assert every == ["anderer", *(f"lauf-{n}" for n in range(7))]
        first = store.list_runs(limit=3)
        assert [s.run_id for s in first] == every[:3]
        second = store.list_runs(after=first[-1].run_id, limit=3)
        assert [s.run_id for s in second] == every[3:6]
        assert [s.run_id for s in store.list_runs(after="lauf-5", limit=3)] == ["lauf-6"]
        assert store.list_runs(after="lauf-6", limit=3) == []
        assert [s.run_id for s in store.list_runs(after="b")] == every[1:]  # no such run: fine
        assert [s.run_id for s in store.list_runs(phase="zweite", after="lauf-0", limit=1)] == [
            "lauf-3"
        ]
        assert [s.run_id for s in store.list_runs(workflow=_SIX_PHASE, limit=5)] == ["anderer"]
        paged = [[s.run_id for s in page] for page in run_pages(store, 3)]
        assert paged == [every[:3], every[3:6], every[6:]]
        zweite = [[s.run_id for s in page] for page in run_pages(store, 2, phase="zweite")]
        assert zweite == [["lauf-0", "lauf-3"], ["lauf-6"]]
        assert list(run_pages(store, 8)) == [store.list_runs()]
        for bad in (0, -1, True, 1.5):
            with pytest.raises(ValueError, match="limit"):
                store.list_runs(limit=bad)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="after"):
            store.list_runs(after=3)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="limit"):
            next(run_pages(store, 0))

    def test_delete(self, store: RunStore, process: Process) -> None:
        """A deleted run is gone; its definition copy stays (other runs may use it)."""
        create_run(store, "weg", process)
        create_run(store, "bleibt", start_sample(process.workflow))
        store.delete("weg")
        with pytest.raises(RunNotFound):
            store.load("weg")
        assert [s.run_id for s in store.list_runs()] == ["bleibt"]
        assert [d.content_hash for d in store.list_definitions()] == [process.workflow.content_hash]
        create_run(store, "weg", process)  # the id can be used again
        assert store.read_events("weg") == process.log

    # ------------------------------------------------------------------ definitions

    def test_definition_copies(self, store: RunStore, workflow: Workflow) -> None:
        """Copies are kept once per content hash, verified, and listed sorted."""
        own = _own_workflow()
        assert store.get_definition(own.content_hash) is None
        assert store.put_definition(own) == own.content_hash
        assert store.put_definition(own) == own.content_hash  # once: no error, no second copy
        create_run(store, "r1", start_sample(workflow))  # create stores its copy too
        copy = store.get_definition(own.content_hash)
        assert copy is not None
        assert copy.content_hash == own.content_hash
        assert copy.to_dict() == own.to_dict()
        assert store.list_definitions() == sorted(
            [
                StoredDefinition(own.content_hash, own.id, own.version),
                StoredDefinition(workflow.content_hash, workflow.id, workflow.version),
            ],
            key=lambda d: (d.id, d.version, d.content_hash),
        )

    # ------------------------------------------------------------------ attachments (v2)

    def test_attachments_round_trip_once_per_content(self, store: RunStore, tmp_path: Path) -> None:
        """A file is kept under its sha256, once; another handle reads it back."""
        content = b"%PDF-1.7\nVisitationsbericht\n"
        reference = store.put_attachment(content, "bericht.pdf")
        assert reference == {
            "sha256": hashlib.sha256(content).hexdigest(),
            "name": "bericht.pdf",
            "size": len(content),
            "type": "application/pdf",
        }
        assert store.put_attachment(content, "kopie.pdf")["sha256"] == reference["sha256"]
        assert self.make_store(tmp_path).get_attachment(reference["sha256"]) == content
        assert store.get_attachment("0" * 64) is None
        with pytest.raises(ValueError, match="sha256"):
            store.get_attachment("../" + "0" * 61)

    @pytest.mark.parametrize(
        ("content", "name", "code"),
        [
            (b"", "leer.pdf", "attachment-empty"),
            (b"MZ\x90\x00", "programm.exe", "attachment-type"),
            (b"no pdf at all", "bericht.pdf", "attachment-content"),
            (b"\x00\x01", "daten.csv", "attachment-content"),
            (b"%PDF-1.7", "../bericht.pdf", "attachment-name"),
        ],
    )
    def test_disallowed_attachments_are_refused(
        self, store: RunStore, content: bytes, name: str, code: str
    ) -> None:
        """Empty, disallowed or mislabelled files are refused with a clear error."""
        with pytest.raises(AttachmentRefused) as info:
            store.put_attachment(content, name)
        assert info.value.code == code
        assert info.value.message("de") != info.value.message("en")
        assert store.get_attachment(hashlib.sha256(content).hexdigest()) is None

    def test_an_over_large_attachment_is_refused(self, store: RunStore) -> None:
        """Files above the store's cap are refused (10 MiB)."""
        content = b"%PDF-" + b"0" * MAX_ATTACHMENT_BYTES
        with pytest.raises(AttachmentRefused) as info:
            store.put_attachment(content, "gross.pdf")
        assert info.value.code == "attachment-too-large"
        assert "10485760" in info.value.message("en")

    def test_malformed_content_hash(self, store: RunStore) -> None:
        """A content hash that is not ``sha256:`` and 64 hex digits is a ValueError."""
        for bad in ("", "sha256:xyz", "md5:" + "0" * 32, "sha256:" + "A" * 64):
            with pytest.raises(ValueError, match="sha256"):
                store.get_definition(bad)

    def test_run_of_an_unknown_workflow_loads_from_its_copy(self, store: RunStore) -> None:
        """A run whose workflow no resolver knows loads through the stored copy alone."""
        own = _own_workflow()
        process = Process.start(own, sozialraum="Kontrakt", by="r", clock=sample_clock())
        process.advance(by="r")
        create_run(store, "eigen", process)
        loaded = open_run(store, "eigen")
        assert loaded.process.phase == "zweite"
        assert loaded.process.log == process.log

    # ------------------------------------------------------------------ damaged data

    def test_damaged_event_is_refused(
        self, store: RunStore, tmp_path: Path, process: Process
    ) -> None:
        """A stored event that cannot be decoded makes reads fail with CorruptRunError."""
        create_run(store, "kaputt", process)
        create_run(store, "heil", start_sample(process.workflow))
        self.corrupt_event(store, tmp_path, "kaputt", 2)
        for read in (store.read_events, store.load):
            with pytest.raises(CorruptRunError) as caught:
                read("kaputt")
            assert caught.value.message("en")
        assert store.read_events("heil") == start_sample(process.workflow).log

    def test_damaged_definition_copy_is_refused(
        self, store: RunStore, tmp_path: Path, workflow: Workflow
    ) -> None:
        """A copy that no longer matches its hash is refused, not used."""
        own = _own_workflow()
        process = Process.start(own, sozialraum="Kontrakt", by="r", clock=sample_clock())
        create_run(store, "eigen", process)
        self.corrupt_definition(store, tmp_path, own.content_hash)
        with pytest.raises(CorruptRunError):
            store.get_definition(own.content_hash)
        with pytest.raises(CorruptRunError):
            store.list_definitions()
        with pytest.raises(CorruptRunError):
            store.load("eigen")
        assert store.load("eigen", own).log == process.log  # given the definition: still readable

    # ------------------------------------------------------------------ the hash chain

    def test_verify_gives_the_chain_head(
        self, store: RunStore, reopen: Callable[[], RunStore], process: Process
    ) -> None:
        """``verify`` recomputes the chain: every store gives the head
        :mod:`~sozialraumprozess.storage.chain` defines for the events as stored
        (pseudonymized); the summary keeps it; an append moves it on."""
        run = create_run(store, "r1", process)
        checked = store.verify("r1")
        assert (checked.run_id, checked.events, checked.chained) == ("r1", 3, True)
        assert checked.head == _stored_head(store, "r1", process.log)
        assert is_hash(checked.head)
        assert store.summary("r1").head == checked.head
        assert [s.head for s in store.list_runs()] == [checked.head]
        run.process.set_participant("Dritte", ["kommune"], by="kommune")
        run.save()
        moved = reopen().verify("r1")
        assert moved.events == 4
        assert moved.head == _stored_head(store, "r1", run.process.log) != checked.head
        assert store.summary("r1").head == moved.head
        assert open_run(store, "r1").process.log == run.process.log

    def test_verify_of_a_missing_run(self, store: RunStore) -> None:
        """``verify`` of a run that does not exist raises RunNotFound."""
        with pytest.raises(RunNotFound):
            store.verify("fehlt")

    def test_a_changed_event_is_named_by_its_seq(
        self, store: RunStore, tmp_path: Path, process: Process
    ) -> None:
        """An event changed after it was stored (valid JSON, a valid event, only its
        hash no longer fits) is refused by every read, naming its seq; other runs stay
        readable."""
        create_run(store, "geaendert", process)
        create_run(store, "heil", start_sample(process.workflow))
        data = event_to_dict(process.log[1])
        data["time"] = format_time(process.log[1].time + timedelta(seconds=1))
        self.rewrite_event(store, tmp_path, "geaendert", 2, data)
        for read in (store.verify, store.read_events, store.load):
            with pytest.raises(CorruptRunError) as caught:
                read("geaendert")
            assert caught.value.line == 2
            assert "2" in caught.value.message("en")
        assert store.verify("heil").events == 1

    def test_a_damaged_event_fails_verify(
        self, store: RunStore, tmp_path: Path, process: Process
    ) -> None:
        """``verify`` refuses an event that cannot be decoded, naming its seq."""
        create_run(store, "kaputt", process)
        self.corrupt_event(store, tmp_path, "kaputt", 2)
        with pytest.raises(CorruptRunError) as caught:
            store.verify("kaputt")
        assert caught.value.line == 2

    # ------------------------------------------------------------------ concurrency

    def test_concurrent_writers_lose_nothing(
        self, store: RunStore, reopen: Callable[[], RunStore], process: Process
    ) -> None:
        """Threads with their own handles and one shared handle append with retry:
        every save lands exactly once."""
        create_run(store, "wettlauf", process)
        handles = [reopen(), reopen(), store, store]  # two own handles, one shared by two
        barrier = threading.Barrier(len(handles))
        failures: list[BaseException] = []
        per_writer = 8

        def write(worker: int, handle: RunStore) -> None:
            try:
                barrier.wait(30)
                for n in range(per_writer):
                    while True:
                        run = open_run(handle, "wettlauf")
                        run.process.set_participant(f"w{worker}-{n}", ["kommune"], by="kommune")
                        try:
                            run.save()
                            break
                        except ConflictError:
                            continue
            except BaseException as error:  # reported below
                failures.append(error)

        threads = [
            threading.Thread(target=write, args=(worker, handle))
            for worker, handle in enumerate(handles)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert failures == []
        expected = [f"w{w}-{n}" for w in range(len(handles)) for n in range(per_writer)]
        loaded = store.load("wettlauf")
        assert _names(loaded) == sorted(["Erste", "Zweite", *expected])
        assert store.summary("wettlauf").version == len(loaded.log) == 3 + len(expected)

    # ------------------------------------------------------------------ the change feed

    def test_feed_lists_every_event_in_write_order(
        self, store: RunStore, reopen: Callable[[], RunStore], process: Process
    ) -> None:
        """``changes`` numbers every stored event 1, 2, … across runs, in write order."""
        assert store.changes() == []
        first = create_run(store, "r1", process)
        create_run(store, "r2", start_sample(process.workflow))
        first.process.set_participant("Dritte", ["kommune"], by="kommune")
        first.save()
        every = store.changes()
        other = len(start_sample(process.workflow).log)
        total = 3 + other + 1
        assert [c.position for c in every] == list(range(1, total + 1))
        assert [(c.run_id, c.event.seq) for c in every] == [
            *[("r1", seq) for seq in (1, 2, 3)],
            *[("r2", seq) for seq in range(1, other + 1)],
            ("r1", 4),
        ]
        # The feed gives events as stored: participants by their pseudonymous ids only,
        # so no name flows into the systems that follow it (they stay erasable).
        from sozialraumprozess.storage.people import pseudonymize

        stored, _ = pseudonymize(store.read_events("r1"), store.read_people("r1"))
        assert [c.event for c in every if c.run_id == "r1"] == stored
        assert store.changes(after=2) == every[2:]
        assert store.changes(after=1, limit=2) == every[1:3]
        assert store.changes(after=total) == []
        assert reopen().changes() == every
        row = every[-1].to_dict()
        assert (row["position"], row["run"], row["seq"], row["type"]) == (
            total,
            "r1",
            4,
            "participant_set",
        )
        assert set(row) == {"position", "run", "seq", "type", "time", "actor", "payload"}

    def test_feed_leaves_out_deleted_runs_and_never_reuses_positions(
        self, store: RunStore, process: Process
    ) -> None:
        """A deleted run's events leave the feed; later events get higher positions."""
        create_run(store, "weg", process)
        create_run(store, "bleibt", start_sample(process.workflow))
        before = store.changes()
        store.delete("weg")
        assert store.changes() == [c for c in before if c.run_id == "bleibt"]
        create_run(store, "weg", process)  # the same id, the same events again
        again = [c for c in store.changes() if c.run_id == "weg"]
        assert [c.position for c in again] == [
            before[-1].position + n for n in range(1, len(process.log) + 1)
        ]

    @pytest.mark.parametrize(("after", "limit"), [(-1, 10), (0, 0), (0, -5)])
    def test_feed_refuses_a_bad_position_or_limit(
        self, store: RunStore, after: int, limit: int
    ) -> None:
        """A negative position or a limit below 1 is a ValueError."""
        with pytest.raises(ValueError, match=r"after|limit"):
            store.changes(after=after, limit=limit)

    def test_follower_never_skips_an_event_under_concurrent_writers(
        self, store: RunStore, reopen: Callable[[], RunStore], process: Process
    ) -> None:
        """A follower that continues after the last position it was given sees every
        event exactly once while writers on several handles append to several runs."""
        runs = ["a", "b", "c"]
        for run_id in runs:
            create_run(store, run_id, start_sample(process.workflow))
        writers = [reopen(), reopen(), store]
        follower = reopen()
        done = threading.Event()
        failures: list[BaseException] = []
        seen: list[tuple[int, str, int]] = []
        per_writer = 6

        def write(worker: int, handle: RunStore) -> None:
            try:
                for n in range(per_writer):
                    run_id = runs[(worker + n) % len(runs)]
                    while True:
                        run = open_run(handle, run_id)
                        run.process.set_participant(f"w{worker}-{n}", ["kommune"], by="kommune")
                        try:
                            run.save()
                            break
                        except ConflictError:
                            continue
            except BaseException as error:  # reported below
                failures.append(error)

        def follow() -> None:
            position = 0
            try:
                while True:
                    finished = done.is_set()
                    for change in follower.changes(after=position, limit=5):
                        seen.append((change.position, change.run_id, change.event.seq))
                        position = change.position
                    if finished and not follower.changes(after=position):
                        return
            except BaseException as error:  # reported below
                failures.append(error)

        reader = threading.Thread(target=follow)
        reader.start()
        threads = [
            threading.Thread(target=write, args=(worker, handle))
            for worker, handle in enumerate(writers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        done.set()
        reader.join(120)
        assert failures == []
        stored = {(run_id, e.seq) for run_id in runs for e in store.read_events(run_id)}
        started = len(start_sample(process.workflow).log)
        assert len(seen) == len(stored) == 3 * started + len(writers) * per_writer
        assert {(run_id, seq) for _, run_id, seq in seen} == stored
        assert [position for position, _, _ in seen] == list(range(1, len(seen) + 1))
