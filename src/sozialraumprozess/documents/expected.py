"""Which fields each bundled template places itself (for the docs and the tests).

A bundled template for one artifact names the fields it lays out in a
``{% set placed = ["datum", "ort", "tagesordnung.titel", …] %}`` line (a dotted
name: a sub-field it shows of a list of objects) and ends with
``{{ m.weitere(data, artifact.fields, placed) }}``: every other field the
workflow declares, and the sub-fields of those lists it shows no column for,
follow under *Weitere Angaben* / *Further details*, so
nothing an author writes is lost. :func:`placed_fields` reads that line from a
template's source with Jinja's own parser.
"""

from __future__ import annotations

from importlib.resources import files

from jinja2 import Environment, nodes

__all__ = ["GENERIC", "bundled_templates", "placed_fields"]

#: The bundled templates that lay out every field themselves (nothing left over).
GENERIC = ("artefakt", "eintrag")


def placed_fields(source: str) -> tuple[str, ...] | None:
    """The names in the template's ``{% set placed = [...] %}``, ``None`` without one."""
    tree = Environment(autoescape=False).parse(source)  # noqa: S701 - parsed, never rendered
    for assign in tree.find_all(nodes.Assign):
        target, value = assign.target, assign.node
        if (
            isinstance(target, nodes.Name)
            and target.name == "placed"
            and isinstance(value, nodes.List | nodes.Tuple)
        ):
            return tuple(str(item.value) for item in value.items if isinstance(item, nodes.Const))
    return None


def bundled_templates() -> dict[str, str]:
    """Every bundled Markdown template that is not a partial: stem → source."""
    folder = files("sozialraumprozess") / "templates"
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        name = entry.name
        if name.endswith(".md.j2") and not name.startswith("_"):
            found[name.removesuffix(".md.j2")] = entry.read_text("utf-8")
    return found
