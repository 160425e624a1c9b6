"""Platform presets (`--target`): what each distributor takes — formats, bitrate, file naming, the longest file,
the folder layout — and the technical rules its files are checked against.

Each value says where it came from. The rules are the fields of tasks/delivery_checks.py's `DeliveryRules`
(`DeliveryRules(name=target.name, **target.rules)`): RMS window, peak, noise floor (dBFS), room tone at the
head and tail (s), longest file and sample length (s), sample rate, channels, formats, the MP3's least
bitrate (kbps) and whether it must be constant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

from .assemble import MP3_BITRATE
from .errors import BarkbookError

# ACX, help.acx.com "ACX audio submission requirements": opening/closing credits, a retail sample of 1-5 min, one
# chapter per file, ≤ 120 min per file, RMS -23..-18 dB, peak ≤ -3 dB, noise floor ≤ -60 dB, room tone
# 0.5-1 s at the head and 1-5 s at the tail, MP3 192 kbps or higher CBR at 44.1 kHz, all mono or all stereo
# (our masters are mono).
ACX_RULES = {"rms_dbfs": (-23.0, -18.0), "peak_dbfs": -3.0, "noise_floor_dbfs": -60.0, "head_s": (0.5, 1.0),
             "tail_s": (1.0, 5.0), "max_seconds": 120 * 60.0, "sample_seconds": (60.0, 300.0), "sample_rate": 44_100,
             "channels": 1, "formats": ("mp3",), "mp3_min_kbps": 192, "mp3_cbr": True}
# Google Play Books partner help, "Audiobook file formats" (support.google.com/books/partner/answer/3424254):
# MP3 (CBR recommended) ≥ 128 kbps mono / 256 kbps stereo, FLAC or WAV 16-bit ≥ 44.1 kHz; no loudness rule.
GOOGLE_PLAY_RULES = {"sample_rate": 44_100, "formats": ("mp3", "flac", "wav"), "mp3_min_kbps": 128}
# Findaway Voices (Spotify's distributor; Spotify for Authors takes audiobooks through it): chapters and credits
# as their own files (blog.findawayvoices.com, "Mastering your audiobook for the Findaway Voices audio
# specifications"), the levels and MP3 format ACX asks for (RMS -23..-18, peak -3, floor -60, 192 kbps CBR).
FINDAWAY_RULES = {k: v for k, v in ACX_RULES.items() if k != "sample_seconds"} | {"formats": ("mp3", "wav")}
GENERIC_RULES = {"rms_dbfs": (-23.0, -18.0), "peak_dbfs": -3.0, "noise_floor_dbfs": -60.0}  # what we master to


@dataclass(frozen=True)
class Target:
    """One platform's package. `formats`: what it takes when `--format` is not given; `rules`: what its files
    are checked against (a longer chapter than its `max_seconds` is split at sentence ends); `isbn_names`:
    files named `<ISBN>_<n>of<N>` when an ISBN is known; `author_title_folders`: the package lies in
    `Author/Title/`; `metadata_files`: Audiobookshelf's `metadata.json` and `reader.txt` beside the audio;
    `warning`: said once per run."""

    name: str
    formats: tuple[str, ...]
    rules: dict = field(default_factory=dict)
    mp3_bitrate: str = MP3_BITRATE
    isbn_names: bool = False
    author_title_folders: bool = False
    metadata_files: bool = False
    warning: str | None = None

    @property
    def max_file_seconds(self) -> float | None:
        """The longest file it takes (its rules' `max_seconds`): longer chapters are split."""
        return self.rules.get("max_seconds")


TARGETS = {target.name: target for target in (
    Target("generic", ("wav",), GENERIC_RULES),
    Target("acx", ("mp3",), ACX_RULES,
           # ACX's submission requirements (as quoted by chapterpass.com/learn/acx-human-narration-policy,
           # June 2026): "narrated by a human unless otherwise authorized"; unauthorized TTS/AI is prohibited.
           warning="ACX does not accept AI-narrated audiobooks without Audible's authorization: this package "
                   "labels its narration 'AI Voice' in every file and in manifest.json; ask ACX before uploading it"),
    Target("google-play", ("mp3",), GOOGLE_PLAY_RULES, isbn_names=True),
    # Spotify for Authors takes audiobooks through Findaway Voices: the same package and rules.
    Target("spotify", ("mp3",), FINDAWAY_RULES),
    Target("findaway", ("mp3",), FINDAWAY_RULES),
    # audiobookshelf.org docs, "Book library structure": {Author}/{Book}/ with the audio files and a cover
    # image; its scanner also reads reader.txt (narrators), desc.txt and the metadata.json it writes itself.
    Target("audiobookshelf", ("mp3", "m4b"), GENERIC_RULES, author_title_folders=True, metadata_files=True),
)}


TargetName = Literal["generic", "acx", "google-play", "spotify", "findaway", "audiobookshelf"]
assert set(get_args(TargetName)) == set(TARGETS), "TargetName lists every preset"


def target_named(name: str) -> Target:
    """The preset called `name`; an unknown one is a BarkbookError naming the choices."""
    if name not in TARGETS:
        raise BarkbookError(f"unknown target {name!r}; choose from {', '.join(TARGETS)}")
    return TARGETS[name]
