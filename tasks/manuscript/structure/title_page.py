"""A book's title page: the title, a "by" line and the author, the imprint, an `[Emma by Jane Austen 1816]` line.

They are metadata (the credits are spoken as their own file), never the book's first paragraphs. A
block is left out as the title page only when it proves to be one: it says the book's title or
author, credits someone ("by", "translated by", "illustrated by"), or is imprint (a publisher, a
city, a year, a copyright); short title-like lines between such blocks belong to it. A dedication,
an epigraph or a poem before the first chapter is read.
"""

from __future__ import annotations

import re

from tasks.manuscript.book import Skipped, join_lines, skip
from .headings import is_part_form, loose, parse_heading

BRACKET_CREDIT = re.compile(r"\[(?P<title>[^\]]+?)\s+by\s+(?P<author>[^\]]+?)(?:\s+(?P<year>\d{4}))?\]")
BY_LINE = re.compile(  # 'by' in Bark's languages, then a name: a few words, no sentence in them
    r"(?i)_?(?:by|von|par|door|di|av|por|przez|от)_?(?:\s+(?P<author>[^\s!?;:\"“”]+(?:\s+[^\s!?;:\"“”]+){0,7}))?")
CREDIT_LINE = re.compile(  # 'Translated by …', 'ILLUSTRATED BY …', 'Faithfully presented by', 'Author of “The Shuttle”'
    r"(?i)\W*(?:[\w,]+\s+){0,4}?(?:translated|illustrated|edited|adapted|presented|introduction|selected|arranged"
    r"|compiled|written|told|rendered|englished|revised|annotated|notes|drawings|pictures|preface|übersetzt|traduit"
    r"|traducido|tradotto|vertaald|suomentanut)\b.{0,40}?\b(?:by|von|par|door|por|di|da|de)\b.{0,80}"
    r"|\W*(?:author|auteur|autor|verfasser|auteur)\s+(?:of|de|des|von|van)\b.{0,200}")
IMPRINT = re.compile(
    r"(?i)\b(?:publish(?:ed|ers?|ing)|company|& co\b|co\.|press|verlag|druck|gedruckt|libraire|librairie|[ée]diteurs?"
    r"|[ée]dition|editorial|editore|uitgever|kustantaja|impression|printed|printers?|copyright|all rights reserved"
    r"|rights reserved|publication|first published|tous droits|alle rechte)\b|©|\b1[5-9]\d\d\b|\b20[0-2]\d\b")
CITIES = re.compile(
    r"(?i)\b(?:london|new york|boston|philadelphia|chicago|edinburgh|toronto|paris|leipzig|berlin|weimar|münchen"
    r"|wien|madrid|barcelona|milano|firenze|roma|amsterdam|haarlem|helsinki|lisboa|porto|stuttgart|bruxelles)\b")
DEDICATION = re.compile(r"(?i)^\W*(?:to|à|für|aan|al|alla|ao)\s|\b(?:dedicat|inscribed|gewidmet|dédié|opgedragen)")
EPIGRAPH = re.compile(r"^\W*[\"“‘'«»„]|^\W*[—–-]{1,2}\s*[A-Z][a-z]")
MAX_TITLE_PAGE_BLOCKS = 15
PROSE_PARAGRAPH_WORDS = 40
MAX_TITLE_PAGE_LINE = 100
MAX_CREDIT_CHARS = 400
MAX_TITLE_LINES_ALONE = 3  # title-like lines above a contents or cast list, none proving itself  # a longer block that proves itself ('Author of …' and a list of titles) still belongs
MAX_TITLE_LINE_WORDS = 10  # a title-like line: a few words, no sentence
VERSE_WORDS_PER_LINE = 4  # a title page's stacked lines are shorter


def is_short(block: str) -> bool:
    """A title page's kind of block: a few words on a line or four, not a sentence of prose nor verse."""
    words, lines = block.split(), block.splitlines()
    if len(lines) > 1 and not block.isupper() and all(line[:1].isupper() for line in lines) \
            and len(words) >= VERSE_WORDS_PER_LINE * len(lines):
        return False  # a stanza: lines of verse, each capitalised ('IN PROSE / BEING / A Ghost Story' is not)
    return len(lines) <= 4 and max(map(len, lines), default=0) <= MAX_TITLE_PAGE_LINE and (block.isupper() or not (
        re.search(r"[.!?][\"'”’]?$", block) and len(words) >= 8 and not block.startswith("[")))


