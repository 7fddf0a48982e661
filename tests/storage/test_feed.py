"""The change feed where each store keeps it: the folder store's feed.jsonl (crash
completion, stores from before the feed) and the follower helper of the app layer."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from sozialraumprozess.app.feed import follow
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.errors import CorruptRunError
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario.sample import start_sample
from sozialraumprozess.storage import FolderStore, SqliteStore, create_run, open_run
from sozialraumprozess.storage.codec import encode_events
from sozialraumprozess.storage.feed import FEED_FILE

from .conftest import FIXTURES


def _feed_lines(root: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (root / FEED_FILE).read_text("utf-8").splitlines()]


def test_folder_feed_file_names_run_seq_and_incarnation(tmp_path: Path, sample: Process) -> None:
    """feed.jsonl has one line per event; a re-created run gets a new incarnation."""
    root = tmp_path / "store"
    store = FolderStore(root)
    create_run(store, "r1", start_sample(sample.workflow))
    first = (root / "runs" / "r1" / ".incarnation").read_text("ascii")
    assert len(first) == 16
    store.delete("r1")
    create_run(store, "r1", start_sample(sample.workflow))
    second = (root / "runs" / "r1" / ".incarnation").read_text("ascii")
    assert first != second
    lines = _feed_lines(root)
    assert [(line["position"], line["run"], line["seq"]) for line in lines] == [
        (1, "r1", 1),
        (2, "r1", 1),
    ]
    assert [line["incarnation"] for line in lines] == [first, second]
    assert [c.position for c in store.changes()] == [2]


def test_events_stored_before_a_crash_join_the_feed(tmp_path: Path, workflow: Workflow) -> None:
    """A writer killed after its events reached the log but before the feed lines did
    leaves a note; whoever takes the feed lock next lists those events (in order)."""
    root = tmp_path / "store"
    store = FolderStore(root)
    run = create_run(store, "r1", start_sample(workflow))
    run.process.set_participant("A", ["kommune"], by="kommune")
    run.process.set_participant("B", ["kommune"], by="kommune")
    new = run.process.log[1:]
    # What the writer had done when it died: the note, then the events (fsynced).
    incarnation = (root / "runs" / "r1" / ".incarnation").read_text("ascii")
    note = {"run": "r1", "incarnation": incarnation, "first": 2, "last": 3}
    (root / ".feed.pending").write_text(json.dumps(note), "utf-8")
    with (root / "runs" / "r1" / "events.jsonl").open("ab") as log:
        log.write(encode_events(new))
    # and a torn feed line of a third writer that never got to write its events
    with (root / FEED_FILE).open("ab") as feed:
        feed.write(b'{"incarnation": "x", "posi')
    assert [(c.position, c.event.seq) for c in store.changes()] == [(1, 1), (2, 2), (3, 3)]
    assert not (root / ".feed.pending").exists()
    assert (root / FEED_FILE).read_bytes().endswith(b"}\n")
    again = open_run(store, "r1")  # the log wins over the stale run.json
    again.process.set_participant("C", ["kommune"], by="kommune")
    again.save()
    assert [c.position for c in store.changes(after=3)] == [4]


def test_a_note_of_a_write_that_stored_nothing_adds_nothing(
    tmp_path: Path, workflow: Workflow
) -> None:
    """A note whose events never reached the log (the writer died before) is dropped."""
    root = tmp_path / "store"
    store = FolderStore(root)
    create_run(store, "r1", start_sample(workflow))
    incarnation = (root / "runs" / "r1" / ".incarnation").read_text("ascii")
    note = {"run": "r1", "incarnation": incarnation, "first": 2, "last": 2}
    (root / ".feed.pending").write_text(json.dumps(note), "utf-8")
    assert [c.position for c in store.changes()] == [1]
    assert not (root / ".feed.pending").exists()
    (root / ".feed.pending").write_text('{"run": "r1", "inc', "utf-8")  # torn note
    assert [c.position for c in store.changes()] == [1]
    assert not (root / ".feed.pending").exists()


@pytest.mark.parametrize("name", ["folder-v1", "folder-v2"])
def test_a_store_from_before_the_feed_gets_one(name: str, tmp_path: Path) -> None:
    """A folder store written before the feed existed gets feed.jsonl on first use:
    every stored event, by time; new events follow."""
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    assert not (target / FEED_FILE).exists()
    store = FolderStore(target, create=False)
    every = store.changes()
    assert [c.position for c in every] == list(range(1, len(every) + 1))
    assert [c.event for c in every] == list(store.read_events("schwerte-ost"))
    times = [c.event.time for c in every]
    assert times == sorted(times)
    assert (target / FEED_FILE).exists()


def test_a_damaged_feed_line_is_refused(tmp_path: Path, workflow: Workflow) -> None:
    """A feed line that is not JSON (in the middle of the file) is a CorruptRunError
    naming the feed file."""
    root = tmp_path / "store"
    store = FolderStore(root)
    create_run(store, "r1", start_sample(workflow))
    create_run(store, "r2", start_sample(workflow))
    lines = (root / FEED_FILE).read_bytes().splitlines(keepends=True)
    (root / FEED_FILE).write_bytes(b"kaputt\n" + lines[1])
    with pytest.raises(CorruptRunError) as caught:
        store.changes()
    assert caught.value.path == str(root / FEED_FILE)
    assert "a line of the change feed is unreadable" in caught.value.message("en")


def test_the_feed_of_a_large_folder_store_is_found_by_bisection(
    tmp_path: Path, workflow: Workflow
) -> None:
    """Reading after a position far into a long feed gives exactly the tail."""
    root = tmp_path / "store"
    store = FolderStore(root)
    run = create_run(store, "r1", start_sample(workflow))
    for n in range(300):
        run.process.set_participant(f"P{n}", ["kommune"], by="kommune")
    run.save()
    assert (root / FEED_FILE).stat().st_size > 4 * 4096
    for after in (0, 1, 150, 299, 300, 301):
        assert [c.position for c in store.changes(after=after, limit=3)] == [
            p for p in range(after + 1, after + 4) if p <= 301
        ]


def test_follow_yields_then_waits_and_stops(tmp_path: Path, workflow: Workflow) -> None:
    """``follow`` gives what is stored, then what a writer stores later (polling a store
    that cannot wake it), and stops when asked."""
    store = SqliteStore(tmp_path / "p.db")
    create_run(store, "r1", start_sample(workflow))
    assert [c.position for c in follow(store, once=True)] == [1]
    stopped = threading.Event()
    got: list[int] = []

    def later() -> None:
        run = open_run(store, "r1")
        run.process.set_participant("Neu", ["kommune"], by="kommune")
        run.save()

    timer = threading.Timer(0.2, later)
    timer.start()
    for change in follow(store, after=1, poll=0.05, batch=1, stop=stopped.is_set):
        got.append(change.position)
        stopped.set()
    timer.join()
    assert got == [2]
    with pytest.raises(ValueError, match="poll"):
        list(follow(store, poll=0))
    with pytest.raises(ValueError, match="after"):
        list(follow(store, after=-1))
    store.close()
