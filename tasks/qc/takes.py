"""Takes: one segment generated with several seeds, each take checked, the best one kept.

A take's record is its seed and fine tokens (8 codebooks at 75 Hz: ~2.4 KB a second of audio, where
float32 audio is 96 KB): the audio is a pure function of them through the model's codec, so it is
decoded when needed and never stored. What was checked in a take is a `TakeCheck`; its `score`
decides which take a segment keeps.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from dataclasses import dataclass, field

import numpy as np

from bark_model.constants import HOP_LENGTH, SAMPLE_RATE

from .signal import QCResult, problem_kind
from .speech_check import SpeechCheck

# Problems the mastering fixes (it sets every take's level) when the speech check heard the text right:
# such a take is kept, not generated again. Leading and trailing silence never are problems (trimmed).
MASTERED = ("near-silent",)


@dataclass
class Take:
    """One generation of a segment. `audio` rides along in memory right after generating it and is
    left out when pickled (the cached record): decoding `fine` gives the same samples back."""

    segment_id: str
    seed: int
    fine: np.ndarray  # (8, F) int16: codebook indices < 1024
    sample_rate: int = SAMPLE_RATE
    audio: np.ndarray | None = field(default=None, repr=False)  # (320 * F,) float32, or None until decoded

    @property
    def seconds(self) -> float:
        return self.fine.shape[-1] * HOP_LENGTH / self.sample_rate

    def __getstate__(self) -> dict:
        return self.__dict__ | {"audio": None}


@dataclass
class TakeCheck:
    """What was measured on one take. `signal` is the level/duration check (None with QC off);
    `speech` is what the speech checker heard (None unless QC is `speech`)."""

    seed: int
    expected_seconds: float
    signal: QCResult | None = None
    speech: SpeechCheck | None = None

    @property
    def problems(self) -> list[str]:
        return (self.signal.problems if self.signal else []) + (list(self.speech.problems) if self.speech else [])

    @property
    def failures(self) -> list[str]:
        """The problems worth a new take: all of them, less those the mastering fixes (`MASTERED`) in a
        take whose words and voice passed the speech check."""
        heard_right = self.speech is not None and self.speech.passed
        return [p for p in self.problems if not (heard_right and problem_kind(p) in MASTERED)]

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def duration_misfit(self) -> float:
        """|log(voiced seconds / what the text predicts)|: 0 is a perfect fit."""
        if self.signal is None:
            return 0.0
        return abs(math.log(max(self.signal.voiced_seconds, 1e-3) / max(self.expected_seconds, 1e-3)))

    @property
    def score(self) -> tuple:
        """Higher is better, compared in order: passing (nobody has to listen to it); content (share of
        the words heard, then fewest missing + extra words); voice similarity to the speaker's reference;
        fewest problems; duration closest to the text's estimate. Without a speech check the content
        and voice terms tie, and the signal checks decide."""
        heard = self.speech
        wrong_words = len(heard.missing) + len(heard.extra) if heard else 0
        voice = heard.voice_similarity if heard and heard.voice_similarity is not None else -1.0
        return (self.passed, heard.word_match if heard else 0.0, -wrong_words, voice,
                -len(self.failures), -len(self.problems), -self.duration_misfit)

    def as_row(self) -> dict:
        """Plain scalars for the QC table: verdict and problems first (none: "", the verdict says ok), then the
        speech measures (with a speech check) and the signal measures (unless QC was off)."""
        row = {"verdict": "ok" if self.passed else "fail", "problems": "; ".join(self.problems),
               "seed": self.seed}
        if self.speech is not None:
            heard = self.speech
            row |= {"word_match": round(heard.word_match, 3), "missing": " ".join(heard.missing),
                    "extra": " ".join(heard.extra),
                    "voice_similarity": None if heard.voice_similarity is None else round(heard.voice_similarity, 3),
                    # measures the mastering acts on (it trims the silences), never failures
                    "lead_s": heard.lead_s, "trail_s": heard.trail_s}
        if self.signal is not None:
            row |= {k: v for k, v in self.signal.as_dict().items() if k != "problems"}
        return row


@dataclass(frozen=True)
class SeedPlan:
    """Which seeds a segment may use: rounds of `per_round` takes generated together, at most
    `rounds` of them, starting at `first` (the render's seed plus the segment's retake offset)."""

    first: int
    per_round: int = 1
    rounds: int = 3

    @property
    def budget(self) -> int:
        return self.per_round * self.rounds

    def round_seeds(self) -> list[list[int]]:
        return [[self.first + r * self.per_round + i for i in range(self.per_round)] for r in range(self.rounds)]


Checked = tuple[Take, TakeCheck]


def in_parallel(work: Callable[[int], Checked], seeds: list[int]) -> list[Checked]:
    """`work(seed)` for every seed at once, each in its own thread (in a copy of this thread's context:
    the task run's logger and settings): their generations reach the engine together and share a batch;
    each thread checks its take as soon as it has it, while the engine runs other rows."""
    if len(seeds) == 1:
        return [work(seeds[0])]
    with ThreadPoolExecutor(max_workers=len(seeds), thread_name_prefix="take") as pool:
        return list(pool.map(lambda seed: copy_context().run(work, seed), seeds))


def choose_take(work: Callable[[int], Checked], seeds: SeedPlan) -> tuple[Take, list[TakeCheck]]:
    """Rounds of takes until one passes or the seeds run out; the best take by `TakeCheck.score` is kept
    (not the first that passes), with the checks of every take tried, in seed order."""
    tried: list[Checked] = []
    for round_seeds in seeds.round_seeds():
        tried += in_parallel(work, round_seeds)
        if any(check.passed for _, check in tried):
            break
    best, _ = max(tried, key=lambda tc: tc[1].score)
    return best, [check for _, check in tried]
