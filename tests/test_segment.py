"""Segmentation: sentences packed into speakable segments, a validated manifest, stable ids, no loss."""

import json
from dataclasses import replace
from pathlib import Path

import nltk
import pandera.errors
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from tasks.core.errors import ManuscriptError
from tasks.manuscript.book import Book, Chapter
from tasks.manuscript.ingest import read_manuscript
from tasks.text.normalize import normalize_for_speech, normalize_heading
from tasks.text.lexicon import NO_LEXICON
from tasks.text.segment import (
    DIALOGUE,
    NARRATOR,
    SegmentTable,
    SegmentationSettings,
    segments_json,
    segments_summary,
    paragraph_pieces,
    segment_book,
)
from tasks.text.sentences import sentence_tokenizer, split_sentences

REPO = Path(__file__).resolve().parents[1]
SETTINGS = SegmentationSettings()
PLAIN = replace(SETTINGS, speak_titles=False)
UNJOINED = replace(PLAIN, min_seconds=0.0)  # no fragment is short: paragraphs and pauses as written


def segment(book: Book, settings: SegmentationSettings = SETTINGS):
    return segment_book(book, settings, lexicon=NO_LEXICON)


def book_of(*chapters: list[str], title: str = "Book") -> Book:
    return Book(title, "Author", [Chapter(f"Chapter {i + 1}", list(p)) for i, p in enumerate(chapters)])


