"""Format v2 items and field types at load time: the model, positioned errors, v1 refusal.

Items (``items:`` on an artifact), the item gate kinds (``items``, ``all_items``,
``items_per_entry``), labelled choices and date bounds: each new key is read into
the model, reported with file position, path and a did-you-mean hint, all problems
of a file at once, and refused in a ``sozialraumprozess/v1`` file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sozialraumprozess.definition.dates import (
    DateProblem,
    ImpossibleDateProblem,
    is_date_text,
    parse_date,
)
from sozialraumprozess.definition.fields import format_value
from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.errors import WorkflowError
from sozialraumprozess.testing import workflow_from_string

ITEMS = """\
format: sozialraumprozess/v2
id: items-demo
version: "1"
title: Items demo
roles:
  kommune: {title: Kommune}
  team: {title: Team}
artifacts:
  treffpunkte:
    title: Treffpunkte
    owner: kommune
    fields:
      treffpunkte:
        type: list
        items:
          type: object
          fields:
            name: {type: text, required: true}
            art: {type: choice, choices: {cafe: {de: Café, en: Coffee shop}, club: Verein}}
  bericht:
    title: Visitationsbericht
    owner: team
    items:
      key: Treffpunkt
      states:
        geplant: {title: {de: Geplant, en: Planned}}
        besucht: {title: {de: Besucht, en: Visited}}
        abgeschlossen: {title: {de: Abgeschlossen, en: Done}}
      moved_by: [team]
    fields:
      datum: {type: date, earliest: "01.01.2025", latest: "2025-12-31"}
      eindruck: {type: text}
phases:
  - id: planen
    title: Planen
    responsible: kommune
    artifacts: [treffpunkte, bericht]
    exit:
      - artifact: treffpunkte
      - items_per_entry: bericht
        entries: treffpunkte.treffpunkte.name
        state: abgeschlossen
      - items: bericht
        min: 2
      - all_items: bericht
        state: besucht
  - id: ende
    title: Ende
    responsible: kommune
