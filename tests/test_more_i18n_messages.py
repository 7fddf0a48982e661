"""Messages shown without a Message object (translate), as JSON and as plain text."""

from __future__ import annotations

from sozialraumprozess.i18n import msg, translate


def test_translate_words_a_code_with_its_parameters() -> None:
    assert translate("app.submitted", "en", title="T", version=2) == "submitted: T, version 2"
    assert translate("app.submitted", title="T", version=2) == "Eingereicht: T, Version 2"
    assert translate("process.transition-blocked", "en", 2, phase="a", target="b") == (
        "Cannot leave phase 'a' for 'b': 2 exit criteria not met:"
    )


def test_a_message_as_json_and_as_text() -> None:
    message = msg("app.submitted", title="T", version=2)
    assert message.to_dict("en") == {"code": "app.submitted", "message": "submitted: T, version 2"}
    assert message.to_dict() == {"code": "app.submitted", "message": "Eingereicht: T, Version 2"}
    assert str(message) == "Eingereicht: T, Version 2"
