"""The reading order as one run of blocks, cut into chapters at the TOC's targets.

A chapter is the text from its TOC target to the next target in reading order (across
documents, so unlisted documents join the chapter before them). Nested entries are titled with
their linked parents ("Volume Two, Chapter Three"; a bare label such as an anthology's author
only when the title would repeat) and a parent's heading is spoken once, at its first chapter;
a part page with text of its own is a chapter itself; numbered sections of a short piece stay
inside it. Headings the title already says are not read twice.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from tasks.manuscript.book import Chapter, Cue, Skipped, words_of
from tasks.manuscript.structure.headings import is_part_form, parse_heading
from tasks.manuscript.structure.plays import CAST_TITLE, character
from .html import Block, Document
from .toc import TocEntry

FRONT_MATTER_WORDS = 50  # an unlisted opening document shorter than this is a title page, not a preface
MAX_LEADING_HEADINGS = 4
MAX_SECTIONED_WORDS = 15_000  # a piece this short with numbered sections (a story's I, II, III) is one chapter
ORDINAL = re.compile(r"[ivxlcdm]+|\d+")
SKIP_TITLES = {"contents": {"contents", "table of contents", "list of illustrations", "illustrations", "landmarks"},
               "front matter": {"title page", "titlepage", "half title", "imprint", "copyright", "copyright page"},
               "back matter": {"colophon", "colofon", "colofón", "kolophon", "uncopyright", "index", "also by",
                               "about this ebook"},
               "notes": {"notes", "endnotes", "footnotes", "footnote", "end notes"}}


class Flow:
    """The linear documents in reading order, their blocks as one list, and what was marked skipped."""

    def __init__(self, docs: list[Document]):
        self.docs = docs
        self.index = {doc.path: i for i, doc in enumerate(docs)}
        self.offsets = list(itertools.accumulate([len(d.blocks) for d in docs], initial=0))
        self._blocks = [b for d in docs for b in d.blocks]
        self._regions = itertools.count(-2, -1)  # marks made here; documents number theirs from 1
        self._marked: set[int] = set()  # regions made here that the source itself marks (PG's markers, landmarks)

    def blocks(self) -> list[Block]:
        return self._blocks

    def position(self, entry: TocEntry) -> int:
        """Index in blocks() where a TOC entry's target starts (its document's start without a fragment)."""
        d = self.index[entry.path]
        return self.offsets[d] + self.docs[d].anchors.get(entry.fragment, 0) if entry.fragment else self.offsets[d]

    def mark(self, blocks: list[Block], kind: str, marked: bool = False) -> None:
        """Skip the still-readable blocks given, as one region of `kind` (`marked`: the source says so)."""
        region = next(self._regions)
        if marked:
            self._marked.add(region)
        for block in blocks:
            if block.skip is None:
                block.skip, block.region = kind, region

    def hint(self, key: str) -> str | None:
        return next((d.hints[key] for d in self.docs if d.hints.get(key)), None)

    def skipped(self, read: set[int]) -> list[Skipped]:
        """One Skipped per skipped region (minus notes read at chapter ends) and per kind of inline removal."""
        out = []
        for doc in self.docs:
            blocks = [b for b in doc.blocks if b.skip and id(b) not in read]
            for (kind, region), group in itertools.groupby(blocks, key=lambda b: (b.skip, b.region)):
                marked = region >= 0 or region in self._marked  # the document's own markup, or PG's markers
                out.append(skipped_entry(kind, doc.path, [b.text for b in group], marked))
            out += [skipped_entry(kind, doc.path, texts, True) for kind, texts in doc.removed.items()]
        return out


def skipped_entry(kind: str, where: str, texts: list[str], marked: bool) -> Skipped:
    words = words_of(" ".join(texts))
    return Skipped(kind, where, len(words), " ".join(words[:8]), marked, "\n\n".join(texts))


def key(text: str) -> str:
    """Loose form for comparing titles and headings: lower case, no punctuation, single spaces."""
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def matches(heading: str, title: str) -> bool:
    """The heading says the title: one holds the other (as whole words)."""
    a, b = key(heading), key(title)
    return bool(a and b) and (f" {a} " in f" {b} " or f" {b} " in f" {a} ")


def is_part_heading(heading: str, part: str) -> bool:
    """The heading is (a line of) a part's heading; a lone word such as "II" must equal it."""
    a, b = key(heading), key(part)
    return a == b or (len(a.split()) > 1 and matches(heading, part))


def title_kind(title: str, book_title: str = "") -> str | None:
    """The kind of matter a TOC title names ("Contents", "Colophon", the book's own title: a title page)."""
    if book_title and key(title) == key(book_title):
        return "front matter"
    if CAST_TITLE.fullmatch(title):
        return "cast list"  # a play's dramatis personae: listed, not read
    return next((kind for kind, titles in SKIP_TITLES.items() if key(title) in titles), None)


