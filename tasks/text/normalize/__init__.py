"""Speech normalization: turn written text into what a narrator reads aloud, in a form Bark reads well.

Rules are small functions `str -> str` composed into a pipeline per language (the shape of Coqui's
text cleaners), so another language adds its own list. Unlike those cleaners nothing is
lowercased and Bark's intended cues survive: `[laughs]`-style cues, `♪` and emphatic ALL-CAPS pass
through. Numbers are spoken by num2words in the book's language; English has its own rules for
money, old £sd, units, dates, Roman numerals and abbreviations. A last rule reads any digit left.

Every rule is local (it looks at a word or a few neighbours), so normalizing a paragraph equals
normalizing its sentences one by one: the segmenter relies on that to stay lossless.
"""

from __future__ import annotations

import functools
from typing import Callable

from .english_numbers import (HAS_NUMBER, expand_alphanumerics, expand_currency, expand_dates, expand_fractions, expand_numbers,
                              expand_old_money, expand_ordinals, expand_percentages, expand_phone_numbers,
                              expand_ranges, expand_times, expand_units, expand_years)
from .english_words import (expand_abbreviations, expand_links, expand_roman_numerals, expand_symbols, is_acronym,
                            spell_acronyms)
from .headings import heading_for_speech
from .numbers import roman_value, spell_number, spell_ordinal, spell_year
from .other_languages import number_rules
from .text import (BARK_CUES, collapse_whitespace, neutralize_brackets, read_remaining_digits,
                   remove_emphasis_markup, remove_footnote_markers, unify_punctuation)

__all__ = ["BARK_CUES", "normalize_for_speech", "normalize_heading", "is_acronym", "roman_value", "spell_number",
           "spell_ordinal", "spell_year"]

Rule = Callable[[str], str]

COMMON_RULES: tuple[Rule, ...] = (unify_punctuation, remove_emphasis_markup, remove_footnote_markers,
                                  neutralize_brackets)
ENGLISH_NUMBER_RULES: tuple[Rule, ...] = (  # in this order: each reads what the ones before left
    expand_dates,
    expand_ranges,
    expand_phone_numbers,
    expand_old_money,
    expand_currency,
    expand_percentages,
    expand_times,
    expand_ordinals,
    expand_years,
    expand_units,
    expand_fractions,
    expand_alphanumerics,
    expand_numbers,
)


def expand_english_numbers(text: str) -> str:
    """Numbers in their context (most sentences have none: then nothing runs)."""
    if not HAS_NUMBER.search(text):
        return text
    for rule in ENGLISH_NUMBER_RULES:
        text = rule(text)
    return text


ENGLISH_RULES: tuple[Rule, ...] = (
    expand_links,
    expand_abbreviations,
    expand_roman_numerals,
    expand_english_numbers,
    expand_symbols,
    spell_acronyms,
)


@functools.lru_cache(maxsize=64)
def language_rules(language: str) -> tuple[Rule, ...]:
    """The pipeline for a book language ('en', 'en-GB', 'fr', ...): English rules, or numbers in that language."""
    base = language.replace("_", "-").split("-")[0].lower()
    own = ENGLISH_RULES if base == "en" else number_rules(language)
    return COMMON_RULES + own + (functools.partial(read_remaining_digits, language=language),)


def normalize_for_speech(text: str, language: str = "en") -> str:
    """What a narrator reads for `text`: common rules, then the language's own, then any digit left."""
    for rule in language_rules(language or "en"):
        text = rule(text)
    return collapse_whitespace(text)


def normalize_heading(text: str, language: str = "en") -> str:
    """A chapter heading as read aloud: 'CHAPTER XVI' -> 'Chapter Sixteen.', 'II. The Return' -> 'Two. The Return.'."""
    return heading_for_speech(text, normalize_for_speech, language)
