"""What is known about each shipped voice preset: its language (from its name) and, for the v2 presets, the
gender and note Suno published for it. Plain data and one function, `preset_facts()`.

Source of GENDERS and NOTES: Suno, "Bark Speaker Library (v2)",
https://suno-ai.notion.site/8b8e8749ed514b0cbf3f699013548683?v=bc67cff786b04b50b3ceb756fd05f68c (linked from the
suno-ai/bark README and the transformers Bark docs as "a library of voice presets"): one row per v2 prompt with
its language, gender and notes, and a sample of it (dl.suno-models.io/bark/prompts/prompt_audio/<name>.mp3).
Transcribed in 2026 from a tab-separated copy of that table. Suno published nothing for the v1 presets
(`en_speaker_0`, …) or `announcer`: their gender is "unknown" here, not guessed from the v2 rows, since v1
and v2 prompts of one number are not the same recording.
"""

from __future__ import annotations

from dataclasses import dataclass

from .voices import list_presets

UNKNOWN = "unknown"
LANGUAGES = {"de": "German", "en": "English", "es": "Spanish", "fr": "French", "hi": "Hindi", "it": "Italian",
             "ja": "Japanese", "ko": "Korean", "pl": "Polish", "pt": "Portuguese", "ru": "Russian", "tr": "Turkish",
             "zh": "Chinese (Simplified)"}  # the codes the preset names begin with, as Suno's table names them

M, F = "male", "female"
GENDER_NAMES = (M, F, UNKNOWN)  # what `gender` may be
GENDERS = {  # language -> gender of v2/<language>_speaker_0 … _9, in order (Suno's table)
    "en": (M, M, M, M, M, M, M, M, M, F),
    "zh": (M, M, M, M, F, M, F, F, M, F),
    "fr": (M, F, F, M, M, F, M, M, M, M),
    "de": (M, M, M, F, M, M, M, M, F, M),
    "hi": (F, F, M, F, F, M, M, M, M, F),
    "it": (M, M, F, M, M, M, M, F, M, F),
    "ja": (F, F, M, F, F, F, M, F, F, F),
    "ko": (F, M, M, M, M, M, M, M, M, M),
    "pl": (M, M, M, M, F, M, F, M, M, F),
    "pt": (M, M, M, M, M, M, M, M, M, M),
    "ru": (M, M, M, M, M, F, F, M, M, F),
    "es": (M, M, M, M, M, M, M, M, F, F),
    "tr": (M, M, M, M, F, F, M, M, M, M),
}
NOTES = {  # Suno's notes on a v2 preset (what a listener hears besides the voice); none for the others
    "v2/en_speaker_5": "Grainy", "v2/en_speaker_6": "Suno Favorite", "v2/zh_speaker_6": "Background Noise",
    "v2/fr_speaker_9": "Auditorium", "v2/hi_speaker_1": "Background Noise", "v2/hi_speaker_4": "Background Noise",
    "v2/it_speaker_4": "Suno Favorite", "v2/ja_speaker_1": "Background Noise", "v2/pt_speaker_6": "Background Noise",
    "v2/ru_speaker_1": "Echoes", "v2/ru_speaker_2": "Echoes", "v2/ru_speaker_6": "Grainy", "v2/ru_speaker_8": "Grainy",
    "v2/ru_speaker_9": "Grainy", "v2/es_speaker_2": "Background Noise", "v2/es_speaker_3": "Background Noise",
    "v2/es_speaker_5": "Background Noise", "v2/tr_speaker_7": "Grainy",
}


@dataclass(frozen=True)
class PresetFacts:
    """One preset: `language` an ISO 639-1 code (UNKNOWN for `announcer`), `gender` male/female/UNKNOWN,
    `notes` Suno's note ("" for none)."""

    name: str
    language: str
    gender: str
    notes: str = ""


def facts_of(name: str) -> PresetFacts:
    """The facts of one preset name (`v2/en_speaker_9`, `de_speaker_3`, `announcer`)."""
    version, _, base = name.rpartition("/")
    language, _, number = base.partition("_speaker_")
    if language not in LANGUAGES:
        return PresetFacts(name, UNKNOWN, UNKNOWN)
    genders = GENDERS.get(language, ()) if version == "v2" else ()
    gender = genders[int(number)] if number.isdigit() and int(number) < len(genders) else UNKNOWN
    return PresetFacts(name, language, gender, NOTES.get(name, ""))


def preset_facts() -> list[PresetFacts]:
    """Every shipped preset with its facts, in list_presets() order."""
    return [facts_of(name) for name in list_presets()]
