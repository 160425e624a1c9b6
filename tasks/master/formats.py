"""The audio formats barkbook delivers: every list of them is read from here."""

from __future__ import annotations

from typing import Literal, get_args

AudioFormat = Literal["wav", "flac", "mp3", "m4b"]
AUDIO_FORMATS: tuple[str, ...] = get_args(AudioFormat)
LOSSLESS = ("wav", "flac")  # a chapter's master is one of these; the whole book can be too
CHAPTER_FORMATS = (*LOSSLESS, "mp3")  # a chapter file; m4b is the whole book only
