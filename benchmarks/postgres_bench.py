"""PostgreSQL store benchmark: ratios against baselines measured in the same run, on the
same server.

1. **One durable command** (``store.append`` of one event, a ``submit`` by a role,
   with its summary row: one statement, committed when it returns) against a bare
   psycopg ``INSERT`` of the same event row into a table with the same key,
   autocommit (the least a durable write of that row costs on this server).
   Interleaved, median of ``--appends`` each, with the quartiles of the pairs'
   ratios. For information also a command naming a new person (the store writes
   the run's person directory too) and the whole command through the application
   layer (``Service.set_participant``: load, replay, command, save).
2. **Concurrent writers**: ``--writers`` processes, each appending to its own run
   through its own store, against one such process; throughput ratio, in
   ``--rounds`` rounds. The bare insert is measured the same way, so the server's
   own scaling is in the same table.
3. **A large store**: ``--runs`` runs with about 24 events each on average, bulk-loaded
   with ``COPY`` (runs of the six-phase sample scenario cut at six lengths, one per
   phase, more runs in the early phases). Then, on a fresh store handle, best of 5:
   listing by phase (the largest phase and a middle one), pages of the largest
   phase (``list_runs(after=…, limit=…)``: the first, one from the middle, all of
   them), the portfolio against
   listing all runs, and opening one run against the same run in a store of one run.

The server: ``--url`` (or ``SOZIALRAUM_BENCH_POSTGRES``), a role that may create
databases; else a throwaway cluster started here with the server's default,
durable settings (``fsync``, ``synchronous_commit`` on), as in
``tests/conftest.py``. Its settings are printed.

Run: ``python benchmarks/postgres_bench.py`` (a few minutes; the large store takes
most) or ``--runs 5000`` for a quick look. ``--setting NAME=VALUE`` starts the
throwaway cluster with a setting other than the default (e.g. group commit:
``--setting commit_delay=1000``).
``--against COMMIT`` also times, interleaved in part 1, the append of the store at
that commit (its ``storage/postgres.py`` loaded beside this one, on this schema;
e.g. ``--against b775a6c``, the store before the hash chain).
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

from sozialraumprozess.app.service import Service
from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.serialize import PROCESS_FORMAT
from sozialraumprozess.scenario.sample import SCENARIO, run_sample, start_sample
from sozialraumprozess.storage import PostgresStore, create_run, open_run, run_pages
from sozialraumprozess.storage.chain import GENESIS, link
from sozialraumprozess.storage.codec import encode_events
from sozialraumprozess.storage.summary import RunSummary, summarize

SIX = "generationengerechte-sozialraumentwicklung"
SETTINGS = (
    "server_version",
    "fsync",
    "synchronous_commit",
    "wal_sync_method",
    "full_page_writes",
    "shared_buffers",
    "work_mem",
    "max_connections",
    "commit_delay",
    "commit_siblings",
    "wal_writer_delay",
)
#: The share of runs in each phase of the first cycle (identifizieren …
#: umsetzung_sichern): more runs early. See :func:`cuts`.
SHARES = (0.30, 0.25, 0.20, 0.10, 0.10, 0.05)


def cuts(workflow: Any, log: Sequence[Any]) -> list[tuple[int, float]]:
    """Cut lengths of the sample run and the share of runs at each: one length per
    phase of the first cycle, the run just entered into it (the first phase: half
    way through it), so each phase is listed with the runs of its share.
    About 24 events a run on average."""
    entered: list[int] = []
    phase = None
    for n in range(1, len(log) + 1):
        process = Process.replay(workflow, log[:n])
        if process.cycle > 1:
            break
        if process.phase != phase:
            entered.append(n)
            phase = process.phase
    lengths = [max(1, entered[1] // 2), *entered[1:]]
    return list(zip(lengths, SHARES, strict=True))


@contextmanager
def server(url: str | None, settings: dict[str, str] | None = None) -> Iterator[str]:
    """The URL of the server: given, or a throwaway cluster (stopped at the end) with
    the server's defaults and ``settings``."""
    if url:
        yield url
        return
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from conftest import PostgresCluster  # the tests' throwaway cluster

    cluster = PostgresCluster({"max_connections": "50", **(settings or {})})
    try:
        yield cluster.start()
    finally:
        cluster.stop()


