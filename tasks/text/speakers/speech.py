"""Speakers: quoted speech and who says it, decided over the whole book.

The book is read twice. The first reading finds its quotations (tasks/text/speakers/quotes.py) and the names its
speech tags give; with them the book's characters are built (tasks/text/speakers/characters.py). The second
reading decides each speech's speaker (tasks/text/speakers/attribution.py) and cuts every paragraph into runs of
narration (NARRATOR) and speech (the character's label, NARRATOR for a first-person 'said I', or
DIALOGUE where nothing tells).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from tasks.manuscript import Book

from .attribution import DIALOGUE, NARRATOR, Chapter, Utterance, decide_chapter, tagged_chapter
from .turn_features import TurnWeights, turn_weights
from .speech_tags import closing_narration, find_tags, lead_in_tags, tag_patterns
from .characters import Cast, WordUse, build_cast
from .roles import book_roles
from .speech_verbs import SPEECH_PHRASES, speech_verbs
from .quotes import QuoteStyle, dash_spans, quote_style, speech_spans, uses_dash_dialogue

__all__ = ["DIALOGUE", "NARRATOR", "Run", "BookSpeech", "book_runs", "read_speech"]

Run = tuple[str, str]  # (speaker, text)
VERB_WINDOW = 40  # characters before a quotation searched for the speech verb that leads into it


@dataclass(frozen=True)
class BookSpeech:
    """The book's speech: every chapter's paragraphs as runs, its utterances, and its characters."""

    runs: list[list[list[Run]]]
    utterances: list[list[list[Utterance]]]
    cast: Cast


def tag_follower(language: str):
    after_verb_first, after_subject_first = tag_patterns(language)[:2]
    return lambda text, i: bool(after_verb_first.match(text, i) or after_subject_first.match(text, i))


@lru_cache(maxsize=None)
def verb_ending(language: str) -> re.Pattern:
    """A speech verb (and 'out' or a comma or colon) ending the narration just before a quotation; not in a
    compound ('so-called')."""
    phrases = [p.replace(" ", r"\s+") for lang in {language, "en"} for p in SPEECH_PHRASES.get(lang, ())]
    verbs = phrases + [re.escape(v) for v in sorted(speech_verbs(language), key=len, reverse=True)]
    return re.compile(rf"(?<![-\w])(?:{'|'.join(verbs)})(?:\s+out)?\s*[,:]?\s*$")


def verb_before(language: str):
    ending = verb_ending(language)
    return lambda text, i: bool(ending.search(text, max(0, i - VERB_WINDOW), i))


def tagged_names(chapters: list[list[str]], spans: list[list[list[tuple[int, int]]]], language: str,
                 words: WordUse) -> Counter:
    """(title, name) of every tag that names its speaker, over the whole book (the first name the book
    uses as one, of a leading tag's sentence or of the narration paragraph leading into a speech)."""
    names: Counter = Counter()
    for paragraphs, chapter_spans in zip(chapters, spans):
        for p, (text, paragraph_spans) in enumerate(zip(paragraphs, chapter_spans)):
            for n, (a, b) in enumerate(paragraph_spans):
                after = text[b: paragraph_spans[n + 1][0] if n + 1 < len(paragraph_spans) else len(text)]
                found = find_tags(after, text[paragraph_spans[n - 1][1] if n else 0: a], language, n > 0)
                if not found and n == 0 and p > 0 and not text[:a].strip():
                    found = lead_in_tags(closing_narration(paragraphs[p - 1], chapter_spans[p - 1], language), language)
                named = [m for m, _ in found if m["name"] and (m["title"] or words.is_name(m["name"].split()[0]))]
                names.update((m["title"], m["name"]) for m in named[:1])
    return names


def paragraph_speech(text: str, style: QuoteStyle, follows, dashes: bool,
                     precedes=None) -> tuple[list[tuple[int, int]], bool]:
    """A paragraph's speech spans and whether its last runs on: by dashes in a dash-dialogue book's
    paragraphs that open with one, else by the book's quote marks."""
    if dashes and (spans := dash_spans(text, follows)):
        return spans, False
    return speech_spans(text, style, follows, precedes)


def tagged_book(book: Book) -> tuple[list[Chapter], Cast]:
    """The first reading: every chapter's speeches with their tags read and named tags decided, and the cast."""
    chapters = [chapter.paragraphs for chapter in book.chapters]
    style = quote_style([p for paragraphs in chapters for p in paragraphs])
    follows = tag_follower(book.language)
    dashes = uses_dash_dialogue([p for paragraphs in chapters for p in paragraphs], style)
    precedes = verb_before(book.language)
    parsed = [[paragraph_speech(p, style, follows, dashes, precedes) for p in paragraphs] for paragraphs in chapters]
    spans = [[found for found, _ in chapter] for chapter in parsed]
    every = [p for paragraphs in chapters for p in paragraphs]
    words = WordUse.of(every)
    cast = build_cast(every, tagged_names(chapters, spans, book.language, words), words)
    if book.language == "en":
        cast.roles = book_roles(every, cast)
    return [tagged_chapter(paragraphs, [s for s, _ in chapter], [u for _, u in chapter], cast, book.language, style.open)
            for paragraphs, chapter in zip(chapters, parsed)], cast


def read_speech(book: Book, weights: TurnWeights | None = None) -> BookSpeech:
    """Every speech of the book and its speaker (see the module's docstring); `weights`: the turn
    features' weights (the learned ones by default)."""
    chapters, cast = tagged_book(book)
    for chapter in chapters:
        decide_chapter(chapter, weights or turn_weights())
    utterances = [chapter.said for chapter in chapters]
    runs = [[runs_of(text, said) for text, said in zip(chapter.paragraphs, chapter.said)] for chapter in chapters]
    return BookSpeech(runs, utterances, cast)


def runs_of(text: str, utterances: list[Utterance]) -> list[Run]:
    """The paragraph as narration and speech runs in order, each speech given to its speaker."""
    runs, at = [], 0
    for u in utterances:
        a, b = u.span
        runs += [(NARRATOR, text[at:a].strip()), (u.label, text[a:b].strip())]
        at = b
    runs.append((NARRATOR, text[at:].strip()))
    return [(who, piece) for who, piece in runs if piece]


def book_runs(book: Book) -> list[list[list[Run]]]:
    """Each chapter's paragraphs as (speaker, text) runs."""
    return read_speech(book).runs
