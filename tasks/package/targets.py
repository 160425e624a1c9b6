"""Platform presets (`--target`): what each distributor takes — formats, bitrate, file naming, the longest file,
the folder layout — and the technical rules its files are checked against.

Each value says where it came from. The rules are tasks/master/checks.py's `DeliveryRules`:
RMS window, peak, noise floor (dBFS), room tone at the head and tail (s), longest file and sample length (s),
sample rate, channels, formats, the MP3's least bitrate (kbps) and whether it must be constant. `generic` and
`audiobookshelf` check only the true peak (≤ −1 dBTP, EBU R128's ceiling): the M4B's AAC overshoots a −3 dB
sample peak by a fraction of a dB (measured −2.68 dBFS over 4 h from a −3.5 dB master) while its true peak
stays far from clipping.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal, get_args

from tasks.core import BarkbookError
from tasks.master import ACX, DELIVERY_RATE, GENERIC, DeliveryRules

from .assemble import MP3_BITRATE

# ACX: tasks/delivery_checks.ACX (help.acx.com "ACX audio submission requirements", quoted there).
# Google Play Books partner help, "Audiobook file formats" (support.google.com/books/partner/answer/3424254):
# MP3 (CBR recommended) ≥ 128 kbps mono / 256 kbps stereo, FLAC or WAV 16-bit ≥ 44.1 kHz; no loudness rule.
GOOGLE_PLAY = DeliveryRules(name="Google Play", sample_rate=DELIVERY_RATE, formats=("mp3", "flac", "wav"), mp3_min_kbps=128)
# Findaway Voices (Spotify's distributor; Spotify for Authors takes audiobooks through it): chapters and credits
# as their own files (blog.findawayvoices.com, "Mastering your audiobook for the Findaway Voices audio
# specifications"), the levels and MP3 format ACX asks for (RMS -23..-18, peak -3, floor -60, 192 kbps CBR).
FINDAWAY = dataclasses.replace(ACX, name="Findaway", sample_seconds=None, formats=("mp3", "wav"))


@dataclass(frozen=True)
class Target:
    """One platform's package. `formats`: what it takes when `--format` is not given; `rules`: what its files
    are checked against (a longer chapter than its `max_seconds` is split at sentence ends); `isbn_names`:
    files named `<ISBN>_<n>of<N>` when an ISBN is known; `author_title_folders`: the package lies in
    `Author/Title/`; `metadata_files`: Audiobookshelf's `metadata.json` and `reader.txt` beside the audio;
    `warning`: said once per run."""

    name: str
    formats: tuple[str, ...]
    rules: DeliveryRules = GENERIC
    mp3_bitrate: str = MP3_BITRATE
    isbn_names: bool = False
    author_title_folders: bool = False
    metadata_files: bool = False
    warning: str | None = None

    @property
    def max_file_seconds(self) -> float | None:
        """The longest file it takes (its rules' `max_seconds`): longer chapters are split."""
        return self.rules.max_seconds


TARGETS = {target.name: target for target in (
    Target("generic", ("wav",), GENERIC),
    Target("acx", ("mp3",), ACX,
           # ACX's submission requirements (as quoted by chapterpass.com/learn/acx-human-narration-policy,
           # June 2026): "narrated by a human unless otherwise authorized"; unauthorized TTS/AI is prohibited.
           warning="ACX does not accept AI-narrated audiobooks without Audible's authorization: this package "
                   "labels its narration 'AI Voice' in every file and in manifest.json; ask ACX before uploading it"),
    Target("google-play", ("mp3",), GOOGLE_PLAY, isbn_names=True),
    # Spotify for Authors takes audiobooks through Findaway Voices: the same package and rules.
    Target("spotify", ("mp3",), FINDAWAY),
    Target("findaway", ("mp3",), FINDAWAY),
    # audiobookshelf.org docs, "Book library structure": {Author}/{Book}/ with the audio files and a cover
    # image; its scanner also reads reader.txt (narrators), desc.txt and the metadata.json it writes itself.
    Target("audiobookshelf", ("mp3", "m4b"), GENERIC, author_title_folders=True, metadata_files=True),
)}


TargetName = Literal["generic", "acx", "google-play", "spotify", "findaway", "audiobookshelf"]
assert set(get_args(TargetName)) == set(TARGETS), "TargetName lists every preset"


def target_named(name: str) -> Target:
    """The preset called `name`; an unknown one is a BarkbookError naming the choices."""
    if name not in TARGETS:
        raise BarkbookError(f"unknown target {name!r}; choose from {', '.join(TARGETS)}")
    return TARGETS[name]
