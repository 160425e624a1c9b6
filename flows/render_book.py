"""Flows that read like the job's table of contents: ingest → segment → render → master → assemble → deliver."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Literal

from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner

from tasks.assemble import assemble_book, assemble_chapter
from tasks.deliver import deliver_manifest, load_record, save_record
from tasks.ingest import ingest_manuscript
from tasks.master import MasteringSettings, master_segments
from bark_model.random_tiny import default_cache_dir
from tasks.plan import ChapterPlan, plan_book
from tasks.progress import collect
from tasks.qc import report_qc
from tasks.render import render_segment
from tasks.segment import segment_manuscript

AudioFormat = Literal["wav", "flac", "mp3", "m4b"]


@flow(name="render-chapter", flow_run_name="chapter {chapter.index}: {chapter.title}")
def render_chapter(chapter: ChapterPlan, output_dir: Path, cache_dir: Path) -> dict:
    """One chapter: render its segments (batched, cached), master them, write its files."""
    render = render_segment.with_options(result_storage=cache_dir)
    futures = render.map(**chapter.segment_calls())
    rendered, events = collect(futures, chapter.index, artifact_key=f"progress-{chapter.slug}")
    key = chapter.content_key(MasteringSettings().as_dict())
    made = load_record(output_dir, chapter.slug, key)
    if made is None:  # new or edited chapter: master and assemble it
        qc = report_qc(chapter, rendered, output_dir)
        audio = master_segments(rendered, chapter.pauses_after)
        made = save_record(output_dir, chapter.slug, key, {"files": assemble_chapter(audio, chapter, output_dir), "qc": qc})
    return made | {"key": key, "segments": [dataclasses.asdict(e) for e in events]}


@flow(name="render-book", log_prints=True)
def render_book(
    manuscript: Path,
    voice: str | None = None,
    voices: dict[str, str] | None = None,
    model: str = "random-tiny",
    device: Literal["cpu", "cuda"] = "cpu",
    dtype: Literal["float32", "bfloat16", "float16"] = "float32",
    seed: int = 0,
    batch_size: int = 8,
    formats: list[AudioFormat] = ["wav"],
    output_dir: Path = Path("out"),
    cache_dir: Path | None = None,
) -> dict:
    """A manuscript to finished audio: chapter files, the whole book and a manifest."""
    book = ingest_manuscript(manuscript)
    manifest = segment_manuscript(book)
    plan = plan_book(book, manifest, voice, voices, model, device, dtype, seed, batch_size, formats)
    runner = ThreadPoolTaskRunner(max_workers=batch_size)
    cache_dir = cache_dir or default_cache_dir() / "segments"
    chapters = [
        render_chapter.with_options(task_runner=runner)(chapter, output_dir, cache_dir)
        for chapter in plan.chapters
    ]
    key = plan.content_key([c["key"] for c in chapters])
    book_files = load_record(output_dir, "book", key)
    if book_files is None:
        book_files = save_record(output_dir, "book", key, {"files": assemble_book(plan, chapters, output_dir)})
    return deliver_manifest(plan, chapters, book_files["files"], output_dir)
