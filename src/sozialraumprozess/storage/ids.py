"""Run ids: names that are safe as folder names and database keys."""

from __future__ import annotations

import unicodedata

from sozialraumprozess.errors import InvalidRunId
from sozialraumprozess.i18n import msg

__all__ = ["MAX_RUN_ID_LENGTH", "validate_run_id"]

#: Longest accepted run id (characters).
MAX_RUN_ID_LENGTH = 128


def validate_run_id(run_id: object) -> str:
    """``run_id`` if it is a valid run id.

    A run id is a non-empty string of at most :data:`MAX_RUN_ID_LENGTH`
    characters; it is not ``.`` or ``..``, does not start with ``.`` (hidden and
    temporary files), has no ``/`` or ``\\``, no control characters and no
    leading or trailing whitespace.

    Raises:
        InvalidRunId: Says which rule is broken.
    """
    if not isinstance(run_id, str):
        raise InvalidRunId(run_id, msg("store.run-id-not-text", type=type(run_id).__name__))
    if not run_id:
        raise InvalidRunId(run_id, msg("store.run-id-empty"))
    if len(run_id) > MAX_RUN_ID_LENGTH:
        raise InvalidRunId(run_id, msg("store.run-id-too-long", max=MAX_RUN_ID_LENGTH))
    if run_id in (".", ".."):
        raise InvalidRunId(run_id, msg("store.run-id-dots"))
    for char in ("/", "\\"):
        if char in run_id:
            raise InvalidRunId(run_id, msg("store.run-id-contains", char=char))
    if run_id.startswith("."):
        raise InvalidRunId(run_id, msg("store.run-id-starts-with-dot"))
    for index, char in enumerate(run_id):
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            code = f"U+{ord(char):04X}"
            raise InvalidRunId(run_id, msg("store.run-id-control", char=code, position=index + 1))
    if run_id != run_id.strip():
        raise InvalidRunId(run_id, msg("store.run-id-whitespace"))
    return run_id
