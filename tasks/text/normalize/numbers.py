"""Numbers in words, in the book's language: num2words does the speaking, we add the readings it lacks.

num2words (a well-kept library covering ~50 languages) gives cardinals, ordinals and years; this
module caches it, removes the commas it writes inside long English numbers (a comma is a pause to
Bark) and adds digit-by-digit reading, decimals, house numbers, fractions and Roman numerals.
"""

from __future__ import annotations

import functools
import re

from num2words import CONVERTER_CLASSES, num2words

from tasks.core.roman import ROMAN_PATTERN, roman_value  # noqa: F401 (the normalizer's public names)

MAX_SPELLED = 10**15  # longer digit strings are read digit by digit (phone numbers, codes)
DIGIT_NAMES_EN = "zero one two three four five six seven eight nine".split()


@functools.lru_cache(maxsize=64)
def num2words_language(language: str) -> str | None:
    """num2words' code for a book language ('en-GB' -> 'en', 'pt-BR' -> 'pt_BR'), None when it has none."""
    code = language.replace("-", "_")
    for candidate in (code, code.split("_")[0].lower()):
        if candidate in CONVERTER_CLASSES:
            return candidate
    return None


@functools.lru_cache(maxsize=4096)
def _words(n: int, language: str, to: str) -> str:
    """num2words' reading; a number too big for the language's converter is read digit by digit."""
    try:
        return num2words(n, lang=num2words_language(language) or "en", to=to).replace(",", "")
    except OverflowError:
        return ("minus " if n < 0 and language.startswith("en") else "") + spell_digits(str(abs(n)), language)


def spell_number(n: int, language: str = "en") -> str:
    """An integer in words: 1234 -> 'one thousand two hundred and thirty-four', 21 'fr' -> 'vingt et un'."""
    return _words(n, language, "cardinal")


def spell_ordinal(n: int, language: str = "en") -> str:
    """21 -> 'twenty-first' ('vingt et unième' in French); the cardinal where num2words has no ordinals."""
    try:
        return _words(n, language, "ordinal")
    except NotImplementedError:
        return spell_number(n, language)


def spell_year(n: int, language: str = "en") -> str:
    """Years as people say them: 1984 'nineteen eighty-four', 1905 'nineteen oh-five', 2005 'two thousand and five'."""
    try:
        return _words(n, language, "year")
    except (NotImplementedError, AttributeError, TypeError):
        return spell_number(n, language)


def spell_digits(digits: str, language: str = "en") -> str:
    """'007' -> 'zero zero seven': each digit on its own (codes, phone numbers, decimals)."""
    if language.startswith("en"):
        return " ".join(DIGIT_NAMES_EN[int(d)] for d in digits)
    return " ".join(spell_number(int(d), language) for d in digits)


def spell_numeral(integer: str, fraction: str | None = None, language: str = "en") -> str:
    """A written numeral ('1,234', '007', '3' + '14') in words; decimals digit by digit after 'point'."""
    plain = integer.replace(",", "")
    if (len(plain) > 1 and plain.startswith("0")) or int(plain) >= MAX_SPELLED:
        words = spell_digits(plain, language)
    else:
        words = spell_number(int(plain), language)
    return words + (f" point {spell_digits(fraction, language)}" if fraction else "")


def spell_house_number(digits: str) -> str:
    """House and room numbers as people say them: 221 'two twenty-one', 1420 'fourteen twenty', 7 'seven'."""
    n = int(digits)
    if 100 <= n < 10000 and n % 100 and not digits.startswith("0"):
        high, low = divmod(n, 100)
        return f"{spell_number(high)} {('oh ' + spell_number(low)) if low < 10 else spell_number(low)}"
    return spell_numeral(digits)


def plural(words: str) -> str:
    """'nineteen eighty' -> 'nineteen eighties' (decades), 'quarter' -> 'quarters'."""
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


FRACTION_NAMES = {2: ("half", "halves"), 4: ("quarter", "quarters")}


def spell_fraction(numerator: int, denominator: int) -> str:
    """3/4 -> 'three quarters', 1/2 -> 'a half', 5/8 -> 'five eighths'."""
    one, many = FRACTION_NAMES.get(denominator) or (spell_ordinal(denominator),) * 2
    if numerator == 1:
        return ("an " if one[0] in "aeio" else "a ") + one
    return f"{spell_number(numerator)} {many if denominator in FRACTION_NAMES else plural(many)}"