def words(n: int, stem: str = "word") -> str:
    """n distinct words without digits (normalization spells digits, which would add words)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return " ".join(f"{stem}{letters[i // 26]}{letters[i % 26]}" for i in range(n))


def flat(text: str) -> str:
    return " ".join(text.split())


# --- sentences ---------------------------------------------------------------------------------


@pytest.fixture
def offline_nltk(monkeypatch):
    """No punkt data and no downloads: the fallback must work alone."""
    def no_download(*args, **kwargs):
        raise AssertionError("nltk.download must never be called")

    def no_data(name, *args, **kwargs):
        raise LookupError(name)

    monkeypatch.setattr(nltk, "download", no_download)
    monkeypatch.setattr(nltk.data, "find", no_data)
    sentence_tokenizer.cache_clear()
    yield
    sentence_tokenizer.cache_clear()


def test_fallback_splitter_knows_english_abbreviations(offline_nltk):
    text = "Mr. Smith met Dr. Jones at 5 p.m. on Main St. yesterday. They talked, e.g. about rain. Then he left!"
    assert split_sentences(text) == [
        "Mr. Smith met Dr. Jones at 5 p.m. on Main St. yesterday.",
        "They talked, e.g. about rain.",
        "Then he left!",
    ]


def test_fallback_splitter_keeps_closing_quotes_with_their_sentence(offline_nltk):
    assert split_sentences('He said "Stop." Then he left.') == ['He said "Stop."', "Then he left."]


def test_installed_punkt_tab_data_is_used(tmp_path, monkeypatch):
    model = tmp_path / "tokenizers" / "punkt_tab" / "english"
    model.mkdir(parents=True)
    for name in ("collocations.tab", "sent_starters.txt", "ortho_context.tab"):
        (model / name).write_text("")
    (model / "abbrev_types.txt").write_text("zq\n")
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)] + list(nltk.data.path))
    sentence_tokenizer.cache_clear()
    try:
        assert split_sentences("Meet Zq. Brown today. Bye.") == ["Meet Zq. Brown today.", "Bye."]
    finally:
        sentence_tokenizer.cache_clear()


# --- packing -----------------------------------------------------------------------------------


def test_short_sentences_of_a_paragraph_share_a_segment():
    manifest = segment(book_of(["It rained. We stayed in. The cat slept."]), PLAIN)
    assert manifest.text.tolist() == ["It rained. We stayed in. The cat slept."]


def test_segments_never_cross_a_paragraph_when_neither_is_short():
    manifest = segment(book_of(["First one.", "Second one."]), UNJOINED)
    assert manifest.text.tolist() == ["First one.", "Second one."]


def test_sentences_fill_segments_up_to_the_time_limit():
    sentence = words(20) + "."  # 20 words ~ 7.4 s: two do not fit in 13 s
    manifest = segment(book_of([" ".join([sentence] * 3)]), PLAIN)
    assert len(manifest) == 3
    assert (manifest.seconds <= SETTINGS.max_seconds).all()


def test_an_overlong_sentence_splits_at_clause_boundaries_not_inside_words():
    clauses = [words(20, "alpha"), words(20, "beta"), words(20, "gamma")]  # 7.4 s each
    sentence = "; ".join(clauses) + "."
    manifest = segment(book_of([sentence]), PLAIN)
    assert manifest.text.tolist() == [clauses[0] + ";", clauses[1] + ";", clauses[2] + "."]


def test_clause_splits_prefer_commas_then_conjunctions():
    first, second = words(20, "x"), words(20, "y")
    manifest = segment(book_of([f"{first} and {second}."]), PLAIN)
    assert manifest.text.tolist() == [first, f"and {second}."]


def test_a_sentence_without_any_boundary_splits_between_words():
    manifest = segment(book_of([words(80) + "."]), PLAIN)
    assert len(manifest) >= 3
    assert flat(" ".join(manifest.text)).split() == (words(80) + ".").split()
    assert (manifest.seconds <= SETTINGS.max_seconds).all()


def test_token_limit_binds_for_long_words():
    long_words = " ".join(["incomprehensibilities"] * 20) + "."  # 20 words, 7.4 s, but ~420 characters
    manifest = segment(book_of([long_words]), PLAIN)
    assert len(manifest) >= 2
    assert all(sum(not c.isspace() for c in s) <= 256 for s in manifest.spoken)


def test_count_tokens_can_be_overridden():
    strict = replace(PLAIN, count_tokens=lambda text: len(text.split()), max_tokens=3)
    manifest = segment(book_of(["One two three. Four five six."]), strict)
    assert manifest.text.tolist() == ["One two three.", "Four five six."]


def test_calibrated_rate_sets_estimated_seconds():
    manifest = segment(book_of([words(27) + "."]), replace(PLAIN, words_per_second=2.7))
    assert manifest.seconds.tolist() == [pytest.approx(10.0)]


def test_a_word_too_long_for_any_segment_is_a_manuscript_error():
    book = book_of(["x" * 300])
    book.source = Path("novel.txt")
    with pytest.raises(ManuscriptError, match=r"novel\.txt.*too long"):
        segment(book, PLAIN)


# --- pauses and titles -------------------------------------------------------------------------


def test_boundaries_become_pauses():
    sentence = words(20) + "."
    manifest = segment(book_of([f"{sentence} {sentence}", "Short."], ["Last."]), UNJOINED)
    assert manifest.pause_after.tolist() == [
        SETTINGS.sentence_pause, SETTINGS.paragraph_pause, SETTINGS.chapter_pause, SETTINGS.chapter_pause
    ]


def test_chapter_titles_are_spoken_first():
    manifest = segment(book_of(["Hello there."]), replace(SETTINGS, min_seconds=0.0))
    assert manifest.spoken.tolist() == [normalize_heading("Chapter 1"), "Hello there."]
    assert manifest.pause_after.tolist()[0] == SETTINGS.paragraph_pause


def test_spoken_text_is_normalized_and_source_text_kept():
    manifest = segment(book_of(["Mr. Fox paid $5 in 1984."]), PLAIN)
    assert manifest.text.tolist() == ["Mr. Fox paid $5 in 1984."]
    assert manifest.spoken.tolist() == ["Mister Fox paid five dollars in nineteen eighty-four."]


def test_all_capitals_paragraph_is_read_as_a_heading_not_a_shout():
    manifest = segment(book_of(["THE END"]), PLAIN)
    assert manifest.spoken.tolist() == ["The End."]


# --- dialogue ----------------------------------------------------------------------------------


def test_quoted_speech_gets_a_speaker_of_its_own():
    paragraph = 'The old man looked up from the fire and said: "I will never sell this house to anyone."'
    manifest = segment(book_of([paragraph]), PLAIN)
    assert manifest.speaker.tolist() == [NARRATOR, DIALOGUE]
    assert manifest.text.tolist()[1] == '"I will never sell this house to anyone."'


def test_named_speaker_is_taken_from_the_tag():
    paragraph = '"If you would only spare my life, I would repay you," said the Mouse, trembling all over with fear.'
    manifest = segment(book_of([paragraph]), PLAIN)
    assert manifest.speaker.tolist() == ["Mouse", NARRATOR]


def test_a_short_quote_keeps_its_own_speaker():
    """Issue 33: a new speaker always starts a new segment, so a short line is never voiced as narration."""
    manifest = segment(book_of(['"No!" he said, and walked away into the dark night alone.']), PLAIN)
    assert manifest.speaker.tolist() == [DIALOGUE, NARRATOR]


def test_a_short_tag_joins_its_speech_and_two_speakers_never_share_a_segment():
    manifest = segment(book_of(['"Alone?" said Holmes.', '"She went with you all alone?" "All alone."']), PLAIN)
    assert manifest.speaker.tolist()[0] == "Holmes" and "said Holmes" in manifest.text.tolist()[0]
    assert all('" "' not in text for text in manifest.text)


def test_scare_quotes_are_not_speech():
    manifest = segment(book_of(['The so-called "experts" were wrong about the weather again today.']), PLAIN)
    assert manifest.speaker.tolist() == [NARRATOR]


# --- ids ---------------------------------------------------------------------------------------


def long_book(edit: str = "The fox ran away.") -> Book:
    return book_of(
        [words(20, "a") + ". " + words(20, "b") + ".", edit + " " + words(30, "c") + "."],
        ["The end.", words(10, "d") + "."],
    )


def test_ids_are_stable_across_runs():
    assert segment(long_book()).id.tolist() == segment(long_book()).id.tolist()


def test_editing_one_sentence_changes_only_its_segment_id():
    before = segment(long_book())
    after = segment(long_book("The cat ran away."))
    changed = [i for i, (a, b) in enumerate(zip(before.id, after.id)) if a != b]
    assert len(before) == len(after)
    assert changed == [i for i, text in enumerate(after.text) if "The cat ran away." in text]
    assert len(changed) == 1


def test_identical_sentences_in_different_places_get_distinct_ids():
    manifest = segment(book_of(["The end."], ["The end."], ["The end."]), PLAIN)
    assert manifest.id.nunique() == 3


def test_inserting_a_chapter_keeps_the_other_ids():
    before = segment(long_book())
    longer = long_book()
    longer.chapters.insert(0, Chapter("Preface", ["A brand new preface."]))
    after = segment(longer)
    assert set(before.id) <= set(after.id)


# --- the manifest ------------------------------------------------------------------------------


def test_manifest_columns_follow_the_schema():
    manifest = segment(read_manuscript(REPO / "manuscripts" / "aesop-fables.md"))
    assert list(manifest.columns) == ["id", "chapter_index", "chapter_title", "segment_index", "paragraph_index",
                                      "text", "spoken", "seconds", "pause_after", "speaker"]
    assert manifest.id.str.fullmatch(r"[0-9a-f]{16}").all()


def test_each_segment_carries_the_paragraph_it_starts_in_lead_and_headings_counted():
    book = Book("Book", "Author", [Chapter("Chapter One", [f"{words(30, 'first')}. {words(30, 'second')}.", words(8, "third") + "."],
                                           lead=["For my mother, who read to me."])])
    manifest = segment(book, SETTINGS)
    by_paragraph = manifest.groupby("paragraph_index").text.apply(" ".join)
    assert list(by_paragraph.index) == [0, 1, 2, 3]  # lead, heading, two paragraphs
    assert by_paragraph[0].startswith("For my mother") and by_paragraph[1] == "Chapter One"
    assert by_paragraph[2].startswith("first") and by_paragraph[3].startswith("third")
    assert manifest.paragraph_index[manifest.text.str.startswith("second")].tolist() == [2]  # a paragraph's second segment


def test_schema_rejects_an_empty_segment_and_out_of_order_rows():
    manifest = segment(book_of(["One sentence here.", "Another one there."]), UNJOINED)
    empty = manifest.copy()
    empty.loc[0, "spoken"] = "  "
    with pytest.raises(pandera.errors.SchemaError):
        SegmentTable.validate(empty)
    with pytest.raises(pandera.errors.SchemaError):
        SegmentTable.validate(manifest.iloc[::-1].reset_index(drop=True))


def test_segments_json_shape():
    book = read_manuscript(REPO / "manuscripts" / "aesop-fables.md")
    data = json.loads(json.dumps(segments_json(book, segment(book))))
    assert (data["title"], data["author"]) == ("Three Fables of Aesop", "Aesop")
    assert [c["title"] for c in data["chapters"]] == [c.title for c in book.chapters]
    first = data["chapters"][0]["segments"][0]
    assert {"id", "text", "spoken", "seconds", "pause_after"} <= set(first)
    assert first["seconds"] > 0


def test_summary_counts_chapters_segments_and_minutes():
    book = read_manuscript(REPO / "manuscripts" / "aesop-fables.md")
    manifest = segment(book)
    summary = segments_summary(book, manifest)
    minutes = (manifest.seconds.sum() + manifest.pause_after.sum()) / 60
    assert f"3 chapters, {len(manifest)} segments, about {minutes:.1f} min" in summary
    assert "The Lion and the Mouse" in summary


# --- lossless, as a property -------------------------------------------------------------------

# Abbreviations that may end a sentence ('etc.', 'St.') are left out: they read by what follows,
# and punkt may cut a sentence right after one, where the reading then differs by a period.
VOCABULARY = ["the", "Fox", "ran", "quickly", "over", "Mr.", "Dr.", "Smith", "42", "1,234", "3.5", "1984",
              "$5", "12%", "FBI", "NO", "[laughs]", "and", "but", "because", "—", "said", "e.g.", "café",
              "don't", "well-known", "7th", "#3", "&"]
word_lists = st.lists(st.sampled_from(VOCABULARY), min_size=0, max_size=45)
sentences = st.builds(
    lambda first, rest, mid, end: " ".join([first] + [w + mid if i % 7 == 6 else w for i, w in enumerate(rest)]) + end,
    st.sampled_from(["The", "A", "Then", "Once"]), word_lists, st.sampled_from(["", ",", ";", ":"]),
    st.sampled_from([".", "!", "?", "..."]),
)
paragraphs = st.lists(sentences, min_size=1, max_size=4).map(" ".join)
quoted = st.tuples(paragraphs, st.booleans()).map(lambda p: f'He said: "{p[0]}" and left.' if p[1] else p[0])


@hsettings(max_examples=80, deadline=None)
@given(st.lists(quoted, min_size=1, max_size=4))
def test_segments_join_back_to_the_chapter_text_and_its_spoken_form(paragraphs_):
    manifest = segment(book_of(paragraphs_), PLAIN)
    assert (manifest.text.str.strip() != "").all() and (manifest.spoken.str.strip() != "").all()
    assert manifest.segment_index.tolist() == list(range(len(manifest)))
    assert flat(" ".join(manifest.text)) == flat(" ".join(paragraphs_))  # a cut inside a word would add a space
    expected = " ".join(normalize_for_speech(p) for p in paragraphs_)
    assert flat(" ".join(manifest.spoken)) == flat(expected)
    assert (manifest.seconds <= SETTINGS.max_seconds).all()
    assert all(sum(not c.isspace() for c in s) <= SETTINGS.max_tokens for s in manifest.spoken)


# --- short fragments ---------------------------------------------------------------------------


def test_the_spoken_headings_are_read_each_normalized_as_a_heading():
    chapter = Chapter("Volume Two, Chapter Three", ["It was night."], headings=["VOLUME II", "CHAPTER III"])
    manifest = segment(Book("B", "A", [chapter]), replace(SETTINGS, min_seconds=0.0))
    assert manifest.spoken.tolist()[:2] == [normalize_heading("VOLUME II"), normalize_heading("CHAPTER III")]
    assert set(manifest.chapter_title) == {"Volume Two, Chapter Three"}



def test_an_opening_epigraph_is_read_before_the_chapters_headings():
    chapter = Chapter("I. The Burial", ["April is the cruellest month."], lead=["For Ezra Pound, il miglior fabbro."])
    manifest = segment(Book("B", "A", [chapter]), replace(SETTINGS, min_seconds=0.0))
    assert manifest.text.tolist() == ["For Ezra Pound, il miglior fabbro.", "I. The Burial", "April is the cruellest month."]

def test_a_short_paragraph_joins_the_next_one_of_the_same_speaker():
    manifest = segment(book_of(["It rained.", words(12) + "."]), PLAIN)
    assert manifest.text.tolist() == ["It rained. " + words(12) + "."]
    assert manifest.pause_after.tolist() == [SETTINGS.chapter_pause]


def test_short_paragraphs_of_different_speakers_stay_apart():
    manifest = segment(book_of(["“Yes, we shall go at once,” said Holmes.", "“I will not,” said Watson."]), PLAIN)
    assert manifest.speaker.tolist() == ["Holmes", "Watson"]


def test_a_short_last_sentence_takes_sentences_from_the_segment_before():
    sentences = [words(11, stem) + "." for stem in ("a", "b", "c")] + ["Then he left."]  # 36 words: over 13 s
    manifest = segment(book_of([" ".join(sentences)]), PLAIN)
    assert len(manifest) == 2 and (manifest.seconds >= SETTINGS.min_seconds).all()
    assert flat(" ".join(manifest.text)) == " ".join(sentences)


def test_a_fragment_too_long_to_join_stays_alone():
    long = words(35) + "."  # 12.96 s: nothing more fits
    manifest = segment(book_of([long, "Yes.", long]), PLAIN)
    assert manifest.text.tolist() == [long, "Yes.", long]


def test_headings_join_each_other_but_not_the_text():
    chapter = Chapter("Volume Two, Chapter Three", ["It was night."], headings=["Volume Two", "Chapter Three"])
    manifest = segment(Book("B", "A", [chapter]))
    assert manifest.text.tolist() == ["Volume Two Chapter Three", "It was night."]
    assert manifest.pause_after.tolist()[0] == SETTINGS.paragraph_pause


def test_a_segment_whose_whole_reading_is_longer_than_its_sentences_is_packed_again():
    def reading(text: str) -> str:  # as if two sentences together read as many more words ('St.' + name)
        return text + " and so on" * 12 if text.count(".") > 1 else text

    pieces = paragraph_pieces([(NARRATOR, "One two three. Four five six.")], reading, PLAIN, "test")
    assert [p.text for p in pieces] == ["One two three.", "Four five six."]
    assert all(PLAIN.fits(p.spoken) and p.spoken == reading(p.text) for p in pieces)


@pytest.mark.parametrize("language, text, sentences", [
    ("fr", "Il y avait vu la fameuse Mme de Genlis, M. Ducrest, l'inventeur. Ces personnages partaient.",
     ["Il y avait vu la fameuse Mme de Genlis, M. Ducrest, l'inventeur.", "Ces personnages partaient."]),
    ("es", "Allá veremos, D. Francisco. ¿Tiene usted valor?", ["Allá veremos, D. Francisco.", "¿Tiene usted valor?"]),
    ("de", "Das sagte Hr. Müller gestern. Dann ging er.", ["Das sagte Hr. Müller gestern.", "Dann ging er."]),
])
def test_a_title_of_the_books_language_never_ends_a_sentence(language, text, sentences):
    """A cut after 'M.' would normalize the title alone and leave 'M.' unread (the name is in the next piece)."""
    from tasks.text.sentences import split_sentences

    assert split_sentences(text, language) == sentences
