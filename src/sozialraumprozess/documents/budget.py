"""The reconciled budget as documents show it (``budget`` in a template).

Built from :func:`sozialraumprozess.steering.budget.budget_data`: people's texts
(line titles, products) escaped for Markdown where the document is Markdown,
and the plan / committed / spent chart (inline SVG, from
:mod:`sozialraumprozess.steering.charts`) for HTML. Templates include the shared
partials ``_haushalt.html.j2`` / ``_haushalt.md.j2``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sozialraumprozess.definition.model import ArtifactType
from sozialraumprozess.documents.view import markdown_escape
from sozialraumprozess.i18n import Lang
from sozialraumprozess.steering.budget import budget_chart, budget_data

if TYPE_CHECKING:
    from sozialraumprozess.runtime.process import Process

__all__ = ["budget_context", "has_budget_lines"]


def has_budget_lines(artifact: ArtifactType) -> bool:
    """True if the artifact has a ``budget-lines`` field (a *Haushaltsansatz*)."""
    return any(spec.type == "budget-lines" for spec in artifact.fields)


def budget_context(process: Process, lang: Lang, fmt: str) -> dict[str, Any]:
    """``budget`` for a template: :func:`budget_data` plus ``chart`` (HTML: the SVG)."""
    from markupsafe import Markup

    data = budget_data(process, lang)
    if fmt == "md":
        for year in data["years"]:
            for row in year["rows"]:
                row["title"] = markdown_escape(row["title"])
                if row["product"] is not None:
                    row["product"] = markdown_escape(row["product"])
            for part in year["by_purpose"]:
                part["title"] = markdown_escape(part["title"])
            for part in year["by_coverage"]:
                if part["product"] is not None:
                    part["product"] = markdown_escape(part["product"])
        data["chart"] = None
    else:
        svg = budget_chart(process, lang) if data["years"] else None
        # The SVG comes from matplotlib with every text XML-escaped (steering.charts).
        data["chart"] = Markup(svg) if svg is not None else None  # noqa: S704
    return data
