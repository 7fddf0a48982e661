"""Schema mistakes worded for people, at their line and column, in both languages:
ids that start with a digit or are no id at all (with a suggested spelling where one
exists), a negative count, an empty text."""

from __future__ import annotations

from .conftest import issues_of, variant

ID_RULE_EN = "only lower-case letters a–z, digits and _, starting with a letter"
ID_RULE_DE = "nur Kleinbuchstaben a–z, Ziffern und _, am Anfang ein Buchstabe"


def test_an_id_starting_with_a_digit_gets_a_spelling_that_starts_with_a_letter() -> None:
    (issue,) = issues_of(variant("  - id: analysieren\n", "  - id: 1analyse\n"))
    assert (issue.line, issue.column, issue.path, issue.code) == (26, 9, "phases[0].id", "bad-id")
    assert issue.message("en") == f"'1analyse' is not a valid id: {ID_RULE_EN}"
    assert issue.message("de") == f"'1analyse' ist keine gültige Kennung: {ID_RULE_DE}"
    assert issue.hint("en") == "For example 'x_1analyse'."
    assert issue.hint("de") == "Zum Beispiel 'x_1analyse'."


def test_an_id_without_letters_or_digits_gets_no_suggestion() -> None:
    (issue,) = issues_of(variant("  - id: analysieren\n", '  - id: "!!!"\n'))
    assert (issue.path, issue.code) == ("phases[0].id", "bad-id")
    assert issue.hint("en") is None


def test_a_workflow_id_may_have_hyphens_and_is_suggested_in_lower_case() -> None:
    (issue,) = issues_of(variant("id: mini\n", "id: Mini Workflow!\n"))
    assert (issue.line, issue.column, issue.path) == (2, 5, "id")
    assert issue.message("en") == (
        "'Mini Workflow!' is not a valid id: only lower-case letters a–z, digits and _ and -, "
        "starting with a letter"
    )
    assert issue.hint("en") == "For example 'mini_workflow'."


def test_an_id_used_as_a_key_is_reported_at_the_key() -> None:
    found = issues_of(variant("  konferenz:\n", "  2konferenz:\n"))
    assert (found[0].line, found[0].column, found[0].path, found[0].code) == (
        11,
        3,
        'events["2konferenz"]',
        "bad-id",
    )
    assert found[0].hint("de") == "Zum Beispiel 'x_2konferenz'."
    # The references to the old id are named too, with the new one suggested.
    assert [(i.line, i.code, i.hint("en")) for i in found[1:]] == [
        (33, "unknown-reference", "Did you mean '2konferenz'?"),
        (37, "unknown-reference", "Did you mean '2konferenz'?"),
    ]


def test_a_negative_item_count() -> None:
    text = variant(
        "      ziele: {type: list, min_items: 1,", "      ziele: {type: list, min_items: -1,"
    )
    (issue,) = issues_of(text)
    assert (issue.line, issue.column, issue.code) == (20, 38, "out-of-range")
    assert issue.path == "artifacts.zielkatalog.fields.ziele.min_items"
    assert issue.message("en") == "-1 is too small; must be at least 0"
    assert issue.message("de") == "-1 ist zu klein; erlaubt ist mindestens 0"


def test_an_empty_text() -> None:
    (issue,) = issues_of(variant("title: Mini\n", 'title: {de: "", en: Mini}\n'))
    assert (issue.line, issue.column, issue.path, issue.code) == (4, 13, "title.de", "empty-text")
    assert issue.message("en") == "text must not be empty"
    assert issue.message("de") == "Text darf nicht leer sein"
