"""English rules for words: abbreviations, Saint or Street, links, Roman numerals, acronyms, symbols."""

from __future__ import annotations

import re

from .numbers import roman_value, spell_number, spell_ordinal
from .text import keep_period

TITLES = {  # written before a name (with its period) -> spoken; also matched in capitals ('DR.')
    "Mr.": "Mister", "Mrs.": "Missus", "Ms.": "Miz", "Dr.": "Doctor", "Prof.": "Professor",
    "Capt.": "Captain", "Gen.": "General", "Col.": "Colonel", "Lt.": "Lieutenant", "Sgt.": "Sergeant",
    "Rev.": "Reverend", "Hon.": "Honorable", "Mt.": "Mount", "Ft.": "Fort", "Gov.": "Governor",
    "Messrs.": "Messers", "Mme.": "Madame", "Mlle.": "Mademoiselle", "Mons.": "Monsieur", "Mmes.": "Mesdames",
}
TITLES_WITHOUT_PERIOD = {"Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Dr": "Doctor", "Messrs": "Messers",
                         "Mme": "Madame", "Mlle": "Mademoiselle"}  # British style: 'Mr Darcy'
ABBREVIATIONS = {  # mid-sentence ones
    "vs.": "versus", "approx.": "approximately", "e.g.": "for example", "i.e.": "that is", "viz.": "namely",
    "cf.": "compare", "Fig.": "Figure", "fig.": "figure", "Vol.": "Volume", "vol.": "volume", "Ch.": "Chapter",
    "Jan.": "January", "Feb.": "February", "Mar.": "March", "Apr.": "April", "Jun.": "June", "Jul.": "July",
    "Aug.": "August", "Sep.": "September", "Sept.": "September", "Oct.": "October", "Nov.": "November",
    "Dec.": "December",
}
SENTENCE_FINAL_ABBREVIATIONS = {  # may end a sentence: the period stays when they do
    "etc.": "et cetera", "&c.": "et cetera", "&c": "et cetera", "Jr.": "Junior", "Sr.": "Senior", "Inc.": "Incorporated",
    "Ltd.": "Limited", "Co.": "Company", "Ave.": "Avenue", "Rd.": "Road", "Blvd.": "Boulevard",
    "Esq.": "Esquire", "Bros.": "Brothers", "Bart.": "Baronet", "inst.": "instant", "ult.": "ultimo",
}
BEFORE_NUMBER_ABBREVIATIONS = {"No.": "number", "no.": "number", "Nos.": "numbers", "pp.": "pages", "p.": "page"}
SPOKEN = {**TITLES, **{k.upper(): v for k, v in TITLES.items()}, **ABBREVIATIONS}
ABBREVIATION = re.compile(r"(?<![\w.&])(?:&c\.?(?!\w)|[A-Za-z][A-Za-z.]{0,6}\.)")
NUMBER_AFTER = re.compile(r"\s?\d")
TITLE_WITHOUT_PERIOD = re.compile(
    r"(?<![\w.])(?:" + "|".join([*TITLES_WITHOUT_PERIOD, "MR", "MRS", "DR"]) + r")(?=\s[A-Z])")
SAINT = re.compile(r"(?<![\w.])(St|ST)\.|(?<![\w.])St(?=\s[A-Z][a-z])")
NAME_BEFORE = re.compile(r"(?:^|\s)[\"'(]?([A-Z][\w']*\.?)\s+$")
LOOK_BACK = 24  # characters before a word that can hold the word before it
BEFORE_SAINTS = {"Lord", "Lady", "Sir", "Dame", "Mr.", "Mrs.", "Miss", "Dr.", "Mr", "Mrs", "Dr", "Mister", "Missus",
                 "Doctor", "The", "At", "In", "Of", "To", "From", "By", "Near", "Old", "Great", "Little", "And"}


SENTENCE_OPENERS = {  # capitalised words that start a sentence rather than name a saint ('Baker St. Then ...')
    "The", "A", "An", "He", "She", "It", "I", "We", "They", "You", "His", "Her", "Its", "Our", "Their", "My", "Your",
    "There", "Then", "This", "That", "These", "Those", "But", "And", "Or", "So", "Yet", "In", "On", "At", "As", "When",
    "What", "Where", "Who", "Why", "How", "If", "Now", "No", "Yes", "Here", "After", "Before", "From", "To", "For",
    "With", "By", "Of", "One", "All", "Some", "Mr", "Mrs", "Mister", "Missus", "Doctor", "Dr", "Sir", "Lord", "Lady",
}
NEXT_WORD = re.compile(r"\s+[\"'(]?([A-Z][\w']*)")


