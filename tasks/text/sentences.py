"""Sentences and clauses: where a paragraph's text may be cut into segments.

Sentences come from nltk's punkt (its trained English model when the data is installed, else the
same algorithm with hand-given abbreviations; nothing is ever downloaded). A sentence too long for
one segment splits at clause boundaries, never inside a word. Every piece is an exact slice of the
text, so joining the pieces gives the text back.
"""

from __future__ import annotations

import copy
import functools
import re
from typing import Callable, TypeVar

import nltk
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTokenizer

from .normalize import table_for

# Abbreviations that do not end a sentence (punkt's form: lower case, no final period).
ENGLISH_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "mt", "ft", "capt", "gen", "col", "lt",
    "sgt", "rev", "hon", "vs", "etc", "e.g", "i.e", "cf", "approx", "no", "nos", "fig", "vol",
    "ch", "p", "pp", "ave", "rd", "blvd", "inc", "ltd", "co", "corp", "dept", "est", "u.s",
    "u.k", "a.m", "p.m", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec",
}


@functools.cache
def sentence_tokenizer(language: str = "en"):
    """Punkt's trained English model if its data is installed, else punkt with our abbreviations; and the
    titles and abbreviations of the book's language (its normalizer's table: 'M.', 'Mme', 'D.', 'Sr.', 'z. B.')
    never end a sentence, so a title is read with the name after it."""
    try:
        nltk.data.find("tokenizers/punkt_tab/english/")
        tokenizer = PunktTokenizer("english")
    except LookupError:
        parameters = PunktParameters()
        parameters.abbrev_types = set(ENGLISH_ABBREVIATIONS)
        tokenizer = PunktSentenceTokenizer(parameters)
    extra = language_abbreviations(language) - tokenizer._params.abbrev_types
    if extra:
        parameters = copy.deepcopy(tokenizer._params)
        parameters.abbrev_types |= extra
        tokenizer = PunktSentenceTokenizer(parameters)
    return tokenizer


def language_abbreviations(language: str) -> set[str]:
    """The language table's titles and abbreviations ending in a period, in punkt's form (lower case, no final
    period): 'M.' -> 'm', 'z. B.' -> 'z. b' (punkt sees its last token, 'b')."""
    table = table_for(language)
    if table is None:
        return set()
    titles = [*table.titles, *table.name_abbreviations]  # before a name: even one letter ('M. Homais', 'D. Quijote')
    others = [w for w in table.abbreviations if len(w.rstrip(".").split()[-1]) > 1]  # 'a.' may end a sentence
    return {w.lower().rstrip(".").split()[-1] for w in [*titles, *others] if w.endswith(".") and w.rstrip(".").split()}


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Sentences of `text`, each an exact slice of it (so nothing is lost or reworded)."""
    return [text[start:end] for start, end in sentence_tokenizer(language).span_tokenize(text)]


CONJUNCTIONS = "and|but|or|nor|so|yet|because|although|though|while|whereas|unless|until|which|who|when|where"
CLAUSE_BREAKS = [  # strongest first; the last one is any space, so no word is ever cut
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"(?<=[—–])\s+|(?<=--)\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(rf"\s+(?=(?:{CONJUNCTIONS})\b)"),
    re.compile(r"(?<!\.)\s+(?!\S*\.(?:\s|$))"),  # between words, but not next to 'etc.' or 'p.m.': they read by context
    re.compile(r"\s+"),
]


Piece = TypeVar("Piece")


def pack_groups(pieces: list[Piece], fits: Callable[[Piece], bool],
                join: Callable[[list[Piece]], Piece]) -> list[list[Piece]]:
    """Consecutive pieces grouped greedily while each group, joined, still fits."""
    groups: list[list[Piece]] = []
    for piece in pieces:
        if groups and fits(join(groups[-1] + [piece])):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return groups


def never(piece) -> bool:
    return False


def pack(pieces: list[Piece], fits: Callable[[Piece], bool], short: Callable[[Piece], bool] = never,
         join: Callable[[list[Piece]], Piece] = " ".join) -> list[Piece]:
    """Join consecutive pieces greedily while the joined piece still fits; a `short` last group takes
    pieces from the end of the one before while both still fit and that one does not become short.
    Pieces are texts joined by spaces, or anything `join` joins (the segmenter's text and spoken pairs)."""
    groups = pack_groups(pieces, fits, join)
    while len(groups) > 1 and len(groups[-2]) > 1 and short(join(groups[-1])):
        before, after = groups[-2][:-1], groups[-2][-1:] + groups[-1]
        if short(join(before)) or not fits(join(after)):
            break
        groups[-2:] = [before, after]
    return [join(group) for group in groups]


def split_clauses(text: str, fits: Callable[[str], bool], level: int = 0) -> list[str]:
    """Cut `text` at the strongest clause boundaries that make every piece fit, then re-pack."""
    if fits(text) or level == len(CLAUSE_BREAKS):
        return [text]
    parts = [p for p in CLAUSE_BREAKS[level].split(text) if p.strip()]
    if len(parts) == 1:
        return split_clauses(text, fits, level + 1)
    return pack([piece for part in parts for piece in split_clauses(part, fits, level + 1)], fits)
