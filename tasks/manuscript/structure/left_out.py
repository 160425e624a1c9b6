"""The blocks of a plain-text book that are not read, each left out only where it proves what it is.

A contents list names the book's headings (tasks/manuscript/structure/contents.py), a cast list and the title page stand
before the first heading (tasks/manuscript/structure/plays.py, tasks/manuscript/structure/title_page.py), a "by" line credits a work of a
collection, a notes section is titled so and opens with a note's label, and back matter follows an
end mark after the book's last chapter (never a part's "Finis" before the next part, never more of
the book than a publisher's list). What is left out is counted in `skipped`; a mark that did not
prove itself is read and listed in `doubts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tasks.manuscript.book import Doubt, Skipped, doubt, join_lines, skip
from .contents import ContentsList, is_pictures_list
from .headings import Heading, loose

PROSE_WORDS = 40  # a block this long is prose
THE_END = re.compile(r"(?i)(?:the\s+)?end|finis|fin|ende|slut|loppu|fine|einde"
                     r"|(?:the\s+)?end\s+of\s+(?:the|this)\s+(?:book|story|volume|novel|tale|play|work)"
                     r"|fin\s+d[eu]\s+.{1,60}|ende\s+des\s+.{1,60}|fine\s+del\s+.{1,60}")
MAX_BACK_MATTER_SHARE = 0.05  # more than this after 'THE END' is the book going on: it is read
MIN_BACK_MATTER_WORDS = 1_000  # (a publisher's list this short is back matter in any book)


ETEXT_NOTE = re.compile(r"(?i)\be-?texts?\b|\bproject\s+gutenberg\b|\bproof-?read(?:ers?|ing)\b|\btranscri(?:bed|ber)")


@dataclass
class Found:
    """What leaving out found: the blocks not read, and the marks that did not prove themselves."""

    skipped: list[Skipped] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)


def leave_out(texts: list[str], levels: dict[int, int | None], headings: dict[int, Heading], lists: list[ContentsList],
              casts: list[range], found: Found, title: str, taken: int) -> set[int]:
    """Blocks not read, each proving what it is: contents lists, the title page (`taken` blocks), the
    cast list and a half title before the first heading, "by" lines of works, back matter after the
    book's last chapter."""
    left: set[int] = set(range(taken))
    for c in lists:
        kind = "list of illustrations" if is_pictures_list(texts, c) else "contents"
        for i in range(c.start, c.end):
            skip(found.skipped, kind, kind, texts[i])
            left.add(i)
    first = min([i for i, level in levels.items() if level is not None] + [c.start for c in lists] + [len(texts)])
    for cast in casts:
        for i in cast:
            skip(found.skipped, "cast list", "cast list", texts[i])
            left.add(i)
    for i in range(taken, first):  # 'This text is a combination of etexts …': the transcribers', not the book's
        if ETEXT_NOTE.search(texts[i]) and i not in left:
            skip(found.skipped, "boilerplate", "etext note", texts[i])
            left.add(i)
    title = loose(title)
    half = first - 1  # the book's title again right above its first heading: a half title
    while half >= taken and title and loose(texts[half]) == title and half not in left:
        skip(found.skipped, "title", "half title", texts[half])
        left.add(half)
        half -= 1
    for i, heading in headings.items():
        if heading.form == "#work" and levels.get(i) is not None:
            skip(found.skipped, "title", "title of a work", texts[i + 1])
            left.add(i + 1)
    return left | back_matter(texts, levels, found) | notes_sections(texts, levels, found.skipped)


FOOTNOTES_TITLE = re.compile(r"(?i)\W*(?:foot|end)\s?notes?\W*|\W*anmerkungen\W*")  # says what follows it
NOTES_TITLE = re.compile(r"(?i)\W*notes\W*|\W*notas\W*")  # a chapter could be called so: its notes must show labels
NOTE_LABEL = re.compile(r"\W*(?:\d{1,3}|[*†‡§]+|[ivxlc]{1,6})\b")


def is_notes_title(texts: list[str], i: int) -> bool:
    """'FOOTNOTES:', or 'NOTES' over a note that starts with its label: the book's notes, not a chapter."""
    following = texts[i + 1:i + 3]  # a note already taken out as a Note is ""
    return bool(FOOTNOTES_TITLE.fullmatch(texts[i].strip())) or bool(NOTES_TITLE.fullmatch(texts[i].strip())) \
        and any(t == "" or NOTE_LABEL.match(t) for t in following)


def notes_sections(texts: list[str], levels: dict[int, int | None], skipped: list[Skipped]) -> set[int]:
    """A section the book titles 'NOTES' or 'FOOTNOTES', up to the next heading: its notes, not read inline."""
    left: set[int] = set()
    for i, text in enumerate(texts):
        if is_notes_title(texts, i):
            end = next((k for k in sorted(levels) if k > i and levels[k] is not None), len(texts))
            for k in range(i, end):
                skip(skipped, "notes", "notes section", texts[k], marked=True)
                left.add(k)
    return left


def back_matter(texts: list[str], levels: dict[int, int | None], found: Found) -> set[int]:
    """'THE END' / 'FINIS' after the book's last chapter (the last heading with text of its own), and what
    follows it: not the book. A long stretch after it is the book going on: read, and listed to check."""
    headings = sorted(i for i, level in levels.items() if level is not None)
    spans = zip(headings, headings[1:] + [len(texts)])
    last = max((i for i, stop in spans if sum(len(t.split()) for t in texts[i + 1:stop]) >= PROSE_WORDS), default=-1)
    end = next((i for i in range(last + 1, len(texts)) if is_the_end(texts[i])), None)
    if end is None:
        return set()
    after = sum(len(t.split()) for t in texts[end:])
    if after > max(MAX_BACK_MATTER_SHARE * sum(len(t.split()) for t in texts), MIN_BACK_MATTER_WORDS):
        doubt(found.doubts, "text after an end mark, read", "after the end", texts[end])
        return set()
    for k in range(end, len(texts)):
        skip(found.skipped, "back matter", "after the end", texts[k])
    return set(range(end, len(texts)))


def is_the_end(block: str) -> bool:
    return bool(THE_END.fullmatch(join_lines(block).strip(".!_ *")))