def proves(block: str, names: set[str]) -> bool:
    """The block says it is a title page's: the title or author, a credit, or imprint."""
    line = join_lines(unspaced(block))
    said = any(f" {name} " in f" {loose(line)} " for name in names)
    return said or bool(BRACKET_CREDIT.fullmatch(line) or BY_LINE.fullmatch(line) or CREDIT_LINE.fullmatch(line)
                        or IMPRINT.search(line) or CITIES.search(line))


def unspaced(block: str) -> str:
    """'K U R T  W O L F F' -> 'KURT WOLFF': letter-spaced lines of a title page read as words."""
    tokens = block.split()
    if len(tokens) < 4 or sum(len(t) == 1 for t in tokens) < 0.6 * len(tokens):
        return block
    return "\n".join(" ".join(re.sub(r"\s", "", word) for word in re.split(r"\s{2,}", line.strip()))
                     for line in block.splitlines())


def is_title_like(block: str) -> bool:
    """A short line of a title page ('A Pure Woman', 'OR', 'IN TWO VOLUMES'): no sentence, no dedication, no quote."""
    line = join_lines(unspaced(block))
    return (len(line.split()) <= MAX_TITLE_LINE_WORDS and not re.search(r"[,;!?]$", line)
            and not DEDICATION.search(line) and not EPIGRAPH.match(line))


def title_page_extent(blocks: list[str], stop: int, names: set[str], headings: set[int]) -> int:
    """How many opening blocks (before `stop`) are the title page: a run of short blocks, each proving
    itself or title-like, ending at the last that proves itself; 0 when none proves. A heading
    (`headings`) ends it unless it proves itself (an HTML title page's <h1> title, <h3> "by" line) or
    the block after it does."""
    end = last_proof = 0
    after_by = False  # the line after a bare "by" is the author's name
    while end < min(stop, MAX_TITLE_PAGE_BLOCKS, len(blocks)) and (
            is_short(blocks[end]) or len(blocks[end]) <= MAX_CREDIT_CHARS and proves(blocks[end], names)):
        line = join_lines(blocks[end])
        if end in headings and (heading := parse_heading(line)) and not is_part_form(heading.form):
            break  # 'INTRODUCTION BY MR. POOTER' is the book's first section, not a credit
        if after_by or proves(blocks[end], names) and not DEDICATION.search(line):
            last_proof = end + 1
        elif not is_title_like(blocks[end]) or end in headings and end + 1 < len(blocks) \
                and len(blocks[end + 1].split()) >= PROSE_PARAGRAPH_WORDS:
            break  # a heading over prose is the book's first section
        after_by = bool(BY_LINE.fullmatch(line) and not BY_LINE.fullmatch(line).group("author")
                        or re.search(r"(?i)\b(?:by|of|von|par|de)\W*$", line))  # the credit goes on below
        end += 1
    return last_proof


def read_title_page(blocks: list[str], stop: int, known: dict[str, str], skipped: list[Skipped],
                    headings: set[int] = frozenset(), before_list: bool = False) -> tuple[dict[str, str], int]:
    """(title/author it gives, blocks it takes) for the title page among blocks[:stop]; ({}, 0) when none.

    `known` holds metadata already read (PG's header): a page that repeats the known title is the
    title page even without a "by" line; `headings`: the blocks that look like headings; `before_list`:
    `stop` is where a contents or cast list begins.
    """
    names = {loose(part) for k in ("title", "author") if known.get(k)
             for part in (known[k], re.split(r"[,;:(\[]", known[k])[0]) if loose(part)}
    zone = title_page_extent(blocks, stop, names, headings)
    found: dict[str, str] = {}
    if not zone and before_list and 0 < stop <= MAX_TITLE_LINES_ALONE \
            and all(is_short(b) and is_title_like(b) for b in blocks[:stop]) and not headings & set(range(stop)):
        zone = stop  # a title and its subtitle alone above the contents or the cast list: the title page
        found["title"] = join_lines(blocks[0])
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
