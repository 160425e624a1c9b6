"""Speakers: the book's own quote marks, names as the book writes them, one label per character."""

from collections import Counter

from hypothesis import given, settings as hsettings, strategies as st

from tasks.manuscript.book import Book, Chapter
from tasks.text.speakers import DIALOGUE, NARRATOR, WordUse, book_runs, cast, clean_name, quote_style


def book_of(*paragraphs: str) -> Book:
    return Book("Book", "Author", [Chapter("One", list(paragraphs))])


def speakers(*paragraphs: str) -> list[list[str]]:
    """Each paragraph's speakers of speech (narration left out)."""
    return [[who for who, _ in runs if who != NARRATOR] for runs in book_runs(book_of(*paragraphs))[0]]


def test_the_mark_that_opens_most_paragraphs_is_the_books_dialogue_mark():
    book = book_of("‘Come here,’ said Alice.", "She went.", "‘Why?’ said the Queen.")
    assert quote_style(book).open == "‘"
    assert quote_style(book_of('"Come," said Alice.', "She went.")).open == '"'


def test_single_curly_quotes_are_speech_and_apostrophes_are_not_marks():
    runs = book_runs(book_of("‘I don’t know,’ said Alice, ‘what the boys’ room is for.’", "It was late."))[0][0]
    assert runs == [("Alice", "‘I don’t know,’"), (NARRATOR, "said Alice,"), ("Alice", "‘what the boys’ room is for.’")]


def test_straight_single_quotes_are_speech_and_contractions_are_not_marks():
    runs = book_runs(book_of("'I can't help it,' said Alice. 'I'm growing, and 'tis no fault of mine.'"))[0][0]
    assert [who for who, _ in runs] == ["Alice", NARRATOR, "Alice"]
    assert runs[2][1] == "'I'm growing, and 'tis no fault of mine.'"


def test_a_leading_elision_does_not_open_a_quotation():
    assert speakers("’Tis a pity, said the old woman, and the boys’ dog ran off down the lane.",
                    "‘Go home,’ said Alice.") == [[], ["Alice"]]


def test_nested_quotes_stay_inside_the_speech():
    runs = book_runs(book_of("“He told me ‘go away at once’ and left,” said Holmes.", "“Odd,” said Holmes."))[0][0]
    assert runs[0] == ("Holmes", "“He told me ‘go away at once’ and left,”")


def test_a_title_and_a_surname_are_one_name():
    assert speakers("“Badly done, Emma, badly done,” said Mr. Knightley.",
                    "Mr. Knightley said, “I cannot see you talk in this way.”") == [["Mr. Knightley"]] * 2


def test_a_bare_title_or_a_common_word_is_never_a_name():
    words = WordUse.of(book_of("It was very late and very cold, and very dark."))
    assert clean_name("Mr", words) is None
    assert clean_name("Very", words) is None
    assert speakers('"Shall we go on now?" Very quietly said the old man, looking at the road.',
                    "It was very late and very cold.") == [[DIALOGUE], []]


def test_words_before_a_name_in_a_tag_are_dropped():
    assert speakers("“You are late,” said Holmes.", "Then Holmes said, “Come in at once, Watson.”") == [["Holmes"]] * 2


def test_a_surname_and_a_full_name_are_one_speaker():
    labels = cast(Counter({"Holmes": 30, "Sherlock Holmes": 3, "Sherlock": 1}))
    assert set(labels.values()) == {"Holmes"}


def test_two_titled_people_of_one_family_stay_apart():
    labels = cast(Counter({"Mr. Bennet": 10, "Mrs. Bennet": 20, "Bennet": 2}))
    assert len(set(labels.values())) == 3


def test_a_speech_running_over_paragraphs_keeps_its_speaker():
    assert speakers("“It was a dark night,” said Holmes, “and the wind was high.",
                    "“Then the door opened and a man walked in.”",
                    "“Who was he?”") == [["Holmes", "Holmes"], ["Holmes"], [DIALOGUE]]


def test_a_paragraph_without_an_opening_mark_ends_the_speech():
    assert speakers("“It was a dark night,” said Holmes, “and the wind was high.",
                    "The fire had gone out by the time he had finished.") == [["Holmes", "Holmes"], []]


def test_scare_quotes_are_narration():
    assert speakers("The so-called ‘experts’ were wrong again.", "‘Yes,’ said Alice.") == [[], ["Alice"]]


def test_a_first_person_tag_gives_the_speech_to_the_narrator():
    chapter = book_runs(book_of("“It is quite a pretty little problem,” said I.", "“You think so?” I answered."))[0]
    assert {who for runs in chapter for who, _ in runs} == {NARRATOR}


def test_an_exchange_of_two_named_speakers_alternates_over_untagged_lines():
    assert speakers("“Where were you last night?” asked Holmes.", "“At home, sir, all evening,” said Wilson.",
                    "“And your wife?”", "“She was with me.”",
                    "The fire crackled.", "“Who is there?”") == [["Holmes"], ["Wilson"], ["Holmes"], ["Wilson"], [], [DIALOGUE]]


def test_a_dropped_g_is_an_apostrophe_not_the_end_of_the_speech():
    runs = book_runs(book_of("‘I’m goin’ home now,’ said Tom.", "‘Good,’ said Alice."))[0][0]
    assert runs[0] == ("Tom", "‘I’m goin’ home now,’")


def test_a_full_name_may_hold_a_common_word():
    assert speakers("“I will find him,” said Jefferson Hope.", "There was hope yet, and some hope of rest.") == [
        ["Jefferson Hope"], []]


def test_a_name_ends_at_the_end_of_its_sentence():
    assert speakers("“We must go,” said John Ferrier. His Mormon neighbours said nothing.",
                    "“Go where?” asked Lucy.") == [["John Ferrier"], ["Lucy"]]


TOKENS = ["Alice", "said", "the", "boys’", "don’t", "’tis", "‘Yes,’", "‘No", "one.’", "“Oh,”", "“so", "it", "goes.”",
          "'Well,'", "'twas", "can't", '"Come', 'in,"', "Holmes", "—", "«Oui»", "Mr.", "Knightley"]
paragraph_texts = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=30).map(" ".join)


@hsettings(max_examples=150, deadline=None)
@given(st.lists(paragraph_texts, min_size=1, max_size=5))
def test_runs_give_back_every_paragraph_whatever_its_marks(paragraphs):
    for text, runs in zip(paragraphs, book_runs(book_of(*paragraphs))[0]):
        assert " ".join(" ".join(run for _, run in runs).split()) == " ".join(text.split())
        assert all(run.strip() and who for who, run in runs)


def test_punctuation_after_a_closing_mark_stays_with_the_speech():
    runs = book_runs(book_of("‘I don’t know’, said Alice, ‘what it means’."))[0][0]
    assert runs == [("Alice", "‘I don’t know’,"), (NARRATOR, "said Alice,"), ("Alice", "‘what it means’.")]


def test_a_title_a_first_name_and_both_are_one_person():
    labels = cast(Counter({"Mr. Wilson": 20, "Jabez Wilson": 5, "Mr. Jabez Wilson": 3, "Wilson": 1}))
    assert set(labels.values()) == {"Mr. Wilson"}


def test_two_first_names_of_one_surname_stay_apart():
    labels = cast(Counter({"Sherlock Holmes": 5, "Mycroft Holmes": 3, "Holmes": 40}))
    assert len(set(labels.values())) == 3
