"""Process errors worded in both languages: who was refused and who is allowed (nobody,
one role, several), and replay errors given as a German/English pair of texts."""

from __future__ import annotations

import pytest

from sozialraumprozess.errors import PermissionDenied, ReplayError

HEAD_EN = "Not permitted: 'anna' (roles: bewohnerschaft) may not run 'approve auftrag'. "
HEAD_DE = "Nicht erlaubt: 'anna' (Rollen: bewohnerschaft) darf 'approve auftrag' nicht ausführen. "


@pytest.mark.parametrize(
    ("allowed", "en", "de"),
    [
        ([], "Allowed: nobody.", "Erlaubt für: niemand."),
        (["kommune"], "Allowed: 'kommune'.", "Erlaubt für: 'kommune'."),
        (
            ["kommune", "vg", "rat"],
            "Allowed: 'kommune', 'vg' or 'rat'.",
            "Erlaubt für: 'kommune', 'vg' oder 'rat'.",
        ),
    ],
)
def test_who_is_allowed(allowed: list[str], en: str, de: str) -> None:
    error = PermissionDenied("anna", ["bewohnerschaft"], "approve", "auftrag", allowed)
    assert error.message("en") == HEAD_EN + en
    assert error.message("de") == HEAD_DE + de
    assert error.allowed == tuple(allowed)


def test_a_role_and_a_participant_without_roles() -> None:
    role = PermissionDenied("rat", ["rat"], "advance", None, ["kommune"])
    assert (
        role.message("en") == "Not permitted: role 'rat' may not run 'advance'. Allowed: 'kommune'."
    )
    assert role.message("de") == (
        "Nicht erlaubt: Rolle 'rat' darf 'advance' nicht ausführen. Erlaubt für: 'kommune'."
    )
    nobody = PermissionDenied("anna", [], "advance", None, ["kommune"])
    assert nobody.message("en").startswith("Not permitted: 'anna' (roles: -) may not run")


def test_a_replay_error_from_a_pair_of_texts() -> None:
    error = ReplayError(3, "kaputt", "broken")
    assert error.message("en") == "Event 3: broken"
    assert error.message("de") == "Ereignis 3: kaputt"
    assert (error.message_de, error.message_en, error.seq) == ("kaputt", "broken", 3)
    assert error.code == "runtime.replay"


def test_a_replay_error_with_german_text_only_uses_it_in_english_too() -> None:
    error = ReplayError(None, "nur deutsch")
    assert error.message("en") == error.message("de") == "nur deutsch"
    with pytest.raises(ValueError, match="'fr'"):
        error.message("fr")  # type: ignore[arg-type]
