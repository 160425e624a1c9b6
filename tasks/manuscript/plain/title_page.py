"""A plain-text book's title page: the title, a "by" line and the author, or an `[Emma by Jane Austen 1816]` line.

They are metadata (the credits are spoken later as their own file), never the book's first paragraphs.
The title page is the run of short blocks that opens the body, up to the first heading or contents.
"""

from __future__ import annotations

import re

from tasks.manuscript.book import Skipped, join_lines, skip
from .headings import loose

BRACKET_CREDIT = re.compile(r"\[(?P<title>[^\]]+?)\s+by\s+(?P<author>[^\]]+?)(?:\s+(?P<year>\d{4}))?\]")
BY_LINE = re.compile(  # 'by' in Bark's languages, then a name: a few words, no sentence in them
    r"(?i)_?(?:by|von|par|door|di|av|por|przez|от)_?(?:\s+(?P<author>[^\s!?;:\"“”]+(?:\s+[^\s!?;:\"“”]+){0,7}))?")
MAX_TITLE_PAGE_BLOCKS = 15
MAX_TITLE_PAGE_LINE = 100
VERSE_WORDS_PER_LINE = 4  # a title page's stacked lines are shorter
MAX_FRONT_LEAF_WORDS = 250  # a title leaf with imprint and printing history is well under a page
PROSE_PARAGRAPH_WORDS = 40  # a block this long is prose to read, not a line of a title leaf
MIN_FRONT_LEAF_BLOCKS = 3  # title, author, publisher at least; one short line before a heading is read


def is_short(block: str) -> bool:
    """A title page's kind of block: a few words on a line or three, not a sentence of prose nor verse."""
    words, lines = block.split(), block.splitlines()
    if len(lines) > 1 and not block.isupper() and all(line[:1].isupper() for line in lines) \
            and len(words) >= VERSE_WORDS_PER_LINE * len(lines):
        return False  # a stanza: lines of verse, each capitalised ('IN PROSE / BEING / A Ghost Story' is not)
    return len(lines) <= 4 and max(map(len, lines), default=0) <= MAX_TITLE_PAGE_LINE and (block.isupper() or not (
        re.search(r"[.!?][\"'”’]?$", block) and len(words) >= 8 and not block.startswith("[")))


def is_front_leaf(blocks: list[str]) -> bool:
    """Blocks before a book's first heading that are its title leaf (title, publisher, printing history,
    'All rights reserved') rather than an unheaded opening: few words in all and no paragraph of prose."""
    words = [len(block.split()) for block in blocks]
    return len(blocks) >= MIN_FRONT_LEAF_BLOCKS and sum(words) <= MAX_FRONT_LEAF_WORDS \
        and max(words) < PROSE_PARAGRAPH_WORDS


def read_title_page(blocks: list[str], stop: int, known: dict[str, str], skipped: list[Skipped]) -> tuple[dict[str, str], int]:
    """(title/author it gives, blocks it takes) for the title page among blocks[:stop]; ({}, 0) when none.

    `known` holds metadata already read (PG's header): a page that repeats the known title is the
    title page even without a "by" line.
    """
    zone = 0
    while zone < min(stop, MAX_TITLE_PAGE_BLOCKS, len(blocks)) and is_short(blocks[zone]):
        zone += 1
    leaf = stop < len(blocks) and is_front_leaf(blocks[:stop])  # title, imprint, printing history up to a heading
    zone = stop if leaf else zone
    found: dict[str, str] = {}
    for i, block in enumerate(blocks[:zone]):
        line = join_lines(block)
        if credit := BRACKET_CREDIT.fullmatch(line):
            found.setdefault("title", credit.group("title").strip())
            found.setdefault("author", credit.group("author").strip())
        elif (by := BY_LINE.fullmatch(line)) and i <= 3:
            author = by.group("author") or (join_lines(blocks[i + 1]) if i + 1 < zone else "")
            if author:
                found.setdefault("author", re.sub(r"\s*\[.*?\]\s*", " ", author).strip())
            if i > 0:
                found.setdefault("title", join_lines(blocks[0]))
    titles = {loose(known.get("title", ""))} - {""}
    if not found and not any(loose(b) in titles for b in blocks[:zone]) and not leaf:
        return {}, 0
    for block in blocks[:zone]:
        skip(skipped, "title", "title page", block)
    return {key: tidy_case(value) for key, value in found.items()}, zone


def tidy_case(text: str) -> str:
    """'THE ADVENTURES OF SHERLOCK HOLMES' -> 'The Adventures of Sherlock Holmes'; mixed case stays."""
    if not text.isupper():
        return text
    small = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
    words = text.lower().split()
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))
