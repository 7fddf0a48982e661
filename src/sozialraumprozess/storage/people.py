"""Personal data kept apart from the log, so it can be erased (DSGVO Art. 17).

A stored log is immutable (and hash-chained): a name written into it could only
be removed by rewriting history. So stores never write the names and contact
data of participants into events. :func:`pseudonymize` replaces them, on the way
into the store, by pseudonymous person ids (``person:<16 hex>``, see
:mod:`sozialraumprozess.runtime.pseudonyms`) and collects them in the run's
:class:`People` — the *person directory*, kept in an erasable part of the store
(folder store: ``people.json`` beside the log; SQLite: table ``people``).
:func:`reidentify` puts them back when a run is read, so a process in memory
looks as it always did.

Erasing a person (:func:`erase`) removes name, contact data and consents from
the directory and keeps only the id and the day of erasure; the log is
untouched, so the run still opens, replays and verifies, and shows the person
as "[gelöscht]" / "[erased]".

What a store must do (the store contract tests it):

* ``create`` / ``append``: pass the events through :func:`pseudonymize` with
  the run's directory, store the directory it returns (if it changed) together
  with (or before) the events, and store only the pseudonymized events;
* ``read_events`` / ``load``: pass the stored events through :func:`reidentify`;
* ``read_people(run_id)``: the directory (empty for runs without one);
* ``update_people(run_id, change, *, erase=False)``: replace the directory with
  ``change(current)`` atomically; with ``erase`` leave no readable trace of what
  was removed (overwrite the old file; SQLite ``secure_delete`` and ``VACUUM``).

Runs written before this existed hold names in their events. They open and
replay unchanged; :attr:`People.since` (the first seq written pseudonymously)
tells which events may still hold names, and erasure refuses a name found there.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from attrs import evolve, field, frozen

from sozialraumprozess.errors import CorruptRunError
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime.events import ParticipantSet
from sozialraumprozess.runtime.pseudonyms import is_person_id, new_person_id
from sozialraumprozess.runtime.records import Actor, Participant, ProcessEvent

__all__ = [
    "PEOPLE_FILE",
    "PEOPLE_FORMAT",
    "PUBLICATION",
    "Consent",
    "People",
    "Person",
    "decode_people",
    "encode_people",
    "erased",
    "names_in_log",
    "pseudonymize",
    "reidentify",
    "with_consent",
]

#: The format tag of a person directory.
PEOPLE_FORMAT = "sozialraumprozess-people/1"
#: The folder store's file of a run's person directory.
PEOPLE_FILE = "people.json"
#: The consent purpose that lets a person's name appear in public documents.
PUBLICATION = "publication"


@frozen
class Consent:
    """A person's consent: for what, and when it was given.

    Attributes:
        purpose: What for, e.g. ``publication`` (named in public documents).
        date: ISO date ``YYYY-MM-DD`` it was given.
    """

    purpose: str
    date: str


@frozen
class Person:
    """One entry of a run's person directory.

    Attributes:
        id: The pseudonymous id the log uses.
        name: The participant's name; ``None`` once erased.
        contacts: ``(seq, contact)`` for each stored participant event that gave contact data.
        consents: Consents given.
        erased: ISO date of erasure, or ``None``.
    """

    id: str
    name: str | None
    contacts: tuple[tuple[int, str], ...] = ()
    consents: tuple[Consent, ...] = ()
    erased: str | None = None

    def contact_at(self, seq: int) -> str | None:
        """The contact data the participant event ``seq`` gave, if any."""
        for at, contact in self.contacts:
            if at == seq:
                return contact
        return None

    def consented(self, purpose: str) -> bool:
        """True if a consent for ``purpose`` is recorded."""
        return any(c.purpose == purpose for c in self.consents)


@frozen
class People:
    """A run's person directory (immutable; the change functions return a new one).

    Attributes:
        persons: Every person by id.
        since: The first seq written pseudonymously (``None``: none yet). Events
            before it were stored by an older library and may hold names.
    """

    persons: Mapping[str, Person] = field(factory=dict)
    since: int | None = None

    def by_name(self, name: str) -> Person | None:
        """The (not erased) person with this name."""
        for person in self.persons.values():
            if person.name == name:
                return person
        return None

    def with_person(self, person: Person) -> People:
        """This directory with ``person`` added or replaced."""
        return evolve(self, persons={**self.persons, person.id: person})

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible data (see :func:`encode_people`)."""
        return {
            "format": PEOPLE_FORMAT,
            "since": self.since,
            "persons": {
                p.id: {
                    "name": p.name,
                    "contacts": [[seq, contact] for seq, contact in p.contacts],
                    "consents": [{"purpose": c.purpose, "date": c.date} for c in p.consents],
                    "erased": p.erased,
                }
                for p in self.persons.values()
            },
        }


def _checksum(data: dict[str, Any]) -> str:
    """SHA-256 of the directory's canonical JSON (without its own ``sha256``)."""
    body = {key: value for key, value in data.items() if key != "sha256"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def encode_people(people: People) -> bytes:
    """The directory as UTF-8 JSON (sorted keys, indented, ending in a newline), with
    the SHA-256 of its content (``sha256``): names are not in the events' hash chain
    (they stay erasable), so a damaged name must not read back as another name."""
    data = people.to_dict()
    data["sha256"] = _checksum(data)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)
    return (text + "\n").encode("utf-8")


