"""Segment: a Book -> the segment table, one row per speakable segment (pandera-validated DataFrame).

A segment is what Bark generates in one call: whole sentences of one speaker, at most ~13 s of
estimated speech and 256 text tokens (Bark's text window); sentences and clauses come from
tasks/text/sentences.py, speakers from tasks/text/speakers.py, and the producer's lexicon (tasks/text/lexicon.py)
is applied before normalization. Paragraph and chapter boundaries are pauses, not text.

Bark renders prompts under ~2 s badly, so a fragment that short joins a neighbour where the rules
allow: a short tag joins its line of dialogue (the speaker's; a new speaker always starts a new
segment, so a short line never joins narration or another speaker's line), a short last sentence
takes sentences from the segment before, and a short paragraph joins the previous or next paragraph
of the same speaker when the two fit in one segment. There the paragraph's pause becomes a
sentence's: a line that Bark garbles costs the listener more than a shorter pause. (Untagged lines
share the speaker DIALOGUE, hence one voice, so joining them changes no voice.) A chapter's headings
join each other but never its text: the pause after 'Chapter One.' is the one a listener needs.

Joining a chapter's segments gives back its headings and text and their spoken form (modulo
whitespace), in order.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Callable

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series
from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.core.errors import ManuscriptError
from tasks.core.names import counted
from tasks.manuscript.book import Book, Chapter, Cue
from .lexicon import Lexicon
from .normalize import normalize_for_speech, normalize_heading
from .sentences import pack, split_clauses, split_sentences
from .speakers import DIALOGUE, NARRATOR, Run, book_runs

__all__ = ["DIALOGUE", "NARRATOR", "SegmentationSettings", "SegmentTable", "segment_book", "segments_json",
           "segments_summary", "segment_id"]


def non_space_chars(text: str) -> int:
    """An upper bound on Bark's WordPiece token count: every token covers at least one non-space character."""
    return len("".join(text.split()))


@dataclass(frozen=True)
class SegmentationSettings:
    """How text is cut into segments and how long the silences between them are.

    `words_per_second` 2.7 (~160 words a minute): audiobook narration runs at 150-160 wpm
    (ACX/industry figure, ~2.6 wps) and Bark's English presets speak a little faster than a
    studio narrator; with it, 13 s holds ~35 words, under Bark's 768-token (15.4 s) cap with margin.
    """

    max_seconds: float = 13.0
    words_per_second: float = 2.7
    min_seconds: float = 2.0  # shorter fragments join a neighbour where speaker and paragraph allow
    max_tokens: int = 256
    count_tokens: Callable[[str], int] = non_space_chars
    sentence_pause: float = 0.35
    line_pause: float = 0.3  # after a line of verse (a stanza, a paragraph, ends with paragraph_pause)
    paragraph_pause: float = 0.9
    chapter_pause: float = 2.0
    speak_titles: bool = True  # a chapter opens with its title read aloud, as narrators do

    def seconds(self, spoken: str) -> float:
        return len(re.findall(r"[\w']+", spoken)) / self.words_per_second

    def fits(self, spoken: str) -> bool:
        return self.seconds(spoken) <= self.max_seconds and self.count_tokens(spoken) <= self.max_tokens

    def short(self, spoken: str) -> bool:
        return self.seconds(spoken) < self.min_seconds


SENTENCE_SHARE = 0.6  # a verse segment this long ends at the next line that ends a sentence

# --- runs and pieces ---------------------------------------------------------------------------


def merge_short_runs(runs: list[Run], settings: SegmentationSettings) -> list[Run]:
    """Runs of one speaker join; a short stretch of narration between or beside speech (a tag: 'said
    Jane,') joins that speech and its speaker. A new speaker always starts a new segment: two
    characters' speeches never share one, and a short speech is never voiced as narration."""
    def joinable(a: Run, b: Run) -> bool:
        if a[0] == b[0]:
            return True
        narration = [run for run in (a, b) if run[0] == NARRATOR]
        return len(narration) == 1 and settings.short(narration[0][1])

    runs = lend_tag_clauses(runs, settings)
    merged: list[Run] = []
    for n, (speaker, text) in enumerate(runs):
        if merged and (joinable(merged[-1], (speaker, text)) or tag_between(runs, n, settings)):
            last_speaker, last_text = merged[-1]
            merged[-1] = (last_speaker if speaker == NARRATOR else speaker, f"{last_text} {text}")
        else:
            merged.append((speaker, text))
    return merged


