"""Numbers in books that are not English, spoken in the book's language by num2words.

Only what holds across languages: years, whole numbers, decimals written with the language's
own mark, and a few ordinal spellings ('21e', '1er', German '5. Mai').
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Callable

from num2words import num2words

from .numbers import MAX_SPELLED, num2words_language, roman_value, spell_digits, spell_number, spell_ordinal, spell_year

Rule = Callable[[str], str]
POINT_DECIMAL = {"en", "ja", "ko", "th", "he", "hi", "zh"}  # the rest write 3,5 for three and a half
YEAR = re.compile(r"(?<![\d,.])\b(1\d{3}|20\d{2})\b(?![,.]\d|%)")
FRENCH_ORDINAL = re.compile(r"\b(\d+)(?:er|re|e|ème|eme)\b")
GERMAN_DATE = re.compile(r"\b(\d{1,2})\.\s(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|"
                         r"November|Dezember)\b")


# Heading words Roman numerals follow in the languages Bark speaks ('Kapitel IV', 'CHAPITRE XVI', 'Capítulo II').
ROMAN_KEYWORDS = ("Kapitel|Teil|Buch|Band|Abschnitt|Chapitre|Livre|Partie|Tome|Acte|Scène|Capítulo|Capitulo|Parte|"
                  "Libro|Tomo|Acto|Capitolo|Atto|Volume|Rozdział|Część|Tom|Księga|Глава|Часть|Том|Книга|Bölüm|Kısım|"
                  "Hoofdstuk|Deel|Boek")
KEYWORD_ROMAN = re.compile(rf"\b((?i:{ROMAN_KEYWORDS})\.?\s)([IVXLCDM]+)\b")
PERCENT_WORDS = {"de": "Prozent", "fr": "pour cent", "es": "por ciento", "it": "per cento", "pt": "por cento",
                 "nl": "procent", "pl": "procent", "sv": "procent", "da": "procent", "no": "prosent", "cs": "procent"}


DECIMAL_MARK_WORDS = {"fr": "virgule", "es": "coma", "it": "virgola", "pt": "vírgula", "de": "Komma", "nl": "komma",
                      "pl": "przecinek", "sv": "komma", "da": "komma", "no": "komma", "cs": "celá"}


def speak_decimal(whole: str, fraction: str, language: str) -> str:
    """'3,5' in words; a number too long for num2words keeps every digit (whole in words or digits, then each decimal)."""
    if int(whole) < MAX_SPELLED:  # beyond, num2words goes through float and changes the amount
        try:
            return num2words(Decimal(f"{whole}.{fraction}"), lang=num2words_language(language)).replace(",", "")
        except (OverflowError, ValueError):
            pass
    mark = DECIMAL_MARK_WORDS.get(language.split("_")[0], "point")
    return f"{spell_number(int(whole), language)} {mark} {spell_digits(fraction, language)}"


@functools.lru_cache(maxsize=64)
def number_rules(language: str) -> tuple[Rule, ...]:
    """The rules for a num2words language other than English; none for a language it does not know."""
    code = num2words_language(language)
    if code is None:
        return ()
    mark = "." if code.split("_")[0] in POINT_DECIMAL else ","
    decimal = re.compile(rf"(?<![\w.,])(\d+){re.escape(mark)}(\d+)(?![\w]|[.,]\d)")
    whole = re.compile(r"(?<![\w.,])(\d+)(?!\w)")

    def years(text: str) -> str:
        return YEAR.sub(lambda m: spell_year(int(m.group(1)), code), text)

    def ordinals(text: str) -> str:
        if code.startswith("fr"):
            return FRENCH_ORDINAL.sub(lambda m: "premier" if m.group(1) == "1" else spell_ordinal(int(m.group(1)), code), text)
        if code == "de":  # 'am 5. Mai' -> 'am fünften Mai'; 'der 5. Mai' -> 'der fünfte Mai'
            def date(match: re.Match) -> str:
                ending = "" if re.search(r"\b[Dd]er\s$", match.string[: match.start()]) else "n"
                return f"{spell_ordinal(int(match.group(1)), code)}{ending} {match.group(2)}"
            return GERMAN_DATE.sub(date, text)
        return text

    def romans(text: str) -> str:  # 'Kapitel IV' -> 'Kapitel vier'
        def numeral(match: re.Match) -> str:
            value = roman_value(match.group(2))
            return match.group(1) + spell_number(value, code) if value else match.group(0)
        return KEYWORD_ROMAN.sub(numeral, text)

    def percent(text: str) -> str:
        word = PERCENT_WORDS.get(code.split("_")[0])
        return re.sub(r"\s?%", f" {word}", text) if word and "%" in text else text

    def decimals(text: str) -> str:
        return decimal.sub(lambda m: speak_decimal(m.group(1), m.group(2), code), text)

    def numbers(text: str) -> str:
        return whole.sub(lambda m: spell_number(int(m.group(1)), code), text)

    return (romans, ordinals, years, decimals, percent, numbers)
