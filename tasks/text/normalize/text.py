"""Rules every language shares: punctuation, markup, footnote marks, Bark's brackets, whitespace, stray digits.

Bark reads `[laughs]`-style brackets, `♪` and ALL-CAPS as stage directions, so brackets outside an
allow-list are neutralized while the listed cues pass through.
"""

from __future__ import annotations

import re
import unicodedata

from .numbers import num2words_language, spell_digits, spell_number

# Bark's documented cues (its README); compared lower-case, emitted in this spelling.
BARK_CUES = {
    "laughter": "[laughter]",
    "laughs": "[laughs]",
    "sighs": "[sighs]",
    "music": "[music]",
    "gasps": "[gasps]",
    "clears throat": "[clears throat]",
    "man": "[MAN]",
    "woman": "[WOMAN]",
}

PUNCTUATION = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
    "\u2014": "—", "\u2015": "—", "\u2012": "–", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u266b": "♪", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2044": "/",
    # invisible: soft hyphen, zero-width space/joiners, word joiner, BOM (Standard Ebooks put U+2060 before dashes)
    "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
})
NUMBER_RANGE = re.compile(r"(?<=\d)\s?–\s?(?=\d)")
DASHES = re.compile(r"\s?(?:--+|–)\s?|\s-\s")
SPACED_ELLIPSIS = re.compile(r"\.\s\.\s\.")


def unify_punctuation(text: str) -> str:
    """One kind of quote, dash and ellipsis: curly quotes straight, '--' and spaced hyphens to '—', '…' to '...'."""
    text = text.translate(PUNCTUATION)
    text = NUMBER_RANGE.sub(" to ", text)  # 10–12, 1820–1897
    text = DASHES.sub(" — ", text)
    return SPACED_ELLIPSIS.sub("...", text)


# Project Gutenberg marks _italics_ and =bold= in its plain text; the words stay, the marks go.
ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_]*?\S)_(?![\w_])")
LONE_UNDERSCORE = re.compile(r"(?<![\w_])_+(?=\S)|(?<=\S)_+(?![\w_])")  # half a span cut at a sentence end
BOLD = re.compile(r"(?<![\w=])=(?=\S)([^=]*?\S)=(?![\w=])")


def remove_emphasis_markup(text: str) -> str:
    """'_3 May._' -> '3 May.', '=Note=' -> 'Note' (PG plain-text italics and bold, also cut in two: '_3 May.')."""
    if "_" in text:
        text = LONE_UNDERSCORE.sub("", ITALIC.sub(r"\1", text))
    return BOLD.sub(r"\1", text) if "=" in text else text


FOOTNOTE_MARKS = "¹²³⁴⁵⁶⁷⁸⁹⁰†‡"
UNIT_POWER = r"(?<!\b[kcdmnµμ]m)(?<!\bm)(?<!\bft)(?<!\byd)(?<!\bmi)"  # 'km²', 'm³' are units, not footnotes
FOOTNOTE_REFERENCE = re.compile(
    rf"\[\^?\w{{0,8}}\d\w{{0,8}}\]|\[\^\w+\]|\((?:\*+|\++|[†‡])\)|{UNIT_POWER}[{FOOTNOTE_MARKS}]+")


def remove_footnote_markers(text: str) -> str:
    """Footnote references are for the eye: '[^3]', '[12]', '(*)', '(+)', superscript digits and daggers go."""
    return FOOTNOTE_REFERENCE.sub("", text)


BRACKET = re.compile(r"\[([^\[\]]*)\]|[\[\]{}]")


def neutralize_brackets(text: str) -> str:
    """Bark reads any [bracket] as a stage direction: allow-listed cues stay, editorial asides go.

    '[sic]' is dropped (a note to the reader), other asides keep their words, stray brackets vanish.
    """

    def bracket(match: re.Match) -> str:
        inner = (match.group(1) or "").strip()
        if inner.lower() in BARK_CUES:
            return BARK_CUES[inner.lower()]
        return "" if inner.lower().rstrip("!") == "sic" else inner

    return BRACKET.sub(bracket, text)


