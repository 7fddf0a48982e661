"""Copies of the workflow definitions a store's runs are pinned to.

A run is pinned to its workflow definition by id, version and content hash
(``sha256:<hex>`` of the canonical JSON of :meth:`Workflow.to_dict`, see
:attr:`Workflow.content_hash`). Definitions change — a bundled workflow gets a
new version, a consultant edits their own file — while runs are kept for years.
So every store keeps a copy of each definition its runs are pinned to, keyed by
content hash, written once when a run is created (and by
:meth:`~sozialraumprozess.storage.Run.save` for runs stored without one). A
pin never changes after creation: only a run's first event (``process_started``)
sets it, and the runtime refuses a second one.

A copy keeps the definition's own key order (the order of roles, artifacts and
fields in the file: documents render fields in that order), which the content
hash ignores. So it is not stored with sorted keys; it is deterministic for a
given :class:`Workflow`, and written once: a later definition that differs only
in key order has the same hash and finds the first copy in place.

Reading a copy verifies it: the stored JSON is parsed, written again in the
canonical form (sorted keys, compact, UTF-8) and hashed; a copy that is not the
content its hash names raises :class:`~sozialraumprozess.errors.CorruptRunError`
naming the file or row. The verified data is then rebuilt with
:func:`~sozialraumprozess.definition.convert.structure_workflow` rather than
:func:`~sozialraumprozess.load_workflow`: the definition was validated when it was
first loaded, the hash proves this is that content, and ``load_workflow`` would
look for a consultant's own templates next to a workflow file that a stored copy
does not have.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from attrs import frozen

from sozialraumprozess.definition.convert import structure_workflow
from sozialraumprozess.definition.model import Workflow, canonical_json
from sozialraumprozess.errors import CorruptRunError, DefinitionMismatch
from sozialraumprozess.i18n import msg
from sozialraumprozess.runtime.records import WorkflowRef
from sozialraumprozess.storage.codec import parse_json

__all__ = [
    "StoredDefinition",
    "canonical_json",
    "describe_copy",
    "encode_compact",
    "encode_readable",
    "hash_hex",
    "is_content_hash",
    "load_copy",
    "parse_copy",
    "rebuild",
]

_HASH = re.compile(r"sha256:([0-9a-f]{64})")


@frozen
class StoredDefinition:
    """One definition a store keeps a copy of (see ``list_definitions``).

    Attributes:
        content_hash: ``sha256:<hex>``, the key of the copy (verified when listed).
        id: The workflow id.
        version: The workflow version.
    """

    content_hash: str
    id: str
    version: str

    @property
    def ref(self) -> WorkflowRef:
        """The pin of runs on this definition."""
        return WorkflowRef(self.id, self.version, self.content_hash)


def is_content_hash(value: object) -> bool:
    """True if ``value`` has the form of a content hash (``sha256:`` + 64 hex digits)."""
    return isinstance(value, str) and _HASH.fullmatch(value) is not None


def hash_hex(content_hash: str) -> str:
    """The 64 hex digits of ``content_hash`` (safe to use in a file name).

    Raises:
        ValueError: ``content_hash`` is not ``sha256:`` followed by 64 lowercase hex digits.
    """
    found = _HASH.fullmatch(content_hash) if isinstance(content_hash, str) else None
    if found is None:
        raise ValueError(
            f"not a content hash: {content_hash!r} (expected 'sha256:' and 64 hex digits)"
        )
    return found.group(1)


def encode_compact(workflow: Workflow) -> str:
    """The copy as stored in a SQLite row: compact JSON in the definition's key order."""
    return json.dumps(workflow.to_dict(), ensure_ascii=False, separators=(",", ":"))


def encode_readable(workflow: Workflow) -> bytes:
    """The copy as stored in a folder store: indented JSON in the definition's key
    order, UTF-8, final newline (deterministic for a given :class:`Workflow`)."""
    text = json.dumps(workflow.to_dict(), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def parse_copy(raw: bytes | str, content_hash: str, where: str) -> dict[str, Any]:
    """The data of a stored copy (in its stored key order), verified against its hash.

    Args:
        raw: The file's bytes or the row's text.
        content_hash: The hash it is stored under (file name or primary key).
        where: The file or row, for messages.

    Raises:
        CorruptRunError: Not UTF-8, not a JSON object, or not the content ``content_hash`` names.
    """
    data = parse_json(raw, where, what=msg("store.copy-is"))
    if not isinstance(data, dict):
        raise CorruptRunError(
            where,
            None,
            msg("store.copy-not-object"),
        )
    actual = "sha256:" + hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()
    if actual != content_hash:
        raise CorruptRunError(
            where,
            None,
            msg("store.copy-hash-mismatch", stored=content_hash, actual=actual),
        )
    return data


def describe_copy(data: dict[str, Any], content_hash: str, where: str) -> StoredDefinition:
    """Id and version of verified copy data.

    Raises:
        CorruptRunError: The data has no text ``id`` and ``version``.
    """
    wid, version = data.get("id"), data.get("version")
    if not isinstance(wid, str) or not isinstance(version, str):
        raise CorruptRunError(
            where,
            None,
            msg("store.copy-no-id"),
        )
    return StoredDefinition(content_hash, wid, version)


def load_copy(raw: bytes | str, content_hash: str, where: str) -> Workflow:
    """The :class:`Workflow` of a stored copy, verified against its hash.

    Every call checks the copy: bytes equal to ones verified before (the common
    case: every load of a run reads its copy) reuse that verification and the
    rebuilt, immutable :class:`Workflow`; anything else is parsed, hashed and
    rebuilt.

    Raises:
        CorruptRunError: See :func:`parse_copy` and :func:`rebuild`.
        DefinitionMismatch: See :func:`rebuild`.
    """
    known = _VERIFIED.get(content_hash)
    if known is not None and known[0] == raw:
        return known[1]
    workflow = rebuild(parse_copy(raw, content_hash, where), content_hash, where)
    if len(_VERIFIED) >= _VERIFIED_MAX:
        _VERIFIED.clear()  # (simple and thread-safe; a store rarely has 64 definitions)
    _VERIFIED[content_hash] = (raw, workflow)
    return workflow


#: content hash → (bytes or text of a copy that was verified, its Workflow).
_VERIFIED: dict[str, tuple[bytes | str, Workflow]] = {}
_VERIFIED_MAX = 64


def rebuild(data: dict[str, Any], content_hash: str, where: str) -> Workflow:
    """The :class:`Workflow` of verified copy data (see :func:`parse_copy`).

    Raises:
        CorruptRunError: This version of the library cannot rebuild the data.
        DefinitionMismatch: It rebuilds the data as a definition with another
            hash (a later library that normalizes definitions differently).
    """
    try:
        workflow = structure_workflow(data)
    except Exception as exc:  # a verified copy that this version cannot read
        raise CorruptRunError(
            where,
            None,
            msg("store.copy-not-a-workflow", error=repr(exc)),
        ) from exc
    if workflow.content_hash != content_hash:
        raise DefinitionMismatch(
            (str(data.get("id")), str(data.get("version")), content_hash),
            (workflow.id, workflow.version, workflow.content_hash),
        )
    return workflow
