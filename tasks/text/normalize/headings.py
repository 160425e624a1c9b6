"""Chapter headings as a narrator announces them: 'CHAPTER XVI' -> 'Chapter Sixteen.'.

A heading's capitals are typography, not shouting: capitalised words are title-cased, acronyms
and Roman numerals kept, then the heading is normalized like any sentence.
"""

from __future__ import annotations

import re
from typing import Callable

from .english import is_acronym
from .languages import TABLES
from .numbers import roman_value, spell_number
from .text import unify_punctuation

ROMAN_KEYWORDS = "|".join(TABLES["en"].roman_keywords)
# Heading words Roman numerals follow: the tables' and those of languages Bark speaks without a table.
OTHER_ROMAN_KEYWORDS = "|".join(
    [k for code, table in TABLES.items() if code != "en" for k in table.roman_keywords]
    + "Volume|Rozdział|Część|Tom|Księga|Глава|Часть|Том|Книга|Bölüm|Kısım|Hoofdstuk|Deel|Boek|Capítulo|Livro"
    .split("|"))

SMALL_WORDS = {"a", "an", "the", "and", "but", "or", "nor", "of", "to", "in", "on", "at", "by", "for", "with",
               "from", "as", "into", "upon"}
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
VOWEL = re.compile(r"[AEIOUYÀ-ÆÈ-ÏÒ-ÖØ-ÝĄĘŒАЕЁИОУЫЭЮЯ]")
CLAUSE_START = re.compile(r"(?:^|[.:;!?—(\"]\s*)$")
KEYWORD_BEFORE = re.compile(rf"\b(?i:{ROMAN_KEYWORDS}|{OTHER_ROMAN_KEYWORDS})\.?\s+$")
LEADING_ROMAN = re.compile(r"(?:([^\W\d_]+)\s+)?([IVXLCDM]+)(?=[.:]|\s*$)")  # 'II.', 'Adventure I.', 'Stave I:'
NUMBER_WORD = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
               "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety")
KEYWORD_NUMBER = re.compile(rf"\b((?:{ROMAN_KEYWORDS}|{ROMAN_KEYWORDS.upper()})\s)(?=(?:{NUMBER_WORD}|[a-z]+ hundred)\b)([a-z])")


def is_roman_in_heading(word: str, before: str, after: str) -> bool:
    """'XVI' anywhere, 'I' or 'CL' only after 'CHAPTER'/'PART' or alone at the start ('I.', 'LI:')."""
    if not roman_value(word):
        return False
    if KEYWORD_BEFORE.search(before):
        return True
    if not before.strip():
        return bool(re.match(r"[.:]|\s*$", after))
    return len(word) > 1 and set(word) <= set("IVX")


def is_heading_acronym(word: str, language: str) -> bool:
    """English knows its acronyms ('FBI'); elsewhere only a word without a vowel is one ('ZWEI' is a word)."""
    if "'" in word or len(word) < 2:
        return False
    return is_acronym(word) if language.startswith("en") else not VOWEL.search(word)


def title_case_capitals(text: str, language: str = "en") -> str:
    """'CHAPTER I. DOWN THE RABBIT-HOLE' -> 'Chapter I. Down the Rabbit-Hole'; "I'LL", 'DR.', 'BBC', 'XVI' handled."""

    def word(match: re.Match) -> str:
        caps, before, after = match.group(0), text[: match.start()], text[match.end():]
        if not caps.isupper() or (len(caps) == 1 and caps != "A"):
            return caps
        if is_roman_in_heading(caps, before, after) or is_heading_acronym(caps, language):
            return caps
        lower = caps.lower()
        small = language.startswith("en") and lower in SMALL_WORDS and not CLAUSE_START.search(before)
        return lower if small else lower.capitalize()

    return WORD.sub(word, text)


INITIALS_AFTER = re.compile(r"\.\s?[A-Z]\.")


def is_initial(numeral: str, after: str) -> bool:
    """'M. L. T.' and 'C. Dickens' open with initials, not numbers: a lone L, C, D or M with text after it,
    or any letter followed by another initial."""
    return bool(INITIALS_AFTER.match(after)) or (numeral in ("L", "C", "D", "M") and bool(after.strip(". :")))


def heading_for_speech(text: str, normalize: Callable[[str, str], str], language: str = "en") -> str:
    """A chapter heading as read aloud: 'CHAPTER IV' -> 'Chapter Four.', 'II. The Return' -> 'Two. The Return.'."""
    text = title_case_capitals(unify_punctuation(text.strip()), language).replace("—", " — ")
    match = LEADING_ROMAN.match(text)
    if match and roman_value(match.group(2)) and not is_initial(match.group(2), text[match.end():]):
        number = spell_number(roman_value(match.group(2)), language)
        text = (f"{match.group(1)} {number.capitalize() if language.startswith('en') else number}" if match.group(1) else number) + text[match.end():]
    spoken = normalize(text, language)
    spoken = KEYWORD_NUMBER.sub(lambda m: m.group(1) + m.group(2).upper(), spoken[:1].upper() + spoken[1:])
    return spoken if not spoken or spoken[-1] in ".!?:;" else spoken + "."
