"""Store errors are worded from the catalogs (codes ``store.*``), in the words they always had."""

from __future__ import annotations

from pathlib import Path

import pytest

from sozialraumprozess.errors import (
    ConflictError,
    CorruptRunError,
    InvalidRunId,
    NotAStore,
    RunNotFound,
    UnsupportedFormat,
)
from sozialraumprozess.storage import FolderStore, SqliteStore, validate_run_id


def test_codes_and_both_languages(tmp_path: Path) -> None:
    conflict = ConflictError("r", 3, 4)
    assert conflict.code == "store.conflict"
    assert str(conflict) == (
        "Konflikt bei Lauf 'r': erwartet wurde Version 3, gespeichert ist Version 4. "
        "Lauf neu laden und erneut versuchen."
    )
    exists = ConflictError("r", 0, 2)
    assert (exists.code, exists.message("de")) == (
        "store.run-exists",
        "Lauf 'r' existiert bereits (Version 2).",
    )
    missing = RunNotFound("r", "/s")
    assert (missing.code, missing.message("en")) == (
        "store.run-not-found",
        "No run 'r' in store /s.",
    )
    old = UnsupportedFormat("/s/run.json", "x/7", "x/1")
    assert old.code == "store.unsupported-format"
    assert old.message("en") == (
        "/s/run.json has format 'x/7'; this version of sozialraumprozess reads 'x/1' "
        "(and older). Update sozialraumprozess to read it."
    )


def test_reasons_are_catalog_messages(tmp_path: Path) -> None:
    with pytest.raises(InvalidRunId) as caught:
        validate_run_id("a\x07b")
    error = caught.value
    assert error.reason.code == "store.run-id-control"
    assert (
        error.message("de") == "Ungültige Lauf-Kennung 'a\\x07b': Steuerzeichen U+0007 an Stelle 2."
    )
    assert (
        error.message("en") == "Invalid run id 'a\\x07b': control character U+0007 at position 2."
    )
    assert (error.reason_de, error.reason_en) == (
        "Steuerzeichen U+0007 an Stelle 2",
        "control character U+0007 at position 2",
    )
    (tmp_path / "datei").write_text("x")
    with pytest.raises(NotAStore) as not_store:
        FolderStore(tmp_path / "datei")
    assert not_store.value.message("en") == (
        f"{tmp_path / 'datei'} is not a sozialraumprozess store: it is a file, not a folder."
    )
    with pytest.raises(NotAStore) as not_sqlite:
        SqliteStore(tmp_path / "datei")
    assert not_sqlite.value.message("de") == (
        f"{tmp_path / 'datei'} ist kein sozialraumprozess-Speicher: keine SQLite-Datenbank."
    )


def test_corrupt_run_keeps_its_attributes() -> None:
    from sozialraumprozess.i18n import msg

    error = CorruptRunError("/s/events.jsonl", 3, msg("store.no-events"))
    assert (error.code, error.location()) == ("store.corrupt", "/s/events.jsonl:3")
    assert (error.message_de, error.message_en) == ("keine Ereignisse", "no events")
    assert error.message("en") == "/s/events.jsonl:3: no events"
    # the old signature (German and English text) still works, e.g. for stores of one's own
    legacy = CorruptRunError("/db [runs]", None, "kaputt", "broken")
    assert (legacy.message("de"), legacy.message("en")) == (
        "/db [runs]: kaputt",
        "/db [runs]: broken",
    )
    assert NotAStore("/x", "nein", "no").message("en") == "/x is not a sozialraumprozess store: no."


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        RunNotFound("r", "/s").message("fr")
