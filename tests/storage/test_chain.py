"""The hash chain: its rules, and the recorded upgrade of stores written before it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.errors import CorruptRunError
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.storage import FolderStore, SqliteStore, create_run, open_run
from sozialraumprozess.storage.chain import (
    GENESIS,
    canonical,
    chain_line,
    is_hash,
    link,
    split_line,
    verify_links,
)
from sozialraumprozess.storage.codec import encode_events
from sozialraumprozess.storage.people import pseudonymize

from .conftest import FIXTURES, digest

FIXTURE_WORKFLOW = FIXTURES / "workflow-v1.yaml"


class TestRules:
    def test_a_line_is_its_content_with_the_hash_last(self) -> None:
        """chain_line puts the hash last; split_line gets content and hash back."""
        content = b'{"a":1,"b":"\xc3\xa4"}'
        line, digest_ = chain_line(content, GENESIS)
        assert line == content[:-1] + b',"hash":"' + digest_.encode() + b'"}'
        assert split_line(line.decode()) == (content.decode(), digest_)
        assert json.loads(line)["hash"] == digest_ == link(GENESIS, content)
        assert canonical(json.loads(line)) == content
        assert is_hash(digest_)

    @pytest.mark.parametrize(
        "line",
        [
            '{"a":1}',
            '{"a":1,"hash":"' + "0" * 63 + '"}',
            '{"a":1,"hash":"' + "G" * 64 + '"}',
            '{"a":1,"hash":"' + "0" * 64 + '"} ',
            '{"a":1,"hash": "' + "0" * 64 + '"}',
        ],
    )
    def test_lines_without_a_proper_hash_are_not_split(self, line: str) -> None:
        """Anything but exactly ``,"hash":"<64 lowercase hex>"}`` at the end is no hash."""
        assert split_line(line) is None

    def test_verify_links_names_the_first_break(self) -> None:
        """verify_links stops at the first pair whose hash does not follow."""
        contents = [b'{"n":1}', b'{"n":2}', b'{"n":3}']
        hashes, prev = [], GENESIS
        for content in contents:
            prev = link(prev, content)
            hashes.append(prev)
        assert verify_links(zip(contents, hashes, strict=True)).head == hashes[-1]
        changed = [contents[0], b'{"n":9}', contents[2]]
        found = verify_links(zip(changed, hashes, strict=True))
        assert found.broken is not None
        assert (found.broken.index, found.count, found.head) == (1, 1, hashes[0])

    def test_the_folder_log_is_chained_json_lines(self, tmp_path: Path, sample: Process) -> None:
        """Each line is valid JSON: the event as before plus its hash, last."""
        store = FolderStore(tmp_path)
        create_run(store, "r", sample)
        lines = (tmp_path / "runs" / "r" / "events.jsonl").read_bytes().splitlines()
        stored, _ = pseudonymize(sample.log, store.read_people("r"))  # names stay out
        plain = encode_events(stored).splitlines()
        prev = GENESIS
        for line, content in zip(lines, plain, strict=True):
            assert line.startswith(content[:-1])
            prev = link(prev, content)
            assert json.loads(line)["hash"] == prev
        run_json = json.loads((tmp_path / "runs" / "r" / "run.json").read_text("utf-8"))
        assert run_json["summary"]["head"] == prev


class TestUpgrade:
    def test_a_format_1_folder_store_is_read_unchained_then_upgraded_on_write(
        self, tmp_path: Path
    ) -> None:
        """Reads leave an old store as it is; the first write chains every run and
        records the upgrade with each run's head in the marker file."""
        workflow = load_workflow(FIXTURE_WORKFLOW)
        target = tmp_path / "folder-v1"
        shutil.copytree(FIXTURES / "folder-v1", target)
        before = digest(target)
        store = FolderStore(target, create=False, resolver=lambda _: workflow)
        checked = store.verify("schwerte-ost")
        assert (checked.events, checked.head, checked.chained) == (55, None, False)
        assert len(open_run(store, "schwerte-ost").process.log) == 55
        assert digest(target) == before  # reading changed nothing (no .lock, no upgrade)

        run = open_run(store, "schwerte-ost")
        run.process.set_participant("Neu", ["kommune"], by="kommune")
        run.save()
        marker = json.loads((target / "sozialraumprozess-store.json").read_text("utf-8"))
        assert marker["format"] == "sozialraumprozess-folder-store/2"
        [record] = marker["upgrades"]
        assert record["from"] == "sozialraumprozess-folder-store/1"
        assert record["chain"] == "sozialraumprozess-chain/1"
        head_at_upgrade = record["heads"]["schwerte-ost"]
        assert is_hash(head_at_upgrade)
        again = FolderStore(target, create=False, resolver=lambda _: workflow)
        checked = again.verify("schwerte-ost")
        assert checked.events == 56
        stored, _ = pseudonymize(run.process.log[55:], again.read_people("schwerte-ost"))
        assert checked.head == link(head_at_upgrade, encode_events(stored)[:-1])
        # the old lines' text is kept: each gained its hash at the end
        old = (FIXTURES / "folder-v1" / "runs" / "schwerte-ost" / "events.jsonl").read_bytes()
        new = (target / "runs" / "schwerte-ost" / "events.jsonl").read_bytes().splitlines()
        for before_line, after_line in zip(old.splitlines(), new, strict=False):
            assert after_line.startswith(before_line[:-1])

    def test_an_unchained_run_in_a_format_2_store_is_refused(
        self, tmp_path: Path, sample: Process
    ) -> None:
        """Once a store is format 2, a log without hashes is damage (hashes removed)."""
        create_run(FolderStore(tmp_path), "r", sample)
        log = tmp_path / "runs" / "r" / "events.jsonl"
        log.write_bytes(encode_events(sample.log))
        with pytest.raises(CorruptRunError) as caught:
            FolderStore(tmp_path).verify("r")
        assert (caught.value.path, caught.value.line) == (str(log), 1)

    def test_the_sqlite_migration_chains_and_records(self, tmp_path: Path) -> None:
        """Schema 2 → 3 computes every event's hash and records the heads."""
        workflow = load_workflow(FIXTURES / "workflow-v2.yaml")
        path = tmp_path / "s.sqlite"
        shutil.copy(FIXTURES / "sqlite-v2.sqlite", path)
        store = SqliteStore(path, create=False, resolver=lambda _: workflow)
        checked = store.verify("schwerte-ost")
        assert checked.events == 55
        assert checked.head is not None
        store.close()
        conn = sqlite3.connect(path)
        [(version, applied, note), (feed, _, _)] = conn.execute(
            "SELECT * FROM migrations ORDER BY version"
        ).fetchall()
        conn.close()
        assert (version, feed) == (3, 4)
        assert applied.endswith("Z")
        assert json.loads(note)["heads"] == {"schwerte-ost": checked.head}

    def test_an_upgrade_interrupted_between_log_and_summary_is_finished(
        self, tmp_path: Path
    ) -> None:
        """A run whose log was chained but whose run.json was not rewritten yet (a crash
        in the upgrade) reads fine, and the next write completes it."""
        workflow = load_workflow(FIXTURE_WORKFLOW)
        target = tmp_path / "folder-v1"
        shutil.copytree(FIXTURES / "folder-v1", target)
        log = target / "runs" / "schwerte-ost" / "events.jsonl"
        prev, lines = GENESIS, []
        for line in log.read_bytes().splitlines():
            chained, prev = chain_line(line, prev)
            lines.append(chained)
        log.write_bytes(b"\n".join(lines) + b"\n")  # run.json still the old one
        store = FolderStore(target, create=False, resolver=lambda _: workflow)
        assert store.verify("schwerte-ost").head == prev
        run = open_run(store, "schwerte-ost")
        assert len(run.process.log) == 55
        run.process.set_participant("Neu", ["kommune"], by="kommune")
        assert run.save() == 56
        again = FolderStore(target, create=False, resolver=lambda _: workflow)
        assert again.verify("schwerte-ost").events == 56
        assert again.summary("schwerte-ost").head == again.verify("schwerte-ost").head
