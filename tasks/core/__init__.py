"""What every stage shares: errors, file utilities and the content key, the record store, names, clocks,
the run's logger, retries and Roman numerals."""

from .clock import clock, seconds_clock
from .errors import BarkbookError, ManuscriptError
from .failures import quiet_our_tracebacks
from .files import atomic_path, atomic_write_bytes, atomic_write_text, content_key, file_sha256
from .logs import run_logger
from .names import clip_words, counted, slugify
from .records import load_record, load_typed_record, record_path, save_record
from .retries import retrying
from .roman import ROMAN_PATTERN, roman_value

__all__ = ["BarkbookError", "ManuscriptError", "ROMAN_PATTERN", "atomic_path", "atomic_write_bytes", "atomic_write_text",
           "clip_words", "clock", "content_key", "counted", "file_sha256", "load_record", "load_typed_record",
           "quiet_our_tracebacks", "record_path", "retrying", "roman_value", "run_logger", "save_record",
           "seconds_clock", "slugify"]
