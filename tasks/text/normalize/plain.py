"""Numbers without a unit: ordinals ('21st', '3e', '1.ª', '5.'), telephone numbers, addresses with dots,
and the rest ('1,234', '6 492 000', '3,5', '-60', '.1665'), said by the language's table."""

from __future__ import annotations

import re

from .grammar import Rule, alternation, mark_fits, number_pattern, ordinal_in_context
from .numbers import spell_digits
from .spelling import group_pattern, integer, numeral, ungroup
from .table import LanguageTable


def ordinal_rule(t: LanguageTable) -> Rule:
    """'21st', '1er', '3e', '1.º', '2.ª', German 'am 5.' / '19. Jahrhundert' -> the ordinal in its form."""
    if not t.ordinal_marks:
        return lambda text: text
    marks = {m: f for m, f in t.ordinal_marks.items() if m != "."}
    written = re.compile(rf"(?<![\w.,/])({group_pattern(t)})({alternation(marks)})(?!\w)") if marks else None
    dot = re.compile(r"(?<![\w.,])(\d+)\.(?=\s+\S)") if "." in t.ordinal_marks else None
    next_word = re.compile(rf"\s+(?:[a-zäöüß]|(?:{alternation(t.ordinal_dot_before)})\b)")
    article = re.compile(rf"(?<!\w)(?i:{alternation(w for w in t.ordinal_after if w)})\s+$")

    def spoken(match: re.Match) -> str:
        number, mark = ungroup(match.group(1)), match.group(2)
        if not mark_fits(number, mark, t):
            return match.group(0)
        return ordinal_in_context(int(number), mark, match.string[:match.start()], t)

    def spoken_dot(match: re.Match) -> str:
        """German '5.' is an ordinal after an article ('der 1. FC'), before a small word or a listed noun."""
        after_article = article.search(match.string, max(0, match.start() - 16), match.start())
        if not (after_article or next_word.match(match.string, match.end())):
            return match.group(0)
        return ordinal_in_context(int(match.group(1)), ".", match.string[:match.start()], t)

    def rule(text: str) -> str:
        text = written.sub(spoken, text) if written else text
        return dot.sub(spoken_dot, text) if dot else text

    return rule


PHONE = re.compile(r"(?<![\w.,+-])()((?:\(\d{2,5}\)[ -]?)?\d{2,5}(?:-\d{1,5}){1,3})(?![\w-]|[.,]\d)")
PHONE_PLUS = re.compile(r"(?<![\w.,-])(\+\d{1,3})[ -]?((?:\(\d{1,5}\)[ -]?|\d{1,5}[ -]){0,4}\d{2,8})(?![\w-]|[.,]\d)")
DOTTED_PHONE = re.compile(r"(?<![\w.,])(\d{3})\.(\d{3})\.(\d{4})(?![\w]|[.,]\d)")
ADDRESS = re.compile(r"(?<![\w.,])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\w]|[.,]\d)")


def phone_rule(t: LanguageTable) -> Rule:
    """'555-1234', '+1 123-123-5678', '(020) 7946-0018', '555.555.5555': digit by digit, in their groups."""

    def country(code: str | None) -> str:
        if not code:
            return ""
        digits = re.sub(r"\D", "", code)
        return f"{t.plus} {integer(digits, t) if len(digits) <= 2 else spell_digits(digits, t.code)}, "

    def address(match: re.Match) -> str:
        if "." in t.group_marks and all(len(g) == 3 for g in match.groups()[1:]):
            return match.group(0)  # '1.000.000.000' is a number where '.' groups thousands
        return f" {t.dot_word} ".join(spell_digits(g, t.code) for g in match.groups())

    def phone(match: re.Match) -> str:
        groups = re.findall(r"\d+", match.group(2))
        if sum(map(len, groups)) < 7 and not (match.group(1) or "(" in match.group(2)):
            return match.group(0)
        return country(match.group(1)) + ", ".join(spell_digits(g, t.code) for g in groups)

    def rule(text: str) -> str:
        text = PHONE_PLUS.sub(phone, text) if "+" in text else text
        text = PHONE.sub(phone, text)
        text = DOTTED_PHONE.sub(lambda m: ", ".join(spell_digits(g, t.code) for g in m.groups()), text)
        return ADDRESS.sub(address, text)

    return rule


def number_rule(t: LanguageTable) -> Rule:
    """Every number left: grouped ('1,234', '1.000', '6 492 000'), decimals, signs ('-60', '−4'); '25 x 7',
    '24/7', '2:8' with the table's words; '1 millón' agreeing with its scale word ('un millón')."""
    amount = number_pattern(t)
    scales = {*t.scale_words, *t.scale_words.values()}  # 'un millón', 'eine Million'; and 'veintiuna libras'
    number = re.compile(rf"(?:(?<![\w.,\-−])([-−]))?(?<![\w.])(?<!\d,){amount}(?!\d)(?=\s+([^\W\d_]+))?")
    between = re.compile(r"(?<=\d)(?:\s?([x×*])\s?|([/:]))(?=\d)")
    words = {"x": t.by_word, "×": t.by_word, "*": t.times_word, "/": t.slash_word, ":": t.ratio_word}

    def spoken(match: re.Match) -> str:
        sign, whole, cents, bare, next_word = match.groups()
        if whole and t.decimal_mark in whole:
            return match.group(0)
        counts = next_word if next_word and (next_word in scales or next_word.lower() in t.feminine_nouns) else None
        reading = (f"{t.minus} " if sign else "") + numeral(whole or "", cents or bare, t, counts)
        touches_a_word = match.end() < len(match.string) and match.string[match.end()].isalpha()
        return reading + (" " if touches_a_word else "")

    def rule(text: str) -> str:
        text = between.sub(lambda m: f" {words[m.group(1) or m.group(2)]} ", text)
        return number.sub(spoken, text)

    return rule


def middle_dot_decimals(text: str) -> str:
    """Old English books write 3·14 for 3.14."""
    return re.sub(r"(?<=\d)·(?=\d)", ".", text) if "·" in text else text
