"""Real books of ../shared/corpus in each language we read: once normalized, no digit, no ':', '/' or '^'
between number words and no abbreviation of the language's table is left (tasks.text.normalize.leftovers).

Only the paragraphs with a digit or an abbreviation of the table are read, so the test stays fast."""

import os
import re
from pathlib import Path

import pytest

from tasks.text.normalize import leftovers, normalize_for_speech, table_for
from tasks.text.normalize.words import abbreviation_reader

GUTENBERG = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "gutenberg"
BOOKS = {  # folder/file -> language
    "798-le-rouge-et-le-noir-fr/798-8.txt": "fr", "4650-candide-fr/4650-8.txt": "fr",
    "5323-effi-briest-de/5323-8.txt": "de", "2229-faust-de/2229-8.txt": "de",
    "17340-marianela-es/17340-8.txt": "es", "1012-divina-commedia-it/1012-0.txt": "it",
    "944-voyage-of-the-beagle/944.txt": "en", "205-walden/205-0.txt": "en",
    "35461-short-history-of-the-world/35461-8.txt": "en",
}

if not GUTENBERG.is_dir():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI=true but the corpus is not at {GUTENBERG}: this test must run in CI, not skip")
    pytest.skip(f"the corpus is not at {GUTENBERG}", allow_module_level=True)


def paragraphs_to_read(name: str, language: str) -> list[str]:
    raw = (GUTENBERG / name).read_bytes()
    text = raw.decode("utf-8-sig") if name.endswith("-0.txt") else raw.decode("latin-1")
    abbreviations, _ = abbreviation_reader(table_for(language))
    paragraphs = (re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text))
    return [p for p in paragraphs if re.search(r"\d", p) or abbreviations.search(p)]


@pytest.mark.parametrize("name", sorted(BOOKS))
def test_nothing_unreadable_is_left_in_a_books_spoken_text(name):
    language = BOOKS[name]
    paragraphs = paragraphs_to_read(name, language)
    assert paragraphs, f"{name}: no paragraph with a number or an abbreviation"
    left = {}
    for paragraph in paragraphs:
        authors_own = {x for x in leftovers(paragraph, language) if "between numbers" in x}  # 'four thousand: one'
        found = [x for x in leftovers(normalize_for_speech(paragraph, language), language) if x not in authors_own]
        if found:
            left[paragraph[:80]] = found
    assert not left, left
