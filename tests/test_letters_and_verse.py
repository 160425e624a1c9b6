"""Letters and verse (issue 32 point 5): a new letter starts a new segment with its date and greeting, a
signature stays with its letter; verse keeps its lines, each ending with a short pause, a stanza a longer one."""

from pathlib import Path

from tasks.manuscript.book import Book, Chapter, Cue
from tasks.manuscript.ingest import read_manuscript
from tasks.text.lexicon import NO_LEXICON
from tasks.text.segment import SegmentationSettings, segment_book

LETTERS = ("The Ides of March\n\nDear D.-L.-L.,\n\nI have a new hat and the snow is gone.\n\nGood night, Granny. "
           "I love you dearly.\n\nJudy\n\n") * 3


def test_a_new_letter_never_shares_a_segment_with_the_last_ones_signature(tmp_path):
    path = tmp_path / "letters.txt"
    path.write_text(LETTERS, encoding="utf-8")
    manifest = segment_book(read_manuscript(path), lexicon=NO_LEXICON)
    texts = list(manifest.text)
    assert not any("Judy" in t and "Ides" in t for t in texts)
    assert sum(t.startswith("The Ides of March") for t in texts) == 3
    assert any(t.endswith("Judy") for t in texts)  # the signature joins its own letter


def verse_book(stanzas: list[list[str]]) -> Book:
    paragraphs, cues = [], {}
    for k, lines in enumerate(stanzas):
        text = " ".join(lines)
        ends = tuple(sum(len(line) + 1 for line in lines[:i + 1]) - 1 for i in range(len(lines) - 1))
        paragraphs.append(text)
        cues[k] = Cue(line_ends=ends)
    return Book("Poems", "A", [Chapter("I", paragraphs, cues=cues)])


STANZAS = [["Tiger Tiger burning bright", "In the forests of the night", "What immortal hand or eye",
            "Could frame thy fearful symmetry?"],
           ["In what distant deeps or skies", "Burnt the fire of thine eyes?", "On what wings dare he aspire",
            "What the hand dare seize the fire?"]]


def test_verse_lines_end_with_a_short_pause_and_stanzas_with_a_longer_one():
    settings = SegmentationSettings()
    manifest = segment_book(verse_book(STANZAS), settings, lexicon=NO_LEXICON)
    body = manifest[manifest.segment_index > 0]  # after the heading
    assert "Tiger Tiger burning bright, In the forests of the night," in " ".join(body.spoken)
    assert " ".join(body.text) == " ".join(" ".join(s) for s in STANZAS)
    ends = {text.split()[-1]: pause for text, pause in zip(body.text, body.pause_after)}
    assert ends["symmetry?"] == settings.paragraph_pause


def test_a_stanza_longer_than_a_segment_is_cut_at_a_line_end_with_the_line_pause():
    stanza = [f"The {word} came down the long and winding river road" for word in
              ("miller", "farmer", "soldier", "sailor", "tinker", "tailor", "beggar", "parson")]
    settings = SegmentationSettings()
    manifest = segment_book(verse_book([stanza]), settings, lexicon=NO_LEXICON)
    body = manifest[manifest.segment_index > 0]
    assert len(body) > 1 and all(text.endswith("road") for text in body.text)
    assert list(body.pause_after[:-1]) == [settings.line_pause] * (len(body) - 1)


def test_plain_text_verse_keeps_its_line_ends(tmp_path):
    prose = ("The evening was calm and the lamps were lit along the whole length of the quay, "
             "where the fishermen sat mending their nets and talking quietly of the weather.\n") * 4
    path = tmp_path / "mixed.txt"
    path.write_text(f"CHAPTER I\n\n{prose}\n" + "\n".join(STANZAS[0]) + f"\n\n{prose}", encoding="utf-8")
    chapter = read_manuscript(path).chapters[0]
    (index, cue), = chapter.cues.items()
    assert chapter.paragraphs[index] == " ".join(STANZAS[0]) and len(cue.line_ends) == 3
