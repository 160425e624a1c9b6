"""Assemble deliverables: chapter files (WAV, FLAC, MP3), the whole book (WAV/FLAC, M4B with chapter marks),
and reading their tags and chapter marks back (mutagen) to verify them.

ffmpeg comes from the `imageio-ffmpeg` wheel, never from the system (tasks/master/audio.py sets it up, pydub too). (pydub's
`from_file` needs ffprobe, which that wheel lacks: audio is read back with soundfile or mutagen instead.)
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import soundfile
from mutagen.mp4 import MP4
from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.core import BarkbookError, atomic_path
from tasks.master import CHAPTER_FORMATS, DELIVERY_RATE, FFMPEG, MASTERS, AudioSegment

from .tags import read_tags, write_tags

__all__ = ["export_chapter", "concat_lossless", "build_m4b", "read_chapters", "read_tags", "run_ffmpeg",
           "assemble_chapter"]

MP3_BITRATE = "192k"  # constant bitrate: what ACX asks for
M4B_BITRATE = "96k"
COVER_COPY = (".jpg", ".jpeg", ".png")  # stored as they are; other images are re-encoded as JPEG


def run_ffmpeg(args: list[str], target: Path, feed: Iterable[bytes] = ()) -> None:
    """Run our ffmpeg, writing `feed` to its stdin; a failure is a BarkbookError naming the file being made."""
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen([FFMPEG, "-v", "error", "-y", *args], stdin=subprocess.PIPE, stderr=errors)
        try:
            with contextlib.suppress(BrokenPipeError), proc.stdin:  # ffmpeg stopped reading: its status says why
                for block in feed:
                    proc.stdin.write(block)
        except BaseException:  # our side failed (a chapter file unreadable): stop ffmpeg, report ours
            proc.kill()
            proc.wait()
            raise
        if proc.wait():
            errors.seek(0)
            raise BarkbookError(f"ffmpeg could not write {target.name}: {errors.read().decode(errors='replace')[-400:]}")


def export_chapter(audio: AudioSegment, path: Path, fmt: str, tags: dict[str, str], cover: Path | None = None,
                   bitrate: str = MP3_BITRATE) -> Path:
    """One chapter file, written atomically: WAV/FLAC 16-bit or MP3 CBR (192 kbps) 44.1 kHz, with `tags`
    (tasks/package/tags.py names) and the cover embedded, written and read back before the file is put in place."""
    if fmt not in CHAPTER_FORMATS:
        raise BarkbookError(f"cannot write {Path(path).name}: chapter format {fmt!r} is not one of {CHAPTER_FORMATS}")
    path = Path(path)
    with atomic_path(path) as tmp:
        if fmt == "mp3":
            audio.export(tmp, format="mp3", bitrate=bitrate,
                         parameters=["-ar", str(DELIVERY_RATE), "-codec:a", "libmp3lame"])
        else:
            samples = np.frombuffer(audio.set_sample_width(2).raw_data, "<i2").reshape(-1, audio.channels)
            soundfile.write(tmp, samples, audio.frame_rate, format=fmt.upper(), subtype="PCM_16")
        if tags or cover:
            write_tags(tmp, fmt, tags, cover)
    return path


def concat_lossless(sources: list[Path], path: Path, tags: dict[str, str] | None = None,
                    cover: Path | None = None) -> Path:
    """The whole book as one lossless file, streamed chapter by chapter (never all in memory), tagged."""
    info = soundfile.info(sources[0])
    with atomic_path(path) as tmp:
        with soundfile.SoundFile(tmp, "w", info.samplerate, info.channels, subtype="PCM_16",
                                 format=path.suffix[1:].upper()) as out:
            for source in sources:
                for block in soundfile.blocks(source, blocksize=1 << 18, dtype="int16", always_2d=True):
                    out.write(block)
        if tags or cover:
            write_tags(tmp, path.suffix[1:], tags or {}, cover)
    return path


def ffmetadata(title: str, author: str, narrator: str | None, marks: list[tuple[str, float, float]]) -> str:
    """An ffmpeg metadata file: book tags, then one [CHAPTER] per (title, start s, end s)."""
    tags = {"title": title, "album": title, "artist": author, "album_artist": author, "genre": "Audiobook",
            "media_type": "2"}  # media_type 2: iTunes "audiobook"
    if narrator:
        tags["composer"] = narrator  # where audiobook players look for the narrator
    lines = [";FFMETADATA1", *(f"{k}={escape_meta(v)}" for k, v in tags.items())]
    for name, start, end in marks:
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={round(start * 1000)}", f"END={round(end * 1000)}",
                  f"title={escape_meta(name)}"]
    return "\n".join(lines) + "\n"


def escape_meta(value: str) -> str:
    """ffmetadata values escape = ; # \\ and newlines with a backslash."""
    for ch in "\\=;#\n":
        value = value.replace(ch, "\\" + ch)
    return value


