"""Words a narrator says in full, by the language's table: abbreviations and titles, Roman numerals
(after 'Chapter', after a sovereign's name, with an ordinal mark), and symbols."""

from __future__ import annotations

import re
from typing import Callable

from .grammar import Rule, alternation, ordinal_in_context
from .numbers import roman_value
from .spelling import cardinal, ordinal
from .table import LanguageTable
from .text import keep_period, raised, starts_sentence

INITIAL_BEFORE = re.compile(r"(?:^|\s)[A-Z]\.\s*$")
NAME_AFTER = re.compile(  # a name, perhaps after a particle: 'M. Homais', 'M. de Rênal', "M. d'Artagnan"
    r"\s+[\"'(]?(?:(?:de|d'|du|des|von|van|der|di|da|del|della|le|la)\s?)?[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]")
NUMBER_AFTER = re.compile(r"\s?(?:\d|[IVXLCDM]+\b|[ivxlc]+\b)")
YEAR_AFTER = re.compile(r"\s?\d{4}\b")
ROMAN_AFTER = re.compile(r"\s[IVXLCDM]+\b")


def abbreviation_reader(t: LanguageTable) -> tuple[re.Pattern, Callable[[re.Match], str]]:
    """The pattern of the table's abbreviations and what to say for a match of it (the match itself when
    it is no abbreviation here: 'No.' not before a number, 'M.' before an initial)."""
    titles = {**{k.upper(): v for k, v in t.titles.items() if k.endswith(".")}, **t.titles}
    raised_forms = {raised(k): v for k, v in {**t.titles, **t.abbreviations}.items() if raised(k)}
    kinds = [(t.name_abbreviations, ROMAN_AFTER), (t.before_year, YEAR_AFTER), (t.before_number, NUMBER_AFTER)]
    keys = [*titles, *t.abbreviations, *t.sentence_final, *t.before_number, *t.before_year, *t.name_abbreviations,
            *raised_forms]
    pattern = re.compile(rf"(?<![\w.&])(?:{alternation(keys)})")

    def spoken(match: re.Match) -> str:
        said = reading(match)
        opens = said != match.group(0) and match.group(0)[:1].isupper() and starts_sentence(match)
        return said[:1].upper() + said[1:] if opens else said  # 'Ud. tiene' -> 'Usted tiene'

    def reading(match: re.Match) -> str:
        written, text, end = match.group(0), match.string, match.end()
        if written[-1].isalnum() and end < len(text) and text[end].isalnum():
            return written
        if written in raised_forms:
            return raised_forms[written]
        for table, after in kinds:
            if written in table and after.match(text, end):
                return table[written] + ("" if text[end:end + 1].isspace() else " ")
        if written in t.sentence_final:
            return keep_period(match, t.sentence_final[written]) if written.endswith(".") else t.sentence_final[written]
        if written in t.abbreviations:
            return t.abbreviations[written]
        if written in titles and is_title_here(match, written):
            return titles[written]
        return written

    return pattern, spoken


def abbreviation_rule(t: LanguageTable) -> Rule:
    """'Mr.' -> 'Mister', 'M. Homais' -> 'Monsieur Homais', 'z. B.', 'etc.' (period kept at a sentence's end),
    'No. 7' -> 'number 7', 'c. 1850' -> 'circa 1850', 'Ed. III' -> 'Edward III'; initials ('M. L. T.') stay."""
    pattern, spoken = abbreviation_reader(t)
    return lambda text: pattern.sub(spoken, text)


WORD_AFTER = re.compile(r"\s+[\"'(]?(?![A-Z]\.)[^\W\d_]")


def is_title_here(match: re.Match, written: str) -> bool:
    """A title with a period is always one ('Mr.'); one letter long ('M.', 'D.') it stands before a word that is
    no initial and after no initial ('M. le maire', not 'M. L. T.'); without a period, before a name ('Mme Roux')."""
    if written.endswith(".") and len(written) > 2:
        return True
    if INITIAL_BEFORE.search(match.string, 0, match.start()):
        return False
    if written.endswith("."):
        return bool(WORD_AFTER.match(match.string, match.end()))
    return bool(NAME_AFTER.match(match.string, match.end()))


ROMAN_WORD = r"[IVXLCDM]+"


