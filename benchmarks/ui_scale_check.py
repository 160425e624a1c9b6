"""The Prefect UI at scale (issue 22, item 5): how long a big book's pages take to draw in headless Chromium.

Against a server holding a rendered book (bench_resume.py runs this on its 1000-segment book: the run
it killed and the rerun that finished it), the pages an operator opens are found through the API: the
newest book run that ended (Completed, else Failed or Crashed), its chapter (sub-flow) list, the server's task-run list, the artifacts page
(one progress artifact per chapter), a chapter run from the middle of the book with its task runs (its
segments' `render-segments` among them), the book's progress artifact, and the book run left Running by a kill if there is one. Each is
loaded in one headless Chromium driven over the DevTools protocol (a `websockets` client), timed from
navigation until the page's text holds every string it must show (names read from the API: the
content drawn, not just the HTML), then screenshot (SHOTS/<page>.png) with its text (SHOTS/<page>.txt).
The first page is also the first load of the UI's code: its time is the cold one.

    PYTHONPATH=. python benchmarks/ui_scale_check.py API_URL SHOTS    # exit 0 when every page loaded

Needs /usr/bin/chromium (Debian) and a server with its UI on (PREFECT_UI_ENABLED).
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from websockets.sync.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ui_check import CHROMIUM, CHROMIUM_FLAGS  # the sample's UI check: the same browser

LOAD_TIMEOUT_S = 60.0  # a page not drawn by then counts as not loaded
POLL_S = 0.1
FIND = """(() => {{ const tab = [...document.querySelectorAll("body *")]
  .find(e => e.children.length === 0 && (e.innerText || "").trim() === {label});
  if (!tab) return null; const box = tab.getBoundingClientRect();
  return box.width ? [box.x + box.width / 2, box.y + box.height / 2] : null; }})()"""  # where a tab's label is drawn


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # under the UI's base URL
    must_show: tuple[str, ...]  # text the page must contain once drawn
    tab: str | None = None  # the label of a tab to click first (the v1 UI ignores ?tab= on a fresh load)


class Browser:
    """One headless Chromium tab, driven over the DevTools protocol (commands answered by id)."""

    def __init__(self, profile: Path):
        self.process = subprocess.Popen([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                         "--remote-debugging-port=0", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = self._port(profile / "DevToolsActivePort")
        tab = next(t for t in httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json() if t["type"] == "page")
        self.socket = connect(tab["webSocketDebuggerUrl"], max_size=None, open_timeout=30)
        self.next_id = 0
        self.errors: list[str] = []  # console errors the page logged (why a page stays empty)
        self.call("Runtime.enable")

    def _port(self, active: Path, timeout_s: float = 60.0) -> int:
        """The port Chromium chose, from the file it writes in its profile once listening."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if active.is_file() and active.read_text().strip():
                return int(active.read_text().split()[0])
            if self.process.poll() is not None:
                raise RuntimeError(f"{CHROMIUM} exited ({self.process.returncode})")
            time.sleep(POLL_S)
        raise RuntimeError(f"{CHROMIUM} opened no DevTools port in {timeout_s:.0f} s")

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:  # events arrive in between; only the answer to this command matters
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("method") == "Runtime.consoleAPICalled" and message["params"]["type"] == "error":
                self.errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in message["params"]["args"]))
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def take_errors(self) -> list[str]:
        errors, self.errors = sorted(set(self.errors)), []
        return errors

    def evaluate(self, expression: str):
        """The expression's value in the page (None while the page is between documents)."""
        try:
            return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")
        except RuntimeError:
            return None

    def click(self, label: str) -> bool:
        """Click (mouse down and up, as a person does) the element labelled `label`, once it is drawn."""
        where = self.evaluate(FIND.format(label=json.dumps(label)))
        if where:
            for kind in ("mousePressed", "mouseReleased"):
                self.call("Input.dispatchMouseEvent", type=kind, x=where[0], y=where[1], button="left", clickCount=1)
        return bool(where)

    def text(self) -> str:
        return self.evaluate("document.body ? document.body.innerText : ''") or ""

    def load(self, url: str, page: Page) -> tuple[float | None, str]:
        """Seconds from navigating to `url` until its text holds every string `page` must show, its tab
        clicked as soon as it is drawn (None if not within LOAD_TIMEOUT_S), and the text it shows then."""
        start, clicked = time.perf_counter(), page.tab is None
        self.call("Page.navigate", url=url)
        while time.perf_counter() - start < LOAD_TIMEOUT_S:
            if not clicked:
                clicked = self.click(page.tab)
            elif all(want in self.text() for want in page.must_show):
                return time.perf_counter() - start, self.text()
            time.sleep(POLL_S)
        return None, self.text()

    def screenshot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))

    def close(self) -> None:
        self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass(frozen=True)
