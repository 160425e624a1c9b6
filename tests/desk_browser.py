"""What the review desk's browser tests share: a desk served on a free port in a thread, and headless Chromium
(Debian's /usr/bin/chromium, driven over the DevTools protocol by benchmarks/ui_scale_check.py's `Browser`)
with a person's means: keys, clicks, typing, waiting for what the page shows."""

from __future__ import annotations

import base64
import json
import os
import socket
import sys
import threading
import time
from pathlib import Path

import pytest
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from ui_scale_check import CHROMIUM, Browser  # noqa: E402  (the UI checks' browser: one DevTools client)

WAIT_S = 30.0
RENDER_WAIT_S = 600.0  # a render of the desk's, on a busy 2-core box
KEYS = {" ": ("Space", 32)}  # key → (code, virtual key code); letters are computed


def require_chromium() -> None:
    """Chromium missing: the browser tests skip here and fail under CI (which installs it)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} must be installed under CI: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


class ServedDesk:
    """The desk's app on 127.0.0.1 and a free port, in a thread (uvicorn), until `stop`."""

    def __init__(self, app):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + WAIT_S
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(WAIT_S)


class Person:
    """A person at the desk's page: what they see, the keys they press, what they click and type."""

    def __init__(self, browser: Browser, url: str):
        self.browser, self.url = browser, url

    def open(self, path: str = "/") -> None:
        self.browser.call("Page.navigate", url=self.url + path)
        self.wait_for("document.readyState === 'complete' && !!document.getElementById('shown').textContent")

    def js(self, expression: str):
        return self.browser.evaluate(expression)

    def wait_for(self, expression: str, timeout_s: float = WAIT_S):
        """The expression's value once it is truthy; fails the test with what the page shows if it never is."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.2)
        pytest.fail(f"the page never showed {expression}; it shows: {self.browser.text()[:1500]}")

    def press(self, key: str) -> None:
        code, number = KEYS.get(key, (f"Key{key.upper()}", ord(key.upper())))
        for kind in ("keyDown", "keyUp"):
            self.browser.call("Input.dispatchKeyEvent", type=kind, key=key, code=code, text=key if kind == "keyDown" else "",
                              windowsVirtualKeyCode=number)

    def click(self, selector: str) -> None:
        """A mouse click (down and up) in the middle of the element, scrolled into view first."""
        box = self.wait_for(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
            if (!e) return null; e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect();
            return r.width ? [r.x + r.width / 2, r.y + r.height / 2] : null; }})()""")
        for kind in ("mousePressed", "mouseReleased"):
            self.browser.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def type_into(self, selector: str, text: str) -> None:
        """Focus the field, select what it holds, and type `text` over it."""
        self.js(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.focus(); e.select(); }})()")
        self.browser.call("Input.insertText", text=text)

    def visible_ids(self) -> list[str]:
        return self.js("[...document.querySelectorAll('li.segment:not([hidden])')].map(li => li.dataset.id)")

    def focused(self) -> str | None:
        return self.js("document.activeElement && document.activeElement.dataset.id || null")

    def wait_for_render(self, what: str) -> str:
        """The page's status once the render it names has ended and the page was drawn again."""
        return self.wait_for(f"""(() => {{ const s = document.getElementById('status').textContent;
            return s.includes('Last render (' + {json.dumps(what)}) ? s : null; }})()""", RENDER_WAIT_S)

    def screenshot(self, folder: Path, name: str, width: int = 1280, height: int = 800) -> Path:
        """The page as a `width` × `height` window draws it, as folder/name.png (the window is as it was after)."""
        folder.mkdir(parents=True, exist_ok=True)
        self.browser.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                          mobile=False)
        try:
            shot = self.browser.call("Page.captureScreenshot", format="png")
        finally:
            self.browser.call("Emulation.clearDeviceMetricsOverride")
        (folder / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
        return folder / f"{name}.png"
