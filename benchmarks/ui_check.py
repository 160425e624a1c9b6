"""The Prefect UI as an operator sees it: a real server (127.0.0.1, free port, UI on), a worker, the
deployments; the sample rendered through `render-book` (random-tiny) and a run of a missing
manuscript, both started and watched with `barkbook run-deployment`; then headless Chromium loads
the book run, a chapter run, its render-segments task run, the summary, progress, QC and loudness artifacts
and the failed run, saves a screenshot and the text of each, and checks the text for the names, the
progress and the failure reason. The book's progress is also read from the API while it renders.

    python benchmarks/ui_check.py SHOTS_DIR [--keep]    # exit 0 when every page shows what it must

Only the sample render is heavy (about 2 min on 2 busy cores). Needs /usr/bin/chromium (Debian).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from prefect_service import PrefectService  # noqa: E402  (the integration tests' server, workers and clean-up)

SAMPLE = REPO / "manuscripts" / "aesop-fables.md"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--window-size=1600,1200"]
PAGE_BUDGET_MS = 20_000  # virtual time for the single-page app to fetch and draw


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # under the UI's base URL
    must_show: tuple[str, ...]  # text the page must contain


def start_service(root: Path) -> PrefectService:
    """Server with its UI, the `barkbook` pool, `prefect deploy --all`, one worker on every queue."""
    service = PrefectService(root, {"BARKBOOK_CACHE_DIR": str(root / "cache"),
                                    "BARKBOOK_RESULT_STORAGE": str(root / "segments"),
                                    "PYTHONPATH": str(REPO)})
    service.env["PREFECT_UI_ENABLED"] = "true"
    service.start_server()
    for command in (("work-pool", "create", "barkbook", "--type", "process"), ("deploy", "--all", "--no-prompt")):
        done = service.cli(*command, timeout=180)
        if done.returncode:
            raise RuntimeError(f"prefect {' '.join(command)} failed:\n{done.stdout}")
    service.start_worker("cpu")
    return service


def run_book(service: PrefectService, manuscript: Path, output_dir: Path) -> subprocess.Popen:
    """`barkbook run-deployment render-book/render-book ... --watch`, started (`communicate` waits)."""
    command = [sys.executable, "-c", "from flows.cli import app; app()", "run-deployment", "render-book/render-book",
               "--param", f"manuscript={manuscript}", "--param", "model=random-tiny", "--param", 'formats=["wav"]',
               "--param", f"output_dir={output_dir}", "--watch", "--watch-timeout", "600", "--poll", "1"]
    return subprocess.Popen(command, cwd=REPO, env=service.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def latest_artifact(service: PrefectService, key: str) -> dict | None:
    found = service.api("POST", "/artifacts/filter", artifacts={"key": {"any_": [key]}}, sort="CREATED_DESC", limit=1)
    return found[0] if found else None


def midway_progress(service: PrefectService, render: subprocess.Popen, timeout_s: float = 600) -> dict | None:
    """A progress artifact seen between 0 and 100 % while `render` runs, the book's first (None if none was:
    a chapter's segments finish together when they share one engine batch)."""
    deadline = time.monotonic() + timeout_s
    while render.poll() is None and time.monotonic() < deadline:
        artifacts = service.api("POST", "/artifacts/filter", artifacts={"type": {"any_": ["progress"]}})
        moving = sorted((a for a in artifacts if 0 < float(a["data"]) < 100), key=lambda a: len(a["key"]))
        if moving:
            return moving[0]
        time.sleep(1)
    return None


def run_id(output: str) -> str:
    return re.search(r"UUID: ([0-9a-f-]{36})", output).group(1)


def page_text(dom: str) -> str:
    """The visible text of a dumped DOM, on one line."""
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom)).split())


def chromium(url: str, profile: Path, *args: str) -> str:
    done = subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                           f"--virtual-time-budget={PAGE_BUDGET_MS}", *args, url],
                          capture_output=True, text=True, timeout=120)
    return done.stdout


def snapshot(base: str, page: Page, shots: Path, profiles: Path) -> list[str]:
    """Screenshot `page` into `shots/<name>.png`; the texts it must show that it does not."""
    url = f"{base}{page.path}"
    chromium(url, Path(tempfile.mkdtemp(dir=profiles)), f"--screenshot={shots / (page.name + '.png')}")
    text = page_text(chromium(url, Path(tempfile.mkdtemp(dir=profiles)), "--dump-dom"))
    (shots / f"{page.name}.txt").write_text(text + "\n")
    return [want for want in page.must_show if want not in text]


