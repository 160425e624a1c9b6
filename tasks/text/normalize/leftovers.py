"""What a spoken text still holds that a narrator cannot read: digits, ':' '/' '^' between numbers, and
abbreviations of the language's table in a place where the table reads them."""

from __future__ import annotations

import functools
import re

from .languages import table_for
from .numbers import spell_number
from .text import ANY_DIGIT
from .words import abbreviation_reader

BETWEEN = re.compile(r"([^\W\d_]+)\s*([:/^])\s*([^\W\d_]+)")


@functools.lru_cache(maxsize=16)
def number_words(language: str) -> frozenset[str]:
    """The words of the numbers 0-100 and of the scales, lower-case, in the language."""
    words: set[str] = set()
    for n in (*range(101), 1000, 10**6, 10**9, 2 * 10**6):
        words.update(re.findall(r"[^\W\d_]+", spell_number(n, language).lower()))
    return frozenset(words)


def is_number_word(word: str, language: str) -> bool:
    """A number's word, or a compound of them ('einundzwanzig', 'duemilatré')."""
    word, lexicon = word.lower(), number_words(language)
    if word in lexicon:
        return True
    reachable = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        reachable[end] = any(reachable[start] and word[start:end] in lexicon for start in range(max(0, end - 12), end))
    return reachable[-1] and len(word) > 4


def leftovers(spoken: str, language: str = "en") -> list[str]:
    """What is left unread in `spoken`: each digit, each ':' '/' '^' between two number words, each
    abbreviation the language's table would still read there; an empty list when nothing is."""
    found = [f"digit {m.group(0)!r}" for m in ANY_DIGIT.finditer(spoken)]
    for m in BETWEEN.finditer(spoken):
        if is_number_word(m.group(1), language) and is_number_word(m.group(3), language):
            found.append(f"{m.group(2)!r} between numbers: {m.group(0)!r}")
    t = table_for(language)
    if t is not None:
        pattern, reading = abbreviation_reader(t)
        found += [f"abbreviation {m.group(0)!r}" for m in pattern.finditer(spoken) if reading(m) != m.group(0)]
    return found
