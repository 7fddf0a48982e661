"""A service over a store that keeps no local files (as a server database would):
documents and the report need a place given, workflow files are not noted, and a run
whose definition cannot be found says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sozialraumprozess.app import Service, StoreScheme, register_scheme, stores as stores_module
from sozialraumprozess.definition.loader import bundled_workflow_path, load_workflow
from sozialraumprozess.errors import DefinitionUnavailable
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.storage.summary import summarize

SIX = "generationengerechte-sozialraumentwicklung"


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    """A service over a SQLite store whose scheme keeps no files beside the database."""
    monkeypatch.setattr(stores_module, "_SCHEMES", dict(stores_module._SCHEMES))
    register_scheme(
        StoreScheme(
            "sqlite",
            stores_module._open_sqlite,
            stores_module._is_sqlite,
            run_files=lambda store, run_id: None,
            workflow_note=lambda store: None,
        )
    )
    found = Service.open(f"sqlite://{tmp_path / 'p.db'}", create=True)
    yield found
    found.close()


def test_documents_and_report_need_a_place(service: Service, tmp_path: Path) -> None:
    opened = service.start("r1", load_workflow(SIX), sozialraum="A", workflow_path=tmp_path / "w")
    assert opened.files is None
    assert service.workflow_files.path is None  # nowhere to note the workflow file
    with pytest.raises(ValueError, match=r"p\.db keeps no local files$"):
        opened.documents_dir()
    with pytest.raises(ValueError, match="keeps no local files: give output="):
        service.render_report("r1")
    written = service.render_report("r1", output=tmp_path / "bericht.html")
    assert written.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("p.db")) == [
        "bericht.html"
    ]


def test_a_run_without_its_definition_is_refused(service: Service, tmp_path: Path) -> None:
    own = tmp_path / "eigen.yaml"
    text = bundled_workflow_path(SIX).read_text("utf-8")
    own.write_text(text.replace('version: "2.0"', 'version: "9.3"'), "utf-8")
    process = Process.start(load_workflow(str(own)), sozialraum="B", by="kommune")
    service.store.create("r2", process.log, summarize("r2", process))  # no copy stored
    with pytest.raises(DefinitionUnavailable) as info:
        service.load("r2")
    assert info.value.message("en").startswith(
        f"Run 'r2' in {tmp_path / 'p.db'} is pinned to workflow {SIX} 9.3 "
    )
