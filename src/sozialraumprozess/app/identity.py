"""The seam between a host application's login and the actor of a command.

The library checks what a role or participant may do; it cannot know who is at
the keyboard. On the command line ``--as`` is a *declared claim*: a consultant
working on their own files says in which role they act. A web application must
not pass such a claim on from a request (``?by=rat`` would make anyone the
council). Instead it gives the :class:`~sozialraumprozess.app.Service` an
:data:`ActorMap` and passes the :class:`Identity` it authenticated::

    users = {"a.berger@schwerte.de": "Anna Berger", "ratsbuero": "rat"}
    service = Service(store, actors=lambda run_id, who: users.get(who.user))
    service.submit("schwerte-ost", "analysebericht", data, by=Identity(request.user))

A service with an ``actors`` map refuses a bare ``by="…"`` string, so no code
path can fall back to trusting one; the map decides which participant (or role)
the authenticated user is in that run, and the workflow decides what they may do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from attrs import frozen

from sozialraumprozess.errors import CommandRejected
from sozialraumprozess.i18n import msg

__all__ = ["ActorMap", "Identity", "actor_for", "fixed_actors"]


@frozen
class Identity:
    """A user the host application has authenticated (build it from the session, not
    from request data).

    Attributes:
        user: The application's id of the user (login name, subject of a token).
    """

    user: str


#: ``(run_id, identity) -> by``: the participant name or role id an authenticated
#: user acts as in a run, or ``None`` if they have no standing in it.
ActorMap = Callable[[str, Identity], "str | None"]


def fixed_actors(users: Mapping[str, str]) -> ActorMap:
    """An :data:`ActorMap` from a mapping of user id to participant name (or role
    id), the same in every run."""
    table = dict(users)

    def actors(run_id: str, identity: Identity) -> str | None:
        return table.get(identity.user)

    return actors


def actor_for(actors: ActorMap | None, run_id: str, by: str | Identity) -> str:
    """The ``by=`` value a command in run ``run_id`` runs with.

    Raises:
        CommandRejected: ``by`` is an :class:`Identity` but there is no map
            (``identity-without-map``), the map knows no actor for it
            (``identity-unmapped``), or ``by`` is a bare claim although the
            service maps identities (``bare-claim``).
    """
    if isinstance(by, Identity):
        if actors is None:
            raise CommandRejected(
                "identity-without-map", msg("app.identity-without-map", user=by.user)
            )
        found = actors(run_id, by)
        if not isinstance(found, str) or not found:
            raise CommandRejected(
                "identity-unmapped", msg("app.identity-unmapped", user=by.user, run_id=run_id)
            )
        return found
    if actors is not None:
        raise CommandRejected("bare-claim", msg("app.bare-claim", by=str(by)))
    return by
