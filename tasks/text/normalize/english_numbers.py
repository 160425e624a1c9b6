"""English rules for numbers in context: money (decimal and old £sd), units, fractions, dates, years, times.

Each rule reads the numbers it recognises by their context and leaves the rest for the rules after it;
`expand_numbers` then reads what is left as plain numbers.
"""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction

from .numbers import (plural, spell_digits, spell_fraction, spell_house_number, spell_number, spell_numeral,
                      spell_ordinal, spell_year)
from .text import keep_period, starts_sentence


HAS_NUMBER = re.compile(r"[\d½¼¾⅓⅔⅛⅜⅝⅞⅕⅖⅗⅘⅙⅚%]")
MONTHS = ("January February March April May June July August September October November "
          "December").split()
MONTH = "(" + "|".join(MONTHS) + ")"
ORDINAL = r"(?:st|nd|rd|th|d)"

# --- money ----------------------------------------------------------------------------------------

CURRENCIES = {  # symbol -> (one, many, one hundredth, many hundredths)
    "$": ("dollar", "dollars", "cent", "cents"), "£": ("pound", "pounds", "penny", "pence"),
    "€": ("euro", "euros", "cent", "cents"), "¥": ("yen", "yen", "sen", "sen"),
}
CURRENCY = re.compile(r"([$£€¥])\s?(\d[\d,]*)(?:\.(\d+))?(?:\s(thousand|million|billion|trillion)\b)?")


def expand_currency(text: str) -> str:
    """$5 -> 'five dollars', £3.50 -> 'three pounds and fifty pence', $2.5 million -> 'two point five million dollars'."""

    def money(match: re.Match) -> str:
        one, many, sub_one, sub_many = CURRENCIES[match.group(1)]
        whole, fraction, scale = match.group(2), match.group(3), match.group(4)
        if scale:
            return f"{spell_numeral(whole, fraction)} {scale} {many}"
        amount = int(whole.replace(",", ""))
        cents = int(fraction.ljust(2, "0")[:2]) if fraction else 0
        main = f"{spell_numeral(whole)} {one if amount == 1 else many}"
        change = f"{spell_number(cents)} {sub_one if cents == 1 else sub_many}"
        if not cents:
            return main
        return change if amount == 0 else f"{main} and {change}"

    return CURRENCY.sub(money, text)


# Pounds, shillings and pence before decimalisation: £3 7s. 6d., 3l. 7s. 6d., 7s. 6d., 7s., 2d., 9½d.
PENCE = r"(\d{1,2}½?|½)\s?d\b\.?"
POUNDS_SHILLINGS = re.compile(rf"(?:£\s?(\d[\d,]*)|\b(\d+)\s?l\.)\s?(\d{{1,2}})\s?s\b\.?(?:\s?{PENCE})?")
SHILLINGS_PENCE = re.compile(rf"\b(\d{{1,2}})\s?s\b\.?\s?{PENCE}")
SHILLINGS = re.compile(r"\b(1?\d)s\.")
POUNDS = re.compile(r"\b(\d[\d,]*)l\.")  # '500l. a year'
PENCE_ONLY = re.compile(rf"(?<!the )(?<![\w.]){PENCE}(?<=\.)(?!\s(?:of|{'|'.join(MONTHS)})\b)")
PENNY_WORDS = {2: "twopence", 3: "threepence", 4: "fourpence", 5: "fivepence", 6: "sixpence", 7: "sevenpence",
               8: "eightpence", 9: "ninepence", 10: "tenpence", 11: "elevenpence"}


def spell_pence(written: str) -> str:
    """'6' -> 'sixpence', '1' -> 'one penny', '2½' -> 'twopence halfpenny', '½' -> 'a halfpenny', '1½' -> 'three halfpence'."""
    half, pence = written.endswith("½"), int(written.rstrip("½") or 0)
    if half and pence < 2:
        return "a halfpenny" if pence == 0 else "three halfpence"
    words = "one penny" if pence == 1 else PENNY_WORDS.get(pence) or f"{spell_number(pence)} pence"
    return words + (" halfpenny" if half else "")


