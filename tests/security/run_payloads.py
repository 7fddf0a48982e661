"""Run every payload of ``payloads.yaml`` and print one JSON line of figures.

Started in its own interpreter by ``test_payloads.py`` (so that its peak memory
is the payloads' alone); can be run by hand: ``python3 tests/security/run_payloads.py``.

Each payload runs as a user template (Markdown and HTML), as a ``check``
expression (loaded with a bundled workflow, then evaluated on a real process
context) and — the ``values`` — as artifact data, Sozialraum name and
participant names of a whole bundled scenario whose documents are rendered.
Figures: payloads run, how many answered with a library error, the
tracebacks (any other exception), executions (the canary seen), the slowest
answer in wall-clock and in CPU seconds and the peak resident memory in MB.
"""

from __future__ import annotations

import copy
import functools
import json
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

import yaml

from sozialraumprozess import DocumentRenderer
from sozialraumprozess.definition.expressions import compile_check
from sozialraumprozess.definition.kinds.check import run_check
from sozialraumprozess.definition.loader import (
    bundled_workflow_path,
    load_workflow,
    template_search_path,
)
from sozialraumprozess.definition.model import Criterion, Label
from sozialraumprozess.documents.sandbox import TemplateSet
from sozialraumprozess.errors import SozialraumprozessError

HERE = Path(__file__).parent
CANARY = "CANARY"
WORKFLOW = "generationengerechte-sozialraumentwicklung"


class Figures:
    def __init__(self) -> None:
        self.run = 0
        self.library_errors = 0
        self.tracebacks: list[str] = []
        self.executions: list[str] = []
        self.slowest = 0.0
        self.slowest_payload = ""
        self.slowest_cpu = 0.0
        self.slowest_cpu_payload = ""

    def measure(self, where: str, payload: str, action: Any) -> None:
        self.run += 1
        start, cpu = time.monotonic(), time.process_time()
        try:
            out = action()
        except SozialraumprozessError:
            self.library_errors += 1
            out = ""
        except Exception:
            self.tracebacks.append(f"{where}: {payload!r}\n{traceback.format_exc(limit=3)}")
            out = ""
        took, took_cpu = time.monotonic() - start, time.process_time() - cpu
        if took_cpu > self.slowest_cpu:
            self.slowest_cpu, self.slowest_cpu_payload = took_cpu, f"{where}: {payload[:80]!r}"
        if took > self.slowest:
            self.slowest, self.slowest_payload = took, f"{where}: {payload[:80]!r}"
        if CANARY in str(out) and "echo CANARY" not in str(out) and "'CANARY'" not in str(out):
            self.executions.append(f"{where}: {payload!r}")


def _template(payload: str, fmt: str, folder: Path) -> str:
    (folder / "user.md.j2").write_text(payload, "utf-8")
    templates = TemplateSet((folder, *template_search_path()))
    data = {
        "data": {"a": 1},
        "big": list(range(100_000)),
        "process": {"cycle": 1, "sozialraum": {"name": "Ost"}},
    }
    return templates.get("user.md.j2", fmt).render(data)  # type: ignore[arg-type]


def _check(payload: str, base: dict[str, Any]) -> str:
    data = copy.deepcopy(base)
    data["phases"][0].setdefault("exit", []).append({"check": payload, "message": "x"})
    load_workflow(data)  # a library error here is the answer
    criterion = Criterion(kind="check", target=payload, message=Label(de="x", en="x"))
    context = {
        "artifacts": {"zielkatalog": {"ziele": [{"titel": "a"}]}},
        "events": {},
        "decisions": {},
        "process": {"phase": "identifizieren", "cycle": 1, "sozialraum": {"name": "Ost"}},
    }
    blockers = run_check(compile_check(payload), context, criterion, "kommune")
    return " ".join(b.msg.text("en") for b in blockers)


def _values(payload: str, folder: Path) -> str:
    from tests.security.hostile import run_hostile

    run = run_hostile(WORKFLOW, payload, folder)
    renderer = DocumentRenderer(run.process.workflow)
    renderer.write_all(run.process, folder / "docs", formats=("md", "html"), lang="de")
    texts = [p.read_text("utf-8") for p in (folder / "docs").rglob("*.*")]
    report = next(t for t in texts if "Prozessbericht" in t or "prozessbericht" in t)
    assert report
    return "\n".join(texts)


def _data(payload: str, folder: Path) -> str:
    """``payload`` as a value in a template's data: printed as it is, never run."""
    (folder / "user.md.j2").write_text("{{ data.a }}", "utf-8")
    templates = TemplateSet((folder, *template_search_path()))
    out = templates.get("user.md.j2", "md").render({"data": {"a": payload}})
    assert out == payload
    return ""


def _peak_mb() -> float:
    """This interpreter's peak resident memory in MB.

    Linux's ``VmHWM`` belongs to the process image and starts anew at ``exec``;
    ``ru_maxrss`` is kept across ``exec``, so it would report the (large) test process
    this one was forked from.
    """
    try:
        for line in Path("/proc/self/status").read_text("ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # pragma: no cover


def _without_tracer() -> None:
    """Stop a coverage tracer CI's subprocess patch started in this interpreter: the
    figures are the library's time and memory, not the tracer's (it costs several
    times the time and 150+ MB on these payloads)."""
    try:
        import coverage
    except ImportError:  # pragma: no cover - coverage is a dev dependency
        return
    current = coverage.Coverage.current()
    if current is not None:
        current.stop()


def main() -> None:
    _without_tracer()
    payloads = yaml.safe_load((HERE / "payloads.yaml").read_text("utf-8"))
    base = yaml.safe_load(bundled_workflow_path(WORKFLOW).read_text("utf-8"))
    figures = Figures()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for index, payload in enumerate(payloads["templates"]):
            for fmt in ("md", "html"):
                folder = root / f"t{index}{fmt}"
                folder.mkdir()
                action = functools.partial(_template, payload, fmt, folder)
                figures.measure(f"template/{fmt}", payload, action)
        for payload in payloads["checks"]:
            figures.measure("check", payload, functools.partial(_check, payload, base))
        # One ordinary run first, not measured: the first scenario run imports the
        # document formats and draws the charts, which no payload should be charged for.
        _values("Schwerte-Ost", root / "warm-up")
        for index, payload in enumerate(payloads["values"]):
            folder = root / f"v{index}"
            figures.measure("values", payload, functools.partial(_values, payload, folder))
            # also as template text put into a template's *data*: never evaluated
            folder = root / f"d{index}"
            folder.mkdir()
            action = functools.partial(_data, payload, folder)
            figures.measure("data", payload, action)
    peak_mb = _peak_mb()
    print(
        json.dumps(
            {
                "run": figures.run,
                "library_errors": figures.library_errors,
                "tracebacks": figures.tracebacks,
                "executions": figures.executions,
                "slowest_seconds": round(figures.slowest, 3),
                "slowest_payload": figures.slowest_payload,
                "slowest_cpu_seconds": round(figures.slowest_cpu, 3),
                "slowest_cpu_payload": figures.slowest_cpu_payload,
                "peak_mb": round(peak_mb, 1),
            }
        )
    )


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent.parent))
    main()
