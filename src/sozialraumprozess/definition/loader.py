"""Loading workflows: from a file, an open stream, a dict, or a bundled id."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import IO, Any

from sozialraumprozess.definition.convert import structure_workflow
from sozialraumprozess.definition.files import FileTooLarge, NotARegularFile, read_regular_file
from sozialraumprozess.definition.issues import IssueCollector, PathKey
from sozialraumprozess.definition.model import FORMATS, Workflow
from sozialraumprozess.definition.schema import load_schema
from sozialraumprozess.definition.schema_check import check_structure
from sozialraumprozess.definition.semantic import check_semantics
from sozialraumprozess.definition.versions import check_format_keys
from sozialraumprozess.definition.yamlio import MAX_BYTES, Document, read_yaml
from sozialraumprozess.errors import UnknownNameError
from sozialraumprozess.i18n import Lang, Number, msg

__all__ = [
    "WorkflowSource",
    "bundled_templates_dir",
    "bundled_workflow_path",
    "bundled_workflows",
    "bundled_workflows_dir",
    "load_workflow",
    "template_search_path",
]

WorkflowSource = str | os.PathLike[str] | IO[str] | IO[bytes] | dict[str, Any]

_MAX_DEPTH = 64
_PLAIN_TYPES = (str, int, float, bool, type(None))


def _package_dir(name: str) -> Path:
    return Path(str(files("sozialraumprozess") / name))


def bundled_workflows_dir() -> Path:
    """The folder of the workflows (and their scenarios) shipped with the package."""
    return _package_dir("workflows")


def bundled_templates_dir() -> Path:
    """The folder of templates shipped with the package."""
    return _package_dir("templates")


def template_search_path(
    template_dirs: Sequence[str | os.PathLike[str]] = (),
    workflow_path: str | os.PathLike[str] | None = None,
) -> tuple[Path, ...]:
    """The folders searched for templates, in order.

    User folders first, then ``templates/`` beside the workflow file, then the
    bundled templates. Validation (a named template must exist) and rendering
    use this one order.

    Args:
        template_dirs: The user's template folders.
        workflow_path: The workflow file (or the folder it lies in), if known.
    """
    dirs = [Path(d) for d in template_dirs]
    if workflow_path is not None:
        path = Path(workflow_path)
        folder = path if path.is_dir() else path.resolve().parent
        dirs.append(folder / "templates")
    dirs.append(bundled_templates_dir())
    return tuple(dirs)


@lru_cache(maxsize=1)
def bundled_workflows() -> tuple[str, ...]:
    """Ids of the workflows shipped with the package, sorted."""
    folder = bundled_workflows_dir()
    return tuple(
        sorted(p.stem for p in folder.glob("*.yaml") if not p.name.endswith(".scenario.yaml"))
    )


def bundled_workflow_path(workflow_id: str) -> Path:
    """Path of a bundled workflow file; raises :class:`UnknownNameError` with a hint."""
    if workflow_id not in bundled_workflows():
        raise UnknownNameError("workflow", workflow_id, bundled_workflows())
    return bundled_workflows_dir() / f"{workflow_id}.yaml"


def _check_plain(value: Any, path: list[PathKey], out: IssueCollector, depth: int = 0) -> bool:
    """Only JSON-like data (str keys; str, numbers, bools, None, lists, dicts), not too deep."""
    if depth > _MAX_DEPTH:
        out.add(path, "too-deep", msg("definition.data-too-deep"))
        return False
    if isinstance(value, dict):
        ok = True
        for key, item in value.items():
            if not isinstance(key, str):
                out.add(
                    path,
                    "key-not-text",
                    msg("definition.key-not-text-found", key=repr(key)),
                    hint=msg("definition.key-not-text-hint"),
                )
                ok = False
                continue
            ok = _check_plain(item, [*path, key], out, depth + 1) and ok
        return ok
    if isinstance(value, list):
        ok = True
        for i, item in enumerate(value):
            ok = _check_plain(item, [*path, i], out, depth + 1) and ok
        return ok
    if isinstance(value, _PLAIN_TYPES):
        return True
    out.add(
        path,
        "unsupported-value",
        msg("definition.unsupported-value", type=type(value).__name__),
        hint=msg("definition.unsupported-value-hint"),
    )
    return False


def _read(
    source: WorkflowSource, max_bytes: int
) -> tuple[Document | None, IssueCollector, Path | None]:
    if isinstance(source, dict):
        out = IssueCollector("<dict>")
        return Document(data=source, name="<dict>"), out, None
    if isinstance(source, str | os.PathLike):
        text = os.fspath(source)
        path = Path(text)
        looks_like_path = path.suffix in (".yaml", ".yml", ".json") or os.sep in text or "/" in text
        if not path.is_file() and not looks_like_path:
            path = bundled_workflow_path(text)
        name = os.fspath(source) if looks_like_path or Path(text).is_file() else str(path)
        out = IssueCollector(name)
        try:
            raw = read_regular_file(path, max_bytes)
        except FileTooLarge:
            out.add([], "too-large", msg("definition.file-too-large", limit=Number(max_bytes)))
            return None, out, None
        except NotARegularFile:
            out.add([], "no-file", msg("definition.file-not-regular", path=text))
            return None, out, None
        except FileNotFoundError:
            out.add([], "no-file", msg("definition.file-not-found", path=text))
            return None, out, None
        except IsADirectoryError:
            out.add([], "no-file", msg("definition.file-is-folder", path=text))
            return None, out, None
        except PermissionError:
            out.add([], "no-file", msg("definition.file-not-readable", path=text))
            return None, out, None
        except OSError as exc:  # e.g. a name longer than the file system allows
            out.add([], "no-file", msg("definition.file-error", path=text, reason=exc.strerror))
            return None, out, None
        document = read_yaml(raw, name, out, max_bytes=max_bytes)
        out.document = document
        return document, out, path.resolve().parent
    name = str(getattr(source, "name", "<stream>"))
    out = IssueCollector(name)
    document = read_yaml(source, name, out, max_bytes=max_bytes)
    out.document = document
    folder = Path(name).resolve().parent if Path(name).is_file() else None
    return document, out, folder


def load_workflow(
    source: WorkflowSource,
    *,
    lang: Lang = "de",
    template_dirs: Sequence[str | os.PathLike[str]] = (),
    max_bytes: int = MAX_BYTES,
) -> Workflow:
    """Load and validate a workflow.

    Args:
        source: A path to a YAML file, an open file, a dict of file data, or the
            id of a bundled workflow (see :func:`bundled_workflows`).
        lang: Language of the error messages (``de`` or ``en``).
        template_dirs: Extra folders searched first for templates named in the
            workflow; then ``templates/`` next to the file, then the bundled ones.
        max_bytes: Largest accepted file size.

    Returns:
        The validated, immutable :class:`Workflow`.

    Raises:
        WorkflowError: With every problem found (position, path, message, hint).
        UnknownNameError: ``source`` is neither a file nor a bundled workflow id.
    """
    document, out, folder = _read(source, max_bytes)
    if document is None:
        out.raise_if_any(lang)
        raise AssertionError("unreachable: no document and no issue")  # pragma: no cover
    data = document.data
    if not _check_plain(data, [], out):
        out.raise_if_any(lang)
    if not isinstance(data, dict):
        out.add(
            [],
            "not-a-mapping",
            msg("definition.not-a-mapping"),
            hint=msg("definition.not-a-mapping-hint"),
        )
        out.raise_if_any(lang)
    fmt = data.get("format")
    if fmt is not None and fmt not in FORMATS:
        out.add(
            ["format"],
            "unknown-format",
            msg("definition.unknown-format", found=repr(fmt), format=", ".join(FORMATS)),
            hint=msg("definition.unknown-format-hint"),
        )
        out.raise_if_any(lang)
    check_structure(data, out)
    check_format_keys(data, load_schema(), out)
    check_semantics(data, out, template_search_path(template_dirs, folder))
    out.raise_if_any(lang)
    return structure_workflow(data)
