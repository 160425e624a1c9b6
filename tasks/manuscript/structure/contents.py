"""Contents lists in plain text: found by their look, left out only when they prove what they are.

A candidate is a run of list-like blocks after a "CONTENTS" title (in the book's language), or three
or more heading-like entries alike. It is a contents list only when its entries name headings the
book really has elsewhere (most of them, by number and title): a numbered list inside a letter, an
outline or a stanza that merely looks like one is read. A French "Table" at the back proves itself
the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .plays import CAST_TITLE
from .headings import MAX_HEADING_CHARS, is_part_form, loose, parse_heading, without_page_number

PICTURES_TITLE = re.compile(r"(?i)(?:list\s+of\s+)?(?:illustrations|plates|figures|pictures|maps)"
                            r"|liste\s+des\s+illustrations|abbildungen|ilustraciones|illustrazioni|afbeeldingen")
CONTENTS_TITLE = re.compile(
    r"(?i)(?:table\s+of\s+)?contents|list\s+of\s+(?:illustrations|plates|chapters|figures|maps)|illustrations|chapters"
    r"|table(?:\s+des\s+mati[eè]res)?|sommaire|inhalt(?:sverzeichnis)?|[ií]ndice|inhoud|sis[aä]llys(?:luettelo)?"
    r"|indice|contenido|conte[uú]do|目[录錄]|cap[ií]tulos|capitoli|chapitres|kapitel|hoofdstukken|luvut")
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]_]*$")
MAX_ENTRY_CHARS = 100
MIN_PROVEN_SHARE = 0.5  # of a list's entries that must name a heading of the book
MIN_PROVEN_ENTRIES = 2
MAX_TITLE_WORDS = 8  # a contents entry that is only a title
MAX_CAPTION_WORDS = 15  # a list of pictures' line: its caption, a sentence at most
MAX_ASIDE_WORDS = 40  # a note between a list's entries ('first printed in …') that the list goes on after


@dataclass(frozen=True)
class ContentsList:
    """A run of blocks [start, end) that looks like a contents list; `titled`: it says so."""

    start: int
    end: int
    titled: bool


def entry_lines(block: str) -> list[str]:
    """A block's lines without page numbers and dot leaders: 'The Period ........ 5' -> 'The Period'."""
    return [without_page_number(line.strip()) for line in block.splitlines() if line.strip()]


def is_list_like(block: str) -> bool:
    """Lines a contents list is made of: short, none a sentence of prose (a heading entry's wrapped
    lines go with it)."""
    entry = False
    for line in block.splitlines():
        line = line.strip()
        plain = without_page_number(line)
        if len(line) <= MAX_HEADING_CHARS and parse_heading(plain):
            entry = True
            continue  # 'CHAPTER 29. Enter Ahab; to Him, Stubb.' ends like a sentence but is an entry
        if len(line) > MAX_ENTRY_CHARS or (not entry and SENTENCE_END.search(plain) and len(plain.split()) >= 6
                                           and plain == line):
            return False
    return True


def titles_only(block: str) -> bool:
    """Lines that are each a short title, none ending like a line of verse or prose."""
    return all(len(line.split()) <= MAX_TITLE_WORDS and not re.search(r"[,;:!?]$", line.strip())
               for line in block.splitlines() if line.strip())


def paged(block: str) -> bool:
    """Most of the block's lines end with a page number: entries of a contents list."""
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    return bool(lines) and sum(without_page_number(line) != line for line in lines) >= 0.5 * len(lines)


def is_contents_title(line: str) -> bool:
    return bool(CONTENTS_TITLE.fullmatch(line.strip().rstrip(".:")))


def find_contents(blocks: list[str], titles: set[str] = frozenset()) -> list[ContentsList]:
    """Runs of blocks that look like contents lists (each still to be proved by `proven`); a block
    saying the book's title (`titles`, loosely) is a half title, after the list."""
    found: list[ContentsList] = []
    last_seen = {loose(block): i for i, block in enumerate(blocks) if len(block) <= MAX_HEADING_CHARS}
    i = 0
    while i < len(blocks):
        end = contents_end(blocks, i, last_seen, titles)
        if end > i:
            found.append(ContentsList(i, end, is_contents_title(blocks[i].splitlines()[0])))
            i = end
        else:
            i += 1
    return found