def spell_old_money(pounds: str | None, shillings: str | None, pence: str | None) -> str:
    """('3', '7', '6') -> 'three pounds, seven shillings and sixpence'."""
    high = []
    if pounds:
        high.append(f"{spell_numeral(pounds)} {'pound' if pounds == '1' else 'pounds'}")
    if shillings:
        high.append(f"{spell_number(int(shillings))} {'shilling' if int(shillings) == 1 else 'shillings'}")
    spoken = ", ".join(high)
    return f"{spoken} and {spell_pence(pence)}" if spoken and pence else spoken or spell_pence(pence)


def expand_old_money(text: str) -> str:
    """'£3 7s. 6d.' -> 'three pounds, seven shillings and sixpence', '7s. 6d.', '2d.' -> 'twopence', '500l.'."""

    def said(match: re.Match, words: str) -> str:
        return keep_period(match, words) if match.group(0).endswith(".") else words

    text = POUNDS_SHILLINGS.sub(lambda m: said(m, spell_old_money(m.group(1) or m.group(2), m.group(3), m.group(4))), text)
    text = SHILLINGS_PENCE.sub(lambda m: said(m, spell_old_money(None, m.group(1), m.group(2))), text)
    text = SHILLINGS.sub(lambda m: said(m, spell_old_money(None, m.group(1), None)), text)
    text = POUNDS.sub(lambda m: said(m, spell_old_money(m.group(1), None, None)), text)
    return PENCE_ONLY.sub(lambda m: said(m, spell_pence(m.group(1))), text)


PERCENT = re.compile(r"(\d[\d,]*)(?:\.(\d+))?\s?%")


def expand_percentages(text: str) -> str:
    text = PERCENT.sub(lambda m: f"{spell_numeral(m.group(1), m.group(2))} percent", text)
    return text.replace("%", " percent")


# --- units and fractions -------------------------------------------------------------------------

UNITS = {  # written (without its period) -> (one, many)
    "ft": ("foot", "feet"), "in": ("inch", "inches"), "yd": ("yard", "yards"), "yds": ("yard", "yards"),
    "mi": ("mile", "miles"), "lb": ("pound", "pounds"), "lbs": ("pound", "pounds"), "oz": ("ounce", "ounces"),
    "cwt": ("hundredweight", "hundredweight"), "st": ("stone", "stone"), "mph": ("mile per hour", "miles per hour"),
    "km": ("kilometre", "kilometres"), "kg": ("kilogram", "kilograms"), "cm": ("centimetre", "centimetres"),
    "mm": ("millimetre", "millimetres"), "hrs": ("hour", "hours"), "hr": ("hour", "hours"),
    "min": ("minute", "minutes"), "sec": ("second", "seconds"), "m.p.h": ("mile per hour", "miles per hour"),
}
PERIOD_ONLY_UNITS = {"in", "st", "min", "sec", "mi"}  # words too: units only when written with a period
UNIT = re.compile(
    r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)([½¼¾⅓⅔⅛⅜⅝⅞]?)\s?(" + "|".join(map(re.escape, sorted(UNITS, key=len, reverse=True)))
    + r")(\.)?(?![\w])"
)


def expand_units(text: str) -> str:
    """'6 ft. 2 in.' -> '6 feet 2 inches', '1 lb.' -> '1 pound' (the numbers are read by later rules)."""

    def unit(match: re.Match) -> str:
        number, fraction, written, period = match.groups()
        if written in PERIOD_ONLY_UNITS and not period:
            return match.group(0)
        one, many = UNITS[written]
        words = f"{number}{fraction} {one if number == '1' and not fraction else many}"
        return keep_period(match, words) if period else words

    return UNIT.sub(unit, text)


VULGAR = "½¼¾⅓⅔⅛⅜⅝⅞⅕⅖⅗⅘⅙⅚"
VULGAR_FRACTION = re.compile(rf"(?:(\d+)\s?)?([{VULGAR}])")
SLASH_FRACTION = re.compile(r"(?<![\w/.,])(?:(\d+)\s)?([1-9]\d?)/([1-9]\d{0,2})(?![\w/]|[.,]\d)")


def fraction_words(whole: str | None, numerator: int, denominator: int) -> str:
    part = spell_fraction(numerator, denominator)
    return f"{spell_number(int(whole))} and {part}" if whole else part