def roman_rule(t: LanguageTable) -> Rule:
    """'Chapter IV' -> 'Chapter four', 'Henry VIII' -> 'Henry the Eighth', 'Louis XIV' -> 'Louis quatorze',
    'Charles I. and II.', 'le XIXe siècle' -> 'dix-neuvième'. English 'I' stays the pronoun elsewhere."""
    keyword = re.compile(rf"\b((?i:{alternation(t.roman_keywords)})\.?\s)(?:({ROMAN_WORD})|([ivxlcdm]+))\b(?!['-])")
    article = rf"(?:({re.escape(t.regnal_article)})\s)?" if t.regnal_article else "()"
    numeral = rf"{ROMAN_WORD}\b\.?"
    regnal = re.compile(rf"\b([A-Z][a-zà-öø-ÿ]+)\s{article}({numeral}(?:(?:,\s|\s(?:and|or|et|und|y|e)\s)"
                        rf"(?:{re.escape(t.regnal_article or 'the')}\s)?{numeral})*)(?!['-]|\w)")
    marked = re.compile(rf"\b({ROMAN_WORD})({alternation(t.roman_ordinal_marks)})(?!\w)") \
        if t.roman_ordinal_marks else None

    def after_keyword(match: re.Match) -> str:
        head, upper, lower = match.groups()
        value = roman_value(upper or lower)
        if not value or (upper == "I" and t.roman_i_is_pronoun and head[0].islower()):
            return match.group(0)
        return head + cardinal(value, t)

    def with_mark(match: re.Match) -> str:
        roman, mark = match.groups()
        value = roman_value(roman)
        if not value or (len(roman) == 1 and roman in "LCDM"):
            return match.group(0)
        return ordinal_in_context(value, mark, match.string[:match.start()], t)

    def rule(text: str) -> str:
        text = keyword.sub(after_keyword, text)
        text = regnal.sub(lambda m: regnal_words(m, t), text)
        return marked.sub(with_mark, text) if marked else text

    return rule


def is_regnal(numeral: str, t: LanguageTable, after: str) -> bool:
    """'VIII', 'XIV', 'V' after a name; 'I' only before a period, a comma or 'and' in English ('Charles I.')."""
    if numeral == "I" and t.roman_i_is_pronoun:
        return bool(re.match(r"[.,;:!?)]|\s?—|\s+(?:and|or)\s|\s*$", after))
    return len(numeral) > 1 and set(numeral) <= set("IVXLC") or numeral in ("V", "I") or (
        numeral == "X" and not t.roman_i_is_pronoun)  # 'Alfonso X', but English 'Malcolm X'


def say_regnal(value: int, t: LanguageTable) -> str:
    """A sovereign's number: 'the Eighth', 'quatorze', 'premier', Spanish 'segundo' but 'trece'."""
    as_cardinal = t.regnal_words.get(value) or cardinal(value, t)
    as_ordinal = t.regnal_words.get(value) or (ordinal(value, t) if value <= t.regnal_ordinal_up_to else as_cardinal)
    return t.regnal.format(ordinal=as_ordinal, Ordinal=as_ordinal[:1].upper() + as_ordinal[1:], cardinal=as_cardinal)


def regnal_words(match: re.Match, t: LanguageTable) -> str:
    """The numerals after a name, each said as the table's regnal number ('the Eighth', 'quatorze')."""
    name, article, numerals = match.groups()
    first = re.match(r"[IVXLCDM]+", numerals).group(0)
    after_first = match.string[match.start(3) + len(first):]
    if name in t.roman_keywords or name in t.not_names or not roman_value(first) or not is_regnal(first, t, after_first):
        return match.group(0)

    def one(numeral: re.Match) -> str:
        value = roman_value(numeral.group(0))
        return say_regnal(value, t) if value else numeral.group(0)

    spoken = re.sub(rf"(?:{re.escape(t.regnal_article or 'the')}\s)?\b[IVXLCDM]+\b", one, numerals).replace(".", "")
    spoken = keep_period(match, spoken) if numerals.endswith(".") else spoken
    return f"{name} {spoken}"


def symbol_rule(t: LanguageTable) -> Rule:
    """Symbols a narrator says as words ('&' 'and'); decorative ones become spaces."""
    signs = {k: f" {v.one} " for k, v in t.currencies.items() if not any(c.isalnum() for c in k)}
    symbols = {**signs, **t.symbols}  # a currency sign left alone: '$ and %' -> 'dollar and percent'
    if not symbols:
        return lambda text: text
    symbol = re.compile(alternation(symbols))
    return lambda text: symbol.sub(lambda m: symbols[m.group(0)], text)
