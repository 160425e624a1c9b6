"""Money, percentages, units and fractions, said by the language's table.

An amount is never changed: '$20.50' is 'twenty dollars and fifty cents', but '$20.506' and '£1.111',
whose decimals do not fit the currency's cents, are read as written ('twenty point five zero six dollars').
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from fractions import Fraction

from .grammar import Rule, alternation, number_pattern
from .spelling import (agree, currency_name, decimal, fraction, group_pattern, integer, numeral, rewrite,
                       ungroup, unit_phrase)
from .table import Currency, LanguageTable, Unit
from .text import keep_period


def amount_value(whole: str | None, fraction_digits: str | None) -> Decimal | int:
    whole_digits = ungroup(whole or "0") or "0"
    return Decimal(f"{whole_digits}.{fraction_digits}") if fraction_digits else int(whole_digits)


def with_scale_of(words: str, noun: str, t: LanguageTable) -> str:
    """'dos millones' 'dólares' -> 'dos millones de dólares' where the language puts a word between."""
    big = [w for w in t.scale_words.values() if w not in ("mil", "mille", "mila", "thousand", "Tausend")]
    if t.scale_of and words.split() and words.split()[-1] in big:
        return rewrite(f"{words} {t.scale_of} {noun}", t.elisions)
    return f"{words} {noun}"


def say_counted(whole: str, currency: Currency, t: LanguageTable, minor: bool = False) -> str:
    """'5' dollars -> 'five dollars', '1' libra -> 'una libra'."""
    n = int(ungroup(whole))
    name, feminine = currency_name(currency, n, minor)
    return with_scale_of(integer(whole, t, name, feminine), name, t)


def say_money(currency: Currency, whole: str | None, cents: str | None, scale: str | None, t: LanguageTable) -> str:
    """An amount of money in words; decimals that do not fit the currency's cents are read as written."""
    if scale:
        amount = numeral(whole or "0", cents, t)
        return rewrite(t.money_scaled.format(amount=amount, scale=t.scale_words[scale], currency=currency.many),
                       t.elisions)
    if cents and (len(cents) > 2 or not currency.minor_one):
        name = currency.one if amount_value(whole, cents) == 1 else currency.many
        return with_scale_of(decimal(whole or "", cents, t), name, t)
    major = say_counted(whole or "0", currency, t)
    if not cents or not int(cents):
        return major
    minor = say_counted(str(int(cents.ljust(2, "0"))), currency, t, minor=True)
    if not int(ungroup(whole or "0")):
        return minor
    return t.money.format(major=major, minor=minor)


def money_rule(t: LanguageTable) -> Rule:
    """'$5.50', '5,50 €', '£200.000.001', '$2.5 million', '¥30b', 'US$76.3 trillion', '$20/mo', '$250-$300'."""
    if not t.currencies:
        return lambda text: text
    symbol = alternation(t.currencies)
    amount = number_pattern(t)
    scale = rf"(?:\s?({alternation(t.scale_words)})(?!\w))?"
    per = rf"(?:/({alternation(t.money_per)})\b)?"
    before = re.compile(rf"(?<!\w)({symbol})\s?{amount}{scale}{per}")
    after = re.compile(rf"(?<![\w.])(?<!\d,){amount}{scale}\s?({symbol})(?!\w){per}")
    span = re.compile(rf"(?<=\d)\s?[-–]\s?(?=(?:{symbol})\s?\d)")
    currencies = {k: v for k, v in t.currencies.items()}

    def per_word(unit: str | None) -> str:
        return f" {t.per_word} {t.money_per[unit]}" if unit else ""

    def spoken_before(match: re.Match) -> str:
        sign, whole, cents, bare, scale, unit = match.groups()
        return say_money(currencies[sign], whole, cents or bare, scale, t) + per_word(unit)

    def spoken_after(match: re.Match) -> str:  # '20.600 fr. Je donne' keeps the sentence's period
        whole, cents, bare, scale, sign, unit = match.groups()
        words = say_money(currencies[sign], whole, cents or bare, scale, t) + per_word(unit)
        return keep_period(match, words) if match.group(0).endswith(".") else words

    def rule(text: str) -> str:
        text = span.sub(f" {t.range_word} ", text)
        return before.sub(spoken_before, after.sub(spoken_after, text))  # '3 fr. 50 c.': the amount before first

    return rule


def percent_rule(t: LanguageTable) -> Rule:
    """'12%', '8,52 %' -> '12 percent' (the number is read later)."""
    percent = re.compile(r"\s?%")
    return lambda text: percent.sub(f" {t.percent}", text) if "%" in text else text


VULGAR = "½¼¾⅓⅔⅛⅜⅝⅞⅕⅖⅗⅘⅙⅚"


def vulgar_value(character: str) -> Fraction:
    return Fraction(unicodedata.numeric(character)).limit_denominator(10)


