"""Letters and diaries: where a new letter or entry starts, so it never shares a segment with the last.

A letter opens with its date line ("6.30, Saturday", "MAY 4.") or its greeting ("Dear Daddy-Long-Legs,",
"My dear Alicia,", "Sir,"); a diary entry with its date. The opening paragraph of each is marked so
(a new letter starts a new segment); its date, greeting and signature stay with the letter. A long
book without chapters is cut where a narrator would pause: at its section breaks, letters or entries
(the paragraphs that open), in parts of a sensible length.
"""

from __future__ import annotations

import re

from tasks.manuscript.book import Chapter
from .headings import is_date_line

GREETING = re.compile(
    r"(?i)^\W*(?:(?:my\s+)?(?:dear(?:est)?|beloved|darling|honou?red|respected)\b[^!?]{0,60}[,:!]\s*$"
    r"|(?:sir|madam|madame|gentlemen|ladies)[,:!]\s*$|(?:cher|chère|chers|mon\s+cher|ma\s+chère)\b[^!?]{0,60}[,:!]\s*$"
    r"|(?:liebe[rs]?|lieber|sehr\s+geehrte[rs]?)\b[^!?]{0,60}[,:!]\s*$|(?:querid[oa]s?|estimad[oa]s?)\b[^!?]{0,60}[,:!]\s*$"
    r"|(?:caro|cara|carissim[oa])\b[^!?]{0,60}[,:!]\s*$|(?:beste|lieve)\b[^!?]{0,60}[,:!]\s*$)")
MIN_LETTERS = 3  # a book with fewer greetings and dates is not letters


MAX_OPENING_WORDS = 10  # a date line or greeting standing alone


def opens_unit(paragraph: str, before: str | None) -> bool:
    """The paragraph opens a letter or entry: a date line or greeting not just after another one."""
    first = paragraph.splitlines()[0] if paragraph else ""
    starts = is_date_line(first) or bool(GREETING.match(first))
    return starts and not (before is not None and len(before.split()) <= MAX_OPENING_WORDS
                           and (is_date_line(before) or bool(GREETING.match(before))))


def count_openings(paragraphs: list[str]) -> int:
    return sum(opens_unit(p, None) for p in paragraphs)


MAX_HEADLESS_WORDS = 20_000  # about two hours: a book without chapters longer than this is cut into parts
PART_WORDS = 8_000  # about fifty minutes: each part at least this long, cut at the next pause


def split_headless(chapters: list[Chapter], book_title: str) -> list[Chapter]:
    """A long book that has no chapters (one chapter titled by the book) cut where a narrator pauses:
    at its section breaks, letters or entries, else between paragraphs; the parts are
    titled by their first date line or greeting (else "<title>, 2") and announce nothing."""
    if len(chapters) != 1 or chapters[0].title != book_title:
        return chapters
    chapter = chapters[0]
    if sum(len(p.split()) for p in chapter.paragraphs) <= MAX_HEADLESS_WORDS:
        return chapters
    cuts = pause_points(chapter)
    parts, start, words = [], 0, 0
    for k, paragraph in enumerate(chapter.paragraphs):
        if k in cuts and words >= PART_WORDS:
            parts.append((start, k))
            start, words = k, 0
        words += len(paragraph.split())
    parts.append((start, len(chapter.paragraphs)))
    return [piece(chapter, a, b, n, book_title) for n, (a, b) in enumerate(parts, 1)]


def pause_points(chapter: Chapter) -> set[int]:
    """Paragraphs a part may start at: a new section, letter or entry (paragraphs that open), else anywhere."""
    openings = {k for k, cue in chapter.cues.items() if cue.opens and not cue.speaker}
    return openings if len(openings) >= MIN_LETTERS else set(range(len(chapter.paragraphs)))


def piece(chapter: Chapter, start: int, end: int, number: int, book_title: str) -> Chapter:
    paragraphs = chapter.paragraphs[start:end]
    cues = {k - start: cue for k, cue in chapter.cues.items() if start <= k < end}
    if number == 1:
        return Chapter(chapter.title, paragraphs, chapter.headings, chapter.lead, chapter.parts, cues)
    first = paragraphs[0].splitlines()[0] if paragraphs else ""
    named = first if len(first.split()) <= 8 and (is_date_line(first) or GREETING.match(first)) else ""
    return Chapter(named.rstrip(",:") or f"{book_title}, {number}", paragraphs, [], [], chapter.parts, cues)
