"""The book's flows, read as the job's table of contents: read → segment → plan → render the chapters
(master each) → package → review list → deliver."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from prefect import flow
from prefect.context import FlowRunContext
from prefect.states import Cancelled
from prefect.utilities.annotations import opaque

from flows.chapter_runs import (cancel_chapter_runs, ended_book_run, render_chapters_here,
                                run_chapter_deployments)
from flows.request import ChapterRuns, RenderRequest, save_request
from flows.run_labels import book_run_name_from_parameters, label_book_run, tag_run
from flows.storage import check_cache_url, segment_storage
from tasks.core import file_sha256, quiet_our_tracebacks, run_logger, slugify
from tasks.deliver import RunSummary, deliver_manifest, publish_summary, write_review
from tasks.manuscript import Book, ingest_manuscript
from tasks.master import (AUDIO_KINDS, MASTERS, ChapterFile, ChapterResult, MASTERING, chapter_spans,
                          check_delivered_files, cut_points, load_chapter, master_segments, plot_chapter,
                          report_qc, review_items, save_chapter)
from tasks.package import (BookPackage, Cover, Packaged, assemble_chapter, load_package, package_book,
                           prepare_cover, readalong_book, save_package, target_named)
from tasks.plan import (BookPlan, ChapterPlan, ReviewDecisions, book_tag, cast_for, load_decisions, pin_model,
                        plan_book, retake_budgets, seed_offsets, voice_map)
from tasks.qc import qc_note
from tasks.render import (BookProgress, EngineTaskRunner, RenderedSegment, check_chapter_voice, render_segments,
                          resolve_voices, with_audio)
from tasks.text import NARRATOR, load_lexicon, segment_manuscript
from tasks.text.speakers import voices_of

quiet_our_tracebacks()  # a BarkbookError logs as its one line, without Prefect's stack


@flow(
    name="render-chapter",
    persist_result=True,  # the book run reads it back when this chapter ran as its own deployment run
    task_runner=EngineTaskRunner(),  # the book run's engines for its in-process chapters, else this run's own
)
def render_chapter(chapter: ChapterPlan, output_dir: Path, cache_dir: Path | str) -> ChapterResult:
    """One chapter: render its segments (batched, cached), then master them and write its files unless an
    earlier run made them from the same inputs; nothing when its book run has already ended."""
    flow_run = FlowRunContext.get().flow_run
    ended = ended_book_run(flow_run)
    if ended:
        return Cancelled(message=ended)
    tag_run(flow_run, book_tag(chapter.tags.get("album", "")))  # a deployment run has it from its start
    render = render_segments.with_options(result_storage=segment_storage(cache_dir))  # where segment records lie
    rendered, events = render(opaque(chapter))
    key = chapter.content_key(MASTERING.as_dict())
    made = load_chapter(output_dir, chapter.slug, key) or master_chapter(chapter, rendered, output_dir, key)
    return made.model_copy(update={"segments": events})


def master_chapter(chapter: ChapterPlan, rendered: list[RenderedSegment], output_dir: Path, key: str) -> ChapterResult:
    """A new or edited chapter's files: its takes decoded and checked as one voice, the QC report, the
    master, where each segment lies in it, the loudness plot and the segments left for review.
    opaque: Prefect takes each value as it is instead of walking every segment in it for futures (~4 ms of
    CPU a segment); the run graph still links render-segments → decode-takes → these steps."""
    rendered = with_audio(opaque(rendered), chapter.settings)
    check_chapter_voice(opaque(rendered), opaque(chapter.segments), chapter.settings)
    qc = report_qc(opaque(chapter), opaque(rendered), output_dir)
    master = master_segments(opaque(rendered), chapter.pauses_after)
    spans = chapter_spans(rendered, master)
    files = [ChapterFile(path=assemble_chapter(master.audio, opaque(chapter), output_dir), kind="master"),
             ChapterFile(path=plot_chapter(master.audio, opaque(chapter), output_dir), kind="loudness-plot"),
             ChapterFile(path=qc.report, kind="report")]
    return save_chapter(output_dir, chapter.slug, ChapterResult(
        key=key, files=files, qc=qc, review=review_items(chapter, rendered, spans), spans=spans,
        cuts=cut_points(spans, chapter.pauses_after),
        paragraph_cuts=cut_points(spans, chapter.pauses_after, joins=chapter.paragraph_ends)))


@flow(name="render-book", flow_run_name=book_run_name_from_parameters, log_prints=True,
      on_cancellation=[cancel_chapter_runs],
      task_runner=EngineTaskRunner())  # engines for generated voices and in-process chapters, freed at the end
def render_book(request: RenderRequest, chapters: ChapterRuns = ChapterRuns()) -> RunSummary:
    """A manuscript to finished audio: chapter files, the whole book and a manifest (see `RenderRequest`); the
    chapters render here or as deployment runs (see `ChapterRuns`)."""
    check_cache_url(request.segment_cache)  # before any work; the chapters save its storage block
    decisions = load_decisions(request.output_dir)  # a person's, per segment (OUT/review.json; the review desk)
    book = ingest_manuscript(request.manuscript, notes=request.notes, stage_directions=request.stage_directions)
    segments = segment_manuscript(book, lexicon=load_lexicon(book))
    save_request(request)  # OUT/.state/request.json: the review desk runs it again
    cover = prepare_cover(book, request.cover, Path(request.output_dir) / MASTERS / "cover.jpg")
    for warning in filter(None, [target_named(request.target).warning, *cover.warnings]):
        run_logger().warning(warning)  # the run's log; the CLI shows a run's warnings unless -q
    plan = plan_render(request, book, segments, cover, decisions)
    label_book_run(plan.title, request.output_dir)
    results = render_chapters(request, plan, chapters)
    package = package_chapters(request, plan, results, cover, book)
    review = write_review(plan.title, opaque(results), request.output_dir, decisions.approved_takes)
    summary = deliver_manifest(opaque(plan), opaque(results), package, request.output_dir, request.manuscript,
                               qc=qc_note(request.qc_mode, request.model), retakes=len(set(request.retake or [])),
                               review=review, cover=cover.source)
    return publish_summary(summary)


def plan_render(request: RenderRequest, book: Book, segments: pd.DataFrame, cover: Cover,
                decisions: ReviewDecisions = ReviewDecisions()) -> BookPlan:
    """The model pinned, every voice checked (a generated one made once and locked, with the book run's
    engine), the retakes recorded, a person's decisions applied, and every chapter laid out with its credits."""
    settings = pin_model(request.render_settings())
    narrator = voice_map(book, request.voice, None)[NARRATOR]
    cast = voices_of(cast_for(book, segments, Path(request.manuscript), narrator, request.cast))
    voices = resolve_voices(voice_map(book, request.voice, cast | (request.voices or {})), request.output_dir, settings)
    budgets = retake_budgets(request.retake or [], decisions, request.takes, request.max_attempts)
    offsets = seed_offsets(request.output_dir, request.retake, set(segments.id), budgets)
    return plan_book(book, segments, settings, voices, request.packaging(cover.path), offsets, request.credits,
                     decisions)