def unit_pattern(t: LanguageTable) -> re.Pattern:
    """A number (or fraction) with a unit and/or a unit it is per: '12kg', '6 ft.', '4 1/2 lbs', '5 km/s',
    '56,3 /km²'. One-letter units ('m', 's') only after a space ('80s' is no unit)."""
    long = alternation(u for u in t.units if len(u) > 1)
    short = alternation(u for u in t.units if len(u) == 1)
    mark = re.escape(t.decimal_mark)
    return re.compile(
        rf"(?<![\w.,/])(?P<sign>[-−]?)(?:(?:(?P<whole_part>\d+)\s)?(?P<top>\d{{1,3}})/(?P<bottom>\d{{1,3}})"
        rf"(?=\s?(?:{long}|{short}))|(?P<whole>{group_pattern(t)})(?:{mark}(?P<cents>\d+))?(?P<vulgar>[{VULGAR}]?))"
        rf"(?:\s(?P<scale>{alternation(t.scale_words)})(?!\w))?"
        rf"(?:\s?(?P<unit>{long})|\s(?P<letter>{short}))?(?P<period>(?<=[a-z])\.)?"
        rf"(?:\s?/\s?(?P<per>{long}|{short}))?(?![\w/²³])")


def unit_rule(t: LanguageTable) -> Rule:
    """'6 ft. 2 in.', '12kg', '2°C', '41,459.00 km³', '100 million kg', '4½ ft.', '5 km/s' -> numbers and names."""
    if not t.units:
        return lambda text: text
    pattern = unit_pattern(t)

    def unit(match: re.Match) -> str:
        g = match.groupdict()
        written = g["unit"] or g["letter"]
        if not (written or g["per"]) or (isinstance(t.units.get(written), Unit) and t.units[written].period_only
                                          and not g["period"]):
            return match.group(0)
        if g["top"]:
            words = fraction(int(g["top"]), int(g["bottom"]), t, int(g["whole_part"]) if g["whole_part"] else None)
            plural_amount = 2 if g["whole_part"] or int(g["top"]) >= int(g["bottom"]) else 1  # 'medio kilogramo'
        elif g["vulgar"]:
            part = vulgar_value(g["vulgar"])
            words, plural_amount = fraction(part.numerator, part.denominator, t, int(ungroup(g["whole"]))), 2
        else:
            plural_amount = 2 if g["scale"] else amount_value(g["whole"], g["cents"])
            words = numeral(g["whole"], g["cents"], t)
        if g["scale"]:
            words = f"{words} {t.scale_words[g['scale']]}"
        spoken = (f"{t.minus} " if g["sign"] else "") + named(words, written, plural_amount, g["scale"], t)
        if g["per"]:
            spoken += f" {t.per_word} " + unit_phrase(t.units[g["per"]], 1, t).replace("{0}", "").strip()
        return keep_period(match, spoken) if g["period"] else spoken

    return lambda text: pattern.sub(unit, text)


def named(words: str, written: str | None, amount: Decimal | int, scaled: str | None, t: LanguageTable) -> str:
    """A number's words with the unit's name for that amount, agreeing with it ('una hora', 'zwei Meter')."""
    if not written:
        return words
    phrase = unit_phrase(t.units[written], amount, t)
    noun = phrase.replace("{0}", "").strip()
    if not scaled and isinstance(amount, int):
        words = agree(words, noun, t)
    return phrase.replace("{0}", words) if "{0}" in phrase else f"{words} {phrase}"


def fraction_rule(t: LanguageTable) -> Rule:
    """'4½' -> 'four and a half', '3/4' -> 'three quarters', '2 1/2', '4/5ths', '11-12ths', '-1/3'."""
    vulgar = re.compile(rf"(?:(\d+)\s?)?([{VULGAR}])")
    slash = re.compile(r"(?<![\w/.,:])([-−]?)(?:(\d+)\s)?(\d{1,3})/(\d{1,4}|\d{1,3}(?:\.\d{3})+)"
                       r"(?:(?<=\d)(?i:ths|th|rds|rd|nds|nd|sts|st)\b)?(?![\w/]|[.,]\d)")
    hyphen = re.compile(r"(?<![\w/.,-])(\d{1,2})-(\d{1,2})(?:ths|th|rds|nds)\b")
    has_vulgar = re.compile(f"[{VULGAR}]")

    def from_vulgar(match: re.Match) -> str:
        value = vulgar_value(match.group(2))
        whole = int(match.group(1)) if match.group(1) else None
        return fraction(value.numerator, value.denominator, t, whole)

    def from_slash(match: re.Match) -> str:
        sign, whole, numerator, denominator = match.groups()
        top, bottom = int(numerator), int(ungroup(denominator))
        if bottom < 2 or (top >= bottom and bottom > 10) or bottom > t.fraction_named_up_to:
            return match.group(0)
        words = fraction(top, bottom, t, int(whole) if whole else None)
        return (f"{t.minus} " if sign else "") + words

    def from_hyphen(match: re.Match) -> str:
        top, bottom = int(match.group(1)), int(match.group(2))
        return fraction(top, bottom, t) if top < bottom else match.group(0)

    def rule(text: str) -> str:
        if "/" in text or "-" in text:
            text = hyphen.sub(from_hyphen, slash.sub(from_slash, text))
        return vulgar.sub(from_vulgar, text) if has_vulgar.search(text) else text

    return rule
