"""The example's HTML interface: plain forms, server-rendered pages, no JavaScript;
driven over HTTP and in headless Chromium."""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from .cdp import Browser
from .conftest import KOMMUNE, new_store, serve, start_run


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One service (two workers) on one SQLite store for the module."""
    tmp = tmp_path_factory.mktemp("web-pages")
    with serve(new_store(tmp), tmp) as url:
        yield url


@contextmanager
def logged_in(base: str, token: str = "t-kommune") -> Iterator[httpx.Client]:  # noqa: S107
    """A client that logged in through the login form (the cookie it got is kept)."""
    with httpx.Client(base_url=base, timeout=60) as client:
        answer = client.post("/login", data={"token": token})
        assert answer.status_code == 303
        assert "httponly" in answer.headers["set-cookie"].lower()
        assert "samesite=strict" in answer.headers["set-cookie"].lower()
        yield client


class TestForms:
    def test_start_a_run_and_act_through_forms(self, base: str) -> None:
        """Start form → run page; a participant form → redirect to the run page,
        which shows what was done, the participant and the history row."""
        with logged_in(base) as client:
            index = client.get("/")
            assert "Angemeldet als kommune" in index.text
            assert "<script" not in index.text
            started = client.post(
                "/runs",
                data={
                    "run_id": "formular",
                    "workflow": "generationengerechte-sozialraumentwicklung",
                    "sozialraum": "Quartier am Markt",
                },
            )
            assert started.status_code == 303
            assert started.headers["location"] == "/runs/formular?lang=de"
            page = client.get("/runs/formular")
            assert '<h1 id="sozialraum">Quartier am Markt</h1>' in page.text
            assert "<script" not in page.text
            done = client.post(
                "/runs/formular/do/participants?lang=de",
                data={"name": "Stadtteilbüro", "roles": "freier_traeger", "kind": "organisation"},
            )
            assert done.status_code == 303
            assert done.headers["location"] == "/runs/formular?lang=de&done=2"
            page = client.get(done.headers["location"])
            assert re.search(r'<p class="done" id="done">Erledigt: .*Stadtteilbüro', page.text)
            assert "<td>Stadtteilbüro</td><td>freier_traeger</td>" in page.text

    def test_blockers_show_with_their_owners(self, base: str) -> None:
        """The run page lists every blocker with the title of the role that owns it,
        in German and in English."""
        with httpx.Client(base_url=base, timeout=60, headers=KOMMUNE) as client:
            start_run(client, "besitzer")
            for lang in ("de", "en"):
                status = client.get(f"/api/runs/besitzer?lang={lang}").json()
                page = client.get(f"/runs/besitzer?lang={lang}").text
                table = page[page.index('<table id="blockers">') :]
                table = table[: table.index("</table>")]
                rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", table)
                expected = [
                    (b["message"], status["role_titles"][b["role"]]) for b in status["blockers"]
                ]
                assert [(html.unescape(w), html.unescape(o)) for w, o in rows] == expected
                assert f'<html lang="{lang}">' in page
                assert len(rows) == 6

    def test_a_refused_form_shows_the_message_and_blockers(self, base: str) -> None:
        """Advance through the form while blocked: 423 page with every blocker and
        its role; a not-permitted form: 403; bad JSON: 422; no login: 401."""
        with logged_in(base) as client:
            start_run(client, "abgelehnt")
            blocked = client.post("/runs/abgelehnt/do/advance?lang=de")
            assert blocked.status_code == 423
            assert "kann nicht nach 'analysieren' verlassen werden" in html.unescape(blocked.text)
            assert blocked.text.count("<tr><td>") == 6
            assert "<td>rat</td>" in blocked.text
            bad = client.post(
                "/runs/abgelehnt/do/submit?lang=en", data={"artifact": "auftrag", "data": "{"}
            )
            assert bad.status_code == 422
            assert "The data is not a JSON object" in bad.text
            unknown = client.post("/runs/abgelehnt/do/fliegen")
            assert unknown.status_code == 404
        with logged_in(base, "t-anna") as anna:
            refused = anna.post("/runs/abgelehnt/do/advance?lang=en")
            assert refused.status_code == 403
            assert "Anna Berger" in refused.text
        with httpx.Client(base_url=base, timeout=60) as stranger:
            anonymous = stranger.post("/runs/abgelehnt/do/advance")
            assert anonymous.status_code == 401
            assert "Nicht angemeldet" in anonymous.text


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed; .ci/run installs Debian's 'chromium' package")
        pytest.skip("chromium is not installed (apt-get install chromium); CI=true fails instead")
    return found


def test_forms_in_headless_chromium(base: str, tmp_path: Path) -> None:
    """In Chromium: log in, open a run, add a participant through its form; the run
    page then shows it done, in the participants and in the history; the report page
    asks for nothing but itself; no console errors."""
    with httpx.Client(base_url=base, timeout=60) as client:
        start_run(client, "browser")
    browser = Browser(_chromium(), tmp_path / "profile")
    try:
        browser.open(f"{base}/")
        browser.submit("#login", {"token": "t-kommune"})
        assert browser.evaluate("document.querySelector('#acting').textContent").startswith(
            "Angemeldet als kommune"
        )
        browser.open(f"{base}/runs/browser")
        assert browser.evaluate("document.querySelector('#phase').textContent").startswith(
            "Sozialraum identifizieren"
        )
        assert browser.evaluate("document.querySelectorAll('#blockers tr').length") == 7
        browser.submit(
            "#form-participants", {"name": "Quartiersmanagement Süd", "roles": "freier_traeger"}
        )
        assert browser.evaluate("location.pathname + location.search") == (
            "/runs/browser?lang=de&done=4"
        )
        assert "Quartiersmanagement Süd" in browser.evaluate(
            "document.querySelector('#done').textContent"
        )
        assert "Quartiersmanagement Süd" in browser.evaluate(
            "document.querySelector('#participants').textContent"
        )
        newest = browser.evaluate("document.querySelector('#history tr:nth-child(2)').textContent")
        assert "Quartiersmanagement Süd" in newest
        since = len(browser.events)
        browser.open(f"{base}/runs/browser/report.html")
        assert "Quartier browser" in browser.evaluate("document.body.textContent")
        # self-contained: not even a favicon (its 404 would be a console error)
        assert browser.requested(since) == [f"{base}/runs/browser/report.html"]
        assert browser.evaluate(
            "[...document.querySelectorAll('link[rel~=icon]')].map(l => l.getAttribute('href'))"
        ) == ["data:,"]
        assert browser.console == []
    finally:
        browser.close()