def split_headings(blocks: list[Block], title: str, parents: tuple[str, ...]) -> tuple[list[str], list[Block]]:
    """(spoken headings, body) of a chapter: leading headings that say its title (or a part's) are
    taken out of the body; the book's own heading lines are spoken unless the title says more."""
    count = next((i for i, b in enumerate(blocks[:MAX_LEADING_HEADINGS]) if not b.heading),
                 min(len(blocks), MAX_LEADING_HEADINGS))
    lead, body = blocks[:count], blocks[count:]
    own = [b for b in lead if not any(is_part_heading(b.text, p) for p in parents)]
    if not any(matches(b.text, title) for b in own):
        return [title], own + body
    said = key(" ".join(b.text for b in own))
    return ([title] if said != key(title) and matches(said, title) and len(said) < len(key(title))
            else [b.text for b in own]), body


@dataclass
class Stretch:
    """A chapter in the making: its entry, parents kept, readable blocks."""

    entry: TocEntry
    parents: tuple[str, ...]
    blocks: list[Block]


def stretches(flow: Flow, entries: list[TocEntry], book_title: str) -> list[Stretch]:
    """Each entry's readable blocks up to the next entry; a parent level naming the book is dropped."""
    entries = merge_sections(flow, sorted(entries, key=flow.position))
    bounds = [flow.position(e) for e in entries] + [len(flow.blocks())]
    out = []
    for i, entry in enumerate(entries):
        parents = tuple(p for p in entry.parents if key(p) != key(book_title))
        out.append(Stretch(entry, parents, readable(flow, bounds[i], bounds[i + 1])))
    return out


def readable(flow: Flow, start: int, end: int) -> list[Block]:
    return [b for b in flow.blocks()[start:end] if b.skip is None]


def merge_sections(flow: Flow, entries: list[TocEntry]) -> list[TocEntry]:
    """Children titled only by a number ("I.", "2"), or listed in a hidden nav list, under an entry
    whose whole text is under MAX_SECTIONED_WORDS words are sections of one chapter (a story), not
    chapters of their own; a part of a novel (or an epic's book) is longer, or says it is a part ('Part I:
    Underground'), and keeps them."""
    out, i = [], 0
    while i < len(entries):
        entry, path = entries[i], entries[i].parents + (entries[i].title,)
        end = next((j for j in range(i + 1, len(entries)) if entries[j].parents[: len(path)] != path), len(entries))
        children = [c for c in entries[i + 1:end] if c.parents == path]
        stop = flow.position(entries[end]) if end < len(entries) else len(flow.blocks())
        words = sum(len(b.text.split()) for b in readable(flow, flow.position(entry), stop))
        out.append(entry)
        sectioned = children and all(c.hidden or ORDINAL.fullmatch(key(c.title)) for c in children) \
            and not names_part(entry.title)
        i = end if sectioned and words <= MAX_SECTIONED_WORDS else i + 1
    return out


def names_part(title: str) -> bool:
    """A TOC title in a part's form ('Part I: Underground', 'Book the Second', 'Act II'): its numbered children are
    chapters, as the structure engine reads them under a part heading."""
    heading = parse_heading(title)
    return heading is not None and is_part_form(heading.form)


def chapter_titles(parts: list[Stretch]) -> list[str]:
    """Linked parents and the entry's own title ("Part One, Chapter 3"); a bare label parent (an
    anthology's author, "Volume Two" without a link) only where its chapters' titles would repeat."""
    def title(part: Stretch, hidden: set[str]) -> str:
        return ", ".join(tuple(p for p in part.parents if p not in hidden) + (part.entry.title,))

    labels = {label for part in parts for label in part.entry.labels}
    short = [title(part, labels) for part in parts]
    needed = {label for part, t in zip(parts, short) if short.count(t) > 1 for label in part.entry.labels}
    return [title(part, labels - needed) for part in parts]


def build_chapters(flow: Flow, entries: list[TocEntry], book_title: str) -> list[tuple[Chapter, list[str]]]:
    """(chapter, the noterefs in its text) for each TOC entry that has text to read."""
    parts = stretches(flow, entries, book_title)
    announced: set[tuple[str, ...]] = set()
    out = []
    for part, full in zip(parts, chapter_titles(parts)):
        own, body = split_headings(part.blocks, part.entry.title, part.parents)
        own = own if part.entry.announced and not (not out and is_opening(part.blocks)) else []
        if not body:
            continue  # a part page with only its heading: the heading is read at its first chapter
        path = part.parents + (part.entry.title,)
        headings = [p for k, p in enumerate(part.parents) if path[: k + 1] not in announced] + own
        announced.update(path[: k + 1] for k in range(len(path)))
        refs = [r for b in body for r in b.noterefs]
        chapter = Chapter(full, [b.text for b in body], None if headings == [full] else headings, cues=cues_of(body))
        out.append((chapter, refs))
    return out


