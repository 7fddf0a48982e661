"""Who may grant a role: ``appointed_by`` on roles, and the default without it.

The reproduction from issue 13 §7: the Kommune, responsible for the first phase,
added "Mallory" with role ``rat`` and recorded the council's decision through
her. Granting a role is now governed by the workflow, on every participant
command (adding, changing, taking roles away, deactivating).
"""

from __future__ import annotations

import pytest

from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.errors import PermissionDenied, UnknownNameError
from sozialraumprozess.runtime.permissions import appointers, deciding_roles
from sozialraumprozess.runtime.process import Process
from sozialraumprozess.runtime.records import Actor
from sozialraumprozess.testing import workflow_from_string

from ..definition.conftest import MINI, issues_of, variant

SIX = load_workflow("generationengerechte-sozialraumentwicklung")


def started() -> Process:
    process = Process.start(SIX, sozialraum="Schwerte-Ost", by="kommune")
    process.set_participant("Fachbereich Soziales", ["kommune"], by="kommune")
    return process


class TestTheCouncilIsNotMadeUp:
    def test_kommune_may_not_add_mallory_to_the_council(self) -> None:
        """The reproduction: refused with a message naming the role and who may appoint."""
        process = started()
        log = process.log
        with pytest.raises(PermissionDenied) as info:
            process.set_participant("Mallory", ["rat"], kind="person", by="kommune")
        error = info.value
        assert (error.actor, error.command, error.subject, error.allowed) == (
            "kommune",
            "set_participant",
            "rat",
            ("rat",),
        )
        assert error.message("de") == (
            "Nicht erlaubt: Rolle 'kommune' darf keine Mitglieder der Rolle 'rat' benennen, "
            "ändern oder entfernen. Das dürfen nur: 'rat' (Schlüssel 'appointed_by' der Rolle "
            "im Workflow)."
        )
        assert error.message("en") == (
            "Not allowed: role 'kommune' may not appoint, change or remove members of role "
            "'rat'. Only 'rat' may (the role's 'appointed_by' key in the workflow)."
        )
        assert process.log == log
        with pytest.raises(UnknownNameError):  # so she cannot record the council's decision
            process.record_decision(
                "auftragsbeschluss", date="2025-01-28", yes=1, no=0, abstain=0, by="Mallory"
            )

    def test_a_member_of_the_kommune_may_not_either(self) -> None:
        process = started()
        with pytest.raises(PermissionDenied) as info:
            process.set_participant("Mallory", ["rat"], by="Fachbereich Soziales")
        assert (info.value.actor, info.value.roles) == ("Fachbereich Soziales", ("kommune",))
        assert "'Fachbereich Soziales' (Rollen: kommune)" in info.value.message("de")

    def test_a_role_mixed_into_an_allowed_grant_is_refused(self) -> None:
        """Every role granted is checked, not only the first."""
        process = started()
        with pytest.raises(PermissionDenied) as info:
            process.set_participant("Mallory", ["sozialraumkoordination", "rat"], by="kommune")
        assert info.value.subject == "rat"

    def test_the_council_registers_its_own_members(self) -> None:
        process = started()
        process.set_participant("Ausschuss für Soziales", ["rat"], by="rat")
        entry = process.set_participant("Ratsmitglied B", ["rat"], by="Ausschuss für Soziales")
        assert entry.actor == Actor("rat", "Ausschuss für Soziales")
        record = process.record_decision(
            "auftragsbeschluss", date="2025-01-28", yes=31, no=4, abstain=2, by="Ratsmitglied B"
        )
        assert record.recorded_by == Actor("rat", "Ratsmitglied B")


class TestChangesAreGrantsToo:
    def test_kommune_may_not_give_its_own_member_a_seat_in_the_council(self) -> None:
        process = started()
        with pytest.raises(PermissionDenied) as info:
            process.set_participant("Fachbereich Soziales", ["kommune", "rat"], by="kommune")
        assert info.value.subject == "rat"

    @pytest.mark.parametrize(
        "change",
        [
            {"roles": ["sozialraumkoordination"]},  # takes the seat away
            {"roles": ["rat"], "active": False},  # deactivates
            {"roles": ["rat"], "contact": "mallory@example.org"},  # changes contact data
        ],
    )
    def test_kommune_may_not_change_or_remove_a_council_member(
        self, change: dict[str, object]
    ) -> None:
        process = started()
        process.set_participant("Ratsmitglied A", ["rat"], by="rat")
        log = process.log
        roles = change.pop("roles")
        with pytest.raises(PermissionDenied) as info:
            process.set_participant("Ratsmitglied A", roles, by="kommune", **change)  # type: ignore[arg-type]
        assert info.value.subject == "rat"
        assert process.log == log

    def test_the_council_may_deactivate_its_member(self) -> None:
        process = started()
        process.set_participant("Ratsmitglied A", ["rat"], by="rat")
        process.set_participant("Ratsmitglied A", ["rat"], active=False, by="rat")
        assert not process.state.participants["Ratsmitglied A"].active

    def test_unknown_roles_are_still_a_data_error(self) -> None:
        from sozialraumprozess.errors import InvalidData

        process = started()
        with pytest.raises(InvalidData):
            process.set_participant("X", ["raat"], by="kommune")


