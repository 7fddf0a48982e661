"""Which workflow *file* each run of a store was started on.

Runs on a bundled workflow need nothing: the store keeps a copy of every pinned
definition. A run started on a consultant's own workflow file also needs that
file's folder later, for the templates beside it, so the file is noted (path
relative to the note) in ``sozialraum-workflows.json``: at the root of a folder
store (the format the CLI has always written), in the run-files folder of other
stores (see :func:`~sozialraumprozess.app.stores.workflow_note`)::

    {"format": "sozialraum-cli-workflows/1", "runs": {"schwerte-ost": "../mein-workflow.yaml"}}

The note is read once per :class:`WorkflowFiles` (a portfolio over thousands of
runs parses it once, not once per run).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

__all__ = ["NOTE_FORMAT", "WorkflowFiles"]

#: The ``format`` of the note file.
NOTE_FORMAT = "sozialraum-cli-workflows/1"


class WorkflowFiles:
    """The note of one store (``path``: the note file, or ``None`` for stores without one)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._runs: dict[str, str] | None = None

    def _read(self) -> dict[str, str]:
        if self._runs is None:
            self._runs = _read_note(self.path) if self.path is not None else {}
        return self._runs

    def get(self, run_id: str) -> Path | None:
        """The workflow file run ``run_id`` was started on, or ``None`` (bundled workflow)."""
        found = self._read().get(run_id)
        if found is None or self.path is None:
            return None
        return (self.path.parent / found).resolve()

    def remember(self, run_id: str, workflow_file: Path) -> None:
        """Note that run ``run_id`` runs on ``workflow_file`` (written atomically).

        Raises:
            ValueError: The store keeps no note (no local folder).
        """
        if self.path is None:
            raise ValueError("this store keeps no workflow-file note")
        self._runs = None
        runs = dict(self._read())
        try:
            shown = os.path.relpath(workflow_file, self.path.parent.resolve())
        except ValueError:  # another drive (Windows)
            shown = str(workflow_file)
        runs[run_id] = shown
        body = json.dumps({"format": NOTE_FORMAT, "runs": runs}, indent=2)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        temp.write_text(body + "\n", encoding="utf-8")
        os.replace(temp, self.path)
        self._runs = runs


def _read_note(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    runs = data.get("runs") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in runs.items()} if isinstance(runs, dict) else {}
