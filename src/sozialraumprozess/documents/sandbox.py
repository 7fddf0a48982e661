"""The template sandbox: environments, lookup, a static check, caching and error mapping.

Every template — bundled or written by a user — is compiled in a
:class:`jinja2.sandbox.ImmutableSandboxedEnvironment` with ``StrictUndefined``.
Markdown and HTML get separate environments: HTML always autoescapes (whatever
the template file is called); for Markdown the view escapes user text (see
:func:`~sozialraumprozess.documents.view.markdown_escape`).

Before a template is compiled its syntax tree is checked (:func:`check_tree`):
attribute or item names starting with ``_``, string constants containing
``__``, the ``attr`` filter, ``str.format``/``format_map`` calls and the
globals ``cycler``, ``joiner``, ``namespace``, ``lipsum``, ``range``, ``self`` are
refused
with a :class:`~sozialraumprozess.errors.TemplateRenderError` naming the line.
The sandbox itself stays the second line of defence.

Templates are looked up in the order of :func:`template_search_path` and
compiled once per :class:`TemplateSet` (see :meth:`TemplateSet.get`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from attrs import frozen
from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
)
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from sozialraumprozess.definition.loader import bundled_templates_dir, template_search_path
from sozialraumprozess.documents.formatting import FILTERS
from sozialraumprozess.errors import DocumentError, TemplateRenderError
from sozialraumprozess.i18n import msg

__all__ = [
    "FORMATS",
    "MAX_OUTPUT_CHARS",
    "MAX_TEMPLATE_CHARS",
    "CompiledTemplate",
    "Format",
    "TemplateSet",
    "check_tree",
    "template_search_path",
]

Format = Literal["md", "html"]
FORMATS: tuple[Format, ...] = ("md", "html")

#: Largest document a template may produce (characters).
MAX_OUTPUT_CHARS = 2_000_000
#: Largest template source accepted (characters).
MAX_TEMPLATE_CHARS = 200_000

_REFUSED_GLOBALS = frozenset({"cycler", "joiner", "namespace", "lipsum", "self", "range"})
_REFUSED_METHODS = frozenset({"format", "format_map", "mro"})
_REFUSED_FILTERS = frozenset({"attr"})


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with our static check on every template it parses."""

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        shown = name or "<string>"
        if len(source) > MAX_TEMPLATE_CHARS:
            raise TemplateRenderError(
                "template-too-large", shown, None, f"more than {MAX_TEMPLATE_CHARS} characters"
            )
        tree = super()._parse(source, name, filename)
        check_tree(tree, shown)
        return tree