FIRST_CLAUSE = re.compile(r"^(\S+(?:\s+\S+){0,7}?[,;:)—]+)\s+(?=\S)")  # '“No!” he said, and walked away…'
LAST_CLAUSE = re.compile(r"(?<=[,;:.!?—])\s+(\S+(?:\s+\S+){0,7})$")  # '…, and Alice said: ‘No.’'


def lend_tag_clauses(runs: list[Run], settings: SegmentationSettings) -> list[Run]:
    """A short speech beside long narration takes the narration's nearest clause (its tag: 'he said,'),
    so that it is long enough for Bark and still in its own voice: '“No!” he said,' | 'and walked away…'."""
    runs = list(runs)
    for n, (speaker, text) in enumerate(runs):
        if speaker == NARRATOR or not settings.short(text):
            continue
        if n + 1 < len(runs) and runs[n + 1][0] == NARRATOR and (clause := FIRST_CLAUSE.match(runs[n + 1][1])):
            runs[n], runs[n + 1] = (speaker, f"{text} {clause[1]}"), (NARRATOR, runs[n + 1][1][clause.end():])
        elif n > 0 and runs[n - 1][0] == NARRATOR and (clause := LAST_CLAUSE.search(runs[n - 1][1])):
            runs[n - 1], runs[n] = (NARRATOR, runs[n - 1][1][:clause.start()]), (speaker, f"{clause[1]} {text}")
    return [(speaker, text) for speaker, text in runs if text.strip()]


def tag_between(runs: list[Run], n: int, settings: SegmentationSettings) -> bool:
    """Narration between two speeches of one speaker ('‘Well, perhaps not,’ said Alice in a soothing tone:
    ‘don’t be angry’) joins them, in their voice, when one of them is short and the three fit one segment."""
    if not (0 < n < len(runs) - 1 and runs[n][0] == NARRATOR and runs[n - 1][0] == runs[n + 1][0] != NARRATOR):
        return False
    before, after = runs[n - 1][1], runs[n + 1][1]
    return (settings.short(before) or settings.short(after)) and settings.fits(f"{before} {runs[n][1]} {after}")


@dataclass(frozen=True)
class Piece:
    """A segment before its id: who says it, its source and spoken text, the pause after it, and the
    chapter's paragraph it starts in (lead, headings and body counted in reading order)."""

    speaker: str
    text: str
    spoken: str
    pause_after: float
    paragraph: int = 0

    def joined(self, other: "Piece") -> "Piece":
        spoken = " ".join(said for said in (self.spoken, other.spoken) if said)
        return Piece(self.speaker, f"{self.text} {other.text}", spoken, other.pause_after, self.paragraph)


def paragraph_pieces(runs: list[Run], spoken: Callable[[str], str], settings: SegmentationSettings,
                     where: str, paragraph: int = 0, language: str = "en") -> list[Piece]:
    """One paragraph's runs -> pieces, each fitting one segment; the last one pauses for the paragraph.

    Sentences (and the clauses of one too long) are packed by their readings' lengths summed, so a
    trial join is not normalized again; each segment is then normalized whole ('St. James's' reads by
    its neighbour across punkt's cut), and one whose whole reading no longer fits is packed again on
    whole readings."""
    def text_fits(text: str) -> bool:
        return settings.fits(spoken(text))

    def text_short(text: str) -> bool:
        return settings.short(spoken(text))

    def clauses(text: str) -> list[str]:
        return [clause for sentence in split_sentences(text, language) for clause in split_clauses(sentence, text_fits)]

    def estimated(speaker: str, text: str) -> list[Piece]:
        parts = [Piece(speaker, clause, spoken(clause), settings.sentence_pause) for clause in clauses(text)]
        return pack(parts, lambda p: settings.fits(p.spoken), lambda p: settings.short(p.spoken),
                    join=lambda group: functools.reduce(Piece.joined, group))

    pieces = []
    for speaker, run in merge_short_runs(runs, settings):
        for estimate in estimated(speaker, run):
            whole = text_fits(estimate.text)
            for text in [estimate.text] if whole else pack(clauses(estimate.text), text_fits, text_short):
                if not text_fits(text):
                    raise ManuscriptError(f"{where}: {text[:40]!r}… is one word too long to speak in one segment")
                if re.search(r"\w", spoken(text)):  # a lone '—' or '♪' has nothing to say
                    pieces.append(Piece(speaker, text, spoken(text), settings.sentence_pause, paragraph))
    if pieces:
        pieces[-1] = replace(pieces[-1], pause_after=settings.paragraph_pause)
    return pieces


