"""A run summary for tests that replace the render-book flow with a recorder."""

from __future__ import annotations

from tasks.deliver import RunSummary


def run_summary(**fields) -> RunSummary:
    return RunSummary(**{"title": "Three Fables of Aesop", "author": "Aesop", "chapters": 3, "segments": 0, "rendered": 0,
                         "cached": 0, "retried": 0, "takes": 0, "retaken_for": {}, "audio_seconds": 0.0, "target": "generic",
                         "ai_narration": "AI Voice (Bark random-tiny, v2/en_speaker_6)", "qc": "signal checks only",
                         "retakes": 0, "review": 0, "cover": "drawn", "checks": "generic: all 0 audio files pass",
                         "out_of_spec": [], "manifest": "out/manifest.json", "files": [], "removed": [], **fields})
