"""The Sozialraum record: name, stable id, planning areas, key data and boundary.

A run starts for a Sozialraum by name (``Process.start``); the record says more:
a stable id that stays the same across runs and cycles, the planning areas
(*Planungsräume*), key data (*Kennzahlen* such as population or area) and an
optional boundary as GeoJSON (``Polygon``, ``MultiPolygon`` or a ``Feature`` with
one of them). :meth:`Process.record_sozialraum
<sozialraumprozess.runtime.process.Process.record_sozialraum>` checks it and appends
one :class:`~sozialraumprozess.runtime.events.SozialraumRecorded`; the fold makes it
the run's :class:`~sozialraumprozess.runtime.records.Sozialraum`, whose ``data``
then holds ``id``, ``planning_areas``, ``key_data`` and ``boundary``.

**The Sozialraum outlives a process.** The next run (or the run of the next
programme year) takes the record over from an earlier run: the application layer
reads the earlier run's record and records it in the new run with ``taken_from``
naming the run it came from (``sozialraum sozialraum take-over NEW --from OLD``).
The stable id is what ties the runs of one Sozialraum together (the programme
view groups by it); the name may change. Within one run the record holds across
cycles until it is recorded again.

Invalid GeoJSON (an unclosed ring, a longitude outside −180…180, a ring of fewer
than four positions, an unknown type) is refused with the path of the bad
coordinate (``boundary.coordinates[0][3]``) in German and English; nothing is
recorded.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sozialraumprozess.errors import FieldProblem, InvalidData
from sozialraumprozess.i18n import Message, msg
from sozialraumprozess.runtime.events import SozialraumRecorded
from sozialraumprozess.runtime.records import Sozialraum

if TYPE_CHECKING:
    from sozialraumprozess.runtime.process import Process

__all__ = [
    "SOZIALRAUM_ID_PATTERN",
    "check_boundary",
    "record_sozialraum",
    "sozialraum_id",
]

#: A Sozialraum's stable id: lower-case letters, digits and hyphens.
SOZIALRAUM_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
_ID = re.compile(SOZIALRAUM_ID_PATTERN)
_GEOMETRIES = ("Polygon", "MultiPolygon")
_UMLAUTS = {0xE4: "ae", 0xF6: "oe", 0xFC: "ue", 0xDF: "ss"}  # a umlaut, o, u, sharp s


def sozialraum_id(name: str) -> str:
    """The id made from a name: ``Schwerte-Ost (Kernstadt)`` → ``schwerte-ost-kernstadt``."""
    text = name.lower().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:63] or "sozialraum"


def _problem(problems: list[FieldProblem], path: str, code: str, text: Message) -> None:
    problems.append(FieldProblem.of(path, code, text))


def _position(value: Any, path: str, problems: list[FieldProblem]) -> tuple[float, ...] | None:
    if (
        not isinstance(value, list)
        or len(value) not in (2, 3)
        or not all(type(v) in (int, float) and math.isfinite(v) for v in value)
    ):
        _problem(problems, path, "position", msg("sozialraum.geojson-position"))
        return None
    lon, lat = float(value[0]), float(value[1])
    if not -180 <= lon <= 180:
        _problem(
            problems,
            f"{path}[0]",
            "longitude",
            msg("sozialraum.geojson-longitude", value=repr(value[0])),
        )
        return None
    if not -90 <= lat <= 90:
        _problem(
            problems,
            f"{path}[1]",
            "latitude",
            msg("sozialraum.geojson-latitude", value=repr(value[1])),
        )
        return None
    return lon, lat


def _ring(value: Any, path: str, problems: list[FieldProblem]) -> None:
    if not isinstance(value, list):
        _problem(problems, path, "ring", msg("sozialraum.geojson-ring"))
        return
    before = len(problems)
    positions = [_position(p, f"{path}[{i}]", problems) for i, p in enumerate(value)]
    if len(problems) > before:
        return
    if len(positions) < 4:
        _problem(
            problems, path, "short-ring", msg("sozialraum.geojson-short-ring", count=len(positions))
        )
    elif positions[0] != positions[-1]:
        _problem(
            problems,
            f"{path}[{len(positions) - 1}]",
            "open-ring",
            msg("sozialraum.geojson-open-ring"),
        )


def _polygon(value: Any, path: str, problems: list[FieldProblem]) -> None:
    if not isinstance(value, list) or not value:
        _problem(problems, path, "rings", msg("sozialraum.geojson-rings"))
        return
    for i, ring in enumerate(value):
        _ring(ring, f"{path}[{i}]", problems)


def check_boundary(boundary: Any, path: str = "boundary") -> list[FieldProblem]:
    """Every problem of a GeoJSON boundary, each with its path (empty: valid).

    Accepted: a ``Polygon`` or ``MultiPolygon`` geometry, or a ``Feature`` whose
    ``geometry`` is one. Rings are closed (first position = last), have at least
    four positions; positions are ``[longitude, latitude]`` (WGS 84) in range.
    """
    problems: list[FieldProblem] = []
    if not isinstance(boundary, Mapping):
        _problem(problems, path, "object", msg("sozialraum.geojson-object"))
        return problems
    kind = boundary.get("type")
    if kind == "Feature":
        return check_boundary(boundary.get("geometry"), f"{path}.geometry")
    if kind not in _GEOMETRIES:
        known = ", ".join(_GEOMETRIES)
        text = msg("sozialraum.geojson-type", value=repr(kind), known=known)
        _problem(problems, f"{path}.type", "type", text)
        return problems
    coordinates = boundary.get("coordinates")
    where = f"{path}.coordinates"
    if kind == "Polygon":
        _polygon(coordinates, where, problems)
    elif not isinstance(coordinates, list) or not coordinates:
        _problem(problems, where, "rings", msg("sozialraum.geojson-rings"))
    else:
        for i, polygon in enumerate(coordinates):
            _polygon(polygon, f"{where}[{i}]", problems)
    return problems


def _check_record(
    name: Any,
    room_id: Any,
    planning_areas: Any,
    key_data: Any,
    boundary: Any,
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if not isinstance(name, str) or not name.strip():
        problems.append(FieldProblem.of("name", "required", msg("sozialraum.name-required")))
    if room_id is not None and (not isinstance(room_id, str) or not _ID.match(room_id)):
        problems.append(
            FieldProblem.of("id", "pattern", msg("sozialraum.bad-id", value=repr(room_id)))
        )
    if planning_areas is not None:
        if isinstance(planning_areas, str) or not isinstance(planning_areas, Sequence):
            problems.append(FieldProblem.of("planning_areas", "type", msg("sozialraum.areas-list")))
        else:
            seen: set[str] = set()
            for i, area in enumerate(planning_areas):
                where = f"planning_areas[{i}]"
                if not isinstance(area, str) or not area.strip():
                    problems.append(FieldProblem.of(where, "type", msg("sozialraum.area-text")))
                elif area in seen:
                    problems.append(
                        FieldProblem.of(where, "duplicate", msg("sozialraum.area-twice", area=area))
                    )
                else:
                    seen.add(area)
    if key_data is not None:
        if not isinstance(key_data, Mapping):
            problems.append(FieldProblem.of("key_data", "type", msg("sozialraum.key-data-map")))
        else:
            for key, value in key_data.items():
                if not isinstance(key, str) or not (
                    isinstance(value, (str, int, float)) and not isinstance(value, bool)
                ):
                    problems.append(
                        FieldProblem.of(f"key_data.{key}", "type", msg("sozialraum.key-data-value"))
                    )
    if boundary is not None:
        problems.extend(check_boundary(boundary))
    return problems


def record_sozialraum(
    process: Process,
    *,
    by: str,
    name: str | None = None,
    description: str | None = None,
    room_id: str | None = None,
    planning_areas: Sequence[str] | None = None,
    key_data: Mapping[str, Any] | None = None,
    boundary: Mapping[str, Any] | None = None,
    taken_from: str | None = None,
    day: date | None = None,
) -> Sozialraum:
    """Check and record the Sozialraum record (see ``Process.record_sozialraum``)."""
    actor = process._actor(by, "record_sozialraum")
    old = process.state.sozialraum
    assert old is not None  # noqa: S101 - started processes only
    name = old.name if name is None else name
    problems = _check_record(name, room_id, planning_areas, key_data, boundary)
    if problems:
        raise InvalidData("sozialraum", str(name), problems)
    data = dict(old.data)
    data["id"] = room_id or data.get("id") or sozialraum_id(name)
    if planning_areas is not None:
        data["planning_areas"] = list(planning_areas)
    if key_data is not None:
        data["key_data"] = dict(key_data)
    if boundary is not None:
        data["boundary"] = _plain(boundary)
    room = Sozialraum(name, old.description if description is None else description, data)
    process._commit(SozialraumRecorded(room, taken_from), actor, day)
    return room


def _plain(value: Any) -> Any:
    """JSON-compatible copy (mappings to dicts, sequences to lists)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
