"""The package for a platform (tasks/package/targets.py), made from the chapters' kept lossless masters: chapter and
credit files (split at sentence ends where the platform limits a file's length, named and laid out its way,
tagged with the AI-voice narrator credit and the cover embedded), the whole book, the retail sample,
`cover.jpg` and, for Audiobookshelf, the metadata files it reads. Nothing here generates or masters audio,
so another `--target` re-encodes from the masters alone.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import soundfile
from prefect import task
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel


from tasks.core import (atomic_path, atomic_write_bytes, content_key, file_sha256, load_record, load_typed_record,
                        save_record, slugify)
from tasks.master import (CHAPTER_FORMATS, LOSSLESS, MASTERING, AudioSegment, ChapterResult, DeliveryVerdicts, MasteringSettings, SegmentSpan, shifted,
                          spans_between)
from tasks.plan import BookPlan, ChapterPlan

from .assemble import build_m4b, concat_lossless, export_chapter
from .sample import sample_audio
from .subtitles import write_subtitles
from .tags import AI_FIELD
from .targets import Target, target_named

COVER_FILE = "cover.jpg"
SUBTITLES_VERSION = 1  # in the package record's key: packages made before subtitles are made again


@dataclass(frozen=True)
class Packaged:
    """A delivered file and what it is (manifest.json's `kind`); credits carry their spoken text."""

    path: str
    kind: str
    text: str | None = None


class BookPackage(BaseModel):
    """What packaging the book delivered, and the book's saved record: its files, the delivery checks'
    report (measured on the encoded files, paths under the output folder) and a line per file out of spec."""

    files: list[Packaged]
    checks: DeliveryVerdicts  # measured on the encoded files: manifest.json's `checks`


def save_package(output_dir: Path, key: str, package: BookPackage) -> BookPackage:
    save_record(output_dir, "book", key, package.model_dump(mode="json"), [f.path for f in package.files])
    return package


def load_package(output_dir: Path, key: str) -> BookPackage | None:
    """The package an earlier run made from the same chapters and choices, if its files are intact (a record
    of an older shape counts as none: the package is made again from the masters)."""
    return load_typed_record(output_dir, "book", key, BookPackage)


def split_spans(duration: float, cuts: list[float], max_s: float | None,
                preferred: list[float] = ()) -> list[tuple[float, float]]:
    """(start, end) seconds of each file a chapter becomes: whole, or cut before each `max_s` at the last
    `preferred` cut point (a paragraph end) in the second half of the stretch, else at the last cut point
    (a sentence end), else at `max_s` itself where no pause comes before it."""
    spans, start = [], 0.0
    while max_s and duration - start > max_s:
        late = [c for c in preferred if start + max_s / 2 < c <= start + max_s]
        end = max(late or [c for c in cuts if start < c <= start + max_s], default=start + max_s)
        spans.append((start, end))
        start = end
    return spans + [(start, duration)]


def chapter_parts(master: Path, spans: list[tuple[float, float]], settings: MasteringSettings) -> list[AudioSegment]:
    """The master's pieces; a piece cut out of a chapter gets the chapter's own room tone (its tail) at the
    cut, as much as the mastering puts at a chapter's head and tail."""
    samples, rate = soundfile.read(master, dtype="int16")
    room = samples[-round(settings.tail_s * rate):]
    parts = []
    for start, end in spans:
        piece = samples[round(start * rate):round(end * rate)]
        head = room[:round(settings.head_s * rate)] if start > 0 else room[:0]
        tail = room if end < spans[-1][1] else room[:0]
        pcm = np.concatenate([head, piece, tail]).astype("<i2")
        parts.append(AudioSegment(pcm.tobytes(), frame_rate=rate, sample_width=2, channels=1))
    return parts


def package_root(plan: BookPlan, target: Target, output_dir: Path) -> Path:
    """Where the package lies: the output folder, or `Author/Title/` inside it."""
    if not target.author_title_folders:
        return Path(output_dir)
    safe = [re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name).strip(" .") or "Unknown" for name in (plan.author, plan.title)]
    return Path(output_dir).joinpath(*safe)


