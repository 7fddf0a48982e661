"""mkdocs hook: ship mermaid.js in the site, so diagrams render without network access.

mkdocs-material draws ```` ```mermaid ```` blocks with mermaid.js and fetches it from
a CDN unless a global ``mermaid`` exists already. This hook copies the file that
``npm ci`` installed from the npm registry (version pinned in ``package.json`` and
``package-lock.json``) into the site and loads it before the theme looks for it.
On an intranet, the built site then needs nothing from outside.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
TARGET = "assets/javascripts/mermaid.min.js"


def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    """Load the shipped mermaid.js on every page (before the theme's own lookup)."""
    if not SOURCE.is_file():
        raise PluginError(
            f"{SOURCE} is missing: run `npm ci` in {ROOT} first (the docs ship mermaid.js "
            "from the npm registry so that diagrams render offline)"
        )
    config.extra_javascript.append(TARGET)  # type: ignore[arg-type]
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Copy mermaid.js from node_modules into the site."""
    files.append(File.generated(config, TARGET, abs_src_path=str(SOURCE)))
    return files
