"""Two OS processes appending to one run: each append lands exactly once or conflicts."""

from __future__ import annotations

import multiprocessing
import random
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest
from attrs import evolve

from sozialraumprozess import ConflictError
from sozialraumprozess.definition.model import Workflow
from sozialraumprozess.scenario.sample import start_sample
from sozialraumprozess.storage import create_run

pytestmark = pytest.mark.slow  # OS processes racing: not in the quick suite

ATTEMPTS_PER_WORKER = 600  # two workers: 1,200 attempts per store
RUN = "wettlauf"


def _worker(
    factory: Callable[[Path], Any],
    make_event: Callable[[int, str], Any],
    path: Path,
    worker: int,
    conn: Connection,
) -> None:
    store = factory(path)
    base = store.summary(RUN)
    version = base.version
    landed: list[str] = []
    conflicts = 0
    rng = random.Random(worker)  # noqa: S311 - timing jitter, not secrets
    conn.send("ready")
    conn.recv()  # "go": both start together
    for attempt in range(ATTEMPTS_PER_WORKER):
        name = f"w{worker}-{attempt:04d}"
        if attempt % 2:  # read-modify-write, as an application does: a window for the other
            version = store.summary(RUN).version
        time.sleep(rng.uniform(0, 0.0005))  # "work" between reading and saving
        event = make_event(version + 1, name)
        try:
            version = store.append(
                RUN, [event], expected_version=version, summary=evolve(base, version=version + 1)
            )
            landed.append(name)
        except ConflictError as error:
            conflicts += 1
            version = error.actual
    conn.send((landed, conflicts))
    store.close()


def test_two_processes_append_without_loss_or_duplicates(
    store_factory: Callable[[Path], Any],
    make_event: Callable[[int, str], Any],
    tmp_path: Path,
    workflow: Workflow,
) -> None:
    path = tmp_path / "store"
    store = store_factory(path)
    create_run(store, RUN, start_sample(workflow))
    context = multiprocessing.get_context("fork")
    pipes, workers = [], []
    for worker in (1, 2):
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_worker, args=(store_factory, make_event, path, worker, theirs)
        )
        process.start()
        pipes.append(ours)
        workers.append(process)
    for pipe in pipes:
        assert pipe.poll(30)
        assert pipe.recv() == "ready"
    for pipe in pipes:
        pipe.send("go")
    results = []
    for pipe in pipes:
        assert pipe.poll(120), "worker did not finish"
        results.append(pipe.recv())
    for process in workers:
        process.join(30)
        assert process.exitcode == 0

    landed = [name for names, _ in results for name in names]
    conflicts = sum(count for _, count in results)
    assert len(landed) + conflicts == 2 * ATTEMPTS_PER_WORKER
    print(f"{len(landed)} landed, {conflicts} conflicts")
    assert conflicts > 0, "the two writers never raced"
    events = store.read_events(RUN)
    assert [event.seq for event in events] == list(range(1, len(events) + 1))
    stored = [event.payload["name"] for event in events[1:]]
    assert len(stored) == len(set(stored)) == len(landed)  # nothing duplicated
    assert sorted(stored) == sorted(landed)  # nothing lost, nothing extra
    for names, _ in results:  # each writer's appends are in its own order
        mine = set(names)
        assert [name for name in stored if name in mine] == names
    process = store.load(RUN)
    assert len(process.participants) == len(landed)
    assert store.summary(RUN).version == len(events)
    store.close()
