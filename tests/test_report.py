"""The report before rendering: what was dropped, chapters to look at, speakers, lexicon use."""

from tasks.manuscript.book import Book, Chapter, Skipped
from tasks.text.lexicon import NO_LEXICON, Lexicon, parse_entry
from tasks.text.report import book_report, report_lines
from tasks.text.segment import segment_book

PROSE = "The house stood at the end of a long road, and nobody had lived in it for many years. " * 3


def report_of(book: Book, lexicon: Lexicon = NO_LEXICON):
    return book_report(book, segment_book(book, lexicon=lexicon), lexicon)


def test_dropped_blocks_are_counted_by_kind_with_their_words():
    book = Book("B", "A", [Chapter("One", [PROSE])], skipped=[
        Skipped("boilerplate", "book.txt", 3000, "The Project Gutenberg eBook of Emma"),
        Skipped("contents", "book.txt", 40), Skipped("boilerplate", "book.txt", 200, "End of the Project")])
    report = report_of(book)
    assert {d.kind: (d.blocks, d.words) for d in report.dropped} == {"boilerplate": (2, 3200), "contents": (1, 40)}
    assert "  boilerplate: 2 blocks, 3200 words (“The Project Gutenberg eBook of Emma…”)" in report_lines(report)


def test_empty_short_and_repeated_chapters_are_flagged():
    book = Book("B", "A", [Chapter("One", [PROSE]), Chapter("Two", []), Chapter("Three", ["Yes."]),
                           Chapter("One", [PROSE])])
    flagged = {(note.number, note.problem.split()[0]) for note in report_of(book).chapters_to_check}
    assert flagged == {(1, "its"), (2, "empty"), (3, "only"), (4, "its")}


def test_speakers_are_listed_with_their_segment_counts():
    book = Book("B", "A", [Chapter("One", ["“I shall go to the station at once and wait,” said Holmes.", PROSE])])
    manifest = segment_book(book, lexicon=NO_LEXICON)
    report = book_report(book, manifest, NO_LEXICON)
    assert report.speakers == dict(manifest.speaker.value_counts())
    assert report.speakers["Holmes"] == 1 and list(report.speakers)[0] == "narrator"


def test_lexicon_entries_are_reported_with_how_often_they_matched():
    lexicon = Lexicon((parse_entry("house", "home", "a test", "t"), parse_entry("Orlick", "Or-lick", "", "t")))
    uses = {use.written: use.matches for use in report_of(Book("B", "A", [Chapter("One", [PROSE])]), lexicon).lexicon}
    assert uses == {"house": 3, "Orlick": 0}


def test_warnings_and_every_part_reach_the_printed_report_and_its_json():
    book = Book("B", "A", [Chapter("One", [PROSE])], skipped=[Skipped("notes", "ch1", 12)],
                warnings=["book.epub: no NCX; chapters read from the spine"])
    report = report_of(book)
    text = "\n".join(report_lines(report))
    assert "notes: 1 blocks, 12 words" in text and "no NCX" in text and "Speakers (segments): narrator" in text
    assert set(report.as_json()) == {"dropped", "warnings", "chapters_to_check", "speakers", "cast", "lexicon",
                                     "short_segments"}


def test_the_cast_lists_each_speaking_character_with_gender_and_lines():
    book = Book("B", "A", [Chapter("One", ["Emma shook her head.", "Emma hid her face, and Mr. Knightley laughed.",
                                           "“You are late, Emma,” said Mr. Knightley, and he sat down.",
                                           "“I know it,” said Emma, and she laughed."])])
    report = report_of(book)
    cast = {role.character: role for role in report.cast}
    assert (cast["Emma"].gender, cast["Emma"].lines) == ("F", 1)
    assert cast["Mr. Knightley"].gender == "M"
    assert "Cast (gender, lines):" in "\n".join(report_lines(report))
