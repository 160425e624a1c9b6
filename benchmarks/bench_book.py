"""The scale benchmark's books: a Markdown manuscript of about N segments, deterministic from a seed.

Each paragraph is one plain narrative sentence of six words (2.2 s of speech at the segmenter's 2.7
words a second): long enough not to join a neighbour (under 2 s joins), short enough to keep
random-tiny's generation cheap (its weights never end speech, so each row runs to the segment's
cap, 1.35 × 2.2 + 1 = 4 s); each chapter is a `# Chapter N` heading (its own segment) and 20–40
such paragraphs. No digits, quotes or dialogue: every segment is the narrator's, so the segment count
is the paragraph count plus the headings.
"""

from __future__ import annotations

import random
from pathlib import Path

SUBJECTS = ["The miller", "A shepherd", "The clerk", "Her sister", "The ferryman", "A stranger", "The priest",
            "The blacksmith", "A tinker", "The captain", "My grandmother", "The schoolmaster"]
VERBS = ["carried", "mended", "buried", "watched", "forgot", "painted", "followed", "sold", "found", "counted"]
OBJECTS = ["the lantern", "the letters", "the wheel", "a basket", "the mare", "a ribbon", "the key", "the bread",
           "the map", "the boots"]
ENDINGS = ["slowly", "again", "yesterday", "carefully", "twice", "alone", "quietly", "tonight", "gladly", "early"]
SEGMENTS_PER_CHAPTER = (20, 40)  # heading included


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(ENDINGS)}."


def chapter_sizes(segments: int, rng: random.Random) -> list[int]:
    """Segments per chapter (heading included) summing to `segments`; the last takes the remainder,
    merged into the one before when under the minimum."""
    low, high = SEGMENTS_PER_CHAPTER
    sizes: list[int] = []
    while sum(sizes) < segments:
        sizes.append(min(rng.randint(low, high), segments - sum(sizes)))
    if len(sizes) > 1 and sizes[-1] < low:
        last = sizes.pop()
        sizes[-1] += last
    return sizes


def write_book(path: Path, segments: int, seed: int = 0) -> list[int]:
    """Write the manuscript of about `segments` segments to `path`; return its chapters' segment counts."""
    rng = random.Random(seed)
    sizes = chapter_sizes(segments, rng)
    lines = ["---", f"title: Benchmark Book of {segments} Segments", "author: Barkbook Benchmarks", "language: en",
             "---", ""]
    for number, size in enumerate(sizes, start=1):
        lines += [f"# Chapter {number}", ""] + [line for _ in range(size - 1) for line in (sentence(rng), "")]
    path.write_text("\n".join(lines), encoding="utf-8")
    return sizes
