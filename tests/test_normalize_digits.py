"""No quantity is changed or dropped: every digit of a generated amount, decimal, date or time is found in
its reading, in order, said as a number, a digit, a year or an ordinal day (Hypothesis, derandomized).

How a reading is checked: the words the text itself has and the table's names (currencies, months, the
decimal word, units) are taken out; what is left must be the written digits, cut into consecutive
chunks, each said as num2words says that chunk (cardinal, ordinal, year, digit by digit, or in the form
it takes before a noun), with only the language's 'and' between them. A digit dropped, added or
changed ('$20.506' said as 'twenty dollars and fifty cents') leaves letters or digits over.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tasks.text.normalize import normalize_for_speech, table_for
from tasks.text.normalize.numbers import spell_digits, spell_number, spell_ordinal, spell_year
from tasks.text.normalize.spelling import rewrite
from tasks.text.normalize.table import LanguageTable, unit_names

LANGUAGES = ["en", "fr", "de", "es", "it"]
JOINERS = {"en": ("and",), "fr": ("et",), "de": ("und",), "es": ("y", "con"), "it": ("e",)}
SETTINGS = settings(max_examples=120, deadline=None, derandomize=True)


def letters(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in plain if c.isalpha() and not unicodedata.combining(c))


@functools.lru_cache(maxsize=8)
def table_words(language: str) -> frozenset[str]:
    """Words of the table that are no numbers: currency, month, unit and time names, the decimal word."""
    t = table_for(language)
    names = [t.decimal_word, t.minus, t.percent, t.scale_of, *t.months, *t.scale_words.values(),
             rewrite(f"{t.scale_of} euros", t.elisions)]
    for currency in t.currencies.values():
        names += [currency.one, currency.many, currency.minor_one, currency.minor_many]
    for unit in ("duration-hour", "duration-minute", "duration-second"):
        names += [unit_names(unit, form, t.babel_locale) for form in ("one", "other", "few", "many")]
    names += [t.times.am, t.times.pm, t.times.hour_minute, t.times.full_hour, t.times.with_seconds,
              t.dates.day_month, t.dates.with_year, t.dates.month_day, t.dates.of_year, t.money]
    return frozenset(vocabulary(tuple(names)) - set(JOINERS[language]) - number_words(language))


def vocabulary(names: tuple[str, ...]) -> set[str]:
    return {letters(w) for name in names for w in re.split(r"[\s{}']+", name or "") if letters(w)}


@functools.lru_cache(maxsize=8)
def optional_words(language: str) -> tuple[str, ...]:
    """Words the DP may skip: the language's 'and', and table names that are number words too (French 'cents')."""
    t = table_for(language)
    names = [n for c in t.currencies.values() for n in (c.one, c.many, c.minor_one, c.minor_many)]
    shared = vocabulary(tuple(names)) & number_words(language)
    return tuple(sorted({letters(j) for j in JOINERS[language]} | shared, key=len, reverse=True))


@functools.lru_cache(maxsize=8)
def number_words(language: str) -> frozenset[str]:
    """Words that belong to numbers ('cent' is a hundred in French, 'second' an ordinal): never taken out."""
    scales = (*(10**k for k in range(3, 19, 3)), *(2 * 10**k for k in range(3, 19, 3)))
    readings = [spell_number(n, language) for n in (*range(1000), *scales)]
    readings += [spell_ordinal(n, language) for n in (*range(101), *scales)]
    return frozenset(letters(w) for reading in readings for w in re.findall(r"[^\W\d_]+", reading))


def number_readings(chunk: str, t: LanguageTable, lenient_zeros: bool) -> set[str]:
    """How a chunk of digits may be said: digit by digit, and when it is a number (no leading zero, or a
    minute or day) as a cardinal, an ordinal (German endings too), a year, or agreeing with a noun."""
    readings = {letters(spell_digits(chunk, t.code))}
    if t.code == "en" and set(chunk) == {"0"}:
        readings.add("oh" * len(chunk))
    if chunk.startswith("0") and len(chunk) > 1 and not lenient_zeros:
        return readings
    n = int(chunk)
    cardinal = spell_number(n, t.code)
    forms = {cardinal, rewrite(cardinal, t.before_noun), rewrite(cardinal, t.before_feminine), spell_year(n, t.code)}
    ordinal = spell_ordinal(n, t.code)
    forms |= {ordinal + ending for ending in ("", "n", "r", "s", "m")} | set(t.dates.day_words.values())
    forms |= {t.ordinal_words.get(n, "")}
    return readings | {letters(f) for f in forms if f}


def accounted(spoken: str, digits: str, language: str, lenient_zeros: bool = False, text_words: str = "") -> bool:
    """Whether the spoken words, the text's own and the table's taken out, say exactly `digits` in order."""
    t = table_for(language)
    own = {letters(w) for w in re.findall(r"[^\W\d_]+", text_words)} | table_words(language)
    kept = [w for w in re.findall(r"[^\W\d_]+", spoken) if letters(w) not in own]
    heard = "".join(letters(w) for w in kept)
    skippable = optional_words(language)

    @functools.lru_cache(maxsize=None)
    def reach(i: int, j: int) -> bool:
        if i == len(heard) and j == len(digits):
            return True
        if i and any(heard.startswith(w, i) and reach(i + len(w), j) for w in skippable):
            return True
        for k in range(j + 1, min(len(digits), j + 15) + 1):
            for reading in number_readings(digits[j:k], t, lenient_zeros):
                if reading and heard.startswith(reading, i) and reach(i + len(reading), k):
                    return True
        return False

    return reach(0, 0)


