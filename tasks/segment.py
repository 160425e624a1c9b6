"""Segment: a Book -> the manifest, one row per speakable segment (pandera-validated DataFrame).

A segment is what Bark generates in one call: whole sentences of one paragraph and one speaker,
at most ~13 s of estimated speech and 256 text tokens (Bark's text window). Sentences come from
nltk's punkt (its trained English model when the data is installed, else the same algorithm with
hand-given abbreviations; nothing is ever downloaded). A sentence too long for one segment splits
at clause boundaries, never inside a word. Paragraph and chapter boundaries are pauses, not text.

Segments never straddle a paragraph, so joining a chapter's segments gives back its text and its
spoken text (modulo whitespace), in order.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series
from prefect import task
from prefect.cache_policies import NO_CACHE

from .errors import ManuscriptError
from .book import Book
from .normalize import normalize_for_speech, normalize_heading

NARRATOR = "narrator"  # the default speaker; a voice map may give any other speaker its own voice
DIALOGUE = "dialogue"  # quoted speech whose speaker the text does not name


def non_space_chars(text: str) -> int:
    """An upper bound on Bark's WordPiece token count: every token covers at least one non-space character."""
    return sum(not c.isspace() for c in text)


@dataclass(frozen=True)
class SegmentationSettings:
    """How text is cut into segments and how long the silences between them are.

    `words_per_second` 2.7 (~160 words a minute): audiobook narration runs at 150-160 wpm
    (ACX/industry figure, ~2.6 wps) and Bark's English presets speak a little faster than a
    studio narrator; with it, 13 s holds ~35 words, under Bark's 768-token (15.4 s) cap with margin.
    """

    max_seconds: float = 13.0
    words_per_second: float = 2.7
    min_seconds: float = 2.0  # shorter quoted speech stays inline with the narration around it
    max_tokens: int = 256
    count_tokens: Callable[[str], int] = non_space_chars
    sentence_pause: float = 0.35
    paragraph_pause: float = 0.9
    chapter_pause: float = 2.0
    speak_titles: bool = True  # a chapter opens with its title read aloud, as narrators do

    def seconds(self, spoken: str) -> float:
        return len(re.findall(r"[\w']+", spoken)) / self.words_per_second

    def fits(self, spoken: str) -> bool:
        return self.seconds(spoken) <= self.max_seconds and self.count_tokens(spoken) <= self.max_tokens


# --- sentences ---------------------------------------------------------------------------------

# Abbreviations that do not end a sentence (punkt's form: lower case, no final period).
ENGLISH_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "mt", "ft", "capt", "gen", "col", "lt",
    "sgt", "rev", "hon", "vs", "etc", "e.g", "i.e", "cf", "approx", "no", "nos", "fig", "vol",
    "ch", "p", "pp", "ave", "rd", "blvd", "inc", "ltd", "co", "corp", "dept", "est", "u.s",
    "u.k", "a.m", "p.m", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec",
}