def render_chapters(request: RenderRequest, plan: BookPlan, runs: ChapterRuns) -> list[ChapterResult]:
    """Every chapter rendered and mastered, here (sub-flows sharing one engine) or as runs of the chapter
    deployment; the book's progress artifact (and the CLI's bar) follows them."""
    progress = BookProgress.of(plan.chapters)
    progress.start(f"progress-{slugify(plan.title)}")
    with progress.following():
        if runs.deployment:
            return run_chapter_deployments(runs.deployment, plan.chapters, request.output_dir, request.segment_cache,
                                           progress=progress, pickup_timeout_s=runs.pickup_timeout_s,
                                           timeout_s=runs.timeout_s)
        return render_chapters_here(render_chapter, plan.chapters, request.output_dir, request.segment_cache)


def package_chapters(request: RenderRequest, plan: BookPlan, chapters: list[ChapterResult], cover: Cover,
                     book: Book) -> BookPackage:
    """The target's package made from the chapters' masters (a read-along EPUB for an EPUB manuscript) and
    checked as encoded; an unchanged one is kept (a new target or format re-encodes, generating nothing)."""
    target, output_dir = target_named(request.target), Path(request.output_dir)
    key = plan.content_key([c.key for c in chapters] + [file_sha256(cover.path)])
    package = load_package(output_dir, key)
    if package is None:
        files = package_book(opaque(plan), opaque(chapters), output_dir)
        if Path(request.manuscript).suffix.lower() == ".epub":
            files += [Packaged(p, "read-along") for p in readalong_book(opaque(plan), opaque(chapters), book.language,
                                                                        output_dir)]
        audio = [(Path(f.path), f.kind) for f in files if f.kind in AUDIO_KINDS]
        checks = check_delivered_files(audio, target.rules)  # measured on the encoded files, once per package
        package = save_package(output_dir, key, BookPackage(files=files, checks=checks.verdicts(output_dir)))
    for line in package.checks.out_of_spec:
        print(f"Out of spec for {target.name}: {line}")
    return package
