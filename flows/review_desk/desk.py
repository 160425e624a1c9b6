"""The desk's state: one output folder, the request its last render used, the book as planned now (read again
whenever a file it comes from changes: a render, another person's decision, an edited lexicon), the
decisions file and the render jobs. Every reader and writer of OUT/review.json in this process goes
through `decide`, under one lock; writes are atomic, so a render or a second desk reads a whole file."""

from __future__ import annotations

import threading
from pathlib import Path

from flows.request import REQUEST_FILE, load_request
from tasks.core import BarkbookError
from tasks.plan import DECISIONS_FILE, RETAKE_FILE, load_decisions, pin_model, save_decisions
from tasks.text.lexicon import lexicon_files

from .audio import TakeAudio
from .book import DeskBook, load_book, result_store
from .jobs import RenderJobs, Runner


class Desk:
    def __init__(self, output_dir: Path, runner: Runner):
        self.output_dir = Path(output_dir).expanduser().resolve()
        if not self.output_dir.is_dir():
            raise BarkbookError(f"{output_dir}: no such folder (give the --out folder of a render)")
        # the folder given is where this book is: renders started here write into it, wherever it was first made
        self.request = load_request(self.output_dir).model_copy(update={"output_dir": self.output_dir})
        self.settings = pin_model(self.request.render_settings())
        self.store = result_store(self.request.segment_cache)
        self.audio = TakeAudio(self.output_dir, self.store, self.request.model)
        self.jobs = RenderJobs(runner)
        self._lock = threading.RLock()
        self._book: DeskBook | None = None
        self._stamp: tuple | None = None

    def book(self) -> DeskBook:
        """The book as its files are now: read again when one of them changed since the last read."""
        with self._lock:
            stamp = self.stamp()
            if self._book is None or stamp != self._stamp:
                self._book, self._stamp = load_book(self.request, self.settings, self.store), stamp
            return self._book

    def stamp(self) -> tuple:
        """When each file the book view is made from last changed (a render rewrites the manifest)."""
        manuscript = Path(self.request.manuscript)
        files = [self.output_dir / name for name in (REQUEST_FILE, DECISIONS_FILE, RETAKE_FILE, "manifest.json")]
        files += [manuscript, *lexicon_files(manuscript)]
        return tuple((str(f), f.stat().st_mtime_ns if f.exists() else None) for f in files)

    def decided_since_render(self) -> bool:
        """Decisions were written after the last render delivered (its review.csv does not know them yet)."""
        decisions, manifest = self.output_dir / DECISIONS_FILE, self.output_dir / "manifest.json"
        return decisions.is_file() and (not manifest.is_file() or decisions.stat().st_mtime > manifest.stat().st_mtime)

    def decide(self, segment_id: str, **changes) -> None:
        """Change one segment's decisions in OUT/review.json (read, changed, written under the lock)."""
        with self._lock:
            save_decisions(self.output_dir, load_decisions(self.output_dir).changed(segment_id, **changes))

    def render(self, what: str, retake: list[str] | None = None, before=None) -> None:
        """Run the book's render again (retaking `retake`), after `before()` — a decision written only once the
        render may start: a running render refuses both (Busy)."""
        with self._lock:
            self.jobs.check_free()
            if before is not None:
                before()
            self.jobs.start(what, self.request.model_copy(update={"retake": retake}), self.forget)

    def forget(self) -> None:
        """The next `book()` reads everything again (a render ended)."""
        with self._lock:
            self._book = None
