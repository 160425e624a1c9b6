"""Dates, clock times, ranges and years, said the way the language's table says them.

'21 June 1815', 'June 21st', '21/06/1815', '1815-06-21', 'le 1er mai', '5. Mai', '30 de julio del 2020';
'10:05', '7 p.m.', '08:00 Uhr', '14h30', '13.30' (Spanish); '1914-18', 'pages 10-12'; '1984'.
"""

from __future__ import annotations

import re

from .grammar import Rule, alternation, capitalize_at_start, month_name, month_pattern, \
    ordinal_ending, ordinal_mark_pattern
from .numbers import spell_number, spell_year
from .spelling import cardinal, counted, integer, ordinal, unit_phrase
from .table import LanguageTable
from .text import keep_period


def say_day(day: int, before: str, t: LanguageTable) -> str:
    if day in t.dates.day_words:
        return t.dates.day_words[day]
    if t.dates.day == "ordinal":
        return ordinal(day, t) + ordinal_ending(before, t)
    return cardinal(day, t)


def say_year(written: str, t: LanguageTable) -> str:
    return spell_year(int(written), t.code) if len(written) == 4 else integer(written, t)


def say_date(days: list[int], month: str, year: str | None, t: LanguageTable, before: str = "",
             month_first: bool = False, of: str | None = None) -> str:
    """The date's words: days (one or a span), the month as the book wrote it, the year."""
    d = t.dates
    spoken_days = d.day_joiner.join(say_day(day, before, t) for day in days)
    pattern = d.month_day if month_first and d.month_day else d.day_month
    date = pattern.format(day=spoken_days, month=month)
    if year:
        date = d.with_year.format(date=date, year=say_year(year, t), of=of or d.of_year)
    return date