def join_fragments(pieces: list[Piece], settings: SegmentationSettings, opens: frozenset[int] = frozenset()) -> list[Piece]:
    """Each piece under min_seconds joined to the previous or next one of its speaker where both fit,
    across sentence and paragraph boundaries (a joined paragraph's pause becomes the sentence pause),
    but never across into a paragraph that `opens` a new letter, entry or speech."""
    def joinable(a: Piece, b: Piece) -> bool:
        return (a.speaker == b.speaker and (b.paragraph == a.paragraph or b.paragraph not in opens)
                and (settings.short(a.spoken) or settings.short(b.spoken))
                and settings.fits(f"{a.spoken} {b.spoken}"))

    joined: list[Piece] = []
    for piece in pieces:
        joined.append(piece)
        while len(joined) > 1 and joinable(joined[-2], joined[-1]):
            last = joined.pop()
            joined[-1] = joined[-1].joined(last)
    return joined


def spoken_form(normalizer: Callable[..., str], lexicon: Lexicon, language: str) -> Callable[[str], str]:
    """What a piece of text is spoken as: the lexicon's entries first, then normalization (cached)."""
    return functools.lru_cache(maxsize=None)(lambda text: normalizer(lexicon.apply(text), language=language))


def chapter_pieces(chapter: Chapter, runs: list[list[Run]], lexicon: Lexicon, language: str,
                   settings: SegmentationSettings, where: str) -> list[Piece]:
    """A chapter's headings (when spoken) and paragraphs as pieces, short fragments joined: headings
    with headings ('Volume two. Chapter one.'), never with the text, so the pause after them stays."""
    headings = chapter.spoken_headings if settings.speak_titles else []
    spoken_heading = spoken_form(normalize_heading, lexicon, language)
    first_body = len(chapter.lead) + len(headings)  # paragraphs are numbered in reading order
    heading_pieces = [piece for number, heading in enumerate(headings, len(chapter.lead))
                      for piece in paragraph_pieces([(NARRATOR, heading)], spoken_heading, settings, where, number,
                                                    language)]
    body: list[Piece] = []
    for number, paragraph_runs in enumerate(runs, first_body):  # an all-capitals paragraph is a heading, not a shout
        cue = chapter.cues.get(number - first_body, Cue())
        paragraph_runs = [(cue.speaker, chapter.paragraphs[number - first_body])] if cue.speaker else paragraph_runs
        shouted = not any(re.search(r"[a-z]", text) for _, text in paragraph_runs)
        normalizer = spoken_form(normalize_heading if shouted else normalize_for_speech, lexicon, language)
        if cue.line_ends and len(paragraph_runs) == 1:
            body += verse_pieces(paragraph_runs[0], cue.line_ends, normalizer, settings, where, number)
        else:
            body += paragraph_pieces(paragraph_runs, normalizer, settings, where, number, language)
    lead = [piece for number, paragraph in enumerate(chapter.lead)  # an opening epigraph or dedication
            for piece in paragraph_pieces([(NARRATOR, paragraph)], spoken_form(normalize_for_speech, lexicon, language),
                                          settings, where, number, language)]
    opens = frozenset(first_body + k for k, cue in chapter.cues.items() if cue.opens)
    return join_fragments(lead, settings) + join_fragments(heading_pieces, settings) + join_fragments(body, settings, opens)


