"""The quick suite (`pytest -m "not slow"`) leaves out exactly the slow kinds of test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SLOW_KINDS = {
    "SIGKILL": "tests/storage/test_crash.py::",
    "concurrency": "tests/storage/test_concurrency.py::",
    "web service under concurrent HTTP clients": "tests/web/test_http_load.py::",
    "mutation": "tests/definition/test_mutations.py::",
    "state machine": "tests/runtime/test_stateful.py::",
    "state machine of the format-v2 phases": "tests/phases/test_stateful.py::",
    "item state machine": "tests/runtime/test_items_stateful.py::",
    "time state machine": "tests/runtime/test_stateful_time.py::",
    "docs code blocks": "tests/test_docs.py::test_code_blocks_run[",
    "catalog tool runs over the package": "tests/test_more_i18n_tool.py::",
    "docs site built and opened in Chromium": "tests/web/test_docs_site.py::",
    "400 bit flips per store": "tests/storage/test_bitflips.py::test_400_bit_flips",
    "every document in every format opened by its real client": (
        "tests/documents/test_formats_matrix.py::"
    ),
}


def _collected(marker: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly", "-m", marker],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_slow_marker_selects_the_slow_kinds_only() -> None:
    slow = _collected("slow")
    for kind, prefix in SLOW_KINDS.items():
        assert any(test.startswith(prefix) for test in slow), f"no {kind} test is marked slow"
    strays = [t for t in slow if not any(t.startswith(p) for p in SLOW_KINDS.values())]
    assert not strays, f"marked slow but not of a slow kind (add it to SLOW_KINDS?): {strays}"
    assert "tests/test_suite_markers.py::test_slow_marker_selects_the_slow_kinds_only" not in slow
