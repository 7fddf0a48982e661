"""The definition model: round trips, lookups, graph helpers, RACI."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from sozialraumprozess import Label, UnknownNameError, Workflow, load_workflow
from sozialraumprozess.definition.convert import unstructure_workflow

SIX = "generationengerechte-sozialraumentwicklung"


@pytest.fixture(scope="module")
def six() -> Workflow:
    return load_workflow(SIX)


class TestRoundTrip:
    def test_model_dict_model_is_equal(self, six: Workflow) -> None:
        """to_dict() → load_workflow() gives an equal workflow and the same hash."""
        again = load_workflow(six.to_dict())
        assert again == six
        assert again.content_hash == six.content_hash
        assert again.to_dict() == six.to_dict()

    def test_dict_keeps_file_shape(self, six: Workflow) -> None:
        """Keyed sections stay mappings; from/to keep their names; defaults are left out."""
        data = unstructure_workflow(six)
        assert data["format"] == "sozialraumprozess/v2"
        assert data["indicators"]["sgb2_quote"]["direction"] == "higher-is-worse"
        assert list(data["roles"])[:2] == ["kommune", "rat"]
        assert "id" not in data["roles"]["kommune"]
        assert data["transitions"][0]["from"] == "umsetzung_sichern"
        assert data["phases"][5]["exit"][0] == {"event": "sozialraumkonferenz", "count": 2}
        assert data["phases"][0]["exit"][0] == {"decision": "auftragsbeschluss"}
        assert data["title"] == {
            "de": "Generationengerechte Sozialraumentwicklung",
            "en": "Intergenerational social-space development",
        }
        assert data["roles"]["kommune"]["title"] == {"de": "Kommune", "en": "Municipality"}
        # a plain label (in the file's language) stays a plain string
        plain = six.to_dict()
        plain["roles"]["kommune"]["title"] = "Kommune"
        assert unstructure_workflow(load_workflow(plain))["roles"]["kommune"]["title"] == "Kommune"

    @settings(max_examples=50, deadline=None)
    @given(
        de=st.one_of(st.none(), st.text(min_size=1)),
        en=st.one_of(st.none(), st.text(min_size=1)),
        language=st.sampled_from(["de", "en"]),
    )
    def test_labels_round_trip_in_both_languages(
        self, de: str | None, en: str | None, language: str
    ) -> None:
        """Plain and bilingual labels survive the round trip whatever the file language."""
        if de is None and en is None:
            return
        data = load_workflow(SIX).to_dict()
        data["language"] = language
        data["roles"]["kommune"]["title"] = {k: v for k, v in (("de", de), ("en", en)) if v}
        workflow = load_workflow(data)
        assert workflow.role("kommune").title == Label(de=de, en=en)
        assert load_workflow(workflow.to_dict()) == workflow

    def test_content_hash_changes_with_content(self, six: Workflow) -> None:
        """Any change in the definition changes the hash."""
        data = six.to_dict()
        data["phases"][0]["duration"] = "P4M"
        assert load_workflow(data).content_hash != six.content_hash
        assert six.content_hash.startswith("sha256:")


class TestLookups:
    def test_lookup_by_id(self, six: Workflow) -> None:
        """Every section can be looked up by id."""
        assert six.role("kommune").title.get() == "Kommune"
        assert six.artifact("zielkatalog").approved_by == "verantwortungsgemeinschaft"
        assert six.decision("zielbeschluss").quorum == 5
        assert six.event("gruendungsveranstaltung").organizer == "kommune"
        assert six.phase("analysieren").duration == "P4M"
        assert six.transition("ziele_ueberarbeiten").target == "ziele_festlegen"

    def test_unknown_lookup_hints(self, six: Workflow) -> None:
        """An unknown id raises UnknownNameError (a KeyError) with the closest id."""
        with pytest.raises(UnknownNameError) as info:
            six.artifact("zielkatalg")
        assert isinstance(info.value, KeyError)
        assert (info.value.kind, info.value.suggestion) == ("artifact", "zielkatalog")
        assert (
            info.value.message("en") == "Unknown artifact 'zielkatalg'. Did you mean 'zielkatalog'?"
        )

    def test_phase_order_and_cycle(self, six: Workflow) -> None:
        """The last phase leads back to the analysis: the process is cyclic."""
        assert [p.id for p in six.phases] == [
            "identifizieren",
            "analysieren",
            "visionen_entwickeln",
            "ziele_festlegen",
            "massnahmen_planen",
            "umsetzung_sichern",
        ]
        assert six.next_phase("identifizieren") == "analysieren"
        assert six.next_phase("umsetzung_sichern") == "analysieren"
        assert six.is_cyclic
        assert not six.is_final("umsetzung_sichern")
        assert six.is_backward("umsetzung_sichern", "massnahmen_planen")
        assert not six.is_backward("analysieren", "visionen_entwickeln")
        assert [t.id for t in six.transitions_from("umsetzung_sichern")] == [
            "massnahmen_nachsteuern"
        ]

    def test_raci(self, six: Workflow) -> None:
        """R = responsible, A = approves or decides, C = involved, I = informed."""
        raci = six.raci()
        assert raci["kommune"]["identifizieren"] == "R"
        assert raci["rat"]["identifizieren"] == "A"  # auftragsbeschluss
        assert raci["verantwortungsgemeinschaft"]["ziele_festlegen"] == "R"
        assert raci["verantwortungsgemeinschaft"]["visionen_entwickeln"] == "A"  # leitbild
        assert raci["verantwortungsgemeinschaft"]["analysieren"] == "I"
        assert raci["zwar_zentralstelle"]["massnahmen_planen"] == "C"
        assert raci["zwar_zentralstelle"]["identifizieren"] == ""
