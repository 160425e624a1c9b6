"""The defaults the `barkbook` command, the render-book flow and the plan share (light: the CLI imports it
at start). The engine's own defaults (sampling, coarse history) stay in bark_model.GenerationParams."""

from pathlib import Path

# what renders
DEFAULT_MODEL = "small"  # a real voice; random-tiny is for offline runs and tests
DEFAULT_VOICE = "v2/en_speaker_6"  # the narrator's, unless the call or the manuscript names one
DEFAULT_DEVICE = "cpu"
DEFAULT_DTYPE = "float32"
DEFAULT_SEED = 0  # same seed, same audio
DEFAULT_TAKES = 1  # takes of a segment generated together, per round
DEFAULT_MAX_ATTEMPTS = 3  # rounds of takes at most while a segment fails its checks

# what is read and delivered
DEFAULT_NOTES = "skip"  # footnotes and endnotes are not read
DEFAULT_STAGE_DIRECTIONS = "read"  # a play's stage directions are read by the narrator
DEFAULT_TARGET = "generic"  # the platform preset the package is made for (tasks/package/targets.py)
DEFAULT_SAMPLE_MINUTES = 3.0  # the retail sample's length, from the first chapter
DEFAULT_OUTPUT_DIR = Path("out")
