"""Speech normalization: each rule says what a narrator would read."""

import pytest

from tasks.normalize import normalize_for_speech, normalize_heading, spell_number, spell_ordinal, spell_year


def say(text: str) -> str:
    return normalize_for_speech(text, "en")


@pytest.mark.parametrize(
    "n, words",
    [(0, "zero"), (13, "thirteen"), (40, "forty"), (99, "ninety-nine"), (105, "one hundred five"),
     (1234, "one thousand two hundred thirty-four"), (2_000_017, "two million seventeen")],
)
def test_spells_cardinal_numbers(n, words):
    assert spell_number(n) == words


@pytest.mark.parametrize("n, words", [(1, "first"), (2, "second"), (12, "twelfth"), (20, "twentieth"),
                                      (23, "twenty-third"), (100, "one hundredth")])
def test_spells_ordinals(n, words):
    assert spell_ordinal(n) == words


@pytest.mark.parametrize("n, words", [(1984, "nineteen eighty-four"), (1900, "nineteen hundred"),
                                      (1905, "nineteen oh five"), (2005, "two thousand five"), (2019, "twenty nineteen")])
def test_spells_years_as_people_say_them(n, words):
    assert spell_year(n) == words


def test_numbers_in_text_with_grouping_decimals_and_signs():
    assert say("He counted 1,234 sheep, 3.5 goats and -4 cows.") == (
        "He counted one thousand two hundred thirty-four sheep, three point five goats and minus four cows."
    )


def test_long_digit_strings_and_leading_zeros_are_read_digit_by_digit():
    assert say("Agent 007 called 12345678901234567.") == (
        "Agent zero zero seven called one two three four five six seven eight nine zero one two three four five six seven."
    )


def test_ordinals_in_text():
    assert say("She came 1st and he came 22nd.") == "She came first and he came twenty-second."


def test_years_and_decades():
    assert say("In 1984 the 1960s felt far away.") == "In nineteen eighty-four the nineteen sixties felt far away."


def test_currency():
    assert say("It cost $5.50, then £1 and €20.") == (
        "It cost five dollars and fifty cents, then one pound and twenty euros."
    )
    assert say("A $2.5 million deal for $0.99.") == "A two point five million dollars deal for ninety-nine cents."


def test_percentages():
    assert say("Only 12% and 3.5% agreed.") == "Only twelve percent and three point five percent agreed."


def test_times():
    assert say("We met at 10:05, left at 3:00 and slept at 11 p.m.") == (
        "We met at ten oh five, left at three o'clock and slept at eleven p m."
    )


def test_dates():
    assert say("Born January 5, 2021.") == "Born January fifth, twenty twenty-one."
    assert say("On 2021-03-04 it rained.") == "On March fourth, twenty twenty-one it rained."
    assert say("Since 4 July 1776 we know.") == "Since the fourth of July, seventeen seventy-six we know."


@pytest.mark.parametrize(
    "written, spoken",
    [("Mr. Holmes met Dr. Watson.", "Mister Holmes met Doctor Watson."),
     ("St. Paul lived on Baker St. in town.", "Saint Paul lived on Baker Street in town."),
     ("Apples, pears, etc. Then plums.", "Apples, pears, et cetera. Then plums."),
     ("Apples, etc., and plums.", "Apples, et cetera, and plums."),
     ("See No. 5 on p. 12, e.g. here.", "See number five on page twelve, for example here.")],
)
def test_common_abbreviations(written, spoken):
    assert say(written) == spoken


def test_roman_numerals_after_chapter_words_and_names():
    assert say("Henry VIII read Chapter IV during World War II.") == (
        "Henry the eighth read Chapter four during World War two."
    )


def test_urls_and_emails_are_read_out():
    assert say("Visit https://www.example.com/a-b today.") == "Visit w w w dot example dot com slash a dash b today."
    assert say("Write to jane.doe@example.org please.") == "Write to jane dot doe at example dot org please."


def test_symbols_become_words():
    assert say("Salt & pepper, 2 + 2 = 4, 30° and #1.") == "Salt and pepper, two plus two equals four, thirty degrees and number one."


def test_quotes_dashes_and_ellipses_are_unified():
    assert say("\u201cWell\u201d -- she said \u2018no\u2019 \u2013 wait\u2026 then . . . ok") == (
        "\"Well\" — she said 'no' — wait... then... ok"
    )
    assert say("pages 10\u201312") == "pages ten to twelve"


def test_footnote_markers_are_removed():
    assert say("True[1] and false[^2] and maybe\u00b3 so\u2020.") == "True and false and maybe so."


def test_editorial_brackets_are_neutralized():
    assert say("He wrote [sic] that [the king] was away.") == "He wrote that the king was away."
    assert "[" not in say("a stray ] bracket [ here")


@pytest.mark.parametrize("cue", ["[laughs]", "[sighs]", "[music]", "[gasps]", "[clears throat]", "[laughter]"])
def test_bark_cues_on_the_allow_list_pass_through(cue):
    assert say(f"Well {cue} that was funny.") == f"Well {cue} that was funny."


def test_cue_spelling_is_canonicalized():
    assert say("Oh [Laughs] no [MUSIC] ♪ la la ♫") == "Oh [laughs] no [music] ♪ la la ♪"


def test_acronyms_are_spelled_out_not_shouted():
    assert say("The FBI and the BBC met NASA in the U.S.A. today.") == (
        "The F B I and the B B C met Nasa in the U S A today."
    )


def test_emphasis_in_capitals_is_kept():
    assert say("I said NO and I meant it.") == "I said NO and I meant it."


def test_shouting_caps_headings_are_title_cased():
    assert normalize_heading("CHAPTER IV") == "Chapter four."
    assert normalize_heading("THE FBI FILES") == "The F B I Files."


def test_roman_numeral_headings_are_read_as_numbers():
    assert normalize_heading("II. The Return") == "Two. The Return."
    assert normalize_heading("Chapter 1. The Fox") == "Chapter one. The Fox."


def test_unknown_language_keeps_only_language_independent_rules():
    assert normalize_for_speech("Er kam am 5. Mai [1] \u201cheim\u201d.", "de") == "Er kam am 5. Mai \"heim\"."


def test_nothing_is_lowercased():
    assert say("The Grapes are sour, said the Fox.") == "The Grapes are sour, said the Fox."