# Every character Python calls a digit: decimal runs (\d+) and the rest (superscripts, circled digits, ...).
OTHER_DIGITS = "".join(c for c in map(chr, range(0x20000)) if c.isdigit() and not c.isdecimal())
ANY_DIGIT = re.compile(rf"\d+|[{OTHER_DIGITS}]")


def read_remaining_digits(text: str, language: str = "en") -> str:
    """The last rule: digits the rules before did not read ('word12', 'oars280') are read, so none reaches Bark.

    A run of up to four digits is a number ('twelve'), a longer one or a lone superscript digit by digit.
    Left alone only in languages num2words does not know (Bark then reads the digit itself).
    """
    if not num2words_language(language) or not ANY_DIGIT.search(text):
        return text

    def digits(match: re.Match) -> str:
        run = match.group(0)
        if run.isdecimal() and len(run) <= 4 and not (len(run) > 1 and run.startswith("0")):
            return f" {spell_number(int(run), language)} "
        return " " + " ".join(spell_digits(str(unicodedata.digit(c)), language) for c in run) + " "

    return ANY_DIGIT.sub(digits, text)


# Modifier letters ('ᵉ', 'ʳ', 'ᵐ') as French and Spanish write abbreviations and ordinals: 'Mᵐᵉ', '1ᵉʳ', 'XIXᵉ'.
MODIFIER_LETTERS = (*range(0x2B0, 0x2E5), *range(0x1D2C, 0x1DC0), *range(0x2070, 0x20A0))
SUPERSCRIPT_LETTERS = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in MODIFIER_LETTERS
                       if unicodedata.decomposition(chr(c)).startswith("<super>")
                       and re.fullmatch(r"[A-Za-z]", unicodedata.normalize("NFKC", chr(c)))}
PLAIN_LETTERS = str.maketrans(SUPERSCRIPT_LETTERS)
TO_SUPERSCRIPT = {plain: raised for raised, plain in SUPERSCRIPT_LETTERS.items() if plain.islower()}
HAS_SUPERSCRIPT = re.compile(f"[{''.join(SUPERSCRIPT_LETTERS)}]")


def plain_superscripts(text: str) -> str:
    """'1ᵉʳ' -> '1er', 'XIXᵉ' -> 'XIXe' (after the abbreviations, which know 'Mᵐᵉ' as such)."""
    return text.translate(PLAIN_LETTERS) if HAS_SUPERSCRIPT.search(text) else text


def raised(abbreviation: str) -> str | None:
    """'Mme' -> 'Mᵐᵉ': the abbreviation as written with its last letters raised, None if they cannot be."""
    tail = abbreviation[1:]
    if not tail or not all(c in TO_SUPERSCRIPT for c in tail):
        return None
    return abbreviation[0] + "".join(TO_SUPERSCRIPT[c] for c in tail)


# --- where a sentence ends (for the periods of abbreviations) ----------------------------------

SENTENCE_AFTER = re.compile(r"\s*$|\s+(?:[\"'(\[]*[A-Z]|[\"'(\[])")  # the end, a capital, a quote or bracket


def ends_sentence(match: re.Match) -> bool:
    """Whether an abbreviation's period also closes the sentence (end of text, or a capital follows)."""
    return bool(SENTENCE_AFTER.match(match.string, match.end()))


SENTENCE_BEFORE = re.compile(r"(?:^|[.!?]['\")\]]*)\s*$")


def starts_sentence(match: re.Match) -> bool:
    """Whether a match opens its sentence (only a sentence's end, or nothing, before it)."""
    return bool(SENTENCE_BEFORE.search(match.string, max(0, match.start() - 8), match.start()))


def keep_period(match: re.Match, words: str) -> str:
    return words + ("." if ends_sentence(match) else "")


SPACES = re.compile(r"\s+")
SPACE_BEFORE_CLOSING = re.compile(r" (?=[,.;:!?)])")


def collapse_whitespace(text: str) -> str:
    """Single spaces, none before closing punctuation (a removed marker leaves 'word .')."""
    return SPACE_BEFORE_CLOSING.sub("", SPACES.sub(" ", text)).strip()
