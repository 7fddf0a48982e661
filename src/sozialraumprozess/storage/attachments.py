"""File attachments in a store (format v2 ``file`` fields): content-addressed by sha256.

Every store keeps attachments the same way, through two methods of the port
(:class:`~sozialraumprozess.storage.base.RunStore`):

* ``put_attachment(content, name) -> dict`` checks the file
  (:func:`~sozialraumprozess.definition.fields.file.check_file`: size cap, type
  allow-list, content matching its type; :class:`AttachmentRefused` otherwise),
  keeps the bytes once under their sha256, and returns the reference a ``file``
  field holds: ``{"sha256", "name", "size", "type"}``;
* ``get_attachment(sha256) -> bytes | None`` returns the bytes, verified against
  their hash (:class:`CorruptRunError` if they were changed), or ``None``.

Attachments are not part of any run's log (a run's data holds only the
reference), so the same file attached twice is stored once.
"""

from __future__ import annotations

import hashlib
import re

from sozialraumprozess.errors import CorruptRunError
from sozialraumprozess.i18n import msg

__all__ = ["ATTACHMENTS_DIR", "check_sha256", "verified"]

#: The folder (folder store) or table (SQLite store) of attachments.
ATTACHMENTS_DIR = "attachments"

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def check_sha256(sha256: str) -> str:
    """``sha256`` if it is 64 lower-case hex digits.

    Raises:
        ValueError: It is not.
    """
    if not isinstance(sha256, str) or not _SHA256.match(sha256):
        raise ValueError(f"not a sha256 hex digest: {sha256!r}")
    return sha256


def verified(content: bytes, sha256: str, where: str) -> bytes:
    """``content`` if its sha256 is ``sha256``.

    Raises:
        CorruptRunError: The stored bytes were changed (names ``where``).
    """
    if hashlib.sha256(content).hexdigest() != sha256:
        raise CorruptRunError(where, None, msg("items.attachment-changed", sha256=sha256))
    return content
