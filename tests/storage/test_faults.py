"""Stores under damage: a full disk, a read-only store, links inside a store, a damaged
SQLite file (issue 13 §2 and §5).

The full disk is a small tmpfs where this machine lets us mount one (root in a
sandbox or CI); elsewhere a fault-injecting layer at the store's system-call
boundary (``os`` as the folder store's modules see it; SQLite's own
``max_page_count``) stands in, and the test says which one ran. The read-only
store is a read-only bind mount (or, for a user other than root, a store
without write permission). Every command runs through the CLI as a consultant
would type it: no tracebacks, no duplicates after a retry with the same
idempotency key, no acknowledged event lost.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sozialraumprozess.app import Service
from sozialraumprozess.cli import sozialraum
from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.errors import CorruptRunError, NotAStore, StoreError, StoreLinkRefused
from sozialraumprozess.storage import FolderStore, SqliteStore, folder as folder_module, fsutil

SIX = "generationengerechte-sozialraumentwicklung"
PAGE = 4096


def _mount(*args: str) -> bool:
    done = subprocess.run(["mount", *args], capture_output=True, check=False)
    return done.returncode == 0


def _umount(path: Path) -> None:
    done = subprocess.run(["umount", str(path)], capture_output=True, check=False)
    if done.returncode:
        subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


def _url(kind: str, root: Path) -> str:
    return str(root / "store") if kind == "folder" else f"sqlite://{root}/s.db"


def _start(url: str) -> None:
    service = Service.open(url, create=True)
    service.start("ost", load_workflow(SIX), sozialraum="Ost", idempotency_key="start")
    service.close()


def _cli(*args: str) -> Result:
    result = CliRunner().invoke(sozialraum, [*args, "--lang", "en"])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"traceback for {args}: {result.exception!r}\n{result.output}"
    )
    assert "Traceback" not in result.output
    return result


def _add_to(url: str, name: str, key: str) -> Result:
    return _cli(
        "participant",
        "add",
        name,
        "--role",
        "kommune",
        "--as",
        "kommune",
        "--store",
        url,
        "--idempotency-key",
        key,
    )


def _keys(url: str) -> list[str | None]:
    service = Service.open(url)
    try:
        return [e.key for e in service.store.read_events("ost")]
    finally:
        service.close()


# --------------------------------------------------------------------------- full disk


class _FullOs:
    """``os`` as the folder store sees it, with a disk that holds ``budget`` more bytes:
    ``write`` writes what fits, then fails with ``ENOSPC`` (as a full disk does)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget

    def write(self, fd: int, data: Any) -> int:
        if self.budget <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        part = bytes(data[: self.budget])
        written = os.write(fd, part)
        self.budget -= written
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


@contextlib.contextmanager
def _disk(root: Path, layer: str) -> Iterator[str]:
    """A 4 MB tmpfs at ``root`` if it can be mounted ("tmpfs"), else (or with ``layer``
    "injected") ``root`` as it is: the caller limits space with the fault layer."""
    root.mkdir()
    if layer == "tmpfs" and _mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", str(root)):
        try:
            yield "tmpfs"
        finally:
            _umount(root)
    else:
        yield "injected"


def _fill(root: Path, leave: int) -> Path:
    """Fill the tmpfs at ``root`` up, then free ``leave`` bytes again."""
    filler = root / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * PAGE)
    finally:
        os.close(fd)
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - leave))
    return filler