def saint_or_street(match: re.Match) -> str:
    """'St.' is Saint before a name ('Lord St. Simon', 'Neville St. Clair', "St. Paul's") and Street after one
    when no name follows ('Baker St.', 'Wimpole St. was', 'Baker St. Then ...')."""
    name_before = NAME_BEFORE.search(match.string, max(0, match.start() - LOOK_BACK), match.start())
    after_a_name = name_before and name_before.group(1) not in BEFORE_SAINTS and not name_before.group(1).endswith(".")
    name_after = NEXT_WORD.match(match.string, match.end())
    if name_after and not (after_a_name and name_after.group(1).split("'")[0] in SENTENCE_OPENERS):
        return "Saint"
    return keep_period(match, "Street") if match.group(0).endswith(".") else "Street"


def expand_abbreviations(text: str) -> str:
    """Mr. -> Mister, DR. -> Doctor, &c. -> et cetera, No. 7 -> number 7 (keeping a sentence's final period)."""

    def spoken(match: re.Match) -> str:
        written = match.group(0)
        if written in SENTENCE_FINAL_ABBREVIATIONS:
            words = SENTENCE_FINAL_ABBREVIATIONS[written]
            return keep_period(match, words) if written.endswith(".") else words
        if written in BEFORE_NUMBER_ABBREVIATIONS and NUMBER_AFTER.match(match.string, match.end()):
            return BEFORE_NUMBER_ABBREVIATIONS[written] + " "
        return SPOKEN.get(written, written)

    def title(match: re.Match) -> str:
        written = match.group(0)
        return TITLES_WITHOUT_PERIOD.get(written.capitalize() if written.isupper() else written, written)

    text = TITLE_WITHOUT_PERIOD.sub(title, ABBREVIATION.sub(spoken, text))
    return SAINT.sub(saint_or_street, text)


TLDS = "com|org|net|edu|gov|io|co|uk|de|fr|info|biz|ai|dev"
LINK = re.compile(
    r"\b(?:[a-z]+://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]]"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
    rf"|\b[\w-]+(?:\.[\w-]+)*\.(?:{TLDS})\b(?!\.\w)"
)
LINK_MARKS = (("@", " at "), (".", " dot "), ("/", " slash "), ("-", " dash "), ("_", " underscore "),
              ("?", " question mark "), ("=", " equals "), ("&", " and "), (":", " colon "))


def speak_link(link: str) -> str:
    """'https://www.example.com/a-b' -> 'w w w dot example dot com slash a dash b'."""
    link = re.sub(r"^[a-z]+://", "", link).rstrip("/")
    link = re.sub(r"^www\.", "w w w.", link)
    for mark, word in LINK_MARKS:
        link = link.replace(mark, word)
    return re.sub(r"\s+", " ", link).strip()


LINK_HINT = re.compile(rf"@|://|www\.|\.(?:{TLDS})\b")


def expand_links(text: str) -> str:
    """URLs, e-mail addresses and bare domains, read out the way people say them."""
    return LINK.sub(lambda m: speak_link(m.group(0)), text) if LINK_HINT.search(text) else text


ROMAN_KEYWORDS = ("Chapter|Part|Book|Volume|Vol|Act|Scene|Section|Canto|War|Letter|Stave|Appendix|Plate|Psalm|"
                  "Article|Lecture|Essay|Sonnet|Epistle|Fit|Phase|Period|Epoch|Lesson|Story|Tale|Number|Type|Class|Grade|"
                  "Stage|Mark|Model|Form|Level|Group|Division|Schedule|Table|Figure|Item|Rule|Clause|Title|Round")
ROMAN_NUMERAL = re.compile(r"(?<=\s)(?:([IVXLCDM]+)|([ivxl]+))\b(?!['-])")
KEYWORD = re.compile(rf"\b((?i:{ROMAN_KEYWORDS}))\.?\s$")
NAME = re.compile(r"\b[A-Z][a-z]+\s$")