def contents_end(blocks: list[str], start: int, last_seen: dict[str, int], titles: set[str] = frozenset()) -> int:
    """The end of the contents list starting at `start`, or `start` when there is none.

    The list runs while its blocks are list-like; it ends where the body begins: at a heading whose
    number and title an entry already gave, or at a heading followed by prose that the book does
    not repeat later (`last_seen`: a short block's loose text -> its last index).
    """
    if not blocks[start].strip():
        return start
    first = blocks[start].splitlines()[0].strip()
    titled = is_contents_title(first)
    pictures = bool(PICTURES_TITLE.fullmatch(first.rstrip(".:")))  # its captions may be sentences
    if not titled and not parse_heading(without_page_number(first)):
        return start  # an untitled list starts with an entry
    seen: set[tuple] = set()
    forms: dict[str, int] = {}
    part: tuple = ()
    before: tuple = ()  # the part context before the last one
    front: set[str] = set()  # entries before the first numbered one
    titled_lines: set[str] = set()  # the lines of a list of titles
    end = start + 1 if titled and len(blocks[start].splitlines()) == 1 else start
    for k in range(end, len(blocks)):
        aside = titled and k + 1 < len(blocks) and len(blocks[k].split()) <= MAX_ASIDE_WORDS and paged(blocks[k + 1]) \
            or pictures and len(blocks[k].split()) <= MAX_CAPTION_WORDS
        if not (is_list_like(blocks[k]) or aside) or (k > start and loose(blocks[k]) in titles) \
                or CAST_TITLE.fullmatch(blocks[k]) or (k > start and is_contents_title(blocks[k].split("\n")[0])):
            break  # the body, a half title, a cast list, or another list ('ILLUSTRATIONS')
        if k + 1 < len(blocks) and not is_list_like(blocks[k + 1]) and last_seen.get(loose(blocks[k]), k) <= k:
            break
        headings = [h for line in entry_lines(blocks[k]) if (h := parse_heading(line))]
        if not headings and not paged(blocks[k]) and (not titled or len(blocks[k].splitlines()) >= 3
                                                       and not titles_only(blocks[k])):
            break  # a stanza or a paragraph, not entries; only a titled list has lines that are not headings
        lines = entry_lines(blocks[k])
        words = {loose(lines[0])} if len(lines) == 1 and not headings else set()  # a section named alone
        if words & (front | titled_lines) and not pictures:
            break  # 'ETYMOLOGY.' or 'THE SISTERS' again: the body's own section
        front |= set() if forms else words
        titled_lines |= {loose(line) for line in lines} if len(lines) > 1 and not headings else set()
        keys = []
        for h in headings:  # chapters numbered afresh in each part are told apart by their part
            above = is_part_form(h.form) or h.form == "#named"  # 'BOOK TWO', 'FIRST EPILOGUE'
            if h.value is None:
                key = (h.form, loose(h.text)) if above else h.key
            else:  # '1' again, or 'CHAPTER I' after 'I. THERE IS NO ONE LEFT': the body begins
                key = (h.form, h.value) if above else ("#", h.value)
            if not above and h.form != "#named" and part and part[0] == "#named" and (before, key) in seen:
                keys.append((before, key))  # a closing 'CONCLUSION' entry, then the body's 'I' again
            if above:
                before, part = part, key
            keys.append(key if above else (part, key))
        if seen.intersection(keys):
            break
        seen.update(keys)
        for h in headings:
            forms[h.form] = forms.get(h.form, 0) + 1
        end = k + 1
    if titled or max(forms.values(), default=0) >= 3:
        return max(end, start + 1)
    return start


class HeadingIndex:
    """The book's heading-like blocks outside a list, to check a list's entries against."""

    def __init__(self, blocks: list[str]):
        self.texts: dict[str, list[int]] = {}
        self.numbered: dict[int, list[tuple[int, str, set[str]]]] = {}  # value -> (block, form, titles)
        for i, block in enumerate(blocks):
            if len(block) > MAX_HEADING_CHARS:
                continue
            line = " ".join(block.split())
            self.texts.setdefault(loose(line), []).append(i)
            heading = parse_heading(line)
            if heading and heading.value is not None:
                titles = {loose(heading.title)}
                if i + 1 < len(blocks) and len(blocks[i + 1]) <= MAX_HEADING_CHARS:
                    titles.add(loose(blocks[i + 1]))  # 'CHAPTER I' over its title
                self.numbered.setdefault(heading.value, []).append((i, heading.form, titles - {""}))

    def names(self, entry: str, outside: range) -> bool:
        """A block outside the list says this entry: the same words, or the same number and title."""
        if any(i not in outside for i in self.texts.get(loose(entry), [])):
            return True
        heading = parse_heading(entry)
        if heading is None or heading.value is None:
            return False
        title = set(loose(heading.title).split())
        for i, form, titles in self.numbered.get(heading.value, []):
            if i in outside:
                continue
            if any(same_words(title, set(t.split())) for t in titles) or form == heading.form and not (title and titles):
                return True  # 'Chapter I  The Period' names 'I. The Period'; 'ACT I Scene I. …' names 'ACT I'
        return False


