"""One table per language: everything the normalizer knows about reading that language, as data.

A `LanguageTable` holds a language's abbreviations, month names, ordinal marks, date and time
patterns, money, units, regnal numbers, separators and the few words the engine says ('point',
'minus', 'percent'). The engine (the other modules of this package) reads only tables, so a
contributor extends a language by editing its file in `languages/` and adds one by writing a table.

Languages without a file get a table made from Babel's CLDR data (separators, month names, unit
and currency names) and num2words' own words: their numbers, dates, money and units are read too.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from dataclasses import dataclass, field
from typing import Mapping

from babel import Locale, UnknownLocaleError
from babel.dates import get_month_names
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol
from babel.units import format_unit
from num2words import CONVERTER_CLASSES

Rewrite = tuple[str, str]  # a regular expression and its replacement, applied to words


@dataclass(frozen=True)
class Currency:
    """A currency's names: 'dollar'/'dollars' and, when amounts have cents, its hundredth."""

    one: str
    many: str
    minor_one: str = ""
    minor_many: str = ""
    feminine: bool = False
    minor_feminine: bool = False


@dataclass(frozen=True)
class Unit:
    """A unit's names given by the table itself (else Babel's CLDR names are used)."""

    one: str
    many: str
    period_only: bool = False  # also a common word ('in', 'st'): a unit only when written with its period


@dataclass(frozen=True)
class DatePatterns:
    """How a date is said. Slots: {day} {month} {year} {date}; {of} is the word before a year."""

    day_month: str = "{day} {month}"  # '21 June' and '21/06'
    month_day: str = ""  # 'June 21' ('' -> said as day_month)
    with_year: str = "{date} {year}"
    of_year: str = ""  # the word before a year, kept as written when the text has one ('del 2020')
    day: str = "cardinal"  # how the day is read: 'cardinal' or 'ordinal'
    day_words: Mapping[int, str] = field(default_factory=dict)  # {1: 'premier'}
    numeric_order: str = "dmy"  # '10/06/2005' is day first ('dmy') or month first ('mdy', unless day > 12)
    article: str = ""  # written before a day and said once ('the 21st June')
    day_joiner: str = " "  # between days of a span: '3-4 October', 'les 17/18 juin'
    connectors: tuple[str, ...] = ()  # written between the parts and dropped: 'of', 'de'


@dataclass(frozen=True)
class TimePatterns:
    """How a clock time is said. Slots: {hour} {minute} (numbers), {hours} {minutes} {seconds} (with their unit)."""

    hour_minute: str = "{hour} {minute}"
    full_hour: str = "{hour}"  # 3:00
    with_seconds: str = "{hours} {minutes} {seconds}"
    minute_zero: str = ""  # English '10:05' 'ten oh five': the word for the minutes' leading zero
    hour_noun: str = ""  # the hour agrees with it: Spanish 'la una' (hora), German 'ein Uhr'
    hour_words: tuple[str, ...] = ()  # written after a time and said by the pattern: 'Uhr', 'h'
    hour_mark: bool = False  # French and Spanish '14h30', '14 h 30'
    bare_dot: bool = False  # '13.30' is a time without a word after it (Spanish)
    am: str = "a m"
    pm: str = "p m"
    plain_meridiem: bool = False  # 'am'/'pm' without periods mark a time (English; German 'am' is a word)


