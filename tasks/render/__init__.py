"""Render: the engines (an `EnginePool` its owner lends to the chapter's tasks), each segment's takes cached
as tokens and checked, the best kept; generated voices locked; progress as segments finish."""

from .engines import EngineKey, EnginePool, EngineTaskRunner, PlanMismatchError, lend, lent_pool
from .progress import BookPlanned, BookProgress, ChapterProgress, SegmentDone, add_listener, remove_listener
from .segments import (RenderedSegment, check_chapter_voice, decode_kept_takes, render_chapter_segments,
                       render_segments, segment_cache_key, take_cache_key, with_audio)
from .voices import lock_generated_voices, resolve_voices

__all__ = ["BookPlanned", "BookProgress", "ChapterProgress", "EngineKey", "EnginePool", "EngineTaskRunner",
           "PlanMismatchError", "RenderedSegment", "SegmentDone", "add_listener", "check_chapter_voice",
           "decode_kept_takes", "lend", "lent_pool", "lock_generated_voices", "remove_listener",
           "render_chapter_segments", "render_segments", "resolve_voices", "segment_cache_key", "take_cache_key",
           "with_audio"]
