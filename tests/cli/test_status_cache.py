"""`status` answers from a cache tagged with the log; any change to the log invalidates it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sozialraumprozess.cli.status_cache import CACHE_FILE
from sozialraumprozess.storage import FolderStore, open_run

from .conftest import sozialraum


def status_json(store: Path, lang: str = "de") -> dict[str, object]:
    result = sozialraum("status", str(store), "--json", "--lang", lang)
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_cached_answer_equals_the_computed_one(store: Path) -> None:
    """The second status (from the cache) says exactly what the first computed."""
    cache = store / "runs" / "schwerte-ost" / CACHE_FILE
    cache.unlink(missing_ok=True)
    first = status_json(store)
    assert cache.is_file()
    assert status_json(store) == first
    assert status_json(store, "en")["blockers"] != first["blockers"]  # per language


def test_a_change_outside_the_cli_invalidates_the_cache(store: Path) -> None:
    """Events appended through the Python API show up in the next status."""
    before = status_json(store)
    run = open_run(FolderStore(store), "schwerte-ost")
    run.process.set_participant("Anna Berger", ["sozialraumkoordination"], by="kommune")
    run.save()
    after = status_json(store)
    assert after["events"] == before["events"] + 1  # type: ignore[operator]


def test_a_damaged_cache_is_ignored(store: Path) -> None:
    """A cache that is not JSON (or from another version) is recomputed, not trusted."""
    expected = status_json(store)
    cache = store / "runs" / "schwerte-ost" / CACHE_FILE
    cache.write_text("{not json", "utf-8")
    assert status_json(store) == expected
    cache.write_text(json.dumps({"version": 0, "tag": {}, "data": {}}), "utf-8")
    assert status_json(store) == expected


def test_commands_refresh_the_cache(store: Path, data_file: Callable[[str], Path]) -> None:
    """After a command, the cache already describes the new state."""
    result = sozialraum(
        "submit",
        "auftrag",
        "--data",
        str(data_file("auftrag")),
        "--as",
        "kommune",
        "-d",
        str(store),
    )
    assert result.returncode == 0, result.stderr
    cache = json.loads((store / "runs" / "schwerte-ost" / CACHE_FILE).read_text("utf-8"))
    messages = [b["message"] for b in cache["data"]["de"]["blockers"]]
    assert "Artefakt 'Auftrag / Projektsteckbrief' fehlt" not in messages
    assert status_json(store)["blockers"] == cache["data"]["de"]["blockers"]
