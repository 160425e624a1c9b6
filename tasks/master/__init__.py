"""Master: a chapter's kept takes → its lossless master at ACX levels, where each segment lies in it (spans,
cut points), its QC report, loudness plot and review items — the `ChapterResult` packaging starts from —
and the delivery rules and measures every encoded file is checked against."""

from .audio import DELIVERY_RATE, FFMPEG, AudioSegment, to_array, to_segment
from .chapter import MASTERS, ChapterFile, ChapterResult, load_chapter, save_chapter
from .checks import (ACX, AUDIO_KINDS, GENERIC, NONE, DeliveryReport, DeliveryRules, DeliveryVerdicts,
                     check_delivered_files)
from .formats import AUDIO_FORMATS, CHAPTER_FORMATS, LOSSLESS, AudioFormat
from .layout import SegmentSpan, chapter_spans, cut_points, shifted, spans_between
from .loudness_plot import plot_chapter
from .mastering import MASTERING, Master, MasteringSettings, master_segments
from .qc_report import QCSummary, report_qc
from .review_items import ReviewItem, review_items

__all__ = ["ACX", "AUDIO_FORMATS", "AUDIO_KINDS", "CHAPTER_FORMATS", "LOSSLESS", "AudioFormat", "DELIVERY_RATE", "FFMPEG", "MASTERING", "Master", "GENERIC", "MASTERS", "NONE", "AudioSegment", "ChapterFile",
           "ChapterResult", "DeliveryReport", "DeliveryRules", "DeliveryVerdicts", "MasteringSettings", "QCSummary", "ReviewItem",
           "SegmentSpan", "chapter_spans", "check_delivered_files", "cut_points", "load_chapter",
           "master_segments", "plot_chapter", "report_qc", "review_items", "save_chapter", "shifted",
           "spans_between", "to_array", "to_segment"]
