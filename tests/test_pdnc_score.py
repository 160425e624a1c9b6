"""The PDNC scorer is honest: the annotation's own speakers score 100 %, shifted speakers score low,
a name that fits two characters counts wrong, and quotes are found where the product dropped text."""

import os

import pytest

from benchmarks.pdnc_score import (DIALOGUE, NARRATOR, PDNC, UNNAMED, Novel, Quote, load_novel, normalized,
                                   score_novel)

NOVELS = ("WinnieThePooh", "DaisyMiller", "TheSunAlsoRises")  # small ones; one first-person


def pdnc_novel(name: str) -> Novel:
    if not PDNC.is_dir():
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"CI=true but PDNC is not at {PDNC}")
        pytest.skip(f"PDNC not at {PDNC}")
    return load_novel(name)


def segments_of(novel: Novel, speaker_of) -> list[tuple[str, str]]:
    """The novel cut at its quotes: narration as the narrator, each sub-quotation as speaker_of(n, quote)."""
    cuts = sorted((a, b, n) for n, quote in enumerate(novel.quotes) for a, b in quote.spans)
    segments, at = [], 0
    for a, b, n in cuts:
        if novel.text[at:a].strip():
            segments.append((novel.text[at:a], NARRATOR))
        segments.append((novel.text[a:b], speaker_of(n, novel.quotes[n])))
        at = b
    return segments + [(novel.text[at:], NARRATOR)]


def truth(n: int, quote: Quote) -> str:
    return DIALOGUE if quote.speaker in UNNAMED else quote.speaker


@pytest.mark.parametrize("name", NOVELS)
def test_the_annotations_own_speakers_score_everything_right(name):
    novel = pdnc_novel(name)
    score = score_novel(novel, segments_of(novel, truth))
    assert score.share("right") == 1.0
    assert all(score.share("right", kind) == 1.0 for kind in ("Explicit", "Anaphoric", "Implicit"))
    assert score.quotes[("all", "unlocated")] == 0
    assert score.two_speaker_share == 0.0
    assert score.one_label_share == 1.0


@pytest.mark.parametrize("name", NOVELS)
def test_speakers_shifted_by_one_quote_score_low(name):
    novel = pdnc_novel(name)
    shifted = segments_of(novel, lambda n, q: truth(0, novel.quotes[(n + 1) % len(novel.quotes)]))
    assert score_novel(novel, shifted).share("right") < 0.5


def test_narration_and_anonymous_dialogue_are_wrong():
    novel = pdnc_novel("DaisyMiller")
    assert score_novel(novel, segments_of(novel, lambda n, q: DIALOGUE)).share("right") == 0.0
    assert score_novel(novel, segments_of(novel, lambda n, q: DIALOGUE)).share("dialogue") == 1.0


def tiny_novel(text: str, quotes: list[tuple[str, str]], aliases: dict[str, set[str]]) -> Novel:
    """A novel from its text and (quoted words, speaker) pairs, found in order."""
    found, at = [], 0
    for n, (words, speaker) in enumerate(quotes):
        at = text.index(words, at)
        found.append(Quote(f"Q{n}", ((at, at + len(words)),), speaker, "Explicit", ""))
        at += len(words)
    return Novel("tiny", text, found, {normalized(k): v for k, v in aliases.items()}, None,
                 {"Mr. Bennet": "M", "Mrs. Bennet": "F", "Jane Bennet": "F"})


BENNETS = {"Mr. Bennet": {"Mr. Bennet"}, "Mrs. Bennet": {"Mrs. Bennet"}, "Jane Bennet": {"Jane Bennet"}}
TEXT = '"We must go," said he. "Not yet," said she. "Why not?" said Jane.'
QUOTES = [("We must go", "Mr. Bennet"), ("Not yet", "Mrs. Bennet"), ("Why not?", "Jane Bennet")]


def test_a_name_that_fits_two_characters_counts_wrong():
    novel = tiny_novel(TEXT, QUOTES, BENNETS)
    segments = [('"We must go," said he.', "Bennet"), ('"Not yet," said she.', "Mrs Bennet"),
                ('"Why not?" said Jane.', "Miss Bennet")]
    score = score_novel(novel, segments)
    assert score.quotes[("all", "ambiguous")] == 2  # 'Bennet': any of them; 'Miss Bennet': Mrs. Bennet or Jane


def test_a_name_missing_from_the_aliases_is_matched_by_its_words_and_title():
    novel = tiny_novel(TEXT, QUOTES, BENNETS)
    segments = [('"We must go," said he.', "Mr Bennet"), ('"Not yet," said she.', "Mrs. Bennet"),
                ('"Why not?" said Jane.', "Jane")]
    assert score_novel(novel, segments).share("right") == 1.0


def test_a_quote_is_found_where_text_before_it_was_dropped():
    novel = tiny_novel("CONTENTS I II III. " + TEXT, QUOTES, BENNETS)
    segments = [('"We must go," said he.', "Mr. Bennet"), ('"Not yet," said she.', "Mrs. Bennet"),
                ('"Why not?"', "Jane"), ("said Jane.", NARRATOR)]
    score = score_novel(novel, segments)
    assert score.quotes[("all", "right")] == 3 and score.quotes[("all", "unlocated")] == 0


def test_one_segment_holding_two_speakers_quotes_is_counted():
    novel = tiny_novel(TEXT, QUOTES, BENNETS)
    score = score_novel(novel, [('"We must go," said he. "Not yet," said she.', "Mr. Bennet"),
                                ('"Why not?" said Jane.', "Jane")])
    assert (score.segments_two_speakers, score.segments_with_quotes) == (1, 2)


def test_the_narrators_voice_is_the_one_label_of_a_first_person_narrator():
    novel = pdnc_novel("TheSunAlsoRises")
    assert novel.narrator
    as_narrator = segments_of(novel, lambda n, q: NARRATOR if q.speaker == novel.narrator else truth(n, q))
    score = score_novel(novel, as_narrator)
    assert score.share("right") == 1.0
    assert score.one_label_share == 1.0
    named_too = segments_of(novel, lambda n, q: NARRATOR if q.speaker == novel.narrator and n % 2 else truth(n, q))
    assert score_novel(novel, named_too).one_label_share < 1.0  # the narrator's voice and his name: two labels
