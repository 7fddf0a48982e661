"""The tamper-evident log: a hash chain per run, the same for every store.

Each stored event carries ``hash``: the SHA-256 of the previous event's hash
followed by the event's *canonical content* — its JSON with sorted keys,
compact separators and UTF-8 text (exactly what :func:`.codec.encode_events`
writes for it, the ``hash`` itself left out)::

    hash(1) = sha256(GENESIS     + content(1))
    hash(n) = sha256(hash(n - 1) + content(n))        (hashes as 64 hex digits)

The last hash is the run's *head*; the run's summary keeps it, and
``sozialraum verify`` prints it. Changing, inserting, removing or reordering any
event changes every hash from there on, so a reader that recomputes the chain
names the first event that is not what was written. A store that keeps the
event text (folder, SQLite) hashes those very bytes; a store that keeps parsed
JSON recomputes the canonical content with :func:`canonical`, which gives the
same bytes.

What the chain proves, and what not: see ``docs/explanation/security.md``. In
short, it proves that the log is the one whose head you know; someone with
write access can rewrite a whole chain, so pin the head elsewhere (the council's
minutes, the PDF report).

A folder-store line puts the hash last, after the canonical content, so the
content is the line without its fixed-length end (:func:`split_line`)::

    {"actor":{…},"payload":{…},"seq":1,"time":"…","type":"process_started","hash":"3f…"}
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from attrs import frozen

__all__ = [
    "CHAIN_FORMAT",
    "GENESIS",
    "HASH_KEY",
    "ChainBreak",
    "Verified",
    "canonical",
    "chain_line",
    "is_hash",
    "link",
    "seal",
    "split_line",
    "verify_links",
]

#: Names the chain's rules (genesis, hash function, canonical content) in records.
CHAIN_FORMAT = "sozialraumprozess-chain/1"
#: The "previous hash" of a run's first event.
GENESIS = "0" * 64
#: The key of an event's hash in a stored line.
HASH_KEY = "hash"

_PREFIX = ',"hash":"'
_SUFFIX_LEN = len(_PREFIX) + 64 + 2  # ,"hash":"<64 hex>"}
_HEX = frozenset("0123456789abcdef")


def link(prev: str, content: bytes) -> str:
    """The hash of an event with canonical ``content`` after an event with hash ``prev``."""
    return hashlib.sha256(prev.encode("ascii") + content).hexdigest()


def is_hash(value: object) -> bool:
    """True if ``value`` is 64 lowercase hex digits (a hash as stored)."""
    return isinstance(value, str) and len(value) == 64 and _HEX.issuperset(value)


def canonical(data: dict[str, Any]) -> bytes:
    """The canonical content of a stored event's JSON data (its ``hash`` left out)."""
    content = {key: value for key, value in data.items() if key != HASH_KEY}
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def seal(values: Sequence[Any]) -> str:
    """A checksum over a stored summary row (JSON of ``values``), so a changed row is
    noticed without replaying its run (SQLite's ``runs.seal``)."""
    text = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def chain_line(content: bytes, prev: str) -> tuple[bytes, str]:
    """The stored line (without ``\\n``) of an event with canonical ``content``, and its hash."""
    digest = link(prev, content)
    return content[:-1] + f'{_PREFIX}{digest}"}}'.encode("ascii"), digest


def split_line(line: str) -> tuple[str, str] | None:
    """``(content, hash)`` of a chained line (text without ``\\n``); ``None`` if the
    line does not end in ``,"hash":"<64 hex>"}`` (a line written before chains)."""
    if len(line) <= _SUFFIX_LEN or line[-_SUFFIX_LEN:][: len(_PREFIX)] != _PREFIX:
        return None
    if line[-2:] != '"}':
        return None
    digest = line[-66:-2]
    if not _HEX.issuperset(digest):
        return None
    return line[:-_SUFFIX_LEN] + "}", digest


@frozen
class ChainBreak:
    """The first event whose stored hash is not the recomputed one.

    Attributes:
        index: 0-based position in the log (the event's seq is ``index + 1``).
        stored: The hash stored with the event.
        computed: The hash its content and its predecessor give.
    """

    index: int
    stored: str
    computed: str


@frozen
class Verified:
    """A chain recomputed over a whole log.

    Attributes:
        head: The last event's hash (:data:`GENESIS` for an empty log), as recomputed.
        count: The number of events checked.
        broken: The first event that does not match, or ``None``.
    """

    head: str
    count: int
    broken: ChainBreak | None = None


def verify_links(entries: Iterable[tuple[bytes, str]], prev: str = GENESIS) -> Verified:
    """Recompute the chain over ``(content, stored hash)`` pairs, oldest first.

    Stops at the first pair whose stored hash is not the recomputed one.
    """
    count = 0
    for count, (content, stored) in enumerate(entries, start=1):
        computed = link(prev, content)
        if computed != stored:
            return Verified(prev, count - 1, ChainBreak(count - 1, stored, computed))
        prev = computed
    return Verified(prev, count)
