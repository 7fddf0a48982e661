"""Every ``Issue.code`` a workflow or scenario file can produce, with its meaning.

Programs can rely on the codes (``--json`` prints them); the error reference in
the docs is generated from this table, and a test checks that every code used
in the source is listed here.
"""

from __future__ import annotations

__all__ = ["ISSUE_CODES"]

#: code → (what it means, how to fix it)
ISSUE_CODES: dict[str, tuple[str, str]] = {
    # reading the file
    "no-file": (
        "The file does not exist, is a folder, cannot be read, or is no regular file "
        "(a pipe or a device is never read).",
        "Check the path.",
    ),
    "too-large": (
        "The file is larger than the size limit (2 MiB).",
        "Split it or check that it is the right file.",
    ),
    "not-utf8": ("The file is not UTF-8 encoded.", "Save it as UTF-8."),
    "empty": ("The file is empty.", "Start with `format: sozialraumprozess/v2`."),
    "yaml-syntax": (
        "The YAML cannot be parsed (indentation, tabs, colons, quotes, brackets).",
        "Fix the syntax at the position given.",
    ),
    "bad-number": (
        "A number has more than 100 digits, or a `!!int`/`!!float` tag marks "
        "something that is no such number.",
        "Write the number plainly, or put it in quotes if it is meant as text.",
    ),
    "recursive-alias": (
        "A YAML anchor contains an alias of itself.",
        "Remove the recursive alias.",
    ),
    "too-many-nodes": (
        "Aliases expand to more than 200,000 nodes (an alias bomb?).",
        "Write the data out or use fewer aliases.",
    ),
    "too-deep": ("The data is nested too deeply.", "Flatten the structure."),
    "key-not-text": ("A mapping key is not text (a number, `null`, a list).", "Quote the key."),
    "duplicate-key": ("The same key appears twice in one mapping.", "Remove or rename one."),
    "unsupported-value": (
        "A value of a type that workflow files do not use (`!!binary`, `!!set`).",
        "Use text, numbers, booleans, lists and mappings.",
    ),
    "not-a-mapping": (
        "The file is not a mapping at the top level.",
        "A workflow starts with `format: …`.",
    ),
    "unknown-format": (
        "The `format` (or `scenario`) line names a format this version does not read.",
        "Use `sozialraumprozess/v2` (or `v1`) or upgrade the library.",
    ),
    "renamed-from-exists": (
        "A phase's `renamed_from` names a phase that still exists in the file.",
        "Name the id the phase had in the previous version, or drop `renamed_from`.",
    ),
    "needs-newer-format": (
        "A `sozialraumprozess/v1` file uses a key introduced in a later format.",
        "Declare `format: sozialraumprozess/v2` (every v1 file is valid v2).",
    ),
    # structure (JSON Schema)
    "wrong-type": (
        "A value has the wrong type (text where a list is expected, a number where text is expected …).",
        "Use the type named in the message; quote numbers meant as text.",
    ),
    "missing-key": ("A required key is missing.", "Add it."),
    "unknown-key": (
        "A key the format does not know (often a misspelling).",
        "Use the suggested key.",
    ),
    "not-allowed": (
        "A value outside the allowed set (rule, field type, language).",
        "Use one of the listed values.",
    ),
    "bad-id": (
        "An id with characters other than a–z, 0–9 and `_`, or not starting with a letter.",
        "Use the suggested id.",
    ),
    "bad-duration": (
        "A duration that is neither ISO 8601 (`P2M`, `P6W`, `P1Y`) nor plain German "
        "(`2 Monate`, `6 Wochen`, `1 Jahr`).",
        "Write it in one of these forms.",
    ),
    "bad-deadline": (
        "A phase deadline needs either `date`, or `before` (an event) with `by` (a period).",
        "Give `date: 31.03.2025`, or `before: sitzung` and `by: 6 Wochen`.",
    ),
    "bad-date": (
        "A date that is written neither as `YYYY-MM-DD` nor as `TT.MM.JJJJ`.",
        "Write it as `2025-03-31` or `31.03.2025`.",
    ),
    "date-impossible": (
        "A date written correctly that does not exist (`2025-13-01`, `31.02.2025`).",
        "Check month and day.",
    ),
    "after-itself": (
        "A decision names itself in `after` (format v2).",
        "Name the decision that must come first.",
    ),
    "share-without-seats": (
        "A decision has `quorum_share`, but its body has no `seats` (format v2).",
        "Give the body's number of seats (`seats: 17`).",
    ),
    "wait-without-since": (
        "A `wait` criterion without `since` (format v2).",
        "Say where the period starts: an event id, `phase` or a date.",
    ),
    "unknown-since": (
        "`since` of a `wait` criterion names no event and is neither `phase` nor a date.",
        "Use the suggested event id.",
    ),
    "bad-format": (
        "A value does not match the expected pattern.",
        "Follow the pattern in the message.",
    ),
    "out-of-range": ("A number below its minimum or above its maximum.", "Use a value in range."),
    "too-few-items": ("A list with fewer items than required.", "Add items."),
    "empty-text": ("An empty text where text is required.", "Write something."),
    "empty-label": ("A label mapping without `de` or `en`.", "Give at least one language."),
    "empty-criterion": (
        "An exit criterion without content.",
        "Give `artifact`, `approval`, `event`, `decision` or `check`.",
    ),
    "invalid": ("Any other structural problem.", "Follow the message."),
    # meaning (semantic checks)
    "unknown-reference": (
        "An id that names no role, event, artifact, decision or phase.",
        "Use the suggested id or define it.",
    ),
    "duplicate-id": ("Two phases or transitions with the same id.", "Rename one."),
    "duplicate-entry": ("The same id twice in one list.", "Remove the repetition."),
    "unreachable-phase": (
        "No way leads from the first phase to this phase.",
        "Fix `next` or add a transition.",
    ),
    "dead-end-phase": (
        "From this phase the last phase (end or new cycle) cannot be reached.",
        "Fix `next` or add a transition.",
    ),
    "self-transition": ("A transition from a phase to itself.", "Remove it or change `to`."),
    # format v2: strands, optional phases, conditional transitions, renewals
    "listed-twice": (
        "An artifact or event is listed by the phase and one of its strands, or by two strands.",
        "List each in exactly one strand or in the phase itself.",
    ),
    "requires-without-strands": (
        "A phase says `requires` but has no `strands`.",
        "Add `strands` or remove `requires`.",
    ),
    "optional-final-phase": (
        "The last phase without `next` is marked `optional`; there is nothing to skip to.",
        "Remove `optional` or give the phase a `next`.",
    ),
    "renew-not-backward": (
        "`renew` on a move that does not go back (a forward transition, or a phase "
        "whose `next` is not an earlier phase).",
        "Put `renew` on a transition back or on the phase carrying the cycle edge.",
    ),
    "auto-without-when": (
        "A transition says `auto: true` without a condition `when`.",
        "Add `when` (a check expression) or remove `auto`.",
    ),
    "artifact-not-produced": (
        "A gate demands an artifact that no phase up to and including this one produces.",
        "Add the artifact to `artifacts` of this or an earlier phase.",
    ),
    "no-approver": (
        "An approval criterion for an artifact without `approved_by`.",
        "Add `approved_by` to the artifact.",
    ),
    "event-not-in-phase": (
        "A gate demands an event that the phase does not hold.",
        "Add the event to the phase's `events`.",
    ),
    "several-kinds": (
        "One criterion with several kinds (`artifact` and `approval` …).",
        "Write one list item per criterion.",
    ),
    "missing-kind": (
        "A criterion with only `message`/`count`.",
        "Add `artifact`, `approval`, `event`, `decision` or `check`.",
    ),
    "key-not-for-kind": ("`count` on a criterion that is not an event.", "Remove `count`."),
    "key-not-for-type": (
        "A field key that does not apply to the field type (`min_items` on text …).",
        "Remove it or change the type.",
    ),
    "min-above-max": (
        "`min` greater than `max` (or `min_items` greater than `max_items`).",
        "Swap or fix the limits.",
    ),
    "not-finite": ("`min`/`max` is infinite or not a number.", "Use a finite number."),
    # format v2: items and field types
    "malformed-date": (
        "A date bound (`earliest`/`latest`) is not written as `YYYY-MM-DD` or `TT.MM.JJJJ`.",
        "Write the day as `2025-03-04` or `04.03.2025`.",
    ),
    "impossible-date": (
        "A date bound is written correctly but names no real day (`2025-13-01`, `31.02.2025`).",
        "Check month and day.",
    ),
    "unknown-item-state": (
        "An item state (in `moves` or a criterion's `state`) that the artifact's `items` "
        "does not declare.",
        "Use one of the ids under `items.states` (the message suggests the closest).",
    ),
    "unknown-reference-kind": (
        "An item artifact's `items.kind` names no registered kind of id.",
        "Use a registered kind such as `measure` (the message suggests the closest).",
    ),
    "not-an-item-artifact": (
        "An `items`, `all_items` or `items_per_entry` criterion on an artifact without `items`.",
        "Give the artifact an `items:` block, or use `artifact:`.",
    ),
    "unknown-file-type": (
        "`accept` of a `file` field names a type stores do not keep.",
        "Use the extensions pdf, png, jpg, jpeg, txt, csv, odt, ods, docx, xlsx.",
    ),
    "unknown-field": (
        "`entries` names a field the artifact does not have.",
        "Use `<artifact>.<list field>[.<sub-field>]` with declared fields.",
    ),
    "not-a-list": (
        "`entries` names a field that is not a list.",
        "Name a field of `type: list`.",
    ),
    "entries-need-subfield": (
        "`entries` names a list of objects without the sub-field holding each entry's name.",
        "Add the sub-field: `<artifact>.<list field>.<sub-field>`.",
    ),
    "check-without-message": (
        "A `check` criterion without `message`.",
        "Add a message that says what is missing.",
    ),
    "bad-expression": (
        "A `check` expression that does not compile in Jinja's sandbox or uses unknown names.",
        "Fix the expression; use `artifacts`, `events`, `decisions`, `process`.",
    ),
    "template-outside": (
        "A template path leaves the template folders (absolute, `..`, a drive or a "
        "backslash); refused without looking whether such a file exists.",
        "Name a file relative to the `templates/` folder beside the workflow.",
    ),
    "template-name-too-long": (
        "A part of the template name is longer than file systems allow (255 bytes).",
        "Use a shorter file name.",
    ),
    "id-too-long": (
        "An id is longer than 100 characters (ids become parts of file names).",
        "Use a shorter id.",
    ),
    "unknown-template": (
        "A named template that is not found in the template folders.",
        "Put it into `templates/` next to the workflow or fix the name.",
    ),
    # scenario files
    "unknown-command": (
        "A scenario step with a key that is no command.",
        "Use the suggested command.",
    ),
    "several-commands": ("A scenario step with more than one command.", "One command per step."),
    "empty-step": (
        "A scenario step without command and without `expect`.",
        "Add a command or `expect`.",
    ),
    "missing-subject": (
        "A scenario command that needs an id got none (`submit:`).",
        "Write `submit: <artifact>`.",
    ),
    "unexpected-subject": (
        "A scenario command that takes no id got one (`advance: x`).",
        "Write `advance:` without a value.",
    ),
    "step-failed": (
        "A scenario step failed: an unexpected error, a missing expected error, or an unmet `expect`.",
        "Read the message: it names the step and the difference.",
    ),
}
