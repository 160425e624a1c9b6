"""Speech normalization: each rule says what a narrator would read."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.text.normalize import normalize_for_speech, normalize_heading, spell_number, spell_ordinal, spell_year


def say(text: str) -> str:
    return normalize_for_speech(text, "en")


@pytest.mark.parametrize(
    "n, words",
    [(0, "zero"), (13, "thirteen"), (40, "forty"), (99, "ninety-nine"), (105, "one hundred and five"),
     (1234, "one thousand two hundred and thirty-four"), (2_000_017, "two million and seventeen")],
)
def test_spells_cardinal_numbers_without_pausing_commas(n, words):
    assert spell_number(n) == words


@pytest.mark.parametrize("n, words", [(1, "first"), (2, "second"), (12, "twelfth"), (20, "twentieth"),
                                      (23, "twenty-third"), (100, "one hundredth")])
def test_spells_ordinals(n, words):
    assert spell_ordinal(n) == words


@pytest.mark.parametrize("n, words", [(1984, "nineteen eighty-four"), (1900, "nineteen hundred"),
                                      (1905, "nineteen oh-five"), (2005, "two thousand and five"),
                                      (2019, "twenty nineteen"), (1066, "ten sixty-six")])
def test_spells_years_as_people_say_them(n, words):
    assert spell_year(n) == words


def test_numbers_in_text_with_grouping_decimals_and_signs():
    assert say("He counted 1,234 sheep, 3.5 goats and -4 cows.") == (
        "He counted one thousand two hundred and thirty-four sheep, three point five goats and minus four cows."
    )


def test_long_digit_strings_and_leading_zeros_are_read_digit_by_digit():
    assert say("Agent 007 called 12345678901234567.") == (
        "Agent zero zero seven called one two three four five six seven eight nine zero one two three four five six seven."
    )


@pytest.mark.parametrize("written, spoken", [
    ("Call 555-1234 now.", "Call five five five, one two three four now."),
    ("Ring (020) 7946-0018.", "Ring zero two zero, seven nine four six, zero zero one eight."),
])
def test_phone_numbers_are_read_digit_by_digit_in_their_groups(written, spoken):
    assert say(written) == spoken


def test_ordinals_in_text():
    assert say("She came 1st and he came 22nd.") == "She came first and he came twenty-second."
    assert say("The 2d Regiment left on the 23d.") == "The second Regiment left on the twenty-third."


def test_years_and_decades():
    assert say("In 1984 the 1960s felt far away.") == "In nineteen eighty-four the nineteen sixties felt far away."


@pytest.mark.parametrize("written, spoken", [
    ("Darwin (1809-1882) wrote.", "Darwin (eighteen oh-nine to eighteen eighty-two) wrote."),
    ("Darwin, 1809\u20131882, wrote.", "Darwin, eighteen oh-nine to eighteen eighty-two, wrote."),
    ("The war of 1914-18 ended.", "The war of nineteen fourteen to nineteen eighteen ended."),
    ("from 1914 to 1918", "from nineteen fourteen to nineteen eighteen"),
    ("in the 1890s", "in the eighteen nineties"),
    ("see pages 10-12", "see pages ten to twelve"),
])
def test_year_ranges_and_life_dates(written, spoken):
    assert say(written) == spoken


@pytest.mark.parametrize("written, spoken", [
    ("It was the 21st June.", "It was the twenty-first of June."),
    ("It was 21st June.", "It was the twenty-first of June."),
    ("From 3-4 October we rode.", "From the third to the fourth of October we rode."),
    ("On 3\u20134 October we rode.", "On the third to the fourth of October we rode."),
    ("On June 21st we rode.", "On June twenty-first we rode."),
    ("Since 4 July 1776 we know.", "Since the fourth of July, seventeen seventy-six we know."),
    ("Born January 5, 2021.", "Born January fifth, twenty twenty-one."),
    ("On 2021-03-04 it rained.", "On March fourth, twenty twenty-one it rained."),
])
def test_dates_with_ordinals(written, spoken):
    assert say(written) == spoken


def test_gutenberg_italic_and_bold_marks_go_and_their_digits_are_read():
    assert say("_3 May._ Bistritz.") == "The third of May. Bistritz."
    assert say("He was =very= _angry_ with snake_case.") == "He was very angry with snake case."
    assert say("_3 May.") == "The third of May." and say("Bistritz._") == "Bistritz."  # a span cut at a sentence end


def test_currency():
    assert say("It cost $5.50, then £1 and €20.") == (
        "It cost five dollars and fifty cents, then one pound and twenty euros."
    )
    assert say("A $2.5 million deal for $0.99.") == "A two point five million dollars deal for ninety-nine cents."


@pytest.mark.parametrize("written, spoken", [
    ("It cost £3 7s. 6d. in all.", "It cost three pounds, seven shillings and sixpence in all."),
    ("It cost 7s. 6d. in all.", "It cost seven shillings and sixpence in all."),
    ("A stamp cost 2d. then.", "A stamp cost twopence then."),
    ("A guinea was £1 1s. then.", "A guinea was one pound, one shilling then."),
    ("The bill came to 3l. 10s. at last.", "The bill came to three pounds, ten shillings at last."),
    ("Bread was 9½d. a loaf.", "Bread was ninepence halfpenny a loaf."),
    ("He paid 5s. for it.", "He paid five shillings for it."),
    ("She had 500l. a year.", "She had five hundred pounds a year."),
])
def test_old_money_in_pounds_shillings_and_pence(written, spoken):
    assert say(written) == spoken


@pytest.mark.parametrize("written, spoken", [
    ("He stood 6 ft. 2 in. tall.", "He stood six feet two inches tall."),
    ("It weighed 1 lb. and then 12 lbs.", "It weighed one pound and then twelve pounds."),
    ("We walked 5 miles at 3 mph, or 8 km.", "We walked five miles at three miles per hour, or eight kilometres."),
    ("Add 4 oz. of flour and 2 cwt. of coal over 3 yds.", (
        "Add four ounces of flour and two hundredweight of coal over three yards.")),
    ("It was 4\u00bd ft. long.", "It was four and a half feet long."),
])
def test_units(written, spoken):
    assert say(written) == spoken


@pytest.mark.parametrize("written, spoken", [
    ("4\u00bd miles", "four and a half miles"), ("\u00bc of it", "a quarter of it"),
    ("\u00be of it", "three quarters of it"), ("3/4 of it", "three quarters of it"),
    ("1/2 mile", "a half mile"), ("2 1/2 hours", "two and a half hours"), ("5/8 inch", "five eighths inch"),
])
def test_fractions(written, spoken):
    assert say(written) == spoken


@pytest.mark.parametrize("written, spoken", [
    ("He lived at 221B Baker Street.", "He lived at two twenty-one B Baker Street."),
    ("Go to No. 7 now.", "Go to number seven now."),
    ("It was A1 quality.", "It was A one quality."),
])
def test_alphanumerics(written, spoken):
    assert say(written) == spoken


def test_percentages():
    assert say("Only 12% and 3.5% agreed.") == "Only twelve percent and three point five percent agreed."


def test_times():
    assert say("We met at 10:05, left at 3:00 and slept at 11 p.m.") == (
        "We met at ten oh five, left at three o'clock and slept at eleven p m."
    )


@pytest.mark.parametrize(
    "written, spoken",
    [("Mr. Holmes met Dr. Watson.", "Mister Holmes met Doctor Watson."),
     ("Mr Darcy met Mrs Bennet.", "Mister Darcy met Missus Bennet."),
     ("Apples, pears, etc. Then plums.", "Apples, pears, et cetera. Then plums."),
     ("Apples, etc., and plums.", "Apples, et cetera, and plums."),
     ("Apples, pears, &c. Then plums.", "Apples, pears, et cetera. Then plums."),
     ("Apples, pears, &c, and plums.", "Apples, pears, et cetera, and plums."),
     ("See No. 5 on p. 12, e.g. here.", "See number five on page twelve, for example here."),
     ("To J. Smith, Esq. of Leeds.", "To J. Smith, Esquire of Leeds."),
     ("Messrs. Lloyd and Mme. Roux and Mlle. Roux came.", "Messers Lloyd and Madame Roux and Mademoiselle Roux came."),
     ("Two things, viz. bread, i.e. food.", "Two things, namely bread, that is food.")],
)
def test_common_abbreviations(written, spoken):
    assert say(written) == spoken


@pytest.mark.parametrize("written, spoken", [
    ("It was Lord St. Simon.", "It was Lord Saint Simon."),
    ("We met at St. Paul's.", "We met at Saint Paul's."),
    ("St. Paul lived on Baker St. in town.", "Saint Paul lived on Baker Street in town."),
    ("He lived in Baker St. Then he left.", "He lived in Baker Street. Then he left."),
    ("Wimpole St. was quiet.", "Wimpole Street was quiet."),
    ("the St Lawrence river", "the Saint Lawrence river"),
])
def test_st_is_saint_before_a_name_and_street_after_one(written, spoken):
    assert say(written) == spoken


def test_titles_in_capitals_are_expanded():
    assert say("DR. SEWARD came.") == "Doctor SEWARD came."


def test_roman_numerals_after_chapter_words_and_names():
    assert say("Henry VIII read Chapter IV during World War II.") == (
        "Henry the Eighth read Chapter four during World War two."
    )
    assert say("George III and chapter ii. and Part I.") == "George the Third and chapter two. and Part one."
    assert say("Louis XIV had Type II and Class III.") == "Louis the Fourteenth had Type two and Class three."


@pytest.mark.parametrize("sentence", ["I said no.", "Then I went.", "The book I read.", "a part I liked"])
def test_the_pronoun_i_is_not_a_numeral(sentence):
    assert say(sentence) == sentence


def test_urls_and_emails_are_read_out():
    assert say("Visit https://www.example.com/a-b today.") == "Visit w w w dot example dot com slash a dash b today."
    assert say("Write to jane.doe@example.org please.") == "Write to jane dot doe at example dot org please."


def test_symbols_become_words():
    assert say("Salt & pepper, 2 + 2 = 4, 30° and #1.") == (
        "Salt and pepper, two plus two equals four, thirty degrees and number one.")


def test_quotes_dashes_and_ellipses_are_unified():
    assert say("\u201cWell\u201d -- she said \u2018no\u2019 \u2013 wait\u2026 then . . . ok") == (
        "\"Well\" — she said 'no' — wait... then... ok"
    )
    assert say("pages 10\u201312") == "pages ten to twelve"
    assert say("My dear Holmes\u2060\u2014 a soft\u00adly") == "My dear Holmes— a softly"


def test_footnote_markers_are_removed():
    assert say("True[1] and false[^2] and maybe\u00b3 so\u2020.") == "True and false and maybe so."
    assert say("Hiero the Syracusan.(*) This man (+) rose.") == "Hiero the Syracusan. This man rose."


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
    assert say("The BBC's man.") == "The B B C's man."


@pytest.mark.parametrize("sentence", ["I said NO and I meant it.", "I'LL do it, DON'T wait.", "It was SEWARD'S.",
                                      "RECALLED TO LIFE"])
def test_capitalized_words_are_kept_as_emphasis_never_spelled(sentence):
    assert say(sentence) == sentence


@pytest.mark.parametrize("heading, spoken", [
    ("CHAPTER I. Down the Rabbit-Hole", "Chapter One. Down the Rabbit-Hole."),
    ("CHAPTER XVI", "Chapter Sixteen."),
    ("CHAPTER IV", "Chapter Four."),
    ("VOLUME II", "Volume Two."),
    ("BOOK THE FIRST\u2014RECALLED TO LIFE", "Book the First — Recalled to Life."),
    ("DR. SEWARD'S DIARY", "Doctor Seward's Diary."),
    ("I'LL TELL THE FBI", "I'll Tell the F B I."),
    ("chapter ii.", "Chapter Two."),
    ("THE FBI FILES", "The F B I Files."),
    ("ADVENTURE I. A SCANDAL IN BOHEMIA", "Adventure One. A Scandal in Bohemia."),
    ("Stave I: Marley's Ghost", "Stave One: Marley's Ghost."),
])
def test_headings_are_read_in_title_case_with_their_numbers(heading, spoken):
    assert normalize_heading(heading) == spoken


def test_roman_numeral_headings_are_read_as_numbers():
    assert normalize_heading("II. The Return") == "Two. The Return."
    assert normalize_heading("Chapter 1. The Fox") == "Chapter One. The Fox."


@pytest.mark.parametrize("language, written, spoken", [
    ("fr", "Il avait 21 ans.", "Il avait vingt et un ans."),
    ("fr", "Le 1er mai 1984, 3,5 kilos.", "Le premier mai mille neuf cent quatre-vingt-quatre, trois virgule cinq kilos."),
    ("de", "Er kam am 5. Mai 1984 [1] \u201cheim\u201d.", "Er kam am fünften Mai neunzehnhundertvierundachtzig \"heim\"."),
    ("es", "Tenía 21 años.", "Tenía veintiuno años."),
    ("it", "Aveva 21 anni.", "Aveva ventuno anni."),
    ("pt-BR", "Tinha 3 gatos.", "Tinha três gatos."),
    ("de", "Es waren 20 % mehr.", "Es waren zwanzig Prozent mehr."),
])
def test_numbers_in_other_languages_are_spoken_in_that_language(language, written, spoken):
    assert normalize_for_speech(written, language) == spoken


@pytest.mark.parametrize("language, heading, spoken", [
    ("fr", "CHAPITRE XVI", "Chapitre seize."), ("de", "KAPITEL IV. DIE REISE", "Kapitel vier. Die Reise."),
    ("es", "Capítulo II", "Capítulo dos."),
    ("de", "ZWEITER TEIL", "Zweiter Teil."), ("fr", "L'ÉTÉ", "L'été."),
])
def test_headings_in_other_languages_read_their_numerals_in_that_language(language, heading, spoken):
    assert normalize_heading(heading, language) == spoken


def test_a_language_num2words_does_not_know_keeps_only_the_common_rules():
    assert normalize_for_speech("Έχει 3 [1] \u201cγάτες\u201d.", "el") == "Έχει 3 \"γάτες\"."  # Greek: no num2words
    assert normalize_for_speech("他有 3 [1] \u201c猫\u201d.", "zh") == "他有 三 \"猫\"."  # Chinese: its own counting


def test_nothing_is_lowercased():
    assert say("The Grapes are sour, said the Fox.") == "The Grapes are sour, said the Fox."


@pytest.mark.parametrize("written, spoken", [("word12", "word twelve"), ("H2O", "H two O"),
                                             ("the 3\u2460 mark", "the three one mark")])
def test_digits_no_rule_read_are_read_by_the_last_one(written, spoken):
    assert say(written) == spoken


PROSE = st.sampled_from([
    "The", "said", "Holmes", "St.", "Dr.", "No.", "£", "$", "s.", "d.", "½", "¾", "/", "-", "–", ":", ".", ",",
    "%", "ft.", "lbs.", "June", "the", "CHAPTER", "XVI", "I", "221B", "_", "=", "(", ")", "'", "[laughs]", "&c.",
    "p.m.", "1st", "٣", "①", "#",
])
TOKENS = st.one_of(PROSE, st.integers(0, 10**20).map(str), st.from_regex(r"\d{1,4}[.,:/-]\d{1,4}", fullmatch=True))


@settings(max_examples=300, deadline=None, derandomize=True)  # CI never fails at random
@given(st.lists(TOKENS, max_size=12), st.lists(st.sampled_from(["", " "]), min_size=12, max_size=12),
       st.sampled_from(["en", "en-GB", "fr", "de", "es"]))
def test_no_digit_is_ever_left_in_speech(tokens, spaces, language):
    text = "".join(t + s for t, s in zip(tokens, spaces))
    assert not any(c.isdigit() for c in normalize_for_speech(text, language)), text


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from([
    "It cost £3 7s. 6d. in all.", "Lord St. Simon came on the 21st June.", "He lived at 221B Baker St.",
    "(1820-1897) was long.", "I'LL go!", "Then Wimpole St. was quiet.", "On 3-4 October it was 4½ miles.",
    "He said [laughs] NO.", "_On 3 May._", "Mr. Holmes, Esq. came.", "The FBI knew.", "Now call 555-1234.",
]), min_size=1, max_size=5))
def test_a_paragraph_reads_as_its_sentences_one_by_one(sentences):
    assert say(" ".join(sentences)) == " ".join(say(s) for s in sentences)


@pytest.mark.parametrize("language", ["en", "es", "fr", "de"])
def test_a_number_too_big_for_the_languages_words_is_still_spoken(language):
    assert re.fullmatch(r"[^\d]*\w[^\d]*", normalize_for_speech("1000000000000010000000000000", language))


def test_a_number_num2words_cannot_name_is_read_digit_by_digit():
    assert normalize_for_speech("1000000000000010000000000000", "es").split()[:3] == ["uno", "cero", "cero"]


@pytest.mark.parametrize("language, spoken", [
    ("es", "The uno" + " cero" * 5 + " uno" + " cero" * 21 + " coma uno"),
    ("fr", "The un quadrilliard un trilliard virgule un"),  # 10**27 + 10**21, not num2words' float reading
    ("de", "The eine Quadrilliarde eine Trilliarde Komma eins"),
    ("it", "The un quadriliardo e un triliardo virgola uno"),
])
def test_a_decimal_too_big_for_num2words_keeps_its_amount(language, spoken):
    # Hypothesis found the crash at random (OverflowError in speak_decimal); pinned so CI never depends on luck
    assert normalize_for_speech("The 1000001000000000000000000000,1", language) == spoken
