"""A writer killed with SIGKILL at random moments: every acknowledged append survives."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest
from attrs import evolve

from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.scenario.sample import start_sample
from sozialraumprozess.storage import FolderStore, create_run, open_run

pytestmark = pytest.mark.slow  # SIGKILL, many times: not in the quick suite

KILLS = 200  # per store
KILLS_PER_RUN = 25  # a fresh run now and then keeps logs short and the test fast


def _writer(
    factory: Callable[[Path], Any],
    make_event: Callable[[int, str], Any],
    path: Path,
    run_id: str,
    conn: Connection,
) -> None:
    store = factory(path)
    version = len(store.read_events(run_id))
    base = evolve(store.summary(run_id), version=version)
    conn.send(("ready", version))
    while True:
        seq = version + 1
        event = make_event(seq, f"p{seq}")
        version = store.append(
            run_id, [event], expected_version=version, summary=evolve(base, version=seq)
        )
        conn.send(version)  # acknowledged: append returned


def _stale_snapshot(path: Path, run_id: str) -> bool:
    folder = path / "runs" / run_id
    snapshot = json.loads((folder / "run.json").read_text("utf-8"))
    return bool(snapshot["log"]["bytes"] != (folder / "events.jsonl").stat().st_size)


def test_sigkill_during_appends_loses_no_acknowledged_event(
    kind: str,
    store_factory: Callable[[Path], Any],
    make_event: Callable[[int, str], Any],
    tmp_path: Path,
    workflow: Workflow,
) -> None:
    path = tmp_path / "store"
    store = store_factory(path)
    context = multiprocessing.get_context("fork")
    rng = random.Random(20250113)  # noqa: S311 - reproducible kill moments
    acknowledged_total = 0
    stale_seen = 0
    run_id = ""
    for kill in range(KILLS):
        if kill % KILLS_PER_RUN == 0:
            run_id = f"crash-{kill // KILLS_PER_RUN}"
            create_run(store, run_id, start_sample(workflow))
        ours, theirs = context.Pipe(duplex=False)
        writer = context.Process(
            target=_writer, args=(store_factory, make_event, path, run_id, theirs)
        )
        writer.start()
        theirs.close()
        assert ours.poll(30), "writer did not start"
        tag, start_version = ours.recv()
        assert tag == "ready"
        # Kill a writer in full swing: after its first acknowledged append (however
        # slow the disk is), at a random moment of the following appends.
        assert ours.poll(30), "writer acknowledged nothing"
        acked: list[int] = [ours.recv()]
        time.sleep(rng.uniform(0, 0.015))
        os.kill(writer.pid or 0, signal.SIGKILL)
        writer.join(30)
        assert writer.exitcode == -signal.SIGKILL
        while True:
            try:
                acked.append(ours.recv())
            except EOFError:
                break
        ours.close()
        assert acked == list(range(start_version + 1, start_version + 1 + len(acked)))
        acknowledged_total += len(acked)
        if kind == "folder" and _stale_snapshot(path, run_id):
            stale_seen += 1

        events = store.read_events(run_id)
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        if acked:
            assert len(events) >= acked[-1], f"kill {kill}: acknowledged seq {acked[-1]} lost"
        for seq in range(2, len(events) + 1):
            assert events[seq - 1].payload["name"] == f"p{seq}"
        process = store.load(run_id)
        assert process.log == events
        assert store.summary(run_id).version == len(events)

    print(f"{kind}: {acknowledged_total} acknowledged appends, {stale_seen} stale snapshots")
    assert acknowledged_total >= KILLS  # every kill hit a writer that had acknowledged
    if kind == "folder":
        assert stale_seen > 0  # some kills fell between log append and snapshot
    # after all the kills, a normal writer carries on and leaves a current snapshot
    run = open_run(store, run_id, workflow)
    run.process.set_participant("Nach dem Absturz", ["kommune"], by="kommune")
    run.save()
    assert store.load(run_id).log == run.process.log
    if isinstance(store, FolderStore):
        assert not _stale_snapshot(path, run_id)
        assert list((path / "runs" / run_id).glob(".*.tmp")) == []
    store.close()