@functools.cache
def sentence_tokenizer():
    """Punkt's trained English model if its data is installed, else punkt with our abbreviations."""
    import nltk
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTokenizer

    try:
        nltk.data.find("tokenizers/punkt_tab/english/")
        return PunktTokenizer("english")
    except LookupError:
        parameters = PunktParameters()
        parameters.abbrev_types = set(ENGLISH_ABBREVIATIONS)
        return PunktSentenceTokenizer(parameters)


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, each an exact slice of it (so nothing is lost or reworded)."""
    return [text[start:end] for start, end in sentence_tokenizer().span_tokenize(text)]


# --- clauses: splitting a sentence that is too long --------------------------------------------

CONJUNCTIONS = "and|but|or|nor|so|yet|because|although|though|while|whereas|unless|until|which|who|when|where"
CLAUSE_BREAKS = [  # strongest first; the last one is any space, so no word is ever cut
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"(?<=[—–])\s+|(?<=--)\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(rf"\s+(?=(?:{CONJUNCTIONS})\b)"),
    re.compile(r"(?<!\.)\s+(?!\S*\.(?:\s|$))"),  # between words, but not next to 'etc.' or 'p.m.': they read by context
    re.compile(r"\s+"),
]


def pack(pieces: list[str], fits: Callable[[str], bool]) -> list[str]:
    """Join consecutive pieces greedily while the joined text still fits."""
    packed: list[str] = []
    for piece in pieces:
        if packed and fits(f"{packed[-1]} {piece}"):
            packed[-1] = f"{packed[-1]} {piece}"
        else:
            packed.append(piece)
    return packed


def split_clauses(text: str, fits: Callable[[str], bool], level: int = 0) -> list[str]:
    """Cut `text` at the strongest clause boundaries that make every piece fit, then re-pack."""
    if fits(text) or level == len(CLAUSE_BREAKS):
        return [text]
    parts = [p for p in CLAUSE_BREAKS[level].split(text) if p.strip()]
    if len(parts) == 1:
        return split_clauses(text, fits, level + 1)
    return pack([piece for part in parts for piece in split_clauses(part, fits, level + 1)], fits)


# --- dialogue ----------------------------------------------------------------------------------

QUOTE = re.compile(r'"[^"\n]+"|\u201c[^\u201d\n]+\u201d')
SPEECH_VERBS = (
    r"said|says|asked|replied|answered|cried|exclaimed|whispered|shouted|called|muttered|added|"
    r"continued|began|entreated|remarked|observed|declared|demanded|laughed|sighed|told"
)
NOT_NAMES = {"He", "She", "They", "It", "I", "We", "You", "The", "A", "An", "And", "But", "Then"}
NAME = r"(?:the\s+)?([A-Z][a-z]+)"


def is_speech(quote: str) -> bool:
    """Speech, not a quoted word: it ends in punctuation inside the marks or runs to four words."""
    inner = quote[1:-1].strip()
    return bool(re.search(r"[.,!?;:—-]$", inner)) or len(inner.split()) >= 4


def named_speaker(before: str, after: str) -> str | None:
    """The speaker a tag names: '"...," said the Mouse' or 'the Mouse entreated, saying: "..."'."""
    candidates = [
        re.match(rf"\W*(?:{SPEECH_VERBS})\s+{NAME}", after),
        re.match(rf"\W*{NAME}\s+(?:{SPEECH_VERBS})\b", after),
        re.search(rf"{NAME}\s+(?:\w+ly\s+)?(?:{SPEECH_VERBS})(?:,?\s+saying)?\s*[:,]?\s*$", before),
    ]
    names = [m.group(1) for m in candidates if m and m.group(1) not in NOT_NAMES]
    return names[0] if names else None


def speaker_runs(paragraph: str, settings: SegmentationSettings) -> list[tuple[str, str]]:
    """A paragraph as (speaker, text) runs: quoted speech apart from narration.

    A run shorter than `min_seconds` cannot stand as a segment of its own: it joins its neighbour
    and takes the longer part's speaker (a short '"No!" he said.' stays with the narrator).
    """
    cuts, runs = [0], []
    for match in QUOTE.finditer(paragraph):
        if is_speech(match.group(0)):
            cuts += [match.start(), match.end()]
    cuts.append(len(paragraph))
    pieces = [paragraph[a:b] for a, b in zip(cuts, cuts[1:])]  # narration, quote, narration, ...
    for index, text in enumerate(pieces):
        if not text.strip():
            continue
        speaker = NARRATOR
        if index % 2:
            before = pieces[index - 1]
            after = pieces[index + 1] if index + 1 < len(pieces) else ""
            speaker = named_speaker(before, after) or DIALOGUE
        runs.append((speaker, text.strip()))
    return merge_short_runs(runs, settings)


def merge_short_runs(runs: list[tuple[str, str]], settings: SegmentationSettings) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for speaker, text in runs:
        if merged and (merged[-1][0] == speaker or settings.seconds(text) < settings.min_seconds
                       or settings.seconds(merged[-1][1]) < settings.min_seconds):
            last_speaker, last_text = merged[-1]
            longer = last_speaker if settings.seconds(last_text) >= settings.seconds(text) else speaker
            merged[-1] = (longer, f"{last_text} {text}")
        else:
            merged.append((speaker, text))
    return merged


# --- the manifest ------------------------------------------------------------------------------


class ManifestSchema(pa.DataFrameModel):
    """One row per segment, chapters and segments in reading order."""

    id: Series[str] = pa.Field(unique=True, str_matches=r"^[0-9a-f]{16}$")
    chapter_index: Series[int] = pa.Field(ge=0)
    chapter_title: Series[str] = pa.Field(str_contains=r"\S")
    segment_index: Series[int] = pa.Field(ge=0)
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
        """Chapters ascend; each chapter's segments count 0, 1, 2, ... in row order."""
        return bool(df.chapter_index.is_monotonic_increasing
                    and (df.groupby("chapter_index").cumcount() == df.segment_index).all())


def segment_id(spoken: str, speaker: str, occurrence: int) -> str:
    """16 hex of sha256 over what the segment says, who says it, and which repeat of that it is.

    The chapter's position is deliberately left out, so inserting a chapter or editing a sentence
    changes no other segment's id; `occurrence` (0 for the first identical segment in the book, 1
    for the next, ...) keeps repeated lines distinct yet stable while their order stands. Packing is
    per paragraph, so an edit that moves a packing boundary re-packs at most the rest of its paragraph.
    """
    return hashlib.sha256(f"{speaker}\x1f{occurrence}\x1f{spoken}".encode()).hexdigest()[:16]


