"""The cast: presets' genders as facts, voices by gender and weight, the narrator's voice kept apart,
and BOOK.cast.csv written, read and pinned."""

import pytest

from bark_model.voices import list_presets
from tasks.text.speakers.cast import (PRESET_GENDERS, Role, auto_voices, cast_file, language_presets, read_cast_csv, voices_of,
                        write_cast_csv)
from tasks.core.errors import BarkbookError

NARRATOR_VOICE = "v2/en_speaker_6"


def roles(*specs: tuple[str, str, int]) -> list[Role]:
    return [Role(name, (), gender, lines) for name, gender, lines in specs]


def test_every_shipped_v2_preset_has_a_gender_and_only_those_do():
    assert set(PRESET_GENDERS) == {name for name in list_presets() if name.startswith("v2/")}
    assert set(PRESET_GENDERS.values()) == {"M", "F"}


def test_a_woman_gets_a_womans_preset_where_the_language_has_one():
    voices = auto_voices(roles(("Emma", "F", 300), ("Harriet", "F", 200), ("Mr. Knightley", "M", 250)), "en",
                         {NARRATOR_VOICE})
    assert PRESET_GENDERS[voices["Emma"]] == PRESET_GENDERS[voices["Harriet"]] == "F"
    assert PRESET_GENDERS[voices["Mr. Knightley"]] == "M"


def test_main_characters_get_distinct_voices_and_never_the_narrators():
    cast = roles(*[(f"Man {n}", "M", 100 - n) for n in range(6)], ("Effi", "F", 90), ("Innstetten", "M", 80))
    voices = auto_voices(cast, "de", {"v2/de_speaker_0"})
    main = [voices[r.character] for r in cast]
    assert len(set(main)) == len(main)
    assert "v2/de_speaker_0" not in main
    assert all(voice in language_presets("de") for voice in main)


def test_minor_characters_share_the_voices_left():
    cast = roles(*[(f"Person {n}", "M", 100 - n) for n in range(20)])
    voices = auto_voices(cast, "en", {NARRATOR_VOICE})
    assert len(set(voices.values())) < len(cast)
    assert NARRATOR_VOICE not in voices.values()


def test_a_language_bark_lacks_takes_english_presets():
    assert language_presets("fi") == language_presets("en")


def test_the_cast_file_round_trips_and_keeps_only_the_voices_written(tmp_path):
    path = cast_file(tmp_path / "emma.txt")
    assert path.name == "emma.cast.csv"
    write_cast_csv(path, [Role("Emma", ("Miss Woodhouse",), "F", 300, "v2/en_speaker_9"),
                          Role("Harriet", ("Harriet Smith",), "F", 200, "")])
    assert "Miss Woodhouse" in path.read_text(encoding="utf-8")
    assert read_cast_csv(path) == {"Emma": "v2/en_speaker_9"}


def test_a_cast_file_without_its_columns_is_one_clear_error(tmp_path):
    path = tmp_path / "book.cast.csv"
    path.write_text("name,preset\nEmma,v2/en_speaker_9\n", encoding="utf-8")
    with pytest.raises(BarkbookError, match="book.cast.csv"):
        read_cast_csv(path)


def test_cast_auto_keeps_the_producers_pinned_voice_and_casts_the_rest(tmp_path):
    from tasks.manuscript.book import Book, Chapter
    from tasks.text.speakers.cast import cast_voices
    from tasks.text.lexicon import NO_LEXICON
    from tasks.text.segment import segment_book

    book = Book("Emma", "Austen", [Chapter("One", [
        "Emma shook her head, and Mr. Knightley shook his.",
        "“You are late, Emma, and you know it,” said Mr. Knightley.",
        "“I know it very well indeed,” said Emma."])])
    manuscript = tmp_path / "emma.txt"
    write_cast_csv(cast_file(manuscript), [Role("Emma", (), "F", 1, "v2/en_speaker_3")])
    cast = {r.character: r for r in cast_voices(book, segment_book(book, lexicon=NO_LEXICON), manuscript,
                                                NARRATOR_VOICE)}
    assert cast["Emma"].voice == "v2/en_speaker_3"
    assert cast["Mr. Knightley"].voice not in ("v2/en_speaker_3", NARRATOR_VOICE)
    assert PRESET_GENDERS[cast["Mr. Knightley"].voice] == "M"


def emma_book():
    from tasks.manuscript.book import Book, Chapter

    return Book("Emma", "Austen", [Chapter("One", [
        "Emma shook her head, and Mr. Knightley shook his.",
        "“You are late, Emma, and you know it,” said Mr. Knightley.",
        "“I know it very well indeed,” said Emma."])])


@pytest.mark.parametrize("mode", ["auto", "file", "narrator"])
def test_the_plan_casts_by_mode_and_only_auto_writes_the_cast_file(tmp_path, mode):
    from tasks.plan import cast_for
    from tasks.text.lexicon import NO_LEXICON
    from tasks.text.segment import segment_book

    book, manuscript = emma_book(), tmp_path / "emma.txt"
    segments = segment_book(book, lexicon=NO_LEXICON)
    pinned = {"Emma": "v2/en_speaker_3"}
    if mode != "auto":
        write_cast_csv(cast_file(manuscript), [Role("Emma", (), "F", 1, pinned["Emma"])])
    before = cast_file(manuscript).read_bytes() if cast_file(manuscript).exists() else None
    voices = {r.character: r.voice for r in cast_for(book, segments, manuscript, NARRATOR_VOICE, mode)}
    if mode == "auto":
        assert set(voices) == {"Emma", "Mr. Knightley"} and NARRATOR_VOICE not in voices.values()
        assert read_cast_csv(cast_file(manuscript)) == voices  # written for the producer to edit
    else:
        assert voices == (pinned if mode == "file" else {})
        assert cast_file(manuscript).read_bytes() == before  # only auto writes it


def test_a_voice_changed_in_the_cast_file_changes_only_that_characters_segments(tmp_path):
    from tasks.plan import cast_for, voice_map
    from tasks.text.lexicon import NO_LEXICON
    from tasks.text.segment import segment_book

    book, manuscript = emma_book(), tmp_path / "emma.txt"
    segments = segment_book(book, lexicon=NO_LEXICON)

    def voice_of_each_segment():
        voices = voice_map(book, NARRATOR_VOICE, voices_of(cast_for(book, segments, manuscript, NARRATOR_VOICE, "file")))
        return {row.id: voices.get(row.speaker, voices["narrator"]) for row in segments.itertuples()}

    write_cast_csv(cast_file(manuscript), [Role("Emma", (), "F", 1, "v2/en_speaker_9"),
                                           Role("Mr. Knightley", (), "M", 1, "v2/en_speaker_1")])
    before = voice_of_each_segment()
    write_cast_csv(cast_file(manuscript), [Role("Emma", (), "F", 1, "v2/en_speaker_9"),
                                           Role("Mr. Knightley", (), "M", 1, "v2/en_speaker_2")])
    after = voice_of_each_segment()
    changed = {sid for sid in before if before[sid] != after[sid]}
    knightley = set(segments[segments.speaker == "Mr. Knightley"].id)
    assert changed == knightley and knightley  # the render's cache keys follow the voice: only these re-render
