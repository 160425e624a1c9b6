"""The defaults the `barkbook` command and the render-book flow share (light: the CLI imports it at start)."""

DEFAULT_MODEL = "small"  # a real voice; random-tiny is for offline runs and tests
DEFAULT_VOICE = "v2/en_speaker_6"  # the narrator's, unless the call or the manuscript names one
