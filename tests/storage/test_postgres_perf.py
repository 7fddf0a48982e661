"""What the PostgreSQL store does to keep a command and a listing cheap (see
docs/explanation/performance.md), and that it stays correct doing so:

* an append that names a new person writes the person directory in the append's
  one statement, only over the directory it read; a directory changed meanwhile
  makes it a conflict with nothing written;
* pages of ``list_runs`` (``after``, ``limit`` on the server) add up to the listing.

Runs against the throwaway server of the ``postgres_url`` fixture (tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.errors import ConflictError, RunNotFound
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.scenario.sample import start_sample
from sozialraumprozess.storage import PostgresStore, create_run, open_run, summarize
from sozialraumprozess.storage.people import People

SIX = "generationengerechte-sozialraumentwicklung"


@pytest.fixture
def store(postgres_database: str) -> Iterator[PostgresStore]:
    """A new store in a new database."""
    opened = PostgresStore(postgres_database, create=True)
    yield opened
    opened.close()


def _people_rows(url: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT run_id, data FROM sozialraum.people").fetchall()


def test_a_new_person_is_written_with_the_events(
    store: PostgresStore, postgres_database: str
) -> None:
    """The first and a further new person: the directory holds them, the events name
    them by pseudonym only, and reading puts the names back."""
    process = start_sample(load_workflow(SIX))
    create_run(store, "r", process)
    assert _people_rows(postgres_database) == []
    for name in ("Anna Berger", "Bernd Krause"):
        process.set_participant(name, ["kommune"], by="kommune")
        store.append(
            "r",
            process.log[-1:],
            expected_version=len(process.log) - 1,
            summary=summarize("r", process),
        )
    ((run_id, data),) = _people_rows(postgres_database)
    assert run_id == "r"
    assert "Anna Berger" in data
    assert "Bernd Krause" in data
    with psycopg.connect(postgres_database) as conn:
        texts = [row[0] for row in conn.execute("SELECT event FROM sozialraum.events")]
    assert not any("Anna Berger" in text or "Bernd Krause" in text for text in texts)
    names = {p.name for p in open_run(store, "r").process.participants}
    assert {"Anna Berger", "Bernd Krause"} <= names
    assert {p.name for p in store.read_people("r").persons.values()} == {
        "Anna Berger",
        "Bernd Krause",
    }


class _Interleaved(PostgresStore):
    """A store that lets another writer change the run's person directory right after
    this one has read it (the race an append must notice)."""

    other: PostgresStore

    def _people_text(self, run_id: str) -> tuple[People, str | None]:
        read = super()._people_text(run_id)
        self.other.update_people(run_id, lambda people: People(people.persons, since=1))
        return read


def test_a_directory_changed_since_it_was_read_is_a_conflict_and_nothing_is_written(
    store: PostgresStore, postgres_database: str
) -> None:
    """Another writer changed the directory between read and append: ConflictError,
    no event, the run's row and the other writer's directory unchanged; the retry
    (reading anew) is stored."""
    process = start_sample(load_workflow(SIX))
    create_run(store, "r", process)
    process.set_participant("Anna Berger", ["kommune"], by="kommune")
    store.append("r", process.log[-1:], expected_version=len(process.log) - 1,
                 summary=summarize("r", process))  # fmt: skip
    racing = _Interleaved(postgres_database)
    racing.other = store
    try:
        process.set_participant("Bernd Krause", ["kommune"], by="kommune")
        before = _people_rows(postgres_database)
        with pytest.raises(ConflictError):
            racing.append("r", process.log[-1:], expected_version=len(process.log) - 1,
                          summary=summarize("r", process))  # fmt: skip
        after = _people_rows(postgres_database)
        assert after != before  # the other writer's change
        assert "Bernd Krause" not in after[0][1]
        assert store.summary("r").version == len(process.log) - 1
        assert len(store.read_events("r")) == len(process.log) - 1
        # the retry reads the directory anew and is stored
        store.append("r", process.log[-1:], expected_version=len(process.log) - 1,
                     summary=summarize("r", process))  # fmt: skip
        assert "Bernd Krause" in _people_rows(postgres_database)[0][1]
        assert store.read_people("r").since == 1  # the other writer's change kept
    finally:
        racing.close()


def test_an_append_naming_a_person_of_a_missing_run(store: PostgresStore) -> None:
    """No such run: RunNotFound from reading the directory, nothing written."""
    process = start_sample(load_workflow(SIX))
    process.set_participant("Anna Berger", ["kommune"], by="kommune")
    with pytest.raises(RunNotFound):
        store.append("gibt-es-nicht", process.log[-1:], expected_version=len(process.log) - 1,
                     summary=summarize("gibt-es-nicht", process))  # fmt: skip
    with pytest.raises(RunNotFound):
        store.read_people("gibt-es-nicht")


def test_pages_of_a_phase(store: PostgresStore) -> None:
    """Pages of one phase follow each other by run id, through every run."""
    workflow = load_workflow(SIX)
    for n in range(30):
        create_run(store, f"lauf-{n:02d}", start_sample(workflow))
    page = store.list_runs(phase="identifizieren", after="lauf-09", limit=5)
    assert [s.run_id for s in page] == [f"lauf-{n}" for n in range(10, 15)]
    seen, after = [], None
    while page := store.list_runs(phase="identifizieren", after=after, limit=7):
        seen += [s.run_id for s in page]
        after = page[-1].run_id
    assert seen == [f"lauf-{n:02d}" for n in range(30)]
    assert store.list_runs(phase="umsetzen", limit=5) == []


def test_an_append_commits_durably_before_the_wake_up(
    store: PostgresStore, postgres_database: str
) -> None:
    """The append's transaction commits with ``synchronous_commit`` on (durable when
    ``append`` returns), although the followers' wake-up sent in the same pipeline
    turns it off for its own transaction: a trigger deferred to the append's commit
    records the setting in force then, for a plain command and one naming a person."""
    with psycopg.connect(postgres_database, autocommit=True) as conn:
        conn.execute("CREATE TABLE public.seen (seq integer, setting text)")
        conn.execute(
            """CREATE FUNCTION public.note() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO public.seen VALUES (NEW.seq, current_setting('synchronous_commit'));
                RETURN NULL;
            END $$"""
        )
        conn.execute(
            "CREATE CONSTRAINT TRIGGER note_at_commit AFTER INSERT ON sozialraum.events "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.note()"
        )
    process = start_sample(load_workflow(SIX))
    create_run(store, "r", process)
    process.set_participant("Anna Berger", ["kommune"], by="kommune")
    process.set_participant("Kommune Ost", ["kommune"], by="kommune")
    for seq in (len(process.log) - 1, len(process.log)):
        then = Process.replay(process.workflow, process.log[:seq])
        store.append(
            "r", process.log[seq - 1 : seq], expected_version=seq - 1, summary=summarize("r", then)
        )
    with psycopg.connect(postgres_database) as conn:
        seen = conn.execute("SELECT seq, setting FROM public.seen ORDER BY seq").fetchall()
    first = len(process.log) - 1
    assert seen[-2:] == [(first, "on"), (first + 1, "on")]


def test_a_pooled_connection_the_server_terminated_while_idle_is_replaced(
    store: PostgresStore, postgres_database: str
) -> None:
    """The pool checks a connection by a query only when its socket has something to
    read; a backend terminated while idle is noticed so and replaced: the next
    command and read work, as before the check skipped the query."""
    process = start_sample(load_workflow(SIX))
    create_run(store, "r", process)
    with store._pool.connection() as pooled:
        pid = pooled.info.backend_pid
    with psycopg.connect(postgres_database, autocommit=True) as killer:
        assert killer.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)
    for _ in range(100):  # until the server has closed the session
        with psycopg.connect(postgres_database, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone():
                break
    process.set_participant("Kommune Ost", ["kommune"], by="kommune")
    seq = len(process.log)
    assert store.append("r", process.log[-1:], expected_version=seq - 1,
                        summary=summarize("r", process)) == seq  # fmt: skip
    assert store.summary("r").version == seq
    with store._pool.connection() as pooled:
        assert pooled.info.backend_pid != pid
