"""Messages kept as JSON (`to_json` / `from_json`) are worded exactly as the originals."""

from __future__ import annotations

import json
import pickle
from datetime import date
from typing import Any

import pytest

from sozialraumprozess import Label
from sozialraumprozess.i18n import (
    LANGS,
    Message,
    Number,
    Texts,
    from_json,
    joined,
    msg,
    plural,
    to_json,
    word,
)


def _round_trip(value: Any) -> Any:
    return from_json(json.loads(json.dumps(to_json(value), ensure_ascii=False)))


MESSAGES = [
    msg("name.did-you-mean", name="zielbeschluss"),
    plural("process.transition-blocked", 2, phase="a", target="b"),
    Message("name.known", {"known": msg("name.did-you-mean", name="x")}),  # nested
    msg("name.did-you-mean", name=Label(de="Auftrag", en="Mandate")),
    msg("name.did-you-mean", name=Label(de="nur deutsch")),
    msg("name.did-you-mean", name=joined(["a", Label(de="b", en="B")], msg("cli.kind-event"))),
    msg("name.did-you-mean", name=Number(2097152)),
    msg("name.did-you-mean", name=1.5),
    msg("name.did-you-mean", name=True),
    msg("name.did-you-mean", name=None),
    msg("name.did-you-mean", name=["a", 1, 2.0]),
    msg("name.did-you-mean", name=("a", 1)),
]


@pytest.mark.parametrize("message", MESSAGES, ids=range(len(MESSAGES)))
def test_a_message_read_back_is_worded_alike_in_every_language(message: Message) -> None:
    back = _round_trip(message)
    assert isinstance(back, Message)
    for lang in LANGS:
        assert back.text(lang) == message.text(lang)


def test_a_plain_message_comes_back_equal() -> None:
    message = plural("process.transition-blocked", 3, phase="a", target=("x", "y"))
    assert _round_trip(message) == message
    assert to_json(message)["count"] == 3


def test_what_is_worded_per_language_comes_back_as_texts() -> None:
    back = _round_trip(Label(de="Rat", en="Council"))
    assert back == Texts({"de": "Rat", "en": "Council"})
    assert (word(back, "de"), word(back, "en")) == ("Rat", "Council")
    assert word("plain", "en") == "plain"


def test_structures_keep_their_shape() -> None:
    value = {"a": [1, {"b": (2, None)}], "c": msg("cli.kind-event")}
    assert _round_trip(value) == value


def test_texts_refuse_a_language_they_were_not_kept_in() -> None:
    with pytest.raises(ValueError, match="no text in language 'en': kept in de"):
        Texts({"de": "Rat"}).get("en")


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (date(2025, 1, 1), "cannot keep date as JSON"),
        ({"$msg": "x"}, r"cannot keep the mapping key '\$msg'"),
        ({1: "x"}, "cannot keep the mapping key 1"),
        (msg("name.did-you-mean", name=object()), "cannot keep object as JSON"),
    ],
)
def test_what_cannot_be_worded_later_is_refused(value: Any, error: str) -> None:
    with pytest.raises(TypeError, match=error):
        to_json(value)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"$msg": 1, "params": {}}, "not a message"),
        ({"$msg": "x", "params": []}, "not a message"),
        ({"$msg": "x", "params": {}, "count": True}, "not a message"),
        ({"$texts": {"de": 1}}, "not texts per language"),
        ({"$tuple": "ab"}, "not a tuple"),
        ({"$what": 1}, "unknown tag"),
        (object(), "not JSON data"),
    ],
)
def test_data_not_made_by_to_json_is_refused(data: Any, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        from_json(data)


def test_messages_stay_values() -> None:
    """Messages are frozen values: equal by code, parameters and count; hashable by
    code and count; picklable (dataclasses since they stopped being attrs classes)."""
    a, b = msg("cli.kind-event", x=1), msg("cli.kind-event", x=1)
    assert a == b
    assert hash(a) == hash(b)
    assert a != msg("cli.kind-event", x=2)
    assert repr(a) == "Message(code='cli.kind-event', params={'x': 1}, count=None)"
    assert pickle.loads(pickle.dumps(a)) == a  # noqa: S301 - our own bytes
    with pytest.raises(AttributeError):
        a.code = "other"  # type: ignore[misc]


class _Shouted(Message):
    """A message worded its own way (like the definition's untranslated pairs)."""

    def text(self, lang: Any = "de") -> str:
        return super().text(lang).upper()


def test_a_message_worded_its_own_way_is_kept_as_its_texts() -> None:
    message = _Shouted("name.did-you-mean", {"name": "x"})
    back = _round_trip(message)
    assert isinstance(back, Texts)
    assert [back.get(lang) for lang in LANGS] == [message.text(lang) for lang in LANGS]


def test_codes_the_catalogs_lack_are_found() -> None:
    from sozialraumprozess.i18n import has_text, messages_in

    inner = msg("name.did-you-mean", name="x")
    outer = msg("name.known", known=inner, more=[msg("gone.code")], pair=(msg("cli.kind-event"),))
    assert [m.code for m in messages_in({"a": [outer]})] == [
        "name.known",
        "name.did-you-mean",
        "gone.code",
        "cli.kind-event",
    ]
    assert has_text("name.known", "en")
    assert not has_text("gone.code", "de")
