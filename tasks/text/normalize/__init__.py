"""Speech normalization: turn written text into what a narrator reads aloud, in a form Bark reads well.

Each language's rules are data, one `LanguageTable` per language (languages/*.py; other languages
num2words speaks get one from CLDR through Babel). The engine is generic: rule builders
(dates, amounts, plain numbers, words) read a table and return small functions `str -> str`,
composed into a pipeline per language; a table may name rules only its language has (English
old money, 'St.', acronyms, links). Nothing is lowercased and Bark's cues survive: `[laughs]`-style
cues, `♪` and emphatic ALL-CAPS pass through. A last rule reads any digit left, so none reaches Bark.

Every rule is local (it looks at a word or a few neighbours), so normalizing a paragraph equals
normalizing its sentences one by one: the segmenter relies on that to stay lossless.
"""

from __future__ import annotations

import functools
import re
from typing import Callable

from . import english
from .amounts import fraction_rule, money_rule, percent_rule, unit_rule
from .dates import clock_rules, date_rules, year_rule
from .english import is_acronym
from .headings import heading_for_speech
from .chinese import chinese_numbers
from .languages import table_for
from .leftovers import leftovers
from .numbers import roman_value, spell_number, spell_ordinal, spell_year
from .plain import middle_dot_decimals, number_rule, ordinal_rule, phone_rule
from .table import LanguageTable
from .text import (BARK_CUES, collapse_whitespace, neutralize_brackets, plain_superscripts, read_remaining_digits,
                   remove_emphasis_markup, remove_footnote_markers, unify_punctuation)
from .words import abbreviation_rule, roman_rule, symbol_rule

__all__ = ["BARK_CUES", "LanguageTable", "leftovers", "normalize_for_speech", "normalize_heading", "is_acronym",
           "roman_value", "spell_number", "spell_ordinal", "spell_year", "table_for", "table_rules"]

Rule = Callable[[str], str]

COMMON_RULES: tuple[Rule, ...] = (unify_punctuation, remove_emphasis_markup, remove_footnote_markers,
                                  neutralize_brackets)
HAS_NUMBER = re.compile(r"[\d½¼¾⅓⅔⅛⅜⅝⅞⅕⅖⅗⅘⅙⅚%]")

# Rules a table may ask for by name, and where they go: before the words, before money, before years,
# before the plain numbers, or last.
EXTRA_RULES: dict[str, tuple[str, Rule]] = {
    "links": ("words", english.expand_links),
    "saint_or_street": ("words", english.expand_saints_and_streets),
    "old_money": ("money", english.expand_old_money),
    "addresses": ("money", english.expand_addresses),
    "decades": ("years", english.expand_decades),
    "house_numbers": ("plain", english.expand_house_numbers),
    "acronyms": ("last", english.spell_acronyms),
}


def extras(t: LanguageTable, stage: str) -> tuple[Rule, ...]:
    return tuple(EXTRA_RULES[name][1] for name in t.extra_rules if EXTRA_RULES[name][0] == stage)


def number_rules(t: LanguageTable) -> Rule:
    """Numbers in their context, in this order (each reads what the ones before left); skipped without digits."""
    rules = (middle_dot_decimals, *extras(t, "money"), *clock_rules(t), *date_rules(t), phone_rule(t), money_rule(t),
             percent_rule(t), unit_rule(t), ordinal_rule(t), *extras(t, "years"), year_rule(t), fraction_rule(t),
             *extras(t, "plain"), number_rule(t))

    def numbers(text: str) -> str:
        if not HAS_NUMBER.search(text):
            return text
        for rule in rules:
            text = rule(text)
        return text

    return numbers


def table_rules(t: LanguageTable) -> tuple[Rule, ...]:
    """The pipeline a table makes: common rules, the table's words and numbers, then any digit left."""
    own = (*extras(t, "words"), abbreviation_rule(t), plain_superscripts, roman_rule(t), number_rules(t), symbol_rule(t),
           *extras(t, "last"))
    return COMMON_RULES + own + (functools.partial(read_remaining_digits, language=t.code),)


@functools.lru_cache(maxsize=64)
def language_rules(language: str) -> tuple[Rule, ...]:
    """The pipeline for a book language ('en', 'en-GB', 'fr', ...); only the common rules where num2words
    cannot say the language's numbers."""
    t = table_for(language)
    if t is None and language.split("-")[0].split("_")[0].lower() == "zh":
        return COMMON_RULES + (chinese_numbers,)
    if t is None:
        return COMMON_RULES + (functools.partial(read_remaining_digits, language=language),)
    return table_rules(t)


def normalize_for_speech(text: str, language: str = "en") -> str:
    """What a narrator reads for `text`: common rules, then the language's own, then any digit left."""
    for rule in language_rules(language or "en"):
        text = rule(text)
    return collapse_whitespace(text)


def normalize_heading(text: str, language: str = "en") -> str:
    """A chapter heading as read aloud: 'CHAPTER XVI' -> 'Chapter Sixteen.', 'II. The Return' -> 'Two. The Return.'."""
    return heading_for_speech(text, normalize_for_speech, language)
