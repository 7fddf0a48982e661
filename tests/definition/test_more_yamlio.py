"""YAML reading details: hexadecimal integers, a duplicate key inside an anchor reported
once however often it is aliased, and positions of paths that do not exist."""

from __future__ import annotations

import io

from sozialraumprozess.definition.issues import IssueCollector
from sozialraumprozess.definition.yamlio import Document, read_yaml
from sozialraumprozess.testing import workflow_from_string

from .conftest import issues_of, variant

ROLES = "roles:\n  kommune:\n    title: Kommune\n  vg:\n    title: Verantwortungsgemeinschaft\n"


def test_hexadecimal_integers_are_read() -> None:
    text = variant(
        "      ziele: {type: list, min_items: 1,",
        "      ziele: {type: list, min_items: 0x2, max_items: 0x10,",
    )
    (ziele,) = workflow_from_string(text, "w.yaml").artifact("zielkatalog").fields
    assert (ziele.min_items, ziele.max_items) == (2, 16)


def test_a_duplicate_key_in_an_aliased_mapping_is_reported_once() -> None:
    text = variant(
        ROLES,
        "roles:\n  kommune: &r\n    title: Kommune\n    title: Stadt\n  vg: *r\n",
    )
    (issue,) = issues_of(text)
    assert (issue.line, issue.column, issue.path, issue.code) == (
        8,
        5,
        "roles.kommune.title",
        "duplicate-key",
    )
    assert issue.message("en") == "duplicate key 'title' (first in line 7)"
    assert issue.message("de") == "Schlüssel 'title' ist doppelt (zuerst in Zeile 7)"


def test_a_path_that_does_not_exist_is_located_at_its_deepest_existing_part() -> None:
    out = IssueCollector("x.yaml")
    document = read_yaml(io.StringIO("a: [1, 2]\nb: x\n"), "x.yaml", out)
    assert document is not None
    assert out.issues == []
    assert document.locate(["a", 1]) == (1, 8, "a: [1, 2]")
    assert document.locate(["a", 5]) == (1, 4, "a: [1, 2]")  # index past the end: the list
    assert document.locate(["a", "b"]) == (1, 4, "a: [1, 2]")  # a key in a list: the list
    assert document.locate(["zz"]) == (1, 1, "a: [1, 2]")  # a missing key: the document
    assert document.locate(["b"], key=True) == (2, 1, "b: x")


def test_a_document_without_nodes_has_no_positions() -> None:
    assert Document(data=None, name="leer.yaml").locate(["a", 0]) == (None, None, None)
