"""Who is acting: the host's authenticated user mapped to a participant of the run.

This is the one place to change when you wire the service to your own login
(Keycloak, the municipal SSO, a reverse proxy that sets a header …): whatever
proves who the user is, ``acting_participant()`` turns it into the name the
library's commands take as ``by=`` — a participant of the run (``"Anna
Berger"``) or a role id (``"kommune"``, for an office account). The library then
checks what that participant may do; the web service decides nothing itself.

The example keeps a token table: a JSON file ``{"token": "participant"}`` named
by ``SOZIALRAUM_TOKENS``, or the demo table below when none is set.
"""

from __future__ import annotations

import json
import os
from functools import cache

# For the demo only: never run a real service with tokens that are in the source.
DEMO_TOKENS = {
    "demo-kommune": "kommune",
    "demo-koordination": "Anna Berger",
    "demo-rat": "Ausschuss für Soziales und Generationen",
}


@cache
def token_table() -> dict[str, str]:
    """Token → participant, read once per process."""
    path = os.environ.get("SOZIALRAUM_TOKENS")
    if not path:
        return dict(DEMO_TOKENS)
    with open(path, encoding="utf-8") as handle:
        table = json.load(handle)
    return {str(token): str(name) for token, name in table.items()}


def acting_participant(token: str | None) -> str | None:
    """The participant (or role id) a bearer token stands for; ``None`` if unknown."""
    if not token:
        return None
    return token_table().get(token)