@dataclass(frozen=True)
class LanguageTable:
    """All a language's reading rules as data. See languages/en.py for every field filled in."""

    code: str  # num2words' language code
    babel_locale: str
    # numbers
    decimal_mark: str = ","
    group_marks: str = "."  # thousands separators ('.' or ' ' or ','), never the decimal mark
    decimal_word: str = "point"
    decimal_digits: str = "digits"  # after the mark: 'digits' one by one, or 'grouped' (3 as a number, else pairs)
    minus: str = "minus"
    plus: str = "plus"
    and_word: str = "and"  # joins a whole number and its fraction ('two and a half')
    range_word: str = "to"
    slash_word: str = "over"  # two numbers with a slash that are no fraction or date: '24/7'
    dot_word: str = "dot"  # '123.123.0.40'
    by_word: str = "by"  # '25 x 7'
    times_word: str = "times"  # '2*8'
    ratio_word: str = "to"  # '2:8' that is no clock time
    scale_of: str = ""  # between a scale and what it counts: Spanish 'dos millones de euros'
    elisions: tuple[Rewrite, ...] = ()  # French 'de euros' -> "d'euros"
    scale_words: Mapping[str, str] = field(default_factory=dict)  # written after an amount: 'million', 'bn' -> said
    percent: str = "percent"
    eras: tuple[str, ...] = ()  # 'A.D. 340', '55 B.C.': the number is a year
    # agreement of a number with the noun it counts (Spanish 'un dólar', 'una libra', 'doscientas millas')
    before_noun: tuple[Rewrite, ...] = ()
    before_feminine: tuple[Rewrite, ...] = ()
    feminine_nouns: frozenset[str] = frozenset()
    # ordinals: written marks ('st', 'e', '.º') -> a form; forms -> rewrites of num2words' ordinal
    ordinal_marks: Mapping[str, str] = field(default_factory=dict)
    ordinal_mark_fits: Mapping[str, str] = field(default_factory=dict)  # English: a number's ending -> its marks
    ordinal_forms: Mapping[str, tuple[Rewrite, ...]] = field(default_factory=dict)
    ordinal_words: Mapping[int, str] = field(default_factory=dict)  # num2words' ordinal replaced
    ordinal_after: Mapping[str, str] = field(default_factory=dict)  # German: the word before -> the ending
    ordinal_dot_before: tuple[str, ...] = ()  # German '5.' is an ordinal before these words
    # fractions
    fraction_names: Mapping[int, tuple[str, str]] = field(default_factory=dict)  # 2: ('half', 'halves')
    fraction_suffixes: tuple[tuple[int, int, str], ...] = ()  # (3, 19, 'tel'): cardinal + suffix; else ordinal
    fraction_fixes: tuple[Rewrite, ...] = ()  # spelling of cardinal + suffix ('treinta' 'avo' -> 'treintavo')
    fraction_plural: tuple[Rewrite, ...] = ((r"$", "s"),)  # 'fifth' -> 'fifths'
    fraction_one: str = ""  # English says 'a half', 'a quarter' ('' -> the cardinal one)
    fraction_one_fixes: tuple[Rewrite, ...] = ()  # 'a eighth' -> 'an eighth'
    fraction_over: str = ""  # '{numerator} sobre {denominator}' for an ordinal in two words ('' -> the ordinal)
    fraction_named_up_to: int = 10**12
    # dates and times
    months: tuple[str, ...] = ()
    month_abbreviations: Mapping[str, int] = field(default_factory=dict)
    dates: DatePatterns = DatePatterns()
    times: TimePatterns = TimePatterns()
    # money
    currencies: Mapping[str, Currency] = field(default_factory=dict)  # symbol or code as written
    money: str = "{major} {minor}"
    money_scaled: str = "{amount} {scale} {currency}"  # '$2.5 million' -> '... million dollars'
    # units: written symbol -> a Unit, or a CLDR unit id whose names Babel gives
    units: Mapping[str, Unit | str] = field(default_factory=dict)
    # words
    titles: Mapping[str, str] = field(default_factory=dict)  # before a name: 'Mr.' -> 'Mister'
    abbreviations: Mapping[str, str] = field(default_factory=dict)  # anywhere
    sentence_final: Mapping[str, str] = field(default_factory=dict)  # may end a sentence: 'etc.'
    before_number: Mapping[str, str] = field(default_factory=dict)  # 'No. 7', 'p. 12', 'Nr. 5'
    roman_keywords: tuple[str, ...] = ()  # 'Chapter IV' -> 'Chapter four'
    regnal: str = "{ordinal}"  # 'Henry VIII' -> 'Henry the Eighth': {ordinal}, {Ordinal} (capitalised) or {cardinal}
    roman_ordinal_marks: tuple[str, ...] = ()  # French 'XIXe', 'Ier' -> 'dix-neuvième', 'premier'
    regnal_article: str = ""  # 'Henry the VIII.': the article written before the numeral, said once
    not_names: frozenset[str] = frozenset()  # capitalised words that open sentences: 'And I,' is no regnal number
    roman_i_is_pronoun: bool = False  # English 'I' is a numeral only after a keyword or as 'Charles I.'
    name_abbreviations: Mapping[str, str] = field(default_factory=dict)  # before a numeral: 'Ed. III' -> 'Edward'
    before_year: Mapping[str, str] = field(default_factory=dict)  # before a year: 'c. 1850' -> 'circa'
    money_per: Mapping[str, str] = field(default_factory=dict)  # '$20/mo' -> 'per month'
    per_word: str = "per"
    regnal_words: Mapping[int, str] = field(default_factory=dict)  # French 'Louis Ier' -> 'premier'
    regnal_ordinal_up_to: int = 10**6  # Spanish: 'Felipe II' 'segundo', 'Alfonso XIII' 'trece'
    symbols: Mapping[str, str] = field(default_factory=dict)  # '&' -> ' and '
    extra_rules: tuple[str, ...] = ()  # rules only this language has, by name (see __init__.EXTRA_RULES)