def pages(service: PrefectService, book_id: str, failed_id: str) -> list[Page]:
    """The pages to look at, found through the API, with what each must show."""
    book = service.flow_run(book_id)
    title = book["name"].split(" · ")[0]
    chapter = first_chapter(service, book_id)
    segments = render_runs(service, chapter)
    slug = book_slug(service, book_id)
    run, artifact = "/runs/flow-run/", "/artifacts/artifact/"
    chapter_key = f"{slug}-{chapter_slug(service, chapter)}"
    return [
        Page("book-run", f"{run}{book_id}", (book["name"], "Completed", f"book:{slug}")),
        Page("summary-artifact", f"{artifact}{latest_artifact(service, f'book-{slug}')['id']}",
             ("Output folder", "Total length", "rendered", "review list", ".wav")),
        Page("progress-artifact", f"{artifact}{latest_artifact(service, f'progress-{slug}')['id']}",
             ("of 18 segments", "3 of 3 chapters done")),  # 16 of the chapters, one per credit
        Page("chapter-run", f"{run}{chapter['id']}", (f"{title} · 1/3", "1.1 ", "kept seed")),
        Page("qc-artifact", f"{artifact}{latest_artifact(service, f'qc-{chapter_key}')['id']}", ("verdict", "problems")),
        Page("loudness-artifact", f"{artifact}{latest_artifact(service, f'loudness-{chapter_key}')['id']}",
             ("RMS", "LUFS")),
        *([Page("render-segments-task-run", f"/runs/task-run/{segments[0]['id']}", ("render · 1/", "Completed", "1.1 "))]
          if segments else []),
        Page("failed-run", f"{run}{failed_id}", ("Failed", "ManuscriptError", "no-such-book.md: does not exist")),
    ]


def segment_log_missing(service: PrefectService, book_id: str) -> list[str]:
    """What the first segment's log line lacks (read from the API: headless Chromium draws a task run's
    Logs tab late or not at all; the chapter run's page shows the same lines)."""
    render = render_runs(service, first_chapter(service, book_id))[0]
    logs = [log["message"] for log in service.api("POST", "/logs/filter", logs={"task_run_id": {"any_": [render["id"]]}})]
    line = next((message for message in logs if message.startswith("1.1 ")), "")
    return [want for want in ("1.1 ", " — voice ", " s · ", "take", "QC ") if want not in line]


def render_runs(service: PrefectService, chapter: dict) -> list[dict]:
    """The chapter run's render-segments task run, named "render · n/N <chapter title>" (one: its log has a line
    a segment)."""
    return service.api("POST", "/task_runs/filter", flow_runs={"id": {"any_": [chapter["id"]]}},
                       task_runs={"name": {"like_": "render · "}})


def first_chapter(service: PrefectService, book_id: str) -> dict:
    """The book's chapter 1 run (the credits are chapter runs too)."""
    return next(run for run in service.flow_runs(parent=book_id) if " · 1/" in run["name"])


def book_slug(service: PrefectService, book_id: str) -> str:
    return next(t for t in service.flow_run(book_id)["tags"] if t.startswith("book:")).removeprefix("book:")


def chapter_slug(service: PrefectService, chapter: dict) -> str:
    return service.flow_run(chapter["id"])["parameters"]["chapter"]["slug"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shots", type=Path, help="folder for the screenshots (PNG) and page texts")
    parser.add_argument("--keep", action="store_true", help="keep the server's folder (logs, outputs)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"ui_check: {CHROMIUM} not found (apt-get install chromium)", file=sys.stderr)
        return 2
    args.shots.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="barkbook-ui-"))
    service = start_service(root)
    try:
        started, base = time.monotonic(), service.url.removesuffix("/api")
        bad = run_book(service, root / "no-such-book.md", root / "bad")
        bad_out, bad_err = bad.communicate()
        render = run_book(service, SAMPLE, root / "book")
        moving = midway_progress(service, render)
        # read from the API: by the time a browser has drawn the page, the sample's render has moved on
        print(f"progress midway: {moving['key'] + ': ' + moving['description'] if moving else 'none seen'}")
        missing = {"progress-midway": [] if moving and " segments (" in moving["description"] else ["k of n segments"]}
        good_out, good_err = render.communicate()
        print(f"renders watched in {time.monotonic() - started:.0f} s; the failed one said: {bad_err.strip()}")
        if render.returncode or not bad.returncode or "ManuscriptError" not in bad_err:
            print(good_out, good_err, bad_out, service.tail("cpu"), sep="\n", file=sys.stderr)
            return 1
        summary = latest_artifact(service, f"book-{book_slug(service, run_id(good_out))}")
        missing["summary-links-review"] = [] if "/artifacts/artifact/" in summary["data"] else ["review artifact link"]
        missing["segment-log-line"] = segment_log_missing(service, run_id(good_out))
        for page in pages(service, run_id(good_out), run_id(bad_out)):
            missing[page.name] = snapshot(base, page, args.shots, root)
        for name, lacking in missing.items():
            print(f"{name}: {'ok' if not lacking else 'MISSING ' + repr(lacking)}")
        return 1 if any(missing.values()) else 0
    finally:
        service.stop()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"kept {root}")


if __name__ == "__main__":
    sys.exit(main())