def pcm_layout(source: AudioSegment | Path) -> tuple[int, int, float]:
    """(sample rate, channels, seconds) of a chapter in memory or in a lossless file."""
    if isinstance(source, AudioSegment):
        return source.frame_rate, source.channels, source.frame_count() / source.frame_rate
    info = soundfile.info(source)
    return info.samplerate, info.channels, info.frames / info.samplerate


def pcm_blocks(sources: list[AudioSegment | Path]) -> Iterator[bytes]:
    """The chapters as one stream of 16-bit PCM; files are read in blocks, never whole."""
    for source in sources:
        if isinstance(source, AudioSegment):
            yield source.set_sample_width(2).raw_data
        else:
            for block in soundfile.blocks(source, blocksize=1 << 18, dtype="int16"):
                yield block.tobytes()


def build_m4b(chapters: list[tuple[str, AudioSegment | Path]], path: Path, *, title: str, author: str,
              narrator: str | None = None, cover: Path | None = None, tags: dict[str, str] | None = None) -> Path:
    """The book as AAC in MP4 (.m4b) with a chapter mark per (title, audio or lossless file), book tags
    (`tags`: more, by tasks/package/tags.py names) and cover art when given; read back before it is put in place,
    so a wrong file is never delivered."""
    path = Path(path)
    if cover is not None and not Path(cover).is_file():
        raise BarkbookError(f"cannot build {path.name}: cover image {cover} does not exist")
    sources = [source for _, source in chapters]
    layouts = [pcm_layout(s) for s in sources]
    if len({layout[:2] for layout in layouts}) != 1:
        raise BarkbookError(f"cannot build {path.name}: chapters differ in sample rate or channels: {layouts}")
    rate, channels, _ = layouts[0]
    ends = np.cumsum([layout[2] for layout in layouts])
    marks = [(name, start, end) for (name, _), start, end in zip(chapters, [0.0, *ends[:-1]], ends)]
    with tempfile.TemporaryDirectory() as work:
        metadata = Path(work) / "metadata.txt"
        metadata.write_text(ffmetadata(title, author, narrator, marks), encoding="utf-8")
        args = ["-f", "s16le", "-ar", str(rate), "-ac", str(channels), "-i", "pipe:0", "-i", str(metadata)]
        if cover is None:
            args += ["-map", "0:a"]
        else:
            codec = "copy" if Path(cover).suffix.lower() in COVER_COPY else "mjpeg"
            args += ["-i", str(cover), "-map", "0:a", "-map", "2:v", "-c:v", codec, "-disposition:v", "attached_pic"]
        with atomic_path(path) as tmp:
            args += ["-map_metadata", "1", "-map_chapters", "1", "-c:a", "aac", "-b:a", M4B_BITRATE,
                     "-ar", str(DELIVERY_RATE), "-movflags", "+faststart", "-f", "ipod", str(tmp)]
            run_ffmpeg(args, path, feed=pcm_blocks(sources))
            if tags:
                write_tags(tmp, "m4b", tags)
            verify_m4b(tmp, marks, path)
    return path


def verify_m4b(written: Path, marks: list[tuple[str, float, float]], path: Path) -> None:
    """The chapter titles and starts read back are the ones asked for (to 0.1 s)."""
    found = read_chapters(written)
    if [m[0] for m in found] != [m[0] for m in marks] or any(abs(f[1] - m[1]) > 0.1 for f, m in zip(found, marks)):
        raise BarkbookError(f"{path.name}: chapter marks read back as {found}, not {marks}")


def read_chapters(path: Path) -> list[tuple[str, float, float]]:
    """(title, start s, end s) of each chapter mark in an M4B, read back with mutagen."""
    mp4 = MP4(path)
    marks = list(mp4.chapters or [])
    ends = [m.start for m in marks[1:]] + [mp4.info.length]
    return [(m.title, m.start, end) for m, end in zip(marks, ends)]


@task(name="assemble-chapter", cache_policy=NO_CACHE)
def assemble_chapter(audio: AudioSegment, chapter, output_dir: Path) -> str:
    """The chapter's lossless master, `.masters/<slug>.flac`: every file of every package is made from it
    (tasks/package/packaging.py), so a new target or format never masters it again."""
    return str(export_chapter(audio, Path(output_dir) / MASTERS / f"{chapter.slug}.flac", "flac", {}))
