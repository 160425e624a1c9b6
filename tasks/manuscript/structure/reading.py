"""Walking a book's laid-out blocks in order: parts and chapters open at their headings (a chapter's title
carries its parts: "PART TWO, CHAPTER III", a part's heading read once, at its first chapter), speeches
become their character's paragraphs, verse keeps its line ends, a new letter, entry or section opens a new
unit, notes go where the policy says. The layout (what each block is) comes from tasks/manuscript/structure/engine.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from tasks.manuscript.book import Chapter, Cue, Skipped, join_lines, skip
from .contents import same_words
from .levels import CHAPTER, LEVEL_FORMS, SECTION
from .headings import Heading, is_part_form, loose, number_value, parse_heading
from .letters import opens_unit
from .plays import Play
from .notes import Note, braced_notes, strip_refs
from .verse import joined


@dataclass
class Layout:
    """What the blocks are before they are walked: headings and their levels, blocks left out, the play."""

    items: list[str | Note]
    levels: dict[int, int | None]
    headings: dict[int, Heading]
    left_out: set[int]
    play: Play | None
    verse: set[int]
    synopses: dict[int, str] = field(default_factory=dict)  # chapter heading -> what its contents entry adds


def is_subtitle(block: str) -> bool:
    """A short line after a bare 'CHAPTER I' that names the chapter: no sentence punctuation, or all capitals (a
    quoted one too: '"AEGRI SOMNIA"'); a line broken off by a dash ('… he said to her—') is prose leading into the
    next paragraph."""
    line = join_lines(block).strip("_ ")  # PG's _italics_
    if len(block.splitlines()) > 2 or len(line) > 100 or parse_heading(line) or not re.search(r"[^\W\d_]", line):
        return False
    if re.sub(r"_[^_]*_", "", line).isupper():
        return not re.search(r"[,;:—–-]$", line)
    return not re.search(r"[,;:\")\]—–-]$", line) and not re.search(r"[.!?][\"'”’]?$", line)


def verse_opening(line: str, following: list) -> bool:
    """A poem's first line under its number, its lines one paragraph each (an ODT's verse): the next lines are
    short too, and it is written as a sentence, not as a title ('Loveliest of trees, the cherry now' under 'II.',
    where 'THE RECRUIT' or 'The Welsh Marches' would name the poem)."""
    words = [w for w in re.findall(r"[^\W\d_]+", line) if len(w) > 3]
    titled = line.isupper() or all(w[0].isupper() for w in words)
    return not titled and len(following) == 2 and all(
        isinstance(t, str) and "\n" not in t and 0 < len(t) <= MAX_VERSE_LINE for t in following)


MAX_VERSE_LINE = 70


def outranks(heading: Heading, part: Heading) -> bool:
    """Markup says a heading is not inside a part: its rank is shallower ('Preface' in an <h3>, read as a level
    above the <h3> numerals after it, ends at the next <h2> poem), or the same where the part's words name no part."""
    if not (heading.rank and part.rank):
        return False
    return heading.rank < part.rank or (heading.rank == part.rank and not is_part_form(part.form))


def date_line_before(chapter: Chapter) -> int | None:
    """The paragraph heading a letter whose greeting comes next: a short line after a short line (the last
    letter's signature) or at the chapter's start, however it writes its date ('The Ides of March')."""
    paragraphs = chapter.paragraphs
    if not paragraphs or not is_short_line(paragraphs[-1]):
        return None
    if len(paragraphs) == 1 or is_short_line(paragraphs[-2]):
        return len(paragraphs) - 1
    return None


def is_short_line(paragraph: str) -> bool:
    return len(paragraph.split()) <= MAX_LETTER_HEADING_WORDS and not re.search(r"[.!?]$", paragraph.strip())


MAX_LETTER_HEADING_WORDS = 8