def paragraph_segments(paragraph: str, normalize: Callable[[str], str], settings: SegmentationSettings,
                       where: str) -> list[tuple[str, str, str]]:
    """One paragraph -> [(speaker, source text, spoken text)], each fitting one segment."""
    spoken = functools.lru_cache(maxsize=None)(normalize)

    def fits(text: str) -> bool:
        return settings.fits(spoken(text))

    segments = []
    for speaker, run in speaker_runs(paragraph, settings):
        pieces = [piece for sentence in split_sentences(run) for piece in split_clauses(sentence, fits)]
        for text in pack(pieces, fits):
            if not fits(text):
                raise ManuscriptError(f"{where}: {text[:40]!r}… is one word too long to speak in one segment")
            if re.search(r"\w", spoken(text)):  # a lone '—' or '♪' has nothing to say
                segments.append((speaker, text, spoken(text)))
    return segments


def segment_book(book: Book, settings: SegmentationSettings = SegmentationSettings()) -> pd.DataFrame:
    """The book's manifest: a validated DataFrame with ManifestSchema's columns."""
    rows = []
    occurrences: Counter = Counter()
    for chapter_index, chapter in enumerate(book.chapters):
        where = f"{book.source or book.title}, chapter {chapter_index + 1} ({chapter.title})"
        paragraphs = [(chapter.title, normalize_heading)] if settings.speak_titles else []
        for paragraph in chapter.paragraphs:
            shouted = not re.search(r"[a-z]", paragraph)  # an all-capitals line is a heading, not a shout
            paragraphs.append((paragraph, normalize_heading if shouted else normalize_for_speech))
        chapter_rows = []
        for paragraph, normalizer in paragraphs:
            normalize = functools.partial(normalizer, language=book.language)
            segments = paragraph_segments(paragraph, normalize, settings, where)
            for number, (speaker, text, spoken) in enumerate(segments):
                last = number == len(segments) - 1
                occurrence = occurrences[(speaker, spoken)]
                occurrences[(speaker, spoken)] += 1
                chapter_rows.append({
                    "id": segment_id(spoken, speaker, occurrence),
                    "chapter_index": chapter_index,
                    "chapter_title": chapter.title,
                    "segment_index": len(chapter_rows),
                    "text": text,
                    "spoken": spoken,
                    "seconds": round(settings.seconds(spoken), 3),
                    "pause_after": settings.paragraph_pause if last else settings.sentence_pause,
                    "speaker": speaker,
                })
        if chapter_rows:
            chapter_rows[-1]["pause_after"] = settings.chapter_pause
        rows += chapter_rows
    manifest = pd.DataFrame(rows, columns=list(ManifestSchema.to_schema().columns))
    return ManifestSchema.validate(manifest)


def manifest_json(book: Book, manifest: pd.DataFrame) -> dict:
    """The manifest as plain JSON data: {title, author, chapters: [{title, segments: [...]}]}."""
    chapters = []
    for _, rows in manifest.groupby("chapter_index", sort=True):
        segments = [
            {"id": r.id, "text": r.text, "spoken": r.spoken, "seconds": float(r.seconds),
             "pause_after": float(r.pause_after), "speaker": r.speaker}
            for r in rows.sort_values("segment_index").itertuples()
        ]
        chapters.append({"title": rows.chapter_title.iloc[0], "segments": segments})
    return {"title": book.title, "author": book.author, "chapters": chapters}


def manifest_summary(book: Book, manifest: pd.DataFrame) -> str:
    """A few lines for a person: chapters, segments, estimated minutes of audio."""
    speech, pauses = float(manifest.seconds.sum()), float(manifest.pause_after.sum())
    speakers = sorted(set(manifest.speaker) - {NARRATOR})
    lines = [
        f"{book.title} by {book.author}",
        f"{manifest.chapter_index.nunique()} chapters, {len(manifest)} segments, "
        f"about {(speech + pauses) / 60:.1f} min of audio ({speech / 60:.1f} min speech)",
    ]
    if speakers:
        lines.append(f"speakers besides the narrator: {', '.join(speakers)}")
    for index, rows in manifest.groupby("chapter_index", sort=True):
        lines.append(f"  {index + 1:2d}. {rows.chapter_title.iloc[0]}: {len(rows)} segments, "
                     f"{(rows.seconds.sum() + rows.pause_after.sum()) / 60:.1f} min")
    return "\n".join(lines)


segment_manuscript = task(name="segment", cache_policy=NO_CACHE)(segment_book)