def is_opening(blocks: list[Block]) -> bool:
    """An epigraph or dedication with no heading of its own (Standard Ebooks lists its 'Epigraph' in the TOC):
    as the first chapter it is read at the next chapter's start, before its heading, as an unlisted one is
    (reader.fold_opening), and as a DOCX or plain text of the book reads it."""
    return bool(blocks) and all(b.role and not b.heading for b in blocks)


def cues_of(blocks: list[Block]) -> dict[int, Cue]:
    """How the paragraphs are read: a speech by the character the speaker markup names, verse by its lines."""
    cues = {}
    for k, block in enumerate(blocks):
        speaker = character(block.speaker) if block.speaker else None
        line_ends = block.line_ends if block.verse else ()
        if speaker or line_ends:
            cues[k] = Cue(speaker, bool(speaker), line_ends)
    return cues


def mark_front_matter(flow: Flow, first: int, book_title: str) -> list[TocEntry]:
    """Documents before the first TOC target: a preface the TOC forgot (a heading other than the
    book's title, and enough words) becomes an entry; anything else there (title, half-title and
    copyright pages) is front matter."""
    entries = []
    for doc in flow.docs:
        start = flow.offsets[flow.index[doc.path]]
        blocks = [b for b in flow.blocks()[start:min(first, start + len(doc.blocks))] if b.skip is None]
        if not blocks:
            continue
        words = sum(len(b.text.split()) for b in blocks)
        heading = next((b.text for b in blocks if b.heading), None)
        roles = list(dict.fromkeys(b.role for b in blocks if b.role))
        named = title_kind(heading or "", book_title)  # "Contents", "Copyright", the book's own title
        if named:
            flow.mark(blocks, named)
        elif heading and words >= FRONT_MATTER_WORDS:
            entries.append(TocEntry(heading, doc.path, ""))
        elif roles:  # a dedication or epigraph: read before the first chapter's heading (epub.fold_opening)
            flow.mark([b for b in blocks if not b.role], "front matter")
            entries.append(TocEntry(" and ".join(roles).capitalize(), doc.path, "", announced=False))
        else:
            flow.mark(blocks, "front matter")
    return entries


def entries_without_toc(flow: Flow, book_title: str) -> list[TocEntry]:
    """No TOC: each document is a chapter titled by its first heading (else its unique <title>,
    else "Section N"); short opening documents with no heading but the book's title are front matter."""
    titles = [d.title for d in flow.docs]
    entries = []
    for doc in flow.docs:
        blocks = [b for b in doc.blocks if b.skip is None]
        heading = next((b.text for b in blocks if b.heading), None)
        short = sum(len(b.text.split()) for b in blocks) < FRONT_MATTER_WORDS
        if not entries and short and (heading is None or matches(heading, book_title)):
            flow.mark(blocks, "front matter")
        elif blocks:
            unique = doc.title if doc.title and titles.count(doc.title) == 1 else None
            title = blocks[0].text if blocks[0].heading else unique or f"Section {len(entries) + 1}"
            entries.append(TocEntry(title, doc.path, ""))
    return entries


def add_notes(chapters: list[tuple[Chapter, list[str]]], docs: list[Document]) -> set[int]:
    """notes="chapter-end": each chapter's notes after its text, as "Notes." and one paragraph per
    note; returns the blocks read that way (ids), so they are not counted as skipped."""
    find = NoteFinder(docs)
    read: set[int] = set()
    for chapter, refs in chapters:
        notes = [find(ref) for ref in dict.fromkeys(refs)]
        notes = [n for n in notes if n]
        if notes:
            chapter.paragraphs += ["Notes."] + [" ".join(b.text for b in note) for note in notes]
            read.update(id(b) for note in notes for b in note)
    return read


class NoteFinder:
    """A noteref's note: from its target to the next note target, within one note element."""

    def __init__(self, docs: list[Document]):
        self.docs = {d.path: d for d in docs}
        self.targets: dict[str, set[int]] = {}
        for doc in docs:
            for ref in (r for b in doc.blocks for r in b.noterefs):
                path, _, fragment = ref.partition("#")
                target = self.docs.get(path)
                if target is not None and fragment in target.anchors:
                    self.targets.setdefault(path, set()).add(target.anchors[fragment])

    def __call__(self, ref: str) -> list[Block]:
        path, _, fragment = ref.partition("#")
        doc = self.docs.get(path)
        start = doc.anchors.get(fragment) if doc else None
        if start is None or start >= len(doc.blocks) or doc.blocks[start].skip != "notes":
            return []
        region, stops, note = doc.blocks[start].region, self.targets.get(path, set()), []
        for i in range(start, len(doc.blocks)):
            block = doc.blocks[i]
            if block.region != region or block.skip != "notes" or (i > start and i in stops):
                break
            note.append(block)
        return note