def decode_people(raw: bytes | str | None, where: str) -> People:
    """The directory from its stored JSON (``None`` or empty: an empty directory).

    Raises:
        CorruptRunError: Not UTF-8 JSON of a person directory (names ``where``).
    """
    if not raw:
        return People()
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("format") != PEOPLE_FORMAT:
            raise ValueError(f"not a {PEOPLE_FORMAT} object")
        stored = data.get("sha256")  # directories written before it have none
        if stored is not None and stored != _checksum(data):
            raise CorruptRunError(where, None, msg("people.checksum"))
        since = data.get("since")
        if since is not None and type(since) is not int:
            raise ValueError("since is not an integer")
        persons = {pid: _person(pid, entry) for pid, entry in data["persons"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CorruptRunError(where, None, msg("people.unreadable", detail=str(exc))) from exc
    return People(persons, since)


def _person(pid: Any, entry: Any) -> Person:
    if not is_person_id(pid) or not isinstance(entry, dict):
        raise ValueError(f"bad person entry {pid!r}")
    name, erased = entry.get("name"), entry.get("erased")
    if not (name is None or isinstance(name, str)) or not (
        erased is None or isinstance(erased, str)
    ):
        raise ValueError(f"bad name or erased of {pid}")
    contacts = tuple((int(seq), str(contact)) for seq, contact in entry.get("contacts", []))
    consents = tuple(Consent(str(c["purpose"]), str(c["date"])) for c in entry.get("consents", []))
    return Person(pid, name, contacts, consents, erased)


def pseudonymize(
    events: Sequence[ProcessEvent], people: People
) -> tuple[list[ProcessEvent], People]:
    """The events as they are stored, and the directory that goes with them.

    Participant names (in participant events and in actors) become person ids;
    contact data moves into the directory, keyed by the event's seq. Names that
    are ids already (an erased person) stay as they are.
    """
    names = {p.name: p.id for p in people.persons.values() if p.name is not None}
    persons = dict(people.persons)
    since = people.since

    def pid_of(name: str) -> str:
        if is_person_id(name):
            return name
        pid = names.get(name)
        if pid is None:
            pid = names[name] = new_person_id()
            persons[pid] = Person(pid, name)
        return pid

    stored: list[ProcessEvent] = []
    for entry in events:
        actor, event = entry.actor, entry.event
        if actor.participant is not None and not is_person_id(actor.participant):
            actor = Actor(actor.role, pid_of(actor.participant))
        if isinstance(event, ParticipantSet):
            participant = event.participant
            pid = pid_of(participant.name)
            if participant.contact is not None:
                person = persons[pid]
                persons[pid] = evolve(
                    person, contacts=(*person.contacts, (entry.seq, participant.contact))
                )
            event = ParticipantSet(evolve(participant, name=pid, contact=None))
        if since is None:
            since = entry.seq
        changed = actor is not entry.actor or event is not entry.event
        stored.append(evolve(entry, actor=actor, event=event) if changed else entry)
    return stored, People(persons, since)


def reidentify(events: Iterable[ProcessEvent], people: People) -> tuple[ProcessEvent, ...]:
    """Stored events with names and contact data put back from ``people``.

    Erased persons keep their id. Without a directory the events are returned as
    they are (runs of older libraries, runs without participants).
    """
    if not people.persons:
        return tuple(events)
    persons = people.persons
    actors: dict[Actor, Actor] = {}
    out: list[ProcessEvent] = []
    for entry in events:
        actor, event = entry.actor, entry.event
        if actor.participant is not None and actor.participant in persons:
            found = actors.get(actor)
            if found is None:
                name = persons[actor.participant].name
                found = actors[actor] = actor if name is None else Actor(actor.role, name)
            actor = found
        if type(event) is ParticipantSet and event.participant.name in persons:
            was = event.participant
            person = persons[was.name]
            contact = person.contact_at(entry.seq) if person.contacts else None
            # Built directly, not with attrs.evolve: 10,000 participants of a long run
            # are put back in a few milliseconds (benchmarks/open_run.py).
            event = ParticipantSet(
                Participant(person.name or person.id, was.roles, was.kind, contact, was.active)
            )
        changed = actor is not entry.actor or event is not entry.event
        out.append(evolve(entry, actor=actor, event=event) if changed else entry)
    return tuple(out)


def erased(people: People, person_id: str, day: str) -> People:
    """``people`` with the person's name, contact data and consents removed (kept: the
    id and the day of erasure)."""
    return people.with_person(Person(person_id, None, (), (), day))


def with_consent(people: People, person_id: str, consent: Consent) -> People:
    """``people`` with ``consent`` recorded for the person (a repeated purpose is replaced)."""
    person = people.persons[person_id]
    kept = tuple(c for c in person.consents if c.purpose != consent.purpose)
    return people.with_person(evolve(person, consents=(*kept, consent)))


def names_in_log(events: Iterable[ProcessEvent], people: People, name: str) -> list[int]:
    """The seqs of read events that were *stored* holding ``name`` (before :attr:`People.since`).

    Such events were written by a library that kept names in the log; the name
    cannot be erased from them without rewriting history.
    """
    since = people.since
    found = []
    for entry in events:
        if since is not None and entry.seq >= since:
            break
        event = entry.event
        if entry.actor.participant == name or (
            isinstance(event, ParticipantSet) and event.participant.name == name
        ):
            found.append(entry.seq)
    return found
