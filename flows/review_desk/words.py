"""A take's checks as a producer reads them: its verdict, what is wrong in a few words ("2 words missing:
'harbour', 'grey'", "voice drifts (0.71)") and the kind of each problem, which the desk's filter lists."""

from __future__ import annotations

from tasks.qc import SpeechCheck, TakeCheck, problem_kind

# The problem lines of tasks/qc (signal.py, speech/__init__.py) by how they begin: the kind a filter names.



def quoted(words: list[str], most: int = 6) -> str:
    shown = ", ".join(f"'{w}'" for w in words[:most])
    return shown + (f" and {len(words) - most} more" if len(words) > most else "")


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def speech_phrase(kind: str, heard: SpeechCheck | None) -> str | None:
    """The speech checker's measure behind a problem of this kind, in words; None: the problem line says it."""
    if heard is None:
        return None
    if kind in ("words missing", "words skipped") and heard.missing:
        return f"{plural(len(heard.missing), 'word')} missing: {quoted(heard.missing)}"
    if kind == "extra speech" and heard.extra:
        return f"{plural(len(heard.extra), 'extra word')}: {quoted(heard.extra)}"
    if kind == "voice drifts" and heard.running_similarity is not None:
        return f"voice drifts ({heard.running_similarity:.2f})"
    if kind == "another voice" and heard.voice_similarity is not None:
        return f"another voice ({heard.voice_similarity:.2f})"
    return None


def what_is_wrong(check: TakeCheck) -> list[str]:
    """Each problem of the take in a few words; an empty list: it passes."""
    return [speech_phrase(problem_kind(p), check.speech) or p for p in check.problems]


def measures(check: TakeCheck) -> str:
    """What was measured, in one line: length against the text's estimate, level, and the speech checker's
    words and voice when it ran."""
    parts = []
    if check.signal is not None:
        s = check.signal
        parts.append(f"{s.seconds:.1f} s ({s.voiced_seconds:.1f} s voiced) for ~{check.expected_seconds:.1f} s of text")
        parts.append(f"level {s.rms_dbfs:.0f} dBFS, peak {s.peak_dbfs:.0f} dBFS")
    if check.speech is not None:
        parts.append(f"heard {check.speech.word_match:.0%} of the words")
        if check.speech.voice_similarity is not None:
            parts.append(f"voice {check.speech.voice_similarity:.2f} to the speaker's")
    return " · ".join(parts) or "not checked (QC off)"


def verdict(check: TakeCheck | None) -> str:
    """"passes its checks", "fails: …" or "not checked yet" (a take no record of this render checked)."""
    if check is None:
        return "not checked in this render"
    return "passes its checks" if check.passed else "fails: " + "; ".join(what_is_wrong(check))