def same_words(a: set[str], b: set[str]) -> bool:
    """One title holds the other's words (a contents line is often shortened or longer than the heading)."""
    return bool(a and b) and (a <= b or b <= a)


def entries(blocks: list[str], candidate: ContentsList) -> list[str]:
    """The list's entries: its lines, less the lines that only continue a heading entry wrapped over them."""
    lines: list[str] = []
    for block in blocks[candidate.start:candidate.end]:
        block_lines = entry_lines(block)
        numbered = [line for line in block_lines if parse_heading(line)]
        lines += numbered if numbered and parse_heading(block_lines[0]) else block_lines
    return lines[1:] if candidate.titled and not parse_heading(lines[0]) else lines


def is_pictures_list(blocks: list[str], candidate: ContentsList) -> bool:
    """A list titled as a list of the book's pictures ('ILLUSTRATIONS', 'LIST OF PLATES')."""
    return candidate.titled and bool(PICTURES_TITLE.fullmatch(blocks[candidate.start].splitlines()[0].strip().rstrip(".:")))


def proven(blocks: list[str], candidate: ContentsList, index: HeadingIndex) -> bool:
    """Most of the list's entries name headings the book has outside the list, or its title says it
    lists the book's pictures, which a listener does not see."""
    if is_pictures_list(blocks, candidate):
        return True
    lines = [line for line in entries(blocks, candidate) if not is_contents_title(line)]
    outside = range(candidate.start, candidate.end)
    named = sum(index.names(line, outside) for line in lines)
    return named >= MIN_PROVEN_ENTRIES and named >= MIN_PROVEN_SHARE * len(lines)


def front_entries(blocks: list[str], lists: list[ContentsList]) -> set[str]:
    """Entries listed before a contents list's first numbered heading ('ETYMOLOGY.', 'Preface'), loosely.

    The body's sections of those names are headings even though they have no heading form.
    """
    names: set[str] = set()
    for candidate in lists:
        if is_pictures_list(blocks, candidate):
            continue
        for line in (line for block in blocks[candidate.start:candidate.end] for line in entry_lines(block)):
            heading = parse_heading(line)
            if heading and heading.form != "#named":
                break
            if not is_contents_title(line):
                names.add(loose(line))
    return names


def listed_titles(blocks: list[str], lists: list[ContentsList]) -> set[str]:
    """The entries of the lists of titles (few entries numbered headings), loosely: a story
    collection's or a poetry book's titles name its pieces. A list of numbered chapters names its
    chapters by their numbers; its entries' titles are not headings of their own."""
    names: set[str] = set()
    for candidate in lists:
        lines = [line for line in entries(blocks, candidate) if not is_contents_title(line)]
        if not is_pictures_list(blocks, candidate) and sum(parse_heading(line) is not None for line in lines) <= 0.2 * len(lines):
            names |= {loose(line) for line in lines}
    return names


def numbered_entries(blocks: list[str], candidate: ContentsList) -> list[tuple[int, str]]:
    """(number, what the entry says beyond its number) for each numbered entry of a contents list, its
    wrapped lines joined: 'CHAPTER I.' over 'Popular Talk of the Excursion--Programme of the Trip'."""
    found: list[tuple[int, list[str]]] = []
    for block in blocks[candidate.start:candidate.end]:
        for line in entry_lines(block):
            heading = parse_heading(line)
            if heading is not None and heading.value is not None and not is_part_form(heading.form):
                found.append((heading.value, [heading.title] if heading.title else []))
            elif heading is None and found and not is_contents_title(line):
                found[-1][1].append(line)
    return [(value, " ".join(words)) for value, words in found]


def synopses(blocks: list[str], lists: list[ContentsList], chapters: list[tuple[int, str, int | None]]) -> dict[int, str]:
    """Block index -> the synopsis a contents list gives a chapter whose heading does not say it; `chapters`:
    (block, heading text, number) in book order. Entries and chapters are paired in order by number."""
    out: dict[int, str] = {}
    for candidate in lists:
        entries_left = [e for e in numbered_entries(blocks, candidate) if e[1]]
        k = 0
        for block, text, value in chapters:
            if block < candidate.end or k >= len(entries_left):
                continue
            if value == entries_left[k][0]:
                synopsis = entries_left[k][1]
                if not same_words(set(loose(synopsis).split()), set(loose(text).split())):
                    out[block] = synopsis
                k += 1
    return out
