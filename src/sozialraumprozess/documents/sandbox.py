"""The template sandbox: environments, lookup, a static check, caching and error mapping.

Every template — bundled or written by a user — is compiled in a
:class:`jinja2.sandbox.ImmutableSandboxedEnvironment` with ``StrictUndefined``.
Markdown and HTML get separate environments: HTML always autoescapes (whatever
the template file is called); for Markdown the view escapes user text (see
:func:`~sozialraumprozess.documents.view.markdown_escape`).

Every environment is a :class:`~sozialraumprozess.definition.sandbox.BoundedSandbox`:
nothing is folded at compile time, operators, filters and string methods are
bounded, and each render runs under a budget of :data:`RENDER_STEPS` steps (and
:data:`RENDER_SECONDS` as a backstop). Before a template is compiled its syntax
tree is checked (:func:`check_tree`): attribute or item names starting with
``_``, string constants containing ``__``, the ``attr`` filter,
``str.format``/``format_map`` calls and the globals ``cycler``, ``joiner``,
``namespace``, ``lipsum``, ``range``, ``self`` are refused with a
:class:`~sozialraumprozess.errors.TemplateRenderError` naming the line. The
sandbox itself stays the second line of defence.

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

from sozialraumprozess.definition import sandbox as bounded
from sozialraumprozess.definition.loader import bundled_templates_dir, template_search_path
from sozialraumprozess.definition.sandbox import BoundedSandbox, LimitExceeded, Refused, budget
from sozialraumprozess.definition.semantic import template_name_ok
from sozialraumprozess.documents.formatting import FILTERS
from sozialraumprozess.errors import DocumentError, TemplateRenderError
from sozialraumprozess.i18n import msg

__all__ = [
    "FORMATS",
    "MAX_OUTPUT_CHARS",
    "MAX_TEMPLATE_CHARS",
    "RENDER_SECONDS",
    "RENDER_STEPS",
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

#: Steps one render may take (loop steps, calls, filters, operators, lookups); the
#: largest document of the bundled scenarios takes under 600 (0.06 %), and an empty
#: loop of a million steps takes about 0.2 s.
RENDER_STEPS = 1_000_000
#: CPU seconds one render may take (a backstop for expensive steps; the bundled
#: scenarios render all their documents in 0.2 s).
RENDER_SECONDS = 1.5


class _Sandbox(BoundedSandbox):
    """The bounded sandbox, with our static check on every template it parses."""

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        shown = name or "<string>"
        if len(source) > MAX_TEMPLATE_CHARS:
            raise TemplateRenderError(
                "template-too-large", shown, None, f"more than {MAX_TEMPLATE_CHARS} characters"
            )
        try:
            return super()._parse(source, name, filename)
        except Refused as exc:
            raise _refused(exc, shown) from None


def _refused(exc: Refused, name: str) -> TemplateRenderError:
    if exc.construct == "nesting":
        return TemplateRenderError("limit", name, exc.lineno, exc.text.text("en"))
    return TemplateRenderError("security", name, exc.lineno, exc.text.text("en"), exc.construct)


def _make_environment(loader: ChoiceLoader, fmt: Format) -> BoundedSandbox:
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
    env.filters.update(FILTERS)
    env.bound_filters()
    return env


def check_tree(tree: nodes.Template, name: str) -> None:
    """Refuse constructs used for server-side template injection
    (see :func:`sozialraumprozess.definition.sandbox.check_tree`).

    Raises:
        TemplateRenderError: ``code == "security"``, naming the line and the construct.
    """
    try:
        bounded.check_tree(tree)
    except Refused as exc:
        raise _refused(exc, name) from None


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
            with budget(RENDER_STEPS, RENDER_SECONDS):
                for chunk in self.template.generate(context):
                    size += len(chunk)
                    if size > max_chars:
                        raise TemplateRenderError(
                            "too-large", self.name, None, f"more than {max_chars} characters"
                        )
                    parts.append(chunk)
        except TemplateRenderError:
            raise
        except (LimitExceeded, RecursionError, SyntaxError) as exc:
            file, line = _last_template_frame(exc, (self.filename,))
            text = (
                exc.text
                if isinstance(exc, LimitExceeded)
                else msg("sandbox.recursion")
                if isinstance(exc, RecursionError)
                else msg("sandbox.too-nested", limit=bounded.MAX_BLOCK_NESTING)
            )
            raise TemplateRenderError(
                "limit", self._shown(file), line or None, text.text("en")
            ) from None
        except Refused as exc:
            file, line = _last_template_frame(exc, (self.filename,))
            exc.lineno = exc.lineno or line or None
            raise _refused(exc, self._shown(file)) from None
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

    def environment(self, fmt: Format) -> BoundedSandbox:
        """The sandboxed environment for ``fmt``."""
        return self._envs[fmt]

    def exists(self, name: str) -> bool:
        """True if a template ``name`` is found on the search path."""
        if name not in self._exists:
            self._exists[name] = template_name_ok(name) and any(
                (d / name).is_file() for d in self.search_path
            )
        return self._exists[name]

    def find_file(self, name: str) -> Path | None:
        """The first file ``name`` on the search path (for layout files such as
        ``dokument.docx``, which are not Jinja templates); ``None`` if there is none."""
        if not template_name_ok(name):
            return None
        return next((d / name for d in self.search_path if (d / name).is_file()), None)

    def exists_outside_bundled(self, name: str) -> bool:
        """True if ``name`` is found in a user folder or next to the workflow.

        Used for templates chosen by convention (``<artifact id>.md.j2``): a bundled
        template written for one workflow's ``jahresbericht`` must not be picked up
        by another workflow's artifact that merely shares the id.
        """
        return template_name_ok(name) and any((d / name).is_file() for d in self._own_dirs)

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
        except (SyntaxError, RecursionError, MemoryError):  # Python could not compile it
            detail = msg("sandbox.too-nested", limit=bounded.MAX_BLOCK_NESTING).text("en")
            raise TemplateRenderError("limit", name, None, detail) from None
        template = env.template_class.from_code(env, code, env.make_globals(None), None)
        sha = hashlib.sha256(source.encode("utf-8")).hexdigest()
        return CompiledTemplate(name, filename, sha, fmt, template)
