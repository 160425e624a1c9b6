"""What the speech checker heard in one take: a typed record, light to import (the checker itself, in
`tasks.qc.speech`, loads models), kept in each take's check and serialised only for reports."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass
class SpeechCheck:
    """What was heard in one take, and what is wrong with it (`problems` empty: passed)."""

    word_match: float
    missing: list[str]
    extra: list[str]
    words: list[tuple[str, float, float]]
    voice_similarity: float | None
    running_similarity: float | None
    lead_s: float
    trail_s: float
    longest_gap_s: float
    speech_s: float
    problems: list[str] = field(default_factory=list)
    extra_s: float = 0.0
    longest_missing_run: int = 0
    cut_at_end: bool = False
    unscored: list[str] = field(default_factory=list)  # words the engine cannot know (not in its dictionary)
    end_step: float | None = None  # how abruptly the sound stops: 0 faded out, 1 cut at full level
    last_word_heard: bool = True  # the text's last word was heard
    sound_after_words_s: float | None = None  # sound after the last text word heard (None: no word heard)
    pause_marks: int = 0  # cues, dashes and ellipses in the text: places Bark may fill with a pause or a sound

    @property
    def passed(self) -> bool:
        return not self.problems

    @classmethod
    def from_dict(cls, row: dict) -> SpeechCheck:
        """`as_dict` read back (a stored check, judged again under other settings)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: [tuple(w) for w in v] if k == "words" else v for k, v in row.items() if k in names})

    def as_dict(self) -> dict:
        """JSON-able, stable keys: the QC table's columns."""
        return {
            "passed": self.passed, "problems": list(self.problems),
            "word_match": round(self.word_match, 3), "missing": list(self.missing), "extra": list(self.extra),
            "extra_s": self.extra_s, "longest_missing_run": self.longest_missing_run,
            "voice_similarity": rounded(self.voice_similarity), "running_similarity": rounded(self.running_similarity),
            "lead_s": self.lead_s, "trail_s": self.trail_s, "longest_gap_s": self.longest_gap_s,
            "speech_s": self.speech_s, "cut_at_end": self.cut_at_end, "end_step": self.end_step,
            "last_word_heard": self.last_word_heard, "sound_after_words_s": self.sound_after_words_s,
            "pause_marks": self.pause_marks, "unscored": list(self.unscored),
            "words": [[w, round(start, 2), round(end, 2)] for w, start, end in self.words],
        }


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
