"""griffe extension: Sphinx roles in docstrings become mkdocstrings cross-references.

The docstrings write ``:func:`bundled_workflows``` and ``:class:`~sozialraumprozess.i18n.Message```
(readable in ``help()`` and in editors). For the API reference each role becomes an
autorefs link: the name is resolved in the scope of the object that documents it
(``Workflow`` in a method of ``Workflow``'s module, ``.chain`` beside its package),
``~`` shows only the last part, as in Sphinx. A name that the site does not render
(``datetime.date``, a private module) shows as code without a link instead of the
literal role.
"""

from __future__ import annotations

import html
import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:func|class|meth|mod|attr|exc|data|obj|const):`(~?)([^`]+)`")


def _resolve(obj: griffe.Object, name: str) -> str:
    """The full path of ``name`` as seen from ``obj`` (``name`` itself when unknown)."""
    bare = name.lstrip(".")
    if name.startswith("."):  # relative to the package: `.chain`
        module = obj if obj.is_module else obj.module
        package = module if module.is_package or module.is_init_module else module.parent
        while package is not None:
            candidate = f"{package.path}.{bare}"
            try:
                package.modules_collection.get_member(candidate.split(".", 1)[1])
            except (KeyError, ValueError, griffe.AliasResolutionError, AttributeError):
                package = package.parent  # type: ignore[assignment]
                continue
            return candidate
        return bare
    head, _, rest = bare.partition(".")
    try:
        resolved = obj.resolve(head)
    except (griffe.NameResolutionError, KeyError, AttributeError):
        return bare
    return f"{resolved}.{rest}" if rest else resolved


def convert(obj: griffe.Object, text: str) -> str:
    """``text`` with every Sphinx role replaced by an optional autorefs link."""

    def link(match: re.Match[str]) -> str:
        tilde, name = match.groups()
        identifier = _resolve(obj, name)
        title = name.rsplit(".", 1)[-1] if tilde else name
        return (
            f'<autoref identifier="{html.escape(identifier)}" optional>'
            f"<code>{html.escape(title)}</code></autoref>"
        )

    return ROLE.sub(link, text)


class SphinxRoles(griffe.Extension):
    """Rewrite the roles of every docstring of a package once it is loaded."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Walk the package's objects (aliases share their target's docstring)."""
        stack: list[griffe.Object] = [pkg]
        while stack:
            obj = stack.pop()
            if obj.docstring is not None and ":" in obj.docstring.value:
                obj.docstring.value = convert(obj, obj.docstring.value)
            stack.extend(m for m in obj.members.values() if not m.is_alias)  # type: ignore[misc]