# SI and common symbols, the same in every language; a table's own `units` come first.
SHARED_UNITS: dict[str, str] = {
    "km": "length-kilometer", "m": "length-meter", "cm": "length-centimeter", "mm": "length-millimeter",
    "μm": "length-micrometer", "µm": "length-micrometer", "nm": "length-nanometer",
    "kg": "mass-kilogram", "g": "mass-gram", "mg": "mass-milligram", "t": "mass-tonne",
    "l": "volume-liter", "ml": "volume-milliliter", "cl": "volume-centiliter", "dl": "volume-deciliter",
    "km²": "area-square-kilometer", "m²": "area-square-meter", "cm²": "area-square-centimeter",
    "ha": "area-hectare", "km³": "volume-cubic-kilometer", "m³": "volume-cubic-meter",
    "cm³": "volume-cubic-centimeter", "km/h": "speed-kilometer-per-hour", "m/s": "speed-meter-per-second",
    "kph": "speed-kilometer-per-hour", "mph": "speed-mile-per-hour", "°C": "temperature-celsius",
    "°F": "temperature-fahrenheit", "h": "duration-hour", "min": "duration-minute",
    "s": "duration-second", "ms": "duration-millisecond", "kWh": "energy-kilowatt-hour", "kwh": "energy-kilowatt-hour",
    "kW": "power-kilowatt",
    "Hz": "frequency-hertz", "kHz": "frequency-kilohertz", "MHz": "frequency-megahertz",
    "ft": "length-foot", "mi": "length-mile", "yd": "length-yard", "lb": "mass-pound", "oz": "mass-ounce",
    "psi": "pressure-pound-force-per-square-inch",
}


@functools.lru_cache(maxsize=64)
def plural_sample(plural_form: str, locale: str) -> int | Decimal:
    """A number of a CLDR plural category in a locale ('one' -> 1, Polish 'few' -> 2), to ask Babel with."""
    rules = Locale.parse(locale)
    return next((n for n in range(200) if rules.plural_form(n) == plural_form), Decimal("1.5"))


@functools.lru_cache(maxsize=256)
def unit_names(unit: str, plural_form: str, locale: str) -> str:
    """Babel's long name of a CLDR unit for a plural category, with '{0}' where the number goes."""
    sample = plural_sample(plural_form, locale)
    written = format_unit(sample, unit, length="long", locale=locale).replace("\xa0", " ").replace("\u202f", " ")
    shown = format_decimal(sample, locale=locale)
    return written.replace(shown, "{0}", 1)


CLDR_CODES = {"kz": "kk"}  # num2words' code -> CLDR's, where they differ


def cldr_locale(language: str, code: str) -> Locale | None:
    for name in (language.replace("-", "_"), CLDR_CODES.get(code, code.split("_")[0])):
        try:
            return Locale.parse(name)
        except (UnknownLocaleError, ValueError):
            continue
    return None


def babel_table(language: str, code: str) -> LanguageTable:
    """A table from CLDR (Babel) and num2words for a language without its own file."""
    locale = cldr_locale(language, code)
    converter = CONVERTER_CLASSES[code]
    if locale is None:  # CLDR does not know the language: its numbers only, no names
        return LanguageTable(code=code, babel_locale="en", minus=(getattr(converter, "negword", None) or "-").strip())
    point = getattr(converter, "pointword", None)
    minus = (getattr(converter, "negword", None) or "minus").strip()
    decimal = get_decimal_symbol(locale)
    group = get_group_symbol(locale).replace("\xa0", " ").replace("\u202f", " ")
    months = tuple(get_month_names("wide", locale=locale)[m].lower() for m in range(1, 13))
    percent = unit_names("concentr-percent", "other", str(locale)).replace("{0}", "").strip()
    return LanguageTable(code=code, babel_locale=str(locale), decimal_mark=decimal,
                         group_marks=group if group != decimal else "", decimal_word=point if isinstance(point, str) else "",
                         minus=minus, months=months, percent=percent, units=dict(SHARED_UNITS))
