"""Retention periods per artifact type (``retention``) and ``purge``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sozialraumprozess.app import Service
from sozialraumprozess.runtime.clock import FixedClock
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.storage import FolderStore
from sozialraumprozess.storage.session import create_run
from sozialraumprozess.testing import workflow_from_string

from ..definition.conftest import issues_of

WORKFLOW = """\
format: sozialraumprozess/v1
id: aufbewahrung
version: "1"
title: Aufbewahrung
roles:
  kommune: {title: Kommune}
artifacts:
  protokoll:
    title: Protokoll
    owner: kommune
    retention: P1Y
    fields: {text: {type: text}}
  bericht:
    title: Bericht
    owner: kommune
    RETENTION
    fields: {text: {type: text}}
phases:
  - {id: eins, title: Eins, responsible: kommune, artifacts: [protokoll, bericht]}
"""


def service(tmp_path: Path, bericht: str = "retention: P3Y") -> Service:
    workflow = workflow_from_string(WORKFLOW.replace("RETENTION", bericht))
    clock = FixedClock(datetime(2020, 3, 1, 9, tzinfo=UTC))
    process = Process.start(workflow, sozialraum="Ost", by="kommune", clock=clock)
    process.submit("protokoll", {"text": "Sitzung"}, by="kommune")
    process.submit("bericht", {"text": "Jahr"}, by="kommune")
    app = Service(FolderStore(tmp_path / "store"), clock=clock)
    create_run(app.store, "ost", process)
    app.render_documents("ost", formats=("md",))
    return app


def test_expired_documents_are_listed_then_deleted(tmp_path: Path) -> None:
    app = service(tmp_path)
    folder = tmp_path / "store" / "runs" / "ost"
    assert app.purge(today=date(2021, 3, 1)) == []  # the last day of the retention
    listed = app.purge(today=date(2021, 3, 2))
    assert [(p.run_id, p.kind, p.until) for p in listed] == [("ost", "document", "2021-03-01")]
    assert listed[0].path is not None
    assert listed[0].path.endswith("protokoll-v1.md")
    assert (folder / listed[0].path).is_file()  # only listed
    assert app.purge(today=date(2021, 3, 2), apply=True) == listed
    assert not (folder / listed[0].path).exists()
    assert list(folder.rglob("bericht-v1.md"))  # its retention runs longer
    app.close()


def test_a_run_past_every_retention_is_deleted(tmp_path: Path) -> None:
    app = service(tmp_path)
    [item] = app.purge(today=date(2023, 3, 2))
    assert (item.kind, item.path, item.until) == ("run", None, "2023-03-01")
    app.purge(today=date(2023, 3, 2), apply=True)
    assert app.run_ids() == []
    app.close()


def test_a_type_without_retention_keeps_the_run(tmp_path: Path) -> None:
    app = service(tmp_path, bericht="description: ohne Frist")
    items = app.purge(today=date(2040, 1, 1), apply=True)
    assert {p.kind for p in items} == {"document"}
    assert app.run_ids() == ["ost"]
    app.close()


@pytest.mark.parametrize("value", ["zehn Jahre", "P", "P1H"])
def test_a_retention_that_is_no_duration_is_refused(value: str) -> None:
    text = WORKFLOW.replace("RETENTION", f"retention: {value}")
    [issue] = issues_of(text)
    assert (issue.line, issue.path) == (16, "artifacts.bericht.retention")
