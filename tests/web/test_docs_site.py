"""The built documentation site works offline and reads well (issue 14 §7).

The site is built once with ``mkdocs build --strict`` (mermaid.js comes from
``node_modules``, installed by ``npm ci`` from the npm registry; ``.ci/run`` does
it). Headless Chromium opens a workflow page from disk, and the diagram must have
been drawn as an SVG from files of the site alone.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from .cdp import Browser

ROOT = Path(__file__).resolve().parents[2]
MERMAID = ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"

pytestmark = pytest.mark.slow


def _needed(what: str, hint: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing; {hint}")
    pytest.skip(f"{what} is missing ({hint}); CI=true fails instead")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not MERMAID.is_file():
        _needed("node_modules/mermaid", "run `npm ci` in the repository (.ci/run does)")
    target = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return target


def test_site_ships_mermaid_and_no_page_loads_it_from_a_cdn(site: Path) -> None:
    assert (site / "assets" / "javascripts" / "mermaid.min.js").read_bytes() == (
        MERMAID.read_bytes()
    )
    page = (site / "workflows" / "fachtag-sozialraumorientierung" / "index.html").read_text("utf-8")
    assert 'src="../../assets/javascripts/mermaid.min.js"' in page
    assert 'class="mermaid"' in page


ROLE = re.compile(r":(?:func|class|meth|mod|attr|exc|data|obj):")


def test_no_literal_sphinx_roles_in_the_site(site: Path) -> None:
    """Docstrings' ``:func:`x``` roles became links or code, on every page."""
    found = [
        f"{page.relative_to(site)}: {match.group(0)}"
        for page in sorted(site.rglob("*.html"))
        for match in ROLE.finditer(page.read_text("utf-8"))
    ]
    assert found == []


def test_api_reference_links_under_public_import_paths(site: Path) -> None:
    api = (site / "reference" / "api" / "index.html").read_text("utf-8")
    for name in ("load_workflow", "bundled_workflows", "Workflow", "Process", "Service"):
        assert f'id="sozialraumprozess.{name}"' in api
    assert 'href="#sozialraumprozess.Workflow"' in api  # a resolved cross-reference
    assert 'href="../errors/#commandrejected"' in api


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        _needed("chromium", ".ci/run installs Debian's 'chromium' package")
        raise AssertionError("unreachable")  # pragma: no cover
    return found


def _diagram(browser: Browser) -> str | None:
    """The outer HTML of the SVG that mkdocs-material put into the (closed) shadow root
    of the page's ``div.mermaid``, or ``None`` while there is none."""
    root = browser.call("DOM.getDocument", session=True, depth=-1, pierce=True)["root"]
    stack: list[tuple[dict[str, Any], bool]] = [(root, False)]
    while stack:
        node, inside = stack.pop()
        attrs = node.get("attributes", [])
        classes = dict(zip(attrs[::2], attrs[1::2], strict=True)).get("class", "").split()
        inside = inside or (node.get("localName") == "div" and "mermaid" in classes)
        if inside and node.get("localName") == "svg":
            html: str = browser.call("DOM.getOuterHTML", session=True, nodeId=node["nodeId"])[
                "outerHTML"
            ]
            return html
        for key in ("shadowRoots", "children"):
            stack.extend((child, inside) for child in node.get(key, []))
    return None


def test_workflow_page_diagram_is_an_svg_offline(site: Path, tmp_path: Path) -> None:
    """Chromium (no network: the machine's, and file:// only) draws the Mermaid
    diagram of a workflow page as an SVG; every resource came from the site."""
    browser = Browser(_chromium(), tmp_path / "profile")
    try:
        page = site / "workflows" / "generationengerechte-sozialraumentwicklung" / "index.html"
        browser.call("Network.enable", session=True)
        browser.open(page.as_uri())
        deadline = time.monotonic() + 60
        svg = _diagram(browser)
        while svg is None and time.monotonic() < deadline:
            time.sleep(0.2)
            svg = _diagram(browser)
        assert svg is not None, "the diagram was not drawn"
        assert svg.startswith("<svg")
        assert 'aria-roledescription="flowchart-v2"' in svg
        assert "Sozialraum identifizieren" in svg  # a phase box of the diagram
        resources = [
            event["params"]["request"]["url"]
            for event in browser.events
            if event["method"] == "Network.requestWillBeSent"
        ]
        outside = [url for url in resources if not url.startswith(("file://", "data:"))]
        assert outside == []
        assert any(url.endswith("assets/javascripts/mermaid.min.js") for url in resources)
        shot = browser.call("Page.captureScreenshot", session=True, format="png")
        png = base64.b64decode(shot["data"])
        assert png.startswith(b"\x89PNG")
        assert len(png) > 10_000
        (tmp_path / "workflow-page.png").write_bytes(png)
        assert browser.console == []
    finally:
        browser.close()