def expand_fractions(text: str) -> str:
    """'4½' -> 'four and a half', '¾' -> 'three quarters', '2 1/2' -> 'two and a half', '5/8' -> 'five eighths'."""

    def vulgar(match: re.Match) -> str:
        value = Fraction(unicodedata.numeric(match.group(2))).limit_denominator(10)
        return fraction_words(match.group(1), value.numerator, value.denominator)

    def slash(match: re.Match) -> str:  # as written: 2/4 is 'two quarters'; 10/12 is no fraction
        whole, numerator, denominator = match.group(1), int(match.group(2)), int(match.group(3))
        if numerator >= denominator or denominator > 100:
            return match.group(0)
        return fraction_words(whole, numerator, denominator)

    return SLASH_FRACTION.sub(slash, VULGAR_FRACTION.sub(vulgar, text))


# --- dates, years, times, ranges ------------------------------------------------------------------

YEAR = r"(1\d{3}|20\d{2})"
YEAR_RANGE = re.compile(rf"(?<![\w.,-]){YEAR}\s?-\s?(\d{{2}}|\d{{4}})(?![\w-]|[.,]\d)")
NUMBER_RANGE = re.compile(r"(?<![\w.,-])(\d{1,3})-(\d{1,3})(?![\w-]|[.,]\d)")


def expand_ranges(text: str) -> str:
    """'(1820-1897)' -> '(1820 to 1897)', '1914-18' -> '1914 to 1918', 'pages 10-12' -> '10 to 12'."""

    def years(match: re.Match) -> str:
        first, second = match.group(1), match.group(2)
        if len(second) == 2:
            second = first[:2] + second
        return f"{first} to {second}" if int(second) > int(first) else match.group(0)

    def numbers(match: re.Match) -> str:
        first, second = match.groups()
        return f"{first} to {second}" if int(first) < int(second) else match.group(0)

    return NUMBER_RANGE.sub(numbers, YEAR_RANGE.sub(years, text))


ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
MONTH_DAY = re.compile(rf"\b{MONTH}\s(\d{{1,2}}){ORDINAL}?\b(?:,?\s(\d{{4}})\b)?")
DAY_MONTH = re.compile(
    rf"(?:\b([Tt]he)\s)?\b(\d{{1,2}}){ORDINAL}?(?:\s?(?:-|to)\s?(\d{{1,2}}){ORDINAL}?)?\s(?:of\s)?{MONTH}\b"
    rf"(?:,?\s(\d{{4}})\b)?"
)


def expand_dates(text: str) -> str:
    """'January 5, 2021' -> 'January fifth, twenty twenty-one'; 'the 21st June' and '21 June' -> 'the twenty-first of June';
    '3-4 October' -> 'the third to the fourth of October'."""

    def iso(match: re.Match) -> str:
        year, month, day = (int(g) for g in match.groups())
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return match.group(0)
        return f"{MONTHS[month - 1]} {spell_ordinal(day)}, {spell_year(year)}"

    def month_day(match: re.Match) -> str:
        month, day, year = match.groups()
        return f"{month} {spell_ordinal(int(day))}" + (f", {spell_year(int(year))}" if year else "")

    def day_month(match: re.Match) -> str:
        the, first, last, month, year = match.groups()
        days = [int(first)] + ([int(last)] if last else [])
        if not all(1 <= d <= 31 for d in days):
            return match.group(0)
        spoken = " to the ".join(spell_ordinal(d) for d in days)
        the = the or ("The" if starts_sentence(match) else "the")
        return f"{the} {spoken} of {month}" + (f", {spell_year(int(year))}" if year else "")

    text = ISO_DATE.sub(iso, text)
    return DAY_MONTH.sub(day_month, MONTH_DAY.sub(month_day, text))


DECADE = re.compile(r"\b(1\d\d|20\d)0'?s\b")
SHORT_YEAR = re.compile(r"(?<![\w'])'(\d0s|\d\d)\b")  # 'the years '82 and '90', "the '60s"
YEAR_NUMBER = re.compile(rf"(?<![\d,.$£€¥-])\b{YEAR}\b(?![,.]\d|%)")