TEXT = "Zum {} heute."  # words around the number, no number among them in any language


def assert_every_digit_read(written: str, spoken: str, digit_choices: list[str], language: str,
                            lenient_zeros: bool = False) -> None:
    assert not re.search(r"\d", spoken), (written, spoken)
    assert any(accounted(spoken, digits, language, lenient_zeros, TEXT) for digits in digit_choices), (written, spoken)


def grouped(n: int, mark: str) -> str:
    return f"{n:,}".replace(",", mark)


WHOLE = st.integers(0, 10**9)
FRACTION = st.from_regex(r"\d{1,4}", fullmatch=True)


@SETTINGS
@given(st.sampled_from(LANGUAGES), WHOLE, st.one_of(st.none(), FRACTION), st.booleans(), st.data())
@example("en", 20, "506", False, None)  # '$20.506' is never 'twenty dollars and fifty cents'
@example("en", 1, "111", False, None)
@example("it", 33, "32", False, None)  # num2words' Italian drops a Decimal's decimals
def test_an_amount_of_money_keeps_every_digit(language, whole, fraction, group, data):
    t = table_for(language)
    symbols = [s for s, c in t.currencies.items() if not any(ch.isalpha() for ch in s)]
    symbol = data.draw(st.sampled_from(symbols)) if data else symbols[0]
    number = (grouped(whole, t.group_marks[0]) if group and t.group_marks else str(whole))
    number += f"{t.decimal_mark}{fraction}" if fraction else ""
    written = f"{symbol}{number}" if language == "en" else f"{number} {symbol}"
    spoken = normalize_for_speech(TEXT.format(written), language)
    choices = [f"{whole}{fraction or ''}"]
    if fraction and len(fraction) <= 2:  # cents: '20.5' is twenty and fifty cents
        cents = int(fraction.ljust(2, "0"))
        choices += [f"{whole}{cents}" if cents else str(whole), str(cents)] if whole else [str(cents)]
    assert_every_digit_read(written, spoken, choices, language)


@SETTINGS
@given(st.sampled_from(LANGUAGES), st.integers(0, 10**12), FRACTION, st.booleans(), st.booleans())
@example("es", 1000001000000000000000000000, "1", False, False)  # once an OverflowError in speak_decimal
@example("it", 33, "32", False, False)
def test_a_decimal_number_keeps_every_digit(language, whole, fraction, negative, group):
    t = table_for(language)
    number = (grouped(whole, t.group_marks[0]) if group and t.group_marks else str(whole))
    written = ("-" if negative else "") + f"{number}{t.decimal_mark}{fraction}"
    spoken = normalize_for_speech(TEXT.format(written), language)
    assert_every_digit_read(written, spoken, [f"{whole}{fraction}"], language)


@SETTINGS
@given(st.sampled_from(LANGUAGES), st.integers(1, 28), st.integers(1, 12), st.integers(1000, 2099),
       st.sampled_from(["words", "slash", "dots", "iso"]))
def test_a_date_keeps_its_day_month_and_year(language, day, month, year, form):
    t = table_for(language)
    month_first = language == "en"
    written = {
        "words": f"{day} {t.months[month - 1]} {year}",
        "slash": f"{month}/{day}/{year}" if month_first else f"{day}/{month}/{year}",
        "dots": f"{day:02}.{month:02}.{year}" if not month_first else f"{month:02}.{day:02}.{year}",
        "iso": f"{year}-{month:02}-{day:02}",
    }[form]
    spoken = normalize_for_speech(TEXT.format(written), language)
    assert t.months[month - 1].lower() in spoken.lower(), (written, spoken)
    assert_every_digit_read(written, spoken, [f"{day}{year}"], language, lenient_zeros=True)


@SETTINGS
@given(st.sampled_from(LANGUAGES), st.integers(0, 23), st.integers(0, 59), st.one_of(st.none(), st.integers(0, 59)))
@example("en", 10, 0, 30)  # seconds are read even with the minutes at zero
def test_a_clock_time_keeps_its_hours_minutes_and_seconds(language, hour, minute, second):
    written = f"{hour:02}:{minute:02}" + (f":{second:02}" if second is not None else "")
    spoken = normalize_for_speech(TEXT.format(written), language)
    seconds = f"{second:02}" if second is not None else ""
    choices = [f"{hour}{minute:02}{seconds}"] + ([f"{hour}{seconds}"] if minute == 0 else [])
    assert_every_digit_read(written, spoken, choices, language, lenient_zeros=True)


@pytest.mark.parametrize("language, written, wrong", [
    ("en", "It cost $20.506.", "fifty cents"), ("en", "It cost £1.111.", "eleven pence"),
    ("it", "Costa 33,32 euro.", "trentatré euro."),
])
def test_decimals_that_do_not_fit_the_currency_are_read_as_written(language, written, wrong):
    assert wrong not in normalize_for_speech(written, language)


def test_the_check_itself_catches_a_dropped_or_changed_digit():
    assert accounted("twenty point five zero six dollars", "20506", "en")
    assert not accounted("twenty dollars and fifty cents", "20506", "en")
    assert not accounted("trentatré", "3332", "it")
    assert accounted("trentatré virgola trentadue", "3332", "it")
