"""Many ``sozialraum`` processes writing to one run at once: each waits and retries on
a conflict (through ``Service.update``) instead of failing; every change is stored."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from .conftest import EXE, SIX, sozialraum

WRITERS = 50


@pytest.mark.parametrize("kind", ["folder", "sqlite"])
def test_concurrent_writers_all_succeed_none_lost(tmp_path: Path, kind: str) -> None:
    """50 concurrent ``participant add`` on one run: all exit 0, all 50 are stored."""
    url = str(tmp_path / "store") if kind == "folder" else f"sqlite://{tmp_path / 'p.db'}"
    started = sozialraum("init", "--store", url, "-w", SIX, "--sozialraum", "Schwerte-Ost")
    assert started.returncode == 0, started.stderr
    assert EXE is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOZIALRAUM_")}
    env.update({"SOZIALRAUM_STORE": url, "SOZIALRAUM_ROLE": "kommune"})
    writers = [
        subprocess.Popen(
            [EXE, "participant", "add", f"Verein {n:03d}", "--role", "sozialraumkoordination"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    results = [(w.wait(timeout=300), *w.communicate()) for w in writers]
    failed = [(code, err) for code, _out, err in results if code != 0]
    assert failed == []
    listed = sozialraum("participant", "list", "--store", url, "--json")
    names = sorted(p["name"] for p in json.loads(listed.stdout))
    assert names == [f"Verein {n:03d}" for n in range(WRITERS)]
    history = json.loads(sozialraum("history", "--store", url, "--json").stdout)
    assert [e["seq"] for e in history] == list(range(1, WRITERS + 2))


def test_giving_up_says_so(tmp_path: Path) -> None:
    """With one attempt and many writers, some give up: exit 1 with a clear message,
    and every writer that reported success is stored."""
    url = f"sqlite://{tmp_path / 'p.db'}"
    assert sozialraum("init", "--store", url, "-w", SIX, "--sozialraum", "A").returncode == 0
    assert EXE is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOZIALRAUM_")}
    env.update({"SOZIALRAUM_STORE": url, "SOZIALRAUM_ROLE": "kommune", "SOZIALRAUM_ATTEMPTS": "1"})
    writers = [
        subprocess.Popen(
            [EXE, "participant", "add", f"V{n}", "--role", "kommune", "--lang", "en"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(30)
    ]
    results = [(w.wait(timeout=300), *w.communicate()) for w in writers]
    gave_up = [err for code, _out, err in results if code == 1]
    stored = json.loads(sozialraum("participant", "list", "--store", url, "--json").stdout)
    assert len(stored) == sum(1 for code, _o, _e in results if code == 0)
    assert len(stored) + len(gave_up) == 30
    for err in gave_up:
        assert err.startswith("Error: Run 'a': gave up after 1 attempt because another writer")
