"""Field type ``file`` (format v2): a file attachment kept in the store by its sha256.

The field's value is a reference, never the file itself::

    {sha256: "9f86…", name: "bericht.pdf", size: 48213, type: "application/pdf"}

The file is put into the store first (``Service.put_attachment``, ``sozialraum
submit … --attach bericht=bericht.pdf``), which checks it (:func:`check_file`)
and answers this reference. Spec keys: ``accept`` (allowed extensions, a subset of
:data:`FILE_TYPES`) and ``max_size`` (bytes; the store's own cap
:data:`MAX_ATTACHMENT_BYTES` applies too). Documents list the name and size.

:func:`check_file` is the one check of a file's bytes: size, type by extension
from the allow-list, and the content's magic bytes matching the type.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from sozialraumprozess.definition.fields._base import FieldType, SpecContext, is_mapping, problem
from sozialraumprozess.definition.fields._format import EMPTY, format_number
from sozialraumprozess.definition.model import FieldSpec
from sozialraumprozess.errors import AttachmentRefused, FieldProblem
from sozialraumprozess.errors._base import closest
from sozialraumprozess.i18n import Lang, Message, msg

__all__ = ["FILE_TYPES", "MAX_ATTACHMENT_BYTES", "FileType", "check_file", "file_reference"]

#: The largest file any store accepts (10 MiB).
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

#: The allow-list: extension → MIME type. Nothing else is stored.
FILE_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain",
    "csv": "text/csv",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

_ZIP = b"PK\x03\x04"
#: What the content of each type starts with (``None``: text, checked as UTF-8).
_MAGIC: dict[str, bytes | None] = {
    "pdf": b"%PDF-",
    "png": b"\x89PNG\r\n\x1a\n",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
    "txt": None,
    "csv": None,
    "odt": _ZIP,
    "ods": _ZIP,
    "docx": _ZIP,
    "xlsx": _ZIP,
}

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_NAME_MAX = 200
_REF_KEYS = frozenset(("sha256", "name", "size", "type"))


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _bad_name(name: Any) -> bool:
    return (
        not isinstance(name, str)
        or not name.strip()
        or len(name) > _NAME_MAX
        or any(c in name for c in "/\\")
        or any(ord(c) < 32 or ord(c) == 127 for c in name)
    )


def check_file(content: bytes, name: str) -> dict[str, Any]:
    """The reference of ``content`` named ``name`` if a store may keep it.

    Returns:
        ``{"sha256", "name", "size", "type"}``.

    Raises:
        AttachmentRefused: empty, larger than :data:`MAX_ATTACHMENT_BYTES`, a name
            that is no plain file name, a type not in :data:`FILE_TYPES`, or content
            that is not of the type its name says.
    """
    if _bad_name(name):
        raise AttachmentRefused("attachment-name", str(name), msg("items.file-name", name=name))
    if not content:
        raise AttachmentRefused("attachment-empty", name, msg("items.file-empty", name=name))
    if len(content) > MAX_ATTACHMENT_BYTES:
        text = msg("items.file-too-large", name=name, size=len(content), max=MAX_ATTACHMENT_BYTES)
        raise AttachmentRefused("attachment-too-large", name, text)
    extension = _extension(name)
    if extension not in FILE_TYPES:
        allowed = ", ".join(FILE_TYPES)
        text = msg("items.file-type", name=name, allowed=allowed)
        raise AttachmentRefused("attachment-type", name, text)
    magic = _MAGIC[extension]
    if magic is None:
        try:
            text_ok = b"\x00" not in content and bool(content.decode("utf-8"))
        except UnicodeDecodeError:
            text_ok = False
        matches = text_ok
    else:
        matches = content.startswith(magic)
    if not matches:
        text = msg("items.file-content", name=name, type=extension)
        raise AttachmentRefused("attachment-content", name, text)
    return file_reference(content, name)


def file_reference(content: bytes, name: str) -> dict[str, Any]:
    """``{"sha256", "name", "size", "type"}`` of ``content`` (no checks)."""
    return {
        "sha256": hashlib.sha256(content).hexdigest(),
        "name": name,
        "size": len(content),
        "type": FILE_TYPES.get(_extension(name), "application/octet-stream"),
    }


def _size(size: int, lang: Lang) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{format_number(round(size / 1024, 1), lang)} KB"
    return f"{format_number(round(size / 1024 / 1024, 1), lang)} MB"


class FileType(FieldType):
    """``type: file`` (``accept``, ``max_size``): a reference to a file kept in the store."""

    name = "file"
    keys = ("accept", "max_size")

    def expected(self) -> Message:
        return msg("items.type-file")

    def check_spec(self, spec: dict[str, Any], path: list[str | int], ctx: SpecContext) -> None:
        """Every ``accept`` entry must be a type stores keep (with a did-you-mean)."""
        accept = spec.get("accept")
        if not isinstance(accept, list):
            return
        for j, extension in enumerate(accept):
            if not isinstance(extension, str) or extension in FILE_TYPES:
                continue
            hint = closest(extension, FILE_TYPES)
            ctx.add(
                [*path, "accept", j],
                "unknown-file-type",
                msg("items.file-type-unknown", type=extension, allowed=", ".join(FILE_TYPES)),
                msg("name.did-you-mean", name=hint) if hint is not None else None,
            )

    def validate(self, spec: FieldSpec, value: Any, path: str) -> list[FieldProblem]:
        if not is_mapping(value) or set(value) != _REF_KEYS:
            return [self.type_problem(path, value)]
        sha, name, size, kind = value["sha256"], value["name"], value["size"], value["type"]
        if (
            not isinstance(sha, str)
            or not _SHA256.match(sha)
            or _bad_name(name)
            or not isinstance(size, int)
            or isinstance(size, bool)
            or size < 1
            or not isinstance(kind, str)
        ):
            return [self.type_problem(path, value)]
        extension = _extension(name)
        if FILE_TYPES.get(extension) != kind or (spec.accept and extension not in spec.accept):
            allowed = ", ".join(spec.accept or tuple(FILE_TYPES))
            return [problem(path, "file-type", msg("items.file-type", name=name, allowed=allowed))]
        limit = min(spec.max_size or MAX_ATTACHMENT_BYTES, MAX_ATTACHMENT_BYTES)
        if size > limit:
            text = msg("items.file-too-large", name=name, size=size, max=limit)
            return [problem(path, "file-size", text)]
        return []

    def format(self, value: Any, lang: Lang = "de", spec: FieldSpec | None = None) -> str:
        """``bericht.pdf (47,1 KB)``."""
        if not is_mapping(value) or "name" not in value:
            return EMPTY if value in (None, "", {}) else str(value)
        size = value.get("size")
        shown = f" ({_size(size, lang)})" if isinstance(size, int) else ""
        return f"{value['name']}{shown}"
