"""Plain text -> chapters, by the pattern of headings the book repeats; parts and volumes a level above.

The book decides: keyword headings ("CHAPTER I", "ADVENTURE II", "STAVE THREE") are its chapters
when it has them, and bare numerals ("I.", "II.") inside them are sub-parts, not chapters; a book
whose chapters are bare numerals ("I. The Period") has them as chapters. Volumes, books and parts
("VOLUME II", "Book the First--Recalled to Life") sit above: a chapter's title is "<part>, <chapter>"
and the part's heading is read once, at its first chapter. Contents lists, the title page, notes
and pictures are taken out first and counted in `skipped`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .book import Chapter, Skipped, join_lines, skip
from .headings import (Heading, find_contents, front_entries, is_known_form, is_part_form, loose, number_value,
                       parse_heading)
from .text_notes import Note, separate_notes, strip_refs
from .title_page import BY_LINE, read_title_page

THE_END = re.compile(r"(?i)(?:the\s+)?end|finis|fin|ende|(?:the\s+)?end\s+of\s+the\s+(?:book|story|volume)")
WRITTEN_BY = re.compile(r"(?i)(?:written|translated|edited|told)\s+by\s+\S.*")

SHORT_HEADING_CHARS = 80  # longer headings count only where the book repeats their form
MAX_HEADING_LINES = 3
SUBPART = -1  # level of a bare numeral inside a keyword chapter


@dataclass
class TextStructure:
    """What plain text gives: chapters, the metadata its title page states, and what was not read."""

    chapters: list[Chapter]
    metadata: dict[str, str] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)


def split_blocks(text: str) -> list[str]:
    """Blank-line separated blocks; each line stripped (contents lists are indented), lines kept."""
    blocks = (re.sub(r"[ \t]*\n[ \t]*", "\n", b).strip() for b in re.split(r"\n[ \t]*\n", text))
    return [b for b in blocks if b]


def structure_text(text: str, default_title: str, pattern: re.Pattern | None = None, notes: str = "skip",
                   known: dict[str, str] | None = None) -> TextStructure:
    """Chapters of a plain-text body (PG's wrapper already removed); `known` is metadata read so far."""
    result = TextStructure([])
    items = separate_notes(split_blocks(text), result.skipped)
    texts = [item if isinstance(item, str) else "" for item in items]
    contents = find_contents(texts)
    first_heading = next((i for i, text in enumerate(texts) if block_heading(text)), len(texts))
    result.metadata, taken = read_title_page(texts, min([start for start, _ in contents] + [first_heading]),
                                             known or {}, result.skipped)
    in_contents = {i for start, end in contents for i in range(max(start, taken), end)}
    for i in sorted(in_contents):
        skip(result.skipped, "contents", "contents", texts[i])
    in_contents |= set(range(taken))  # the title page: counted by read_title_page
    headings = {i: h for i, it in enumerate(items) if isinstance(it, str) and i not in in_contents
                and (h := (user_heading(it, pattern) if pattern else block_heading(strip_refs(it)[0])))}
    if not pattern:
        headings.update(listed_sections(items, in_contents, headings, front_entries(texts, contents)))
        headings.update(work_titles(items, in_contents, headings, result.skipped))
        in_contents |= back_matter(items, headings, result.skipped)
    levels = heading_levels(list(headings.values()))
    headings = {i: h for i, h in headings.items() if h.form in levels and (
        len(h.text) <= SHORT_HEADING_CHARS or sum(x.form == h.form for x in headings.values()) > 1)}
    result.chapters = assemble(items, in_contents, headings, levels, default_title, notes, result.skipped)
    return result


def listed_sections(items: list[str | Note], skipped_at: set[int], headings: dict[int, Heading],
                    listed: set[str]) -> dict[int, Heading]:
    """One-line blocks named by the contents before its chapters ('ETYMOLOGY.'), where not a heading's subtitle."""
    return {i: Heading(item, "#named", "", "") for i, item in enumerate(items)
            if isinstance(item, str) and "\n" not in item and i not in skipped_at and i not in headings
            and i - 1 not in headings and loose(item) in listed}


def work_titles(items: list[str | Note], skipped_at: set[int], headings: dict[int, Heading],
                skipped: list[Skipped]) -> dict[int, Heading]:
    """A title in capitals over a "by" line starts a work of a collection (the "by" lines are not read)."""
    found: dict[int, Heading] = {}
    for i in range(min(headings, default=len(items)) + 1, len(items) - 1):  # after the first chapter: the title page is read apart
        block, after = items[i], items[i + 1]
        if not (isinstance(block, str) and isinstance(after, str)) or i in skipped_at or not block.isupper():
            continue
        by = BY_LINE.fullmatch(join_lines(after)) or WRITTEN_BY.fullmatch(join_lines(after))
        if by and len(block.splitlines()) <= MAX_HEADING_LINES:
            found[i] = Heading(join_lines(block), "#named", "", join_lines(block))
            credit = [i + 1] + ([i + 2] if BY_LINE.fullmatch(join_lines(after)) and not by.groupdict().get("author") else [])
            for k in credit:
                skip(skipped, "title", "title of a work", items[k] if isinstance(items[k], str) else "")
            skipped_at.update(credit)
    return found


def back_matter(items: list[str | Note], headings: dict[int, Heading], skipped: list[Skipped]) -> set[int]:
    """'THE END' / 'FINIS' and what follows it up to the next heading: publishers' lists, not the book."""
    taken: set[int] = set()
    ends = [i for i, it in enumerate(items) if isinstance(it, str) and THE_END.fullmatch(join_lines(it).strip(".!_ *"))]
    for end in ends:
        stop = next((k for k in sorted(headings) if k > end), len(items))
        for k in range(end, stop):
            skip(skipped, "back matter", "after the end", items[k] if isinstance(items[k], str) else items[k].text)
            taken.add(k)
    return taken


def block_heading(block: str) -> Heading | None:
    """A block of up to three lines read as a heading ('CHAPTER I.' over 'Down the Rabbit-Hole' is one)."""
    lines = block.splitlines()
    if len(lines) > MAX_HEADING_LINES:
        return None
    first = parse_heading(lines[0])
    if first and len(lines) > 1 and not first.title:
        return parse_heading(f"{lines[0].rstrip('.')}. {join_lines(' '.join(lines[1:]))}")
    return parse_heading(join_lines(block))


def user_heading(block: str, pattern: re.Pattern) -> Heading | None:
    line = join_lines(block)
    return Heading(line, "#user", "", "") if "\n" not in block and pattern.fullmatch(line) else None


def heading_levels(headings: list[Heading]) -> dict[str, int]:
    """Heading form -> level: 0 chapters, 1.. parts above them (fewer = higher), SUBPART numerals inside.

    A keyword the project does not know ("Adventure", "Stave", "Letter") is a heading form only
    where the book repeats it with different numbers.
    """
    counts = Counter(h.form for h in headings)
    numbers = {f: {h.number.lower() for h in headings if h.form == f} for f in counts}
    forms = [f for f in counts if is_known_form(f) or (counts[f] >= 2 and len(numbers[f]) >= 2)]
    keywords = [f for f in forms if not f.startswith("#") and not is_part_form(f)]
    bare = [f for f in forms if f in ("#roman", "#arabic")]
    parts = sorted((f for f in forms if is_part_form(f)), key=lambda f: -counts[f])
    if keywords:
        chapters, subparts = keywords, bare
    elif bare:
        chapters, subparts = bare, []
    else:
        chapters, subparts, parts = parts[:1], [], parts[1:]
    levels = {f: 0 for f in chapters + [f for f in forms if f in ("#named", "#user")]}
    levels.update({f: SUBPART for f in subparts})
    levels.update({f: level for level, f in enumerate(parts, start=1)})
    return levels


def is_subtitle(block: str) -> bool:
    """A short line after a bare 'CHAPTER I' that names the chapter: no sentence punctuation, or all capitals."""
    line = join_lines(block).strip("_ ")  # PG's _italics_
    if len(block.splitlines()) > 2 or len(line) > 100 or parse_heading(line):
        return False
    upper = re.sub(r"_[^_]*_", "", line).isupper()
    return not re.search(r"[,;:\"'”’)\]]$", line) and (not re.search(r"[.!?]$", line) or upper)


@dataclass
class Reading:
    """The state of assembling chapters: the open parts, the part headings not yet read, where notes go."""

    chapters: list[Chapter] = field(default_factory=list)
    parts: list[tuple[int, str]] = field(default_factory=list)  # (level, heading), outermost first
    unread: list[str] = field(default_factory=list)
    notes: dict[int, list[str]] = field(default_factory=dict)
    refs: list[tuple[int, str]] = field(default_factory=list)  # (chapter index, label) not yet matched
    number: int | None = None  # the last chapter's number

    def continues(self, heading: Heading) -> bool:
        """A titled numeral that is the next chapter's number ('VII. The Adventure of …' after 'ADVENTURE VI')."""
        value = number_value(heading.number)
        return bool(heading.title) and value is not None and self.number is not None and value == self.number + 1

    def open_chapter(self, heading: str | None, default_title: str) -> None:
        names = [text for _, text in self.parts] + ([heading] if heading else [])
        spoken = self.unread + ([heading] if heading else [])
        title = ", ".join(names) or default_title
        self.chapters.append(Chapter(title, [], spoken if self.parts else None))
        self.unread = []


def assemble(items: list[str | Note], skipped_at: set[int], headings: dict[int, Heading], levels: dict[str, int],
             default_title: str, notes: str, skipped: list[Skipped]) -> list[Chapter]:
    """Walk the blocks in order, opening parts and chapters at their headings."""
    state = Reading()
    i = 0
    while i < len(items):
        item, heading = items[i], headings.get(i)
        level = levels.get(heading.form) if heading else None
        if level == SUBPART and state.continues(heading):
            level = 0
        i += 1
        if i - 1 in skipped_at:
            continue
        if isinstance(item, Note):
            place_note(state, item, notes, skipped)
            continue
        text = heading.text if heading else item
        if heading and not heading.title and i < len(items) and i not in headings and isinstance(items[i], str) \
                and i not in skipped_at and is_subtitle(items[i]) and level != SUBPART:
            text, i = f"{text.rstrip('.')}. {join_lines(items[i])}", i + 1
        if level == 0 and heading.form == "#named" and levels.get(getattr(headings.get(i), "form", None)) == 0:
            level = max(levels.values())  or 1  # 'FIRST EPILOGUE' over its own chapters is a part
        if level is not None and level > 0:
            state.parts = [(lv, t) for lv, t in state.parts if lv > level] + [(level, text)]
            state.unread.append(text)
        elif level == 0:
            state.open_chapter(text, default_title)
            state.number = number_value(heading.number)
        elif level == SUBPART and not heading.title:
            skip(skipped, "section numbers", state.chapters[-1].title if state.chapters else default_title, text)
        else:
            if state.unread or not state.chapters:
                state.open_chapter(None, default_title)
            paragraph, labels = strip_refs(join_lines(text))
            state.refs += [(len(state.chapters) - 1, label) for label in labels]
            state.chapters[-1].paragraphs.append(paragraph)
    if notes == "chapter-end":
        for index, texts in state.notes.items():
            state.chapters[index].paragraphs += ["Notes."] + texts
    return state.chapters


def place_note(state: Reading, note: Note, notes: str, skipped: list[Skipped]) -> None:
    """A note belongs to the chapter that first refers to its label (else the chapter it stands in)."""
    match = next((k for k, (_, label) in enumerate(state.refs) if label == note.label), None)
    index = state.refs.pop(match)[0] if match is not None else len(state.chapters) - 1
    if notes == "chapter-end" and index >= 0:
        state.notes.setdefault(index, []).append(note.text)
    else:
        skip(skipped, "notes", state.chapters[index].title if index >= 0 else "opening", note.text, marked=True)