class Reading:
    """The blocks walked in order: parts and chapters opened at their headings, paragraphs placed."""

    def __init__(self, layout: Layout, default_title: str, notes: str, skipped: list[Skipped], stage_directions: str,
                 chapter_word: str | None = None):
        self.layout, self.default_title, self.notes, self.skipped = layout, default_title, notes, skipped
        self.chapter_word = chapter_word  # names a bare numeral under a part: 'Chapitre III', in the book's language
        self.read_directions = stage_directions != "skip"
        self.chapters: list[Chapter] = []
        self.parts: list[tuple[int, str, Heading]] = []  # (level, heading's text, heading), outermost first
        self.unread: list[str] = []  # part headings not yet read
        self.held: dict[int, list[str]] = {}  # chapter index -> notes read at its end
        self.refs: list[tuple[int, str]] = []  # (chapter index, label) not yet matched
        self.number: int | None = None  # the last chapter's number
        self.in_part = False  # a chapter opened since the last part heading
        self.section_break = False  # an ornament stood before the next paragraph

    def walk(self) -> list[Chapter]:
        items, i = self.layout.items, 0
        while i < len(items):
            i = self.place(i)
        if self.notes == "chapter-end":
            for index, texts in self.held.items():
                self.chapters[index].paragraphs += ["Notes."] + texts
        return self.chapters

    def place(self, i: int) -> int:
        """Place block i; returns the next block to place."""
        layout, item = self.layout, self.layout.items[i]
        if i in layout.left_out or item == "":
            return i + 1
        if isinstance(item, Note):
            self.place_note(item)
            return i + 1
        heading, level = layout.headings.get(i), layout.levels.get(i)
        if heading is None or level is None:
            self.paragraph(i, item)
            return i + 1
        text, after = heading.text, i + 1
        nxt = layout.items[after] if after < len(layout.items) else None
        if not heading.title and isinstance(nxt, str) and after not in layout.headings and after not in layout.left_out \
                and is_subtitle(nxt) and level != SECTION and not verse_opening(nxt, layout.items[after + 1:after + 3]):
            text, after = f"{text.rstrip('.')}. {join_lines(nxt)}", after + 1
        self.heading(heading, level, text)
        synopsis = layout.synopses.get(i, "")
        if level == CHAPTER and synopsis and self.chapters and not same_words(set(loose(synopsis).split()),
                                                                               set(loose(text).split())):
            chapter = self.chapters[-1]  # the contents' words for it, read with it
            chapter.headings = [*chapter.spoken_headings, synopsis]
        return after

    def heading(self, heading: Heading, level: int, text: str) -> None:
        if level == SECTION and heading.title and self.continues(heading):
            level = CHAPTER  # 'VII. The Adventure of …' after 'ADVENTURE VI'
        self.parts = [part for part in self.parts if not outranks(heading, part[2])]
        if level > CHAPTER:
            self.parts = [part for part in self.parts if part[0] > level] + [(level, text, heading)]
            self.unread.append(text)
            self.in_part = False
        elif level == CHAPTER:
            if heading.form in LEVEL_FORMS and self.in_part and not self.unread:
                self.parts = []  # 'EPILOGUE', 'CONCLUSION' after a part's chapters: the book's own
            if self.parts and self.chapter_word and heading.form in ("#roman", "#arabic") and not heading.title \
                    and text == heading.text:
                text = f"{self.chapter_word} {heading.number}"  # 'III' under 'DEUXIÈME PARTIE' is its chapter III
            self.open_chapter(text)
            self.number = number_value(heading.number)
        elif heading.title:
            self.add(text)
        else:
            where = self.chapters[-1].title if self.chapters else self.default_title
            skip(self.skipped, "section numbers", where, text)

    def continues(self, heading: Heading) -> bool:
        value = number_value(heading.number)
        return value is not None and self.number is not None and value == self.number + 1

    def open_chapter(self, heading: str | None) -> None:
        names = [text for _, text, _ in self.parts] + ([heading] if heading else [])
        spoken = self.unread + ([heading] if heading else [])
        self.chapters.append(Chapter(", ".join(names) or self.default_title, [], spoken if self.parts else None,
                                     parts=tuple(text for _, text, _ in self.parts)))
        self.unread, self.in_part = [], True

    def add(self, text: str, cue: Cue | None = None) -> None:
        if not re.search(r"[^\W_]", text):  # '* * *', '=====': an ornament, a pause; the next paragraph opens a section
            self.section_break = True
            return
        text, notes = braced_notes(text) if not (cue and cue.line_ends) else (text, [])
        if not text.strip():
            return  # only a page mark ('{7}')
        if self.unread or not self.chapters:
            self.open_chapter(None)
        chapter = self.chapters[-1]
        if self.section_break:
            cue, self.section_break = replace(cue or Cue(), opens=True), False
        paragraph, labels = strip_refs(text)
        for note in notes:
            self.place_note(note)
        self.refs += [(len(self.chapters) - 1, label) for label in labels]
        before = chapter.paragraphs[-1] if chapter.paragraphs else None
        if opens_unit(paragraph, before) and not (cue and cue.speaker):
            heading = date_line_before(chapter)  # 'The Ides of March' over 'Dear D.-L.-L.,' opens the letter
            if heading is None:
                cue = Cue(cue.speaker if cue else None, True, cue.line_ends if cue else ())
            else:
                chapter.cues[heading] = replace(chapter.cues.get(heading, Cue()), opens=True)
        if cue:
            chapter.cues[len(chapter.paragraphs)] = cue
        chapter.paragraphs.append(paragraph)

    def paragraph(self, i: int, text: str) -> None:
        """A block of text: a speech, a stage direction, verse or prose (a rule line over it is a pause)."""
        play = self.layout.play
        lines = text.splitlines()
        while len(lines) > 1 and not re.search(r"[^\W_]", lines[0]):
            lines, self.section_break = lines[1:], True
        text = "\n".join(lines)
        if play and i in play.speeches:
            for n, (speaker, part) in enumerate(play.speeches[i]):
                self.line(part, speaker, i, opens=n == 0)
        elif play and play.is_direction(i):
            self.line(text, None, i)
        elif i in self.layout.verse:
            self.verse(text.splitlines(), None)
        else:
            self.add(join_lines(text))

    def line(self, text: str, speaker: str | None, i: int, opens: bool = False) -> None:
        """A character's words (or, with no speaker, the narrator's direction) in a play; `opens`: a speech begins."""
        if speaker is None and not self.read_directions:
            skip(self.skipped, "stage directions", self.chapters[-1].title if self.chapters else "opening", text, True)
            return
        lines = text.splitlines()
        if len(lines) > 1 and i in self.layout.verse or len(lines) > 1 and all(len(x) < 60 for x in lines):
            self.verse(lines, speaker, opens)
        else:
            self.add(join_lines(text), Cue(speaker, opens) if speaker else None)

    def verse(self, lines: list[str], speaker: str | None, opens: bool = False) -> None:
        stripped = [strip_refs(line) for line in lines]
        self.refs += [(len(self.chapters) - 1, label) for _, labels in stripped for label in labels]
        text, ends = joined([line for line, _ in stripped])
        self.add(text, Cue(speaker, opens, ends))

    def place_note(self, note: Note) -> None:
        """A note belongs to the chapter that first refers to its label (else the chapter it stands in)."""
        match = next((k for k, (_, label) in enumerate(self.refs) if label == note.label), None)
        index = self.refs.pop(match)[0] if match is not None else len(self.chapters) - 1
        if self.notes == "chapter-end" and index >= 0:
            self.held.setdefault(index, []).append(note.text)
        else:
            skip(self.skipped, "notes", self.chapters[index].title if index >= 0 else "opening", note.text, marked=True)
