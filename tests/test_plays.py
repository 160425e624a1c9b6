"""Plays (issue 32 point 4): speech prefixes make the speaker, the cast list is not read, directions are the
narrator's (or left out), acts hold scenes, and one character's line never shares a segment with another's."""

from pathlib import Path

import pytest

from tasks.core.errors import ManuscriptError
from tasks.manuscript.ingest import read_manuscript
from tasks.text.lexicon import NO_LEXICON
from tasks.manuscript.structure.plays import cast
from tasks.text.segment import NARRATOR, segment_book

NAMES = ("ALGERNON", "LANE", "JACK")
LINES = ("Did you hear what I was playing, Lane?", "I didn't think it polite to listen, sir.", "Twenty-nine.")


def play_text(acts: int = 2) -> str:
    cast_list = "THE PERSONS OF THE PLAY\n\nJohn Worthing, J.P.\nAlgernon Moncrieff\nLane, manservant\n\n"
    body = ""
    for act in range(1, acts + 1):
        body += f"ACT {act}\n\nSCENE 1. Morning-room in Algernon's flat.\n\n[Lane is arranging afternoon tea.]\n\n"
        for turn in range(12):
            name, line = NAMES[turn % 3], LINES[turn % 3]
            body += f"{name}. {line} (Rises.) Yes.\n\n" if turn % 4 == 0 else f"{name}. {line}\n\n"
    return "THE IMPORTANCE OF BEING EARNEST\n\nby Oscar Wilde\n\n" + cast_list + body


@pytest.fixture
def play(tmp_path) -> Path:
    path = tmp_path / "earnest.txt"
    path.write_text(play_text(), encoding="utf-8")
    return path


def test_speech_prefixes_make_the_speaker_and_are_not_read(play):
    book = read_manuscript(play)
    first = book.chapters[0]
    speeches = [(first.cues[k].speaker, p) for k, p in enumerate(first.paragraphs) if k in first.cues]
    assert speeches[:3] == [("Algernon", "Did you hear what I was playing, Lane?"), ("Algernon", "Yes."),
                            ("Lane", "I didn't think it polite to listen, sir.")]
    assert not any(p.startswith(NAMES) for c in book.chapters for p in c.paragraphs)


def test_acts_hold_their_scenes_and_the_cast_list_is_front_matter(play):
    book = read_manuscript(play)
    assert [c.title for c in book.chapters] == ["ACT 1, SCENE 1. Morning-room in Algernon's flat.",
                                                "ACT 2, SCENE 1. Morning-room in Algernon's flat."]
    assert [s.kind for s in book.skipped if not s.marked] == ["title", "cast list"]
    assert "Moncrieff" not in " ".join(p for c in book.chapters for p in c.paragraphs)


def test_one_characters_line_never_shares_a_segment_and_directions_are_the_narrators(play):
    manifest = segment_book(read_manuscript(play), lexicon=NO_LEXICON)
    said = list(zip(manifest.speaker, manifest.text))
    assert ("Jack", "Twenty-nine.") in said and ("Algernon", "Did you hear what I was playing, Lane?") in said
    assert (NARRATOR, "Rises.") in said
    assert not any(text.count(".") > 1 and any(n.title() + "." in text for n in NAMES) for _, text in said)


def test_an_option_leaves_the_stage_directions_out(play):
    book = read_manuscript(play, stage_directions="skip")
    paragraphs = [p for c in book.chapters for p in c.paragraphs]
    assert "Rises." not in paragraphs and "Lane is arranging afternoon tea." not in " ".join(paragraphs)
    assert sum(s.words for s in book.skipped if s.kind == "stage directions") > 0
    with pytest.raises(ManuscriptError, match="stage directions"):
        read_manuscript(play, stage_directions="whisper")


def test_the_cast_lists_who_speaks_and_how_often(play):
    assert cast(read_manuscript(play)) == [("Algernon", 8), ("Lane", 8), ("Jack", 8)]  # speeches, not paragraphs


def test_prose_whose_paragraphs_open_with_a_word_and_a_stop_is_not_a_play(tmp_path):
    text = "".join(f"Yes. He said it was late.\n\nWell. I agreed with him, yes, well enough.\n\n" for _ in range(5))
    path = tmp_path / "novel.txt"
    path.write_text("CHAPTER I\n\n" + text * 3, encoding="utf-8")
    assert all(not c.cues or not any(cue.speaker for cue in c.cues.values()) for c in read_manuscript(path).chapters)


EARNEST_FRONT = """THE IMPORTANCE OF BEING EARNEST

A Trivial Comedy for Serious People

THE PERSONS OF THE PLAY

John Worthing, J.P.
Algernon Moncrieff
Lane, Manservant

THE SCENES OF THE PLAY

ACT I.  Algernon Moncrieff's Flat in Half-Moon Street, W.

ACT II.  The Garden at the Manor House, Woolton.

TIME: The Present.

LONDON: ST. JAMES'S THEATRE

February 14th, 1895

* * * * *

John Worthing, J.P.:  Mr. George Alexander.
Algernon Moncrieff:  Mr. Allen Aynesworth.
Lane:  Mr. Frank Dyall.

"""


def test_the_persons_the_scenes_and_a_first_nights_cast_are_front_matter(tmp_path):
    speeches = "".join(f"{who}.  {line}\n\n" for who, line in zip(("Algernon", "Lane", "Jack") * 8, LINES * 8))
    acts = "".join(f"{act}\n\nSCENE\n\nMorning-room in Algernon's flat.\n\n{speeches}" for act in ("FIRST ACT", "SECOND ACT"))
    path = tmp_path / "earnest.txt"
    path.write_text(EARNEST_FRONT + acts, encoding="utf-8")
    book = read_manuscript(path)
    assert book.title == "The Importance of Being Earnest"
    assert [c.title for c in book.chapters] == ["FIRST ACT. SCENE", "SECOND ACT. SCENE"]
    assert [s.kind for s in book.skipped] == ["title", "cast list"]
    assert "Aynesworth" not in " ".join(p for c in book.chapters for p in c.paragraphs)


def test_a_name_alone_on_its_line_names_who_speaks_the_block_after_it(tmp_path):
    turns = "".join(f"{NAMES[t % 3]}.\n\n{LINES[t % 3]}\n\n" if NAMES[t % 3] == "LANE"
                    else f"{NAMES[t % 3]}. {LINES[t % 3]}\n\n"
                    for t in range(48))  # Lane's name always stands alone over his line
    path = tmp_path / "play.txt"
    path.write_text(f"A PLAY\n\nACT I\n\n{turns}", encoding="utf-8")
    manifest = segment_book(read_manuscript(path), lexicon=NO_LEXICON)
    said = set(zip(manifest.speaker, manifest.text))
    assert ("Lane", "I didn't think it polite to listen, sir.") in said and ("Jack", "Twenty-nine.") in said
    assert not any(text.rstrip(".") in NAMES for text in manifest.text)
