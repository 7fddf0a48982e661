"""The Sozialraum record: stable id, planning areas, key data, GeoJSON boundary, take-over."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from tests.steering.indicator_workflow import workflow

from sozialraumprozess.app import Service
from sozialraumprozess.errors import InvalidData, PermissionDenied
from sozialraumprozess.runtime import Process
from sozialraumprozess.runtime.serialize import event_from_dict, event_to_dict
from sozialraumprozess.runtime.sozialraum import check_boundary, sozialraum_id
from sozialraumprozess.runtime.state import fold
from sozialraumprozess.steering.sozialraum import (
    outline_svg,
    record_to_dict,
    sozialraum_record,
)

WORKFLOW = workflow()
RING = [[7.56, 51.44], [7.60, 51.44], [7.60, 51.46], [7.56, 51.44]]
POLYGON = {"type": "Polygon", "coordinates": [RING]}


def _process() -> Process:
    return Process.start(
        WORKFLOW, sozialraum="Schwerte-Ost", by="kommune", data={"einwohnerzahl": 6180}
    )


def test_a_run_without_a_record_still_has_one() -> None:
    record = sozialraum_record(_process().sozialraum)
    assert record.id == "schwerte-ost"
    assert record.key_data == {"einwohnerzahl": 6180}
    assert record.planning_areas == ()
    assert record.boundary is None


def test_ids_are_made_from_names() -> None:
    assert sozialraum_id("Schwerte-Ost (Kernstadt)") == "schwerte-ost-kernstadt"
    assert sozialraum_id("Hörde Süd / Straße") == "hoerde-sued-strasse"
    assert sozialraum_id("!!!") == "sozialraum"


def test_record_is_kept_replayed_and_partly_replaced() -> None:
    process = _process()
    process.record_sozialraum(
        by="kommune",
        planning_areas=["Bezirk 31", "Bezirk 32"],
        key_data={"einwohnerzahl": 6180, "flaeche_km2": 2.4},
        boundary={"type": "Feature", "properties": {}, "geometry": POLYGON},
    )
    process.record_sozialraum(by="kommune", name="Schwerte-Ost (neu)")
    record = sozialraum_record(process.sozialraum)
    assert record.id == "schwerte-ost"  # the id stays when the name changes
    assert record.name == "Schwerte-Ost (neu)"
    assert record.planning_areas == ("Bezirk 31", "Bezirk 32")
    assert record.boundary is not None
    assert record_to_dict(record)["key_data"] == {"einwohnerzahl": 6180, "flaeche_km2": 2.4}
    stored = [event_from_dict(json.loads(json.dumps(event_to_dict(e)))) for e in process.log]
    assert fold(stored, WORKFLOW) == process.state


def _problems(boundary: Any) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in check_boundary(boundary)]


@pytest.mark.parametrize(
    ("boundary", "expected"),
    [
        (
            {"type": "Polygon", "coordinates": [[*RING[:-1], [7.56, 51.45]]]},
            [("boundary.coordinates[0][3]", "open-ring")],
        ),
        (
            {"type": "Polygon", "coordinates": [RING[:3]]},
            [("boundary.coordinates[0]", "short-ring")],
        ),
        (
            {"type": "Polygon", "coordinates": [[[190, 51.44], *RING[1:]]]},
            [("boundary.coordinates[0][0][0]", "longitude")],
        ),
        (
            {"type": "Polygon", "coordinates": [[RING[0], [7.6, 95], *RING[2:]]]},
            [("boundary.coordinates[0][1][1]", "latitude")],
        ),
        (
            {"type": "Polygon", "coordinates": [[RING[0], ["7.6", 51.4], *RING[2:]]]},
            [("boundary.coordinates[0][1]", "position")],
        ),
        ({"type": "Polygon", "coordinates": []}, [("boundary.coordinates", "rings")]),
        ({"type": "Polygon", "coordinates": ["x"]}, [("boundary.coordinates[0]", "ring")]),
        ({"type": "Point", "coordinates": [7.5, 51.4]}, [("boundary.type", "type")]),
        (
            {"type": "MultiPolygon", "coordinates": [[RING], [RING[:3]]]},
            [("boundary.coordinates[1][0]", "short-ring")],
        ),
        ({"type": "MultiPolygon", "coordinates": None}, [("boundary.coordinates", "rings")]),
        (
            {"type": "Feature", "geometry": {"type": "LineString"}},
            [("boundary.geometry.type", "type")],
        ),
        ("Polygon", [("boundary", "object")]),
    ],
)
def test_invalid_geojson_is_refused_with_its_position(
    boundary: Any, expected: list[tuple[str, str]]
) -> None:
    assert _problems(boundary) == expected
    process = _process()
    with pytest.raises(InvalidData) as caught:
        process.record_sozialraum(by="kommune", boundary=boundary)
    error = caught.value
    assert error.paths == tuple(path for path, _ in expected)
    assert error.message("de") != error.message("en")
    assert "Schwerte-Ost" in error.message("en")
    assert process.state.seq == 1  # nothing recorded


def test_the_messages_say_what_is_wrong_in_both_languages() -> None:
    process = _process()
    open_ring = {"type": "Polygon", "coordinates": [[*RING[:-1], [7.56, 51.45]]]}
    with pytest.raises(InvalidData) as caught:
        process.record_sozialraum(by="kommune", boundary=open_ring)
    assert "boundary.coordinates[0][3]: Der Ring ist nicht geschlossen" in caught.value.message(
        "de"
    )
    assert "boundary.coordinates[0][3]: The ring is not closed" in caught.value.message("en")


@pytest.mark.parametrize(
    ("arguments", "path", "code"),
    [
        ({"name": " "}, "name", "required"),
        ({"id": "Schwerte Ost"}, "id", "pattern"),
        ({"planning_areas": "Bezirk 31"}, "planning_areas", "type"),
        ({"planning_areas": ["A", ""]}, "planning_areas[1]", "type"),
        ({"planning_areas": ["A", "A"]}, "planning_areas[1]", "duplicate"),
        ({"key_data": ["einwohner"]}, "key_data", "type"),
        ({"key_data": {"einwohner": [1]}}, "key_data.einwohner", "type"),
    ],
)
def test_bad_record_fields_are_refused_with_their_path(
    arguments: dict[str, Any], path: str, code: str
) -> None:
    process = _process()
    with pytest.raises(InvalidData) as caught:
        process.record_sozialraum(by="kommune", **arguments)
    ((found_path, found_code),) = [(p.path, p.code) for p in caught.value.problems]
    assert (found_path, found_code) == (path, code)
    assert process.state.seq == 1


def test_only_the_responsible_roles_may_record() -> None:
    process = _process()
    with pytest.raises(PermissionDenied):
        process.record_sozialraum(by="statistik", planning_areas=["A"])
    assert process.state.seq == 1


def test_outline_svg_is_small_well_formed_and_north_up() -> None:
    two = {
        "type": "MultiPolygon",
        "coordinates": [[RING], [[[7.7, 51.5], [7.71, 51.5], [7.71, 51.51], [7.7, 51.5]]]],
    }
    svg = outline_svg(two, title="Schwerte <Ost>")
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.get("aria-label") == "Schwerte <Ost>"
    assert int(root.get("width", "0")) <= 220
    assert int(root.get("height", "0")) <= 220
    assert len(root.findall("{http://www.w3.org/2000/svg}path")) == 2
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_take_over_from_an_earlier_run(tmp_path: Path) -> None:
    service = Service.open(str(tmp_path / "store"), create=True)
    try:
        service.start("lauf-2025", WORKFLOW, sozialraum="Schwerte-Ost", by="kommune")
        service.record_sozialraum(
            "lauf-2025",
            by="kommune",
            id="so-1",
            planning_areas=["Bezirk 31"],
            key_data={"einwohnerzahl": 6180},
            boundary=POLYGON,
        )
        service.start("lauf-2026", WORKFLOW, sozialraum="Ost", by="kommune")
        done = service.take_over_sozialraum("lauf-2026", "lauf-2025", by="kommune")
        assert "lauf-2025" in done.message.text("de")
        room = service.open_run("lauf-2026").process.sozialraum
        record = sozialraum_record(room)
        assert (record.id, record.name, record.planning_areas) == (
            "so-1",
            "Schwerte-Ost",
            ("Bezirk 31",),
        )
        assert record.boundary == POLYGON
        last = service.open_run("lauf-2026").process.log[-1]
        assert last.payload["taken_from"] == "lauf-2025"
    finally:
        service.close()
