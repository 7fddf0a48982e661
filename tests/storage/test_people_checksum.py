"""The person directory carries the SHA-256 of its content: a damaged name is refused
with the directory named, never read back as another name; directories written before
the checksum still read."""

from __future__ import annotations

import json

import pytest

from sozialraumprozess.errors import CorruptRunError
from sozialraumprozess.storage.people import People, Person, decode_people, encode_people

PID = "person:0123456789abcdef"


def _directory() -> bytes:
    return encode_people(People({PID: Person(PID, "Anna Berger")}))


def test_the_directory_reads_back_as_written() -> None:
    people = decode_people(_directory(), "people.json")
    assert people.persons[PID].name == "Anna Berger"
    assert "sha256" in json.loads(_directory())


def test_a_damaged_name_is_refused_with_the_directory_named() -> None:
    damaged = _directory().replace(b"Anna Berger", b"Anna Burger")
    json.loads(damaged)  # still valid JSON: only the checksum tells
    with pytest.raises(CorruptRunError) as info:
        decode_people(damaged, "runs/r1/people.json")
    assert "runs/r1/people.json" in info.value.message("en")
    assert "checksum does not match" in info.value.message("en")
    assert "Prüfsumme passt nicht" in info.value.message("de")


def test_a_directory_from_before_the_checksum_still_reads() -> None:
    data = json.loads(_directory())
    del data["sha256"]
    people = decode_people(json.dumps(data), "people.json")
    assert people.persons[PID].name == "Anna Berger"
