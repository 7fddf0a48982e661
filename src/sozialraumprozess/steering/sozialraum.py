"""The Sozialraum record as the report shows it, and its outline as a small SVG.

The runtime keeps the record in the run's :class:`~sozialraumprozess.runtime.records.Sozialraum`
(name, description, ``data``; see :mod:`sozialraumprozess.runtime.sozialraum` for how
it is recorded and taken over from run to run). :func:`sozialraum_record` reads it
into a :class:`SozialraumRecord`; runs started before records existed give a
record too: the id made from the name, and the start's ``data`` as key data.

:func:`outline_svg` draws the boundary (GeoJSON, validated when recorded) as an
outline: the coordinates are projected locally (longitude scaled by the cosine
of the mean latitude, so the shape is not stretched), fitted into a small box and
written as SVG paths — no map tiles, no network.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from attrs import frozen

from sozialraumprozess.runtime.records import Sozialraum
from sozialraumprozess.runtime.sozialraum import sozialraum_id

__all__ = ["SozialraumRecord", "outline_svg", "polygons", "record_to_dict", "sozialraum_record"]

_RECORD_KEYS = frozenset(("id", "planning_areas", "key_data", "boundary"))


@frozen
class SozialraumRecord:
    """What the report says about the Sozialraum.

    Attributes:
        id: Stable id (the same in every run of this Sozialraum).
        name: Its name.
        description: Where it is and what characterises it.
        planning_areas: Its planning areas (*Planungsräume*).
        key_data: Key data (*Kennzahlen*), name → number or text.
        boundary: The boundary as GeoJSON, if recorded.
    """

    id: str
    name: str
    description: str
    planning_areas: tuple[str, ...]
    key_data: Mapping[str, Any]
    boundary: Mapping[str, Any] | None


def sozialraum_record(room: Sozialraum) -> SozialraumRecord:
    """The record of a run's Sozialraum (also for runs that never recorded one)."""
    data = room.data
    key_data = data.get("key_data")
    if not isinstance(key_data, Mapping):
        key_data = {k: v for k, v in data.items() if k not in _RECORD_KEYS}
    areas = data.get("planning_areas")
    boundary = data.get("boundary")
    return SozialraumRecord(
        id=str(data.get("id") or sozialraum_id(room.name)),
        name=room.name,
        description=room.description,
        planning_areas=tuple(str(a) for a in areas) if isinstance(areas, list) else (),
        key_data=dict(key_data),
        boundary=boundary if isinstance(boundary, Mapping) else None,
    )


def polygons(boundary: Mapping[str, Any]) -> list[list[list[tuple[float, float]]]]:
    """The polygons of a (validated) boundary: rings of ``(lon, lat)``."""
    if boundary.get("type") == "Feature":
        return polygons(boundary["geometry"])
    coordinates = boundary["coordinates"]
    shapes = [coordinates] if boundary["type"] == "Polygon" else coordinates
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in polygon] for polygon in shapes]


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def outline_svg(boundary: Mapping[str, Any], *, title: str, size: int = 220) -> str:
    """The boundary's outline as an inline ``<svg>`` element (north up).

    Args:
        boundary: A validated GeoJSON Polygon, MultiPolygon or Feature.
        title: The accessible name (e.g. the Sozialraum's name).
        size: The longer side in pixels.
    """
    shapes = polygons(boundary)
    points = [p for polygon in shapes for ring in polygon for p in ring]
    mean_lat = sum(lat for _, lat in points) / len(points)
    scale_x = math.cos(math.radians(mean_lat))
    xs = [lon * scale_x for lon, _ in points]
    ys = [lat for _, lat in points]
    width, height = max(xs) - min(xs) or 1e-9, max(ys) - min(ys) or 1e-9
    pad = 6
    factor = (size - 2 * pad) / max(width, height)
    box_w = round(width * factor + 2 * pad)
    box_h = round(height * factor + 2 * pad)

    def xy(lon: float, lat: float) -> str:
        x = (lon * scale_x - min(xs)) * factor + pad
        y = (max(ys) - lat) * factor + pad
        return f"{x:.1f},{y:.1f}"

    paths = []
    for polygon in shapes:
        d = " ".join("M" + " L".join(xy(lon, lat) for lon, lat in ring) + " Z" for ring in polygon)
        paths.append(
            f'<path d="{d}" fill="#cfe3f3" fill-opacity="0.8" stroke="#0072B2" '
            'stroke-width="1.5" fill-rule="evenodd"/>'
        )
    label = _escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="outline" role="img" '
        f'aria-label="{label}" width="{box_w}" height="{box_h}" '
        f'viewBox="0 0 {box_w} {box_h}"><title>{label}</title>' + "".join(paths) + "</svg>\n"
    )


def record_to_dict(record: SozialraumRecord) -> dict[str, Any]:
    """The record as JSON-compatible data (``area show --json``): ``id``, ``name``,
    ``description``, ``planning_areas``, ``key_data``, ``boundary`` (GeoJSON or null)."""
    return {
        "id": record.id,
        "name": record.name,
        "description": record.description,
        "planning_areas": list(record.planning_areas),
        "key_data": dict(record.key_data),
        "boundary": None if record.boundary is None else dict(record.boundary),
    }
