"""bark_model.speaker_library: each shipped preset's language (from its name) and Suno's published gender."""

from bark_model.speaker_library import GENDERS, LANGUAGES, NOTES, facts_of, preset_facts
from bark_model.voices import list_presets


def test_every_shipped_preset_has_facts_in_the_presets_order():
    assert [f.name for f in preset_facts()] == list_presets()


def test_every_v2_preset_of_a_known_language_has_its_published_gender():
    v2 = [f for f in preset_facts() if f.name.startswith("v2/")]
    assert len(v2) == 10 * len(LANGUAGES) and all(f.gender in {"male", "female"} for f in v2)
    assert {f.language for f in v2} == set(LANGUAGES) == set(GENDERS)


def test_english_has_one_female_v2_voice_as_suno_lists_it():
    english = {f.name: f.gender for f in preset_facts() if f.name.startswith("v2/en_")}
    assert [name for name, gender in english.items() if gender == "female"] == ["v2/en_speaker_9"]


def test_v1_presets_and_the_announcer_keep_what_is_known_and_no_more():
    assert facts_of("de_speaker_3") == facts_of("de_speaker_3").__class__("de_speaker_3", "de", "unknown")
    assert (facts_of("announcer").language, facts_of("announcer").gender) == ("unknown", "unknown")


def test_notes_name_only_shipped_presets():
    assert set(NOTES) <= set(list_presets())
    assert facts_of("v2/es_speaker_2").notes == "Background Noise" and facts_of("v2/en_speaker_0").notes == ""
