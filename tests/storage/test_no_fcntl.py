"""The folder store where ``fcntl`` does not exist (Windows, WebAssembly builds).

Every Python process started here gets a ``sitecustomize`` that makes ``import
fcntl`` fail, as on a system without it. Then ``import sozialraumprozess`` must
work, the lock must fall back to filelock's soft lock, and concurrent writers in
several such processes must neither lose nor duplicate an append.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sozialraumprozess.storage import FolderStore

WORKERS = 4
APPENDS_PER_WORKER = 25

SITECUSTOMIZE = '''
import sys

class _NoFcntl:
    """Refuses to find ``fcntl``, as on a system that has none."""

    def find_spec(self, name, path=None, target=None):
        if name == "fcntl":
            raise ModuleNotFoundError("No module named 'fcntl' (made unimportable by the test)")
        return None

sys.modules.pop("fcntl", None)
sys.meta_path.insert(0, _NoFcntl())
'''

SETUP = """
import sys
import sozialraumprozess
from sozialraumprozess import load_workflow
from sozialraumprozess.scenario.sample import start_sample
from sozialraumprozess.storage import FolderStore, create_run, fsutil, open_run

try:
    import fcntl
except ImportError:
    pass
else:
    raise SystemExit("fcntl is importable")
assert not fsutil.native_locks(), "expected the soft lock"
store = FolderStore(sys.argv[1])
process = start_sample(load_workflow("generationengerechte-sozialraumentwicklung"))
run = create_run(store, "ohne-fcntl", process)
run.process.set_participant("Erste", ["kommune"], by="kommune")
run.save()
loaded = open_run(store, "ohne-fcntl")
assert len(loaded.process.log) == 2, loaded.process.log
assert [s.run_id for s in store.list_runs()] == ["ohne-fcntl"]
assert "fcntl" not in sys.modules
print("ok")
"""

WORKER = """
import json
import sys
from sozialraumprozess import ConflictError
from sozialraumprozess.storage import FolderStore, open_run

store = FolderStore(sys.argv[1], create=False)
worker = sys.argv[2]
landed, conflicts = [], 0
for attempt in range(int(sys.argv[3])):
    name = f"{worker}-{attempt:03d}"
    while True:
        run = open_run(store, "ohne-fcntl")
        run.process.set_participant(name, ["kommune"], by="kommune")
        try:
            run.save()
        except ConflictError:
            conflicts += 1
            continue
        landed.append(name)
        break
assert "fcntl" not in sys.modules
print(json.dumps({"landed": landed, "conflicts": conflicts}))
"""


def _env(site: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site), *sys.path])
    return env


def _python(code: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def no_fcntl_env(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, "utf-8")
    env = _env(site)
    probe = _python("import fcntl", env=env)
    assert probe.returncode == 1
    assert "made unimportable by the test" in probe.stderr
    return env


def test_folder_store_without_fcntl(no_fcntl_env: dict[str, str], tmp_path: Path) -> None:
    store = tmp_path / "store"
    setup = _python(SETUP, str(store), env=no_fcntl_env)
    assert setup.returncode == 0, setup.stderr
    assert setup.stdout.strip() == "ok"
    assert setup.stderr == ""  # no warning about the soft lock reaches the user

    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                textwrap.dedent(WORKER),
                str(store),
                f"w{n}",
                str(APPENDS_PER_WORKER),
            ],
            env=no_fcntl_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WORKERS)
    ]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        results.append(json.loads(out))

    # Read back with the normal (flock) store: every acknowledged save is there once.
    events = FolderStore(store, create=False).read_events("ohne-fcntl")
    names = [e.payload["name"] for e in events if e.type == "participant_set"]
    landed = [name for result in results for name in result["landed"]]
    assert len(landed) == WORKERS * APPENDS_PER_WORKER
    assert sorted(names) == sorted(["Erste", *landed])  # none lost, none twice
    for result in results:  # each writer's saves in its own order
        mine = set(result["landed"])
        assert [n for n in names if n in mine] == result["landed"]
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert not (store / "runs" / "ohne-fcntl" / ".lock.soft").exists()  # released
    print(f"conflicts retried: {sum(r['conflicts'] for r in results)}")
