"""What a rendered chapter hands its book: its files, each with its kind, the QC counts, the segments left
for review, where each segment lies in the master (spans) and where the master may be cut, and this run's
segment records. A Prefect result (a chapter deployment run's comes back through its persisted result);
without the segment records, also the chapter's saved record (`OUT/.state/<slug>.json`), which is
written and read back here alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from tasks.core import load_typed_record, save_record
from tasks.render import SegmentDone

from .layout import SegmentSpan
from .qc_report import QCSummary
from .review_items import ReviewItem

MASTERS = ".masters"  # OUT/.masters/: the kept lossless chapter masters every package is made from, never delivered

ChapterFileKind = Literal["master", "loudness-plot", "report"]  # the master is kept, never delivered


class ChapterFile(BaseModel):
    path: str
    kind: ChapterFileKind


class ChapterResult(BaseModel):
    key: str  # the chapter's content key: unchanged, nothing of it is made again; the book's key hashes it
    files: list[ChapterFile]
    qc: QCSummary
    review: list[ReviewItem] = []  # its segments whose kept take still fails
    spans: list[SegmentSpan] = []  # each segment's speech in the master, in order
    cuts: list[float] = []  # sentence ends: where the sample and split files may cut
    paragraph_cuts: list[float] = []  # paragraph ends: where split files cut first
    segments: list[SegmentDone] = []  # this run's segment records (rendered or cached): not saved

    @property
    def master(self) -> Path:
        """The lossless master: every package file is made from it."""
        return next(Path(f.path) for f in self.files if f.kind == "master")

    @property
    def delivered(self) -> list[ChapterFile]:
        """The files the manifest lists beside the package: the loudness plot and the QC report."""
        return [f for f in self.files if f.kind != "master"]


def save_chapter(output_dir: Path, slug: str, result: ChapterResult) -> ChapterResult:
    """Remember what the chapter's inputs made, so an unchanged chapter is not mastered again."""
    save_record(output_dir, slug, result.key, result.model_dump(mode="json", exclude={"segments"}),
                [f.path for f in result.files])
    return result


def load_chapter(output_dir: Path, slug: str, key: str) -> ChapterResult | None:
    """What an earlier run made from the same inputs, if its files are intact; a record in an older shape
    counts as none (the chapter is mastered again from its cached takes, nothing is generated)."""
    return load_typed_record(output_dir, slug, key, ChapterResult)