def database(admin: str) -> str:
    """A new database on the server; its URL."""
    name = "bench_" + secrets.token_hex(4)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.rsplit("/", 1)[0] + "/" + name


def show_settings(url: str) -> None:
    with psycopg.connect(url) as conn:
        for name in SETTINGS:
            (value,) = conn.execute(f"SHOW {name}").fetchone()  # type: ignore[misc]
            print(f"  {name:20} {value}")


def prepared(
    run_id: str, appends: int, people: bool = False
) -> tuple[Process, list[tuple[Any, RunSummary]]]:
    """A started run and ``appends`` further events, each with the summary after it.

    The command: the sample's first ``submit`` (the *Auftrag*, by the role
    ``kommune``), a new version each time; with ``people``, ``set_participant`` of a
    new person each time (the store also writes the run's person directory, which
    grows by one person per command).
    """
    workflow = load_workflow(SIX)
    process = start_sample(workflow)
    start = Process.replay(workflow, process.log)
    submit = next(step for step in SCENARIO[0].steps if step.command == "submit")
    steps = []
    for n in range(appends):
        if people:
            process.set_participant(f"Teilnehmende {n}", ["kommune"], by="kommune")
        else:
            submit.run(process)
        steps.append((process.log[-1], summarize(run_id, process)))
    return start, steps


BARE_TABLE = (
    "CREATE TABLE IF NOT EXISTS public.bare (run_id text NOT NULL, seq integer NOT NULL, "
    "event text NOT NULL, PRIMARY KEY (run_id, seq))"
)


# --------------------------------------------------------------------------- 1. one command


