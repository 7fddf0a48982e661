"""The example web service's REST API over real HTTP: every command, every read, every
error status with its body (bilingual message, blockers, field problems)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import yaml

from sozialraumprozess import Service
from sozialraumprozess.definition.loader import bundled_workflows_dir

from .conftest import (
    ANNA,
    KOMMUNE,
    RAT,
    RAT_ROLE,
    READER,
    STORES,
    WORKFLOW,
    new_database,
    new_store,
    new_store_of,
    serve,
    start_run,
)

TOKEN_OF = {
    "kommune": KOMMUNE,
    "Anna Berger": ANNA,
    "Ausschuss für Soziales und Generationen": RAT,
    "rat": RAT_ROLE,  # the council as a body (it registers its own members)
}


@pytest.fixture(scope="module", params=STORES)
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    """One service (two workers) on one store for the whole module: SQLite, then PostgreSQL."""
    tmp = tmp_path_factory.mktemp("web-api")
    with (
        new_store_of(request.param, request, tmp) as url,
        serve(url, tmp) as base,
        httpx.Client(base_url=base, timeout=60, headers=READER) as client,
    ):
        yield client


def phase_one_steps() -> list[dict[str, Any]]:
    """The bundled scenario's steps up to (and with) the first advance that succeeds."""
    path = bundled_workflows_dir() / f"{WORKFLOW}.scenario.yaml"
    steps: list[dict[str, Any]] = yaml.safe_load(path.read_text("utf-8"))["steps"]
    out = []
    for step in steps:
        if "expect" in step or "error" in step:
            continue
        if "record_sozialraum" in step or "record_indicators" in step:
            continue  # the steering chain's records: the web example has no routes for them
        out.append(step)
        if "advance" in step:
            return out
    raise AssertionError("the scenario never advances")


