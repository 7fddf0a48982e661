"""The document filters' edge cases: empty values become an en dash; timestamps given
as text, with an offset or without a zone, are shown in UTC."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

from sozialraumprozess.documents.formatting import (
    cell,
    format_date_long,
    format_percent,
    format_timestamp,
)


@pytest.mark.parametrize("function", [format_date_long, format_timestamp, format_percent])
def test_nothing_is_an_en_dash(function: Callable[..., str]) -> None:
    assert function(None) == "–"
    assert function(None, "en") == "–"


def test_long_dates_in_both_languages() -> None:
    assert format_date_long("2017-11-08") == "8. November 2017"
    assert format_date_long("2017-11-08", "en") == "8 November 2017"


def test_timestamps_are_shown_in_utc() -> None:
    assert format_timestamp("2025-01-13T09:00:00+01:00") == "13.01.2025, 08:00 UTC"
    assert format_timestamp("2025-01-13T08:00:00", "en") == "13/01/2025, 08:00 UTC"
    two_hours_east = datetime(2025, 1, 13, 8, 0, tzinfo=timezone(timedelta(hours=2)))
    assert format_timestamp(two_hours_east, "en") == "13/01/2025, 06:00 UTC"


def test_percent_in_both_languages() -> None:
    assert format_percent(10) == "10 %"
    assert format_percent(27.44, "en") == "27.4%"


def test_a_table_cell_is_one_line() -> None:
    assert cell(None) == "–"
    assert cell("") == "–"
    assert cell("Treffpunkt\n  am Markt") == "Treffpunkt am Markt"
    assert cell(0) == "0"