def store_of(commit: str) -> Any:
    """The ``PostgresStore`` class of the library at ``commit`` (its ``storage/postgres.py``
    from git, loaded beside this one; the rest of the package is this one's)."""
    import importlib.util
    import shutil
    import subprocess
    import tempfile

    git = shutil.which("git") or "git"
    source = subprocess.run(
        [git, "show", f"{commit}:src/sozialraumprozess/storage/postgres.py"],
        check=True,
        capture_output=True,
        cwd=Path(__file__).parent,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "postgres_before.py"
    path.write_bytes(source)
    spec = importlib.util.spec_from_file_location("postgres_before", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PostgresStore


def one_command(admin: str, appends: int, against: str | None = None) -> None:
    url = database(admin)
    store = PostgresStore(url, create=True)
    start, steps = prepared("r", appends)
    create_run(store, "r", start)
    start_p, steps_p = prepared("p", appends, people=True)
    create_run(store, "p", start_p)
    named: list[float] = []
    # The store at another commit (e.g. before the hash chain), on a database of its own.
    before = store_of(against)(database(admin), create=True) if against else None
    if before is not None:
        create_run(before, "r", start)
    older: list[float] = []
    texts = [encode_events([event]).decode().rstrip("\n") for event, _ in steps]
    bare = psycopg.connect(url, autocommit=True)
    bare.execute(BARE_TABLE)
    # The same insert without waiting for the WAL flush: the difference is what the
    # server's disk adds to every durable commit (the ratios below depend on it).
    unflushed = psycopg.connect(url, autocommit=True)
    unflushed.execute("SET synchronous_commit = off")
    # psycopg's default: a transaction begun by the insert, then commit() (two round trips)
    committed = psycopg.connect(url)
    ours: list[float] = []
    base: list[float] = []
    nowait: list[float] = []
    default: list[float] = []
    for n, (event, summary) in enumerate(steps):
        started = time.perf_counter()
        bare.execute(
            "INSERT INTO public.bare (run_id, seq, event) VALUES (%s, %s, %s)",
            ("r", event.seq, texts[n]),
        )
        base.append(time.perf_counter() - started)
        started = time.perf_counter()
        unflushed.execute(
            "INSERT INTO public.bare (run_id, seq, event) VALUES (%s, %s, %s)",
            ("u", event.seq, texts[n]),
        )
        nowait.append(time.perf_counter() - started)
        started = time.perf_counter()
        committed.execute(
            "INSERT INTO public.bare (run_id, seq, event) VALUES (%s, %s, %s)",
            ("c", event.seq, texts[n]),
        )
        committed.commit()
        default.append(time.perf_counter() - started)
        started = time.perf_counter()
        store.append("r", [event], expected_version=event.seq - 1, summary=summary)
        ours.append(time.perf_counter() - started)
        event_p, summary_p = steps_p[n]
        started = time.perf_counter()
        store.append("p", [event_p], expected_version=event_p.seq - 1, summary=summary_p)
        named.append(time.perf_counter() - started)
        if before is not None:
            started = time.perf_counter()
            before.append("r", [event], expected_version=event.seq - 1, summary=summary)
            older.append(time.perf_counter() - started)
    bare.close()
    unflushed.close()
    committed.close()
    if before is not None:
        before.close()
    service = Service(store)
    full: list[float] = []
    for n in range(min(appends, 100)):
        started = time.perf_counter()
        service.set_participant("r", f"Über den Dienst {n}", ["kommune"], by="kommune")
        full.append(time.perf_counter() - started)
    store.close()
    b, o, f, p = (statistics.median(x) * 1e3 for x in (base, ours, full, named))
    pairs = statistics.quantiles([x / y for x, y in zip(ours, base, strict=True)], n=4)
    spread = f"pair by pair: quartiles {pairs[0]:4.2f}x, {pairs[1]:4.2f}x, {pairs[2]:4.2f}x"
    u = statistics.median(nowait) * 1e3
    print(f"  bare INSERT of the event row, autocommit   {b:7.3f} ms (median of {appends})")
    print(
        f"  the same without waiting for the flush     {u:7.3f} ms: the server's WAL flush "
        f"adds {b - u:5.3f} ms to a durable commit"
    )
    print(
        f"  store.append: one event + summary row      {o:7.3f} ms = {o / b:4.2f}x bare ({spread})"
    )
    print(f"  the same, naming a new person (directory)  {p:7.3f} ms = {p / b:4.2f}x bare")
    d = statistics.median(default) * 1e3
    print(
        f"  (psycopg's default: INSERT, then commit()  {d:7.3f} ms; store.append = "
        f"{o / d:4.2f}x that)"
    )
    if older:
        a = statistics.median(older) * 1e3
        print(f"  the same at {against:10}                  {a:7.3f} ms = {o / a:4.2f}x that")
    print(f"  Service command (load, replay, save)       {f:7.3f} ms = {f / b:4.2f}x bare")


# --------------------------------------------------------------------------- 2. writers


def _ticks(pid: int) -> float:
    """CPU seconds (user + system) the process ``pid`` has used (Linux ``/proc``; NaN for
    a server on another machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _writer(url: str, run_id: str, appends: int, bare: bool, ready: Any, go: Any, out: Any) -> None:
    """One writer process: ``appends`` durable writes, timed between two barriers; puts
    (wall seconds, own CPU seconds, its server backend's CPU seconds) on ``out``."""
    store = None if bare else PostgresStore(url, pool_size=1)
    conn = psycopg.connect(url, autocommit=True) if bare else None
    start, steps = prepared(run_id, appends)
    if store is not None:
        create_run(store, run_id, start)
        with store._pool.connection() as pooled:
            backend = pooled.info.backend_pid
    else:
        assert conn is not None
        backend = conn.info.backend_pid
    texts = [encode_events([event]).decode().rstrip("\n") for event, _ in steps]
    ready.wait()
    go.wait()
    started, cpu, server_cpu = time.perf_counter(), time.process_time(), _ticks(backend)
    for n, (event, summary) in enumerate(steps):
        if store is not None:
            store.append(run_id, [event], expected_version=event.seq - 1, summary=summary)
        else:
            assert conn is not None
            conn.execute(
                "INSERT INTO public.bare (run_id, seq, event) VALUES (%s, %s, %s)",
                (run_id, event.seq, texts[n]),
            )
    out.put(
        (
            time.perf_counter() - started,
            time.process_time() - cpu,
            _ticks(backend) - server_cpu,
        )
    )
    if store is not None:
        store.close()
    if conn is not None:
        conn.close()


def throughput(url: str, writers: int, appends: int, bare: bool) -> tuple[float, float, float]:
    """Appends per second of ``writers`` processes, each on its own run, and the CPU
    milliseconds per append of the writers and of their server backends."""
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Barrier(writers + 1)
    go = ctx.Barrier(writers + 1)
    out = ctx.Queue()
    tag = secrets.token_hex(3)
    procs = [
        ctx.Process(target=_writer, args=(url, f"w{tag}-{n}", appends, bare, ready, go, out))
        for n in range(writers)
    ]
    for proc in procs:
        proc.start()
    ready.wait()
    started = time.perf_counter()
    go.wait()
    results = [out.get(timeout=600) for _ in procs]
    wall = time.perf_counter() - started
    for proc in procs:
        proc.join(60)
    total = writers * appends
    client = sum(r[1] for r in results) / total * 1e3
    server = sum(r[2] for r in results) / total * 1e3
    return total / wall, client, server


def writers(admin: str, count: int, appends: int, rounds: int = 3) -> None:
    """``rounds`` rounds, each: bare inserts and store appends, one writer then
    ``count``; the ratio of each round, then the median and range of the rounds."""
    url = database(admin)
    PostgresStore(url, create=True).close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(BARE_TABLE)
    ratios: dict[bool, list[float]] = {True: [], False: []}
    for n in range(rounds):
        for bare in (True, False):
            one, _, _ = throughput(url, 1, appends, bare)
            many, client, server = throughput(url, count, appends, bare)
            ratios[bare].append(many / one)
            what = "bare INSERT " if bare else "store.append"
            print(
                f"  round {n + 1} {what} 1 writer {one:6.0f}/s  {count} writers {many:6.0f}/s"
                f"  = {many / one:4.2f}x one writer; CPU per write: client {client:5.2f} ms,"
                f" server {server:5.2f} ms"
            )
    for bare in (True, False):
        found = ratios[bare]
        what = "bare INSERT " if bare else "store.append"
        print(
            f"  {what}: {count} writers = {statistics.median(found):4.2f}x one writer "
            f"(median of {rounds} rounds; {min(found):4.2f}-{max(found):4.2f}x)"
        )
    # What the machine allows: the bare insert's scaling is the ceiling of any writer
    # that does more work per commit on the same cores.
    share = statistics.median(ratios[False]) / statistics.median(ratios[True])
    print(f"  store.append scales {share:4.0%} as well as the bare insert on this machine")


# --------------------------------------------------------------------------- 3. a large store


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def bulk_load(url: str, runs: int) -> tuple[int, dict[str, int]]:
    """``runs`` runs cut from the sample run, loaded with COPY; returns the events and
    the runs per phase."""
    import json

    workflow = load_workflow(SIX)
    full = run_sample(workflow)
    templates = []
    for length, share in cuts(workflow, full.log):
        process = Process.replay(workflow, full.log[:length])
        summary = summarize("x", process)
        lines = encode_events(process.log).decode().splitlines()
        hashes, head = [], GENESIS  # the same chain for every copy (no run id in an event)
        for line in lines:
            head = link(head, line.encode())
            hashes.append(head)
        templates.append((share, summary, list(zip(lines, hashes, strict=True))))
    counts = [round(share * runs) for share, _, _ in templates]
    counts[0] += runs - sum(counts)
    per_phase: dict[str, int] = {}
    position = 0
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        run_rows = io.StringIO()
        n = 0
        with cur.copy("COPY sozialraum.events (run_id, seq, event, event_hash) FROM STDIN") as copy:
            for (_, summary, lines), count in zip(templates, counts, strict=True):
                per_phase[summary.phase] = per_phase.get(summary.phase, 0) + count
                annual = json.dumps([dict(r) for r in summary.annual or ()], ensure_ascii=False)
                status = json.dumps(summary.status, ensure_ascii=False)
                tail = "\t".join(
                    _copy_text(v)
                    for v in (
                        summary.workflow.id,
                        summary.workflow.version,
                        summary.workflow.content_hash,
                        summary.title,
                        summary.phase,
                        summary.cycle,
                        summary.deadline,
                        summary.version,
                        summary.created_at.isoformat(),
                        summary.updated_at.isoformat(),
                        summary.blockers,
                        annual,
                        status,
                        PROCESS_FORMAT,
                        lines[-1][1],
                    )
                )
                escaped = [f"{_copy_text(line)}\t{digest}" for line, digest in lines]
                for _ in range(count):
                    n += 1
                    run_id = f"lauf-{n:06d}"
                    run_rows.write(f"{run_id}\t{tail}\n")
                    buffer = []
                    for seq, line in enumerate(escaped, start=1):
                        position += 1
                        buffer.append(f"{run_id}\t{seq}\t{line}\n")
                    copy.write("".join(buffer))
        with cur.copy(
            "COPY sozialraum.runs (run_id, workflow_id, workflow_version, content_hash, title, "
            "phase, cycle, deadline, version, created_at, updated_at, blockers, annual, status, "
            "process_format, head) FROM STDIN"
        ) as copy:
            copy.write(run_rows.getvalue())
        cur.execute(
            "INSERT INTO sozialraum.definitions (content_hash, workflow_id, workflow_version, "
            "definition) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (
                workflow.content_hash,
                workflow.id,
                workflow.version,
                json.dumps(workflow.to_dict(), ensure_ascii=False, separators=(",", ":")),
            ),
        )
        cur.execute(  # the change feed, as readers would have numbered it
            "INSERT INTO sozialraum.feed_entries (position, event_id) "
            "SELECT row_number() OVER (ORDER BY id), id FROM sozialraum.events"
        )
        cur.execute("UPDATE sozialraum.feed SET last = %s", (position,))
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return position, per_phase


def best(fn: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """Best wall-clock and best CPU time of this process (ms) over ``repeat`` calls.

    The CPU time is what the library spends on the client; on a machine shared with
    other work the wall-clock time adds the waits for a core (and for the server).
    """
    fn()  # warm: caches, the pool's first connection
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls) * 1e3, min(cpus) * 1e3


def server_ms(url: str, query: str, args: tuple[object, ...]) -> float:
    """The server's execution time of ``query`` (EXPLAIN ANALYZE), best of 3."""
    found = []
    with psycopg.connect(url) as conn:
        for _ in range(3):
            rows = conn.execute("EXPLAIN ANALYZE " + query, args).fetchall()  # type: ignore[arg-type]
            line = next(str(r[0]) for r in rows if str(r[0]).startswith("Execution Time"))
            found.append(float(line.split(":")[1].split()[0]))
    return min(found)


def large(admin: str, runs: int, loaded: str | None = None) -> None:
    if loaded is None:
        url = database(admin)
        PostgresStore(url, create=True).close()
        started = time.perf_counter()
        events, per_phase = bulk_load(url, runs)
        took = time.perf_counter() - started
        print(f"  loaded {runs:,} runs, {events:,} events with COPY in {took:.0f} s")
        print(f"  (database {url.rsplit('/', 1)[1]}: --loaded with its URL runs part 3 again)")
    else:  # a database this script loaded before (--loaded URL)
        url = loaded
        with psycopg.connect(url) as conn:
            rows = conn.execute("SELECT phase, count(*) FROM sozialraum.runs GROUP BY phase")
            per_phase = {str(phase): int(count) for phase, count in rows.fetchall()}
            (events,) = conn.execute("SELECT count(*) FROM sozialraum.events").fetchone()  # type: ignore[misc]
        runs = sum(per_phase.values())
        print(f"  the store at --loaded: {runs:,} runs, {events:,} events")
    store = PostgresStore(url)
    service = Service(store)
    ordered = sorted(per_phase.items(), key=lambda kv: -kv[1])
    listing = (
        "SELECT run_id, workflow_id, workflow_version, content_hash, title, phase, cycle, "
        "deadline, version, created_at, updated_at, blockers, annual FROM sozialraum.runs "
        "WHERE phase = %s ORDER BY run_id"
    )
    for phase, count in (ordered[0], ordered[len(ordered) // 2], ordered[-1]):
        wall, cpu = best(lambda phase=phase: store.list_runs(phase=phase), repeat=9)  # type: ignore[misc]
        assert len(store.list_runs(phase=phase)) == count
        on_server = server_ms(url, listing, (phase,))
        print(
            f"  list_runs(phase={phase!r}): {count:,} runs: {wall:6.1f} ms "
            f"(client CPU {cpu:5.1f} ms, server {on_server:5.1f} ms)"
        )
    # The paged listing a user interface shows: the first page, and a page deep in the
    # largest phase (its cursor: the run id before it); and all pages of that phase.
    phase, count = ordered[0]
    ids = [s.run_id for s in store.list_runs(phase=phase)]
    for size in (50, 500):
        first, first_cpu = best(lambda: store.list_runs(phase=phase, limit=size), repeat=9)  # noqa: B023
        cursor = ids[len(ids) // 2]
        deep, _ = best(lambda: store.list_runs(phase=phase, after=cursor, limit=size), repeat=9)  # noqa: B023
        print(
            f"  a page of {size} runs of phase {phase!r}: first {first:5.2f} ms "
            f"(client CPU {first_cpu:5.2f} ms), from the middle {deep:5.2f} ms"
        )
    paged, paged_cpu = best(lambda: sum(len(p) for p in run_pages(store, 500, phase=phase)), 5)
    print(
        f"  all {count:,} runs of {phase!r} in pages of 500: {paged:6.1f} ms "
        f"(client CPU {paged_cpu:5.1f} ms)"
    )
    every, every_cpu = best(lambda: store.list_runs(), repeat=3)
    folio, folio_cpu = best(lambda: service.portfolio(), repeat=3)
    print(f"  list_runs() all {runs:,} runs:  {every:7.1f} ms (client CPU {every_cpu:6.1f} ms)")
    print(
        f"  portfolio() all {runs:,} runs:  {folio:7.1f} ms (client CPU {folio_cpu:6.1f} ms) "
        f"= {folio / every:4.2f}x listing (CPU {folio_cpu / every_cpu:4.2f}x)"
    )
    # opening one run: the same 23-event run in this store and in a store of one run
    small = database(admin)
    alone = PostgresStore(small, create=True)
    workflow = load_workflow(SIX)
    template = Process.replay(workflow, run_sample(workflow).log[:23])
    create_run(alone, "lauf-000001", template)
    target = next(s.run_id for s in store.list_runs(phase=template.phase))
    big_ms, big_cpu = best(lambda: open_run(store, target), repeat=15)
    small_ms, small_cpu = best(lambda: open_run(alone, "lauf-000001"), repeat=15)
    print(
        f"  open_run (23 events): {big_ms:6.2f} ms in the large store, {small_ms:6.2f} ms in a "
        f"store of one run = {big_ms / small_ms:4.2f}x (CPU {big_cpu:5.2f} / {small_cpu:5.2f} ms)"
    )
    alone.close()
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("SOZIALRAUM_BENCH_POSTGRES"))
    parser.add_argument("--appends", type=int, default=300)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--writer-appends", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of part 2")
    parser.add_argument("--runs", type=int, default=50_000)
    parser.add_argument("--loaded", help="a database loaded by an earlier run (part 3 only)")
    parser.add_argument(
        "--against", help="also time the append of the store at this git commit (part 1)"
    )
    parser.add_argument("--skip", nargs="*", default=[], choices=["one", "writers", "large"])
    parser.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a server setting of the throwaway cluster (e.g. commit_delay=1000)",
    )
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.setting)
    with server(args.url, settings) as admin:
        what = "given" if args.url else "throwaway cluster, default settings"
        if settings and not args.url:
            what += " except " + ", ".join(f"{k}={v}" for k, v in settings.items())
        print(f"PostgreSQL ({what}):")
        show_settings(admin)
        print(f"CPUs: {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} at the start")
        if "one" not in args.skip:
            print("1. one durable command")
            one_command(admin, args.appends, args.against)
        if "writers" not in args.skip:
            print(f"2. {args.writers} concurrent writers on different runs")
            writers(admin, args.writers, args.writer_appends, args.rounds)
        if "large" not in args.skip:
            print(f"3. a store of {args.runs:,} runs")
            large(admin, args.runs, args.loaded)
        print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
