"""Plan: the request and everything a render needs decided up front — voices, model fingerprint, settings,
retakes — as plain validated data (`BookPlan`), and the names the UI shows."""

from .credits import CLOSING, OPENING, CreditWording
from .decisions import DECISIONS_FILE, ReviewDecisions, SegmentDecision, load_decisions, save_decisions
from .defaults import DEFAULT_MODEL, DEFAULT_OUTPUT_DIR
from .estimate import estimated_render_seconds
from .models import BookPlan, ChapterPlan, Packaging, RenderSettings, SegmentPlan
from .names import (book_run_name, book_tag, chapter_artifact_key, chapter_run_name, render_task_name,
                    segment_label)
from .planning import ai_voice_label, pin_model, plan_book
from .retakes import RETAKE_FILE, REVIEW_FILE, load_seed_offsets, retake_budgets, seed_offsets
from .voices import CAST_MODES, GENERATE, CastMode, cast_for, locked_voice_path, voice_digests, voice_map

__all__ = ["CAST_MODES", "CLOSING", "DECISIONS_FILE", "DEFAULT_MODEL", "DEFAULT_OUTPUT_DIR", "GENERATE", "OPENING",
           "RETAKE_FILE", "REVIEW_FILE", "BookPlan", "CastMode", "ChapterPlan", "CreditWording", "Packaging",
           "RenderSettings", "ReviewDecisions", "SegmentDecision", "SegmentPlan", "cast_for",
           "ai_voice_label", "book_run_name", "book_tag", "chapter_artifact_key", "chapter_run_name",
           "estimated_render_seconds", "load_decisions", "load_seed_offsets", "locked_voice_path", "pin_model",
           "plan_book", "render_task_name", "retake_budgets", "save_decisions", "seed_offsets", "segment_label", "voice_digests", "voice_map"]
