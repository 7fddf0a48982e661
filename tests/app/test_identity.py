"""The seam for applications: an authenticated Identity becomes the actor through
the service's map; a service with a map never trusts a bare role string."""

from __future__ import annotations

from pathlib import Path

import pytest

from sozialraumprozess.app import Identity, Service, fixed_actors
from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.errors import CommandRejected, PermissionDenied

SIX = load_workflow("generationengerechte-sozialraumentwicklung")
USERS = {"k.meier": "kommune", "a.berger": "Anna Berger"}


def service(tmp_path: Path) -> Service:
    app = Service.open(f"sqlite://{tmp_path}/p.db", create=True, actors=fixed_actors(USERS))
    app.start("ost", SIX, sozialraum="Ost", by=Identity("k.meier"))
    return app


def test_an_identity_acts_as_the_participant_it_is_mapped_to(tmp_path: Path) -> None:
    app = service(tmp_path)
    app.set_participant(
        "ost", "Anna Berger", ["sozialraumkoordination"], kind="person", by=Identity("k.meier")
    )
    opened = app.load("ost")
    assert [e.actor.role for e in opened.process.log] == ["kommune", "kommune"]
    app.close()


def test_a_bare_claim_is_refused_by_a_service_with_a_map(tmp_path: Path) -> None:
    app = service(tmp_path)
    with pytest.raises(CommandRejected) as info:
        app.set_participant("ost", "Mallory", ["rat"], by="rat")
    assert info.value.code == "bare-claim"
    assert info.value.message("en") == (
        "This service maps signed-in users; a bare claim 'rat' is not accepted. "
        "Pass the signed-in user's Identity."
    )
    assert len(app.load("ost").process.log) == 1
    app.close()


def test_an_unmapped_user_is_refused(tmp_path: Path) -> None:
    app = service(tmp_path)
    with pytest.raises(CommandRejected) as info:
        app.advance("ost", by=Identity("mallory"))
    assert info.value.code == "identity-unmapped"
    assert info.value.message("de") == (
        "Der angemeldete Benutzer 'mallory' ist im Lauf 'ost' keinem Beteiligten und keiner "
        "Rolle zugeordnet."
    )
    app.close()


def test_the_mapped_actor_is_still_checked_against_the_workflow(tmp_path: Path) -> None:
    """The map says who the user is; the workflow says what they may do."""
    app = service(tmp_path)
    with pytest.raises(PermissionDenied) as info:
        app.set_participant("ost", "Mallory", ["rat"], by=Identity("k.meier"))
    assert info.value.subject == "rat"
    app.close()


def test_an_identity_without_a_map_is_refused(tmp_path: Path) -> None:
    app = Service.open(f"sqlite://{tmp_path}/p.db", create=True)
    with pytest.raises(CommandRejected) as info:
        app.start("ost", SIX, sozialraum="Ost", by=Identity("k.meier"))
    assert info.value.code == "identity-without-map"
    assert app.run_ids() == []
    app.close()