def file_tags(plan: BookPlan, title: str, track: int) -> dict[str, str]:
    """Every file's tags: its title and its track among the package's files, the book, and the narrator
    credit naming the AI voice."""
    return {"title": title, "album": plan.title, "artist": plan.author, "album_artist": plan.author,
            "narrator": plan.narrator, "genre": "Audiobook", "track": str(track), "ai_narration": plan.narrator}


def file_stems(plan: BookPlan, target: Target, pieces: list[tuple[ChapterPlan, int, int]]) -> list[str]:
    """Names without a format of the files, in order: `<ISBN>_<n>of<N>` where the target names files by an
    ISBN and one is known (Google Play), else the chapter's slug (with `-partK` when it is split)."""
    if target.isbn_names and plan.isbn:
        return [f"{plan.isbn}_{n}of{len(pieces)}" for n in range(1, len(pieces) + 1)]
    return [chapter.slug if parts == 1 else f"{chapter.slug}-part{k}" for chapter, k, parts in pieces]


def package_chapters(plan: BookPlan, chapters: list[ChapterResult], target: Target, root: Path,
                     output_dir: Path) -> list[Packaged]:
    """Each chapter and credit in the chapter formats, split where the target limits a file's length, its
    files numbered across the whole package."""
    spans = [split_spans(soundfile.info(c.master).duration, c.cuts, target.max_file_seconds, c.paragraph_cuts)
             for c in chapters]
    pieces = [(chapter, k, len(s)) for chapter, s in zip(plan.chapters, spans) for k in range(1, len(s) + 1)]
    stems = iter(file_stems(plan, target, pieces))
    packaged, track = [], 0
    for chapter, result, chapter_spans in zip(plan.chapters, chapters, spans):
        parts = len(chapter_spans)
        files = [(next(stems), track + k, chapter.title if parts == 1 else f"{chapter.title}, part {k}")
                 for k in range(1, parts + 1)]
        track += parts
        packaged += package_chapter(plan, chapter, result.key, result.master, chapter_spans, files, target, root,
                                    output_dir, result.spans)
    return packaged


def package_chapter(plan: BookPlan, chapter: ChapterPlan, chapter_key: str, master: Path,
                    spans: list[tuple[float, float]], files: list[tuple[str, int, str]], target: Target, root: Path,
                    output_dir: Path, segments: list[SegmentSpan]) -> list[Packaged]:
    """One chapter's files (stem, track, title per part) in every chapter format, and each file's subtitles
    (`<stem>.vtt`, `.srt`: its segments' book text at their times in that file). When they would come out as
    last time (same master, names, tags, cover), they are not written again: a fixed typo rewrites only its
    chapter's files."""
    formats = [f for f in plan.formats if f in CHAPTER_FORMATS]
    tags = [file_tags(plan, title, track) for _, track, title in files]
    cover = file_sha256(plan.cover) if plan.cover else None
    facts = [chapter_key, str(root), formats, files, tags, cover, target.mp3_bitrate, spans, SUBTITLES_VERSION]
    key, name = content_key(*facts), f"package-{chapter.slug}"
    made = load_record(output_dir, name, key)
    if made is None:
        parts = chapter_parts(master, spans, MASTERING)
        written = [export_chapter(audio, root / f"{stem}.{fmt}", fmt, tag, plan.cover, target.mp3_bitrate)
                   for audio, (stem, _, _), tag in zip(parts, files, tags) for fmt in formats]
        text = chapter.text if chapter.kind != "chapter" else None
        records = [Packaged(str(p), chapter.kind, text) for p in written]
        subtitles = part_subtitles(chapter, segments, spans, [root / stem for stem, _, _ in files])
        records += [Packaged(str(p), "subtitles") for p in subtitles]
        made = save_record(output_dir, name, key, {"packaged": [asdict(p) for p in records]},
                           [p.path for p in records])
    return [Packaged(**p) for p in made["packaged"]]


