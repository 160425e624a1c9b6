"""Plain text (or an HTML page's blocks) -> chapters, by the pattern of headings the book repeats.

The steps, each in its own module: notes and pictures out (text_notes), a play's speeches found
(plays), heading-like lines read (headings), contents lists proved against the headings they name
(contents), levels decided from what the book repeats (heading_levels), the cast list and the title
page left out where they prove what they are (plays, title_page), back matter only after the book's
last chapter. Then the blocks are walked in order: parts and chapters open at their headings (a
chapter's title carries its parts: "PART TWO, CHAPTER III", a part's heading read once, at its first
chapter), speeches become their character's paragraphs, verse keeps its line ends, a new letter or
entry opens a new unit. Nothing else is left out; what is left out is counted in `skipped`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from .book import Chapter, Cue, Doubt, Skipped, doubt, join_lines, skip
from .contents import (HeadingIndex, find_contents, front_entries, is_contents_title, listed_titles, proven, same_words,
                       synopses)
from .heading_levels import CHAPTER, LEVEL_FORMS, SECTION, heading_levels
from .gutenberg import language_code
from .headings import CHAPTER_WORD, HAN, Heading, loose, number_value, parse_heading, word_numbered_lines
from .left_out import PROSE_WORDS, Found, is_notes_title, is_the_end, leave_out
from .letters import opens_unit, split_headless
from .plays import CAST_TITLE, Play, cast_lists, find_play, marked_play
from .text_notes import Note, braced_notes, separate_notes, strip_refs
from .title_page import BY_LINE, DEDICATION, EPIGRAPH, read_title_page
from .verse import is_verse, joined, wrap_width

WRITTEN_BY = re.compile(r"(?i)(?:written|translated|edited|told)\s+by\s+\S.*")
SHORT_HEADING_CHARS = 80  # longer headings count only where the book repeats their form
MAX_HEADING_LINES = 3


HAN_LINE = re.compile(HAN.pattern, re.M)


@dataclass
class TextStructure:
    """What plain text gives: chapters, the metadata its title page states, what was not read, what to check."""

    chapters: list[Chapter]
    metadata: dict[str, str] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)
    cast: dict[str, str] = field(default_factory=dict)


def split_blocks(text: str) -> list[str]:
    """Blank-line separated blocks; each line stripped (contents lists are indented), lines kept. A line
    in a heading form no prose line has ('第五回') is a block of its own wherever it stands."""
    blocks = (re.sub(r"[ \t\u3000]*\n[ \t\u3000]*", "\n", b).strip() for b in re.split(r"\n[ \t\u3000]*\n", text))
    return [part for b in blocks if b for part in apart(b)]


def apart(block: str) -> list[str]:
    """A block cut before and after its lines in an unmistakable heading form (with a rule line under one)."""
    if not HAN_LINE.search(block):
        return [block]
    out: list[list[str]] = [[]]
    lines = block.split("\n")
    for k, line in enumerate(lines):
        if HAN.match(line):
            out.append([line])
            out.append([])
        elif out[-1] == [] and len(out) > 1 and not re.search(r"[^\W_]", line) and k > 0 and HAN.match(lines[k - 1]):
            continue  # the rule line under the heading
        else:
            out[-1].append(line)
    return ["\n".join(part) for part in out if part]


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


def structure_text(text: str, default_title: str, pattern: re.Pattern | None = None, notes: str = "skip",
                   known: dict[str, str] | None = None, stage_directions: str = "read") -> TextStructure:
    """Chapters of a plain-text body (PG's wrapper already removed); `known` is metadata read so far."""
    blocks = split_blocks(text)
    width = wrap_width(blocks)
    verse = {i for i, block in enumerate(blocks) if is_verse(block, width)}
    return structure_blocks(blocks, default_title, pattern, notes, known, verse=verse, stage_directions=stage_directions)


def structure_blocks(blocks: list[str], default_title: str, pattern: re.Pattern | None = None, notes: str = "skip",
                     known: dict[str, str] | None = None, ranks: dict[int, int] | None = None,
                     verse: set[int] | None = None, speakers: dict[int, str] | None = None,
                     stage_directions: str = "read") -> TextStructure:
    """Chapters of a book's blocks (lines kept); `ranks`: block -> its markup heading rank, `speakers`:
    block -> the character its speaker markup names (HTML), `verse`: the blocks that are verse."""
    result = TextStructure([])
    items = separate_notes(blocks, result.skipped)
    layout = lay_out(items, result, pattern, known or {}, ranks or {}, verse or set(), speakers or {})
    language = language_code((known or {}).get("language") or "") or "en"
    reading = Reading(layout, default_title, notes, result.skipped, stage_directions, CHAPTER_WORD.get(language))
    result.chapters = split_headless(fold_opening(reading.walk(), default_title), default_title)
    return result


OPENING_WORDS = 120  # an unheaded dedication or epigraph this short leads the first chapter


def fold_opening(chapters: list[Chapter], default_title: str) -> list[Chapter]:
    """A short unheaded dedication or epigraph before the first chapter is read at its start, before its
    heading (as an EPUB's is): the chapters stay the book's own."""
    if len(chapters) < 2 or chapters[0].title != default_title or chapters[0].headings is not None:
        return chapters
    opening, first = chapters[0], chapters[1]
    said = " ".join(opening.paragraphs)
    if len(said.split()) > OPENING_WORDS or not (DEDICATION.search(said) or EPIGRAPH.match(said)):
        return chapters
    first.lead = opening.lead + opening.paragraphs + first.lead
    return chapters[1:]


def lay_out(items: list[str | Note], result: TextStructure, pattern, known: dict[str, str], ranks: dict[int, int],
            verse: set[int], speakers: dict[int, str]) -> Layout:
    texts = [item if isinstance(item, str) else "" for item in items]
    play = marked_play(texts, speakers) if speakers else find_play(
        texts, Counter(w for t in texts for w in re.findall(r"[^\W\d_]+", t) if w.islower()))
    speeches = set(play.speeches) if play else set()
    casts = cast_lists(texts, play)
    lists = proven_lists(texts, result, {loose(known["title"])} if known.get("title") else set())
    in_lists = {i for c in lists for i in range(c.start, c.end)} | {i for cast in casts for i in cast}
    candidates = {i: h for i, text in enumerate(texts) if i not in in_lists and i not in speeches
                  and not is_the_end(text) and not CAST_TITLE.fullmatch(text) and not is_contents_title(text)
                  and not is_notes_title(texts, i)
                  and (h := candidate_heading(text, ranks.get(i), pattern))}
    stop = min([c.start for c in lists] + [cast.start for cast in casts] + [len(texts)])
    result.metadata, taken = read_title_page(texts, stop, known, result.skipped, set(candidates), stop < len(texts))
    candidates = {i: h for i, h in candidates.items() if i >= taken}
    if not pattern:
        taken_up = in_lists | speeches | set(range(taken))
        candidates.update(listed_headings(texts, taken_up, candidates, lists))
        candidates.update(work_titles(texts, taken_up, candidates))
        candidates.update(front_sections(texts, taken_up, candidates))
        candidates.update(word_numbered_lines({i: t for i, t in enumerate(texts) if i not in candidates
                                               and i not in taken_up and t and "\n" not in t}))
        candidates.update(caps_over_headings(texts, taken_up, candidates))
    candidates = {i: h for i, h in candidates.items() if len(h.text) <= SHORT_HEADING_CHARS
                  or sum(x.form == h.form for x in candidates.values()) > 1}
    candidates, titles = with_subtitles(candidates)
    words = [len(text.split()) if i not in candidates else 0 for i, text in enumerate(texts)]
    levels = heading_levels(candidates, words) if not pattern else {i: CHAPTER for i in candidates}
    title = result.metadata.get("title") or known.get("title") or ""
    if play:  # the directions of a play start after the heading above its first speech
        play.first = 1 + max((i for i, level in levels.items() if level is not None and i < play.first), default=play.first - 1)
    left_out = leave_out(texts, levels, candidates, lists, casts, Found(result.skipped, result.doubts), title, taken) | titles
    chapters = [(i, h.text, h.value) for i, h in sorted(candidates.items()) if levels.get(i) == CHAPTER]
    return Layout(items, levels, candidates, left_out, play, verse, synopses(texts, lists, chapters))


def with_subtitles(candidates: dict[int, Heading]) -> tuple[dict[int, Heading], set[int]]:
    """A numbered heading without a title takes the heading-like line right after it as its title
    ('CHAPTER II' over 'MISTRESS MARY QUITE CONTRARY' in two <h3>); returns the merged lines too."""
    merged: set[int] = set()
    out = dict(candidates)
    for i in sorted(candidates):
        heading, after = candidates[i], candidates.get(i + 1)
        if i in merged or after is None or heading.title or heading.value is None or after.value is not None:
            continue
        if len(after.text) <= SHORT_HEADING_CHARS * 2 and not re.search(r"[,;:]$", after.text):
            out[i] = replace(heading, text=f"{heading.text.rstrip('.')}. {after.text}", title=after.text)
            del out[i + 1]
            merged.add(i + 1)
    return without_subtitle_ranks(out), merged


def without_subtitle_ranks(candidates: dict[int, Heading]) -> dict[int, Heading]:
    """A markup rank used only right under a shallower heading, unnumbered ('PREFACE TO PYGMALION.' over
    'A Professor of Phonetics.' in an <h4>), is a subtitle: read as text, as the plain text reads it."""
    under: dict[str, list[bool]] = {}
    for i, heading in candidates.items():
        if heading.form.startswith("#h"):
            above = candidates.get(i - 1)
            under.setdefault(heading.form, []).append(bool(above and above.rank and above.rank < heading.rank))
    subtitles = {form for form, flags in under.items() if all(flags)}
    return {i: h for i, h in candidates.items() if h.form not in subtitles}


def proven_lists(texts: list[str], result: TextStructure, titles: set[str]) -> list:
    """The contents lists that name the book's headings; a titled one that does not is read, and listed to check."""
    lists = find_contents(texts, titles)
    index = HeadingIndex(texts)
    proved = [c for c in lists if proven(texts, c, index)]
    for candidate in lists:
        if candidate not in proved and candidate.titled:
            doubt(result.doubts, "contents list naming no heading of the book", "contents",
                  "\n".join(texts[candidate.start:candidate.end]))
    return proved


def candidate_heading(text: str, rank: int | None, pattern: re.Pattern | None) -> Heading | None:
    """A block read as a heading: by the user's pattern, by its markup rank, or by its form."""
    line = join_lines(text)
    if pattern:
        return Heading(line, "#user", "", "") if "\n" not in text and pattern.fullmatch(line) else None
    if rank:  # a marked-up heading: its own form where it has one ('PART TWO' in <h1> or <h2>), else its rank
        if EPIGRAPH.match(line):
            return None  # a quotation set as a heading is an epigraph, read as text
        heading = parse_heading(line)
        return replace(heading, rank=rank) if heading else Heading(line, f"#h{rank}", "", line, rank)
    return block_heading(strip_refs(text)[0])


def block_heading(block: str) -> Heading | None:
    """A block of up to three lines read as a heading ('CHAPTER I.' over 'Down the Rabbit-Hole' is one)."""
    lines = block.splitlines()
    if not lines or len(lines) > MAX_HEADING_LINES:
        return None
    if len(lines) > 1 and sum(parse_heading(line) is not None for line in lines) > 1:
        return None  # lines that are each a heading: a list of them, not one
    first = parse_heading(lines[0])
    if first and len(lines) > 1 and not first.title:
        return parse_heading(f"{lines[0].rstrip('.')}. {join_lines(' '.join(lines[1:]))}")
    return parse_heading(join_lines(block))


def listed_headings(texts: list[str], taken: set[int], found: dict[int, Heading], lists) -> dict[int, Heading]:
    """Blocks a proven contents list names ('THE GIFT OF THE MAGI', 'ETYMOLOGY.') where not a heading's subtitle."""
    names = listed_titles(texts, lists) | front_entries(texts, lists)
    return {i: Heading(join_lines(text), "#listed", "", join_lines(text)) for i, text in enumerate(texts)
            if text and "\n" not in text and i not in taken and i not in found and i - 1 not in found
            and loose(text) in names and len(text) <= SHORT_HEADING_CHARS}


def work_titles(texts: list[str], taken: set[int], found: dict[int, Heading]) -> dict[int, Heading]:
    """A title in capitals over a "by" line starts a work of a collection (the "by" line is not read)."""
    out: dict[int, Heading] = {}
    for i in range(min(found, default=len(texts)) + 1, len(texts) - 1):
        block, after = texts[i], join_lines(texts[i + 1])
        if i in taken or i in found or not block.isupper() or len(block.splitlines()) > MAX_HEADING_LINES:
            continue
        if BY_LINE.fullmatch(after) or WRITTEN_BY.fullmatch(after):
            out[i] = Heading(join_lines(block), "#work", "", join_lines(block))
    return out


def front_sections(texts: list[str], taken: set[int], found: dict[int, Heading]) -> dict[int, Heading]:
    """Before the first numbered heading, a line in capitals over prose (or over a line in capitals
    over prose) names a section of the front ('NOTE TO THE THIRD EDITION' after 'PREFACE')."""
    first = min((i for i, h in found.items() if not h.form.startswith("#") or h.form in ("#roman", "#arabic")),
                default=0)
    out: dict[int, Heading] = {}
    for i in range(first):
        if i in taken or i in found or (i - 1) in out or not is_caps_line(texts[i]):
            continue
        after = i + 2 if i + 2 < len(texts) and is_caps_line(texts[i + 1]) else i + 1
        if after < len(texts) and len(texts[after].split()) >= PROSE_WORDS:
            out[i] = Heading(join_lines(texts[i]), "#named", "", join_lines(texts[i]))
    return out


def caps_over_headings(texts: list[str], taken: set[int], found: dict[int, Heading]) -> dict[int, Heading]:
    """A line in capitals right over a heading ('INFERNO' over 'Inferno • Canto I'): maybe a level above;
    it counts where the book repeats it (tasks/heading_levels.py)."""
    return {i: Heading(join_lines(texts[i]), "#caps", "", join_lines(texts[i])) for i in range(len(texts) - 1)
            if i not in taken and i not in found and i + 1 in found and is_caps_line(texts[i])
            and len(texts[i].split()) <= MAX_CAPS_WORDS and not parse_heading(join_lines(texts[i]))}


MAX_CAPS_WORDS = 5


def is_caps_line(text: str) -> bool:
    """A short line in capitals that is neither a dedication nor a contents title."""
    return bool(text) and "\n" not in text and text.isupper() and len(text.split()) <= 10 \
        and not DEDICATION.search(text) and not is_contents_title(text)


def is_subtitle(block: str) -> bool:
    """A short line after a bare 'CHAPTER I' that names the chapter: no sentence punctuation, or all capitals."""
    line = join_lines(block).strip("_ ")  # PG's _italics_
    if len(block.splitlines()) > 2 or len(line) > 100 or parse_heading(line) or not re.search(r"[^\W\d_]", line):
        return False
    upper = re.sub(r"_[^_]*_", "", line).isupper()
    return not re.search(r"[,;:\")\]]$", line) and (not re.search(r"[.!?][\"'”’]?$", line) or upper)


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
        self.parts: list[tuple[int, str]] = []  # (level, heading), outermost first
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
                and is_subtitle(nxt) and level != SECTION:
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
        if level > CHAPTER:
            self.parts = [(lv, t) for lv, t in self.parts if lv > level] + [(level, text)]
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
        names = [text for _, text in self.parts] + ([heading] if heading else [])
        spoken = self.unread + ([heading] if heading else [])
        self.chapters.append(Chapter(", ".join(names) or self.default_title, [], spoken if self.parts else None,
                                     parts=tuple(text for _, text in self.parts)))
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