DEFAULTS = variant(
    "roles:\n  kommune:\n    title: Kommune\n",
    "roles:\n  kommune:\n    title: Kommune\n  buerger:\n    title: Bürgerschaft\n",
    MINI,
)


class TestTheDefaultWithoutAppointedBy:
    """Without ``appointed_by``: the role itself and the phase's responsible role;
    a role that decides or approves only by itself."""

    def test_the_rule(self) -> None:
        workflow = workflow_from_string(DEFAULTS)
        assert deciding_roles(workflow) == {"vg"}
        assert appointers(workflow, "analysieren", "buerger") == ("buerger", "kommune")
        assert appointers(workflow, "analysieren", "kommune") == ("kommune",)
        assert appointers(workflow, "analysieren", "vg") == ("vg",)
        assert appointers(workflow, "ziele", "buerger") == ("buerger", "vg")

    def test_the_responsible_role_appoints_a_plain_role_but_not_a_deciding_one(self) -> None:
        workflow = workflow_from_string(DEFAULTS)
        process = Process.start(workflow, sozialraum="Ost", by="kommune")
        process.set_participant("Initiative", ["buerger"], by="kommune")
        with pytest.raises(PermissionDenied) as info:
            process.set_participant("Mallory", ["vg"], by="kommune")
        assert info.value.allowed == ("vg",)
        process.set_participant("Verantwortungsgemeinschaft Ost", ["vg"], by="vg")

    def test_appointed_by_replaces_the_default(self) -> None:
        text = variant(
            "  vg:\n    title: Verantwortungsgemeinschaft\n",
            "  vg:\n    title: Verantwortungsgemeinschaft\n    appointed_by: [kommune]\n",
            DEFAULTS,
        )
        workflow = workflow_from_string(text)
        assert workflow.role("vg").appointed_by == ("kommune",)
        process = Process.start(workflow, sozialraum="Ost", by="kommune")
        process.set_participant("VG Ost", ["vg"], by="kommune")
        with pytest.raises(PermissionDenied):
            process.set_participant("VG West", ["vg"], by="vg")


class TestTheKeyInTheFile:
    def test_unknown_and_doubled_roles_are_reported_with_position_and_hint(self) -> None:
        text = variant(
            "  kommune:\n    title: Kommune\n",
            "  kommune:\n    title: Kommune\n    appointed_by: [kommunne, vg, vg]\n",
        )
        found = [
            (i.line, i.column, i.path, i.code, i.message("en"), i.hint("en"))
            for i in issues_of(text)
        ]
        assert found == [
            (
                8,
                20,
                "roles.kommune.appointed_by[0]",
                "unknown-reference",
                "unknown role 'kommunne'",
                "Did you mean 'kommune'?",
            ),
            (
                8,
                34,
                "roles.kommune.appointed_by[2]",
                "duplicate-entry",
                "'vg' appears twice in the list",
                None,
            ),
        ]

    def test_an_empty_list_is_refused(self) -> None:
        text = variant(
            "  kommune:\n    title: Kommune\n",
            "  kommune:\n    title: Kommune\n    appointed_by: []\n",
        )
        [issue] = issues_of(text)
        assert (issue.line, issue.path, issue.code) == (
            8,
            "roles.kommune.appointed_by",
            "too-few-items",
        )

    def test_a_misspelt_key_is_refused_with_a_hint(self) -> None:
        text = variant(
            "  kommune:\n    title: Kommune\n",
            "  kommune:\n    title: Kommune\n    apointed_by: [vg]\n",
        )
        [issue] = issues_of(text)
        assert (issue.line, issue.column, issue.code) == (8, 5, "unknown-key")
        assert "appointed_by" in (issue.hint("en") or "")

    def test_every_bundled_workflow_says_who_appoints_every_role(self) -> None:
        from sozialraumprozess.definition.loader import bundled_workflows

        for wid in bundled_workflows():
            workflow = load_workflow(wid)
            assert all(role.appointed_by for role in workflow.roles), wid
