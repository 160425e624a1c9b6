"""Regular-expression pieces built from a language table: how its numbers, months and ordinals are written."""

from __future__ import annotations

import re
from typing import Callable, Iterable

from .spelling import group_pattern, ordinal
from .table import LanguageTable
from .text import starts_sentence

Rule = Callable[[str], str]


def alternation(words: Iterable[str], escape: bool = True) -> str:
    """'a|b|c' of the words, longest first (so 'sept' wins over 'sep'); '(?!)' when there are none."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w) if escape else w for w in ordered) or "(?!)"


def number_pattern(t: LanguageTable) -> str:
    """A written amount: whole part (grouped or not), then an optional decimal part; '.5' too."""
    mark = re.escape(t.decimal_mark)
    return rf"(?:({group_pattern(t)})(?:{mark}(\d+))?|{mark}(\d+))"


def month_pattern(t: LanguageTable) -> str:
    """A month's name or abbreviation, any case; an abbreviation's period goes unless it ends the sentence."""
    full = alternation(m.lower() for m in t.months)
    short = alternation(t.month_abbreviations)
    return rf"(?i:(?<!\w)((?:{full})(?!\w)|(?:{short})(?!\w)(?:\.(?=\s*[\d,a-z]))?))"


def month_number(written: str, t: LanguageTable) -> int | None:
    word = written.rstrip(".").lower()
    months = [m.lower() for m in t.months]
    return months.index(word) + 1 if word in months else t.month_abbreviations.get(word)


def month_name(written: str, t: LanguageTable) -> str:
    """The month said in full, lower-cased when the book writes it so ('25 july')."""
    name = t.months[month_number(written, t) - 1]
    return name.lower() if written[:1].islower() else name


def ordinal_mark_pattern(t: LanguageTable) -> str:
    return alternation(t.ordinal_marks)


def ordinal_ending(before: str, t: LanguageTable) -> str:
    """German: the ending an ordinal takes after the word before it ('am' -> 'fünften'); '' elsewhere."""
    if not t.ordinal_after:
        return ""
    words = re.findall(r"\w+", before[-16:])
    return t.ordinal_after.get(words[-1].lower() if words else "", t.ordinal_after.get("", ""))


def ordinal_in_context(n: int, mark: str, before: str, t: LanguageTable) -> str:
    """An ordinal as written ('21st', '1.ª', '5.') said in its form and with the ending its context asks."""
    return ordinal(n, t, t.ordinal_marks.get(mark, "")) + ordinal_ending(before, t)


def mark_fits(number: str, mark: str, t: LanguageTable) -> bool:
    """English: '21st' is an ordinal, '21th' is not (it is read as written: 'twenty-one th')."""
    if not t.ordinal_mark_fits:
        return True
    for size in (2, 1, 0):
        ending = number[-size:] if size else ""
        if ending in t.ordinal_mark_fits and (size <= len(number)):
            return re.fullmatch(t.ordinal_mark_fits[ending], mark.lower()) is not None
    return False


def capitalize_at_start(match: re.Match, words: str) -> str:
    """A reading that opens a sentence starts with a capital ('_3 May._' -> 'The third of May.')."""
    return words[:1].upper() + words[1:] if starts_sentence(match) else words
