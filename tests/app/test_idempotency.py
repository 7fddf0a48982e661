"""Idempotency keys: a retried command is recognised and not applied twice (issue 13 §2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sozialraumprozess.app import Service
from sozialraumprozess.app.errors import InvalidIdempotencyKey
from sozialraumprozess.cli import sozialraum
from sozialraumprozess.definition.loader import load_workflow
from sozialraumprozess.errors import ConflictError

SIX = "generationengerechte-sozialraumentwicklung"


@pytest.fixture(params=["folder", "sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new store of each kind with one started run ``ost``."""
    target = str(tmp_path / "store") if request.param == "folder" else f"sqlite://{tmp_path}/s.db"
    service = Service.open(target, create=True)
    service.start("ost", load_workflow(SIX), sozialraum="Ost", idempotency_key="start-1")
    service.close()
    return target


def _keys(service: Service) -> list[str | None]:
    return [event.key for event in service.store.read_events("ost")]


class TestService:
    def test_a_repeated_key_is_not_applied_again(self, url: str) -> None:
        """The second call with the same key stores nothing and gives the original
        value and message."""
        service = Service.open(url)
        first = service.set_participant(
            "ost", "Anna", ["kommune"], by="kommune", idempotency_key="k1"
        )
        again = Service.open(url).set_participant(
            "ost", "Anna", ["kommune"], by="kommune", idempotency_key="k1"
        )
        assert (first.repeated, again.repeated) == (False, True)
        assert again.message.text("en") == first.message.text("en")
        assert again.value == first.value
        assert (first.seq, again.seq, again.attempts) == (2, 2, 0)
        assert again.to_dict("en")["event"] == first.to_dict("en")["event"]
        assert again.to_dict("en")["repeated"] is True
        assert _keys(service) == ["start-1", "k1"]

    def test_the_original_result_even_after_later_commands(self, url: str) -> None:
        """A retry that comes after other commands still gets its own result, computed
        on the state just before its event."""
        service = Service.open(url)
        first = service.set_participant(
            "ost", "Anna", ["kommune"], by="kommune", idempotency_key="a"
        )
        service.set_participant("ost", "Bert", ["kommune"], by="kommune", idempotency_key="b")
        again = service.set_participant(
            "ost", "Anna", ["kommune"], by="kommune", idempotency_key="a"
        )
        assert again.repeated
        assert again.message.text("de") == first.message.text("de")
        assert again.to_dict()["event"]["seq"] == 2
        assert _keys(service) == ["start-1", "a", "b"]

    def test_another_key_is_another_command(self, url: str) -> None:
        """The same command with a new key (or none) is applied again."""
        service = Service.open(url)
        service.set_participant("ost", "Anna", ["kommune"], by="kommune", idempotency_key="x")
        service.set_participant("ost", "Anna", ["kommune"], by="kommune", idempotency_key="y")
        service.set_participant("ost", "Anna", ["kommune"], by="kommune")
        assert _keys(service) == ["start-1", "x", "y", None]

    def test_start_with_the_same_key_returns_the_run(self, url: str) -> None:
        """Starting again with the start's key gives the run; another key a conflict."""
        service = Service.open(url)
        opened = service.start(
            "ost", load_workflow(SIX), sozialraum="Ost", idempotency_key="start-1"
        )
        assert opened.run_id == "ost"
        assert len(opened.process.log) == 1
        with pytest.raises(ConflictError):
            service.start("ost", load_workflow(SIX), sozialraum="Ost", idempotency_key="start-2")
        with pytest.raises(ConflictError):
            service.start("ost", load_workflow(SIX), sozialraum="Ost")

    @pytest.mark.parametrize("key", ["", " k", "k ", "x" * 129, "a\nb", "\x00"])
    def test_bad_keys_are_refused_before_anything_is_stored(self, url: str, key: str) -> None:
        """A key that cannot be stored is an InvalidIdempotencyKey (a ValueError)."""
        service = Service.open(url)
        with pytest.raises(InvalidIdempotencyKey) as caught:
            service.advance("ost", by="kommune", idempotency_key=key)
        assert isinstance(caught.value, ValueError)
        assert "128" in caught.value.message("en")
        assert _keys(service) == ["start-1"]


class TestCli:
    def test_retry_with_the_key_says_already_applied(self, url: str) -> None:
        """``--idempotency-key`` given twice: one event, and the second run says so."""
        runner = CliRunner()
        args = [
            "participant",
            "add",
            "Anna",
            "--role",
            "kommune",
            "--as",
            "kommune",
            "--store",
            url,
            "--lang",
            "en",
            "--idempotency-key",
            "cli-1",
        ]
        first = runner.invoke(sozialraum, args)
        second = runner.invoke(sozialraum, args)
        assert (first.exit_code, second.exit_code) == (0, 0), second.output
        assert "Already applied as event 2 with key cli-1" in second.output
        assert "Already applied" not in first.output
        as_json = runner.invoke(sozialraum, [*args, "--json"])
        assert json.loads(as_json.output)["repeated"] is True
        assert _keys(Service.open(url)) == ["start-1", "cli-1"]

    def test_each_invocation_gets_its_own_key(self, url: str) -> None:
        """Without ``--idempotency-key`` every invocation is a command of its own."""
        runner = CliRunner()
        args = ["advance", "--as", "kommune", "--store", url]
        runner.invoke(sozialraum, ["participant", "add", "A", "--role", "kommune", *args[1:]])
        runner.invoke(sozialraum, ["participant", "add", "A", "--role", "kommune", *args[1:]])
        keys = _keys(Service.open(url))
        assert len(keys) == 3
        assert len(set(keys)) == 3
        assert all(isinstance(k, str) and len(k) == 32 for k in keys[1:])