class Server:
    api_url: str

    def post(self, path: str, **body) -> list | dict | int:
        response = httpx.post(f"{self.api_url}{path}", json=body, timeout=60)
        response.raise_for_status()
        return response.json()

    def book_runs(self, *states: str) -> list[dict]:
        """Book runs (no parent) in these states, newest first."""
        runs = self.post("/flow_runs/filter", flow_runs={"state": {"name": {"any_": list(states)}},
                                                         "parent_task_run_id": {"is_null_": True}},
                         sort="START_TIME_DESC")
        return [run for run in runs if "book:" in " ".join(run["tags"])]

    def chapters(self, book: dict) -> list[dict]:
        """The book run's chapter runs in chapter order (their names end "· n/N <title>")."""
        runs = self.post("/flow_runs/filter", flow_runs={"parent_flow_run_id": {"any_": [book["id"]]}})
        return sorted(runs, key=lambda r: int(r["name"].rsplit(" · ", 1)[-1].split("/", 1)[0]))

    def latest_artifact(self, key: str) -> dict:
        return self.post("/artifacts/filter", artifacts={"key": {"any_": [key]}}, sort="CREATED_DESC", limit=1)[0]


def book_slug(run: dict) -> str:
    return next(t for t in run["tags"] if t.startswith("book:")).removeprefix("book:")


UI_BASES = {"v1": "", "v2": "/v2"}  # Prefect 3.9 serves both; links (PREFECT_UI_URL) open the first


def scale_pages(server: Server, ui: str) -> list[Page]:
    """The pages an operator opens on a big book in UI `ui` (v1, v2), each with what it must show
    (read from the API)."""
    book = (server.book_runs("Completed") or server.book_runs("Failed", "Crashed"))[0]  # the newest that ended
    chapters = server.chapters(book)
    middle = chapters[len(chapters) // 2]
    newest_task_of_chapter = server.post("/task_runs/filter", flow_runs={"id": {"any_": [middle["id"]]}},
                                 sort="EXPECTED_START_TIME_DESC", limit=1)[0]
    newest_task = server.post("/task_runs/filter", sort="EXPECTED_START_TIME_DESC", limit=1)[0]
    newest_chapter = max(chapters, key=lambda r: r["expected_start_time"])
    slug = book_slug(book)
    chapter_progress = server.post("/artifacts/filter", sort="UPDATED_DESC", limit=1,
                                   artifacts={"type": {"any_": ["progress"]}, "key": {"like_": f"progress-{slug}-%"}})[0]
    book_progress = server.latest_artifact(f"progress-{slug}")
    run, base = f"{UI_BASES[ui]}/runs/flow-run/", UI_BASES[ui]
    pages = [
        Page("book-run", f"{run}{book['id']}", (book["name"], book["state_name"], "Beginning flow run")),
        Page("book-artifacts", f"{run}{book['id']}", (book_progress["description"],), tab="Artifacts"),
        Page("book-chapter-runs", f"{run}{book['id']}", (newest_chapter["name"],), tab="Subflow Runs"),
        Page("task-run-list", f"{base}/runs?tab=task-runs", (newest_task["name"],)),
        Page("artifacts", f"{base}/artifacts", (chapter_progress["key"], chapter_progress["description"]) if ui == "v2"
             else (f"progress-{slug}-", " segments (")),  # v1 lists cards in no order of time: any chapter's progress
        Page("chapter-run", f"{run}{middle['id']}", (middle["name"], newest_task_of_chapter["name"]), tab="Task Runs"),
        Page("book-progress-artifact", f"{base}/artifacts/artifact/{book_progress['id']}",
             (book_progress["description"],)),
    ]
    killed = server.book_runs("Running")
    if killed:
        pages.append(Page("killed-book-run", f"{run}{killed[0]['id']}", (killed[0]["name"], "Running")))
    return [dataclasses.replace(page, name=f"{ui}-{page.name}") for page in pages]


def check_pages(api_url: str, shots: Path) -> dict:
    """Load every page once in one browser: seconds until drawn, screenshot and text in `shots`."""
    shots.mkdir(parents=True, exist_ok=True)
    server, base = Server(api_url), api_url.removesuffix("/api")
    pages = [page for ui in UI_BASES for page in scale_pages(server, ui)]
    browser = Browser(Path(tempfile.mkdtemp(prefix="barkbook-ui-scale-")))
    found = []
    try:
        for page in pages:
            seconds, text = browser.load(f"{base}{page.path}", page)
            browser.screenshot(shots / f"{page.name}.png")
            (shots / f"{page.name}.txt").write_text(text + "\n")
            missing = [want for want in page.must_show if want not in text]
            found.append({"page": page.name, "path": page.path, "loaded": seconds is not None,
                          "seconds": round(seconds, 2) if seconds is not None else None, "missing": missing,
                          "console_errors": browser.take_errors()})
            shown = f"{seconds:.2f} s" if seconds is not None else f"NOT LOADED {missing!r}"
            print(f"{page.name}: {shown}", file=sys.stderr)
    finally:
        browser.close()
    return {"pages": found}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("api_url", help="the server's API, e.g. http://127.0.0.1:4200/api")
    parser.add_argument("shots", type=Path, help="folder for the screenshots (PNG) and page texts")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"ui_scale_check: {CHROMIUM} not found (apt-get install chromium)", file=sys.stderr)
        return 2
    result = check_pages(args.api_url, args.shots)
    print(json.dumps(result, indent=1))
    return 0 if all(page["loaded"] for page in result["pages"]) else 1


if __name__ == "__main__":
    sys.exit(main())
