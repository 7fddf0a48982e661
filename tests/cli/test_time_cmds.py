"""The CLI of format v2 time: plan, reschedule, cancel, --date on commands, status."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..runtime.test_time import V2
from .conftest import sozialraum


def test_plan_reschedule_cancel_and_effective_dates(tmp_path: Path) -> None:
    """Planning shows in status; the notice period and impossible dates are refused."""
    own = tmp_path / "rat.yaml"
    own.write_text(V2, "utf-8")
    store = tmp_path / "store"
    started = sozialraum("init", str(store), "--workflow", str(own), "--sozialraum", "Kreis")
    assert started.returncode == 0, started.stderr
    today = datetime.now(UTC).date()
    later = (today + timedelta(days=30)).strftime("%d.%m.%Y")
    planned = sozialraum(
        "plan", "sitzung", "--dir", str(store), "--on", later, "--time", "17:00",
        "--place", "Kreishaus", "--agenda", "Sozialplan", "--invite", "ausschuss",
        "--as", "verwaltung",
    )  # fmt: skip
    assert planned.returncode == 0, planned.stderr
    assert "'Ausschusssitzung' geplant für" in planned.stdout
    status = sozialraum("status", str(store), "--json")
    data = json.loads(status.stdout)
    assert data["planned"] == [
        {
            "event": "sitzung",
            "title": "Ausschusssitzung",
            "date": (today + timedelta(days=30)).isoformat(),
            "time": "17:00",
            "until": None,
            "place": "Kreishaus",
        }
    ]
    text = sozialraum("status", str(store))
    assert f"Geplant: Ausschusssitzung am {later} (17:00, Kreishaus)" in text.stdout

    soon = (today + timedelta(days=2)).isoformat()
    moved = sozialraum(
        "reschedule", "sitzung", "--dir", str(store), "--on", soon, "--as", "verwaltung",
        "--lang", "en",
    )  # fmt: skip
    assert moved.returncode == 1
    assert "notice period for 'Ausschusssitzung' is 7 Tage" in moved.stderr

    cancelled = sozialraum("cancel", "sitzung", "--dir", str(store), "--as", "verwaltung")
    assert cancelled.returncode == 0, cancelled.stderr
    assert json.loads(sozialraum("status", str(store), "--json").stdout)["planned"] == []

    impossible = sozialraum(
        "advance", "--dir", str(store), "--date", "2025-13-01", "--as", "verwaltung"
    )
    assert impossible.returncode == 1
    assert "Diesen Tag gibt es nicht: '2025-13-01'" in impossible.stderr
    wrong = sozialraum("advance", "--dir", str(store), "--date", "1. Mai", "--as", "verwaltung")
    assert wrong.returncode == 1
    assert "Datum im Format JJJJ-MM-TT oder TT.MM.JJJJ erwartet" in wrong.stderr


def test_participant_add_takes_the_effective_date(tmp_path: Path) -> None:
    """``participant add --date``: recorded with that day; a day in the future is refused."""
    own = tmp_path / "rat.yaml"
    own.write_text(V2, "utf-8")
    store = tmp_path / "store"
    started = sozialraum("init", str(store), "--workflow", str(own), "--sozialraum", "Kreis")
    assert started.returncode == 0, started.stderr
    today = datetime.now(UTC).date()
    added = sozialraum(
        "participant", "add", "Kita Nord", "--dir", str(store), "--role", "verwaltung",
        "--date", today.strftime("%d.%m.%Y"), "--as", "verwaltung",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    history = json.loads(sozialraum("history", str(store), "--json").stdout)
    last = history["events"][-1] if isinstance(history, dict) else history[-1]
    assert last["date"] == today.isoformat()

    future = (today + timedelta(days=3)).isoformat()
    refused = sozialraum(
        "participant", "add", "Kita Süd", "--dir", str(store), "--role", "verwaltung",
        "--date", future, "--as", "verwaltung",
    )  # fmt: skip
    assert refused.returncode == 1
    assert "Ungültige Daten für Beteiligte(r) 'Kita Süd'" in refused.stderr
    assert (
        f"date: Datum {future} liegt in der Zukunft (heute ist {today.isoformat()})"
        in refused.stderr
    )
    listed = json.loads(sozialraum("participant", "list", str(store), "--json").stdout)
    names = [p["name"] for p in listed]
    assert "Kita Süd" not in names
