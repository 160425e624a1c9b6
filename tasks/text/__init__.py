"""Book → segments: the producer's lexicon, speech normalization, sentences, speakers, and the segment table
(one validated row a segment) with the report `barkbook segment` prints."""

from .lexicon import NO_LEXICON, Lexicon, load_lexicon
from .report import BookReport, book_report, report_lines
from .segment import SegmentTable, SegmentationSettings, segments_json, segments_summary, segment_book, segment_manuscript
from .speakers import DIALOGUE, NARRATOR

__all__ = ["DIALOGUE", "NARRATOR", "NO_LEXICON", "BookReport", "Lexicon", "SegmentTable", "SegmentationSettings",
           "book_report", "load_lexicon", "segments_json", "segments_summary", "report_lines", "segment_book",
           "segment_manuscript"]