def expand_years(text: str) -> str:
    """Four-digit numbers from 1000 to 2099 read as years, decades too: 1890s -> 'eighteen nineties', '82 -> 'eighty-two'."""
    text = DECADE.sub(lambda m: plural(spell_year(int(m.group(1)) * 10)), text)
    text = SHORT_YEAR.sub(lambda m: plural(spell_number(int(m.group(1)[:2]))) if m.group(1).endswith("s")
                          else spell_number(int(m.group(1))), text)
    return YEAR_NUMBER.sub(lambda m: spell_year(int(m.group(1))), text)


MERIDIEM = r"\s?([ap]\.m\.|[AaPp]\.?[Mm]\b\.?)"
CLOCK = re.compile(rf"\b(\d{{1,2}})[:.]([0-5]\d)\b(?:{MERIDIEM})?(?(3)|(?<=:\d\d))")
HOUR = re.compile(rf"\b(\d{{1,2}})()(?:{MERIDIEM})")


def expand_times(text: str) -> str:
    """10:05 -> 'ten oh five', 3:00 -> "three o'clock", 7 p.m. and 7.30 p.m. -> 'seven p m', 'seven thirty p m'."""

    def clock(match: re.Match) -> str:
        hour, minute, meridiem = int(match.group(1)), match.group(2), match.group(3)
        if hour > 24:
            return match.group(0)
        if minute and minute != "00":
            spoken = f"{spell_number(hour)} " + (f"oh {spell_number(int(minute))}" if minute[0] == "0" else spell_number(int(minute)))
        else:
            spoken = spell_number(hour) + ("" if meridiem else " o'clock")
        if not meridiem:
            return spoken
        spoken += " a m" if meridiem[0].lower() == "a" else " p m"
        return keep_period(match, spoken) if meridiem.endswith(".") else spoken

    return HOUR.sub(clock, CLOCK.sub(clock, text))


# --- plain numbers --------------------------------------------------------------------------------

ORDINAL_NUMBER = re.compile(r"\b(\d[\d,]*)(st|nd|rd|th)\b|\b(\d*(?<!1)[23])d\b")  # '21st'; old US '2d', '23d'
PHONE = re.compile(r"(?<![\w.,-])(?:\+\d{1,3}[ -]?)?(?:\(\d{2,5}\)[ -]?)?\d{2,5}(?:-\d{2,5}){1,3}(?![\w-]|[.,]\d)")
HOUSE_NUMBER = re.compile(r"\b(\d{1,4})([A-Z])\b")
LETTER_NUMBER = re.compile(r"\b([A-Z])-?(\d{1,3})\b")
NUMBER = re.compile(r"(?:(?<!\S)(-))?(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:[.·](\d+))?(?!\w)")


def expand_ordinals(text: str) -> str:
    return ORDINAL_NUMBER.sub(lambda m: spell_ordinal(int((m.group(1) or m.group(3)).replace(",", ""))), text)


def expand_phone_numbers(text: str) -> str:
    """'555-1234' -> 'five five five, one two three four': groups of seven digits or more read digit by digit."""

    def phone(match: re.Match) -> str:
        groups = re.findall(r"\d+", match.group(0))
        if sum(map(len, groups)) < 7 and not re.search(r"[+(]", match.group(0)):
            return match.group(0)
        return ", ".join(spell_digits(g) for g in groups)

    return PHONE.sub(phone, text)


def expand_alphanumerics(text: str) -> str:
    """'221B' -> 'two twenty-one B', 'A1' -> 'A one', 'M25' -> 'M twenty-five'."""
    text = HOUSE_NUMBER.sub(lambda m: f"{spell_house_number(m.group(1))} {m.group(2)}", text)
    return LETTER_NUMBER.sub(lambda m: f"{m.group(1)} {spell_numeral(m.group(2))}", text)


def expand_numbers(text: str) -> str:
    """Remaining numerals: '1,234' 'one thousand two hundred and thirty-four', '3.14' 'three point one four', '-5' 'minus five'."""

    def number(match: re.Match) -> str:
        return ("minus " if match.group(1) else "") + spell_numeral(match.group(2), match.group(3))

    return NUMBER.sub(number, text)