def valid(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def numeric_date_rule(t: LanguageTable) -> Rule:
    """'2016-11-03', '10/06/2005', '15.01.2020', '02.03' (fr, de, it): numbers alone, in the language's order."""
    full = re.compile(r"(?<![\w.,/:-])(\d{1,4})([-/.])(\d{1,2})\2(\d{4}|\d{2}|\d{1,2}(?=\s|$))(?![\w/-]|[.,:]\d)")
    month_year = re.compile(r"(?<![\w.,/:-])(\d{4})-(0\d|1[0-2])(?![\w/-]|[.,:]\d)")
    short = re.compile(r"(?<![\w.,/:-])(\d{2})\.(\d{2})(?![\w]|[.,:]?\d)") if t.dates.numeric_order == "dmy" \
        and not t.times.bare_dot and t.decimal_mark == "," else None

    def date(match: re.Match) -> str:
        first, _, second, third = match.groups()
        month_first = len(first) == 4 or (t.dates.numeric_order == "mdy" and int(first) <= 12)
        if len(first) == 4:
            year, month, day = first, int(second), int(third)
        elif len(third) in (2, 4):
            day, month, year = (int(second), int(first), third) if month_first else (int(first), int(second), third)
        else:
            return match.group(0)
        if not valid(day, month):
            return match.group(0)
        return say_date([day], t.months[month - 1], year, t, match.string[:match.start()], month_first=month_first)

    def short_date(match: re.Match) -> str:
        day, month = int(match.group(1)), int(match.group(2))
        return say_date([day], t.months[month - 1], None, t, match.string[:match.start()]) if valid(day, month) \
            else match.group(0)

    def rule(text: str) -> str:
        text = full.sub(date, text)
        text = month_year.sub(lambda m: f"{t.months[int(m.group(2)) - 1]} {say_year(m.group(1), t)}", text)
        return short.sub(short_date, text) if short else text

    return rule


def word_date_rule(t: LanguageTable) -> Rule:
    """Dates with the month's name: '21 June 1815', 'the 3-4 October', 'June 21st, 1815', 'abril 30', '5. Mai'."""
    d = t.dates
    month, marks = month_pattern(t), ordinal_mark_pattern(t)
    ranges = alternation([t.range_word, "to", "-", "–", "/", "al", "au"])
    days = rf"\d{{1,2}}(?:{marks})?(?:\s?(?:{ranges})\s?\d{{1,2}}(?:{marks})?)*"
    article = rf"(?:\b({alternation([d.article, d.article.capitalize()])})\s)?" if d.article else "()"
    connector = rf"(?:(?:{alternation(d.connectors)})\s)?"
    year = rf"(?:(?:,\s?|\s|-)(?:({alternation(d.connectors)})\s)?(\d{{4}})(?!\d))?"
    day_month = re.compile(rf"{article}(?<![\w.,/:])({days})\s{connector}{month}{year}")
    month_day = re.compile(rf"{month}[\s-](\d{{1,2}})(?:{marks})?(?![\d.,:]\d|\d){year}")

    def spoken_day_month(match: re.Match) -> str:
        the, written_days, written_month, of, year = match.groups()
        numbers = [int(n) for n in re.findall(r"\d+", written_days)]
        if not all(1 <= n <= 31 for n in numbers):
            return match.group(0)
        words = say_date(numbers, month_name(written_month, t), year, t, match.string[:match.start()], of=of)
        if the and words.startswith(d.article):
            words = the + words[len(d.article):]
        return capitalize_at_start(match, words) if d.article else words

    def spoken_month_day(match: re.Match) -> str:
        written_month, day, of, year = match.groups()
        if not 1 <= int(day) <= 31:
            return match.group(0)
        return say_date([int(day)], month_name(written_month, t), year, t, match.string[:match.start()],
                        month_first=True, of=of)

    return lambda text: month_day.sub(spoken_month_day, day_month.sub(spoken_day_month, text))


def meridiem_pattern(t: LanguageTable) -> str:
    """'a.m.', 'p. m.' (and 'am', 'PM' where the table allows) -> the group holds 'a' or 'p'."""
    if t.times.plain_meridiem:
        return r"(?:\s?([AaPp])\.?\s?[Mm]\b\.?)"
    return r"(?:\s?([ap])\.\s?m\b\.?)"


class ClockSlots(dict):
    """The words of a time's slots, made when a pattern asks for them: {hour} {minute} as numbers,
    {hours} {minutes} {seconds} with the unit's name (from CLDR) agreeing with the number."""

    def __init__(self, values: dict[str, int], t: LanguageTable):
        super().__init__()
        self.values, self.t = values, t

    def __missing__(self, slot: str) -> str:
        t, clock = self.t, self.t.times
        n = self.values[slot.rstrip("s")]
        if slot == "hour":
            return cardinal(n, t, clock.hour_noun or None)
        if slot == "minute":
            zero = f"{clock.minute_zero} " if self.values["minute_written"] < 10 and n and clock.minute_zero else ""
            return zero + spell_number(n, t.code)
        return counted(spell_number(n, t.code), unit_phrase(f"duration-{slot.rstrip('s')}", n, t), t)


def say_time(hour: int, minute: str | None, second: str | None, meridiem: str | None, t: LanguageTable) -> str | None:
    """A clock time's words, None when it is no time (hour over 24)."""
    if hour > 24:
        return None
    clock = t.times
    slots = ClockSlots({"hour": hour, "minute": int(minute or 0), "minute_written": int(minute or 0),
                        "second": int(second or 0)}, t)
    if second is not None:
        spoken = clock.with_seconds.format_map(slots)
    elif minute is not None and int(minute):
        spoken = clock.hour_minute.format_map(slots)
    else:
        spoken = "{hour}".format_map(slots) if meridiem else clock.full_hour.format_map(slots)
    if meridiem:
        spoken += " " + (clock.am if meridiem.lower() == "a" else clock.pm)
    return spoken


def time_rule(t: LanguageTable) -> Rule:
    """'10:05', '14:10:30', '7 p.m.', '1.59 p.m.', '08:00 Uhr', '14h30', Spanish '13.30'."""
    clock = t.times
    words = rf"(?:\s?({alternation(clock.hour_words)})\b\.?)?" if clock.hour_words else "()"
    meridiem = meridiem_pattern(t)
    time = re.compile(rf"(?<![\w.:])(?<!\d,)(\d{{1,2}})([:.])([0-5]\d)(?::([0-5]\d))?(?![\d]|[.,:]\d){meridiem}?{words}")
    hour = re.compile(rf"(?<![\w.:])(?<!\d,)(\d{{1,2}}){meridiem}")
    mark = re.compile(r"(?<![\w.:])(?<!\d,)(\d{1,2})\s?h\s?([0-5]\d)(?:\s?(?:min|m)\b)?(?!\d)") if clock.hour_mark else None

    def spoken(match: re.Match) -> str:
        h, separator, minute, second, meridiem, word = match.groups()
        if separator == "." and not (meridiem or word or clock.bare_dot):
            return match.group(0)
        words = say_time(int(h), minute, second, meridiem, t)
        if words is None:
            return match.group(0)
        return keep_period(match, words) if match.group(0).endswith(".") else words

    meridiem_free = meridiem.replace("([AaPp])", "[AaPp]").replace("([ap])", "[ap]")
    span = re.compile(rf"(?<=\d)({meridiem_free}?)\s?[-–—]\s?(?=\d{{1,2}}(?:[:.]\d\d)?{meridiem_free})")

    def rule(text: str) -> str:
        text = span.sub(lambda m: f"{m.group(1)} {t.range_word} ", text)
        text = time.sub(spoken, text)
        text = hour.sub(lambda m: keep_period(m, say_time(int(m.group(1)), None, None, m.group(2), t) or m.group(0))
                        if m.group(0).endswith(".") else say_time(int(m.group(1)), None, None, m.group(2), t)
                        or m.group(0), text)
        return mark.sub(lambda m: say_time(int(m.group(1)), m.group(2), None, None, t) or m.group(0), text) \
            if mark else text

    return rule


def range_rule(t: LanguageTable) -> Rule:
    """'(1820-1897)' -> '1820 to 1897', '1914-18' -> '1914 to 1918', 'pages 10-12' -> '10 to 12' (read later)."""
    years = re.compile(r"(?<![\w.,-])(1\d{3}|20\d{2})\s?-\s?(\d{2}|\d{4})(?![\w-]|[.,]\d)")
    numbers = re.compile(r"(?<![\w.,-])(\d{1,3})-(\d{1,3})(?![\d-]|[.,]\d|(?i:ths|rds|nds)\b)")  # '2-5lb' too

    def year_span(match: re.Match) -> str:
        first, second = match.groups()
        second = first[:2] + second if len(second) == 2 else second
        return f"{first} {t.range_word} {second}" if int(first) < int(second) <= 2099 else match.group(0)

    def number_span(match: re.Match) -> str:
        first, second = match.groups()
        return f"{first} {t.range_word} {second}" if int(first) < int(second) else match.group(0)

    return lambda text: numbers.sub(number_span, years.sub(year_span, text))


def year_rule(t: LanguageTable) -> Rule:
    """Four-digit numbers from 1000 to 2099 are read as years ('1984' 'nineteen eighty-four'); so is any number
    next to an era ('55 B.C.', 'A.D. 340')."""
    year = re.compile(r"(?<![\d,.$£€¥/-])\b(1\d{3}|20\d{2})\b(?![,.]\d|%|/)")
    eras = alternation(t.eras)
    before_era = re.compile(rf"(?<![\w.,])(\d{{1,4}})(?=\s?(?:{eras})(?!\w))")
    after_era = re.compile(rf"(?<!\w)((?:{eras})\s)(\d{{1,4}})(?![\w.,]\d?)")

    def rule(text: str) -> str:
        if t.eras:
            text = before_era.sub(lambda m: spell_year(int(m.group(1)), t.code), text)
            text = after_era.sub(lambda m: m.group(1) + spell_year(int(m.group(2)), t.code), text)
        return year.sub(lambda m: spell_year(int(m.group(1)), t.code), text)

    return rule


def date_rules(t: LanguageTable) -> tuple[Rule, ...]:
    return (numeric_date_rule(t), word_date_rule(t), range_rule(t))


def clock_rules(t: LanguageTable) -> tuple[Rule, ...]:
    return (time_rule(t),)
