"""Assemble deliverables: chapter files (WAV, FLAC, MP3) and the whole book (WAV, M4B with chapters).

ffmpeg comes from the `imageio-ffmpeg` wheel, never from the system.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import soundfile
from prefect import task
from prefect.cache_policies import NO_CACHE

from bark_model.atomic import atomic_path

from .audio import FFMPEG, AudioSegment
from .plan import slugify

LOSSLESS = ("wav", "flac")
MP3_BITRATE = "192k"
M4B_BITRATE = "96k"


def export_chapter(audio: AudioSegment, path: Path, fmt: str, tags: dict[str, str]) -> Path:
    """One chapter file, written atomically: WAV/FLAC 16-bit, MP3 192 kbps CBR at 44.1 kHz with ID3 tags."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        if fmt == "mp3":
            audio.export(tmp, format="mp3", bitrate=MP3_BITRATE, tags=tags,
                         parameters=["-ar", str(audio.frame_rate), "-codec:a", "libmp3lame"])
        elif fmt in LOSSLESS:
            samples = audio.get_array_of_samples()
            soundfile.write(tmp, samples, audio.frame_rate, format=fmt.upper(), subtype="PCM_16")
        else:
            raise ValueError(f"cannot export a chapter as {fmt!r}")
    return path


def concat_lossless(sources: list[Path], path: Path) -> Path:
    """The whole book as one lossless file, streamed chapter by chapter (a 10-hour book fits in memory-free)."""
    info = soundfile.info(sources[0])
    with atomic_path(path) as tmp:
        with soundfile.SoundFile(tmp, "w", info.samplerate, 1, subtype="PCM_16", format=path.suffix[1:].upper()) as out:
            for source in sources:
                for block in soundfile.blocks(source, blocksize=1 << 18, dtype="int16"):
                    out.write(block)
    return path


def build_m4b(chapters: list[tuple[str, Path]], path: Path, *, title: str, author: str,
              narrator: str | None = None, cover: Path | None = None) -> Path:
    """AAC audiobook with a chapter mark per chapter file, tags, and cover art when given."""
    starts, t = [], 0.0
    for _, source in chapters:
        starts.append(t)
        t += soundfile.info(source).duration
    meta = [";FFMETADATA1", f"title={title}", f"album={title}", f"artist={author}", "genre=Audiobook"]
    if narrator:
        meta.append(f"composer={narrator}")
    for (name, _), start, end in zip(chapters, starts, starts[1:] + [t]):
        meta += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={int(start * 1000)}", f"END={int(end * 1000)}", f"title={name}"]
    with tempfile.TemporaryDirectory() as work:
        listing = Path(work) / "chapters.txt"
        listing.write_text("".join(f"file '{Path(s).resolve().as_posix()}'\n" for _, s in chapters))
        metadata = Path(work) / "metadata.txt"
        metadata.write_text("\n".join(escape_meta(line) for line in meta) + "\n", encoding="utf-8")
        cmd = [FFMPEG, "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing), "-i", str(metadata)]
        if cover:
            cmd += ["-i", str(cover), "-map", "0:a", "-map", "2:v", "-c:v", "mjpeg", "-disposition:v", "attached_pic"]
        else:
            cmd += ["-map", "0:a"]
        with atomic_path(path) as tmp:
            cmd += ["-map_metadata", "1", "-map_chapters", "1", "-c:a", "aac", "-b:a", M4B_BITRATE, "-f", "ipod", str(tmp)]
            result = subprocess.run(cmd, capture_output=True, text=True)
            if result.returncode:
                raise RuntimeError(f"ffmpeg could not build {path.name}: {result.stderr.strip()[-300:]}")
    return path


def escape_meta(line: str) -> str:
    """ffmetadata escapes = ; # \\ and newlines in values."""
    if line.startswith(";") or line.startswith("[") or "=" not in line:
        return line
    key, value = line.split("=", 1)
    for ch in "\\=;#\n":
        value = value.replace(ch, "\\" + ch)
    return f"{key}={value}"


def read_chapters(path: Path) -> list[tuple[str, float]]:
    """(title, start seconds) of each chapter mark in an M4B, read back with mutagen."""
    from mutagen.mp4 import MP4

    return [(c.title, c.start) for c in MP4(path).chapters]


@task(name="assemble-chapter", cache_policy=NO_CACHE)
def assemble_chapter(audio: AudioSegment, chapter, output_dir: Path) -> list[str]:
    """The chapter in each requested chapter format; a lossless master is always kept for the book."""
    output_dir = Path(output_dir)
    written = []
    for fmt in [f for f in chapter.formats if f != "m4b"]:
        written.append(export_chapter(audio, output_dir / f"{chapter.slug}.{fmt}", fmt, chapter.tags))
    if not any(f in LOSSLESS for f in chapter.formats):
        written.append(export_chapter(audio, output_dir / ".masters" / f"{chapter.slug}.flac", "flac", chapter.tags))
    return [str(p) for p in written]


def lossless_master(files: list[str]) -> Path:
    return next(Path(f) for f in files if Path(f).suffix[1:] in LOSSLESS)


@task(name="assemble-book", cache_policy=NO_CACHE)
def assemble_book(plan, chapters: list[dict], output_dir: Path) -> list[str]:
    """The whole book: one lossless file per requested lossless format, and the M4B."""
    output_dir = Path(output_dir)
    masters = [lossless_master(c["files"]) for c in chapters]
    stem = output_dir / slugify(plan.title)
    written = []
    for fmt in [f for f in plan.formats if f in LOSSLESS]:
        written.append(concat_lossless([m.with_suffix(f".{fmt}") for m in masters], stem.with_suffix(f".{fmt}")))
    if "m4b" in plan.formats:
        titles = [c.title for c in plan.chapters]
        written.append(build_m4b(list(zip(titles, masters)), stem.with_suffix(".m4b"), title=plan.title,
                                 author=plan.author, narrator=plan.narrator, cover=plan.cover))
    return [str(p) for p in written]

