"""Roman numerals: the one pattern and the one value function that headings and speech share."""

from __future__ import annotations

import re

ROMAN_PATTERN = r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"  # well formed, 1..3999 (or empty)
ROMAN = re.compile(ROMAN_PATTERN)
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(numeral: str) -> int | None:
    """The value of a well-formed Roman numeral, either case ('MIX' 1009, 'xvi' 16), else None ('IIII')."""
    numeral = numeral.upper()
    if not numeral or not ROMAN.fullmatch(numeral):
        return None
    values = [ROMAN_VALUES[c] for c in numeral]
    return sum(-v if v < nxt else v for v, nxt in zip(values, values[1:] + [0]))