"""


def errors(text: str) -> list[tuple[int | None, int | None, str, str, str, str | None]]:
    with pytest.raises(WorkflowError) as info:
        workflow_from_string(text, "w.yaml")
    return [
        (i.line, i.column, i.path, i.code, i.message("en"), i.hint("en")) for i in info.value.issues
    ]


def test_items_are_read_into_the_model() -> None:
    workflow = workflow_from_string(ITEMS)
    lifecycle = workflow.artifact("bericht").items
    assert lifecycle is not None
    assert [s.id for s in lifecycle.states] == ["geplant", "besucht", "abgeschlossen"]
    assert lifecycle.states[1].title.get("en") == "Visited"
    assert lifecycle.moved_by == ("team",)
    assert lifecycle.allowed_moves("geplant") == ("besucht",)
    assert lifecycle.allowed_moves("abgeschlossen") == ()
    per = workflow.phases[0].exit[1]
    assert (per.kind, per.target) == ("items_per_entry", "bericht")
    assert per.option("entries") == "treffpunkte.treffpunkte.name"
    assert per.option("state") == "abgeschlossen"
    assert workflow.phases[0].exit[2].option("min") == 2


def test_explicit_moves_replace_the_default_order() -> None:
    text = ITEMS.replace(
        "      moved_by: [team]\n",
        "      moved_by: [team]\n"
        "      moves: [{from: geplant, to: abgeschlossen}, {from: abgeschlossen, to: geplant}]\n",
    )
    lifecycle = workflow_from_string(text).artifact("bericht").items
    assert lifecycle is not None
    assert lifecycle.allowed_moves("geplant") == ("abgeschlossen",)
    assert lifecycle.allowed_moves("abgeschlossen") == ("geplant",)
    assert lifecycle.allowed_moves("besucht") == ()


def test_the_file_data_round_trips() -> None:
    workflow = workflow_from_string(ITEMS)
    data = workflow.to_dict()
    assert data["artifacts"]["treffpunkte"]["fields"]["treffpunkte"]["items"]["fields"]["art"][
        "choices"
    ] == {"cafe": {"de": "Café", "en": "Coffee shop"}, "club": "Verein"}
    assert data["phases"][0]["exit"][1] == {
        "items_per_entry": "bericht",
        "entries": "treffpunkte.treffpunkte.name",
        "state": "abgeschlossen",
    }
    again = load_workflow(data)
    assert again == workflow
    assert again.content_hash == workflow.content_hash


def test_v1_workflows_keep_their_file_data() -> None:
    """No new keys appear in what a v1 file means (its content hash is made from it)."""
    recorded = (
        Path(__file__).parents[1] / "fixtures/bundled/fachtag-sozialraumorientierung/1.1.yaml"
    )
    workflow = load_workflow(str(recorded))  # the last v1 version of a bundled workflow
    assert workflow.format == "sozialraumprozess/v1"
    text = str(workflow.to_dict())
    for key in ("'items'", "choice_labels", "earliest", "'options'", "'state'"):
        assert key not in text.replace("'items': {", "")  # list fields have `items:` already


def test_labelled_choices_are_shown_by_label() -> None:
    workflow = workflow_from_string(ITEMS)
    spec = workflow.artifact("treffpunkte").fields[0].items
    assert spec is not None
    art = spec.fields[1]
    assert art.choices == ("cafe", "club")
    assert format_value(art, "cafe", "de") == "Café"
    assert format_value(art, "cafe", "en") == "Coffee shop"
    assert format_value(art, "club", "en") == "Verein"  # a plain label in the file's language


def test_every_problem_at_once_with_positions_and_hints() -> None:
    bad = (
        ITEMS.replace("state: abgeschlossen", "state: abgeschlosen")
        .replace("moved_by: [team]", "moved_by: [tem]\n      moves: [{from: geplant, to: besuht}]")
        .replace("treffpunkte.treffpunkte.name", "treffpunkte.treffpunkte.nam")
        .replace('earliest: "01.01.2025"', 'earliest: "31.02.2025"')
        .replace('latest: "2025-12-31"', 'latest: "2025/12/31"')
        .replace("- items: bericht", "- items: treffpunkte")
    )
    assert errors(bad) == [
        (
            29,
            18,
            "artifacts.bericht.items.moved_by[0]",
            "unknown-reference",
            "unknown role 'tem'",
            "Did you mean 'team'?",
        ),
        (
            30,
            35,
            "artifacts.bericht.items.moves[0].to",
            "unknown-item-state",
            "unknown state 'besuht'",
            "Did you mean 'besucht'?",
        ),
        (
            32,
            37,
            "artifacts.bericht.fields.datum.earliest",
            "impossible-date",
            "'31.02.2025' is written correctly, but there is no such day",
            None,
        ),
        (
            32,
            59,
            "artifacts.bericht.fields.datum.latest",
            "malformed-date",
            "'2025/12/31' is not a date; expected YYYY-MM-DD or DD.MM.YYYY",
            None,
        ),
        (
            42,
            18,
            "phases[0].exit[1].entries",
            "unknown-field",
            "artifact 'treffpunkte' has no field 'treffpunkte.nam'",
            "Did you mean 'name'?",
        ),
        (
            43,
            16,
            "phases[0].exit[1].state",
            "unknown-item-state",
            "unknown state 'abgeschlosen'",
            "Did you mean 'abgeschlossen'?",
        ),
        (
            44,
            16,
            "phases[0].exit[2].items",
            "not-an-item-artifact",
            "artifact 'treffpunkte' has no items",
            "give artifact 'treffpunkte' an 'items:' block with its states, or use "
            "'artifact: treffpunkte'",
        ),
    ]


@pytest.mark.parametrize(
    ("change", "code", "path"),
    [
        (("- all_items: bericht\n        state: besucht", "- all_items: bericht"), "missing-key",
         "phases[0].exit[3]"),
        (("        entries: treffpunkte.treffpunkte.name\n", ""), "missing-key",
         "phases[0].exit[1]"),
        (("treffpunkte.treffpunkte.name", "treffpunkte.treffpunkte"), "entries-need-subfield",
         "phases[0].exit[1].entries"),
        (("treffpunkte.treffpunkte.name", "treffpunkte.name.x"), "unknown-field",
         "phases[0].exit[1].entries"),
        (("- items: bericht\n        min: 2", "- items: bericht\n        count: 2"),
         "key-not-for-kind", "phases[0].exit[2].count"),
        (('earliest: "01.01.2025"', 'earliest: "2026-01-01"'), "min-above-max",
         "artifacts.bericht.fields.datum.earliest"),
        (("eindruck: {type: text}", "eindruck: {type: text, earliest: '2025-01-01'}"),
         "key-not-for-type", "artifacts.bericht.fields.eindruck.earliest"),
    ],
)  # fmt: skip
def test_each_mistake_is_named_where_it_is(change: tuple[str, str], code: str, path: str) -> None:
    found = errors(ITEMS.replace(*change))
    assert [(p, c) for _, _, p, c, _, _ in found] == [(path, code)]


def test_a_v1_file_gets_needs_newer_format_at_each_new_key() -> None:
    v1 = ITEMS.replace("format: sozialraumprozess/v2", "format: sozialraumprozess/v1")
    found = [(line, path, code) for line, _, path, code, _, _ in errors(v1)]
    assert found == [
        (19, "artifacts.treffpunkte.fields.treffpunkte.items.fields.art.choices",
         "needs-newer-format"),
        (23, "artifacts.bericht.items", "needs-newer-format"),
        (31, "artifacts.bericht.fields.datum.earliest", "needs-newer-format"),
        (31, "artifacts.bericht.fields.datum.latest", "needs-newer-format"),
        (40, "phases[0].exit[1].items_per_entry", "needs-newer-format"),
        (41, "phases[0].exit[1].entries", "needs-newer-format"),
        (42, "phases[0].exit[1].state", "needs-newer-format"),
        (43, "phases[0].exit[2].items", "needs-newer-format"),
        (44, "phases[0].exit[2].min", "needs-newer-format"),
        (45, "phases[0].exit[3].all_items", "needs-newer-format"),
        (46, "phases[0].exit[3].state", "needs-newer-format"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025-03-04", date(2025, 3, 4)),
        ("04.03.2025", date(2025, 3, 4)),
        ("4.3.2025", date(2025, 3, 4)),
        (" 2024-02-29 ", date(2024, 2, 29)),
        (date(2025, 1, 1), date(2025, 1, 1)),
    ],
)
def test_dates_in_iso_and_german_form(text: str | date, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2025-13-01", "impossible"),
        ("31.02.2025", "impossible"),
        ("2023-02-29", "impossible"),
        ("00.01.2025", "impossible"),
        ("2025/03/04", "malformed"),
        ("4.3.25", "malformed"),
        ("morgen", "malformed"),
        ("", "malformed"),
        ("2025-3-4", "malformed"),
    ],
)
def test_an_impossible_date_is_told_apart_from_a_wrongly_written_one(
    text: str, reason: str
) -> None:
    expected = ImpossibleDateProblem if reason == "impossible" else DateProblem
    with pytest.raises(DateProblem) as info:
        parse_date(text)
    assert type(info.value) is expected or (
        reason == "malformed" and not isinstance(info.value, ImpossibleDateProblem)
    )
    assert not is_date_text(text)


FILE_FIELD = ITEMS.replace(
    "      eindruck: {type: text}\n",
    "      eindruck: {type: text}\n"
    "      anlage: {type: file, accept: [pdf, docx], max_size: 1000, title: Anlage}\n",
)


def test_file_fields_hold_a_checked_reference() -> None:
    from sozialraumprozess.definition.fields import validate_value
    from sozialraumprozess.definition.fields.file import check_file

    workflow = workflow_from_string(FILE_FIELD)
    spec = next(f for f in workflow.artifact("bericht").fields if f.name == "anlage")
    assert (spec.accept, spec.max_size) == (("pdf", "docx"), 1000)
    good = check_file(b"%PDF-1.7 bericht", "bericht.pdf")
    assert validate_value(spec, good, "anlage") == []
    assert format_value(spec, good, "de") == "bericht.pdf (16 B)"
    big = {**good, "size": 1001}
    assert [p.code for p in validate_value(spec, big, "anlage")] == ["file-size"]
    text = check_file(b"hallo", "notiz.txt")
    assert [p.message_en for p in validate_value(spec, text, "anlage")] == [
        "the type of 'notiz.txt' is not allowed; allowed: pdf, docx"
    ]
    lying = {**good, "type": "image/png"}
    assert [p.code for p in validate_value(spec, lying, "anlage")] == ["file-type"]
    for bad in ({"sha256": "x", "name": "a.pdf", "size": 1, "type": "application/pdf"},
                {**good, "extra": 1}, "bericht.pdf", {**good, "name": "../a.pdf"}):  # fmt: skip
        assert [p.code for p in validate_value(spec, bad, "anlage")] == ["type"]


def test_file_field_keys_are_checked_and_need_v2() -> None:
    found = errors(FILE_FIELD.replace("accept: [pdf, docx]", "accept: [pdf, dox]"))
    assert [(p, c, h) for _, _, p, c, _, h in found] == [
        ("artifacts.bericht.fields.anlage.accept[1]", "unknown-file-type", "Did you mean 'docx'?")
    ]
    v1 = FILE_FIELD.replace("format: sozialraumprozess/v2", "format: sozialraumprozess/v1")
    paths = [p for _, _, p, c, _, _ in errors(v1) if c == "needs-newer-format"]
    assert "artifacts.bericht.fields.anlage.accept" in paths
    assert "artifacts.bericht.fields.anlage.max_size" in paths


def test_misspelt_new_keys_get_a_suggestion() -> None:
    text = (
        ITEMS.replace("      moved_by: [team]", "      moved_bye: [team]")
        .replace("- all_items: bericht", "- all_item: bericht")
        .replace("        geplant: {title", "        geplant: {titel")
    )
    assert [(line, path, code, hint) for line, _, path, code, _, hint in errors(text)] == [
        (
            26,
            "artifacts.bericht.items.states.geplant.titel",
            "unknown-key",
            "Did you mean 'title'?",
        ),
        (29, "artifacts.bericht.items.moved_bye", "unknown-key", "Did you mean 'moved_by'?"),
        (45, "phases[0].exit[3].all_item", "unknown-key", "Did you mean 'all_items'?"),
    ]
