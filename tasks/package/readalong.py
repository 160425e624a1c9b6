"""The read-along EPUB: an EPUB 3 with media overlays, so a reading system highlights each segment of the
book's text while the chapter's audio plays it (EPUB Media Overlays 3.x). One page, one SMIL and one MP3
(a core media type) per chapter, the nav document and the cover; zipped with `mimetype` first and stored,
written atomically. The documents themselves are in tasks/package/readalong_xml.py."""

from __future__ import annotations

import shutil
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE


from tasks.core import BarkbookError, atomic_path, slugify
from tasks.master import DELIVERY_RATE, ChapterResult

from .assemble import MP3_BITRATE, run_ffmpeg
from .readalong_xml import CONTAINER, STYLESHEET, chapter_smil, chapter_xhtml, nav_xhtml, package_opf

READALONG_SUFFIX = ".readalong.epub"
COVER_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
               ".svg": "image/svg+xml"}  # EPUB 3 core media types for images
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the archive's entries carry no clock time: same input, same bytes


@dataclass(frozen=True)
class ReadAlongSegment:
    """A segment of the chapter: its id, the book's text, its span in the chapter audio, its paragraph."""

    id: str
    text: str
    start_s: float
    end_s: float
    paragraph: int  # segments with the same paragraph number share one <p>

    @property
    def clip_ms(self) -> tuple[int, int]:
        return round(self.start_s * 1000), round(self.end_s * 1000)


@dataclass(frozen=True)
class ReadAlongChapter:
    """A chapter of the read-along: its title, its MP3 file, its segments in reading order."""

    title: str
    audio: Path
    segments: list[ReadAlongSegment]


def book_identifier(title: str, author: str) -> str:
    """A stable urn:uuid for the book (the same title and author, the same id)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'barkbook:{author}:{title}')}"


Entries = tuple[dict[str, "str | Path"], list[dict], dict[str, int]]  # files by name, manifest items, SMIL ms


def chapter_entries(chapters: list[ReadAlongChapter], language: str) -> Entries:
    """Each chapter's page, overlay and audio: (archive name → text or file, manifest items, SMIL id → ms)."""
    files, items, durations = {}, [], {}
    for n, chapter in enumerate(chapters, 1):
        if chapter.audio.suffix.lower() != ".mp3":
            raise BarkbookError(f"read-along: chapter {n} ({chapter.title}) needs MP3 audio, not {chapter.audio.name}")
        page, smil, audio = f"chapter-{n:02d}.xhtml", f"chapter-{n:02d}.smil", f"audio/chapter-{n:02d}.mp3"
        clips = [(s.id, *s.clip_ms) for s in chapter.segments if s.clip_ms[1] > s.clip_ms[0]]
        files |= {page: chapter_xhtml(chapter, language), audio: chapter.audio}
        item = {"id": f"ch-{n:02d}", "href": page, "media-type": "application/xhtml+xml"}
        if clips:
            files[smil] = chapter_smil(page, audio, clips)
            durations[f"mo-{n:02d}"] = sum(b - a for _, a, b in clips)
            item["media-overlay"] = f"mo-{n:02d}"
            items.append({"id": f"mo-{n:02d}", "href": smil, "media-type": "application/smil+xml"})
        items += [item, {"id": f"audio-{n:02d}", "href": audio, "media-type": "audio/mpeg"}]
    return files, items, durations