def part_subtitles(chapter: ChapterPlan, segments: list[SegmentSpan], parts: list[tuple[float, float]],
                   stems: list[Path], settings: MasteringSettings = MASTERING) -> list[Path]:
    """Subtitles for each file a chapter became: the segments that start in a part, moved to their time in
    its file (a part after the first begins with `head_s` of room tone, see `chapter_parts`)."""
    if [s.segment_id for s in segments] != [s.id for s in chapter.segments]:
        return []  # a record from before spans were kept: subtitles come with the chapter's next mastering
    written = []
    for (start, end), stem in zip(parts, stems):
        shift = (settings.head_s if start > 0 else 0.0) - start
        inside = spans_between(segments, start, end)
        written += write_subtitles([shifted(segments[i], shift) for i in inside],
                                   [chapter.segments[i].text for i in inside], stem)
    return written


def package_whole_book(plan: BookPlan, masters: list[Path], root: Path) -> list[Packaged]:
    """The book as one lossless file per lossless format asked for, and the M4B with its chapter marks."""
    stem, tags = root / slugify(plan.title), file_tags(plan, plan.title, 1)
    written = [concat_lossless(masters, stem.with_suffix(f".{fmt}"), tags, plan.cover)
               for fmt in plan.formats if fmt in LOSSLESS]
    if "m4b" in plan.formats:
        written.append(build_m4b(list(zip([c.title for c in plan.chapters], masters)), stem.with_suffix(".m4b"),
                                 title=plan.title, author=plan.author, narrator=plan.narrator, cover=plan.cover,
                                 tags={"ai_narration": plan.narrator}))
    return [Packaged(str(p), "book") for p in written]


def package_sample(plan: BookPlan, chapters: list[ChapterResult], target: Target, root: Path) -> list[Packaged]:
    """The retail sample, from the first chapter (not the credits), in MP3 where it is asked for."""
    body = [(c.master, c.cuts)
            for p, c in zip(plan.chapters, chapters) if p.kind == "chapter"]
    if plan.sample_minutes is None or not body:
        return []
    fmt = next((f for f in ("mp3", *LOSSLESS) if f in plan.formats), "mp3")
    path = root / f"{slugify(plan.title)}-sample.{fmt}"
    tags = file_tags(plan, f"{plan.title} (retail sample)", 1)
    export_chapter(sample_audio(body, plan.sample_minutes), path, fmt, tags, plan.cover, target.mp3_bitrate)
    return [Packaged(str(path), "retail-sample")]


def package_extras(plan: BookPlan, target: Target, root: Path) -> list[Packaged]:
    """`cover.jpg`, and for Audiobookshelf the `metadata.json` and `reader.txt` its scanner reads."""
    packaged = []
    if plan.cover is not None:
        with atomic_path(root / COVER_FILE) as tmp:
            shutil.copyfile(plan.cover, tmp)
        packaged.append(Packaged(str(root / COVER_FILE), "cover"))
    if target.metadata_files:
        metadata = {"title": plan.title, "authors": [plan.author], "narrators": [plan.narrator],
                    "isbn": plan.isbn, "language": plan.language, "genres": ["Audiobook"],
                    "tags": [AI_FIELD.lower().replace("_", " ")], "description": None}
        atomic_write_bytes(root / "metadata.json", (json.dumps(metadata, indent=2, ensure_ascii=False) + "\n").encode())
        atomic_write_bytes(root / "reader.txt", (plan.narrator + "\n").encode())
        packaged += [Packaged(str(root / "metadata.json"), "metadata"), Packaged(str(root / "reader.txt"), "metadata")]
    return packaged


@task(name="package", cache_policy=NO_CACHE)
def package_book(plan: BookPlan, chapters: list[ChapterResult], output_dir: Path) -> list[Packaged]:
    """Every file of the target's package, with its kind (and a credit's text)."""
    target = target_named(plan.target)
    root = package_root(plan, target, output_dir)
    masters = [c.master for c in chapters]
    packaged = (package_chapters(plan, chapters, target, root, output_dir) + package_whole_book(plan, masters, root)
                + package_sample(plan, chapters, target, root) + package_extras(plan, target, root))
    return packaged
