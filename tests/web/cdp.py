"""A small Chrome DevTools Protocol client over ``--remote-debugging-pipe`` (no extra
package): headless Chromium reads commands from its fd 3 and answers on fd 4, one
JSON message each, ended by a NUL byte."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
]


def _high(fd: int) -> int:
    """``fd`` moved to a number of at least 10."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


class Browser:
    """One headless Chromium with one page; :attr:`console` collects every console
    message, log entry and uncaught exception of level error."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_chrome_read, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_write = os.pipe()
        # The child's ends above fd 9, so that moving them to 3 and 4 overwrites neither.
        to_chrome_read = _high(to_chrome_read)
        from_chrome_write = _high(from_chrome_write)
        # bash puts the pipe ends on fds 3 and 4, where Chromium expects them.
        script = (
            f'exec "$0" "$@" 3<&{to_chrome_read} 4>&{from_chrome_write} '
            f"{to_chrome_read}<&- {from_chrome_write}>&-"
        )
        self.process = subprocess.Popen(
            ["bash", "-c", script, binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(to_chrome_read, from_chrome_write),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_read)
        os.close(from_chrome_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.console: list[str] = []
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        attached = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)
        self.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)

    def close(self) -> None:
        """End the browser."""
        with contextlib.suppress(OSError, EOFError, TimeoutError):
            self.call("Browser.close")  # the browser may be gone already
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # pragma: no cover - a hung browser
            self.process.kill()
            self.process.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)

    # ------------------------------------------------------------------ protocol

    def _send(self, message: dict[str, Any]) -> None:
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                raise EOFError("Chromium closed the pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        if "method" in message:
            self._note(message)
        return message

    def _note(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        params = event.get("params", {})
        if event["method"] == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
            self.console.append(json.dumps(params["args"]))
        elif event["method"] == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.console.append(params["entry"]["text"])
        elif event["method"] == "Runtime.exceptionThrown":
            self.console.append(json.dumps(params["exceptionDetails"]))

    def call(self, method: str, *, session: bool = False, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its answer (events on the way are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self._send(message)
        deadline = time.monotonic() + 60
        while True:
            answer = self._receive(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result

    def wait_for(self, method: str, since: int) -> dict[str, Any]:
        """The first event ``method`` after the first ``since`` events."""
        deadline = time.monotonic() + 60
        while True:
            for event in self.events[since:]:
                if event["method"] == method:
                    return event
            self._receive(deadline)

    # ------------------------------------------------------------------ pages

    def open(self, url: str) -> None:
        """Load ``url`` and wait until it has loaded."""
        since = len(self.events)
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired", since)

    def requested(self, since: int = 0) -> list[str]:
        """The URLs the page asked for after the first ``since`` events, in order."""
        return [
            e["params"]["request"]["url"]
            for e in self.events[since:]
            if e["method"] == "Network.requestWillBeSent"
        ]

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        result = self.call(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(str(result["exceptionDetails"]))
        return result["result"].get("value")

    def submit(self, form: str, fields: dict[str, str]) -> None:
        """Fill the form with CSS selector ``form`` as a person would, press its button,
        and wait until the answer has loaded."""
        fill = "".join(
            f"f.querySelector({json.dumps(f'[name={name}]')}).value = {json.dumps(value)};"
            for name, value in fields.items()
        )
        since = len(self.events)
        self.evaluate(
            f"(() => {{ const f = document.querySelector({json.dumps(form)}); {fill}"
            " f.querySelector('button').click(); return true; })()"
        )
        self.wait_for("Page.loadEventFired", since)