@pytest.mark.parametrize("layer", ["tmpfs", "injected"])
@pytest.mark.parametrize("kind", ["folder", "sqlite"])
def test_full_disk_no_traceback_no_duplicate_no_loss(
    kind: str, layer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Commands on a full disk either succeed (their event durable) or fail with a clear
    message naming the idempotency key; retried with the key once there is space, each
    is stored exactly once."""
    outcomes: list[tuple[int, int]] = []
    stale_successes = 0
    with _disk(tmp_path / "disk", layer) as mode:
        # The log grows by one line per earlier event, so over the cases the new line
        # falls before, on and after the boundary of a page; a few pages are free
        # (SQLite's write-ahead log needs more room per commit than a log line).
        free = (0, 1, 3) if kind == "folder" else (0, 8, 32)
        for case, (earlier, leave) in enumerate((e, p) for e in range(0, 14, 2) for p in free):
            root = tmp_path / "disk" / f"case{case}"
            root.mkdir()
            url = _url(kind, root)
            _start(url)
            service = Service.open(url)
            for number in range(earlier):
                service.set_participant("ost", f"E{number}", ["kommune"], by="kommune")
            service.close()
            key = f"cmd-{case}"
            if mode == "tmpfs":
                filler = _fill(tmp_path / "disk", leave * PAGE)
                first = _add_to(url, f"P{leave}", key)
                filler.unlink()
            elif kind == "folder":
                # a line ~300 bytes, people.json ~150 bytes a person (rewritten), run.json ~3 kB
                fake = _FullOs(earlier * 220 + leave * 200)
                monkeypatch.setattr(fsutil, "os", fake)
                monkeypatch.setattr(folder_module, "os", fake)
                first = _add_to(url, f"P{leave}", key)
                monkeypatch.undo()
            else:
                conn = sqlite3.connect(root / "s.db")
                pages = conn.execute("PRAGMA page_count").fetchone()[0]
                conn.close()
                monkeypatch.setattr(SqliteStore, "_configure", _limited(pages + leave // 8))
                first = _add_to(url, f"P{leave}", key)
                monkeypatch.undo()
            outcomes.append((case, first.exit_code))
            if first.exit_code:
                assert "Cannot write to the store" in first.output, first.output
                assert f"--idempotency-key {key}" in first.output
            else:
                stale_successes += kind == "folder" and _stale(root)
            retry = _add_to(url, f"P{leave}", key)
            assert retry.exit_code == 0, retry.output
            keys = _keys(url)
            assert keys == ["start", *[None] * earlier, key]  # once, nothing acknowledged lost
            service = Service.open(url)
            assert service.verify("ost")[0].ok
            service.close()
            shutil.rmtree(root)
    codes = {code for _, code in outcomes}
    assert codes == {0, 1}, f"{mode}: the disk never ran full or never had room: {outcomes}"
    if kind == "folder":
        assert stale_successes, f"{mode}: no case where only run.json failed: {outcomes}"
    print(f"\n{kind} on {mode}: {outcomes}, durable with a stale run.json: {stale_successes}")


def _stale(root: Path) -> bool:
    """True if the run's run.json is older than its log (the summary rewrite failed)."""
    run = root / "store" / "runs" / "ost"
    import json

    data = json.loads((run / "run.json").read_text("utf-8"))
    return bool(data["log"]["bytes"] != (run / "events.jsonl").stat().st_size)


def _limited(pages: int) -> Any:
    original = SqliteStore._configure

    def configure(self: SqliteStore, conn: sqlite3.Connection) -> None:
        original(self, conn)
        conn.execute(f"PRAGMA max_page_count = {int(pages)}")

    return configure


# --------------------------------------------------------------------------- read-only


@contextlib.contextmanager
def _read_only(source: Path, view: Path) -> Iterator[str]:
    """``source`` seen read-only at ``view``: a read-only bind mount, or (not root)
    ``source`` itself without write permission."""
    view.mkdir()
    if _mount("--bind", str(source), str(view)):
        if _mount("-o", "remount,bind,ro", str(view)):
            try:
                yield "mount"
            finally:
                _umount(view)
            return
        _umount(view)
    if os.geteuid() == 0:
        pytest.fail("cannot make a read-only store here: no bind mount, and root ignores chmod")
    view.rmdir()
    view.symlink_to(source)
    modes = {p: p.stat().st_mode for p in [source, *source.rglob("*")]}
    for path in modes:
        path.chmod(modes[path] & ~0o222)
    try:
        yield "chmod"
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


@pytest.mark.parametrize("kind", ["folder", "sqlite"])
def test_read_only_store(kind: str, tmp_path: Path) -> None:
    """Read commands work on a read-only store without creating anything; a write says
    clearly that the store cannot be written."""
    source = tmp_path / "src"
    source.mkdir()
    _start(_url(kind, source))
    assert _add_to(_url(kind, source), "Anna", "k1").exit_code == 0
    for lock in source.rglob(".lock"):
        lock.unlink()
    before = sorted(p.name for p in source.rglob("*"))
    with _read_only(source, tmp_path / "ro") as how:
        url = _url(kind, tmp_path / "ro")
        for args in (
            ["status", "--store", url, "--json"],
            ["history", "--store", url],
            ["verify", "--store", url, "--all"],
            ["report", "--store", url, "--output", "-"],
        ):
            done = _cli(*args)
            assert done.exit_code == 0, f"{how}: {args}: {done.output}"
        assert "Anna" in _cli("history", "--store", url).output
        assert "<html" in _cli("report", "--store", url, "-o", "-").output
        refused = _add_to(url, "Bert", "k2")
        assert refused.exit_code == 1
        assert "Cannot write to the store" in refused.output, refused.output
        assert "--idempotency-key k2" in refused.output
    assert sorted(p.name for p in source.rglob("*")) == before  # nothing created, no .lock


def test_reads_do_not_create_the_lock_file(tmp_path: Path) -> None:
    """history, status and verify of a writable folder store leave no ``.lock`` behind."""
    url = str(tmp_path / "store")
    _start(url)
    lock = tmp_path / "store" / "runs" / "ost" / ".lock"
    lock.unlink()
    for args in (["history"], ["status"], ["verify"], ["report", "-o", "-"]):
        assert _cli(*args, "--store", url).exit_code == 0
    assert not lock.exists()
    assert _add_to(url, "Anna", "k").exit_code == 0  # writers make it again


# --------------------------------------------------------------------------- links


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A folder store with run ``ost`` and a folder outside it; returns (store, run, outside)."""
    url = str(tmp_path / "store")
    _start(url)
    outside = tmp_path / "outside"
    outside.mkdir()
    return tmp_path / "store", tmp_path / "store" / "runs" / "ost", outside


@pytest.mark.parametrize("name", ["events.jsonl", "run.json", ".lock"])
def test_a_linked_run_file_is_refused(linked: tuple[Path, Path, Path], name: str) -> None:
    """A run file that is a link (to a copy outside) is neither read nor written through."""
    store, run, outside = linked
    target = outside / name
    shutil.copy(run / name, target)
    original = target.read_bytes()
    (run / name).unlink()
    (run / name).symlink_to(target)
    reader = FolderStore(store, create=False)
    with pytest.raises(StoreLinkRefused) as caught:
        reader.load("ost")
    assert name in caught.value.message("en")
    assert "symbolic link" in caught.value.message("en")
    done = _add_to(str(store), "Mallory", "k")
    assert done.exit_code == 1
    assert "symbolic link" in done.output
    assert target.read_bytes() == original


def test_a_linked_run_folder_is_refused(linked: tuple[Path, Path, Path]) -> None:
    """A run folder that is a link to a folder elsewhere is refused by name."""
    store, run, outside = linked
    shutil.move(str(run), outside / "ost")
    run.symlink_to(outside / "ost")
    with pytest.raises(StoreLinkRefused) as caught:
        FolderStore(store, create=False).read_events("ost")
    assert caught.value.path == str(run)
    history = _cli("history", "--store", str(store))
    assert history.exit_code == 1
    assert "symbolic link" in history.output


def test_documents_and_report_are_not_written_through_links(
    linked: tuple[Path, Path, Path],
) -> None:
    """``render`` into a linked documents folder, a linked document, and ``report`` onto a
    linked bericht.en.html are refused; nothing outside changes."""
    store, run, outside = linked
    shutil.rmtree(run / "documents")
    (run / "documents").symlink_to(outside)
    done = _cli("render", "--store", str(store))
    assert done.exit_code == 1
    assert "symbolic link" in done.output
    assert list(outside.iterdir()) == []
    (run / "documents").unlink()
    (run / "documents").mkdir()
    victim = outside / "victim.txt"
    victim.write_text("keep", "utf-8")
    (run / "documents" / "auftrag.md").symlink_to(victim)
    assert _cli("render", "--store", str(store)).exit_code == 1
    (run / "bericht.en.html").symlink_to(victim)  # the report in English (_cli: --lang en)
    report = _cli("report", "--store", str(store))
    assert report.exit_code == 1
    assert "symbolic link" in report.output
    assert victim.read_text("utf-8") == "keep"


# --------------------------------------------------------------------------- damaged SQLite


def _damaged(tmp_path: Path, how: str) -> Path:
    path = tmp_path / "s.db"
    _start(f"sqlite://{path}")
    data = path.read_bytes()
    if how == "truncated":
        data = data[: len(data) // 2 + 100]
    elif how == "zeroed page":
        data = data[:PAGE] + b"\0" * PAGE + data[2 * PAGE :]
    elif how == "garbage after the header":
        data = data[:16] + b"\xa5" * (len(data) - 16)
    elif how == "header only":
        data = data[:100]
    path.write_bytes(data)
    return path


def _open_and_read(path: Path) -> None:
    store = SqliteStore(path, create=False)
    try:
        store.verify("ost")
        store.load("ost")
        store.check_file()
    finally:
        store.close()


@pytest.mark.parametrize(
    "how", ["truncated", "zeroed page", "garbage after the header", "header only"]
)
def test_a_damaged_sqlite_file_is_a_store_error_naming_it(tmp_path: Path, how: str) -> None:
    """Never a raw sqlite3 exception: a StoreError (CorruptRunError or NotAStore) that
    names the file, from the library and from the CLI."""
    path = _damaged(tmp_path, how)
    with pytest.raises(StoreError) as caught:
        _open_and_read(path)
    assert isinstance(caught.value, CorruptRunError | NotAStore)
    assert str(path) in caught.value.message("en")
    for args in (["history"], ["verify", "--all"], ["status"]):
        done = _cli(*args, "--store", f"sqlite://{path}")
        assert done.exit_code == 1, f"{how} {args}: {done.output}"
        assert str(path) in done.output
        assert "sqlite3." not in done.output


def test_a_read_only_schema_2_sqlite_store_is_read_as_it_is(tmp_path: Path) -> None:
    """An old SQLite store that cannot be migrated (read-only) is read unchained, and
    ``verify`` says so; writing is refused clearly."""
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "sqlite-v2.sqlite", source / "s.db")
    workflow = load_workflow(Path(__file__).parent / "fixtures" / "workflow-v2.yaml")
    before = (source / "s.db").read_bytes()
    with _read_only(source, tmp_path / "ro"):
        store = SqliteStore(tmp_path / "ro" / "s.db", create=False, resolver=lambda _: workflow)
        try:
            assert store.read_only
            assert (store.schema, store.chained) == (2, False)
            checked = store.verify("schwerte-ost")
            assert (checked.events, checked.head) == (55, None)
            assert len(store.load("schwerte-ost").log) == 55
            with pytest.raises(StoreError, match="read-only"):
                store.delete("schwerte-ost")
        finally:
            store.close()
        url = f"sqlite://{tmp_path / 'ro' / 's.db'}"
        done = _cli("verify", "--store", url)
        assert done.exit_code == 0
        assert "without a hash chain yet" in done.output
    assert (source / "s.db").read_bytes() == before
    assert sorted(p.name for p in source.iterdir()) == ["s.db"]
