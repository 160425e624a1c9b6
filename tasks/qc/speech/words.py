"""Words to compare: the spoken text normalized (lower case, no punctuation, no Bark cues), and the
heard words matched against it in order."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

CUES = re.compile(r"\[[^\]]*\]|[♪♫]")  # Bark's [laughs], [sighs], ♪: sounds, not words
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")


def normalize_words(text: str) -> list[str]:
    """'Down, down — DOWN! [sighs]' → ['down', 'down', 'down']; hyphenated words split."""
    return WORD.findall(CUES.sub(" ", text.lower().replace("’", "'")))


@dataclass(frozen=True)
class Comparison:
    """The expected words against what was heard, in order."""

    word_match: float                      # share of the scored expected words heard in order
    missing: list[str]                     # expected words not heard
    longest_missing_run: int               # most consecutive expected words not heard (a skip)
    extra: list[str]                       # heard, not expected (before, between or after)
    extra_s: float                         # how long the extra speech lasts
    words: list[tuple[str, float, float]]  # the expected words heard, with their times


def compare(expected: list[str], heard: list[tuple[str, float, float]], unscored: set[str] = frozenset()) -> Comparison:
    """Longest-matching-blocks alignment (difflib) of expected and heard words; `unscored`
    words (ones the engine cannot know) count neither as heard nor as missing."""
    said = [w for w, _, _ in heard]
    blocks = difflib.SequenceMatcher(a=expected, b=said, autojunk=False).get_matching_blocks()
    found_exp, found_heard = set(), set()
    for block in blocks:
        found_exp.update(range(block.a, block.a + block.size))
        found_heard.update(range(block.b, block.b + block.size))
    scored = [i for i, w in enumerate(expected) if w not in unscored]
    missing_idx = [i for i in scored if i not in found_exp]
    extra = [heard[j] for j in range(len(heard)) if j not in found_heard and heard[j][0] not in unscored]
    return Comparison(
        word_match=1.0 - len(missing_idx) / len(scored) if scored else 1.0,
        missing=[expected[i] for i in missing_idx],
        longest_missing_run=longest_run(missing_idx),
        extra=[w for w, _, _ in extra],
        extra_s=round(sum(end - start for _, start, end in extra), 3),
        words=[heard[j] for j in sorted(found_heard)],
    )


def longest_run(indices: list[int]) -> int:
    """Longest run of consecutive integers in a sorted list."""
    best = run = 0
    for k, i in enumerate(indices):
        run = run + 1 if k and i == indices[k - 1] + 1 else 1
        best = max(best, run)
    return best
