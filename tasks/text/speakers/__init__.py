"""Who speaks each line, decided over the whole book: the book's quote marks and dash dialogue (quotes),
its characters (characters), speech tags in both orders (speech_tags, with the speech verbs of each
language as data in speech_verbs), each quote's speaker (attribution; conversations decoded whole in
turns), the runs of narration and speech a segment is cut from (speech), and the cast of voices (cast)."""

from .attribution import DIALOGUE, NARRATOR
from .cast import Role, book_cast, cast_file, cast_listing, cast_voices, read_cast_csv, voices_of, write_cast_csv
from .speech import BookSpeech, Run, book_runs, read_speech

__all__ = ["DIALOGUE", "NARRATOR", "BookSpeech", "Role", "Run", "book_cast", "book_runs", "cast_file", "cast_listing",
           "cast_voices", "read_cast_csv", "read_speech", "voices_of", "write_cast_csv"]
