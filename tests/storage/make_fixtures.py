"""Write the format fixtures under ``fixtures/`` (run once per new format, then commit).

Fixtures of a released format are never regenerated or edited: the tests load
them forever, so later versions of the library keep reading today's files.

Usage: ``python tests/storage/make_fixtures.py VERSION`` writes
``fixtures/folder-v<VERSION>/``, ``fixtures/sqlite-v<VERSION>.sqlite`` and a copy of
the bundled workflow they are pinned to, ``fixtures/workflow-v<VERSION>.yaml``.

``VERSION`` numbers the generations of the on-disk layout:

- 1: folder store format 1, SQLite schema 1 (no definition copies);
- 2: folder store format 1 with ``definitions/<hex>.json``, SQLite schema 2 with
  the ``definitions`` table (each store holds a copy of the pinned workflow).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from sozialraumprozess import load_workflow
from sozialraumprozess.definition.loader import bundled_workflow_path
from sozialraumprozess.scenario.sample import run_sample
from sozialraumprozess.storage import FolderStore, SqliteStore, create_run

HERE = Path(__file__).parent / "fixtures"


def main(version: str) -> None:
    """Write the fixtures of format ``version``; refuses to overwrite."""
    folder = HERE / f"folder-v{version}"
    database = HERE / f"sqlite-v{version}.sqlite"
    if folder.exists() or database.exists():
        raise SystemExit(f"fixtures of version {version} exist; they are never rewritten")
    source = bundled_workflow_path("generationengerechte-sozialraumentwicklung")
    shutil.copy(source, HERE / f"workflow-v{version}.yaml")
    process = run_sample(load_workflow(source))
    create_run(FolderStore(folder), "schwerte-ost", process)
    (folder / "runs" / "schwerte-ost" / "documents" / ".gitkeep").touch()
    store = SqliteStore(database)
    create_run(store, "schwerte-ost", process)
    store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store._conn.execute("PRAGMA journal_mode = DELETE")
    store.close()


if __name__ == "__main__":
    main(sys.argv[1])