def request_of(step: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    """The command route and JSON body of one scenario step."""
    if "set_participant" in step:
        body = {"name": step["set_participant"], "roles": step["roles"]}
        body |= {k: step[k] for k in ("kind", "contact") if k in step}
        return "participants", body
    if "submit" in step:
        return "submit", {"artifact": step["submit"], "data": step["data"]}
    if "approve" in step:
        return "approve", {"artifact": step["approve"]}
    if "record_decision" in step:
        body = {"decision": step["record_decision"], "date": step["date"]}
        return "decisions", body | {k: step[k] for k in ("yes", "no", "abstain", "text")}
    if "record_event" in step:
        body = {"event": step["record_event"], "date": step["date"]}
        return "events", body | {k: step[k] for k in ("participants", "notes", "protocol")}
    if "advance" in step:
        return "advance", None
    raise AssertionError(f"unexpected step {step}")


def error_of(answer: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    """The error body, checked for the shape every refusal has."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    error: dict[str, Any] = answer.json()["error"]
    assert error["status"] == status
    assert error["type"] == kind
    assert set(error["message"]) == {"de", "en"}
    assert error["message"]["de"] != error["message"]["en"]
    assert isinstance(error["blockers"], list)
    assert isinstance(error["problems"], list)
    return error


class TestCommands:
    def test_a_whole_phase_through_every_command(self, client: httpx.Client) -> None:
        """The scenario's first phase runs over HTTP: participants, submit, approve,
        decision, event, advance; then a transition back and a confirm; each answer
        names the recorded event, and the history agrees."""
        start_run(client, "phase-eins")
        told = []
        for step in phase_one_steps():
            route, body = request_of(step)
            answer = client.post(
                f"/api/runs/phase-eins/{route}", json=body, headers=TOKEN_OF[step["by"]]
            )
            assert answer.status_code == 200, (step, answer.text)
            data = answer.json()
            assert data["attempts"] == 1
            assert data["run_id"] == "phase-eins"
            told.append(data["event"])
        assert data["phase"] == "analysieren"
        assert data["message"] == (
            "Weiter: Sozialraum identifizieren → Sozialraum analysieren (Zyklus 1)"
        )
        back = client.post(
            "/api/runs/phase-eins/transitions?lang=en",
            json={"transition": "abgrenzung_aendern", "reason": "Neubaugebiet"},
            headers=KOMMUNE,
        )
        assert back.status_code == 200, back.text
        assert back.json()["phase"] == "identifizieren"
        told.append(back.json()["event"])
        history = client.get("/api/runs/phase-eins/history").json()
        # start and the two participants of start_run come first
        assert [row["seq"] for row in history] == list(range(1, len(history) + 1))
        recorded = [
            {k: row[k] for k in ("seq", "time", "type", "actor", "payload")} for row in history
        ]
        assert recorded[3:] == told

    def test_confirm_without_a_later_cycle_is_refused_with_422(self, client: httpx.Client) -> None:
        """confirm of an artifact never submitted is refused (422), nothing recorded."""
        start_run(client, "bestaetigen")
        before = len(client.get("/api/runs/bestaetigen/history").json())
        answer = client.post(
            "/api/runs/bestaetigen/confirm", json={"artifact": "auftrag"}, headers=KOMMUNE
        )
        error = error_of(answer, 422, "CommandRejected")
        assert "auftrag" in error["message"]["en"] or "Auftrag" in error["message"]["en"]
        assert len(client.get("/api/runs/bestaetigen/history").json()) == before


class TestReading:
    def test_status_list_history_participants(self, client: httpx.Client) -> None:
        """Status with blockers and owners (German and English), the run list,
        history and participants."""
        start_run(client, "lesen")
        status = client.get("/api/runs/lesen").json()
        assert status["phase"]["id"] == "identifizieren"
        assert status["can_advance"] is False
        owners = {b["target"]: b["role"] for b in status["blockers"]}
        assert owners["auftragsbeschluss"] == "rat"
        assert owners["sozialraumabgrenzung"] in ("sozialraumkoordination", "kommune")
        english = client.get("/api/runs/lesen?lang=en").json()
        assert english["blockers"][0]["message"] != status["blockers"][0]["message"]
        runs = {run["run_id"]: run for run in client.get("/api/runs").json()}
        assert runs["lesen"]["phase"] == "identifizieren"
        assert runs["lesen"]["blockers"] == len(status["blockers"])
        history = client.get("/api/runs/lesen/history?lang=en").json()
        assert [row["type"] for row in history] == [
            "process_started",
            "participant_set",
            "participant_set",
        ]
        names = [p["name"] for p in client.get("/api/runs/lesen/participants").json()]
        assert names == ["Anna Berger", "Ausschuss für Soziales und Generationen"]
        routes = client.get("/openapi.json").json()["paths"]
        assert "/api/runs/{run_id}/decisions" in routes

    def test_documents_and_report(self, client: httpx.Client) -> None:
        """The documents list names every document the state allows; each is served
        as HTML; the report as data and as one HTML page."""
        start_run(client, "dokumente")
        client.post(
            "/api/runs/dokumente/submit",
            json={"artifact": "auftrag", "data": {"titel": "Quartier im Wandel"}},
            headers=KOMMUNE,
        ).raise_for_status()
        listed = client.get("/api/runs/dokumente/documents").json()
        kinds = {(d["kind"], d["subject"]) for d in listed}
        assert ("artifact", "auftrag") in kinds
        assert ("process_report", "process") in kinds
        auftrag = next(d for d in listed if d["subject"] == "auftrag")
        page = client.get(auftrag["url"])
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "Quartier im Wandel" in page.text
        report = client.get("/api/runs/dokumente/report?lang=en").json()
        assert report["sozialraum"] == "Quartier dokumente"
        assert report["phase"]["id"] == "identifizieren"
        assert {b["role"] for b in report["blockers"]} >= {"rat"}
        html = client.get("/runs/dokumente/report.html")
        assert html.status_code == 200
        assert "Quartier dokumente" in html.text


class TestErrors:
    """Every error status, with its body."""

    def test_401_without_a_token(self, client: httpx.Client) -> None:
        """Commands and reads need a known token."""
        start_run(client, "ohne-token")
        with httpx.Client(base_url=client.base_url, timeout=60) as anonymous:
            answer = anonymous.post("/api/runs/ohne-token/advance")
            error = error_of(answer, 401, "WebError")
            assert answer.headers["www-authenticate"] == "Bearer"
            assert error["code"] == "web.not-authenticated"
            assert "Authorization: Bearer" in error["message"]["en"]
            wrong = anonymous.post(
                "/api/runs/ohne-token/advance", headers={"Authorization": "Bearer x"}
            )
            error_of(wrong, 401, "WebError")
            for path in ("/api/runs", "/api/runs/ohne-token", "/api/changes", "/runs/ohne-token"):
                assert anonymous.get(path).status_code == 401, path
            index = anonymous.get("/")
            assert index.status_code == 200
            assert 'id="login"' in index.text
            assert "ohne-token" not in index.text

    def test_403_not_permitted(self, client: httpx.Client) -> None:
        """Anna Berger (sozialraumkoordination) may not advance: 403 names who may."""
        start_run(client, "verboten")
        answer = client.post("/api/runs/verboten/advance", headers=ANNA)
        error = error_of(answer, 403, "PermissionDenied")
        assert "Anna Berger" in error["message"]["de"]
        assert "kommune" in error["message"]["en"]
        assert len(client.get("/api/runs/verboten/history").json()) == 3

    def test_403_for_someone_who_is_no_participant(self, client: httpx.Client) -> None:
        start_run(client, "fremd")
        answer = client.post(
            "/api/runs/fremd/advance", headers={"Authorization": "Bearer t-stranger"}
        )
        error = error_of(answer, 403, "UnknownNameError")
        assert "Niemand Bekanntes" in error["message"]["en"]

    def test_404_unknown_run(self, client: httpx.Client) -> None:
        error = error_of(client.get("/api/runs/gibt-es-nicht"), 404, "RunNotFound")
        assert "gibt-es-nicht" in error["message"]["de"]
        command = client.post(
            "/api/runs/gibt-es-nicht/submit",
            json={"artifact": "auftrag", "data": {}},
            headers=KOMMUNE,
        )
        error_of(command, 404, "RunNotFound")

    def test_404_unknown_document(self, client: httpx.Client) -> None:
        start_run(client, "ohne-dokument")
        answer = client.get("/runs/ohne-dokument/documents/zyklus-9/nichts.html")
        assert answer.status_code == 404
        assert "zyklus-9/nichts" in answer.text

    def test_409_run_exists(self, client: httpx.Client) -> None:
        start_run(client, "doppelt")
        again = client.post(
            "/api/runs",
            json={"run_id": "doppelt", "workflow": WORKFLOW, "sozialraum": "Noch einmal"},
            headers=KOMMUNE,
        )
        error = error_of(again, 409, "ConflictError")
        assert "doppelt" in error["message"]["en"]

    def test_422_invalid_data_lists_every_field_problem(self, client: httpx.Client) -> None:
        start_run(client, "ungueltig")
        answer = client.post(
            "/api/runs/ungueltig/submit",
            json={"artifact": "auftrag", "data": {"titel": 3, "laufzeit_bis": "bald"}},
            headers=KOMMUNE,
        )
        error = error_of(answer, 422, "InvalidData")
        assert {p["path"] for p in error["problems"]} == {"titel", "laufzeit_bis"}
        for problem in error["problems"]:
            assert set(problem["message"]) == {"de", "en"}
        assert len(client.get("/api/runs/ungueltig/history").json()) == 3

    def test_422_unknown_names_and_bad_requests(self, client: httpx.Client) -> None:
        start_run(client, "namen")
        unknown = client.post(
            "/api/runs/namen/approve", json={"artifact": "zielkatalg"}, headers=KOMMUNE
        )
        error = error_of(unknown, 422, "UnknownNameError")
        assert "zielkatalog" in error["message"]["en"]  # did you mean …
        missing = client.post("/api/runs/namen/submit", json={"data": {}}, headers=KOMMUNE)
        error = error_of(missing, 422, "WebError")
        assert "artifact" in error["message"]["en"]
        bad_id = client.post(
            "/api/runs",
            json={"run_id": "../x", "workflow": WORKFLOW, "sozialraum": "S"},
            headers=KOMMUNE,
        )
        error_of(bad_id, 422, "InvalidRunId")
        workflow = client.post(
            "/api/runs",
            json={"run_id": "w", "workflow": "gibts-nicht", "sozialraum": "S"},
            headers=KOMMUNE,
        )
        error = error_of(workflow, 422, "UnknownNameError")
        assert WORKFLOW in error["message"]["de"]
        error_of(client.get("/api/runs/namen?lang=fr"), 422, "UnknownNameError")

    def test_423_blocked_lists_every_blocker_with_its_owner(self, client: httpx.Client) -> None:
        start_run(client, "blockiert")
        status = client.get("/api/runs/blockiert").json()
        answer = client.post("/api/runs/blockiert/advance", headers=KOMMUNE)
        error = error_of(answer, 423, "TransitionBlocked")
        assert error["code"] == "transition-blocked"
        assert [(b["target"], b["role"], b["code"]) for b in error["blockers"]] == [
            (b["target"], b["role"], b["code"]) for b in status["blockers"]
        ]
        for blocker, shown in zip(error["blockers"], status["blockers"], strict=True):
            assert blocker["message"]["de"] == shown["message"]
            assert blocker["message"]["en"] != shown["message"]
            assert blocker["message"]["de"] in error["message"]["de"]
        assert len(client.get("/api/runs/blockiert/history").json()) == 3


def test_the_store_must_exist(tmp_path: Path) -> None:
    """A server pointed at a missing store does not create one: it fails to start
    with the library's message."""
    url = f"sqlite://{tmp_path / 'fehlt.db'}"
    with (
        pytest.raises(pytest.fail.Exception, match=r"NotAStore: .*fehlt\.db"),
        serve(url, tmp_path, workers=1),
    ):
        pass  # pragma: no cover
    assert not (tmp_path / "fehlt.db").exists()


def test_an_empty_database_is_not_made_a_store(postgres_url: str, tmp_path: Path) -> None:
    """A server pointed at an empty PostgreSQL database does not create the schema
    (that is `sozialraum store upgrade`'s job): it fails to start, nothing written."""
    import psycopg

    with new_database(postgres_url) as url:
        with (
            pytest.raises(pytest.fail.Exception, match=r"NotAStore: postgresql://"),
            serve(url, tmp_path, workers=1),
        ):
            pass  # pragma: no cover
        with psycopg.connect(url) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()
        assert tables == (0,)


def test_500_for_a_damaged_run_with_the_message(tmp_path: Path) -> None:
    """A run damaged in the store is the operator's problem: 500 with the library's
    message (naming the run) in both languages, no traceback to the client."""
    url = new_store(tmp_path)
    with serve(url, tmp_path, workers=1) as base, httpx.Client(base_url=base, timeout=60) as http:
        start_run(http, "kaputt")
        with sqlite3.connect(tmp_path / "prozesse.db") as db:
            db.execute(
                "UPDATE events SET event = '{nicht json' WHERE run_id = 'kaputt' AND seq = 2"
            )
        answer = http.get("/api/runs/kaputt", headers=KOMMUNE)
        error = error_of(answer, 500, "CorruptRunError")
        assert "kaputt" in error["message"]["de"]
        page = http.get("/runs/kaputt", headers=KOMMUNE)
        assert page.status_code == 500
        assert "kaputt" in page.text
        assert "Traceback" not in page.text


def test_503_when_the_database_is_gone(postgres_url: str, tmp_path: Path) -> None:
    """The database disappears under a running service: 503 with the library's
    message, which names the server without the password."""
    import psycopg

    with new_database(postgres_url) as url:
        Service.open(url, create=True).close()
        with serve(url, tmp_path, workers=1) as base, httpx.Client(base_url=base) as http:
            start_run(http, "weg")
            name = url.rsplit("/", 1)[1]
            with psycopg.connect(postgres_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            answer = http.get("/api/runs/weg", headers=KOMMUNE, timeout=60)
            error = error_of(answer, 503, "StoreUnavailable")
            assert "postgresql://" in error["message"]["en"]
            password = urlsplit(url).password
            assert password
            assert password not in answer.text
