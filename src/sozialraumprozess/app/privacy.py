"""Personal data of participants under the DSGVO: export (Art. 15), erasure (Art. 17),
consent (Art. 7).

Names and contact data live in each run's person directory, apart from the
immutable log (see :mod:`sozialraumprozess.storage.people`). So:

* :func:`export_person` gathers everything the store holds about a name, over
  every run: participant entries, contact data, consents, the events they acted in;
* :func:`erase_person` removes name, contact data and consents of a participant
  from a run's directory (the store leaves no readable copy), deletes the run's
  rendered files that show the name, and checks that the run still opens;
* :func:`record_consent` records what a person agreed to and when — consent
  for ``publication`` lets their name appear in public documents.

A run stored before personal data was kept apart may hold the name in its log;
erasure refuses it with the events that hold it (its history cannot be changed).
"""

from __future__ import annotations

import html
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import frozen

from sozialraumprozess.errors import CommandRejected, RunNotFound
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime.clock import SystemClock, format_time
from sozialraumprozess.runtime.pseudonyms import is_person_id
from sozialraumprozess.storage.people import (
    Consent,
    People,
    erased,
    names_in_log,
    with_consent,
)

if TYPE_CHECKING:
    from sozialraumprozess.app.service import Service

__all__ = ["Erasure", "erase_person", "export_person", "record_consent"]


@frozen
class Erasure:
    """What :func:`erase_person` did.

    Attributes:
        run_id: The run.
        person_id: The pseudonymous id that now stands for the person.
        removed_files: Rendered files that showed the name and were deleted
            (render them again: they then show "[gelöscht]").
    """

    run_id: str
    person_id: str
    removed_files: tuple[str, ...]


def _today(service: Service) -> str:
    return (service.clock or SystemClock()).now().date().isoformat()


def _person_id(people: People, name: str, run_id: str) -> str:
    if not isinstance(name, str) or not name.strip() or is_person_id(name):
        raise CommandRejected("unknown-person", msg("people.unknown", name=name, run_id=run_id))
    person = people.by_name(name)
    if person is None:
        raise CommandRejected("unknown-person", msg("people.unknown", name=name, run_id=run_id))
    return person.id


def erase_person(service: Service, run_id: str, name: str) -> Erasure:
    """Erase a participant's name, contact data and consents from run ``run_id``.

    Raises:
        RunNotFound: No such run.
        CommandRejected: No participant of that name (``unknown-person``), or the
            run's log holds the name itself (``name-in-log``, with the events).
    """
    store = service.store
    opened = service.load(run_id)
    people = store.read_people(run_id)
    held = names_in_log(opened.process.log, people, name)
    if held:
        raise CommandRejected(
            "name-in-log",
            msg(
                "people.name-in-log",
                name=name,
                run_id=run_id,
                seqs=", ".join(str(seq) for seq in held),
            ),
        )
    person_id = _person_id(people, name, run_id)
    day = _today(service)
    store.update_people(run_id, lambda current: erased(current, person_id, day), erase=True)
    removed = _remove_files_showing(opened.files, name)
    service.load(run_id)  # the run still opens and replays
    return Erasure(run_id, person_id, removed)


def _remove_files_showing(folder: Path | None, name: str) -> tuple[str, ...]:
    """Delete the files under ``folder`` holding ``name`` (as text, HTML or JSON)."""
    if folder is None or not folder.is_dir():
        return ()
    forms = {
        name.encode("utf-8"),
        html.escape(name).encode("utf-8"),
        json.dumps(name)[1:-1].encode("utf-8"),
    }
    removed = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.name in _STORE_FILES:
            continue
        data = path.read_bytes()
        if any(form in data for form in forms):
            path.unlink()
            removed.append(str(path.relative_to(folder)))
    return tuple(removed)


#: Files of a folder store's run that are not rendered documents.
_STORE_FILES = frozenset(("events.jsonl", "run.json", "people.json", ".lock", ".lock.soft"))


def record_consent(service: Service, run_id: str, name: str, purpose: str, day: str | date) -> None:
    """Record that participant ``name`` consented to ``purpose`` on ``day``.

    Raises:
        RunNotFound: No such run.
        CommandRejected: No participant of that name, an empty purpose or a bad date.
    """
    text = day.isoformat() if isinstance(day, date) else day
    try:
        date.fromisoformat(text)
    except (TypeError, ValueError):
        raise CommandRejected("bad-date", msg("people.bad-date", value=repr(day))) from None
    if not isinstance(purpose, str) or not purpose.strip():
        raise CommandRejected("bad-purpose", msg("people.bad-purpose"))
    store = service.store
    person_id = _person_id(store.read_people(run_id), name, run_id)
    consent = Consent(purpose.strip(), text)
    store.update_people(run_id, lambda current: with_consent(current, person_id, consent))


def export_person(service: Service, name: str) -> dict[str, Any]:
    """Everything the store holds about participant ``name``, over all runs (Art. 15).

    Returns ``{"name", "exported_at", "runs": [...]}``; each run entry has
    ``run_id``, ``participant`` (roles, kind, contact, active), ``contacts``
    (every contact given, with the event), ``consents``, ``actions`` (seq,
    time, type, role of every event they acted in), and ``in_log`` (seqs of an
    older log that holds the name itself).
    """
    runs = []
    for run_id in service.run_ids():
        try:
            opened = service.load(run_id)
        except RunNotFound:  # deleted meanwhile
            continue
        people = service.store.read_people(run_id)
        process = opened.process
        participant = process.state.participants.get(name)
        if participant is None:
            continue
        person = people.by_name(name)
        runs.append(
            {
                "run_id": run_id,
                "person_id": None if person is None else person.id,
                "participant": {
                    "roles": list(participant.roles),
                    "kind": participant.kind,
                    "contact": participant.contact,
                    "active": participant.active,
                },
                "contacts": [] if person is None else [list(c) for c in person.contacts],
                "consents": []
                if person is None
                else [{"purpose": c.purpose, "date": c.date} for c in person.consents],
                "actions": [
                    {
                        "seq": e.seq,
                        "time": format_time(e.time),
                        "type": e.type,
                        "role": e.actor.role,
                    }
                    for e in process.log
                    if e.actor.participant == name
                ],
                "in_log": names_in_log(process.log, people, name),
            }
        )
    now = format_time((service.clock or SystemClock()).now())
    return {"name": name, "exported_at": now, "runs": runs}
