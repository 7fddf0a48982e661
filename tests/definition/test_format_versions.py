"""Format v2: v1 files are read as v2; keys new in v2 are refused in a v1 file."""

from __future__ import annotations

from pathlib import Path

import pytest

from sozialraumprozess.definition import FORMAT, FORMATS, load_workflow
from sozialraumprozess.definition.issues import IssueCollector
from sozialraumprozess.definition.versions import check_format_keys, newer_keys
from sozialraumprozess.definition.yamlio import read_yaml
from sozialraumprozess.errors import WorkflowError

MINIMAL = """\
format: {fmt}
id: mini
version: "1"
title: Mini
roles:
  kommune: {{title: Kommune}}
phases:
  - id: start
    title: Start
    responsible: kommune
"""

SCHEMA = {
    "type": "object",
    "properties": {
        "format": {"type": "string"},
        "phases": {"type": "array", "items": {"$ref": "#/definitions/phase"}},
        "things": {"type": "object", "additionalProperties": {"$ref": "#/definitions/phase"}},
    },
    "definitions": {
        "phase": {
            "type": "object",
            "properties": {"id": {"type": "string"}, "strands": {"type": "object", "x-since": 2}},
        }
    },
}


def test_both_formats_are_read(tmp_path: Path) -> None:
    assert FORMAT == "sozialraumprozess/v2"
    for fmt in FORMATS:
        path = tmp_path / "w.yaml"
        path.write_text(MINIMAL.format(fmt=fmt), encoding="utf-8")
        assert load_workflow(path).format == fmt


def test_unknown_format_names_both(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(MINIMAL.format(fmt="sozialraumprozess/v3"), encoding="utf-8")
    with pytest.raises(WorkflowError) as info:
        load_workflow(path, lang="en")
    (issue,) = info.value.issues
    assert issue.line == 1
    assert "sozialraumprozess/v1, sozialraumprozess/v2" in issue.message("en")


def test_newer_keys_follow_refs_lists_and_maps() -> None:
    data = {
        "format": "sozialraumprozess/v1",
        "phases": [{"id": "a"}, {"id": "b", "strands": {}}],
        "things": {"x": {"strands": {}}},
    }
    found = list(newer_keys(data, SCHEMA, SCHEMA))
    assert found == [(["phases", 1, "strands"], 2), (["things", "x", "strands"], 2)]


def _collect(text: str) -> IssueCollector:
    out = IssueCollector("w.yaml")
    document = read_yaml(text, "w.yaml", out)
    assert document is not None
    out = IssueCollector("w.yaml", document)
    check_format_keys(document.data, SCHEMA, out)
    return out


def test_v1_file_with_v2_key_gets_positioned_hint() -> None:
    text = "format: sozialraumprozess/v1\nphases:\n  - id: b\n    strands: {}\n"
    (issue,) = _collect(text).issues
    assert issue.code == "needs-newer-format"
    assert (issue.line, issue.column) == (4, 5)
    assert issue.message("en") == (
        "`strands` exists only in format sozialraumprozess/v2;"
        " the file declares sozialraumprozess/v1"
    )
    assert "format: sozialraumprozess/v2" in (issue.hint("de") or "")
    assert not _collect(text.replace("v1", "v2")).issues