def book_entries(title: str, language: str, chapters: list[ReadAlongChapter], cover: Path | None) -> Entries:
    """The chapters' entries, the nav document, the stylesheet and the cover (when given)."""
    files, items, durations = chapter_entries(chapters, language)
    files |= {"nav.xhtml": nav_xhtml(title, language, [(c.title, f"chapter-{n:02d}.xhtml")
                                                       for n, c in enumerate(chapters, 1)]),
              "style.css": STYLESHEET}
    items += [{"id": "nav", "href": "nav.xhtml", "media-type": "application/xhtml+xml", "properties": "nav"},
              {"id": "style", "href": "style.css", "media-type": "text/css"}]
    if cover is not None:
        suffix = Path(cover).suffix.lower()
        if suffix not in COVER_TYPES or not Path(cover).is_file():
            raise BarkbookError(f"read-along: cover {cover} is not a JPEG, PNG, GIF or SVG file")
        files[f"cover{suffix}"] = Path(cover)
        items.append({"id": "cover", "href": f"cover{suffix}", "media-type": COVER_TYPES[suffix],
                      "properties": "cover-image"})
    return files, items, durations


def build_readalong(title: str, author: str, language: str, chapters: list[ReadAlongChapter], out_path: Path,
                    cover: Path | None = None, *, narrator: str | None = None, modified: datetime | None = None) -> Path:
    """The read-along EPUB at `out_path`: text pages tied to the chapters' audio by media overlays."""
    if not chapters:
        raise BarkbookError(f"cannot build {Path(out_path).name}: the book has no chapters")
    files, items, durations = book_entries(title, language, chapters, cover)
    opf = package_opf(identifier=book_identifier(title, author), title=title, author=author, language=language,
                      modified=modified or datetime.now(timezone.utc), narrator=narrator, items=items,
                      spine=[f"ch-{n:02d}" for n in range(1, len(chapters) + 1)], durations=durations)
    with atomic_path(Path(out_path)) as tmp:
        write_archive(tmp, {"EPUB/package.opf": opf, **{f"EPUB/{name}": data for name, data in files.items()}})
    return Path(out_path)


def write_archive(path: Path, entries: dict[str, str | Path]) -> None:
    """The OCF zip: `mimetype` first and stored, META-INF/container.xml, then `entries` (texts deflated,
    files copied in blocks; audio and images stored, as they are compressed already)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", ZIP_DATE), "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr(zipfile.ZipInfo("META-INF/container.xml", ZIP_DATE), CONTAINER, zipfile.ZIP_DEFLATED)
        for name, data in entries.items():
            if isinstance(data, str):
                archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, zipfile.ZIP_DEFLATED)
                continue
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            with open(data, "rb") as source, archive.open(info, "w") as target:
                shutil.copyfileobj(source, target, 1 << 20)


def chapter_mp3(master: Path, work: Path) -> Path:
    """The chapter's lossless master encoded to MP3 in `work`."""
    target = Path(work) / f"{master.stem}.mp3"
    run_ffmpeg(["-i", str(master), "-codec:a", "libmp3lame", "-b:a", MP3_BITRATE, "-ar", str(DELIVERY_RATE),
                str(target)], target)
    return target


def readalong_chapter(chapter, result: ChapterResult, work: Path) -> ReadAlongChapter:
    """A planned chapter with its rendered result (master, spans) as a read-along chapter."""
    spans = result.spans
    if [span.segment_id for span in spans] != [s.id for s in chapter.segments]:
        raise BarkbookError(f"read-along: the spans recorded for {chapter.slug} are not its segments; render it again")
    segments = [ReadAlongSegment(s.id, s.text, span.start_s, span.end_s, s.paragraph)
                for s, span in zip(chapter.segments, spans)]
    return ReadAlongChapter(chapter.title, chapter_mp3(result.master, work), segments)


@task(name="read-along", cache_policy=NO_CACHE)
def readalong_book(plan, chapters: list[ChapterResult], language: str, output_dir: Path) -> list[str]:
    """`OUT/<book-slug>.readalong.epub` from the planned chapters and their results."""
    with tempfile.TemporaryDirectory() as work:
        read = [readalong_chapter(c, result, Path(work)) for c, result in zip(plan.chapters, chapters)]
        path = build_readalong(plan.title, plan.author, language, read,
                               Path(output_dir) / f"{slugify(plan.title)}{READALONG_SUFFIX}", plan.cover,
                               narrator=plan.narrator)
    return [str(path)]
