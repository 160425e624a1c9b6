"""Plain text (or an HTML page's blocks) -> chapters, by the pattern of headings the book repeats.

The steps, each in its own module: notes and pictures out (text_notes), a play's speeches found
(plays), heading-like lines read (headings), contents lists proved against the headings they name
(contents), levels decided from what the book repeats (heading_levels), the cast list and the title
page left out where they prove what they are (plays, title_page), back matter only after the book's
last chapter (left_out). Then the blocks are walked in order (text_reading). Nothing else is left out;
what is left out is counted in `skipped`, what may not be the book but is read in `doubts`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from tasks.manuscript.book import Chapter, Doubt, Skipped, doubt, join_lines
from .contents import ContentsList, HeadingIndex, find_contents, front_entries, is_contents_title, listed_titles, proven, synopses
from tasks.manuscript.gutenberg import language_code
from .levels import CHAPTER, heading_levels
from .headings import CHAPTER_WORD, HAN, Heading, loose, parse_heading, word_numbered_lines
from .left_out import NOTE_LABEL, PROSE_WORDS, Found, is_notes_title, is_the_end, leave_out
from .letters import split_headless
from .plays import CAST_TITLE, cast_lists, find_play, marked_play
from .notes import Note, separate_notes, strip_refs
from .reading import Layout, Reading
from .title_page import BY_LINE, DEDICATION, EPIGRAPH, read_title_page
from .verse import is_verse, wrap_width

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
    in_lists = {i for c in lists for i in range(c.start, c.end)} | {i for cast in casts for i in cast} \
        | labelled_notes(texts, ranks)
    candidates = {i: h for i, text in enumerate(texts) if i not in in_lists and i not in speeches
                  and not is_the_end(text) and not CAST_TITLE.fullmatch(text) and not is_contents_title(text)
                  and not is_notes_title(texts, i)
                  and (h := candidate_heading(text, ranks.get(i), pattern))}
    candidates = letter_titles(candidates) | quoted_titles(texts, ranks, in_lists | speeches)
    stop = min([c.start for c in lists] + [cast.start for cast in casts] + [len(texts)])
    result.metadata, taken = read_title_page(texts, stop, known, result.skipped, set(candidates), stop < len(texts))
    candidates = {i: h for i, h in candidates.items() if i >= taken}
    if not pattern:
        taken_up = in_lists | speeches | set(range(taken))
        candidates.update(listed_headings(texts, taken_up, candidates, lists))
        candidates.update(work_titles(texts, taken_up, candidates))
        candidates.update(front_sections(texts, taken_up, candidates))
        candidates.update(guessed_keywords(word_numbered_lines({i: t for i, t in enumerate(texts) if i not in candidates
                                                                and i not in taken_up and t and "\n" not in t}), ranks))
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


def letter_titles(candidates: dict[int, Heading]) -> dict[int, Heading]:
    """Single letters marked up as headings, some of them no numeral ('A', 'B', 'E'): a dictionary's or a glossary's
    letters, so its 'C', 'I' and 'V' are letters too, never chapter numbers."""
    letters = {i: h for i, h in candidates.items() if h.rank and re.fullmatch(r"[^\W\d_]\.?", h.text)}
    if not any(h.text[0].upper() not in ROMAN_LETTERS for h in letters.values()):
        return candidates
    return {**candidates, **{i: Heading(h.text, f"#h{h.rank}", "", h.text, h.rank) for i, h in letters.items()}}


ROMAN_LETTERS = "IVXLCDM"


def quoted_titles(texts: list[str], ranks: dict[int, int], taken: set[int]) -> dict[int, Heading]:
    """A quotation marked up as a heading is an epigraph, except where it is a title: its poem's first line
    ('“Woman! When I Behold Thee Flippant, Vain”' over 'Woman! when I behold thee flippant, vain,'), or a few words
    that end no sentence at a rank the book's other titles use ('“Down Pens”' among a collection's stories in <h2>)."""
    lines = {i: join_lines(texts[i]) for i in ranks if i not in taken}
    quoted = {i for i, line in lines.items() if EPIGRAPH.match(line)}
    titles = Counter(ranks[i] for i in lines if i not in quoted)
    out: dict[int, Heading] = {}
    for i in sorted(quoted):
        line, rank = lines[i], ranks[i]
        said = loose(line)
        first_line = i + 1 < len(texts) and bool(said) and loose(join_lines(texts[i + 1])).startswith(said)
        named = len(line.split()) <= MAX_QUOTED_TITLE_WORDS and not QUOTED_SENTENCE.search(line)
        if first_line or (named and titles[rank] >= MIN_TITLES_AT_RANK):
            out[i] = Heading(line, f"#h{rank}", "", line, rank)
    return out


MAX_QUOTED_TITLE_WORDS = 6
QUOTED_SENTENCE = re.compile(r"[.,;:!?][\"'”’»]*$")  # '“Come like spirits, so depart.”': a quotation, not a name
MIN_TITLES_AT_RANK = 3


def labelled_notes(texts: list[str], ranks: dict[int, int]) -> set[int]:
    """The notes under a notes title, up to the next marked-up heading, that open with their label ('2. His father's
    name was Annius Verus.' as an RTF numbers an endnotes list): notes, never numbered headings."""
    out: set[int] = set()
    for i in (i for i in range(len(texts)) if is_notes_title(texts, i)):
        end = next((k for k in sorted(ranks) if k > i), len(texts))
        out |= {k for k in range(i + 1, end) if NOTE_LABEL.match(texts[k])}
    return out


def guessed_keywords(found: dict[int, Heading], ranks: dict[int, int]) -> dict[int, Heading]:
    """Lines of a keyword the project does not know ('Viides runo') count where no more headings are marked up than
    they are: a few 'Clovis laughed.' among a collection's 140 marked-up titles are prose."""
    forms = Counter(h.form for h in found.values())
    return {i: h for i, h in found.items() if forms[h.form] >= len(ranks)}


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
    """The contents lists that name the book's headings, and a contents title standing alone (its list left out
    by the reader: a run of links, a table); a titled one naming no heading is read, and listed to check."""
    lists = find_contents(texts, titles)
    index = HeadingIndex(texts)
    proved = [c if proven(texts, c, index) else title_alone(texts, c) for c in lists]
    for candidate, found in zip(lists, proved):
        if found is None and candidate.titled:
            doubt(result.doubts, "contents list naming no heading of the book", "contents",
                  "\n".join(texts[candidate.start:candidate.end]))
    return [c for c in proved if c is not None]


def title_alone(texts: list[str], candidate: ContentsList) -> ContentsList | None:
    """'CONTENTS' right over the first heading of the book (rules or ornaments between them apart), the list taken
    as running on into that heading or stopping at it: the reader left its list out (links, a table). The title
    (and its ornaments) alone is the list; the heading stays the book's."""
    k = candidate.start + 1
    while k < len(texts) and not re.search(r"[^\W_]", texts[k]):
        k += 1
    if candidate.titled and k < len(texts) and candidate.end - 1 <= k <= candidate.end \
            and parse_heading(join_lines(texts[k])) is not None:
        return ContentsList(candidate.start, k, True)
    return None


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
            and loose(text) and loose(text) in names and len(text) <= SHORT_HEADING_CHARS}


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
    it counts where the book repeats it (tasks/manuscript/structure/levels.py). A signature under a
    letter's closing ('Your affectionate sister,' then 'S. VERNON.') is the letter's end, not a level."""
    return {i: Heading(join_lines(texts[i]), "#caps", "", join_lines(texts[i])) for i in range(len(texts) - 1)
            if i not in taken and i not in found and i + 1 in found and is_caps_line(texts[i])
            and len(texts[i].split()) <= MAX_CAPS_WORDS and not parse_heading(join_lines(texts[i]))
            and not (i > 0 and texts[i - 1].rstrip().endswith(","))}


MAX_CAPS_WORDS = 5


def is_caps_line(text: str) -> bool:
    """A short line in capitals that is neither a dedication, a contents title nor an attribution ('—A. B.')."""
    return bool(text) and "\n" not in text and text.isupper() and len(text.split()) <= 10 \
        and not DEDICATION.search(text) and not is_contents_title(text) and not ATTRIBUTION.match(text)


ATTRIBUTION = re.compile(r"[—–-]")  # '—A. B.' under a preface or a quotation: who wrote it, never a heading
