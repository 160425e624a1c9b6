"""Numbers in a language's words, by its table: cardinals agreeing with their noun, ordinals in their
written form, decimals, written numerals with thousands separators, fractions, unit and currency names.

num2words says the numbers; this module adds what a table says about them (Spanish 'un dólar',
'doscientas millas', '1.ª' 'primera', German 'am 5.' 'fünften') and never drops a digit: a numeral
too long to name, or written with a leading zero, is read digit by digit.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from babel import Locale

from .numbers import MAX_SPELLED, spell_digits, spell_number, spell_ordinal
from .table import Currency, LanguageTable, Rewrite, Unit, unit_names


def rewrite(words: str, rules: tuple[Rewrite, ...]) -> str:
    for pattern, replacement in rules:
        words = re.sub(pattern, replacement, words)
    return words


def is_feminine(noun: str, t: LanguageTable) -> bool:
    first = noun.split()[0].lower() if noun.strip() else ""
    return first in t.feminine_nouns


def agree(words: str, noun: str | None, t: LanguageTable, feminine: bool | None = None) -> str:
    """A number's words before the noun they count: 'uno' -> 'un' (dólar) or 'una' (libra)."""
    if noun is None:
        return words
    if feminine if feminine is not None else is_feminine(noun, t):
        return rewrite(words, t.before_feminine)
    return rewrite(words, t.before_noun)


def cardinal(n: int, t: LanguageTable, noun: str | None = None, feminine: bool | None = None) -> str:
    return agree(spell_number(n, t.code), noun, t, feminine)


def ordinal(n: int, t: LanguageTable, form: str = "") -> str:
    """n as an ordinal in the written form's shape: Spanish '1.ª' 'primera', '1.er' 'primer'."""
    words = t.ordinal_words.get(n) or rewrite(spell_ordinal(n, t.code), t.ordinal_forms.get("fix", ()))
    return rewrite(words, t.ordinal_forms.get(form, ()))


def group_pattern(t: LanguageTable) -> str:
    """A whole number as the language writes it: '1234', or grouped by threes ('1,234' '1.234' '1 234')."""
    marks = "".join(re.escape(m) for m in t.group_marks if m != t.decimal_mark)
    if not marks:
        return r"\d+"
    return rf"(?:\d{{1,3}}(?:[{marks}]\d{{3}})+(?![{marks}]?\d)|\d+)"


def ungroup(written: str) -> str:
    return re.sub(r"[^\d]", "", written)


def integer(written: str, t: LanguageTable, noun: str | None = None, feminine: bool | None = None,
            limit: int = MAX_SPELLED) -> str:
    """A written whole number ('1.234', '007') in words; leading zeros or past `limit`: digit by digit."""
    digits = ungroup(written)
    limit = limit if digits == written else 10**100  # written with separators: a quantity, not a code
    if (len(digits) > 1 and digits.startswith("0")) or int(digits) >= limit:
        return spell_digits(digits, t.code)
    return cardinal(int(digits), t, noun, feminine)


def fraction_digits(digits: str, t: LanguageTable) -> str:
    """What follows the decimal mark. 'digits': one by one. 'grouped': up to three as one number when no
    zero leads ('818,303' 'trois cent trois'), else in pairs, a pair with a leading zero digit by digit
    ('1415' 'catorce quince', '0101' 'cero uno cero uno')."""
    if t.decimal_digits != "grouped":
        return spell_digits(digits, t.code)
    if len(digits) <= 3 and not digits.startswith("0"):
        return spell_number(int(digits), t.code)
    pairs = [digits[i:i + 2] for i in range(0, len(digits), 2)]
    return " ".join(spell_digits(pair, t.code) if pair.startswith("0") else spell_number(int(pair), t.code)
                    for pair in pairs)


def decimal(whole: str, fraction: str, t: LanguageTable) -> str:
    """'3,5' -> 'trois virgule cinq': every digit read, the whole part as a number (digit by digit only
    where num2words cannot name it)."""
    point = t.decimal_word or "point"
    head = integer(whole, t, limit=10**100) if whole else ""
    return f"{head} {point} {fraction_digits(fraction, t)}".strip()


def numeral(whole: str, fraction: str | None, t: LanguageTable, noun: str | None = None) -> str:
    """A written number with or without decimals; only a whole number agrees with its noun."""
    return decimal(whole, fraction, t) if fraction else integer(whole, t, noun)


# --- names of the things numbers count ------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def plural_form(amount: Decimal | int, t: LanguageTable) -> str:
    """CLDR's plural category of an amount in the table's locale ('one', 'few', 'other', ...)."""
    return _locale(t.babel_locale).plural_form(abs(amount))


def unit_phrase(unit: Unit | str, amount: Decimal | int, t: LanguageTable) -> str:
    """'{0} kilometres' for a unit: the table's names, or Babel's CLDR names for a unit id."""
    if isinstance(unit, Unit):
        return "{0} " + (unit.one if amount == 1 else unit.many)
    return unit_names(unit, plural_form(amount, t), t.babel_locale)


def counted(words: str, phrase: str, t: LanguageTable) -> str:
    """A number's words put into a '{0} noun' phrase, agreeing with the noun."""
    noun = phrase.replace("{0}", "").strip()
    return phrase.replace("{0}", agree(words, noun, t)) if "{0}" in phrase else f"{words} {phrase}"


def currency_name(currency: Currency, amount: int, minor: bool = False) -> tuple[str, bool]:
    """(name, feminine) of a currency or its hundredth for an amount."""
    if minor:
        return (currency.minor_one if amount == 1 else currency.minor_many), currency.minor_feminine
    return (currency.one if amount == 1 else currency.many), currency.feminine


# --- fractions -------------------------------------------------------------------------------------

def denominator_name(denominator: int, t: LanguageTable, many: bool) -> str | None:
    """'tiers', 'quarters', 'fünftel', 'onceavos'; None when the language says 'one over N' instead."""
    if denominator in t.fraction_names:
        return t.fraction_names[denominator][1 if many else 0]
    for low, high, suffix in t.fraction_suffixes:
        if low <= denominator <= high:
            name = rewrite(spell_number(denominator, t.code) + suffix, t.fraction_fixes)
            return rewrite(name, t.fraction_plural) if many else name
    if denominator > t.fraction_named_up_to:
        return None
    name = ordinal(denominator, t)
    if t.fraction_over and " " in name:
        return None
    return rewrite(name, t.fraction_plural) if many else name


def fraction(numerator: int, denominator: int, t: LanguageTable, whole: int | None = None) -> str:
    """3/4 -> 'three quarters', 1/2 -> 'a half', 1/101 -> 'uno sobre ciento uno'; with a whole: 'two and a half'."""
    name = denominator_name(denominator, t, numerator != 1)
    if name is None:
        part = t.fraction_over.format(numerator=spell_number(numerator, t.code),
                                      denominator=spell_number(denominator, t.code))
    elif numerator == 1 and t.fraction_one:
        part = rewrite(f"{t.fraction_one} {name}", t.fraction_one_fixes)
    else:
        part = f"{cardinal(numerator, t, name)} {name}"
    if whole is None:
        return part
    joiner = f" {t.and_word} " if t.and_word else " "
    return cardinal(whole, t, None if t.and_word else (name or "")) + joiner + part