def verse_pieces(run: Run, line_ends: tuple[int, ...], spoken: Callable[[str], str], settings: SegmentationSettings,
                 where: str, paragraph: int) -> list[Piece]:
    """A stanza's lines as pieces: each line ends with a short pause (a comma where the poet wrote none,
    line_pause where a segment ends), lines joined into segments up to the length limit, the stanza
    ending with the paragraph's pause."""
    speaker, text = run
    bounds = [0, *(end + 1 for end in line_ends), len(text) + 1]
    lines = [text[a:b - 1].strip() for a, b in zip(bounds, bounds[1:]) if text[a:b - 1].strip()]
    units = []
    for line in lines:
        parts = [Piece(speaker, part, spoken(part), settings.sentence_pause, paragraph)
                 for part in split_clauses(line, lambda t: settings.fits(spoken(t)))]
        last = parts[-1]
        parts[-1] = replace(last, spoken=with_line_pause(last.spoken), pause_after=settings.line_pause)
        units += [part for part in parts if re.search(r"\w", part.spoken)]
    pieces = [functools.reduce(Piece.joined, group) for group in verse_groups(units, settings)]
    for piece in pieces:
        if not settings.fits(piece.spoken):
            raise ManuscriptError(f"{where}: {piece.text[:40]!r}… is one word too long to speak in one segment")
    if pieces:
        pieces[-1] = replace(pieces[-1], pause_after=settings.paragraph_pause)
    return pieces


def verse_groups(units: list[Piece], settings: SegmentationSettings) -> list[list[Piece]]:
    """Lines joined while they fit; a segment past SENTENCE_SHARE of the longest ends at a line that ends
    a sentence (where a reader breathes); a short last segment takes lines from the one before."""
    groups: list[list[Piece]] = []
    for unit in units:
        joined = functools.reduce(Piece.joined, groups[-1] + [unit]) if groups else None
        if joined is None or not settings.fits(joined.spoken) or closed(groups[-1], settings):
            groups.append([unit])
        else:
            groups[-1].append(unit)
    while len(groups) > 1 and len(groups[-2]) > 1 and settings.short(" ".join(u.spoken for u in groups[-1])):
        before, after = groups[-2][:-1], groups[-2][-1:] + groups[-1]
        if not settings.fits(" ".join(u.spoken for u in after)):
            break
        groups[-2:] = [before, after]
    return groups


def closed(group: list[Piece], settings: SegmentationSettings) -> bool:
    spoken = " ".join(u.spoken for u in group)
    return settings.seconds(spoken) >= SENTENCE_SHARE * settings.max_seconds and bool(re.search(r"[.!?;][\"'’”»)]*$", spoken))


def with_line_pause(spoken: str) -> str:
    """A verse line's spoken form ending in a pause: a comma where it ends without punctuation."""
    return spoken if re.search(r"[.,;:!?…—–-][\"'’”»)\]]*$", spoken) else f"{spoken},"


# --- the segments ------------------------------------------------------------------------------


class SegmentTable(pa.DataFrameModel):
    """One row per segment, chapters and segments in reading order."""

    id: Series[str] = pa.Field(unique=True, str_matches=r"^[0-9a-f]{16}$")
    chapter_index: Series[int] = pa.Field(ge=0)
    chapter_title: Series[str] = pa.Field(str_contains=r"\S")
    segment_index: Series[int] = pa.Field(ge=0)
    paragraph_index: Series[int] = pa.Field(ge=0)  # the chapter's paragraph the segment starts in
    text: Series[str] = pa.Field(str_contains=r"\S")
    spoken: Series[str] = pa.Field(str_contains=r"\S")
    seconds: Series[float] = pa.Field(gt=0)
    pause_after: Series[float] = pa.Field(ge=0)
    speaker: Series[str] = pa.Field(str_contains=r"\S")

    class Config:
        strict = True
        ordered = True
        coerce = True

    @pa.dataframe_check
    def in_reading_order(cls, df: pd.DataFrame) -> bool:
        """Chapters ascend; each chapter's segments count 0, 1, 2, ... in row order; its paragraphs never go back."""
        chapters = df.groupby("chapter_index")
        return bool(df.chapter_index.is_monotonic_increasing
                    and (chapters.cumcount() == df.segment_index).all()
                    and (chapters.paragraph_index.diff().fillna(0) >= 0).all())


