"""Words to compare: the spoken text normalized (lower case, no punctuation, no Bark cues), and the
heard words matched against it in order."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

CUES = re.compile(r"\[[^\]]*\]|[♪♫]+")  # Bark's [laughs], [sighs], ♪: sounds, not words
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")
PAUSES = re.compile(r"—|–|\.\.\.|…")  # a dash or an ellipsis: Bark may pause there


def normalize_words(text: str) -> list[str]:
    """'Down, down — DOWN! [sighs]' → ['down', 'down', 'down']; hyphenated words split."""
    return WORD.findall(CUES.sub(" ", text.lower().replace("’", "'")))


def cue_slots(text: str) -> list[int]:
    """Where Bark's sound cues sit among the words: [k] for a cue before the k-th word (k = the number
    of words: after the last). '[laughs] Oh no ♪' → [0, 2]."""
    slots, words = [], 0
    for piece in re.split(f"({CUES.pattern})", text.lower().replace("’", "'")):
        if CUES.fullmatch(piece):
            slots.append(words)
        else:
            words += len(WORD.findall(piece))
    return slots


def pause_marks(text: str) -> int:
    """How many places in the text Bark may fill with a pause or a sound: cues, dashes, ellipses."""
    return len(CUES.findall(text)) + len(PAUSES.findall(text))


@dataclass(frozen=True)
class Heard:
    """What a content engine heard in a take."""

    expected: list[str]                    # the text's words
    words: list[tuple[str, float, float]]  # heard, in order: words and "/ph on es/" stretches that are not words
    unscored: set[str]                     # words the engine cannot know (not in its dictionary)


@dataclass(frozen=True)
class Comparison:
    """The expected words against what was heard, in order."""

    word_match: float                      # share of the scored expected words heard in order
    missing: list[str]                     # expected words not heard
    longest_missing_run: int               # most consecutive expected words not heard (a skip)
    extra: list[str]                       # heard, not expected (before, between or after)
    extra_s: float                         # how long the extra speech lasts
    words: list[tuple[str, float, float]]  # the expected words heard, with their times
    last_heard: bool = True                # the last scored expected word was heard


def compare(expected: list[str], heard: list[tuple[str, float, float]], unscored: set[str] = frozenset(),
            speech: list[tuple[float, float]] | None = None) -> Comparison:
    """Longest-matching-blocks alignment (difflib) of expected and heard words; `unscored`
    words (ones the engine cannot know) count neither as heard nor as missing. With `speech` (the
    VAD's stretches), extra speech is timed only where there is speech: a breath or room noise the
    engine heard as phones is not extra speech."""
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
        extra_s=round(sum(spoken(start, end, speech) for _, start, end in extra), 3),
        words=[heard[j] for j in sorted(found_heard)],
        last_heard=not scored or scored[-1] in found_exp,
    )


SPEECH_PAD_S = 0.1  # the VAD's stretches have no padding: a word's soft edges lie just outside them


def spoken(start: float, end: float, speech: list[tuple[float, float]] | None) -> float:
    """How much of [start, end] is speech (all of it without `speech`)."""
    if speech is None:
        return end - start
    return sum(max(0.0, min(end, b + SPEECH_PAD_S) - max(start, a - SPEECH_PAD_S)) for a, b in speech)


def longest_run(indices: list[int]) -> int:
    """Longest run of consecutive integers in a sorted list."""
    best = run = 0
    for k, i in enumerate(indices):
        run = run + 1 if k and i == indices[k - 1] + 1 else 1
        best = max(best, run)
    return best
