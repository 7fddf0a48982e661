"""Pseudonymous person ids: how a participant appears in a stored log.

Stores keep the names and contact data of participants apart from the
immutable log (see :mod:`sozialraumprozess.storage.people`): a stored event
names a participant only by a random id of the form ``person:<16 hex digits>``.
Reading a run puts the names back; once a person's data is erased, the id
stays in the process where the name was, and documents show it as
"[gelöscht]" / "[erased]" (:func:`display_name`).

A participant name of this form can therefore never be given for a new
participant (the command refuses it).
"""

from __future__ import annotations

import re
import secrets

from sozialraumprozess.i18n import Lang, msg

__all__ = ["PERSON_ID", "display_name", "is_person_id", "new_person_id"]

#: The form of a pseudonymous person id.
PERSON_ID = re.compile(r"person:[0-9a-f]{16}")


def is_person_id(name: object) -> bool:
    """True if ``name`` is a pseudonymous person id (``person:`` and 16 hex digits)."""
    return isinstance(name, str) and PERSON_ID.fullmatch(name) is not None


def new_person_id() -> str:
    """A fresh random person id (64 random bits: it says nothing about the person)."""
    return f"person:{secrets.token_hex(8)}"


def display_name(name: str, lang: Lang = "de") -> str:
    """``name`` as people read it: an erased person (a bare id) is "[gelöscht]" / "[erased]"."""
    return msg("people.erased").text(lang) if is_person_id(name) else name