def expand_roman_numerals(text: str) -> str:
    """'Chapter IV', 'chapter ii.' -> 'Chapter four', 'chapter two.'; 'George III' -> 'George the Third'.

    A lone capital 'I' is the pronoun unless a capitalised keyword stands before it ('Part I', not 'the book I read').
    """

    def numeral(match: re.Match) -> str:
        upper, lower = match.groups()
        before = match.string[max(0, match.start() - LOOK_BACK): match.start()]
        value = roman_value(upper or lower)
        keyword = KEYWORD.search(before)
        if value and keyword and not (upper == "I" and keyword.group(1).islower()):
            return spell_number(value)
        regnal = upper and (len(upper) > 1 and set(upper) <= set("IVX") or upper == "V")
        return f"the {spell_ordinal(value).title()}" if value and regnal and NAME.search(before) else match.group(0)

    return ROMAN_NUMERAL.sub(numeral, text)


PRONOUNCED_ACRONYMS = {"NASA", "NATO", "UNESCO", "UNICEF", "OPEC", "FIFA", "AIDS", "SCUBA",
                       "LASER", "RADAR", "SONAR", "ASAP", "NAFTA", "OK"}
SPELLED_ACRONYMS = {"USA", "UK", "EU", "UN", "AI", "IOU", "UFO", "CEO", "CIA", "IRA", "IRS", "MP", "QC", "KC",
                    "NBA", "ID", "DNA", "RNA", "ETA", "VIP", "USB", "UAE", "OECD", "IMF", "IQ", "TV", "PC"}
ENGLISH_ONSET = re.compile(  # consonant clusters English words start with
    r"(?:SCH|SCR|SPL|SPR|STR|SQU|THR|SHR|CHR|PHR|BL|BR|CH|CL|CR|DR|DW|FL|FR|GL|GR|GN|GW|KN|PH|PL|PR|PS|PT|"
    r"SC|SH|SK|SL|SM|SN|SP|ST|SW|TH|TR|TW|WH|WR)"
)
VOWEL = re.compile(r"[AEIOU]|(?<=.)Y")
ONSET = re.compile(r"[^AEIOUY]{2,3}")


def is_acronym(word: str) -> bool:
    """Whether an all-capitals word is letters to spell ('FBI', 'BBC') rather than a word ('NO', "I'LL", "SEWARD'S").

    Known ones aside, a word is spelled when it has no vowel or starts with two consonants that
    no English word starts with; a word with an apostrophe inside is always a word.
    """
    if "'" in word:
        return False
    if word in SPELLED_ACRONYMS:
        return True
    if word in PRONOUNCED_ACRONYMS:
        return False
    onset = ONSET.match(word)
    return not VOWEL.search(word) or bool(onset and not ENGLISH_ONSET.match(onset.group(0)))


DOTTED_ACRONYM = re.compile(r"\b(?:[A-Z]\.){2,}")
CAPS_WORD = re.compile(r"(?<![\w'])([A-Z]{2,}|[A-Z]+(?:'[A-Z]+)+)('s)?(?![\w'])")


def spell_acronyms(text: str) -> str:
    """Acronyms are not emphasis: 'FBI' -> 'F B I', "BBC's" -> "B B C's", 'U.S.A.' -> 'U S A', 'NASA' -> 'Nasa'.

    Other capitalized words ('NO', "I'LL", "DON'T") are the author's emphasis and stay in capitals,
    which Bark reads as stress.
    """

    def caps(match: re.Match) -> str:
        word, suffix = match.group(1), match.group(2) or ""
        if is_acronym(word):
            return " ".join(word) + suffix
        if word in PRONOUNCED_ACRONYMS:
            return ("okay" if word == "OK" else word.capitalize()) + suffix
        return match.group(0)

    text = DOTTED_ACRONYM.sub(lambda m: keep_period(m, " ".join(m.group(0).replace(".", ""))), text)
    return CAPS_WORD.sub(caps, text)


SYMBOLS = {"&": " and ", "+": " plus ", "=": " equals ", "°": " degrees", "§": " section ",
           "#": " number ", "@": " at ", "~": " about ", "×": " times ", "|": " ", "*": " ",
           "_": " ", "<": " ", ">": " ", "\\": " ", "^": " "}
SYMBOL = re.compile("|".join(map(re.escape, SYMBOLS)))


def expand_symbols(text: str) -> str:
    """Symbols a narrator says as words; decorative ones become spaces."""
    return SYMBOL.sub(lambda m: SYMBOLS[m.group(0)], text)