def _make_environment(loader: ChoiceLoader, fmt: Format) -> ImmutableSandboxedEnvironment:
    env = _Sandbox(
        loader=loader,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=fmt == "html",
        auto_reload=False,
        cache_size=400,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    for name in _REFUSED_GLOBALS:
        env.globals.pop(name, None)
    env.filters.update(FILTERS)
    return env


def _refuse(name: str, line: int | None, what: str, detail: str) -> TemplateRenderError:
    return TemplateRenderError("security", name, line, detail, variable=what)


def check_tree(tree: nodes.Template, name: str) -> None:
    """Refuse constructs used for server-side template injection.

    Raises:
        TemplateRenderError: ``code == "security"``, naming the line and the construct.
    """
    for node in tree.find_all(nodes.Node):
        line = getattr(node, "lineno", None)
        if isinstance(node, nodes.Getattr) and (
            node.attr.startswith("_") or node.attr in _REFUSED_METHODS
        ):
            raise _refuse(name, line, node.attr, f"attribute '{node.attr}' is not allowed")
        if isinstance(node, nodes.Const) and isinstance(node.value, str) and "__" in node.value:
            raise _refuse(name, line, node.value, "text with '__' is not allowed")
        if (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and str(node.arg.value).startswith("_")
        ):
            raise _refuse(name, line, str(node.arg.value), "keys starting with '_' are not allowed")
        if isinstance(node, nodes.Filter | nodes.Test) and node.name in _REFUSED_FILTERS:
            raise _refuse(name, line, node.name, f"filter '{node.name}' is not allowed")
        if isinstance(node, nodes.Name) and node.ctx == "load" and node.name in _REFUSED_GLOBALS:
            raise _refuse(name, line, node.name, f"'{node.name}' is not available in templates")


def _last_template_frame(exc: BaseException, known: Iterable[str]) -> tuple[str | None, int]:
    """File name and line of the innermost traceback frame inside a template."""
    names = set(known)
    found: tuple[str | None, int] = (None, 0)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in names or filename.endswith(".j2") or filename == "<template>":
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _undefined_name(exc: UndefinedError) -> str | None:
    text = str(exc.message or "")
    if text.startswith("'") and "' is undefined" in text:
        return text[1 : text.index("' is undefined")]
    if " has no attribute '" in text:
        return text.rsplit(" has no attribute '", 1)[1].rstrip("'")
    return None


@frozen
class CompiledTemplate:
    """A template compiled once, with what provenance needs.

    Attributes:
        name: The name it was looked up by (``zielkatalog.md.j2``).
        filename: The file it came from (or ``<string>``).
        sha256: Hex SHA-256 of its source (UTF-8).
        format: ``md`` or ``html``.
        template: The compiled Jinja template.
    """

    name: str
    filename: str
    sha256: str
    format: Format
    template: Template

    def render(self, context: Mapping[str, Any], max_chars: int = MAX_OUTPUT_CHARS) -> str:
        """Render with ``context``, stopping once the output exceeds ``max_chars``.

        Raises:
            TemplateRenderError: missing variable, refused access, too large, other errors.
        """
        parts: list[str] = []
        size = 0
        try:
            for chunk in self.template.generate(context):
                size += len(chunk)
                if size > max_chars:
                    raise TemplateRenderError(
                        "too-large", self.name, None, f"more than {max_chars} characters"
                    )
                parts.append(chunk)
        except TemplateRenderError:
            raise
        except TemplateSyntaxError as exc:
            raise TemplateRenderError(
                "syntax", exc.name or self.name, exc.lineno, exc.message or "syntax error"
            ) from None
        except UndefinedError as exc:
            file, line = _last_template_frame(exc, (self.filename,))
            raise TemplateRenderError(
                "undefined", self._shown(file), line or None, str(exc), _undefined_name(exc)
            ) from None
        except SecurityError as exc:
            file, line = _last_template_frame(exc, (self.filename,))
            raise TemplateRenderError(
                "security", self._shown(file), line or None, str(exc)
            ) from None
        except (TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
            file, line = _last_template_frame(exc, (self.filename,))
            detail = f"{type(exc).__name__}: {exc}"
            raise TemplateRenderError("error", self._shown(file), line or None, detail) from None
        return "".join(parts)

    def _shown(self, file: str | None) -> str:
        if file is None or file == self.filename:
            return self.name
        return Path(file).name


class TemplateSet:
    """Templates of one search path, compiled once and cached per format.

    Args:
        search_path: Folders in lookup order (see :func:`template_search_path`).
    """

    def __init__(self, search_path: Sequence[Path]) -> None:
        self.search_path = tuple(search_path)
        loader = ChoiceLoader([FileSystemLoader(str(d)) for d in self.search_path])
        self._envs = {fmt: _make_environment(loader, fmt) for fmt in FORMATS}
        self._cache: dict[tuple[Format, str], CompiledTemplate] = {}
        self._exists: dict[str, bool] = {}
        bundled = bundled_templates_dir().resolve()
        self._own_dirs = tuple(d for d in self.search_path if d.resolve() != bundled)

    def environment(self, fmt: Format) -> ImmutableSandboxedEnvironment:
        """The sandboxed environment for ``fmt``."""
        return self._envs[fmt]

    def exists(self, name: str) -> bool:
        """True if a template ``name`` is found on the search path."""
        if name not in self._exists:
            self._exists[name] = any((d / name).is_file() for d in self.search_path)
        return self._exists[name]

    def exists_outside_bundled(self, name: str) -> bool:
        """True if ``name`` is found in a user folder or next to the workflow.

        Used for templates chosen by convention (``<artifact id>.md.j2``): a bundled
        template written for one workflow's ``jahresbericht`` must not be picked up
        by another workflow's artifact that merely shares the id.
        """
        return any((d / name).is_file() for d in self._own_dirs)

    def get(self, name: str, fmt: Format) -> CompiledTemplate:
        """The compiled template ``name`` for ``fmt`` (compiled on first use).

        Raises:
            DocumentError: ``template-not-found``.
            TemplateRenderError: syntax error or refused construct.
        """
        key = (fmt, name)
        found = self._cache.get(key)
        if found is None:
            found = self._compile(name, fmt)
            self._cache[key] = found
        return found

    def from_string(self, source: str, fmt: Format, name: str = "<string>") -> CompiledTemplate:
        """Compile a template given as text (not cached; not able to include files by name)."""
        return self._build(source, name, name, fmt)

    def _compile(self, name: str, fmt: Format) -> CompiledTemplate:
        env = self._envs[fmt]
        try:
            source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        except TemplateNotFound:
            searched = ", ".join(str(d) for d in self.search_path)
            raise DocumentError(
                "template-not-found", msg("doc.template-not-found", name=name, searched=searched)
            ) from None
        return self._build(source, name, filename or name, fmt)

    def _build(self, source: str, name: str, filename: str, fmt: Format) -> CompiledTemplate:
        env = self._envs[fmt]
        try:
            code = env.compile(source, name, filename)
        except TemplateSyntaxError as exc:
            raise TemplateRenderError(
                "syntax", exc.name or name, exc.lineno, exc.message or "syntax error"
            ) from None
        template = env.template_class.from_code(env, code, env.make_globals(None), None)
        sha = hashlib.sha256(source.encode("utf-8")).hexdigest()
        return CompiledTemplate(name, filename, sha, fmt, template)