def segment_id(spoken: str, speaker: str, occurrence: int) -> str:
    """16 hex of sha256 over what the segment says, who says it, and which repeat of that it is.

    The chapter's position is deliberately left out, so inserting a chapter or editing a sentence
    changes no other segment's id; `occurrence` (0 for the first identical segment in the book, 1
    for the next, ...) keeps repeated lines distinct yet stable while their order stands. Packing is
    per paragraph, so an edit that moves a packing boundary re-packs at most the rest of its paragraph
    (and a short fragment of a neighbouring paragraph that joined it or now joins it).
    """
    return hashlib.sha256(f"{speaker}\x1f{occurrence}\x1f{spoken}".encode()).hexdigest()[:16]


def segment_book(book: Book, settings: SegmentationSettings = SegmentationSettings(), *,
                 lexicon: Lexicon) -> pd.DataFrame:
    """The book's segments: a validated DataFrame with SegmentTable's columns.

    `lexicon` (tasks.text.lexicon.load_lexicon(book), or NO_LEXICON) is explicit: a caller that forgets the
    producer's pronunciations must say so."""
    rows = []
    occurrences: Counter = Counter()
    for chapter_index, (chapter, runs) in enumerate(zip(book.chapters, book_runs(book))):
        where = f"{book.source or book.title}, chapter {chapter_index + 1} ({chapter.title})"
        pieces = chapter_pieces(chapter, runs, lexicon, book.language, settings, where)
        for number, piece in enumerate(pieces):
            occurrence = occurrences[(piece.speaker, piece.spoken)]
            occurrences[(piece.speaker, piece.spoken)] += 1
            rows.append({
                "id": segment_id(piece.spoken, piece.speaker, occurrence),
                "chapter_index": chapter_index,
                "chapter_title": chapter.title,
                "segment_index": number,
                "paragraph_index": piece.paragraph,
                "text": piece.text,
                "spoken": piece.spoken,
                "seconds": round(settings.seconds(piece.spoken), 3),
                "pause_after": settings.chapter_pause if number == len(pieces) - 1 else piece.pause_after,
                "speaker": piece.speaker,
            })
    segments = pd.DataFrame(rows, columns=list(SegmentTable.to_schema().columns))
    return SegmentTable.validate(segments)


def segments_json(book: Book, segments: pd.DataFrame) -> dict:
    """The segments as plain JSON data: {title, author, chapters: [{title, segments: [...]}]}."""
    chapters = []
    for _, rows in segments.groupby("chapter_index", sort=True):
        segments = [
            {"id": r.id, "text": r.text, "spoken": r.spoken, "seconds": float(r.seconds),
             "pause_after": float(r.pause_after), "speaker": r.speaker}
            for r in rows.sort_values("segment_index").itertuples()
        ]
        chapters.append({"title": rows.chapter_title.iloc[0], "segments": segments})
    return {"title": book.title, "author": book.author, "chapters": chapters}


def segments_summary(book: Book, segments: pd.DataFrame) -> str:
    """A few lines for a person: chapters, segments, estimated minutes of audio."""
    speech, pauses = float(segments.seconds.sum()), float(segments.pause_after.sum())
    lines = [
        f"{book.title} by {book.author}",
        f"{counted(segments.chapter_index.nunique(), 'chapter')}, {counted(len(segments), 'segment')}, "
        f"about {(speech + pauses) / 60:.1f} min of audio ({speech / 60:.1f} min speech)",
    ]
    for index, rows in segments.groupby("chapter_index", sort=True):
        lines.append(f"  {index + 1:2d}. {rows.chapter_title.iloc[0]}: {counted(len(rows), 'segment')}, "
                     f"{(rows.seconds.sum() + rows.pause_after.sum()) / 60:.1f} min")
    return "\n".join(lines)


segment_manuscript = task(name="segment", cache_policy=NO_CACHE)(segment_book)
